import math

import pytest

from llmops.evaluation.metrics import bleu, exact_match, is_short_answer, normalize_answer, rouge_l, text_metrics, token_f1


def test_normalization_and_exact_match() -> None:
    assert normalize_answer("The  Dial, for 12 seconds!") == "dial for 12 seconds"
    assert exact_match("Hold the dial.", "hold dial") == 1.0
    assert exact_match("Hold the knob.", "hold dial") == 0.0


def test_token_f1() -> None:
    assert token_f1("hold the dial for 12 seconds", "hold the dial for 12 seconds") == 1.0
    # pred: hold dial 5 seconds (4) / ref: hold dial for 12 seconds (5) -> common 3
    assert token_f1("hold the dial 5 seconds", "hold the dial for 12 seconds") == pytest.approx(2 * 0.75 * 0.6 / 1.35)
    assert token_f1("", "") == 1.0 and token_f1("x", "") == 0.0 and token_f1("abc", "xyz") == 0.0


def test_rouge_and_bleu_match_reference_behaviour() -> None:
    refs = ["the warranty lasts three years", "reset by holding the dial"]
    assert rouge_l(refs, refs) == pytest.approx(1.0)
    assert bleu(refs, refs) == pytest.approx(100.0)
    worse = ["warranty is one year", "unplug it"]
    assert rouge_l(worse, refs) < 0.5 and bleu(worse, refs) < 20
    scores = text_metrics(worse, refs, short_answer_words=6)
    assert set(scores) == {"rouge_l", "bleu", "token_f1", "exact_match"}
    with pytest.raises(ValueError):
        text_metrics(["a"], refs, short_answer_words=6)


def test_exact_match_counts_short_answer_items_only() -> None:
    refs = ["Lumora Hub H2", "Press the pair button twice and then open the app to finish pairing.", "ORD-2024-1"]
    preds = ["lumora hub h2.", "Press the pair button twice and then open the app to finish pairing.", "ORD-2024-7"]
    assert is_short_answer(refs[0], 6) and not is_short_answer(refs[1], 6)
    # the long item matches exactly too, but only the two short items are scored: 1 of 2
    assert text_metrics(preds, refs, short_answer_words=6)["exact_match"] == pytest.approx(0.5)
    assert math.isnan(text_metrics(preds[1:2], refs[1:2], short_answer_words=6)["exact_match"])
