"""Offline text metrics: nothing here downloads a metric script from a hub.

ROUGE-L comes from ``rouge_score`` and BLEU from ``sacrebleu`` (both well-kept reference
implementations); token F1 and exact match follow the SQuAD normalization.
"""

from __future__ import annotations

import re
import string
from collections import Counter
from collections.abc import Sequence

_ARTICLES = re.compile(r"\b(a|an|the)\b")

# +1: higher is better. exact_match covers short-answer items only; pii_leaks counts distinct
# raw-corpus personal values a system revealed to the leak probe and no other system produced.
METRIC_DIRECTIONS = {"rouge_l": 1, "bleu": 1, "token_f1": 1, "exact_match": 1, "perplexity": -1, "pii_leaks": -1,
                     # the answer evaluation (llmops.evaluation.answers): the model's own text, and what serving sends
                     "generated_correctness": 1, "generated_faithfulness": 1, "generated_contradictions": -1,
                     "answer_correctness": 1, "answer_faithfulness": 1, "answer_contradictions": -1,
                     "answer_refusal": 1}
# Where the probe hits behind pii_leaks are listed with their context (an artifact of the candidate's
# run), so the promotion gate can point a person at them.
LEAK_HITS_ARTIFACT = "evaluation/pii_leak_hits.json"


def normalize_answer(text: str) -> str:
    """Lower-case, no punctuation, no articles, single spaces (SQuAD convention)."""
    text = text.lower()
    text = "".join(ch for ch in text if ch not in set(string.punctuation))
    return " ".join(_ARTICLES.sub(" ", text).split())


def token_f1(prediction: str, reference: str) -> float:
    pred, ref = normalize_answer(prediction).split(), normalize_answer(reference).split()
    if not pred or not ref:
        return float(pred == ref)
    common = sum((Counter(pred) & Counter(ref)).values())
    if common == 0:
        return 0.0
    precision, recall = common / len(pred), common / len(ref)
    return 2 * precision * recall / (precision + recall)


def exact_match(prediction: str, reference: str) -> float:
    return float(normalize_answer(prediction) == normalize_answer(reference))


def rouge_l(predictions: Sequence[str], references: Sequence[str]) -> float:
    """Mean ROUGE-L F-measure (with stemming)."""
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rougeL"], use_stemmer=True)
    scores = [scorer.score(ref, pred)["rougeL"].fmeasure for pred, ref in zip(predictions, references)]
    return sum(scores) / len(scores) if scores else 0.0


def bleu(predictions: Sequence[str], references: Sequence[str]) -> float:
    """Corpus BLEU on a 0–100 scale."""
    import sacrebleu

    if not predictions:
        return 0.0
    return float(sacrebleu.corpus_bleu(list(predictions), [list(references)]).score)


def is_short_answer(reference: str, max_words: int) -> bool:
    """Exact match only means something where the reference is a name, number or id."""
    return 0 < len(normalize_answer(reference).split()) <= max_words


def text_metrics(predictions: Sequence[str], references: Sequence[str], short_answer_words: int) -> dict[str, float]:
    """All reference-based metrics for one system's answers; exact match over the short-answer
    items only (NaN when there are none)."""
    if len(predictions) != len(references):
        raise ValueError(f"{len(predictions)} predictions for {len(references)} references")
    n = max(len(predictions), 1)
    short = [(p, r) for p, r in zip(predictions, references) if is_short_answer(r, short_answer_words)]
    return {
        "rouge_l": rouge_l(predictions, references),
        "bleu": bleu(predictions, references),
        "token_f1": sum(map(token_f1, predictions, references)) / n,
        "exact_match": sum(exact_match(p, r) for p, r in short) / len(short) if short else float("nan"),
    }
