"""Optional encryption at rest for files that hold corpus text or request records.

The key comes from the environment (``LLMOPS_AT_REST_KEY``, a Fernet key from :func:`generate_key`), never from a file next to the data it protects.
Several comma-separated keys allow rotation: the first encrypts, all of them decrypt. Without a key
nothing is encrypted, and reading an encrypted file says which variable is missing instead of
failing somewhere downstream on garbage.

Fernet (AES-128-CBC + HMAC-SHA256) authenticates each token, so a tampered or truncated file is
an error, not silently wrong data. Whole files are one token; JSON-lines logs are one token per
line, so appends stay appends.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

KEY_ENV = "LLMOPS_AT_REST_KEY"
# Every Fernet token starts with version byte 0x80, which base64url-encodes to "gAAAAA".
TOKEN_PREFIX = b"gAAAAA"


class AtRestError(ValueError):
    """A missing or wrong key for data that is encrypted (or a malformed key)."""


def generate_key() -> str:
    return Fernet.generate_key().decode("ascii")


class Cipher:
    """Encrypts with the first key, decrypts with any of them."""

    def __init__(self, keys: str) -> None:
        parts = [part.strip() for part in keys.split(",") if part.strip()]
        if not parts:
            raise AtRestError(f"{KEY_ENV} is set but empty")
        try:
            self._fernet = MultiFernet([Fernet(part.encode("ascii")) for part in parts])
        except (ValueError, UnicodeEncodeError) as exc:
            raise AtRestError(f"{KEY_ENV} must hold Fernet keys (32 url-safe base64 bytes): {exc}") from exc

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Cipher | None:
        """The configured cipher, or None when encryption at rest is off."""
        value = (os.environ if environ is None else environ).get(KEY_ENV)
        return cls(value) if value else None

    def encrypt(self, data: bytes) -> bytes:
        return self._fernet.encrypt(data)

    def decrypt(self, token: bytes) -> bytes:
        try:
            return self._fernet.decrypt(token)
        except InvalidToken as exc:
            raise AtRestError(f"cannot decrypt: wrong {KEY_ENV} or the data was altered") from exc

    def encrypt_line(self, line: str) -> str:
        """One log line (without its newline) → one ASCII token line."""
        return self.encrypt(line.encode("utf-8")).decode("ascii")


def is_encrypted(data: bytes) -> bool:
    return data.startswith(TOKEN_PREFIX)


def write_bytes(path: Path, data: bytes, cipher: Cipher | None) -> None:
    """Write ``data``, encrypted when a cipher is configured."""
    Path(path).write_bytes(cipher.encrypt(data) if cipher else data)


def read_bytes(path: Path, cipher: Cipher | None) -> bytes:
    """Read a file written by :func:`write_bytes` with or without encryption."""
    data = Path(path).read_bytes()
    if not is_encrypted(data):
        return data
    if cipher is None:
        raise AtRestError(f"{path} is encrypted at rest: set {KEY_ENV} to read it")
    return cipher.decrypt(data)


def encode_line(text: str, cipher: Cipher | None) -> str:
    """A JSON-lines record as it is written: a Fernet token when a key is configured, else the text."""
    return cipher.encrypt_line(text) if cipher else text


def decode_line(line: str, cipher: Cipher | None) -> str:
    """A JSON-lines record as written: plaintext lines pass through, token lines are decrypted."""
    stripped = line.strip()
    if not stripped.startswith(TOKEN_PREFIX.decode()):
        return line
    if cipher is None:
        raise AtRestError(f"encrypted log line found: set {KEY_ENV} to read it")
    return cipher.decrypt(stripped.encode("ascii")).decode("utf-8")
