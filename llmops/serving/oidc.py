"""OIDC sign-in: a company's identity provider vouches for the caller instead of an API key.

A bearer token that is a JWT (an ID token from the provider, e.g. what the chat page or a script
got by signing in) is checked here: signature against the provider's published keys (found from
``<issuer>/.well-known/openid-configuration``, fetched again when a token names a key not seen
yet, so key rotation needs no restart), issuer, audience (the client id), expiry. The caller
becomes a principal like an API key's: id ``oidc:<sub>``, the provider's groups claim mapped to the
project's access groups, and a role from the groups that make admins or operators. Nothing is
cached but the keys, so a token stops working when it expires.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field

import httpx
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet

from llmops.ops.api_keys import ApiKey

_JWT = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$")
_GROUP_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "ES256", "ES384", "EdDSA"]


class OidcError(ValueError):
    """A token the server refuses; the message says why (never the token)."""


def looks_like_jwt(token: str) -> bool:
    return bool(_JWT.match(token))


@dataclass(frozen=True)
class OidcSettings:
    """Which provider to trust and how its groups become the project's. ``group_map`` maps the
    provider's group names to access groups (unmapped ones are ignored); empty, the provider's
    names are used as they are when they are valid group names."""

    issuer: str
    audience: str  # the client id the tokens are issued to
    groups_claim: str = "groups"
    group_map: Mapping[str, str] = field(default_factory=dict)
    admin_groups: tuple[str, ...] = ()  # provider groups whose members are admins
    operator_groups: tuple[str, ...] = ()
    timeout_s: float = 10.0
    client_secret: str | None = None  # with it, the chat page signs people in itself (`llmops.serving.sign_in`)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> OidcSettings | None:
        """From ``LLMOPS_OIDC_ISSUER`` and ``LLMOPS_OIDC_AUDIENCE`` (both, or no OIDC), and optionally
        ``LLMOPS_OIDC_GROUPS_CLAIM``, ``LLMOPS_OIDC_GROUP_MAP`` (``theirs=ours,...``),
        ``LLMOPS_OIDC_ADMIN_GROUPS`` and ``LLMOPS_OIDC_OPERATOR_GROUPS`` (comma-separated) and
        ``LLMOPS_OIDC_CLIENT_SECRET`` (the chat page's sign-in)."""
        issuer, audience = env.get("LLMOPS_OIDC_ISSUER"), env.get("LLMOPS_OIDC_AUDIENCE")
        if not issuer and not audience:
            return None
        if not (issuer and audience):
            raise ValueError("OIDC needs both LLMOPS_OIDC_ISSUER and LLMOPS_OIDC_AUDIENCE")

        def names(var: str) -> list[str]:
            return [part.strip() for part in env.get(var, "").split(",") if part.strip()]

        pairs = [entry.split("=", 1) for entry in names("LLMOPS_OIDC_GROUP_MAP")]
        if any(len(pair) != 2 or not _GROUP_NAME.match(pair[1].strip()) for pair in pairs):
            raise ValueError("LLMOPS_OIDC_GROUP_MAP: entries are 'their-group=our-group', ours a valid group name")
        return cls(issuer, audience, env.get("LLMOPS_OIDC_GROUPS_CLAIM", "groups"),
                   {theirs.strip(): ours.strip() for theirs, ours in pairs},
                   tuple(names("LLMOPS_OIDC_ADMIN_GROUPS")), tuple(names("LLMOPS_OIDC_OPERATOR_GROUPS")),
                   client_secret=env.get("LLMOPS_OIDC_CLIENT_SECRET") or None)


class OidcVerifier:
    """Checks ID tokens of one provider and turns them into principals."""

    def __init__(self, settings: OidcSettings) -> None:
        self.settings = settings
        self._keys: KeySet | None = None
        self._discovery: dict | None = None
        self._lock = threading.Lock()

    def endpoint(self, name: str) -> str:
        """An endpoint the provider's discovery document names (``authorization_endpoint``, ``token_endpoint``...)."""
        base = self.settings.issuer.rstrip("/")
        if self._discovery is None:
            try:
                self._discovery = httpx.get(f"{base}/.well-known/openid-configuration", timeout=self.settings.timeout_s).json()
            except (httpx.HTTPError, ValueError) as exc:
                raise OidcError(f"cannot read the identity provider's configuration at {base}: {exc}") from exc
        if name not in self._discovery:
            raise OidcError(f"the identity provider at {base} publishes no {name}")
        return self._discovery[name]

    def _fetch_keys(self) -> KeySet:
        try:
            return KeySet.import_key_set(httpx.get(self.endpoint("jwks_uri"), timeout=self.settings.timeout_s).json())
        except (httpx.HTTPError, ValueError) as exc:
            raise OidcError(f"cannot read the identity provider's keys: {exc}") from exc

    def _decode(self, token: str, refresh: bool = False) -> jwt.Token:
        with self._lock:
            if self._keys is None or refresh:
                self._keys = self._fetch_keys()
            keys = self._keys
        return jwt.decode(token, keys, algorithms=_ALGORITHMS)

    def principal(self, token: str, nonce: str | None = None) -> ApiKey:
        """The caller a valid token stands for (with ``nonce``, the token must carry it: the answer
        to this server's own sign-in request); OidcError says why a token is refused."""
        try:
            try:
                decoded = self._decode(token)
            except InvalidKeyIdError:  # a key the cached set lacks: the provider may have rotated its keys
                decoded = self._decode(token, refresh=True)
            jwt.JWTClaimsRegistry(iss={"essential": True, "value": self.settings.issuer.rstrip("/")},
                                  aud={"essential": True, "value": self.settings.audience},
                                  sub={"essential": True}, exp={"essential": True},
                                  **({"nonce": {"essential": True, "value": nonce}} if nonce else {})).validate(decoded.claims)
        except (ValueError, JoseError) as exc:
            raise OidcError(f"invalid token: {type(exc).__name__}: {exc}") from None
        claims = decoded.claims
        theirs = claims.get(self.settings.groups_claim) or []
        theirs = [theirs] if isinstance(theirs, str) else [str(group) for group in theirs]
        return ApiKey(id=f"oidc:{claims['sub']}", role=self._role(theirs), sha256="", name=str(claims.get("email", "")),
                      source="oidc", groups=self._groups(theirs))

    def _groups(self, theirs: list[str]) -> tuple[str, ...]:
        if self.settings.group_map:
            return tuple(self.settings.group_map[group] for group in theirs if group in self.settings.group_map)
        return tuple(group.lower() for group in theirs if _GROUP_NAME.match(group.lower()))

    def _role(self, theirs: list[str]) -> str:
        if set(theirs) & set(self.settings.admin_groups):
            return "admin"
        return "operator" if set(theirs) & set(self.settings.operator_groups) else "reader"
