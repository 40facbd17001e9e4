"""Each sentence of a generated answer held to the cited passages, by rules a reader can check:

- every number it states (prices, dates, times, counts) is in a cited passage or in the question;
- every name or identifier it mentions is in a cited passage or in the question;
- its content words are covered by one passage sentence (or that sentence and the next): at least
  ``min_coverage`` of them, or ``similar_coverage`` when the sentence embeddings also agree
  (cosine at least ``min_similarity``), for paraphrases;
- it is negated exactly when that supporting passage sentence is ("can" against "cannot").

A leading "Yes" is never kept: the lexical rules cannot tell whether a passage agrees with it (a
passage that says an electrician must install a battery has no "not" in it). A leading "No" is
kept when the rest of the sentence is supported and negated like its passage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from llmops.grounding.claims import clean, content_words, named_items, negated, numbers, sentences
from llmops.grounding.passages import Passages

_YES_NO = re.compile(r"^(yes|no)\b[\s,.!:;—-]*", re.I)


@dataclass(frozen=True)
class Thresholds:
    min_coverage: float = 0.6
    similar_coverage: float = 0.34
    min_similarity: float = 0.7


@dataclass(frozen=True)
class Check:
    """The verdict on one answer sentence: ``text`` is what may be sent ("" when unsupported)."""

    sentence: str
    text: str
    reason: str = ""  # why it is unsupported
    support: int = -1  # index into the passages' sentences of its best support, -1 when none

    @property
    def supported(self) -> bool:
        return bool(self.text)


def verify(question: str, answer: str, passages: Passages, thresholds: Thresholds = Thresholds()) -> list[Check]:
    """One check per sentence of ``answer``, in order."""
    asked_numbers, asked = numbers(question), clean(question).casefold()
    checks, pending = [], []
    for sentence in sentences(answer):
        text = clean(sentence.text).strip()
        prefix = _YES_NO.match(text)
        body = text[prefix.end():] if prefix else text
        check = _lexical(sentence.text, body, passages, asked_numbers, asked, thresholds)
        if check is None:
            pending.append((len(checks), sentence.text, body, prefix))
            check = Check(sentence.text, "")
        elif check.supported:
            check = _with_prefix(check, prefix, body, passages)
        checks.append(check)
    if pending:  # paraphrases: embeddings decide, all in one batch
        similarities = passages.similarities([body for _, _, body, _ in pending])
        for row, (at, original, body, prefix) in zip(similarities, pending):
            checks[at] = _semantic(original, body, row, passages, thresholds, prefix)
    return checks


def _lexical(original: str, body: str, passages: Passages, asked_numbers: frozenset[str], asked: str,
             thresholds: Thresholds) -> Check | None:
    """The verdict where words decide it; None when only the embeddings can (a paraphrase)."""
    words = content_words(body)
    if not words:
        return Check(original, "", "states nothing the passages could support")
    if missing := sorted(numbers(body) - passages.numbers - asked_numbers):
        return Check(original, "", f"states {', '.join(missing)}, which no cited passage does")
    if missing := sorted(n for n in named_items(body) if n not in passages.folded and n not in asked):
        return Check(original, "", f"names {', '.join(missing)}, which no cited passage does")
    best, coverage = _best_cover(words, passages)
    if coverage >= thresholds.min_coverage:
        return _polarity(original, body, best, passages)
    if coverage < thresholds.similar_coverage:
        return Check(original, "", "no cited passage says this", best)
    return None


def _semantic(original: str, body: str, row, passages: Passages, thresholds: Thresholds, prefix) -> Check:
    best = int(row.argmax()) if len(row) else -1
    if best < 0 or row[best] < thresholds.min_similarity:
        return Check(original, "", "no cited passage says this", best)
    return _with_prefix(_polarity(original, body, best, passages), prefix, body, passages)


def _best_cover(words: frozenset[str], passages: Passages) -> tuple[int, float]:
    """The passage sentence whose window (it and the next) covers most of ``words``, and how much."""
    best, coverage = -1, 0.0
    for index in range(len(passages.sentences)):
        window = frozenset().union(*(passages.words[i] for i in passages.neighbours(index)))
        share = len(words & window) / len(words)
        if share > coverage:
            best, coverage = index, share
    return best, coverage


def _polarity(original: str, body: str, best: int, passages: Passages) -> Check:
    """Supported when negated like the sentence of its window that shares most of its words and
    numbers (of two that share as many, the one that agrees)."""
    words, figures, negative = content_words(body), numbers(body), negated(body)

    def closeness(i: int) -> tuple[int, bool]:
        text = passages.sentences[i][1].text
        return len(words & passages.words[i]) + len(figures & numbers(text)), negated(text) == negative

    closest = max(passages.neighbours(best), key=closeness)
    if negative != negated(passages.sentences[closest][1].text):
        return Check(original, "", "negated where its passage is not, or the other way round", closest)
    return Check(original, body, "", closest)


def _with_prefix(check: Check, prefix, body: str, passages: Passages) -> Check:
    """A supported sentence keeps a leading "No" that agrees with it; "Yes" is always dropped."""
    if not check.supported or not prefix or prefix.group(1).lower() != "no" or not negated(body):
        return check if not check.supported else Check(check.sentence, _capitalised(body), "", check.support)
    return Check(check.sentence, f"{prefix.group(0).strip()} {body}", "", check.support)


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]
