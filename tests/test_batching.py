"""MicroBatcher: concurrent callers share batches, each gets its own result or its batch's error."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from llmops.batching import MicroBatcher


def test_a_lone_call_runs_at_once_in_a_batch_of_one() -> None:
    sizes: list[int] = []
    batcher = MicroBatcher(lambda items: sizes.append(len(items)) or [item * 2 for item in items])
    assert batcher(21) == 42 and sizes == [1]


def test_concurrent_callers_share_batches_and_get_their_own_results() -> None:
    sizes: list[int] = []

    def slow_square(items: list[int]) -> list[int]:
        sizes.append(len(items))
        time.sleep(0.05)  # while one batch runs, the other callers queue up for the next
        return [item * item for item in items]

    batcher = MicroBatcher(slow_square, max_batch=8)
    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(batcher, range(64)))
    assert results == [i * i for i in range(64)]
    assert sum(sizes) == 64 and max(sizes) == 8 and len(sizes) < 32


def test_an_error_reaches_only_the_callers_of_its_batch() -> None:
    release = threading.Event()

    def fn(items: list[str]) -> list[str]:
        if "first" in items:
            release.wait(5)  # hold the first batch until the others are queued behind it
        if "bad" in items:
            raise ValueError("bad item")
        return [item.upper() for item in items]

    batcher = MicroBatcher(fn, max_batch=1)
    with ThreadPoolExecutor(3) as pool:
        first = pool.submit(batcher, "first")
        time.sleep(0.1)
        bad, good = pool.submit(batcher, "bad"), pool.submit(batcher, "good")
        time.sleep(0.1)
        release.set()
        assert first.result(5) == "FIRST" and good.result(5) == "GOOD"
        with pytest.raises(ValueError, match="bad item"):
            bad.result(5)
    assert batcher("again") == "AGAIN"  # the batcher is idle again and the next caller leads


def test_a_wrong_number_of_results_is_an_error() -> None:
    with pytest.raises(RuntimeError, match="2 results for 1 items"):
        MicroBatcher(lambda items: [1, 2])("x")
    with pytest.raises(ValueError, match="max_batch"):
        MicroBatcher(lambda items: items, max_batch=0)
