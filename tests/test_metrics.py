import math
import socket

import pytest

from llmops.evaluation.answers import AnswerItem, AnswerSuite, Reply, score, summarize
from llmops.evaluation.metrics import (MODULES_DIR, TEXT_METRICS, bleu, exact_match, is_short_answer, load_metric,
                                       normalize_answer, rouge_l, text_metrics, token_f1)
from llmops.grounding.answer import NOT_FOUND
from llmops.retrieval.search import Hit
from tests.test_grounding import BATTERY, FIRMWARE, HOURS, RESET, grounder  # noqa: F401  (grounder: a fixture)


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


def _no_network(*args, **kwargs) -> None:
    raise AssertionError("a metric module reached for the network")


@pytest.mark.parametrize("name", [*TEXT_METRICS, "answer_quality"])
def test_metric_modules_load_from_their_folder_offline(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each metric is an evaluate module in the repo, loaded by path with the hub off and no socket."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(socket.socket, "connect", _no_network)
    load_metric.cache_clear()
    module = load_metric(name)
    assert (MODULES_DIR / name / f"{name}.py").is_file() and module.name == name
    assert module.info.description and module.info.inputs_description and module.info.features


def test_text_modules_give_the_functions_values() -> None:
    refs = ["the warranty lasts three years", "Lumora Hub H2"]
    preds = ["the warranty lasts two years", "lumora hub h2."]
    inputs = {"predictions": preds, "references": refs}
    assert load_metric("rouge_l").compute(**inputs) == {"rouge_l": pytest.approx(rouge_l(preds, refs))}
    assert load_metric("bleu").compute(**inputs) == {"bleu": pytest.approx(bleu(preds, refs))}
    assert load_metric("token_f1").compute(**inputs) == {"token_f1": pytest.approx((0.75 + 1.0) / 2)}  # 3 of 4 words, and all
    assert load_metric("exact_match").compute(**inputs, short_answer_words=3) == {"exact_match": 1.0}
    assert load_metric("exact_match").compute(**inputs, short_answer_words=6) == {"exact_match": 0.5}


def _answer_inputs(answers: list[tuple[AnswerItem, Reply]], retrieved: list[str]) -> dict:
    return {"predictions": [r.text for _, r in answers], "modes": [r.mode for _, r in answers],
            "questions": [i.question for i, _ in answers], "passages": [retrieved] * len(answers),
            "cited": [list(r.cited) for _, r in answers], "facts": [[list(f) for f in i.facts] for i, _ in answers],
            "yes_no": [i.yes_no for i, _ in answers], "evidence": [list(i.evidence) for i, _ in answers],
            "answerable": [i.answerable for i, _ in answers]}


def test_answer_quality_module_scores_correctness_contradictions_and_refusal(grounder) -> None:
    retrieved = [BATTERY, HOURS, RESET, FIRMWARE]
    battery = AnswerItem("a", "Can I install the battery myself?", (("certified electrician",),), "no",
                         ("certified electrician",))
    hours = AnswerItem("b", "When does support open on Saturday?", (("09:00", "9 am"), ("14:00",)), "", ("09:00 to 14:00",))
    discount = AnswerItem("d", "Is there a student discount?", answerable=False)
    answers = [(battery, Reply("No. It must be installed by a certified electrician.", "generated", (BATTERY,))),
               (battery, Reply("Yes, a certified electrician is optional.", "generated", (BATTERY,))),
               (hours, Reply("Saturdays from 09:00 to 17:00.", "generated", (HOURS, RESET))),
               (discount, Reply(NOT_FOUND, "not_found", ())),
               (hours, Reply("The documents do not say.", "generated", ()))]
    figures = load_metric("answer_quality").compute(**_answer_inputs(answers, retrieved), grounder=grounder)
    assert figures["correct"] == [True, False, False, False, False]
    assert figures["correctness"] == pytest.approx(1 / 4) and figures["contradictions"] == 2
    assert figures["refusal"] == 1.0 and figures["false_refusal"] == pytest.approx(1 / 4)
    assert figures["answerable"] == 4 and figures["unanswerable"] == 1
    expected = summarize([score(item, reply, grounder.passages(retrieved)) for item, reply in answers])
    assert {name: figures[name] for name in expected} == pytest.approx(expected)
    assert math.isnan(load_metric("answer_quality").compute(**_answer_inputs(answers[3:4], retrieved),
                                                            grounder=grounder)["correctness"])


def test_answer_suite_figures_come_from_the_module(grounder) -> None:
    hits = [Hit(str(n), str(n), "faq.md", "FAQ", text, 1.0) for n, text in enumerate([BATTERY, HOURS, RESET, FIRMWARE])]
    items = [AnswerItem("a", "Can I install the battery myself?", (("certified electrician",),), "no"),
             AnswerItem("d", "Is there a student discount at the cinema?", answerable=False)]
    suite = AnswerSuite(items, [hits, hits], grounder)
    figures, samples = suite.score(["No. It must be installed by a certified electrician.", "Yes, 10 % off."])
    assert set(figures) == {f"generated_{n}" for n in ("correctness", "faithfulness", "contradictions")} | \
        {f"answer_{n}" for n in ("correctness", "faithfulness", "contradictions", "refusal")}
    assert figures["generated_correctness"] == 1.0 and figures["generated_contradictions"] == 0.0
    assert [s["id"] for s in samples] == ["a", "d"] and isinstance(samples[0]["correct"], bool)
    assert set(suite.extractive()) == {f"answer_{n}" for n in ("correctness", "faithfulness", "contradictions", "refusal")}
