"""Audit trail of the serving API: one JSON line per request, never any raw prompt text.

Records carry who (key id, role, access groups), what (endpoint, status, model version, the chunk
ids a search returned or an answer used), how long, and the
SHA-256 of the *scrubbed* prompt: enough to match a reported conversation to its record without
the log itself holding personal data (a hash of raw text could be reversed by guessing short
values such as phone numbers). Appends and retention pruning take the same exclusive lock
(``llmops.ops.jsonl``), so ``llmops audit prune`` can run beside a live server without losing records.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

from llmops.ops.at_rest import Cipher, decode_line, encode_line
from llmops.ops.jsonl import JsonLinesFile

DEFAULT_RETENTION_DAYS = 180


@dataclass(frozen=True)
class AuditRecord:
    ts: float
    request_id: str
    method: str
    endpoint: str
    status: int
    latency_ms: float
    key_id: str | None = None
    role: str | None = None
    model_version: str | None = None
    prompt_sha256: str | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    answer_mode: str | None = None  # chat: generated, verified, extractive, not_found or ungrounded
    groups: list[str] | None = None  # the caller's access groups; ["*"] for an admin, who reads every group
    chunk_ids: list[str] | None = None  # search and chat: the chunks returned or used as context

    @property
    def time(self) -> str:
        return datetime.fromtimestamp(self.ts, timezone.utc).isoformat(timespec="milliseconds")


def default_audit_path(home: Path) -> Path:
    return Path(os.environ.get("LLMOPS_AUDIT_PATH", str(home / "audit" / "audit.jsonl")))


def parse_since(value: str) -> float:
    """A cutoff from '7d', '12h', '30m' (ago) or an ISO date/time (UTC when no zone is given)."""
    units = {"d": 86400, "h": 3600, "m": 60}
    if value[:-1].isdigit() and value[-1:] in units:
        return time.time() - int(value[:-1]) * units[value[-1]]
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"--since {value!r}: use e.g. 7d, 12h, 30m or an ISO date such as 2026-01-31") from exc
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).timestamp()


class AuditLog:
    """Append-only JSON lines with retention; bad lines are skipped by readers and kept by pruning."""

    def __init__(self, path: Path, retention_days: float = DEFAULT_RETENTION_DAYS) -> None:
        if retention_days <= 0:
            raise ValueError(f"retention_days must be positive, got {retention_days}")
        self.path = Path(path)
        self.retention_days = retention_days
        self._cipher = Cipher.from_env()  # with LLMOPS_AT_REST_KEY set, each line is a Fernet token
        self._file = JsonLinesFile(self.path)  # not fsynced: one per request would cost every request a disk flush

    def append(self, record: AuditRecord) -> None:
        text = json.dumps({"time": record.time, **asdict(record)}, ensure_ascii=False)
        self._file.append(encode_line(text, self._cipher))

    def records(self, since: float | None = None, key_id: str | None = None, limit: int | None = None) -> list[AuditRecord]:
        """Matching records, oldest first; ``limit`` keeps the newest ones."""
        found = []
        for _, record in self._parse():
            if record and (since is None or record.ts >= since) and (key_id is None or record.key_id == key_id):
                found.append(record)
        return found[-limit:] if limit else found

    def _parse(self) -> Iterator[tuple[str, AuditRecord | None]]:
        """Each line with its record, or None when it does not parse (pruning keeps such lines)."""
        if not self.path.exists():
            return
        fields = set(AuditRecord.__dataclass_fields__)
        with self.path.open(encoding="utf-8", errors="replace") as handle:
            for line in handle:
                if not line.strip():
                    continue
                try:
                    row = json.loads(decode_line(line, self._cipher))  # AtRestError without the key
                    record = AuditRecord(**{k: v for k, v in row.items() if k in fields})
                except (json.JSONDecodeError, TypeError, AttributeError):
                    record = None
                yield line if line.endswith("\n") else line + "\n", record

    def prune(self, now: float | None = None) -> int:
        """Drop records older than the retention period; returns how many were dropped."""
        cutoff = (now or time.time()) - self.retention_days * 86400
        with self._file.locked():
            if not self.path.exists():
                return 0
            kept, dropped = [], 0
            for line, record in self._parse():
                if record is not None and record.ts < cutoff:
                    dropped += 1
                else:
                    kept.append(line)
            if dropped:
                self._file.replace_lines(kept)
        return dropped
