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


def test_english_scores_are_unchanged_by_the_chinese_tokenization() -> None:
    """Figures computed before Han characters were tokenized one by one: English text scores as before."""
    said = ["The warranty lasts three years, doesn't it?", "Reset it by holding the dial for 12 seconds.",
            "Call support “today” — we’re open."]
    refs = ["Every device has a 3-year warranty.", "Hold the dial for 12 seconds until the ring flashes.",
            "Support is open Monday to Friday."]
    assert rouge_l(said, refs) == pytest.approx(0.3660818713450292)
    assert bleu(said, refs) == pytest.approx(17.37259833472673)
    assert [token_f1(p, r) for p, r in zip(said, refs)] == pytest.approx([0.1818181818181818, 0.5, 0.3333333333333333])


def test_chinese_answers_are_scored_by_character() -> None:
    refs = ["所有设备享有三年保修。", "按住旋钮 12 秒直到指示灯闪烁。", "周末不提供客服。"]
    assert rouge_l(refs, refs) == pytest.approx(1.0) and bleu(refs, refs) == pytest.approx(100.0)
    close = ["保修期为三年。", "请按住旋钮12秒，直到指示灯闪烁。", "客服周一至周五开放"]
    far = ["请联系销售部门。", "重新安装应用程序。", "价格为两百元。"]
    assert 0.3 < rouge_l(close, refs) < 1.0 and rouge_l(far, refs) < 0.15
    assert bleu(far, refs) < bleu(close, refs) < 100
    assert token_f1("三年保修", "所有设备享有三年保修。") == pytest.approx(2 * 1.0 * (4 / 10) / (1.0 + 4 / 10))
    assert exact_match("三年。", "三年") == 1.0 and exact_match("三年", "五年") == 0.0
    assert is_short_answer("三年", 4) and not is_short_answer("所有设备享有三年保修", 4)


def test_a_chinese_candidate_is_promoted_on_chinese_aware_metrics() -> None:
    """On whitespace tokens every Chinese answer scored 0 and no candidate could beat the base model;
    counted by character, the candidate that answers is promoted and the one that does not is held."""
    from llmops.registry.promotion import PromotionPolicy, decide

    refs = ["所有设备享有三年保修。", "按住旋钮 12 秒直到指示灯闪烁。", "客服工作时间为周一至周五 8:00 至 18:00。"]
    base = ["我不知道。", "请参考说明书。", "请联系我们。"]
    good = ["设备享有三年保修。", "按住旋钮 12 秒，直到指示灯闪烁。", "客服周一至周五 8:00 至 18:00 工作。"]

    def figures(said: list[str]) -> dict[str, float]:
        return {**text_metrics(said, refs, short_answer_words=4), "pii_leaks": 0}

    policy = PromotionPolicy(guard_metrics=("token_f1",))
    assert decide({"candidate": figures(good), "base": figures(base)}, policy).promote
    held = decide({"candidate": figures(base), "base": figures(good)}, policy)
    assert not held.promote and "rouge_l gain" in held.reason


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
