"""Ingestion reads regular files under the raw folder only, with real links, FIFOs and sockets: nothing
from outside the root reaches a document or the quarantine folder, and nothing blocks."""

import os
import signal
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from llmops.ingest.files import RawFile, walk
from llmops.ingest.raw_documents import IngestSettings, read_documents, write_quarantine

SECRET = "SECRET-7781 payroll of the board"


@contextmanager
def _fails_instead_of_hanging(seconds: int = 30) -> Iterator[None]:
    """Opening a FIFO without a writer blocks for ever: turn that into a failure."""
    def timeout(*_: object) -> None:
        raise TimeoutError("ingestion blocked (did it open the FIFO?)")
    previous = signal.signal(signal.SIGALRM, timeout)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def raw(tmp_path: Path) -> Iterator[Path]:
    outside = tmp_path / "outside"
    (outside / "private").mkdir(parents=True)
    (outside / "secret.txt").write_text(SECRET)
    (outside / "private" / "salaries.txt").write_text(SECRET)
    root = tmp_path / "raw"
    (root / "manuals").mkdir(parents=True)
    (root / "manuals" / "pump.md").write_text("# Pump\n\nBleed the valve before use.")
    (root / "notes.txt").write_text("Replace the filter every month.")
    (root / "leak.txt").symlink_to(outside / "secret.txt")  # absolute link out of the root
    (root / "manuals" / "relative.txt").symlink_to(Path("..", "..", "outside", "secret.txt"))  # relative escape
    (root / "hop.txt").symlink_to(root / "leak.txt")  # a link inside the root to a link out of it
    (root / "latest.md").symlink_to(Path("manuals", "pump.md"))  # stays inside the root
    (root / "shared").symlink_to(outside / "private", target_is_directory=True)
    (root / "handbook").symlink_to("manuals", target_is_directory=True)  # a folder inside the root
    (root / "gone.txt").symlink_to(root / "missing.txt")
    os.mkfifo(root / "pipe.txt")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(root / "agent.sock"))
    yield root
    server.close()


def _everything_written(folder: Path) -> str:
    return "".join(p.read_bytes().decode("utf-8", "replace") for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def test_links_and_special_files_are_quarantined_unread(raw: Path, tmp_path: Path) -> None:
    with _fails_instead_of_hanging():
        result = read_documents(raw)
    assert sorted(d.source for d in result.documents) == ["manuals/pump.md", "notes.txt"]
    reasons = {q.source: q.reason for q in result.quarantined}
    links = ("leak.txt", "manuals/relative.txt", "hop.txt", "latest.md", "shared", "handbook", "gone.txt")
    assert set(reasons) == {*links, "pipe.txt", "agent.sock"}
    for link in links:
        assert reasons[link].startswith("symbolic link to ") and "not followed" in reasons[link]
    assert "named pipe (FIFO), not a regular file: never opened" in reasons["pipe.txt"]
    assert "socket, not a regular file" in reasons["agent.sock"]
    assert result.records_seen == len(result.documents) + result.duplicates + len(result.quarantined) == 11
    assert SECRET not in result.to_frame().to_json()

    target = write_quarantine(result, tmp_path / "quarantine")
    assert SECRET not in _everything_written(target)
    assert not (target / "files").exists()  # reasons only, never a copy
    assert len((target / "reasons.jsonl").read_text().splitlines()) == len(result.quarantined)


def test_following_links_stays_inside_the_root(raw: Path, tmp_path: Path) -> None:
    with _fails_instead_of_hanging():
        result = read_documents(raw, IngestSettings(follow_symlinks=True))
    # latest.md is read (first in path order); its target manuals/pump.md then counts as its duplicate
    assert sorted(d.source for d in result.documents) == ["latest.md", "notes.txt"] and result.duplicates == 1
    reasons = {q.source: q.reason for q in result.quarantined}
    assert set(reasons) == {"leak.txt", "manuals/relative.txt", "hop.txt", "shared", "handbook", "gone.txt", "pipe.txt",
                            "agent.sock"}
    for escape in ("leak.txt", "manuals/relative.txt", "hop.txt", "shared"):
        assert "outside the raw folder: not followed" in reasons[escape]
    assert "linked folders are not descended into" in reasons["handbook"]
    assert reasons["gone.txt"].startswith("broken symbolic link")
    assert not any(d.source.startswith(("shared/", "handbook/")) for d in result.documents)
    assert SECRET not in result.to_frame().to_json()
    assert SECRET not in _everything_written(write_quarantine(result, tmp_path / "quarantine"))


def test_walk_lists_only_regular_files_to_read(raw: Path) -> None:
    entries = list(walk(raw))
    assert [e.rel for e in entries if isinstance(e, RawFile)] == ["manuals/pump.md", "notes.txt"]
    assert [e.rel for e in entries] == sorted((e.rel for e in entries), key=lambda rel: Path(rel).parts)
