"""The answers feedback may rate, on disk: they outlive the process, expire with the window, are
capped in number, survive a torn line and are encrypted at rest like the audit log. (A real server
restarted on the same file: tests/test_serving.py.)"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from llmops.ops.at_rest import KEY_ENV, AtRestError, generate_key
from llmops.ops.responses import Remembered, ResponseMemory

DAY = 86400.0


def _answer(n: int, age_s: float = 0.0, key_id: str | None = "k1") -> Remembered:
    return Remembered(f"question {n} about <PERSON_1>", f"answer {n}", "assistant:3", key_id, time.time() - age_s)


def test_answers_outlive_the_process_until_the_window_or_the_cap_drops_them(tmp_path: Path) -> None:
    path = tmp_path / "feedback" / "responses.jsonl"
    memory = ResponseMemory(capacity=3, window_s=DAY, path=path)
    memory.put("old", _answer(0, age_s=2 * DAY))  # older than the window: never rateable
    for n in range(1, 5):
        memory.put(f"r{n}", _answer(n, key_id=None if n == 4 else "k1"))
    assert memory.get("old") is None and memory.get("r1") is None  # expired; pushed out by newer ones

    reloaded = ResponseMemory(capacity=3, window_s=DAY, path=path)
    assert [reloaded.get(f"r{n}") for n in range(2, 5)] == [memory.get(f"r{n}") for n in range(2, 5)]
    assert reloaded.get("r4").key_id is None and reloaded.get("r2").question == "question 2 about <PERSON_1>"
    assert reloaded.get("old") is None and reloaded.get("r1") is None
    text = path.read_text(encoding="utf-8")
    assert '"old"' not in text and '"r1"' not in text and len(text.splitlines()) == 3  # pruned on disk at startup

    shorter = ResponseMemory(capacity=3, window_s=0.5, path=path)
    time.sleep(0.6)
    assert shorter.get("r4") is None  # the window runs out while serving too
    shorter.put("r5", _answer(5))  # a compaction is due after the window: the expired leave the file
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 and '"r5"' in lines[0]


def test_the_file_is_compacted_every_capacity_answers(tmp_path: Path) -> None:
    path = tmp_path / "responses.jsonl"
    memory = ResponseMemory(capacity=3, window_s=DAY, path=path)
    for n in range(7):
        memory.put(f"r{n}", _answer(n))
    assert len(path.read_text(encoding="utf-8").splitlines()) == 4  # 3 kept at the 6th answer, then one appended
    assert [memory.get(f"r{n}") is not None for n in range(7)] == [False] * 4 + [True] * 3


def test_a_torn_line_costs_only_itself(tmp_path: Path) -> None:
    path = tmp_path / "responses.jsonl"
    ResponseMemory(path=path).put("r1", _answer(1))
    with path.open("a", encoding="utf-8") as handle:
        handle.write('{"id": "r2", "question": "cut o')  # a write cut short, no line break
    memory = ResponseMemory(path=path)
    assert memory.get("r1") is not None and memory.get("r2") is None
    memory.put("r3", _answer(3))  # appended on a clean line: the torn one was dropped at startup
    again = ResponseMemory(path=path)
    assert again.get("r1") is not None and again.get("r3") is not None
    assert len(path.read_text(encoding="utf-8").splitlines()) == 2


def test_lines_are_encrypted_at_rest_with_the_audit_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "responses.jsonl"
    ResponseMemory(path=path).put("plain", _answer(0))  # written before the key was set
    monkeypatch.setenv(KEY_ENV, generate_key())
    memory = ResponseMemory(path=path)  # startup rewrites the older plaintext line encrypted
    memory.put("secret", _answer(1))
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and all(line.startswith("gAAAAA") for line in lines)
    assert "question" not in path.read_text(encoding="utf-8")
    assert ResponseMemory(path=path).get("plain").answer == "answer 0"
    monkeypatch.delenv(KEY_ENV)
    with pytest.raises(AtRestError, match=KEY_ENV):
        ResponseMemory(path=path)
