"""API keys with roles, stored only as SHA-256 hashes.

Keys are random (256 bits), so a plain SHA-256 is enough: there is nothing to brute-force, and a
leaked key file grants nothing. Keys come from a JSON file managed by ``llmops keys`` and,
for deployments that inject secrets, from ``LLMOPS_API_KEYS`` (``id:role:sha256hex`` entries,
comma-separated, optionally ``:group+group`` after the hash; compute the hash with
``printf %s "$KEY" | sha256sum``). The server re-reads the
file when it changes, so ``llmops keys revoke`` takes effect without a restart.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from llmops.ingest.access import parse_groups

# Each role may do what the ones before it may: readers ask, search and rate answers, operators also
# make the server follow the registry now, admins also export everyone's feedback and read every
# document whatever its groups.
ROLES = ("reader", "operator", "admin")
ENV_VAR = "LLMOPS_API_KEYS"
KEY_PREFIX = "llmk_"
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


def hash_key(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class RateLimits:
    """Requests and generated tokens per minute (enforced by `llmops.serving.quotas`)."""

    rpm: int
    tpm: int

    def __post_init__(self) -> None:
        if self.rpm < 1 or self.tpm < 1:
            raise ValueError(f"rate limits must be at least 1 per minute, got rpm={self.rpm} tpm={self.tpm}")


# A reader is a person at the chat page or a script: one question every second or so, and a
# few hundred tokens per answer. Admins run evaluations and load checks through the API.
DEFAULT_ROLE_LIMITS = {"reader": RateLimits(rpm=60, tpm=20_000), "operator": RateLimits(rpm=120, tpm=40_000),
                       "admin": RateLimits(rpm=600, tpm=200_000)}


def role_allows(role: str, required: str) -> bool:
    """Whether ``role`` is ``required`` or comes after it in ``ROLES``."""
    return ROLES.index(role) >= ROLES.index(required)


@dataclass(frozen=True)
class ApiKey:
    id: str
    role: str
    sha256: str
    name: str = ""
    created_at: float = 0.0
    revoked_at: float | None = None
    source: str = "file"  # "file" or "env"; env keys cannot be revoked from the CLI
    rpm: int | None = None  # None: the role's default
    tpm: int | None = None
    groups: tuple[str, ...] = ()  # access groups whose documents it may read (besides everyone's); admins read all

    def __post_init__(self) -> None:
        object.__setattr__(self, "groups", parse_groups(self.groups, f"key {self.id} groups"))

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    @property
    def reads_all(self) -> bool:
        """Whether this key reads every group's documents (admins do; the one place that says so)."""
        return self.role == "admin"

    def limits(self, role_limits: dict[str, RateLimits] = DEFAULT_ROLE_LIMITS) -> RateLimits:
        """This key's own limits where it has them, else its role's."""
        default = role_limits[self.role]
        return RateLimits(self.rpm or default.rpm, self.tpm or default.tpm)


def default_keys_path(home: Path) -> Path:
    return Path(os.environ.get("LLMOPS_API_KEYS_FILE", str(home / "api_keys.json")))


def parse_env_keys(value: str) -> list[ApiKey]:
    """``id:role:sha256hex[:group+group]`` entries; a malformed entry is an error, never silently skipped."""
    keys = []
    for entry in filter(None, (part.strip() for part in value.split(","))):
        parts = entry.split(":")
        if len(parts) not in (3, 4) or parts[1] not in ROLES or not _HEX64.match(parts[2].lower()):
            raise ValueError(f"{ENV_VAR}: entry {entry.split(':')[0]!r} is not 'id:role:sha256hex[:group+group]' "
                             f"with role in {ROLES}")
        groups = parts[3].split("+") if len(parts) == 4 else ()
        keys.append(ApiKey(id=parts[0], role=parts[1], sha256=parts[2].lower(), source="env", groups=groups))
    return keys


class KeyStore:
    """File-backed keys plus environment keys; lookups reload the file when its mtime changes."""

    def __init__(self, path: Path, env_value: str | None = None) -> None:
        self.path = Path(path)
        self._env = parse_env_keys(env_value or "")
        self._lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._file_keys: list[ApiKey] = []

    @classmethod
    def from_env(cls, path: Path) -> KeyStore:
        return cls(path, os.environ.get(ENV_VAR))

    def _stat(self) -> tuple[int, int] | None:
        try:
            info = self.path.stat()
        except FileNotFoundError:
            return None
        return info.st_mtime_ns, info.st_size

    def _load(self) -> list[ApiKey]:
        if not self.path.exists():
            return []
        try:
            rows = json.loads(self.path.read_text(encoding="utf-8"))["keys"]
            return [ApiKey(**row) for row in rows]
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise ValueError(f"{self.path}: not a valid key file ({type(exc).__name__}: {exc})") from exc

    def keys(self) -> list[ApiKey]:
        """All keys (file first, then environment), reloading the file if it changed."""
        with self._lock:
            stamp = self._stat()
            if stamp != self._stamp:
                self._file_keys, self._stamp = self._load(), stamp
            return [*self._file_keys, *self._env]

    def authenticate(self, secret: str) -> ApiKey | None:
        """The active key with this secret, or None (unknown or revoked)."""
        digest = hash_key(secret)
        for key in self.keys():
            if key.active and secrets.compare_digest(key.sha256, digest):
                return key
        return None

    def _save(self, keys: list[ApiKey]) -> None:
        """Atomic replace with owner-only permissions, so a reader never sees half a file."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".api_keys.")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump({"keys": [{k: v for k, v in asdict(key).items() if k != "source"} for key in keys]}, handle, indent=1)
        os.chmod(tmp, 0o600)
        os.replace(tmp, self.path)

    def create(self, role: str, name: str = "", rpm: int | None = None, tpm: int | None = None,
               groups: tuple[str, ...] = ()) -> tuple[ApiKey, str]:
        """A new key (``rpm``/``tpm``: its own rate limits, else its role's; ``groups``: the access
        groups it reads); the secret is returned once and only its hash is stored."""
        if role not in ROLES:
            raise ValueError(f"role must be one of {ROLES}, got {role!r}")
        RateLimits(1 if rpm is None else rpm, 1 if tpm is None else tpm)  # checks the values given
        secret = KEY_PREFIX + secrets.token_urlsafe(32)
        key = ApiKey(id=f"key_{secrets.token_hex(4)}", role=role, sha256=hash_key(secret), name=name, created_at=time.time(),
                     rpm=rpm, tpm=tpm, groups=groups)
        with self._lock:
            self._save([*self._load(), key])
        return key, secret

    def set_groups(self, key_id: str, change: Callable[[tuple[str, ...]], Iterable[str]]) -> tuple[ApiKey, ApiKey]:
        """(before, after) of the file key ``key_id`` once its groups are ``change(groups)``."""
        with self._lock:
            keys = self._load()
            before = self._file_key(keys, key_id)
            after = replace(before, groups=tuple(change(before.groups)))
            self._save([after if k.id == key_id else k for k in keys])
        return before, after

    def _file_key(self, keys: list[ApiKey], key_id: str) -> ApiKey:
        match = next((k for k in keys if k.id == key_id), None)
        if match is None:
            env = any(k.id == key_id for k in self._env)
            raise LookupError(f"key {key_id!r} " + (f"comes from ${ENV_VAR}; change it there" if env else f"not found in {self.path}"))
        return match

    def revoke(self, key_id: str) -> ApiKey:
        with self._lock:
            keys = self._load()
            match = self._file_key(keys, key_id)
            if match.active:
                match = replace(match, revoked_at=time.time())
                self._save([match if k.id == key_id else k for k in keys])
        return match
