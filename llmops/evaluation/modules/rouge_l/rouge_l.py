"""ROUGE-L of this repo as an ``evaluate`` module: ``evaluate.load("llmops/evaluation/modules/rouge_l")``.

The score is ``llmops.evaluation.metrics.rouge_l``; this file only declares its inputs, so that
``evaluate`` users get the same number as the evaluation report. ``evaluate`` copies this file into
its modules cache and imports it from there: imports are absolute.
"""

from __future__ import annotations

import datasets
import evaluate

from llmops.evaluation.metrics import rouge_l

_CITATION = """\
@inproceedings{lin-2004-rouge,
  title = "{ROUGE}: A Package for Automatic Evaluation of Summaries",
  author = "Lin, Chin-Yew",
  booktitle = "Text Summarization Branches Out",
  year = "2004",
  publisher = "Association for Computational Linguistics",
  pages = "74--81",
}
"""

_INPUTS = """
Args:
    predictions: the system's answers, one string each.
    references: the reference answers, one string each.
Returns:
    rouge_l: mean ROUGE-L F-measure (longest common subsequence, Porter stemming), 0 to 1.
"""


class RougeL(evaluate.Metric):
    def _info(self) -> evaluate.MetricInfo:
        return evaluate.MetricInfo(
            description="Mean ROUGE-L F-measure of each answer against its reference, from Google's rouge_score.",
            citation=_CITATION,
            inputs_description=_INPUTS,
            features=datasets.Features({"predictions": datasets.Value("string"),
                                        "references": datasets.Value("string")}),
            codebase_urls=["https://github.com/google-research/google-research/tree/master/rouge"],
        )

    def _compute(self, predictions: list[str], references: list[str]) -> dict[str, float]:
        return {"rouge_l": rouge_l(predictions, references)}
