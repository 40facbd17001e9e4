"""What the routers of one app share: its configuration, the served models, its metrics, and the
memory of recent answers (``llmops.ops.responses``: written by chat, read by feedback). ``create_app`` builds one
``ServerState`` and hands it to every router factory, so several apps can live in one process."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from llmops.monitor.feedback import FeedbackStore
from llmops.ops.api_keys import DEFAULT_ROLE_LIMITS, KeyStore, RateLimits
from llmops.ops.audit_log import AuditLog
from llmops.ops.responses import DEFAULT_CAPACITY, DEFAULT_WINDOW_HOURS, ResponseMemory
from llmops.serving.metrics import Metrics
from llmops.serving.models import ServedModels
from llmops.serving.oidc import OidcVerifier
from llmops.serving.quotas import GenerationGate, QueueSettings, RateLimiter
from llmops.serving.schemas import Limits


@dataclass
class ServerConfig:
    """Everything around the model. ``keys=None`` turns authentication off (in-process use only;
    ``llmops serve`` always passes a key store). Feedback may rate the newest ``remembered_responses``
    answers of the last ``feedback_window_hours``; ``responses_path`` keeps them across restarts.
    Each key gets its role's ``role_limits`` unless it has its own; ``queue`` bounds generation
    (`llmops.serving.quotas`). ``api_docs`` serves ``/docs`` and ``/openapi.json`` (off in production
    if the API's shape should not be published)."""

    keys: KeyStore | None = None
    audit: AuditLog | None = None
    feedback: FeedbackStore | None = None
    limits: Limits = field(default_factory=Limits)
    remembered_responses: int = DEFAULT_CAPACITY
    feedback_window_hours: float = DEFAULT_WINDOW_HOURS
    responses_path: Path | None = None
    poll_interval_s: float | None = None  # follow the registry aliases every N seconds
    role_limits: dict[str, RateLimits] = field(default_factory=lambda: dict(DEFAULT_ROLE_LIMITS))
    queue: QueueSettings = field(default_factory=QueueSettings)
    api_docs: bool = True
    oidc: OidcVerifier | None = None  # also admit ID tokens of this identity provider (needs ``keys``)

    def __post_init__(self) -> None:
        if self.poll_interval_s is not None and self.poll_interval_s <= 0:
            raise ValueError(f"poll interval must be positive seconds, got {self.poll_interval_s}")
        if self.remembered_responses < 1:
            raise ValueError(f"remembered_responses must be at least 1, got {self.remembered_responses}")
        if self.feedback_window_hours <= 0:
            raise ValueError(f"the feedback window must be positive hours, got {self.feedback_window_hours}")


@dataclass(frozen=True)
class ServerState:
    """One app's shared objects; the served models swap versions inside ``served``, never the object."""

    served: ServedModels
    config: ServerConfig
    metrics: Metrics
    memory: ResponseMemory
    limiter: RateLimiter
    gate: GenerationGate
