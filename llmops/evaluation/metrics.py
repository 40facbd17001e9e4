"""Offline text metrics: nothing here downloads a metric script from a hub.

ROUGE-L comes from ``rouge_score`` and BLEU from ``sacrebleu`` (both well-kept reference
implementations); token F1 and exact match follow the SQuAD normalization. Chinese has no spaces
between words, so a text with Han characters is compared character by character there (its
Latin words stay words), as Chinese ROUGE and BLEU (sacrebleu's ``zh`` tokenizer) are; a text
without any is scored exactly as before. Every metric is also a
Hugging Face ``evaluate`` module kept in this repo (``modules/<name>/<name>.py``, loaded by path with
``load_metric``), so the evaluation report, a notebook or another team computes them one way; the
modules call the functions here, which stay the one home of the scoring.
"""

from __future__ import annotations

import os
import re
import string
from collections import Counter
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from llmops.ingest.language import HAN_RANGES
from llmops.settings import Settings

if TYPE_CHECKING:
    from evaluate import EvaluationModule

_ARTICLES = re.compile(r"\b(a|an|the)\b")
_HAS_HAN = re.compile(f"[{HAN_RANGES}]")
# one Han character, or a run of other letters and digits (punctuation of any script is dropped)
_HAN_OR_WORD = re.compile(f"[{HAN_RANGES}]|[^\\W_{HAN_RANGES}]+")

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
MODULES_DIR = Path(__file__).parent / "modules"
TEXT_METRICS = ("rouge_l", "bleu", "token_f1", "exact_match")  # the reference-based modules


def normalize_answer(text: str) -> str:
    """Lower-case, no punctuation, no articles, single spaces (SQuAD convention)."""
    text = text.lower()
    text = "".join(ch for ch in text if ch not in set(string.punctuation))
    return " ".join(_ARTICLES.sub(" ", text).split())


def answer_tokens(text: str) -> list[str]:
    """The normalized answer's words; with Han characters in it, each of them is a token."""
    normalized = normalize_answer(text)
    return _HAN_OR_WORD.findall(normalized) if _HAS_HAN.search(normalized) else normalized.split()


class _RougeTokenizer:
    """rouge_score's own tokenizer (lower case, Porter stems) for texts without Han characters;
    with them, each Han character is a token and the Latin words between are stemmed as usual."""

    def __init__(self) -> None:
        from rouge_score.tokenizers import DefaultTokenizer

        self.default = DefaultTokenizer(use_stemmer=True)

    def tokenize(self, text: str) -> list[str]:
        if not _HAS_HAN.search(text):
            return self.default.tokenize(text)
        return [token for piece in _HAN_OR_WORD.findall(text.lower())
                for token in ([piece] if _HAS_HAN.match(piece) else self.default.tokenize(piece))]


def token_f1(prediction: str, reference: str) -> float:
    pred, ref = answer_tokens(prediction), answer_tokens(reference)
    if not pred or not ref:
        return float(pred == ref)
    common = sum((Counter(pred) & Counter(ref)).values())
    if common == 0:
        return 0.0
    precision, recall = common / len(pred), common / len(ref)
    return 2 * precision * recall / (precision + recall)


def exact_match(prediction: str, reference: str) -> float:
    return float(answer_tokens(prediction) == answer_tokens(reference))


def rouge_l(predictions: Sequence[str], references: Sequence[str]) -> float:
    """Mean ROUGE-L F-measure (with stemming; Han characters one by one)."""
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rougeL"], tokenizer=_RougeTokenizer())
    scores = [scorer.score(ref, pred)["rougeL"].fmeasure for pred, ref in zip(predictions, references)]
    return sum(scores) / len(scores) if scores else 0.0


def bleu(predictions: Sequence[str], references: Sequence[str]) -> float:
    """Corpus BLEU on a 0–100 scale; sacrebleu's ``zh`` tokenization when any text has Han characters."""
    import sacrebleu

    if not predictions:
        return 0.0
    chinese = any(_HAS_HAN.search(text) for text in (*predictions, *references))
    return float(sacrebleu.corpus_bleu(list(predictions), [list(references)], tokenize="zh" if chinese else "13a").score)


def is_short_answer(reference: str, max_words: int) -> bool:
    """Exact match only means something where the reference is a name, number or id."""
    return 0 < len(answer_tokens(reference)) <= max_words


@cache
def load_metric(name: str) -> EvaluationModule:
    """The ``evaluate`` module ``name`` of this repo, loaded from its folder, once per process.

    ``evaluate`` is imported here, not at the top, so that importing ``METRIC_DIRECTIONS`` stays
    light. It copies the module into its modules cache (``HF_MODULES_CACHE``, by default under
    ``LLMOPS_HOME/evaluate``: runtime state, git-ignored) and imports it from there; inputs are kept
    in memory, so no Arrow files or locks are written. The path is absolute and the hub is off
    (``HF_EVALUATE_OFFLINE``, `llmops.settings`): a name that is not a module here fails instead of
    being looked up.
    """
    cache_dir = Settings.from_env().home / "evaluate"
    os.environ.setdefault("HF_MODULES_CACHE", str(cache_dir / "modules"))
    import evaluate

    return evaluate.load(str(MODULES_DIR / name), cache_dir=str(cache_dir), keep_in_memory=True)


def text_metrics(predictions: Sequence[str], references: Sequence[str], short_answer_words: int) -> dict[str, float]:
    """All reference-based metrics for one system's answers; exact match over the short-answer
    items only (NaN when there are none).

    Each module is computed on its own and the results merged: ``evaluate.combine`` forwards every
    keyword to every module, so ROUGE-L, BLEU and token F1 would be handed ``short_answer_words`` too.
    """
    if len(predictions) != len(references):
        raise ValueError(f"{len(predictions)} predictions for {len(references)} references")
    scores: dict[str, float] = {}
    for name in TEXT_METRICS:
        extra = {"short_answer_words": short_answer_words} if name == "exact_match" else {}
        scores.update(load_metric(name).compute(predictions=list(predictions), references=list(references), **extra))
    return scores
