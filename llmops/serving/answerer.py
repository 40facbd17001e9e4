"""One served model version answering: the prompt built around retrieved chunks, generation
through its engine, and the scrubbing that keeps personal data out of every answer, whole
(``Answerer.scrubbed``) or streamed (``ScrubbedStream``). Nothing here knows about HTTP."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

from llmops.grounding.answer import Grounded, Grounder, GroundingSettings, Mode, VerifiedStream
from llmops.grounding.extract import Extract
from llmops.grounding.passages import Passages
from llmops.grounding.prompt import grounded_messages
from llmops.ingest.language import language_of
from llmops.pii.scrubber import Scrubber, ScrubResult
from llmops.retrieval.filters import Filter
from llmops.retrieval.search import Hit, Retriever
from llmops.train.chat_model import GREEDY, Completion, Messages, Sampling, StreamChunk

# spaCy pipelines are not documented as thread-safe; scrubbing is GIL-bound anyway, so one lock costs nothing.
_SCRUB_LOCK = threading.Lock()
_WORD = re.compile(r"\S+")
# A word that cannot be part of a multi-word personal value: lower-case letters (a hyphen or
# apostrophe inside, brackets, quotes or punctuation around). Anything else may be: capitalised
# (names, streets, cities), with digits (phone, card and IBAN groups, house numbers, postcodes), with
# @ / + < (e-mails, URLs); and so may the lower-case words that join names and addresses below.
_PLAIN_WORD = re.compile(r"[(\[\"'“‘]*([^\W\d_]+(?:['’\-][^\W\d_]+)*)[)\]\"'”’.,;:!?]*")
_VALUE_JOINS = frozenset(
    "van von de da der den del di du la le las los des bin binti al ibn ben am an im auf dem sur upon on "
    "rue boulevard bd av avenue place chemin allée quai impasse route cours passage".split()
)


class ChatEngine(Protocol):
    """What serving needs from a generation engine (``ChatModel``, the batched or llama.cpp one);
    engines are thread-safe, so concurrent requests share one freely."""

    def complete(self, conversations: Sequence[Messages], max_new_tokens: int | None = None,
                 sampling: Sampling = GREEDY) -> list[Completion]: ...

    def stream(self, messages: Messages, max_new_tokens: int | None = None,
               sampling: Sampling = GREEDY) -> Iterator[StreamChunk]: ...


@dataclass
class Answerer:
    """One model version + the retriever."""

    chat: ChatEngine
    retriever: Retriever | None
    model_id: str
    system_prompt: str
    scrubber: Scrubber | None = None  # answers are scrubbed before they leave the server
    grounding: GroundingSettings = field(default_factory=GroundingSettings)
    # Languages the model writes well. A question in another (a Chinese one to SmolLM2, which was
    # trained on English) is answered by quoting the passages, with citations, not by generating.
    languages: tuple[str, ...] = ("en",)

    def __post_init__(self) -> None:
        if unknown := set(self.languages) - {"en", "zh"}:
            raise ValueError(f"model languages are en and zh; unknown: {', '.join(sorted(unknown))}")
        # Answers are held to the retrieved passages with the index's own sentence embedder.
        self.grounder = Grounder(self.retriever.embedder.encode, self.grounding) if self.retriever else None

    def build_messages(self, messages: Messages, hits: list[Hit]) -> Messages:
        return grounded_messages(self.system_prompt, messages, hits)

    def retrieve(self, messages: Messages, top_k: int, filters: Filter | None = None) -> list[Hit]:
        """Chunks for the last user message among those ``filters`` admits."""
        question = last_user_message(messages)
        return self.retriever.search(question, top_k, filters) if self.retriever and top_k and question.strip() else []

    def complete(self, messages: Messages, max_tokens: int | None, hits: list[Hit],
                 sampling: Sampling = GREEDY, mode: str = "auto") -> tuple[Completion, Grounded]:
        """The answer to send, scrubbed, and how it was grounded (see ``llmops.grounding.answer``):
        nothing is generated for an extractive or a "not in the documents" answer."""
        question = last_user_message(messages)
        if self.grounder is None or not hits:
            completion = self.chat.complete([self.build_messages(messages, hits)], max_tokens, sampling)[0]
            grounded = Grounded(completion.text, Mode.UNGROUNDED, {})
        else:
            passages, found, grounded = self._decided(question, hits, mode)
            completion = Completion("", 0, 0, "stop")
            if grounded is None:
                completion = self.chat.complete([self.build_messages(messages, hits)], max_tokens, sampling)[0]
                grounded = self.grounder.checked(question, completion.text, passages, found)
        return replace(completion, text=self.scrub(grounded.text, [m["content"] for m in messages])), grounded

    def stream(self, messages: Messages, max_tokens: int | None, hits: list[Hit], sampling: Sampling = GREEDY,
               mode: str = "auto") -> tuple[Iterator[StreamChunk], Callable[[], Grounded]]:
        """The answer's chunks, verified sentence by sentence (raw: callers scrub them with
        ``ScrubbedStream``), and a call that says how it was grounded once they are consumed."""
        question = last_user_message(messages)
        if self.grounder is None or not hits:
            raw = self.chat.stream(self.build_messages(messages, hits), max_tokens, sampling)
            return raw, lambda: Grounded("", Mode.UNGROUNDED, {})
        passages, found, grounded = self._decided(question, hits, mode)
        if grounded is not None:
            return iter([StreamChunk(grounded.text, "stop", 0, 0)]), lambda: grounded
        verified = VerifiedStream(self.grounder, question, passages, found)

        def chunks() -> Iterator[StreamChunk]:
            for chunk in self.chat.stream(self.build_messages(messages, hits), max_tokens, sampling):
                text = verified.feed(chunk.text) + (verified.finish() if chunk.finish_reason else "")
                yield replace(chunk, text=text)

        return chunks(), lambda: verified.grounded

    def _decided(self, question: str, hits: list[Hit], mode: str) -> tuple[Passages, Extract, Grounded | None]:
        """The passages and their extract for ``question``, and the answer where nothing need be
        generated ("not in the documents", or quotes asked for)."""
        passages = self.grounder.passages([hit.text for hit in hits])
        found = self.grounder.extract(question, passages)
        if not self.grounder.answerable(found):
            return passages, found, self.grounder.not_found()
        quote = mode == "extractive" or not self.writes(question)
        return passages, found, self.grounder.extractive(found) if quote else None

    def writes(self, question: str) -> bool:
        """Whether the model answers in the question's language (Chinese or mixed needs "zh")."""
        return language_of(question) not in ("zh", "mixed") or "zh" in self.languages

    def scrub(self, text: str, context: Sequence[str] = ()) -> str:
        """``text`` without personal data. Values found in ``context`` (the user's own messages) are
        removed from ``text`` too: an answer that echoes "Priya" gives the recognizers no clue that
        it is a name, but the question that said "I am Priya Raman" does."""
        return self.scrub_all([*context, text])[-1]

    def scrub_all(self, texts: Sequence[str]) -> list[str]:
        """Texts of one conversation scrubbed together: a value found in one is removed from all."""
        return [r.text for r in self.scrub_results(texts)]

    def scrub_results(self, texts: Sequence[str], together: bool = True) -> list[ScrubResult]:
        """``scrub_all`` with what was removed where (spans in each text's own offsets); with
        ``together=False`` each text is scrubbed on its own, still in one batched pass."""
        if self.scrubber is None:
            return [ScrubResult(text, {}, []) for text in texts]
        with _SCRUB_LOCK:
            return self.scrubber.scrub_many(list(texts), groups=[0] * len(texts) if together else list(range(len(texts))))

    def scrub_each(self, texts: Sequence[str]) -> list[str]:
        """Unrelated texts (different requests) scrubbed in one batched pass, each on its own."""
        return [r.text for r in self.scrub_results(texts, together=False)]


def last_user_message(messages: Messages) -> str:
    return next((m["content"] for m in reversed(messages) if m["role"] == "user"), "")


class ScrubbedStream:
    """Streams an answer a few words behind generation without ever sending personal data.

    At each release the whole answer so far is scrubbed (with the conversation as context, so a
    name the user gave is known, and a name mentioned twice gets one placeholder), and everything
    is sent except a held tail, which starts at the earliest of:

    - the last ``hold_words`` words: the last may still be growing into an e-mail, URL, phone
      number or name, and the recognizers get at least one whole word of right context;
    - the run of words right before those that could belong to one multi-word value (every word
      but plain lower-case ones, see ``_PLAIN_WORD``; the lower-case joins of names and addresses,
      "van", "de la", "rue", count as such words): a phone number with spaces, an IBAN or card in
      groups, a full name, a street address or a birth date is held whole until a plain word
      follows it, so a value is never split between two releases, and no word is sent that a
      value still arriving could turn out to start;
    - any detected value that reaches into the held tail or touches it (only white space between):
      it is sent once it is complete and a plain word has followed it.

    The sent part is scrubbed together with the whole answer so far, so a value detected anywhere
    (with all the right context there is) is removed from it too, and its placeholders are numbered
    as in the whole answer; when the model stops, the rest goes out, scrubbed as a whole. Sent text
    never changes: if later text changes how the sent part scrubs (a value found only further on;
    rare), the new part is scrubbed on its own, with the whole answer as context (so the rest of a
    value found across the cut is removed too), which can cost placeholder numbering, never a leak.
    The scrubber runs once ``every_words`` words are releasable (one for the first release), not
    per token: a scrub costs as much as a few tokens.
    """

    def __init__(self, scrub: Callable[[Sequence[str]], list[ScrubResult]], hold_words: int = 2,
                 every_words: int = 4) -> None:
        """``scrub`` scrubs texts of one conversation together (a value found in one is removed from all)."""
        if hold_words < 1 or every_words < 1:
            raise ValueError(f"hold_words and every_words must be at least 1, got {hold_words} and {every_words}")
        self._scrub, self.hold_words, self.every_words = scrub, hold_words, every_words
        self.raw = ""
        self.released = ""  # scrubbed text sent so far
        self._committed = 0  # raw characters covered by ``released``
        self._tried = 0  # the last cut tried: the scrubber runs again only when a new word moves it

    def feed(self, text: str) -> str:
        self.raw += text if self.raw else text.lstrip()
        words = [m.span() for m in _WORD.finditer(self.raw)]
        if len(words) <= self.hold_words:
            return ""
        first = self._run_start(words, len(words) - self.hold_words)
        releasable = sum(self._committed <= start < words[first][0] for start, _ in words)
        if releasable < (self.every_words if self.released else 1) or words[first][0] == self._tried:
            return ""
        self._tried = words[first][0]
        return self._release(words, first)

    def finish(self) -> str:
        self.raw = self.raw.rstrip()
        return self._release([m.span() for m in _WORD.finditer(self.raw)], None)

    def _run_start(self, words: list[tuple[int, int]], index: int) -> int:
        """The first word of the run of could-be-value words that ends right before ``words[index]``."""
        while index > 0 and not _is_plain(self.raw[slice(*words[index - 1])]):
            index -= 1
        return index

    def _release(self, words: list[tuple[int, int]], first: int | None) -> str:
        """Send the scrubbed text before ``words[first]`` (everything when None), minus values touching it."""
        whole = self._scrub([self.raw])[0]
        if first is None:
            return self._send(len(self.raw), whole.text)
        while (end := words[first][0]) > self._committed:
            crossing = [s.start for s in whole.spans if s.start < end and s.end > words[first - 1][0]]
            if not crossing:
                held = self.raw[end:]
                if all(s.end <= end for s in whole.spans):  # the held tail is verbatim at the end of ``whole``
                    return self._send(end, whole.text[: len(whole.text) - len(held)])
                return self._send(end, self._scrub([self.raw, self.raw[:end]])[1].text)
            first = self._run_start(words, next(i for i, (_, stop) in enumerate(words) if stop > min(crossing)))
        return ""

    def _send(self, end: int, scrubbed: str) -> str:
        """Release ``scrubbed`` (raw text up to ``end``, scrubbed) past what was sent already."""
        if end <= self._committed:
            return ""
        if scrubbed.startswith(self.released):
            delta = scrubbed[len(self.released):]
        else:  # later text changed how the sent part scrubs: scrub the new part on its own
            delta = self._scrub([self.raw, self.raw[self._committed:end]])[-1].text
        self._committed = end
        self.released += delta
        return delta


def _is_plain(word: str) -> bool:
    match = _PLAIN_WORD.fullmatch(word)
    return bool(match) and match.group(1).islower() and match.group(1) not in _VALUE_JOINS
