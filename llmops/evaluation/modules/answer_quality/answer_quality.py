"""The answer evaluation with ground truth as an ``evaluate`` module:
``evaluate.load("llmops/evaluation/modules/answer_quality")``.

Each answer is scored by ``llmops.evaluation.answers.score`` (the verifier of ``llmops.grounding``
reads the retrieved passages) and the set summarized by ``answers.summarize``; this file only maps
its columns onto those. ``evaluate`` copies this file into its modules cache and imports it from
there: imports are absolute.
"""

from __future__ import annotations

import datasets
import evaluate

from llmops.evaluation.answers import AnswerItem, Reply, score, summarize
from llmops.grounding.answer import Grounder

_INPUTS = """
Args, one entry per answer:
    predictions: the answer's text.
    modes: the mode that made it ("generated", "verified", "extractive", "not_found", ...).
    questions: the question asked.
    passages: the retrieved passage texts the answer was written from.
    cited: the passage texts the answer cites.
    facts: what a correct answer states: a list of facts, each a list of alternative wordings.
    yes_no: the expected polarity of a yes/no question ("yes" or "no"), "" for other questions.
    evidence: phrases that mark a passage as holding the answer.
    answerable: False where the documents do not answer the question.
Keyword:
    grounder: the `llmops.grounding.answer.Grounder` whose encoder the verifier uses.
Returns:
    answerable, unanswerable: how many items of each kind.
    correctness: share of answerable items stating every fact with the expected polarity.
    faithfulness: mean share of supported sentences over the answered (not refused) items.
    contradictions: answers of the wrong polarity or with numbers no passage states.
    citation_precision: mean share of cited passages holding an evidence phrase or a fact.
    false_refusal: share of answerable items refused; refusal: share of unanswerable items refused.
    correct: per answer, whether it is correct.
Means over no items are NaN.
"""


class AnswerQuality(evaluate.Metric):
    def _info(self) -> evaluate.MetricInfo:
        text, texts = datasets.Value("string"), datasets.Sequence(datasets.Value("string"))
        return evaluate.MetricInfo(
            description="Answers judged against ground truth: correctness, faithfulness to the cited passages, "
                        "contradictions, citation precision and refusal.",
            citation="",
            inputs_description=_INPUTS,
            features=datasets.Features({
                "predictions": text, "modes": text, "questions": text, "passages": texts, "cited": texts,
                "facts": datasets.Sequence(texts), "yes_no": text, "evidence": texts,
                "answerable": datasets.Value("bool"),
            }),
        )

    def _compute(self, predictions: list[str], modes: list[str], questions: list[str], passages: list[list[str]],
                 cited: list[list[str]], facts: list[list[list[str]]], yes_no: list[str], evidence: list[list[str]],
                 answerable: list[bool], grounder: Grounder) -> dict[str, float | list[bool]]:
        scored = [score(AnswerItem("", question, tuple(map(tuple, alternatives)), polarity, tuple(phrases), ok),
                        Reply(text, mode, tuple(quoted)), grounder.passages(retrieved))
                  for text, mode, question, retrieved, quoted, alternatives, polarity, phrases, ok
                  in zip(predictions, modes, questions, passages, cited, facts, yes_no, evidence, answerable)]
        return {**summarize(scored), "correct": [s.correct for s in scored]}
