"""Answer evaluation with ground truth: is the answer right, does it rest on what it cites, and does
it refuse what the documents do not answer?

An item is a line of a question set (the retrieval evaluation's format, see
``llmops.retrieval.evaluation``) with what a correct answer must state:

    {"id": "q7", "question": "Can I install the battery myself?", "answers": [...],
     "facts": ["certified electrician"], "yes_no": "no"}
    {"id": "u1", "question": "Is there a student discount?", "answerable": false}

``facts`` lists what the answer must state, each a string or a list of alternatives (matched
case- and space-insensitively; numbers also as numbers, so "8:00" states "08:00"); ``yes_no`` the
expected polarity of a yes/no question. Per answer:

- **correct**: every fact stated, and a yes/no answer of the expected polarity (an explicit leading
  "yes"/"no", else negated or not);
- **faithful**: the share of its sentences the verifier finds supported by the cited passages
  (``llmops.grounding.verify``: numbers, names, negation and content words);
- **contradiction**: a yes/no answer of the wrong polarity, or a number that no cited passage states
  on a question whose facts are numbers;
- **citation precision**: the share of the passages it cites that hold an evidence phrase or a fact;
- **refused**: it says the documents do not answer (mode ``not_found`` or such wording); right for
  unanswerable items, a false refusal for the others.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from llmops.evaluation.metrics import load_metric
from llmops.grounding.answer import Grounder, without_note
from llmops.grounding.claims import clean, negated, numbers, sentences
from llmops.grounding.passages import Passages
from llmops.grounding.prompt import grounded_messages, refuses
from llmops.grounding.verify import verify
from llmops.retrieval.evaluation import normalize
from llmops.retrieval.search import Hit

_YES_NO = re.compile(r"^\W*(yes|no)\b", re.I)


@dataclass(frozen=True)
class AnswerItem:
    id: str
    question: str
    facts: tuple[tuple[str, ...], ...] = ()
    yes_no: str = ""
    evidence: tuple[str, ...] = ()
    answerable: bool = True
    kind: str = ""


@dataclass(frozen=True)
class Reply:
    """One system's answer to an item: its text, the mode that made it, and the passages it cites."""

    text: str
    mode: str
    cited: tuple[str, ...]


def load_items(path: Path) -> list[AnswerItem]:
    """The items of a question set that say what a correct answer states (facts or yes/no), and its
    unanswerable ones; a malformed line raises ValueError naming it."""
    items = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        record = json.loads(line)
        where = f"{Path(path).name} line {number}"
        if record.get("answerable", True) is False:
            items.append(AnswerItem(record["id"], record["question"], answerable=False, kind=record.get("kind", "")))
            continue
        facts = record.get("facts")
        if facts is None and "yes_no" not in record:
            continue  # a retrieval-only question
        if not isinstance(facts or [], list) or record.get("yes_no", "yes") not in ("yes", "no"):
            raise ValueError(f"{where}: 'facts' must be a list and 'yes_no' 'yes' or 'no'")
        alternatives = tuple(tuple(f) if isinstance(f, list) else (f,) for f in facts or [])
        evidence = tuple(a.get("evidence", "") for a in record.get("answers", []) if a.get("evidence"))
        items.append(AnswerItem(record["id"], record["question"], alternatives, record.get("yes_no", ""), evidence,
                                kind=record.get("kind", "")))
    return items


def _folded(text: str) -> str:
    """Text as facts and evidence are looked for in it: as the retrieval evaluation compares evidence,
    after the claim reader's cleaning (citation markers and list marks gone)."""
    return normalize(clean(text))


def states(answer: str, fact: str) -> bool:
    """Whether ``answer`` states ``fact``: as text, or (for numbers) the same numbers and the fact's other words."""
    folded_answer, folded_fact = _folded(answer), _folded(fact)
    if folded_fact in folded_answer:
        return True
    wanted = numbers(fact)
    if not wanted or not wanted <= numbers(answer):
        return False
    words = set(re.findall(r"\w+", folded_answer))
    return all(w in words for w in re.findall(r"\w+", re.sub(r"\d[\d.,:]*", " ", folded_fact)))


def polarity(answer: str) -> str:
    """"yes" or "no": an explicit leading word, else whether the first sentence is negated."""
    if match := _YES_NO.match(answer):
        return match.group(1).lower()
    first = sentences(answer)
    return "no" if first and negated(first[0].text) else "yes"


def refused(reply: Reply) -> bool:
    return reply.mode == "not_found" or refuses(reply.text)


@dataclass(frozen=True)
class Scored:
    item: AnswerItem
    reply: Reply
    correct: bool
    refused: bool
    faithfulness: float | None  # None for refusals (nothing was claimed)
    contradiction: bool
    citation_precision: float | None


def score(item: AnswerItem, reply: Reply, passages: Passages) -> Scored:
    """``reply`` judged against ``item``; ``passages`` are the cited passages, read by the verifier."""
    said_no = refused(reply)
    text = without_note(reply.text)  # the removal note is not a claim (its count is no figure)
    if not item.answerable or said_no:
        return Scored(item, reply, False, said_no, None, False, None)
    correct = all(any(states(text, alt) for alt in fact) for fact in item.facts)
    contradiction = bool(item.yes_no) and polarity(text) != item.yes_no
    correct = correct and not contradiction
    if any(numbers(alt) for fact in item.facts for alt in fact):
        contradiction = contradiction or bool(numbers(text) - passages.numbers - numbers(item.question))
    checks = verify(item.question, text, passages)
    faithfulness = sum(c.supported for c in checks) / len(checks) if checks else 0.0
    needles = [_folded(e) for e in item.evidence] + [_folded(alt) for fact in item.facts for alt in fact]
    holding = [any(n and n in _folded(p) for n in needles) for p in reply.cited]
    precision = sum(holding) / len(holding) if holding else None
    return Scored(item, reply, correct, False, faithfulness, contradiction, precision)


def summarize(scored: Sequence[Scored]) -> dict[str, float]:
    """The figures of one system over a set: correctness, faithfulness, contradictions, citation
    precision and false refusals over answerable items; refusal over unanswerable ones."""
    answerable = [s for s in scored if s.item.answerable]
    unanswerable = [s for s in scored if not s.item.answerable]
    answered = [s for s in answerable if not s.refused]
    cited = [s.citation_precision for s in answered if s.citation_precision is not None]
    return {
        "answerable": len(answerable),
        "correctness": _mean([s.correct for s in answerable]),
        "faithfulness": _mean([s.faithfulness for s in answered]),
        "contradictions": sum(s.contradiction for s in answerable),
        "citation_precision": _mean(cited),
        "false_refusal": _mean([s.refused for s in answerable]),
        "unanswerable": len(unanswerable),
        "refusal": _mean([s.refused for s in unanswerable]),
    }


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else float("nan")


def select_items(items: Sequence[AnswerItem], limit: int, seed: int = 0) -> list[AnswerItem]:
    """A seeded subset of at most ``limit`` items, a quarter of them unanswerable where there are
    such, the same for every system."""
    import random

    rng = random.Random(seed)
    unanswerable = [i for i in items if not i.answerable]
    answerable = [i for i in items if i.answerable]
    take = min(len(unanswerable), limit // 4)
    chosen = rng.sample(unanswerable, take) + rng.sample(answerable, min(len(answerable), limit - take))
    return sorted(chosen, key=lambda i: i.id)


@dataclass(frozen=True)
class AnswerSuite:
    """The answer evaluation as every system takes it: the items, the passages retrieved for each
    (once, from one index version) and the served prompt built around them."""

    items: list[AnswerItem]
    hits: list[list[Hit]]
    grounder: Grounder

    def prompts(self, system_prompt: str) -> list[list[dict]]:
        return [grounded_messages(system_prompt, [{"role": "user", "content": item.question}], hits)
                for item, hits in zip(self.items, self.hits)]

    def score(self, generated: Sequence[str]) -> tuple[dict[str, float], list[dict]]:
        """One system's figures from its answers to ``prompts(...)``: ``generated_*`` for the model's
        own text, ``answer_*`` for what serving sends (the auto mode); and one sample per item."""
        own, served = [], []
        for item, hits, text in zip(self.items, self.hits, generated):
            texts = tuple(h.text for h in hits)
            passages = self.grounder.passages(texts)
            found = self.grounder.extract(item.question, passages)
            grounded = (self.grounder.checked(item.question, text, passages, found) if self.grounder.answerable(found)
                        else self.grounder.not_found())
            own.append(Reply(text, "generated", texts))
            served.append(Reply(grounded.text, grounded.mode.value, tuple(texts[i] for i in grounded.quotes)))
        answer = self._quality(served)
        samples = [{"id": item.id, "question": item.question, "generated": text, "answer": reply.text,
                    "mode": reply.mode, "correct": correct}
                   for item, text, reply, correct in zip(self.items, generated, served, answer["correct"])]
        return {**_figures("generated", self._quality(own)), **_figures("answer", answer)}, samples

    def extractive(self) -> dict[str, float]:
        """The figures of quoting alone (no model): the floor a generated answer should beat."""
        quoted = []
        for item, hits in zip(self.items, self.hits):
            texts = tuple(h.text for h in hits)
            found = self.grounder.extract(item.question, self.grounder.passages(texts))
            answer = self.grounder.extractive(found) if self.grounder.answerable(found) else self.grounder.not_found()
            quoted.append(Reply(answer.text, answer.mode.value, tuple(texts[i] for i in answer.quotes)))
        return _figures("answer", self._quality(quoted))

    def _quality(self, replies: Sequence[Reply]) -> dict[str, float | list[bool]]:
        """The ``answer_quality`` metric module on one reply per item: the figures of ``summarize``
        and whether each reply is ``correct``."""
        return load_metric("answer_quality").compute(
            predictions=[r.text for r in replies], modes=[r.mode for r in replies],
            questions=[i.question for i in self.items], passages=[[h.text for h in hits] for hits in self.hits],
            cited=[list(r.cited) for r in replies], facts=[[list(f) for f in i.facts] for i in self.items],
            yes_no=[i.yes_no for i in self.items], evidence=[list(i.evidence) for i in self.items],
            answerable=[i.answerable for i in self.items], grounder=self.grounder)


def _figures(prefix: str, summary: dict[str, float]) -> dict[str, float]:
    names = ("correctness", "faithfulness", "contradictions", "refusal") if prefix == "answer" else \
        ("correctness", "faithfulness", "contradictions")
    return {f"{prefix}_{name}": float(summary[name]) for name in names}
