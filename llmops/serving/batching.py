"""Micro-batching for request handlers: concurrent calls share one batched computation."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class MicroBatcher(Generic[T, R]):
    """``await batcher(item)`` returns ``fn([..., item, ...])``'s result for ``item``, where ``fn``
    got the items of every caller waiting at that moment (at most ``max_batch``).

    On 2 cores, embedding 8 queries at once costs about as much as embedding one, and a burst of
    requests each running its own pass would queue behind each other. There is no waiting window:
    a lone request runs at once; under load, the requests that arrive while one batch runs form
    the next. An exception from ``fn`` reaches every caller of that batch.

    Callers are coroutines on the server's event loop, and ``fn`` runs in one worker thread of the
    batcher's own, so a request costs no thread hop of its own (only a batch does), and the queue
    is touched by the event loop alone (no lock).
    """

    def __init__(self, fn: Callable[[list[T]], Sequence[R]], max_batch: int = 32) -> None:
        if max_batch < 1:
            raise ValueError(f"max_batch must be at least 1, got {max_batch}")
        self.fn, self.max_batch = fn, max_batch
        self._queue: list[tuple[T, asyncio.Future[R]]] = []
        self._worker = ThreadPoolExecutor(1, thread_name_prefix="micro-batch")
        self._draining: asyncio.Task[None] | None = None

    async def __call__(self, item: T) -> R:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[R] = loop.create_future()
        self._queue.append((item, future))
        if self._draining is None:
            self._draining = loop.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        """Run batches until nobody is waiting."""
        loop = asyncio.get_running_loop()
        try:
            while self._queue:
                batch, self._queue = self._queue[: self.max_batch], self._queue[self.max_batch :]
                try:
                    results = await loop.run_in_executor(self._worker, self._run, [item for item, _ in batch])
                except Exception as error:  # noqa: BLE001 - handed to the callers, who re-raise it
                    for _, future in batch:
                        if not future.done():  # a caller that went away has a cancelled future
                            future.set_exception(error)
                    continue
                for (_, future), result in zip(batch, results):
                    if not future.done():
                        future.set_result(result)
        finally:
            self._draining = None

    def _run(self, items: list[T]) -> list[R]:
        results = list(self.fn(items))
        if len(results) != len(items):
            raise RuntimeError(f"batch function returned {len(results)} results for {len(items)} items")
        return results
