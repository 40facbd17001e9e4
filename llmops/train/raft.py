"""Retrieval-augmented fine-tuning examples (the RAFT recipe): each question shown to the model as
serving shows it, with numbered passages above it, so the adapter learns to answer from its context.

Per instruction pair:

- the **oracle** passage is the chunk of the pair's own document that holds most of the answer's
  content words (a pair whose answer no single chunk mostly holds is left out: training the model to
  answer beyond its passages is what this is meant to unlearn);
- **distractors** are chunks of other documents that share the most words with the question (picked
  at random among the closest, so the model cannot learn that the first hit is always right) and
  that do not hold the answer themselves (a fact repeated in another document is no distractor);
- with probability ``oracle_fraction`` the passages are the oracle and the distractors, in random
  order, and the completion is the answer followed by the oracle's citation number; otherwise the
  passages are distractors only and the completion is ``NO_ANSWER``: the model learns to say so when
  its context does not hold the answer.

Passages are cut by the index's own chunker (at ``passage_chars``) and framed by the served prompt
(``llmops.grounding.prompt``), so training and serving show the model one format. Every random
choice is seeded by the pair, so a dataset version is reproducible.
"""

from __future__ import annotations

import hashlib
import random
from collections import defaultdict
from dataclasses import dataclass
from itertools import islice

import pandas as pd

from llmops.grounding.claims import content_words
from llmops.grounding.prompt import NO_ANSWER, grounded_messages
from llmops.retrieval.chunking import chunk_document, heading_path
from llmops.retrieval.search import Hit

CONTEXTS = ("closed_book", "retrieved")
MIN_ORACLE_COVERAGE = 0.5  # share of the answer's content words its oracle passage must hold


@dataclass(frozen=True)
class Framed:
    """One pair as a retrieval-augmented example: the passages shown and the completion taught."""

    passages: list[Hit]
    completion: str
    has_oracle: bool


class PassageLibrary:
    """Every document of the corpus cut into passages, with an inverted index of their content words."""

    def __init__(self, corpus: pd.DataFrame, passage_chars: int, overlap_chars: int) -> None:
        self.passages: list[Hit] = []
        self.words: list[frozenset[str]] = []
        self.by_doc: dict[str, list[int]] = defaultdict(list)
        self.postings: dict[str, list[int]] = defaultdict(list)
        for doc in corpus.sort_values("doc_id").itertuples(index=False):
            for number, chunk in enumerate(chunk_document(str(doc.text), passage_chars, overlap_chars)):
                index = len(self.passages)
                self.passages.append(Hit(f"{doc.doc_id}:{number}", str(doc.doc_id), str(getattr(doc, "source", "")),
                                         str(getattr(doc, "title", "")), chunk.text, 0.0,
                                         str(getattr(doc, "doc_type", "")), chunk.location,
                                         heading_path(chunk.headings)))
                self.words.append(content_words(chunk.text))
                self.by_doc[str(doc.doc_id)].append(index)
                for word in self.words[-1]:
                    self.postings[word].append(index)

    def coverage(self, index: int, answer_words: frozenset[str]) -> float:
        """Share of the answer's content words that passage ``index`` holds."""
        return len(answer_words & self.words[index]) / len(answer_words) if answer_words else 0.0

    def oracle(self, doc_id: str, answer_words: frozenset[str]) -> int | None:
        """The passage of ``doc_id`` that holds most of the answer's content words, if it holds enough."""
        coverage, best = max(((self.coverage(i, answer_words), i) for i in self.by_doc.get(doc_id, ())),
                             default=(0.0, None))
        return best if coverage >= MIN_ORACLE_COVERAGE else None

    def distractors(self, question: str, doc_id: str, answer_words: frozenset[str], count: int,
                    rng: random.Random) -> list[int]:
        """``count`` passages of other documents that do not hold the answer, drawn from the
        ``2 * count`` closest to the question (by shared content words), topped up at random when too
        few share any."""
        def usable(index: int) -> bool:
            return (self.passages[index].doc_id != doc_id
                    and self.coverage(index, answer_words) < MIN_ORACLE_COVERAGE)

        shared: dict[int, int] = defaultdict(int)
        for word in content_words(question):
            for index in self.postings.get(word, ()):
                shared[index] += 1
        closest = list(islice(filter(usable, sorted(shared, key=lambda i: (-shared[i], i))), 2 * count))
        chosen = rng.sample(closest, min(count, len(closest)))
        if len(chosen) == count:  # the usual case: no scan of the whole library
            return chosen
        others = [i for i in range(len(self.passages)) if i not in chosen and usable(i)]
        return chosen + rng.sample(others, min(count - len(chosen), len(others)))

    def frame(self, question: str, answer: str, doc_id: str, distractors: int, oracle_fraction: float) -> Framed | None:
        """The pair with its passages, or None when no passage of its document holds the answer."""
        answer_words = content_words(answer)
        oracle = self.oracle(doc_id, answer_words)
        if oracle is None:
            return None
        rng = random.Random(hashlib.sha256(f"{doc_id}\x00{question}".encode()).digest())
        if rng.random() >= oracle_fraction:
            shown = [self.passages[i] for i in self.distractors(question, doc_id, answer_words, distractors + 1, rng)]
            return Framed(shown, NO_ANSWER, False)
        shown = [oracle, *self.distractors(question, doc_id, answer_words, distractors, rng)]
        rng.shuffle(shown)
        return Framed([self.passages[i] for i in shown], f"{answer} [{shown.index(oracle) + 1}]", True)


def retrieval_example(question: str, framed: Framed, system_prompt: str) -> dict:
    """The prompt/completion example of a framed pair, in the served prompt's format."""
    return {"prompt": grounded_messages(system_prompt, [{"role": "user", "content": question}], framed.passages),
            "completion": [{"role": "assistant", "content": framed.completion}]}


def check_context(context: str, distractors: int, oracle_fraction: float) -> None:
    if context not in CONTEXTS:
        raise ValueError(f"context must be one of {CONTEXTS}, got {context!r}")
    if distractors < 1 or not 0 < oracle_fraction <= 1:
        raise ValueError(f"need at least one distractor and 0 < oracle_fraction <= 1, got {distractors}, {oracle_fraction}")

