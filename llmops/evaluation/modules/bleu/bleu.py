"""Corpus BLEU of this repo as an ``evaluate`` module: ``evaluate.load("llmops/evaluation/modules/bleu")``.

The score is ``llmops.evaluation.metrics.bleu`` (sacrebleu, one reference per answer); this file only
declares its inputs. Unlike the hub's ``bleu`` script it downloads nothing at run time. ``evaluate``
copies this file into its modules cache and imports it from there: imports are absolute.
"""

from __future__ import annotations

import datasets
import evaluate

from llmops.evaluation.metrics import bleu

_CITATION = """\
@inproceedings{papineni-etal-2002-bleu,
  title = "{B}leu: a Method for Automatic Evaluation of Machine Translation",
  author = "Papineni, Kishore and Roukos, Salim and Ward, Todd and Zhu, Wei-Jing",
  booktitle = "Proceedings of the 40th Annual Meeting of the Association for Computational Linguistics",
  year = "2002",
  pages = "311--318",
}
@inproceedings{post-2018-call,
  title = "A Call for Clarity in Reporting {BLEU} Scores",
  author = "Post, Matt",
  booktitle = "Proceedings of the Third Conference on Machine Translation: Research Papers",
  year = "2018",
  pages = "186--191",
}
"""

_INPUTS = """
Args:
    predictions: the system's answers, one string each.
    references: the reference answers, one string each.
Returns:
    bleu: corpus BLEU on a 0-100 scale (sacrebleu defaults: 13a tokenization, exponential smoothing).
"""


class Bleu(evaluate.Metric):
    def _info(self) -> evaluate.MetricInfo:
        return evaluate.MetricInfo(
            description="Corpus BLEU of the answers against one reference each, from sacrebleu.",
            citation=_CITATION,
            inputs_description=_INPUTS,
            features=datasets.Features({"predictions": datasets.Value("string"),
                                        "references": datasets.Value("string")}),
            codebase_urls=["https://github.com/mjpost/sacrebleu"],
        )

    def _compute(self, predictions: list[str], references: list[str]) -> dict[str, float]:
        return {"bleu": bleu(predictions, references)}
