"""Per-key rate limits (on a clock the test moves) and the fair, bounded generation queue (on a
real event loop)."""

from __future__ import annotations

import asyncio

import pytest

from llmops.ops.api_keys import DEFAULT_ROLE_LIMITS, ApiKey, KeyStore, RateLimits
from llmops.serving.quotas import ClientGone, GenerationGate, QueueSettings, RateLimiter
from llmops.serving.schemas import ApiError


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def key(key_id: str, role: str = "reader", rpm: int | None = None, tpm: int | None = None) -> ApiKey:
    return ApiKey(id=key_id, role=role, sha256="0" * 64, rpm=rpm, tpm=tpm)


def test_requests_per_minute_come_in_bursts_of_ten_seconds_and_say_when_to_retry() -> None:
    clock = Clock()
    limiter = RateLimiter(DEFAULT_ROLE_LIMITS, burst_s=10, clock=clock)
    slow, other, busy = key("slow", rpm=6), key("other", rpm=6), key("busy", rpm=60)
    limiter.take_request(slow)  # 6 rpm: a burst of one, then one every 10 s
    with pytest.raises(ApiError) as refused:
        limiter.take_request(slow)
    error = refused.value
    assert (error.status, error.kind, error.code, error.headers) == (429, "requests", "rate_limit_exceeded", {"retry-after": "10"})
    assert "requests per minute (RPM): limit 6" in error.message
    limiter.take_request(other)  # keys do not share buckets
    clock.now += 9.0
    with pytest.raises(ApiError):
        limiter.take_request(slow)
    clock.now += 1.0
    limiter.take_request(slow)
    for _ in range(10):  # 60 rpm: ten at once
        limiter.take_request(busy)
    with pytest.raises(ApiError) as refused:
        limiter.take_request(busy)
    assert refused.value.headers == {"retry-after": "1"}
    clock.now += 3600
    for _ in range(10):  # a long pause refills the burst, never beyond it
        limiter.take_request(busy)
    with pytest.raises(ApiError):
        limiter.take_request(busy)


def test_tokens_are_counted_after_the_answer_and_block_until_they_refill() -> None:
    clock = Clock()
    limiter = RateLimiter({"reader": RateLimits(rpm=100, tpm=600)}, clock=clock)
    reader = key("r")
    limiter.check_tokens(reader)
    limiter.spend_tokens(reader, 900)  # one answer may overrun the minute
    with pytest.raises(ApiError) as refused:
        limiter.check_tokens(reader)
    assert refused.value.kind == "tokens" and refused.value.headers == {"retry-after": "31"}  # (300 + 1) / 10 per s
    clock.now += 31
    limiter.check_tokens(reader)


def test_a_key_has_its_own_limits_or_its_roles(tmp_path) -> None:
    store = KeyStore(tmp_path / "keys.json")
    own, _ = store.create("reader", "batch job", rpm=5, tpm=700)
    plain, _ = store.create("admin")
    assert own.limits() == RateLimits(5, 700) and plain.limits() == DEFAULT_ROLE_LIMITS["admin"]
    assert {k.id: (k.rpm, k.tpm) for k in store.keys()} == {own.id: (5, 700), plain.id: (None, None)}
    with pytest.raises(ValueError, match="at least 1"):
        store.create("reader", rpm=0)


async def never() -> bool:
    return False


def test_the_queue_is_fair_and_bounded() -> None:
    async def scenario() -> None:
        gate = GenerationGate(QueueSettings(slots=2, active_per_key=2, queued_per_key=3, queued=4, wait_s=5))
        flood = [await gate.acquire("flood", never), await gate.acquire("flood", never)]  # the whole batch, free
        waiting = [asyncio.create_task(gate.acquire("flood", never)) for _ in range(3)]
        await asyncio.sleep(0)
        with pytest.raises(ApiError) as full:  # a fourth waiting request of the same key
            await gate.acquire("flood", never)
        assert (full.value.status, full.value.code) == (429, "queue_full_for_key")
        polite = asyncio.create_task(gate.acquire("polite", never))
        await asyncio.sleep(0)
        with pytest.raises(ApiError) as busy:  # five waiting in all
            await gate.acquire("third", never)
        assert (busy.value.status, busy.value.code) == (503, "server_busy")
        flood[0].release()  # the freed slot goes to the key holding none, though it came last
        slot = await asyncio.wait_for(polite, 1)
        assert slot.key_id == "polite" and not any(task.done() for task in waiting)
        flood[1].release()
        await asyncio.sleep(0.01)
        assert sum(task.done() for task in waiting) == 1
        slot.release()
        slot.release()  # idempotent
        await asyncio.sleep(0.01)
        assert sum(task.done() for task in waiting) == 2 and dict(gate.active) == {"flood": 2}
        for task in waiting:
            task.cancel()
        await asyncio.sleep(0.01)
        assert gate.waiting == 0

    asyncio.run(scenario())


def test_a_key_holds_at_most_its_share_of_the_slots() -> None:
    async def scenario() -> None:
        gate = GenerationGate(QueueSettings(slots=4, active_per_key=2, queued_per_key=4, queued=8, wait_s=5))
        held = [await gate.acquire("a", never) for _ in range(2)]
        third = asyncio.create_task(gate.acquire("a", never))
        await asyncio.sleep(0.05)
        assert not third.done()  # two slots are free, but not for this key
        other = await asyncio.wait_for(gate.acquire("b", never), 1)
        held[0].release()
        assert (await asyncio.wait_for(third, 1)).key_id == "a"
        other.release()

    asyncio.run(scenario())


def test_waiting_ends_at_the_deadline_or_when_the_client_goes() -> None:
    async def scenario() -> None:
        gate = GenerationGate(QueueSettings(slots=1, wait_s=0.3))
        held = await gate.acquire("a", never)
        with pytest.raises(ApiError) as late:
            await gate.acquire("b", never)
        assert (late.value.status, late.value.code, late.value.headers) == (503, "queue_timeout", {"retry-after": "1"})
        calls = []

        async def gone() -> bool:
            calls.append(1)
            return True

        with pytest.raises(ClientGone):
            await gate.acquire("c", gone)
        assert calls and gate.waiting == 0
        held.release()
        await asyncio.sleep(0.01)
        assert not gate.active  # nothing leaked: the slot of a request that gave up is free
        again = await asyncio.wait_for(gate.acquire("d", never), 1)
        again.release()

    asyncio.run(scenario())
