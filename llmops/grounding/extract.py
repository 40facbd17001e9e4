"""The extractive answer: the passage sentences that answer the question, quoted as they are.

Sentences are scored by the cosine of their embedding with the question's plus a share of the
question's content words they contain (``lexical_weight``), less a little per passage rank. The best
one is quoted; a runner-up close to it (``runner_up`` of its score) too; a sentence that introduces
a list (ends with ":") or is a list item brings the list items after it, so steps come whole.
Headings and questions (FAQ entries) are never quoted, but they count for ``relevance``: the
best cosine of the question with any passage sentence, which decides "not in the documents".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from llmops.grounding.claims import content_words
from llmops.grounding.passages import Passages

_RANK_PENALTY = 0.02


@dataclass(frozen=True)
class Quote:
    passage: int  # index of the passage (retrieved chunk) it comes from
    text: str
    start: int  # offsets in the passage's text
    end: int


@dataclass(frozen=True)
class Extract:
    quotes: list[Quote]
    relevance: float


def extract(question: str, passages: Passages, lexical_weight: float = 0.3, runner_up: float = 0.92,
            max_list_items: int = 8) -> Extract:
    """The quotes that answer ``question`` best, in passage order, and how relevant the passages are."""
    if not passages.sentences or not question.strip():
        return Extract([], 0.0)
    cosines = passages.similarities([question])[0]
    asked = content_words(question)
    scores = np.full(len(cosines), -np.inf, np.float32)
    for index, ((rank, sentence), words) in enumerate(zip(passages.sentences, passages.words)):
        if _quotable(sentence.text):
            overlap = len(asked & words) / len(asked) if asked else 0.0
            scores[index] = cosines[index] + lexical_weight * overlap - _RANK_PENALTY * rank
    relevance = float(cosines.max())
    if not np.isfinite(scores.max()):
        return Extract([], relevance)
    order = [int(i) for i in np.argsort(-scores)]
    chosen = {order[0]}
    if len(order) > 1 and np.isfinite(scores[order[1]]) and scores[order[1]] >= runner_up * scores[order[0]]:
        chosen.add(order[1])
    for index in list(chosen):
        chosen.update(_list_after(passages, index, max_list_items))
    return Extract(_quotes(passages, sorted(chosen)), relevance)


def _quotes(passages: Passages, chosen: list[int]) -> list[Quote]:
    """One quote per run of consecutive chosen sentences of a passage (a lead-in and its list stay one block)."""
    quotes: list[Quote] = []
    for previous, index in zip([None, *chosen], chosen):
        passage, sentence = passages.sentences[index]
        if quotes and previous == index - 1 and passages.sentences[previous][0] == passage:
            last = quotes.pop()
            quotes.append(Quote(passage, passages.texts[passage][last.start:sentence.end], last.start, sentence.end))
        else:
            quotes.append(Quote(passage, sentence.text, sentence.start, sentence.end))
    return quotes


def _quotable(text: str) -> bool:
    stripped = text.strip()
    return not stripped.startswith("#") and not stripped.endswith(("?", "？")) and len(stripped) >= 12


def _list_after(passages: Passages, index: int, limit: int) -> list[int]:
    """The list items that follow sentence ``index`` in its passage, when it is a list item or leads into a list."""
    passage, sentence = passages.sentences[index]
    if not (sentence.list_item or sentence.text.rstrip().endswith((":", "："))):
        return []
    items = []
    for after in range(index + 1, min(index + 1 + limit, len(passages.sentences))):
        other_passage, other = passages.sentences[after]
        if other_passage != passage or not other.list_item:
            break
        items.append(after)
    return items
