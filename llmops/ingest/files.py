"""Which files of the raw folder ingestion may read, and how it opens them.

Ingestion finds the files of the raw folder with `walk` and opens them with `open_regular` (the
readers of every format get the opened file, never a path), so one set of rules keeps ingestion
inside the root it was given:

- only regular files are read; device files, FIFOs and sockets are reported with the reason and
  never opened (opening a FIFO blocks until something writes to it);
- a symbolic link is not followed, unless ``follow_symlinks`` is set, and then only to a regular
  file whose resolved path stays inside the root; a linked folder is never descended into;
- names starting with "." are not part of the corpus, nor are two files at the top of the raw
  folder: ``questions.jsonl``, the retrieval evaluation's question set (`llmops.retrieval.evaluation`),
  and ``access.yaml``, the access map (`llmops.ingest.access`).
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

# O_NONBLOCK: a FIFO swapped in after the walk opens at once instead of blocking (then fstat rejects it).
QUESTIONS_FILE = "questions.jsonl"
ACCESS_FILE = "access.yaml"
_OPEN_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC


@dataclass(frozen=True)
class RawFile:
    """A regular file to read: ``rel`` names it in the corpus, ``path`` is what gets opened (the
    resolved target for a followed link), ``size`` in bytes."""

    rel: str
    path: Path
    size: int


@dataclass(frozen=True)
class Skipped:
    """An entry of the raw folder that is not read, and why."""

    rel: str
    reason: str


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode):
        return "character device"
    if stat.S_ISBLK(mode):
        return "block device"
    return "special file"


def _link(path: Path, rel: str, inside: Path, follow_symlinks: bool) -> RawFile | Skipped:
    target = os.readlink(path)
    if not follow_symlinks:
        return Skipped(rel, f"symbolic link to {target}: not followed (only regular files are read; "
                            "follow_symlinks reads links that stay inside the raw folder)")
    try:
        resolved = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return Skipped(rel, f"broken symbolic link to {target}")
    if not resolved.is_relative_to(inside):
        return Skipped(rel, f"symbolic link to {target}, outside the raw folder: not followed")
    info = resolved.stat()
    if stat.S_ISDIR(info.st_mode):
        return Skipped(rel, f"symbolic link to the folder {target}: linked folders are not descended into")
    if not stat.S_ISREG(info.st_mode):
        return Skipped(rel, f"symbolic link to a {_kind(info.st_mode)}: never opened")
    return RawFile(rel, resolved, info.st_size)


def _classify(path: Path, rel: str, inside: Path, follow_symlinks: bool) -> RawFile | Skipped | None:
    """The entry as a file to read or a skip with its reason; None for a real folder (walked into)."""
    try:
        info = path.lstat()
        if stat.S_ISDIR(info.st_mode):
            return None
        if stat.S_ISREG(info.st_mode):
            return RawFile(rel, path, info.st_size)
        if stat.S_ISLNK(info.st_mode):
            return _link(path, rel, inside, follow_symlinks)
    except OSError as exc:
        return Skipped(rel, f"cannot inspect: {exc.strerror}")
    return Skipped(rel, f"{_kind(info.st_mode)}, not a regular file: never opened")


def walk(root: Path, follow_symlinks: bool = False) -> Iterator[RawFile | Skipped]:
    """Every visible entry under ``root`` that is not a real folder, in path order: regular files
    to read, and everything else (links, special files, unreadable folders) with its reason."""
    root = Path(root)
    inside = root.resolve()
    found: list[tuple[tuple[str, ...], RawFile | Skipped]] = []
    unreadable: list[OSError] = []
    for folder, dirnames, filenames in os.walk(root, onerror=unreadable.append):  # never follows links
        for name in (*dirnames, *filenames):
            path = Path(folder, name)
            rel = path.relative_to(root)
            if name.startswith(".") or rel.as_posix() in (QUESTIONS_FILE, ACCESS_FILE):
                continue
            if item := _classify(path, rel.as_posix(), inside, follow_symlinks):
                found.append((rel.parts, item))
    for error in unreadable:
        rel = Path(error.filename).relative_to(root)
        found.append((rel.parts, Skipped(rel.as_posix(), f"cannot list folder: {error.strerror}")))
    for _, item in sorted(found, key=lambda pair: pair[0]):
        yield item


def open_regular(path: Path) -> BinaryIO:
    """Open ``path`` for reading if it is (still) a regular file, never through a final symbolic
    link and never blocking on a FIFO; OSError otherwise."""
    fd = os.open(path, _OPEN_FLAGS)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise OSError(f"{path.name} is a {_kind(mode)}, not a regular file")
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def file_sha256(path: Path) -> str:
    """SHA-256 of a regular file's bytes, read in 1 MiB blocks through `open_regular`."""
    digest = hashlib.sha256()
    with open_regular(path) as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()
