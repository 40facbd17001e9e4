"""The chat page's sign-in with the company's identity provider (OIDC authorization-code flow, the
server as the confidential client): ``/auth/login`` sends the browser to the provider with a fresh
``state`` and ``nonce``; ``/auth/callback`` checks the state, exchanges the code for an ID token with
the client secret, checks the token (signature, issuer, audience, expiry, the nonce) and hands it to
the page in the URL fragment, which browsers never send to a server; the page keeps it in the tab's
session storage and sends it as its bearer token, as it would an API key. Only the open
``/auth/config`` says whether sign-in is on; without a client secret the routes answer 404.
"""

from __future__ import annotations

import secrets
import threading
import time
from urllib.parse import urlencode

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool

from llmops.serving.oidc import OidcError
from llmops.serving.schemas import ApiError
from llmops.serving.state import ServerState

PENDING_S = 600  # a sign-in must come back from the provider within ten minutes
MAX_PENDING = 10_000


class _Pending:
    """Sign-ins sent to the provider and not yet back: state -> (nonce, when)."""

    def __init__(self) -> None:
        self._items: dict[str, tuple[str, float]] = {}
        self._lock = threading.Lock()

    def add(self) -> tuple[str, str]:
        state, nonce, now = secrets.token_urlsafe(24), secrets.token_urlsafe(24), time.time()
        with self._lock:
            self._items = {s: v for s, v in self._items.items() if now - v[1] < PENDING_S}
            if len(self._items) >= MAX_PENDING:
                raise ApiError(503, "too many sign-ins in progress; try again in a minute", "server_error")
            self._items[state] = (nonce, now)
        return state, nonce

    def take(self, state: str) -> str | None:
        """The nonce of a pending sign-in, once; None for an unknown or expired state."""
        with self._lock:
            nonce, when = self._items.pop(state, ("", 0.0))
        return nonce if nonce and time.time() - when < PENDING_S else None


def build_sign_in_router(server: ServerState) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    verifier = server.config.oidc
    enabled = verifier is not None and bool(verifier.settings.client_secret)
    pending = _Pending()

    def callback_url(request: Request) -> str:
        return str(request.url_for("sign_in_callback"))

    @router.get("/auth/config")
    def sign_in_config() -> dict:
        return {"sign_in": enabled}

    @router.get("/auth/login")
    def sign_in(request: Request) -> RedirectResponse:
        if not enabled:
            raise ApiError(404, "sign-in is not configured on this server", "not_found_error")
        state, nonce = pending.add()
        query = urlencode({"response_type": "code", "client_id": verifier.settings.audience, "scope": "openid email profile",
                           "redirect_uri": callback_url(request), "state": state, "nonce": nonce})
        try:
            return RedirectResponse(f"{verifier.endpoint('authorization_endpoint')}?{query}", status_code=302)
        except OidcError as exc:
            raise ApiError(502, str(exc), "server_error") from None

    @router.get("/auth/callback", name="sign_in_callback")
    async def sign_in_callback(request: Request, state: str = "", code: str = "", error: str = "") -> RedirectResponse:
        if not enabled:
            raise ApiError(404, "sign-in is not configured on this server", "not_found_error")
        nonce = pending.take(state)
        if error or nonce is None or not code:
            reason = f"the identity provider said {error!r}" if error else "unknown or expired sign-in; start again"
            raise ApiError(400, f"sign-in failed: {reason}", param="state")
        token = await run_in_threadpool(_exchange, request, code)
        try:
            principal = await run_in_threadpool(verifier.principal, token, nonce)
        except OidcError as exc:
            raise ApiError(401, f"sign-in failed: {exc}", code="invalid_api_key") from None
        request.state.key_id, request.state.role = principal.id, principal.role
        return RedirectResponse(f"/#id_token={token}", status_code=302)

    def _exchange(request: Request, code: str) -> str:
        """The ID token for ``code``, from the provider's token endpoint (client secret in basic auth)."""
        try:
            reply = httpx.post(verifier.endpoint("token_endpoint"), timeout=verifier.settings.timeout_s,
                               auth=(verifier.settings.audience, verifier.settings.client_secret or ""),
                               data={"grant_type": "authorization_code", "code": code,
                                     "redirect_uri": callback_url(request)})
            reply.raise_for_status()
            return reply.json()["id_token"]
        except (httpx.HTTPError, KeyError, ValueError, OidcError) as exc:
            raise ApiError(502, f"sign-in failed: the identity provider did not give a token ({exc})",
                           "server_error") from None

    return router
