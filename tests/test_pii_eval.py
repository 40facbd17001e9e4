"""The scrubber on the PII evaluation sets: behaviour, not speed. Scoring is bench/pii.py's, so the
test and the benchmark cannot drift apart.

- The seen set (tests/data/pii_eval.jsonl) is the one the scrubber was tuned on: its targets hold
  (with the pipeline's configuration, as in the benchmark).
- The independent sets of issue 18 (tests/data/pii_eval/: Faker documents from 16 locales, Chinese
  documents, real Debian documentation with no personal data) are checked for what they are
  (deterministic, labels on the right spans) and the pipeline scrubber is run on a slice of each.
  Its figures are printed; the floors asserted are the ones the scrubber met when the sets were
  built (issue 18 baseline), a guard against regressions. Issue 18 raises them to its targets
  (bench/pii.py TARGET_*): recall >= 0.98 (person >= 0.97), retention >= 0.97, <= 0.5 false
  placeholders per 10,000 characters, no heading replaced.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from bench.pii import (
    MULTILOCALE,
    REAL,
    SETS_DIR,
    TARGET_OVERALL,
    TARGET_PER_TYPE,
    TARGET_RETENTION,
    ZH,
    PipelineEngine,
    load_eval_set,
    load_jsonl,
    real_slice,
    run,
    score,
    score_labelled,
    score_real,
    spread,
)
from llmops.pii.config import pipeline_config
from llmops.pii.entities import PII_ENTITIES
from llmops.pii.scrubber import Scrubber

# --- the seen set ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def eval_score():
    rows = load_eval_set()
    outputs = [r.text for r in Scrubber(pipeline_config()).scrub_many([row["text"] for row in rows])]
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


# --- the independent sets (issue 18) ---------------------------------------------------------------


def _generator():
    pytest.importorskip("faker")
    path = SETS_DIR / "generate.py"
    spec = importlib.util.spec_from_file_location("pii_eval_generate", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_generated_sets_are_deterministic_and_match_the_shipped_files() -> None:
    gen = _generator()
    first, first_zh = gen.generate()
    again, again_zh = gen.generate()
    assert gen.dumps(first) == gen.dumps(again) and gen.dumps(first_zh) == gen.dumps(again_zh)
    meta = json.loads((SETS_DIR / "multilocale.meta.json").read_text(encoding="utf-8"))
    import faker

    if faker.VERSION != meta["faker"]:
        pytest.skip(f"the shipped set was written with Faker {meta['faker']}, this is {faker.VERSION}")
    assert gen.dumps(first) == MULTILOCALE.read_text(encoding="utf-8")
    assert gen.dumps(first_zh) == ZH.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", [MULTILOCALE, ZH], ids=["multilocale", "zh"])
def test_labels_point_at_their_values(path: Path) -> None:
    rows = load_jsonl(path)
    assert path.stat().st_size < 1_500_000
    for row in rows:
        text = row["text"]
        for e in row["entities"]:
            assert e["type"] in PII_ENTITIES, (row["id"], e)
            assert text[e["start"]:e["end"]] == e["value"], (row["id"], e)
        for n in row["hard_negatives"]:
            assert text[n["start"]:n["end"]] == n["value"], (row["id"], n)
            assert not any(e["start"] < n["end"] and n["start"] < e["end"] for e in row["entities"]), (row["id"], n)


def test_multilocale_set_is_large_and_varied() -> None:
    rows = load_jsonl(MULTILOCALE)
    assert len(rows) >= 300 and len({r["kind"] for r in rows}) >= 12
    person_locales = {e["locale"] for r in rows for e in r["entities"] if e["type"] == "PERSON"}
    assert len(person_locales) >= 8
    ctx = {(e["type"], e["ctx"]) for r in rows for e in r["entities"]}
    for needed in ["role_colon", "joined_slash", "joined_arrow", "joined_amp", "given_alone", "surname_alone"]:
        assert ("PERSON", needed) in ctx
    assert ("PHONE_NUMBER", "digits_only") in ctx
    kinds = {n["kind"] for r in rows for n in r["hard_negatives"]}
    assert {"date", "amount", "company", "product", "section", "version", "command", "ui_word"} <= kinds


def test_real_corpus_labels() -> None:
    rows = load_jsonl(REAL)
    assert REAL.stat().st_size < 2_000_000 and (REAL.parent / "README.md").is_file()
    assert len({r["package"] for r in rows}) >= 4
    for row in rows:
        text = row["text"]
        for start, end in row["headings"]:
            assert text[start:end].startswith("#") and text[start:end].strip() == text[start:end], row["id"]
        for p in row["real_pii"]:
            assert text[p["start"]:p["end"]] == p["value"], (row["id"], p)


# Slices the test scrubs (the benchmark scrubs the whole sets).
MULTILOCALE_SLICE, ZH_SLICE, REAL_SLICE_CHARS = 80, 21, 60_000


@pytest.fixture(scope="module")
def pipeline_figures():
    engine = PipelineEngine()
    labelled = {}
    for name, path, limit in (("multilocale", MULTILOCALE, MULTILOCALE_SLICE), ("zh", ZH, ZH_SLICE)):
        rows = spread(load_jsonl(path), limit)
        labelled[name] = score_labelled(rows, run(engine, [r["text"] for r in rows], warm_up=False).spans)
    rows = real_slice(load_jsonl(REAL), REAL_SLICE_CHARS)
    real = score_real(rows, run(engine, [r["text"] for r in rows], warm_up=False).spans)
    ml, zh = labelled["multilocale"], labelled["zh"]
    print(f"\nmultilocale slice: recall {ml.recall():.3f}, person {ml.recall('PERSON'):.3f}, "
          + ", ".join(f"{e} {ml.recall(e):.3f}" for e in sorted(ml.total))
          + f"; hard-negative retention {ml.retention():.3f}")
    print(f"zh slice: recall {zh.recall():.3f}, person {zh.recall('PERSON'):.3f}, retention {zh.retention():.3f}")
    print(f"real slice: {real.chars:,} characters, {real.false_total} false placeholders = "
          f"{real.per_10k():.2f} per 10k, {real.headings_altered}/{real.headings} headings altered, "
          f"{real.on_real_pii} on real names")
    return labelled, real


# Floors at the issue-18 scrubber (2026-12-07; full-set figures in bench/RESULTS.md, "PII on
# independent sets"), a little under what these slices measured: multilocale recall 0.989, person
# 0.984, every type >= 0.968, retention 0.974; real slice 0.63 false placeholders per 10k (the whole
# corpus: 0.37), 0 of 59 headings altered. The baseline of 2026-12-06 was 0.729 / 0.718 / 0.913 and
# 1.88 per 10k with 1 heading altered.
FLOOR_RECALL, FLOOR_PERSON, FLOOR_RETENTION = 0.975, 0.97, 0.965
FLOOR_ZH_NON_PERSON = TARGET_PER_TYPE
CEILING_FP_PER_10K, CEILING_HEADINGS = 1.0, 0


def test_pipeline_on_the_multilocale_slice(pipeline_figures) -> None:
    score_ = pipeline_figures[0]["multilocale"]
    assert score_.recall() >= FLOOR_RECALL, score_.misses[:20]
    assert score_.recall("PERSON") >= FLOOR_PERSON, score_.misses[:20]
    assert score_.retention() >= FLOOR_RETENTION, score_.lost[:20]
    for entity in score_.total:
        assert score_.recall(entity) >= TARGET_PER_TYPE, [m for m in score_.misses if m["type"] == entity]


def test_pipeline_on_the_zh_slice(pipeline_figures) -> None:
    """Every type, names and addresses included, since the Chinese recognizers (issue 21); this set
    was seen while they were written, so the blind figure is the held-out one in bench/RESULTS.md."""
    score_ = pipeline_figures[0]["zh"]
    for entity in score_.total:
        assert score_.recall(entity) >= FLOOR_ZH_NON_PERSON, [m for m in score_.misses if m["type"] == entity]
    assert score_.retention() >= FLOOR_RETENTION, score_.lost[:20]


def test_pipeline_on_the_real_slice(pipeline_figures) -> None:
    real = pipeline_figures[1]
    assert real.per_10k() <= CEILING_FP_PER_10K, real.false_values.most_common(20)
    assert real.headings_altered <= CEILING_HEADINGS, real.altered
