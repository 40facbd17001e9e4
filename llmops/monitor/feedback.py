"""User feedback on served answers: an append-only JSON-lines store shared by serving and training.

Serving (``POST /v1/feedback``) appends one record per rating; the ``feedback`` asset reads them and
turns corrections into new SFT pairs. Everything stored here is already PII-scrubbed by the writer.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from llmops.ops.jsonl import JsonLinesFile
from llmops.train.sft_dataset import Pair

FEEDBACK_KIND = "feedback"  # the ``kind`` of SFT pairs that come from user corrections


def served_model_id(model_name: str, version: str | int) -> str:
    """How serving names the registered version that answered (``model_version`` of each record)."""
    return f"{model_name}:{version}"


@dataclass(frozen=True)
class FeedbackRecord:
    """One rating of one response; ``rating`` is +1 (helpful) or -1 (not helpful)."""

    response_id: str
    rating: int
    question: str
    answer: str
    model_version: str
    created_at: float
    correction: str | None = None
    key_id: str | None = None
    # access groups of the passages the answer came from: a correction of an answer from a group's
    # documents may repeat them, so it trains the shared model only if the group may (`feedback` asset)
    source_groups: list[str] | None = None

    def __post_init__(self) -> None:
        if self.rating not in (1, -1):
            raise ValueError(f"rating must be 1 or -1, got {self.rating!r}")


@dataclass(frozen=True)
class FeedbackRead:
    """Records that parsed, and the line numbers (1-based) with the reason for those that did not."""

    records: list[FeedbackRecord]
    bad_lines: list[tuple[int, str]]


class FeedbackStore:
    """Append-only JSON lines; appends are serialized (threads and processes) and on disk before returning."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._file = JsonLinesFile(self.path, durable=True)  # a rating is acknowledged only once it is stored

    def append(self, record: FeedbackRecord) -> None:
        self._file.append(json.dumps(asdict(record), ensure_ascii=False))

    def read(self, since: float | None = None) -> FeedbackRead:
        """All records (optionally only those created at or after ``since``); bad lines are reported, not fatal."""
        records: list[FeedbackRecord] = []
        bad: list[tuple[int, str]] = []
        if not self.path.exists():
            return FeedbackRead(records, bad)
        with self.path.open(encoding="utf-8", errors="replace") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    record = FeedbackRecord(**json.loads(line))
                except (json.JSONDecodeError, TypeError, ValueError) as exc:
                    bad.append((number, f"{type(exc).__name__}: {exc}"))
                    continue
                if since is None or record.created_at >= since:
                    records.append(record)
        return FeedbackRead(records, bad)


def correction_pairs(records: Iterable[FeedbackRecord], scrub: Callable[[list[str]], list[str]]) -> list[Pair]:
    """User corrections as SFT pairs (question -> corrected answer), scrubbed again before training.

    Serving scrubs on write, but the training set is the last gate before weights: a correction
    typed by a person is scrubbed here too. The newest correction of a response wins; blank ones
    are ignored."""
    latest: dict[str, FeedbackRecord] = {}
    for record in sorted(records, key=lambda r: r.created_at):
        if record.correction and record.correction.strip() and record.question.strip():
            latest[record.response_id] = record
    chosen = list(latest.values())
    if not chosen:
        return []
    texts = scrub([text for r in chosen for text in (r.question.strip(), r.correction.strip())])
    return [Pair(texts[2 * i], texts[2 * i + 1], f"feedback-{r.response_id}", FEEDBACK_KIND)
            for i, r in enumerate(chosen)]
