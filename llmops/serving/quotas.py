"""Per-key quotas and a fair, bounded generation queue.

**Rate limits.** Each key may make ``rpm`` requests and generate ``tpm`` tokens per minute (its own
values from ``llmops keys create --rpm --tpm``, else its role's defaults). Both are token buckets
that refill continuously. The request bucket holds ``burst_s`` seconds' worth (10 s: 10 requests at
60 rpm, at least one), so a key that floods gets its share spread over the minute rather than all
of it at once, on top of everyone else's requests (bench/rate_limits.py). Generated tokens are known
only after an answer, so the token bucket holds a whole minute's worth, is debited afterwards, and
a key whose bucket is empty is refused until it refills: a key can overrun its minute by one answer
(``max_tokens`` at most), never by more.

**The queue.** Generation runs in ``slots`` at once (the decoding batch). A request waits for a
slot at most ``wait_s`` seconds, then gets a 503; at most ``queued_per_key`` of one key's requests
and ``queued`` in all may wait, beyond which the next is refused at once (429 for the key, 503 for
the server). A key holds at most ``active_per_key`` slots, and a freed slot goes to the waiting
key that holds the fewest, so a flooding key cannot take the batch from the others. A waiting
client that disconnects leaves the queue; a streaming one frees its slot when it goes.

Both live in the server process: ``llmops serve`` runs one process (the model is loaded once and
its decoding batch is the shared resource), so the counts are exact without a shared store.
"""

from __future__ import annotations

import asyncio
import itertools
import math
import threading
import time
from collections import Counter, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from llmops.ops.api_keys import ApiKey, RateLimits
from llmops.serving.schemas import ApiError

# The queue's refusal codes as the ``limit`` label of llmops_limited (a refusal without one is the token limit).
LIMIT_LABELS = {"queue_full_for_key": "key_queue", "server_busy": "busy", "queue_timeout": "timeout"}


class _Bucket:
    """Up to ``capacity`` units, refilled at ``per_minute``; may go negative when debited after use."""

    def __init__(self, per_minute: int, capacity: float, now: float) -> None:
        self.per_minute, self.capacity, self.level, self.updated = per_minute, capacity, capacity, now

    def refill(self, now: float) -> None:
        self.level = min(self.capacity, self.level + (now - self.updated) * self.per_minute / 60.0)
        self.updated = now

    def wait_s(self, need: float) -> float:
        """Seconds until ``need`` units are there."""
        return max(0.0, (need - self.level) * 60.0 / self.per_minute)


class RateLimiter:
    """Request and token buckets per key; thread-safe (sync handlers run on worker threads)."""

    def __init__(self, role_limits: dict[str, RateLimits], burst_s: float = 10.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if burst_s <= 0:
            raise ValueError(f"burst_s must be positive seconds, got {burst_s}")
        self.role_limits, self.burst_s, self.clock = role_limits, burst_s, clock
        self._buckets: dict[tuple[str, str], _Bucket] = {}
        self._lock = threading.Lock()

    def limits(self, key: ApiKey) -> RateLimits:
        return key.limits(self.role_limits)

    def _bucket(self, key: ApiKey, kind: str, now: float) -> _Bucket:
        per_minute = getattr(self.limits(key), kind)
        bucket = self._buckets.get((key.id, kind))
        if bucket is None or bucket.per_minute != per_minute:  # new key, or its limit changed in the key file
            capacity = max(1.0, per_minute * self.burst_s / 60.0) if kind == "rpm" else float(per_minute)
            bucket = self._buckets[(key.id, kind)] = _Bucket(per_minute, capacity, now)
        bucket.refill(now)
        return bucket

    def take_request(self, key: ApiKey) -> None:
        """Count one request, or raise a 429 saying when to retry."""
        with self._lock:
            bucket = self._bucket(key, "rpm", self.clock())
            if bucket.level < 1:
                raise _limited(key, "requests", bucket.per_minute, bucket.wait_s(1))
            bucket.level -= 1

    def check_tokens(self, key: ApiKey) -> None:
        """Raise a 429 while the key's generated tokens of the last minute exceed its limit."""
        with self._lock:
            bucket = self._bucket(key, "tpm", self.clock())
            if bucket.level <= 0:
                raise _limited(key, "tokens", bucket.per_minute, bucket.wait_s(1))

    def spend_tokens(self, key: ApiKey, tokens: int) -> None:
        with self._lock:
            self._bucket(key, "tpm", self.clock()).level -= tokens


def _limited(key: ApiKey, kind: str, limit: int, wait_s: float) -> ApiError:
    retry = max(1, math.ceil(wait_s))
    unit = "requests per minute (RPM)" if kind == "requests" else "generated tokens per minute (TPM)"
    return ApiError(429, f"rate limit reached for key {key.id} on {unit}: limit {limit}; try again in {retry}s",
                    kind, code="rate_limit_exceeded", headers={"retry-after": str(retry)})


@dataclass(frozen=True)
class QueueSettings:
    """Generation concurrency and waiting bounds (see the module docstring)."""

    slots: int = 8
    active_per_key: int = 4
    queued_per_key: int = 8
    queued: int = 32
    wait_s: float = 30.0

    def __post_init__(self) -> None:
        for name in ("slots", "active_per_key", "queued_per_key", "queued"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1, got {getattr(self, name)}")
        if self.wait_s <= 0:
            raise ValueError(f"wait_s must be positive seconds, got {self.wait_s}")


class Slot:
    """A granted generation slot; ``release`` is idempotent and may be called from any thread."""

    def __init__(self, gate: GenerationGate, key_id: str | None) -> None:
        self._gate, self.key_id, self._released = gate, key_id, threading.Event()

    def release(self) -> None:
        if not self._released.is_set():
            self._released.set()
            self._gate._loop.call_soon_threadsafe(self._gate._free, self.key_id)


class ClientGone(Exception):
    """The client disconnected while its request waited for a slot."""


@dataclass
class _Waiter:
    key_id: str | None
    seq: int
    future: asyncio.Future


class GenerationGate:
    """The fair, bounded queue in front of generation. Used from the server's event loop."""

    def __init__(self, settings: QueueSettings = QueueSettings()) -> None:
        self.settings = settings
        self.active: Counter[str | None] = Counter()
        self._waiting: dict[str | None, deque[_Waiter]] = {}
        self._order = itertools.count()
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def waiting(self) -> int:
        return sum(len(queue) for queue in self._waiting.values())

    def _cap(self, key_id: str | None) -> int:
        return self.settings.active_per_key if key_id is not None else self.settings.slots  # keyless: one caller

    async def acquire(self, key_id: str | None, disconnected: Callable[[], Awaitable[bool]]) -> Slot:
        """A slot for ``key_id`` (None: authentication off), waiting fairly; ApiError when refused."""
        self._loop = asyncio.get_running_loop()
        settings = self.settings
        waiter = _Waiter(key_id, next(self._order), self._loop.create_future())
        self._waiting.setdefault(key_id, deque()).append(waiter)
        self._dispatch()
        if waiter.future.done():
            return waiter.future.result()
        try:
            if key_id is not None and len(self._waiting[key_id]) > settings.queued_per_key:
                raise ApiError(429, f"key {key_id} already has {settings.queued_per_key} requests waiting for "
                               "generation; send the next when one has finished", "requests",
                               code="queue_full_for_key", headers={"retry-after": "1"})
            if self.waiting > settings.queued:
                raise ApiError(503, f"the server is busy: {settings.queued} requests are waiting for generation",
                               "server_error", code="server_busy", headers={"retry-after": "2"})
            deadline = self._loop.time() + settings.wait_s
            while (left := deadline - self._loop.time()) > 0:
                done, _ = await asyncio.wait([waiter.future], timeout=min(0.25, left))
                if done:
                    return waiter.future.result()
                if await disconnected():
                    raise ClientGone()
            raise ApiError(503, f"generation could not start within {settings.wait_s:g} s; the server is busy",
                           "server_error", code="queue_timeout", headers={"retry-after": str(math.ceil(settings.wait_s))})
        except BaseException:
            if waiter.future.done() and not waiter.future.cancelled():
                waiter.future.result().release()  # granted just as it gave up
            else:
                waiter.future.cancel()
                self._waiting[key_id].remove(waiter)
                if not self._waiting[key_id]:
                    del self._waiting[key_id]
            raise

    def _free(self, key_id: str | None) -> None:
        self.active[key_id] -= 1
        if self.active[key_id] <= 0:
            del self.active[key_id]
        self._dispatch()

    def _dispatch(self) -> None:
        """Hand free slots to the waiting keys that hold the fewest, oldest request first among equals."""
        while sum(self.active.values()) < self.settings.slots:
            ready = [(self.active[k], queue[0].seq, k) for k, queue in self._waiting.items()
                     if queue and self.active[k] < self._cap(k)]
            if not ready:
                return
            _, _, key_id = min(ready, key=lambda item: item[:2])
            waiter = self._waiting[key_id].popleft()
            if not self._waiting[key_id]:
                del self._waiting[key_id]
            self.active[key_id] += 1
            waiter.future.set_result(Slot(self, key_id))
