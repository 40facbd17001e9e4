"""Micro-batching for request handlers: concurrent calls share one batched computation."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class _Slot(Generic[T, R]):
    def __init__(self, item: T) -> None:
        self.item = item
        self.ready = threading.Event()  # set when the result is in, or when this caller must lead
        self.leads = False
        self.done = False
        self.result: R | None = None
        self.error: BaseException | None = None


class MicroBatcher(Generic[T, R]):
    """``batcher(item)`` returns ``fn([..., item, ...])``'s result for ``item``, where ``fn`` got the
    items of every caller waiting at that moment (at most ``max_batch``).

    On 2 cores, embedding 8 queries at once costs about as much as embedding one, and a burst of
    requests each running its own pass would queue behind each other. There is no worker thread
    and no waiting window: the first caller to find the batcher idle leads, running ``fn`` on
    whatever is queued until its own item is done, then hands the lead to the oldest waiting
    caller. A lone request runs at once; under load, the requests that arrive while one batch
    runs form the next. An exception from ``fn`` reaches every caller of that batch.
    """

    def __init__(self, fn: Callable[[list[T]], Sequence[R]], max_batch: int = 32) -> None:
        if max_batch < 1:
            raise ValueError(f"max_batch must be at least 1, got {max_batch}")
        self.fn, self.max_batch = fn, max_batch
        self._lock = threading.Lock()
        self._queue: list[_Slot[T, R]] = []
        self._leading = False

    def __call__(self, item: T) -> R:
        slot: _Slot[T, R] = _Slot(item)
        with self._lock:
            self._queue.append(slot)
            if not self._leading:
                self._leading = slot.leads = True
        if not slot.leads:
            slot.ready.wait()
        if slot.leads:  # from the start, or handed over by the previous leader
            self._lead(slot)
        if slot.error is not None:
            raise slot.error
        return slot.result  # type: ignore[return-value]

    def _lead(self, own: _Slot[T, R]) -> None:
        while not own.done:
            with self._lock:
                batch, self._queue = self._queue[: self.max_batch], self._queue[self.max_batch :]
            self._run(batch)
        with self._lock:
            if self._queue:
                following = self._queue[0]
                following.leads = True
                following.ready.set()
            else:
                self._leading = False

    def _run(self, batch: list[_Slot[T, R]]) -> None:
        try:
            results = list(self.fn([slot.item for slot in batch]))
            if len(results) != len(batch):
                raise RuntimeError(f"batch function returned {len(results)} results for {len(batch)} items")
            for slot, result in zip(batch, results):
                slot.result = result
        except BaseException as error:  # noqa: BLE001 - handed to the callers, who re-raise it
            for slot in batch:
                slot.error = error
        for slot in batch:
            slot.done = True
            if not slot.leads:
                slot.ready.set()
