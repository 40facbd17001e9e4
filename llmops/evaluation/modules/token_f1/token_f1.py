"""Token F1 of this repo as an ``evaluate`` module: ``evaluate.load("llmops/evaluation/modules/token_f1")``.

Each answer is scored by ``llmops.evaluation.metrics.token_f1`` (SQuAD normalization) and the scores
averaged. ``evaluate`` copies this file into its modules cache and imports it from there: imports are
absolute.
"""

from __future__ import annotations

import datasets
import evaluate

from llmops.evaluation.metrics import token_f1

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
Returns:
    token_f1: mean F1 of the answer's tokens against the reference's, after lower-casing and removing
        punctuation and articles (two empty texts score 1), 0 to 1; 0 when there are no answers.
"""


class TokenF1(evaluate.Metric):
    def _info(self) -> evaluate.MetricInfo:
        return evaluate.MetricInfo(
            description="Mean token-overlap F1 of each answer with its reference, SQuAD-normalized.",
            citation=_CITATION,
            inputs_description=_INPUTS,
            features=datasets.Features({"predictions": datasets.Value("string"),
                                        "references": datasets.Value("string")}),
        )

    def _compute(self, predictions: list[str], references: list[str]) -> dict[str, float]:
        return {"token_f1": sum(map(token_f1, predictions, references)) / max(len(predictions), 1)}
