"""What the routers of one app share: its configuration, the served models, its metrics, and the
memory of recent answers (written by chat, read by feedback). ``create_app`` builds one
``ServerState`` and hands it to every router factory, so several apps can live in one process."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from llmops.monitor.feedback import FeedbackStore
from llmops.ops.api_keys import KeyStore
from llmops.ops.audit_log import AuditLog
from llmops.serving.metrics import Metrics
from llmops.serving.models import ServedModels
from llmops.serving.schemas import Limits


@dataclass
class ServerConfig:
    """Everything around the model. ``keys=None`` turns authentication off (in-process use only;
    ``llmops serve`` always passes a key store)."""

    keys: KeyStore | None = None
    audit: AuditLog | None = None
    feedback: FeedbackStore | None = None
    limits: Limits = field(default_factory=Limits)
    remembered_responses: int = 10_000
    poll_interval_s: float | None = None  # follow the registry aliases every N seconds

    def __post_init__(self) -> None:
        if self.poll_interval_s is not None and self.poll_interval_s <= 0:
            raise ValueError(f"poll interval must be positive seconds, got {self.poll_interval_s}")
        if self.remembered_responses < 1:
            raise ValueError(f"remembered_responses must be at least 1, got {self.remembered_responses}")


@dataclass(frozen=True)
class Remembered:
    question: str
    answer: str
    model_version: str
    key_id: str | None


class ResponseMemory:
    """The last N answers (scrubbed), so feedback can name a response by id without resending it."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._items: OrderedDict[str, Remembered] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, response_id: str, item: Remembered) -> None:
        with self._lock:
            self._items[response_id] = item
            while len(self._items) > self.capacity:
                self._items.popitem(last=False)

    def get(self, response_id: str) -> Remembered | None:
        with self._lock:
            return self._items.get(response_id)


@dataclass(frozen=True)
class ServerState:
    """One app's shared objects; the served models swap versions inside ``served``, never the object."""

    served: ServedModels
    config: ServerConfig
    metrics: Metrics
    memory: ResponseMemory
