"""Continuous batching: concurrent requests share one decoding batch instead of queueing.

On a CPU a forward pass over 8 rows costs little more than over one (the weights are read
once per step either way), so decoding concurrent requests together multiplies throughput.
One worker thread owns the running batch: new requests are prefilled and join it between
steps, finished or abandoned ones leave it, and each caller gets its tokens as they come.
"""

from __future__ import annotations

import queue
import threading
import time
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from llmops.train.chat_model import (GREEDY, AnswerText, ChatModel, Completion, DecodeBatch, Messages, Sampling, StreamChunk,
                               TokenSampler)


@dataclass
class _Request:
    prompt: list[int]
    answer: AnswerText
    sampler: TokenSampler | None  # None: greedy
    chunks: queue.Queue = field(default_factory=queue.Queue)  # StreamChunk, or the exception that ended it
    cancelled: bool = False


class BatchedChatModel:
    """``ChatModel``'s ``complete``/``stream``, with concurrent calls decoded together.

    Answers are the same as the wrapped model's, greedy or seeded (each row samples with its own
    generator; see tests/test_generation_batched.py for how exactly). ``max_batch`` bounds the
    rows decoded at once (memory and step time); an idle worker waits ``wait_s`` after a first
    request for others to arrive with it.
    """

    def __init__(self, chat: ChatModel, max_batch: int = 8, wait_s: float = 0.02, idle_exit_s: float = 5.0):
        if max_batch < 1:
            raise ValueError(f"max_batch must be at least 1, got {max_batch}")
        self.chat, self.max_batch, self.wait_s, self.idle_exit_s = chat, max_batch, wait_s, idle_exit_s
        self.tokenizer, self.generation = chat.tokenizer, chat.generation
        self._pending: queue.Queue[_Request] = queue.Queue()
        self._worker: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self.batch_sizes: deque[int] = deque(maxlen=4096)  # rows per recent decoding step, for benchmarks and tests

    def render(self, messages: Messages, add_generation_prompt: bool = True) -> str:
        return self.chat.render(messages, add_generation_prompt)

    def _submit(self, messages: Messages, max_new_tokens: int | None, sampling: Sampling) -> _Request:
        prompt = self.chat.encode(messages)
        request = _Request(prompt, self.chat.answer_text(prompt, self.chat.limit(max_new_tokens)), sampling.sampler())
        self._pending.put(request)
        with self._start_lock:
            if self._worker is None or not self._worker.is_alive():
                self._worker = threading.Thread(target=self._run, name="batched-generation", daemon=True)
                self._worker.start()
        return request

    @staticmethod
    def _chunks(request: _Request) -> Iterator[StreamChunk]:
        try:
            while True:
                item = request.chunks.get()
                if isinstance(item, BaseException):
                    raise item
                yield item
                if item.finish_reason is not None:
                    return
        finally:  # a caller that stops reading (client gone) frees its row at the next step
            request.cancelled = True

    def stream(self, messages: Messages, max_new_tokens: int | None = None,
               sampling: Sampling = GREEDY) -> Iterator[StreamChunk]:
        """Like ``ChatModel.stream``; the request is queued at once, not on first ``next``."""
        return self._chunks(self._submit(messages, max_new_tokens, sampling))

    def complete(self, conversations: Sequence[Messages], max_new_tokens: int | None = None,
                 sampling: Sampling = GREEDY) -> list[Completion]:
        requests = [self._submit(m, max_new_tokens, sampling) for m in conversations]
        completions = []
        for request in requests:
            last = None
            for last in self._chunks(request):
                pass
            answer = request.answer
            completions.append(Completion(answer.text, last.completion_tokens, last.prompt_tokens, last.finish_reason))
        return completions

    def generate(self, conversations: Sequence[Messages], max_new_tokens: int | None = None) -> list[str]:
        return [c.text for c in self.complete(conversations, max_new_tokens)]

    # --- worker thread -------------------------------------------------------------------------

    def _take(self, room: int, block: bool) -> list[_Request]:
        """Up to ``room`` waiting requests; when ``block``, wait for a first one and its companions."""
        taken: list[_Request] = []
        if block:
            try:
                taken.append(self._pending.get(timeout=self.idle_exit_s))
            except queue.Empty:
                return []
            deadline = time.monotonic() + self.wait_s
            while len(taken) < room and (left := deadline - time.monotonic()) > 0:
                try:
                    taken.append(self._pending.get(timeout=left))
                except queue.Empty:
                    break
        while len(taken) < room:
            try:
                taken.append(self._pending.get_nowait())
            except queue.Empty:
                break
        return [r for r in taken if not r.cancelled]

    @staticmethod
    def _deliver(batch: DecodeBatch, rows: list[_Request]) -> list[_Request]:
        """Hand each row its new token; drop finished and abandoned rows from the batch."""
        going = []
        for index, (request, token) in enumerate(zip(rows, batch.next.tolist())):
            chunk = request.answer.add(token)
            if chunk is not None:
                request.chunks.put(chunk)
            if request.answer.finish_reason is None and not request.cancelled:
                going.append(index)
        if len(going) < len(rows):
            batch.keep(going)
        return [rows[i] for i in going]

    def _run(self) -> None:
        import torch

        batch: DecodeBatch | None = None
        rows: list[_Request] = []
        while True:
            new = self._take(self.max_batch - len(rows), block=not rows)
            if not new and not rows:
                with self._start_lock:  # exit when idle; a later request starts a fresh worker
                    if self._pending.empty():
                        self._worker = None
                        return
                continue
            try:
                with self.chat.lock, torch.inference_mode():
                    # each prompt alone (padding a burst of ~800-token prompts to one width cost twice
                    # the time), all before the next step: a step between prompts would hand out one
                    # token per prompt read, too few to stream words, and made fewer rows share steps
                    fresh = []
                    while new:
                        joined = self.chat.prefill([new[0].prompt], [new[0].sampler])
                        request = new.pop(0)  # popped only now: a failed prefill still reaches its caller
                        if self._deliver(joined, [request]):
                            fresh.append(joined)
                            rows.append(request)
                    if fresh and len(fresh) == len(rows):  # nothing was decoding: the new rows are the batch
                        batch = fresh.pop(0)
                    if fresh:
                        batch.extend(*fresh)
                    if rows:
                        batch.step()
                        self.batch_sizes.append(len(rows))
                        rows = self._deliver(batch, rows)
            except Exception as error:  # noqa: BLE001 - the callers get the error, the worker lives on
                for request in rows + new:
                    request.chunks.put(error)
                batch, rows = None, []
