"""Append-only JSON-lines files shared by writers in several threads and processes.

The audit log, the feedback store and the run-failure log are each appended to by whichever
process serves or runs (several API workers, a CLI prune, the Dagster daemon). Whole lines are
written under an exclusive ``flock`` on a side file (``<name>.lock``): ``flock`` locks belong to
the open file, so they exclude other threads of the same process as well as other processes,
and a rewrite (retention pruning) can take the same lock.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class JsonLinesFile:
    """One append-only file of text lines; ``durable`` fsyncs each append before returning."""

    def __init__(self, path: Path, durable: bool = False) -> None:
        self.path = Path(path)
        self.durable = durable

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Exclusive access for appends and rewrites of the file."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_name(self.path.name + ".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def replace_lines(self, lines: list[str]) -> None:
        """Rewrite the whole file with ``lines`` (each ending in a newline), atomically: written
        aside, then renamed over it. Call it inside ``locked()`` so no append is lost."""
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text("".join(lines), encoding="utf-8")
        os.replace(tmp, self.path)

    def append(self, line: str) -> None:
        """Append one line (``line`` holds no newline: one record, one line)."""
        if "\n" in line:
            raise ValueError("a JSON-lines record must not contain a newline")
        with self.locked(), self.path.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")
            if self.durable:
                handle.flush()
                os.fsync(handle.fileno())
