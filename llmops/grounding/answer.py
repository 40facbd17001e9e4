"""Which answer is sent: the mode policy over the verifier and the extractive answer.

Modes, as the response names them:

- ``generated``: the model's answer, every sentence supported by the cited passages;
- ``verified``: the model's supported sentences, a note that says how many were removed, and the
  extractive answer after it ("From the documents: ...");
- ``extractive``: sentences quoted from the passages, with their citation numbers; sent when the
  caller asks for it, or when no generated sentence holds up;
- ``not_found``: the passages are not relevant enough (``min_relevance``) to answer from, decided
  before anything is generated; or the model said they do not answer and nothing it said holds up.
  The answer says so and the sources list the nearest passages;
- ``ungrounded``: nothing was retrieved (the caller set ``top_k`` 0, or there is no index), so
  there is nothing to hold the model's answer to; sent as generated.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from llmops.grounding.claims import sentences
from llmops.grounding.extract import Extract, extract
from llmops.grounding.passages import Encode, Passages, SentenceVectors
from llmops.grounding.prompt import refuses
from llmops.grounding.verify import Check, Thresholds, verify

NOT_FOUND = ("The documents I can search do not answer this. The nearest passages I found are listed in the "
             "sources.")


class Mode(StrEnum):
    GENERATED = "generated"
    VERIFIED = "verified"
    EXTRACTIVE = "extractive"
    NOT_FOUND = "not_found"
    UNGROUNDED = "ungrounded"  # nothing was retrieved (top_k 0, no index): the model's answer, unchecked


REQUEST_MODES = ("auto", "extractive")  # what a caller may ask for; auto generates, verifies, falls back


@dataclass(frozen=True)
class GroundingSettings:
    min_relevance: float = 0.45  # best question/sentence cosine below which the documents do not answer
    thresholds: Thresholds = field(default_factory=Thresholds)
    lexical_weight: float = 0.3
    runner_up: float = 0.92


@dataclass(frozen=True)
class Grounded:
    """The answer to send, how it was made, and the passage sentences it rests on (for highlights)."""

    text: str
    mode: Mode
    quotes: dict[int, list[str]]  # passage index -> its sentences that support the answer
    checks: list[Check] = field(default_factory=list)

    @property
    def removed(self) -> int:
        return sum(not c.supported for c in self.checks)


class Grounder:
    """Grounds answers in retrieved passages with ``encode`` (the index's sentence embedder)."""

    def __init__(self, encode: Encode, settings: GroundingSettings = GroundingSettings()) -> None:
        self.encode, self.settings = SentenceVectors(encode), settings

    def passages(self, texts: Sequence[str]) -> Passages:
        return Passages(texts, self.encode)

    def extract(self, question: str, passages: Passages) -> Extract:
        return extract(question, passages, self.settings.lexical_weight, self.settings.runner_up)

    def answerable(self, found: Extract) -> bool:
        return bool(found.quotes) and found.relevance >= self.settings.min_relevance

    def extractive(self, found: Extract) -> Grounded:
        """The quotes as the answer, each followed by its citation number, or "not in the documents"."""
        if not found.quotes:
            return Grounded(NOT_FOUND, Mode.NOT_FOUND, {})
        parts, quotes = [], {}
        for quote in found.quotes:
            quotes.setdefault(quote.passage, []).append(quote.text)
            parts.append(f"“{quote.text}” [{quote.passage + 1}]")
        return Grounded(" ".join(parts), Mode.EXTRACTIVE, quotes)

    def not_found(self) -> Grounded:
        return Grounded(NOT_FOUND, Mode.NOT_FOUND, {})

    def checked(self, question: str, generated: str, passages: Passages, found: Extract) -> Grounded:
        """``generated`` verified sentence by sentence; the extractive answer when nothing holds up."""
        return self.finished(verify(question, generated, passages, self.settings.thresholds), passages, found)

    def finished(self, checks: list[Check], passages: Passages, found: Extract) -> Grounded:
        """The answer from the verdicts on every generated sentence: the supported sentences, and
        where some were removed, the note that says so and the extractive answer after it (it was
        right more often than the sentences that held up alone, bench/RESULTS.md)."""
        kept = [c for c in checks if c.supported]
        if not kept:  # the model saying the passages do not answer is taken at its word
            return _with_checks(self.not_found() if checks and refuses(checks[0].sentence) else self.extractive(found),
                                checks)
        quotes: dict[int, list[str]] = {}
        for check in kept:
            passage, sentence = passages.sentences[check.support]
            if sentence.text not in quotes.setdefault(passage, []):
                quotes[passage].append(sentence.text)
        text = " ".join(c.text for c in kept)
        if len(kept) == len(checks):
            return Grounded(text, Mode.GENERATED, quotes, checks)
        quoted = self.extractive(found)
        for passage, texts in quoted.quotes.items():
            quotes.setdefault(passage, []).extend(t for t in texts if t not in quotes[passage])
        return Grounded(f"{text}{_replacement(len(checks) - len(kept), quoted)}", Mode.VERIFIED, quotes, checks)


def _replacement(removed: int, quoted: Grounded) -> str:
    """What follows the supported sentences of a verified answer: the note, then the quotes."""
    note = f" ({removed} sentence{'s' * (removed > 1)} removed: not supported by the cited passages.)"
    return f"{note} From the documents: {quoted.text}" if quoted.mode is Mode.EXTRACTIVE else note


_REMOVAL_NOTE = re.compile(r"\s*\(\d+ sentences? removed: not supported by the cited passages\.\)( From the documents:)?")


def without_note(text: str) -> str:
    """A verified answer without its removal note: what it claims."""
    return _REMOVAL_NOTE.sub("", text)


class VerifiedStream:
    """A generated answer released a sentence at a time, each once it is complete and verified; at
    the end the removal note and the quotes, or the extractive answer when no sentence held up
    (then ``grounded`` says how it was grounded)."""

    def __init__(self, grounder: Grounder, question: str, passages: Passages, found: Extract) -> None:
        self.grounder, self.question, self.passages, self.found = grounder, question, passages, found
        self.checks: list[Check] = []
        self.grounded: Grounded | None = None
        self._pending = ""
        self._sent = False

    def feed(self, text: str) -> str:
        self._pending += text
        parts = sentences(self._pending)
        if len(parts) < 2:  # the last sentence may still be growing
            return ""
        self._pending = self._pending[parts[-1].start:]
        return self._release(" ".join(p.text for p in parts[:-1]))

    def finish(self) -> str:
        released = self._release(self._pending)
        self.grounded = self.grounder.finished(self.checks, self.passages, self.found)
        if self.grounded.mode is Mode.VERIFIED:
            return f"{released}{_replacement(self.grounded.removed, self.grounder.extractive(self.found))}"
        return released if self._sent else self.grounded.text

    def _release(self, text: str) -> str:
        checks = verify(self.question, text, self.passages, self.grounder.settings.thresholds) if text.strip() else []
        self.checks += checks
        kept = " ".join(c.text for c in checks if c.supported)
        if not kept:
            return ""
        out = f" {kept}" if self._sent else kept
        self._sent = True
        return out


def _with_checks(grounded: Grounded, checks: list[Check]) -> Grounded:
    return Grounded(grounded.text, grounded.mode, grounded.quotes, checks)
