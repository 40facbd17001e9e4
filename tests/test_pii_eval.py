"""The scrubber on the labeled evaluation set (tests/data/pii_eval.jsonl): behaviour, not speed.

Scoring is bench/pii.py's, so the test and the benchmark cannot drift apart.
"""

from __future__ import annotations

import pytest

from bench.pii import TARGET_OVERALL, TARGET_PER_TYPE, TARGET_RETENTION, load_eval_set, score
from llmops.pii.scrubber import Scrubber


@pytest.fixture(scope="module")
def eval_score():
    rows = load_eval_set()
    outputs = [r.text for r in Scrubber().scrub_many([row["text"] for row in rows])]
    return score(rows, outputs)


def test_eval_set_is_large_and_varied() -> None:
    rows = load_eval_set()
    assert len(rows) >= 300
    assert len({row["id"].rsplit("-", 1)[0] for row in rows}) >= 9


def test_recall_overall_and_per_type(eval_score) -> None:
    assert eval_score.recall() >= TARGET_OVERALL, eval_score.misses[:20]
    low = {e: eval_score.recall(e) for e in eval_score.total if eval_score.recall(e) < TARGET_PER_TYPE}
    assert low == {}, eval_score.misses[:20]


def test_hard_negatives_survive(eval_score) -> None:
    assert eval_score.retention >= TARGET_RETENTION, eval_score.lost[:20]
