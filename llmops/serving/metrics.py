"""What the server records about each request: the Prometheus series of one app, and the ASGI
middleware that sets the request id and model-version headers, enforces the body-size limit, and
writes the metrics and the audit record when the last byte has gone out."""

from __future__ import annotations

import hashlib
import json
import time
import uuid

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from llmops.ops.audit_log import AuditLog, AuditRecord
from llmops.serving.schemas import ApiError, Limits, error_response

# Probes and metrics stay open: orchestrators and Prometheus scrape them without credentials, and
# they reveal only liveness and aggregate counters. They are not audited (scraped every few seconds).
OPEN_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})


class Metrics:
    """Prometheus series for one app (own registry, so several apps can live in one process)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        labels = ["endpoint", "model_version"]
        self.requests = Counter("llmops_requests", "HTTP requests", [*labels, "status"], registry=self.registry)
        self.errors = Counter("llmops_errors", "HTTP requests answered with status >= 400", [*labels, "status"], registry=self.registry)
        self.latency = Histogram("llmops_request_latency_seconds", "Request latency (streams: until the last byte)", labels,
                                 registry=self.registry, buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120))
        self.first_token = Histogram("llmops_time_to_first_token_seconds", "Streamed chat: time to the first content",
                                     ["model_version"], registry=self.registry, buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30))
        self.tokens = Counter("llmops_tokens", "Tokens processed", ["model_version", "kind"], registry=self.registry)
        self.answers = Counter("llmops_answers", "Chat answers by the mode that produced them (generated, verified, "
                               "extractive, not_found, ungrounded)", ["model_version", "mode"], registry=self.registry)
        self.key_requests = Counter("llmops_key_requests", "Authenticated requests per API key", ["key_id"],
                                    registry=self.registry)
        self.key_tokens = Counter("llmops_key_completion_tokens", "Generated tokens per API key", ["key_id"],
                                  registry=self.registry)
        self.limited = Counter("llmops_limited", "Requests refused by a limit: rpm, tpm, key_queue (too many waiting "
                               "for this key), busy (too many waiting), timeout (no slot in time)", ["key_id", "limit"],
                               registry=self.registry)
        self.queue = Gauge("llmops_generation_queue", "Chat requests holding a generation slot (active) or waiting "
                           "for one (waiting)", ["state"], registry=self.registry)
        self.search_batch = Histogram("llmops_search_batch_size", "Concurrent /v1/search requests answered together",
                                      registry=self.registry, buckets=(1, 2, 4, 8, 16, 32))


class Observe:
    """ASGI middleware: request id and model-version headers, body-size limit, audit and metrics.

    It wraps ``send`` rather than the response so that a stream is audited when its last byte
    goes out, with its true latency and token counts.
    """

    def __init__(self, app, audit: AuditLog | None, metrics: Metrics, limits: Limits) -> None:
        self.app, self.audit, self.metrics, self.limits = app, audit, metrics, limits

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        start = time.perf_counter()
        state = scope.setdefault("state", {})
        state["request_id"] = f"req_{uuid.uuid4().hex[:16]}"
        status = {"code": 500, "done": False}
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.limits.max_body_bytes):
            return await self._reject_too_large(scope, receive, send)

        received = 0

        async def limited_receive():
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limits.max_body_bytes:
                raise ApiError(413, f"request body exceeds {self.limits.max_body_bytes} bytes", code="request_too_large")
            return message

        async def observed_send(message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                headers = [*message.get("headers", []), (b"x-request-id", state["request_id"].encode())]
                if state.get("model_version"):
                    headers.append((b"x-model-version", state["model_version"].encode()))
                message = {**message, "headers": headers}
            await send(message)
            if message["type"] == "http.response.body" and not message.get("more_body") and not status["done"]:
                status["done"] = True
                self._record(scope, state, status["code"], time.perf_counter() - start)

        try:
            await self.app(scope, limited_receive, observed_send)
        finally:
            if not status["done"]:  # the client went away mid-stream, or the app crashed (500)
                self._record(scope, state, status["code"], time.perf_counter() - start)

    async def _reject_too_large(self, scope, receive, send) -> None:
        response = error_response(413, f"request body exceeds {self.limits.max_body_bytes} bytes", code="request_too_large")
        response.headers["x-request-id"] = scope["state"]["request_id"]
        await response(scope, receive, send)
        self._record(scope, scope["state"], 413, 0.0)

    def _record(self, scope, state: dict, status: int, seconds: float) -> None:
        if state.get("stream_error"):  # sent as 200, then failed mid-stream: count it as the server error it was
            status = 500
        route = scope.get("route")
        endpoint = getattr(route, "path", None) or "unmatched"
        version = state.get("model_version") or "none"
        labels = {"endpoint": endpoint, "model_version": version}
        if endpoint not in OPEN_PATHS:
            self.metrics.requests.labels(**labels, status=str(status)).inc()
            self.metrics.latency.labels(**labels).observe(seconds)
            if status >= 400:
                self.metrics.errors.labels(**labels, status=str(status)).inc()
            if mode := state.get("answer_mode"):
                self.metrics.answers.labels(version, mode).inc()
        if self.audit is None or endpoint in OPEN_PATHS:
            return
        self.audit.append(AuditRecord(
            ts=time.time(), request_id=state["request_id"], method=scope["method"], endpoint=endpoint, status=status,
            latency_ms=round(seconds * 1000, 2), key_id=state.get("key_id"), role=state.get("role"),
            model_version=state.get("model_version"), prompt_sha256=state.get("prompt_sha256"),
            prompt_tokens=state.get("prompt_tokens"), completion_tokens=state.get("completion_tokens"),
            answer_mode=state.get("answer_mode"), groups=state.get("groups"), chunk_ids=state.get("chunk_ids")))


def prompt_digest(texts: list[str]) -> str:
    """The audit record's prompt hash; callers pass scrubbed texts, so it cannot reveal what was removed."""
    return hashlib.sha256(json.dumps(texts, ensure_ascii=False).encode()).hexdigest()
