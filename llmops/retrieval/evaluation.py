"""Retrieval evaluation: does search put a passage that answers the question first?

A question set is JSON lines, one question each, with the places that answer it:

    {"id": "q1", "question": "How do I reset the hub?",
     "answers": [{"source": "manuals/hub.pdf", "location": "page 4", "evidence": "hold the button for 10 seconds"}]}

An answer gives a ``source`` (the file, as the index names it), a ``location`` (page, slide or
sheet) and/or an ``evidence`` phrase; a returned chunk answers the question when it matches every
field an answer gives (evidence: the phrase occurs in the chunk text, compared case- and
whitespace-insensitively, without Markdown emphasis). Questions whose answer is in no document of
the corpus are left out (and counted), so a change to the corpus does not read as a worse index.

Metrics per search mode over the first 10 results: hit@1/3/5/10 (a relevant chunk at rank <= k),
MRR (1 / rank of the first relevant chunk) and nDCG@10 (binary relevance; the ideal ranking puts
every relevant chunk of the index first). `gate` decides whether a new index version may go live.
"""

from __future__ import annotations

import json
import math
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path

from llmops.retrieval.search import Hit, Retriever

DEPTH = 10
CUTOFFS = (1, 3, 5, 10)
METRICS = (*(f"hit@{k}" for k in CUTOFFS), "mrr", "ndcg@10")
_MARKUP = str.maketrans("‘’“”", "''\"\"", "`*_")


@dataclass(frozen=True)
class Answer:
    source: str = ""
    location: str = ""
    evidence: str = ""

    @cached_property
    def needle(self) -> str:
        """The evidence as it is compared (``normalize``), computed once: it is tested against every chunk."""
        return normalize(self.evidence)

    def found_in(self, source: str, text: str) -> bool:
        """Whether ``text`` (normalized) of the file ``source`` holds this answer, its location aside."""
        return _same_source(self.source, source) and (not self.evidence or self.needle in text)


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    answers: tuple[Answer, ...]
    kind: str = ""


def normalize(text: str) -> str:
    """Text as evidence is compared: NFKC, case-folded, no Markdown emphasis, curly quotes straight, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", text).translate(_MARKUP).casefold().split())


def load_questions(path: Path) -> list[Question]:
    """The question set at ``path``; a malformed line raises ValueError naming the line and field."""
    questions, seen = [], set()
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{Path(path).name} line {number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise ValueError(f"{where}: invalid JSON ({error.msg})") from None
        if not isinstance(record, dict) or not str(record.get("question", "")).strip():
            raise ValueError(f"{where}: needs a non-empty 'question'")
        if record.get("answerable", True) is False:
            continue  # a question no document answers: the answer evaluation's, for refusals
        answers = record.get("answers")
        if not isinstance(answers, list) or not answers:
            raise ValueError(f"{where}: needs 'answers', a list of {{source, location, evidence}} objects")
        parsed = []
        for answer in answers:
            if not isinstance(answer, dict) or not any(str(answer.get(k) or "").strip() for k in ("source", "evidence")):
                raise ValueError(f"{where}: every answer needs a 'source' or an 'evidence' phrase")
            parsed.append(Answer(*(str(answer.get(k) or "").strip() for k in ("source", "location", "evidence"))))
        qid = str(record.get("id") or f"line{number}")
        if qid in seen:
            raise ValueError(f"{where}: id {qid!r} is repeated")
        seen.add(qid)
        questions.append(Question(qid, str(record["question"]).strip(), tuple(parsed), str(record.get("kind", ""))))
    return questions


def _same_source(answer: str, source: str) -> bool:
    """A file's source, or one record of it (``tickets.jsonl#L12`` is in ``tickets.jsonl``)."""
    return not answer or source == answer or source.startswith(answer + "#")


def answers(question: Question, source: str, location: str, text: str) -> bool:
    """Whether a passage (``text`` already normalized) answers ``question``."""
    return any(a.found_in(source, text) and (not a.location or a.location == location) for a in question.answers)


def answerable(questions: Sequence[Question], documents: Iterable[tuple[str, str]]) -> tuple[list[Question], list[Question]]:
    """The questions some document (``(source, text)`` pairs) answers, and those none does."""
    docs = [(source, normalize(text)) for source, text in documents]
    kept, dropped = [], []
    for question in questions:
        found = any(a.found_in(source, text) for a in question.answers for source, text in docs)
        (kept if found else dropped).append(question)
    return kept, dropped


@dataclass
class ModeResult:
    """One search mode's figures, and each question's rank of its first relevant chunk (0: none in the top 10)."""

    metrics: dict[str, float]
    ranks: dict[str, int] = field(default_factory=dict)


def _ndcg(relevant: list[bool], total: int) -> float:
    dcg = sum(1 / math.log2(rank + 1) for rank, hit in enumerate(relevant, start=1) if hit)
    ideal = sum(1 / math.log2(rank + 1) for rank in range(1, min(total, DEPTH) + 1))
    return dcg / ideal if ideal else 0.0


def score(questions: Sequence[Question], results: Sequence[Sequence[Hit]], relevant_counts: Sequence[int]) -> ModeResult:
    """The metrics of one mode's ranked results (one list per question)."""
    ranks, ndcgs = {}, []
    for question, hits, total in zip(questions, results, relevant_counts):
        flags = [answers(question, h.source, h.location, normalize(h.text)) for h in hits[:DEPTH]]
        ranks[question.id] = flags.index(True) + 1 if any(flags) else 0
        ndcgs.append(_ndcg(flags, max(total, sum(flags))))
    n = max(len(questions), 1)
    metrics = {f"hit@{k}": sum(0 < r <= k for r in ranks.values()) / n for k in CUTOFFS}
    metrics["mrr"] = sum(1 / r for r in ranks.values() if r) / n
    metrics["ndcg@10"] = sum(ndcgs) / n
    return ModeResult({k: round(v, 4) for k, v in metrics.items()}, ranks)


def relevant_counts(retriever: Retriever, questions: Sequence[Question]) -> list[int]:
    """How many chunks of the retriever's table version answer each question (nDCG's ideal ranking)."""
    rows = retriever.current().search().select(["source", "location", "text"]).limit(None).to_list()
    chunks = [(r["source"], r["location"], normalize(r["text"])) for r in rows]
    return [sum(answers(q, *chunk) for chunk in chunks) for q in questions]


def evaluate(retriever: Retriever, questions: Sequence[Question], modes: dict[str, dict]) -> dict[str, ModeResult]:
    """Each named mode (its SearchSettings changes, e.g. ``{"vector": {"mode": "vector"}}``) over the questions."""
    counts = relevant_counts(retriever, questions)
    texts = [q.question for q in questions]
    return {name: score(questions, retriever.with_settings(**changes).search_many(texts, DEPTH), counts)
            for name, changes in modes.items()}


@dataclass(frozen=True)
class IndexGate:
    """A new index goes live unless its ``metric`` in the serving ``mode`` is lower than the live
    index's by more than ``max_drop`` (absolute), on the same questions."""

    metric: str = "mrr"
    max_drop: float = 0.02
    min_questions: int = 5

    def __post_init__(self) -> None:
        if self.metric not in METRICS:
            raise ValueError(f"unknown retrieval metric {self.metric!r}; one of {', '.join(METRICS)}")


@dataclass(frozen=True)
class GateDecision:
    go_live: bool
    reason: str

    def as_dict(self) -> dict:
        return asdict(self)


def gate(candidate: dict[str, ModeResult], live: dict[str, ModeResult] | None, mode: str, n_questions: int,
         policy: IndexGate = IndexGate()) -> GateDecision:
    """Whether the candidate index may replace the live one, and why."""
    if live is None:
        return GateDecision(True, "no live index yet: the first evaluated index goes live")
    if n_questions < policy.min_questions:
        return GateDecision(True, f"only {n_questions} answerable questions (< {policy.min_questions}): "
                                  "not enough to judge, the new index goes live unguarded")
    new, old = candidate[mode].metrics[policy.metric], live[mode].metrics[policy.metric]
    summary = f"{mode} {policy.metric} {new:.4f} vs live {old:.4f} on {n_questions} questions"
    if new < old - policy.max_drop:
        return GateDecision(False, f"{summary}: worse by {old - new:.4f} (allowed {policy.max_drop}); the live index stays")
    return GateDecision(True, f"{summary}: not worse by more than {policy.max_drop}")


def misses(questions: Sequence[Question], result: ModeResult, limit: int = 20) -> list[dict]:
    """The questions a mode did not answer first, for people to read (rank 0: not in the top 10)."""
    worst = [q for q in questions if result.ranks.get(q.id) != 1]
    worst.sort(key=lambda q: -(result.ranks[q.id] or DEPTH + 1))
    return [{"id": q.id, "question": q.question, "rank": result.ranks[q.id] or None} for q in worst[:limit]]


def log_to_mlflow(table: str, candidate_version: int, live_version: int | None, n_questions: int,
                  candidate: dict[str, ModeResult], live: dict[str, ModeResult] | None, decision: GateDecision) -> str:
    """One MLflow run per evaluation (in the active experiment): each mode's figures for the
    candidate (and the live index), the decision as tags, the ranks per question as an artifact."""
    import mlflow

    def flat(prefix: str, results: dict[str, ModeResult]) -> dict[str, float]:
        return {f"{prefix}_{mode}_{name.replace('@', '_at_')}": value
                for mode, result in results.items() for name, value in result.metrics.items()}

    with mlflow.start_run(run_name=f"retrieval_evaluation {table} v{candidate_version}") as run:
        mlflow.log_params({"table": table, "candidate_version": candidate_version, "live_version": live_version,
                           "questions": n_questions})
        mlflow.log_metrics({**flat("candidate", candidate), **flat("live", live or {})})
        mlflow.set_tags({"stage": "retrieval_evaluation", "go_live": str(decision.go_live).lower(),
                         "reason": decision.reason})
        mlflow.log_dict({mode: result.ranks for mode, result in candidate.items()}, "retrieval/ranks.json")
    return run.info.run_id
