"""Which engine answers for a served model version: transformers (batched) or llama.cpp.

Serving only needs ``complete`` and ``stream``; this module picks the engine behind them so
the server code stays the same for both.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

from llmops.registry.models import ModelRegistry
from llmops.train.base_model import use_bf16
from llmops.serving.batched_generation import BatchedChatModel
from llmops.train.chat_model import (GREEDY, AnswerText, ChatModel, Completion, GenerationSettings, Messages, Sampling,
                               StreamChunk, TokenSampler, pick_tokens)

BACKENDS = ("transformers", "llamacpp")
BACKEND_ENV = "LLMOPS_BACKEND"


class LlamaCppChatModel:
    """``complete``/``stream`` over a GGUF export with llama.cpp, decoding like ``ChatModel``.

    Prompts are rendered and answers decoded by the export's own transformers tokenizer (same
    ids as the GGUF vocabulary), and the token is picked by the same ``pick_tokens`` (greedy, or
    the request's ``TokenSampler``) over the logits llama.cpp computes (its own sampler would not
    penalize prompt tokens), so both backends give the same answer up to floating-point
    differences (f16 weights). One llama.cpp context runs one request at a time; a stream holds
    it until it ends or is closed.
    """

    def __init__(self, gguf_path: Path, tokenizer_dir: Path, generation: GenerationSettings = GenerationSettings(),
                 n_ctx: int = 8192, n_threads: int | None = None):
        from llama_cpp import Llama
        from transformers import AutoTokenizer

        self.tokenizer = AutoTokenizer.from_pretrained(tokenizer_dir)
        self.generation = generation
        # llama-cpp-python's default is half the cores; serving should use all of them, as torch does.
        self.llm = Llama(str(gguf_path), n_ctx=n_ctx, n_threads=n_threads or os.cpu_count(), verbose=False)
        self.stop_ids = {self.tokenizer.eos_token_id, self.llm.token_eos()}
        self.lock = threading.Lock()

    def render(self, messages: Messages, add_generation_prompt: bool = True) -> str:
        return self.tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=add_generation_prompt)

    def stream(self, messages: Messages, max_new_tokens: int | None = None,
               sampling: Sampling = GREEDY) -> Iterator[StreamChunk]:
        limit = self.generation.max_new_tokens if max_new_tokens is None else max_new_tokens
        if limit < 1:
            raise ValueError(f"max_new_tokens must be at least 1, got {limit}")
        prompt = self.tokenizer(self.render(messages), add_special_tokens=False)["input_ids"]
        if len(prompt) + limit > self.llm.n_ctx():
            raise ValueError(f"prompt ({len(prompt)} tokens) plus {limit} new tokens exceed the context of {self.llm.n_ctx()}")
        return self._stream(prompt, AnswerText(self.tokenizer, len(prompt), limit, self.stop_ids), sampling.sampler())

    def _stream(self, prompt: list[int], answer: AnswerText, sampler: TokenSampler | None) -> Iterator[StreamChunk]:
        import llama_cpp
        import numpy as np
        import torch

        vocab = self.llm.n_vocab()
        seen = torch.zeros(vocab, dtype=torch.bool)
        seen[prompt] = True
        with self.lock:
            self.llm.reset()
            self.llm.eval(prompt)
            while True:
                logits = np.ctypeslib.as_array(llama_cpp.llama_get_logits_ith(self.llm.ctx, -1), shape=(vocab,))
                token = int(pick_tokens(torch.from_numpy(logits.copy())[None], seen[None],
                                        self.generation.repetition_penalty, [sampler])[0])
                seen[token] = True
                chunk = answer.add(token)
                if chunk is not None:
                    yield chunk
                if answer.finish_reason is not None:
                    return
                self.llm.eval([token])

    def complete(self, conversations: Sequence[Messages], max_new_tokens: int | None = None,
                 sampling: Sampling = GREEDY) -> list[Completion]:
        completions = []
        for messages in conversations:
            chunks = list(self.stream(messages, max_new_tokens, sampling))
            last = chunks[-1]
            completions.append(Completion("".join(c.text for c in chunks), last.completion_tokens,
                                          last.prompt_tokens, last.finish_reason))
        return completions

    def generate(self, conversations: Sequence[Messages], max_new_tokens: int | None = None) -> list[str]:
        return [c.text for c in self.complete(conversations, max_new_tokens)]

    def close(self) -> None:
        self.llm.close()


def in_precision(chat: ChatModel, precision: str) -> ChatModel:
    """``chat`` with its model's weights converted to bf16 in place when ``precision`` means bf16 here."""
    if use_bf16(precision):
        import torch

        chat.model.to(torch.bfloat16)
    return chat


def serving_chat(pyfunc, registry: ModelRegistry, version: str, backend: str | None = None, precision: str = "fp32"):
    """The chat engine serving ``version`` of the registry's model, loaded as ``pyfunc`` (AdapterChatPyfunc).

    ``backend`` defaults to ``$LLMOPS_BACKEND`` (set by ``llmops serve --backend``), else transformers.
    ``precision`` ("fp32", "bf16" or "auto", see ``use_bf16``) is the transformers engine's weight
    type. fp32 is what evaluation measured, and a greedy answer is the same whatever shares its
    batch. bf16 reads prompts about 2.5x and decodes about 1.9x faster on a CPU with AVX-512 BF16,
    but rounding then depends on the batch's shape, so a greedy answer can change with the load
    (bench/RESULTS.md). llama.cpp serves the version's f16 GGUF export whatever ``precision`` says.
    """
    backend = backend or os.environ.get(BACKEND_ENV, "transformers")
    if backend == "transformers":
        return BatchedChatModel(in_precision(pyfunc.chat, precision))
    if backend == "llamacpp":
        from llmops.registry.export import default_export_root, ensure_export

        export = ensure_export(registry, version, default_export_root())
        return LlamaCppChatModel(export.gguf_path, export.merged_dir, pyfunc.chat.generation)
    raise ValueError(f"unknown backend {backend!r}; one of {BACKENDS}")
