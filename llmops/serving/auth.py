"""Who may call what and read which documents: the bearer API key checked against the key store
(or an identity provider's ID token, `llmops.serving.oidc`),
its role against the endpoint's, its request rate against its limit, and its access groups turned
into the scope every search runs under. A FastAPI dependency, so each router states the role it
needs next to its routes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from llmops.ops.api_keys import ApiKey, role_allows
from llmops.retrieval.filters import Filter, access_scope
from llmops.serving.oidc import OidcError, looks_like_jwt
from llmops.serving.schemas import ApiError
from llmops.serving.state import ServerState

_bearer = HTTPBearer(auto_error=False, description="an API key from `llmops keys create`")


def authorize(server: ServerState, required: str) -> Callable[..., Awaitable[ApiKey | None]]:
    """A dependency that admits keys with the ``required`` role or above (everyone when
    ``config.keys`` is None) within their requests per minute, and puts the key's id and role in
    the request state for the audit."""
    config, metrics = server.config, server.metrics

    # async: a hash and a cached lookup (the key file is re-read only when it changes) cost less
    # than the thread-pool hop FastAPI would make for a plain function
    async def check(request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(_bearer)) -> ApiKey | None:
        if config.keys is None:
            return None
        if credentials is None:
            raise ApiError(401, "missing API key: send 'Authorization: Bearer <key>'", code="invalid_api_key")
        if config.oidc is not None and looks_like_jwt(credentials.credentials):
            try:  # in the thread pool: the first token (and a rotated key) fetches the provider's keys
                key = await run_in_threadpool(config.oidc.principal, credentials.credentials)
            except OidcError as refused:
                raise ApiError(401, str(refused), code="invalid_api_key") from None
        else:
            key = config.keys.authenticate(credentials.credentials)
        if key is None:
            raise ApiError(401, "invalid or revoked API key", code="invalid_api_key")
        request.state.key_id, request.state.role = key.id, key.role
        request.state.groups = ["*"] if key.reads_all else list(key.groups)
        if not role_allows(key.role, required):
            raise ApiError(403, f"this endpoint needs the {required!r} role; key {key.id} has {key.role!r}",
                           "permission_error", code="insufficient_permissions")
        metrics.key_requests.labels(key.id).inc()
        try:
            server.limiter.take_request(key)
        except ApiError:
            metrics.limited.labels(key.id, "rpm").inc()
            raise
        return key

    return check


def scope_of(key: ApiKey | None) -> Filter | None:
    """The chunks ``key`` may read, as the filter ANDed outside the caller's own: its groups' and
    everyone's; no restriction for admins and for an app without keys (in-process use)."""
    if key is None or key.reads_all:
        return None
    return access_scope(key.groups)
