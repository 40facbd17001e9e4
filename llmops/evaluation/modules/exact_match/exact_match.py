"""Exact match of this repo as an ``evaluate`` module: ``evaluate.load("llmops/evaluation/modules/exact_match")``.

Only short answers are scored (names, numbers, ids: references of at most ``short_answer_words``
normalized words); whether a paragraph matches word for word says little. Each item is scored by
``llmops.evaluation.metrics.exact_match``. ``evaluate`` copies this file into its modules cache and
imports it from there: imports are absolute.
"""

from __future__ import annotations

import datasets
import evaluate

from llmops.evaluation.metrics import exact_match, is_short_answer

_CITATION = """\
@inproceedings{rajpurkar-etal-2016-squad,
  title = "{SQ}u{AD}: 100,000+ Questions for Machine Comprehension of Text",
  author = "Rajpurkar, Pranav and Zhang, Jian and Lopyrev, Konstantin and Liang, Percy",
  booktitle = "Proceedings of the 2016 Conference on Empirical Methods in Natural Language Processing",
  year = "2016",
  pages = "2383--2392",
}
"""

_INPUTS = """
Args:
    predictions: the system's answers, one string each.
    references: the reference answers, one string each.
    short_answer_words: the longest reference, in normalized words, that counts as a short answer.
Returns:
    exact_match: the share of short-answer items whose answer equals the reference after lower-casing
        and removing punctuation and articles; NaN when no reference is a short answer.
"""


class ExactMatch(evaluate.Metric):
    def _info(self) -> evaluate.MetricInfo:
        return evaluate.MetricInfo(
            description="Share of short-answer items answered exactly (SQuAD normalization).",
            citation=_CITATION,
            inputs_description=_INPUTS,
            features=datasets.Features({"predictions": datasets.Value("string"),
                                        "references": datasets.Value("string")}),
        )

    def _compute(self, predictions: list[str], references: list[str], short_answer_words: int) -> dict[str, float]:
        short = [(p, r) for p, r in zip(predictions, references) if is_short_answer(r, short_answer_words)]
        return {"exact_match": sum(exact_match(p, r) for p, r in short) / len(short) if short else float("nan")}
