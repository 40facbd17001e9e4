"""MicroBatcher: concurrent callers share batches, each gets its own result or its batch's error."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from llmops.serving.batching import MicroBatcher


def test_a_lone_call_runs_at_once_in_a_batch_of_one() -> None:
    sizes: list[int] = []
    batcher = MicroBatcher(lambda items: sizes.append(len(items)) or [item * 2 for item in items])
    assert asyncio.run(batcher(21)) == 42 and sizes == [1]


def test_concurrent_callers_share_batches_and_get_their_own_results() -> None:
    sizes: list[int] = []

    def slow_square(items: list[int]) -> list[int]:
        sizes.append(len(items))
        time.sleep(0.02)
        return [item * item for item in items]

    batcher = MicroBatcher(slow_square, max_batch=8)

    async def callers() -> list[int]:
        first = asyncio.gather(*(batcher(i) for i in range(4)))
        await asyncio.sleep(0.005)  # the first batch is running: the next callers queue behind it
        return [*await first, *await asyncio.gather(*(batcher(i) for i in range(4, 64)))]

    assert asyncio.run(callers()) == [i * i for i in range(64)]
    assert sum(sizes) == 64 and max(sizes) == 8 and len(sizes) < 32


def test_batches_run_off_the_event_loop() -> None:
    """The loop keeps serving (other requests are parsed, answered) while a batch runs."""
    release, threads = threading.Event(), []

    def fn(items: list[str]) -> list[str]:
        threads.append(threading.current_thread())
        release.wait(5)
        return items

    async def scenario() -> list[str]:
        pending = asyncio.ensure_future(MicroBatcher(fn)("x"))
        await asyncio.sleep(0.05)  # the loop runs on while fn blocks its worker
        assert not pending.done()
        release.set()
        return [await pending]

    assert asyncio.run(scenario()) == ["x"] and threads[0] is not threading.main_thread()


def test_an_error_reaches_only_the_callers_of_its_batch() -> None:
    def fn(items: list[str]) -> list[str]:
        if "bad" in items:
            raise ValueError("bad item")
        return [item.upper() for item in items]

    batcher = MicroBatcher(fn, max_batch=1)

    async def scenario() -> None:
        first, bad, good = (asyncio.ensure_future(batcher(item)) for item in ("first", "bad", "good"))
        assert await first == "FIRST" and await good == "GOOD"
        with pytest.raises(ValueError, match="bad item"):
            await bad
        assert await batcher("again") == "AGAIN"  # the batcher is idle again and runs the next call

    asyncio.run(scenario())


def test_a_caller_that_goes_away_does_not_break_its_batch() -> None:
    release = threading.Event()

    def fn(items: list[int]) -> list[int]:
        release.wait(5)
        return [item + 1 for item in items]

    batcher = MicroBatcher(fn)

    async def scenario() -> list[int]:
        gone, staying = asyncio.ensure_future(batcher(1)), asyncio.ensure_future(batcher(2))
        await asyncio.sleep(0.01)
        gone.cancel()  # e.g. the client disconnected
        release.set()
        return [await staying, await batcher(3)]

    assert asyncio.run(scenario()) == [3, 4]


def test_a_wrong_number_of_results_is_an_error() -> None:
    with pytest.raises(RuntimeError, match="2 results for 1 items"):
        asyncio.run(MicroBatcher(lambda items: [1, 2])("x"))
    with pytest.raises(ValueError, match="max_batch"):
        MicroBatcher(lambda items: items, max_batch=0)
