"""The passages an answer may rely on, read once: their sentences, the numbers and text they hold,
and sentence vectors computed on first use and shared by the extractive answer and the verifier."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from functools import cached_property

import numpy as np

from llmops.grounding.claims import Sentence, clean, content_words, numbers, sentences

Encode = Callable[[list[str]], np.ndarray]  # texts -> unit-length vectors, one row each


class SentenceVectors:
    """``encode`` with the vectors of the last ``size`` texts kept: the same passages come back for
    many questions, so most of an answer's passage sentences are embedded already."""

    def __init__(self, encode: Encode, size: int = 50_000) -> None:
        self.encode, self.size = encode, size
        self._known: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._known))
        fresh = dict(zip(missing, self.encode(missing))) if missing else {}
        with self._lock:
            self._known.update(fresh)
            rows = [self._known[t] if t in self._known else fresh[t] for t in texts]
            for text in texts:
                if text in self._known:
                    self._known.move_to_end(text)
            while len(self._known) > self.size:
                self._known.popitem(last=False)
        return np.stack(rows) if rows else np.empty((0, 0), np.float32)


class Passages:
    """``texts`` (the retrieved chunks, in rank order) as sentences; ``encode`` embeds texts."""

    def __init__(self, texts: Sequence[str], encode: Encode) -> None:
        self.texts = list(texts)
        self.encode = encode
        self.sentences: list[tuple[int, Sentence]] = [(i, s) for i, text in enumerate(self.texts) for s in sentences(text)]

    @cached_property
    def words(self) -> list[frozenset[str]]:
        return [content_words(s.text) for _, s in self.sentences]

    @cached_property
    def numbers(self) -> frozenset[str]:
        return frozenset().union(*(numbers(text) for text in self.texts))

    @cached_property
    def folded(self) -> str:
        """All passages as names are compared (``clean``, case-folded), for names that must appear in them."""
        return "\n".join(clean(text) for text in self.texts).casefold()

    @cached_property
    def vectors(self) -> np.ndarray:
        if not self.sentences:
            return np.empty((0, 0), np.float32)
        return self.encode([s.text for _, s in self.sentences])

    def similarities(self, texts: list[str]) -> np.ndarray:
        """Cosine of each of ``texts`` (rows) with each passage sentence (columns)."""
        if not texts or not self.sentences:
            return np.zeros((len(texts), len(self.sentences)), np.float32)
        return self.encode(texts) @ self.vectors.T

    def neighbours(self, index: int) -> list[int]:
        """``index`` and the sentence after it in the same passage: a claim may span the two."""
        after = index + 1
        same = after < len(self.sentences) and self.sentences[after][0] == self.sentences[index][0]
        return [index, after] if same else [index]
