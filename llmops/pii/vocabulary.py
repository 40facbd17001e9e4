"""The corpus's own vocabulary: capitalised words that are terms of the documents, not people.

A small NER model calls "Debian", "Git", "Perl", "Kafka" or "File Format" a person when they open a
sentence or stand in a heading. Across a corpus they give themselves away: the same word is also
written in lower case (``git commit``, ``/usr/share/perl``, "the file format"), or it recurs alone in
many documents, where a person's given name recurs beside a surname. Learned from the texts being
scrubbed together (`Scrubber.scrub_many`), so every corpus teaches its own terms.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import regex

# The local part of an e-mail address is a person's name as often as not ("maria.keller@..."):
# not evidence that the corpus uses the word as a term.
_EMAIL_LOCAL_PART = regex.compile(r"[\w.+\-]+(?=@[\w\-]+\.)")
_LOWER_WORD = regex.compile(r"(?<![\p{L}\d])\p{Ll}[\p{Ll}\d]+(?![\p{L}\d])")
_CAPITALISED = regex.compile(r"(?<![\p{L}\d])(\p{Lu}[\p{L}\d]+)(?![\p{L}\d])")
# A capitalised word right before or after counts as company: "John Hayes", "Kafka Connect".
_NEIGHBOUR = regex.compile(r"[ \t]+\p{Lu}")
_NEIGHBOUR_BEFORE = regex.compile(r"\p{Lu}[\p{L}\d]*[ \t]+\Z")
_LOOK_BEHIND = 40


@dataclass(frozen=True)
class CorpusVocabulary:
    """Words the corpus writes in lower case, and capitalised words that recur alone across documents."""

    lowercase: frozenset[str] = frozenset()
    recurring: frozenset[str] = frozenset()

    def is_term(self, word: str) -> bool:
        """Whether a capitalised word is one of the corpus's terms."""
        return word.lower() in self.lowercase or word in self.recurring

    @classmethod
    def learn(cls, texts: Sequence[str], groups: Sequence[Hashable], min_documents: int = 3,
              alone_share: float = 0.8) -> CorpusVocabulary:
        """Learn from ``texts`` (``groups`` say which texts form one document): a capitalised word is
        recurring when it appears in at least ``min_documents`` documents and stands without a
        capitalised neighbour in at least ``alone_share`` of its uses."""
        lowercase: set[str] = set()
        documents: dict[str, set[Hashable]] = {}
        uses: Counter[str] = Counter()
        alone: Counter[str] = Counter()
        for text, group in zip(texts, groups):
            lowercase.update(_LOWER_WORD.findall(_EMAIL_LOCAL_PART.sub(" ", text)))
            for match in _CAPITALISED.finditer(text):
                word = match.group(1)
                documents.setdefault(word, set()).add(group)
                uses[word] += 1
                before = text[max(match.start() - _LOOK_BEHIND, 0) : match.start()]
                if not _NEIGHBOUR.match(text, match.end()) and not _NEIGHBOUR_BEFORE.search(before):
                    alone[word] += 1
        recurring = {
            word for word, docs in documents.items()
            if len(docs) >= min_documents and alone[word] >= alone_share * uses[word]
        }
        return cls(frozenset(lowercase), frozenset(recurring))


_CODE = regex.compile(r"^[ \t]*(```|~~~)[^\n]*\n.*?^[ \t]*\1[ \t]*$|`[^`\n]+`", regex.MULTILINE | regex.DOTALL)


def code_spans(text: str) -> list[tuple[int, int]]:
    """Fenced code blocks and inline code spans of Markdown (readers write HTML's <pre>/<code> so)."""
    return [m.span() for m in _CODE.finditer(text)]
