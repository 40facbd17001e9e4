"""The answers ``/v1/feedback`` may still rate, remembered by response id for a window, on disk.

Serving remembers each answer (already scrubbed) so a rating can name it by id without sending it
again. Kept only in memory, every id was lost on a restart, and a rating of an answer given before
it got 404. Each answer is therefore also one appended line of a JSON-lines file (through the
locked ``JsonLinesFile``), a Fernet token per line when ``LLMOPS_AT_REST_KEY`` is set, as in the
audit log: the text is scrubbed but still content. The file is read back on startup.

Appends are not fsynced (the audit log's choice: a disk flush per request): what was written
survives a killed server, only a power loss can cost the last answers. A line torn by a crash
mid-write is skipped when read. Startup, and then every ``capacity`` answers or every window (at
most an hour), rewrites the file with only the entries younger than the window and among the newest
``capacity``: a torn tail is gone before the next append, and text older than the window does not
stay on disk.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from llmops.ops.at_rest import AtRestError, Cipher, decode_line, encode_line
from llmops.ops.jsonl import JsonLinesFile

log = logging.getLogger(__name__)

DEFAULT_WINDOW_HOURS = 24.0
DEFAULT_CAPACITY = 10_000
MAX_COMPACTION_INTERVAL_S = 3600.0


def default_responses_path(home: Path) -> Path:
    """Beside the feedback store by default; ``LLMOPS_RESPONSES_PATH`` puts it elsewhere."""
    return Path(os.environ.get("LLMOPS_RESPONSES_PATH", str(home / "feedback" / "responses.jsonl")))


@dataclass(frozen=True)
class Remembered:
    """One answer as feedback stores it: scrubbed texts, the version that answered and the key that asked."""

    question: str
    answer: str
    model_version: str
    key_id: str | None
    created_at: float
    source_groups: list[str] | None = None  # access groups of the passages the answer was given from


class ResponseMemory:
    """The newest ``capacity`` answers of the last ``window_s`` seconds; with a ``path``, also on disk
    and loaded from there, so they outlive the process."""

    def __init__(self, capacity: int = DEFAULT_CAPACITY, window_s: float = DEFAULT_WINDOW_HOURS * 3600,
                 path: Path | None = None) -> None:
        if capacity < 1 or window_s <= 0:
            raise ValueError(f"need capacity >= 1 and a positive window, got {capacity} and {window_s} s")
        self.capacity = capacity
        self.window_s = window_s
        self._items: OrderedDict[str, Remembered] = OrderedDict()
        self._lock = threading.Lock()
        self._file = JsonLinesFile(path) if path is not None else None
        self._cipher = Cipher.from_env()
        self._appended = 0
        self._compacted_at = time.time()
        if self._file is not None:
            self._items.update(self._compact())

    def put(self, response_id: str, item: Remembered) -> None:
        with self._lock:
            self._items[response_id] = item
            cutoff = time.time() - self.window_s  # the oldest come first: drop the expired and the surplus
            while self._items and (len(self._items) > self.capacity or next(iter(self._items.values())).created_at < cutoff):
                self._items.popitem(last=False)
            if self._file is None:
                return
            self._file.append(self._encode(response_id, item))
            self._appended += 1
            if self._appended >= self.capacity or time.time() - self._compacted_at >= min(self.window_s, MAX_COMPACTION_INTERVAL_S):
                self._compact()

    def get(self, response_id: str) -> Remembered | None:
        """The answer, unless unknown, pushed out by newer ones, or older than the window."""
        with self._lock:
            item = self._items.get(response_id)
        return item if item is not None and item.created_at >= time.time() - self.window_s else None

    def _encode(self, response_id: str, item: Remembered) -> str:
        text = json.dumps({"id": response_id, **asdict(item)}, ensure_ascii=False)
        return encode_line(text, self._cipher)

    def _compact(self) -> OrderedDict[str, Remembered]:
        """Rewrite the file with the live entries (encrypted with the current key); return them, oldest first."""
        cutoff = time.time() - self.window_s
        live: OrderedDict[str, Remembered] = OrderedDict()
        with self._file.locked():
            if self._file.path.exists():
                for response_id, item in self._read():
                    if item.created_at >= cutoff:
                        live.pop(response_id, None)
                        live[response_id] = item
                while len(live) > self.capacity:
                    live.popitem(last=False)
                self._file.replace_lines([self._encode(rid, item) + "\n" for rid, item in live.items()])
        self._appended, self._compacted_at = 0, time.time()
        return live

    def _read(self) -> Iterator[tuple[str, Remembered]]:
        """The file's entries in order; lines that do not parse (torn by a crash) are skipped and counted."""
        unreadable = 0
        with self._file.path.open(encoding="utf-8", errors="replace") as handle:
            for line in handle:
                if not line.strip():
                    continue
                try:
                    row = json.loads(decode_line(line, self._cipher))
                    response_id, item = row.pop("id"), Remembered(**row)
                except AtRestError:
                    if self._cipher is None:
                        raise  # encrypted, and no key: say so rather than drop every line
                    unreadable += 1  # a torn token, or one of a key no longer configured
                    continue
                except (json.JSONDecodeError, TypeError, KeyError, AttributeError):
                    unreadable += 1
                    continue
                yield response_id, item
        if unreadable:
            log.warning("%s: dropped %d unreadable lines", self._file.path, unreadable)
