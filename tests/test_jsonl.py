"""The shared JSON-lines appender: no line is torn or lost while several processes and threads append
and another rewrites the file (as audit retention pruning does beside a live server)."""

from __future__ import annotations

import json
import os
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import pytest

from llmops.ops.jsonl import JsonLinesFile

WRITERS, LINES_PER_WRITER = 3, 200


def _append(path: str, writer: int, durable: bool) -> None:
    target = JsonLinesFile(Path(path), durable)
    with ThreadPoolExecutor(2) as threads:
        list(threads.map(lambda n: target.append(json.dumps({"writer": writer, "n": n, "text": "ä" * 200})),
                         range(LINES_PER_WRITER)))


def _rewrite(path: str, until: str) -> None:
    """Read everything and write it back through a temporary file, under the appenders' lock, until
    the appenders are done (file ``until`` exists)."""
    target = JsonLinesFile(Path(path))
    while not Path(until).exists():
        with target.locked():
            if target.path.exists():
                kept = target.path.read_text(encoding="utf-8")
                tmp = target.path.with_name(target.path.name + ".tmp")
                tmp.write_text(kept, encoding="utf-8")
                os.replace(tmp, target.path)


@pytest.mark.parametrize("durable", [False, True])
def test_appends_survive_concurrent_writers_and_rewrites(tmp_path: Path, durable: bool) -> None:
    path, done = str(tmp_path / "nested" / "log.jsonl"), tmp_path / "done"
    with ProcessPoolExecutor(WRITERS + 1) as processes:
        rewrites = processes.submit(_rewrite, path, str(done))
        list(processes.map(_append, [path] * WRITERS, range(WRITERS), [durable] * WRITERS))
        done.touch()
        rewrites.result()
    rows = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines()]
    assert sorted((row["writer"], row["n"]) for row in rows) == \
        [(w, n) for w in range(WRITERS) for n in range(LINES_PER_WRITER)]
    with pytest.raises(ValueError, match="newline"):
        JsonLinesFile(Path(path)).append('{"a": 1}\n{"b": 2}')
