"""Answers held to their passages: the claims read from a sentence, the verifier, the extractive
answer, the mode policy (whole and streamed) and the answer evaluation's scoring."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from llmops.evaluation.answers import AnswerItem, Reply, load_items, polarity, score, states, summarize
from llmops.grounding.answer import NOT_FOUND, Grounder, Mode, VerifiedStream
from llmops.grounding.claims import content_words, named_items, negated, numbers, sentences
from llmops.grounding.prompt import NO_ANSWER
from llmops.retrieval.embedder import Embedder

BATTERY = ("## Can I install the battery myself?\nThe Lumora Battery B10 must be installed by a certified electrician. "
           "Self-installation voids the warranty.")
HOURS = ("Customer support is available Monday to Friday from 08:00 to 20:00 CET and on Saturdays from 09:00 to 14:00 "
         "CET. Support is closed on public holidays.")
RESET = "To reset the hub:\n1. Hold the button for 10 seconds.\n2. Wait until the light blinks blue.\n3. Open the app."
FIRMWARE = "Automatic updates cannot be switched off on the hub. Updates are installed between 02:00 and 04:00."


@pytest.fixture(scope="module")
def grounder() -> Grounder:
    return Grounder(Embedder().encode)


@pytest.fixture(scope="module")
def passages(grounder):
    return grounder.passages([BATTERY, HOURS, RESET, FIRMWARE])


def test_claims_read_numbers_negation_names_and_sentences() -> None:
    assert numbers("EUR 4,990.00 for six units, 08:00 to 20:00, version 2.3.7, 15 %.") == {
        "4990", "6", "8:00", "20:00", "2.3.7", "15"}
    assert numbers("LM-BAT-B10 ships today") == frozenset()  # a code is a name, not a number
    split = [s.text for s in sentences("Yes. Bring it, e.g. by car. Then go.\n1. First step.\n2. Second step.\n支持。请联系我们！")]
    assert split == ["Yes.", "Bring it, e.g. by car.", "Then go.", "1. First step.", "2. Second step.", "支持。", "请联系我们！"]
    # a soft line wrap or a semicolon does not end a sentence; a citation marker does
    assert [s.text for s in sentences("Files are not\naffected; see below. “Quoted” [1] “Other” [12]\n\nNext")] == [
        "Files are not\naffected; see below.", "“Quoted” [1]", "“Other” [12]", "Next"]
    assert negated("You cannot turn it off.") and negated("It isn't covered") and negated("不支持自行安装")
    assert not negated("It is not without risk.") and not negated("It works offline.")
    assert named_items("Support opens in Berlin at the LM-HUB-H2 desk (CET).") >= {"berlin", "lm-hub-h2", "cet"}
    assert content_words("The batteries were installed") == content_words("battery installing")


def test_verifier_keeps_supported_sentences_and_names_why_others_go(grounder, passages) -> None:
    question = "Can I install the home battery myself?"
    checks = grounder.checked(question, "Yes, you can install it yourself.", passages,
                              grounder.extract(question, passages)).checks
    assert not checks[0].supported  # the passage never says so (no "not" in it either)
    hours = "When is support open on Saturday?"
    answer = ("Support is open on Saturdays from 09:00 to 14:00 CET. On Saturdays it closes at 17:00. "
              "The Berlin office answers the phone.")
    grounded = grounder.checked(hours, answer, passages, grounder.extract(hours, passages))
    assert [c.supported for c in grounded.checks] == [True, False, False]
    assert "17:00" in grounded.checks[1].reason and "berlin" in grounded.checks[2].reason
    assert grounded.mode is Mode.VERIFIED
    # the supported sentence, the note, then the passage sentence that answers, quoted
    assert grounded.text == ("Support is open on Saturdays from 09:00 to 14:00 CET. (2 sentences removed: not supported "
                             f"by the cited passages.) From the documents: “{sentences(HOURS)[0].text}” [2]")
    assert grounded.quotes == {1: [sentences(HOURS)[0].text]}


def test_verifier_catches_flipped_negation_and_keeps_an_agreeing_no(grounder, passages) -> None:
    question = "Can I switch off automatic updates on the hub?"
    found = grounder.extract(question, passages)
    flipped = grounder.checked(question, "Automatic updates can be switched off on the hub.", passages, found)
    assert flipped.mode is Mode.EXTRACTIVE and "negated" in flipped.checks[0].reason
    agreeing = grounder.checked(question, "No, automatic updates cannot be switched off on the hub.", passages, found)
    assert agreeing.mode is Mode.GENERATED and agreeing.text == "No, automatic updates cannot be switched off on the hub."
    paraphrase = grounder.checked("When do updates run?", "The hub installs its updates from 2:00 to 4:00.", passages,
                                  found)
    assert paraphrase.mode is Mode.GENERATED  # "02:00" and "2:00" are one number


def test_extractive_answer_quotes_whole_steps_and_never_a_question(grounder, passages) -> None:
    found = grounder.extract("How do I reset my hub?", passages)
    assert grounder.answerable(found)
    answer = grounder.extractive(found)
    assert answer.mode is Mode.EXTRACTIVE
    assert answer.text == f"“{RESET}” [3]" and answer.quotes == {2: [RESET]}
    battery = grounder.extractive(grounder.extract("Can I install the battery myself?", passages))
    assert "?" not in battery.text and "certified electrician" in battery.text and battery.quotes.keys() == {0}


def test_questions_the_passages_do_not_answer_are_refused(grounder, passages) -> None:
    unrelated = grounder.extract("What is the dress code at the Tokyo office?", passages)
    related = grounder.extract("When can I call customer support?", passages)
    assert related.relevance > unrelated.relevance and grounder.answerable(related)
    assert not grounder.answerable(unrelated)
    assert grounder.not_found().text == NOT_FOUND and grounder.extractive(grounder.extract("", passages)).mode is Mode.NOT_FOUND
    # past the relevance bar, a model that says its passages do not answer (as RAFT training teaches) is believed,
    # whole or streamed; a refusal beside a supported sentence is only a removed sentence
    question = "Can I pay the support fee in Bitcoin?"
    found = grounder.extract(question, passages)
    assert grounder.checked(question, NO_ANSWER, passages, found).mode is Mode.NOT_FOUND
    stream = VerifiedStream(grounder, question, passages, found)
    assert stream.feed(NO_ANSWER + " ") == "" and stream.finish() == NOT_FOUND and stream.grounded.mode is Mode.NOT_FOUND
    partly = grounder.checked(question, f"{NO_ANSWER} Support is closed on public holidays.", passages, found)
    assert partly.mode is Mode.VERIFIED and partly.text.startswith("Support is closed on public holidays.")


def test_streamed_verification_sends_what_the_whole_check_sends(grounder, passages) -> None:
    question = "When is support open on Saturday?"
    found = grounder.extract(question, passages)
    answer = "Support is open on Saturdays from 09:00 to 14:00 CET. It closes at 17:00. Support is closed on public holidays."
    stream = VerifiedStream(grounder, question, passages, found)
    pieces = [stream.feed(answer[i:i + 7]) for i in range(0, len(answer), 7)]
    pieces.append(stream.finish())
    whole = grounder.checked(question, answer, passages, found)
    assert "".join(pieces) == whole.text and stream.grounded.mode is whole.mode is Mode.VERIFIED
    assert pieces[0] == "" and any(pieces[:-1])  # the first sentence went out before the answer was finished
    nothing = VerifiedStream(grounder, question, passages, found)
    assert nothing.feed("Call Berlin at 17:00 on Sundays. ") == "" and nothing.finish() == grounder.extractive(found).text
    assert nothing.grounded.mode is Mode.EXTRACTIVE


def test_answer_scoring_correctness_contradiction_citations_and_refusal(grounder, passages, tmp_path: Path) -> None:
    lines = [{"id": "a", "question": "Can I install the battery myself?", "answers": [{"evidence": "certified electrician"}],
              "facts": ["certified electrician"], "yes_no": "no"},
             {"id": "b", "question": "When does support open on Saturday?", "answers": [{"evidence": "09:00 to 14:00"}],
              "facts": [["09:00", "9 am"], "14:00"]},
             {"id": "c", "question": "Where is the hub made?", "answers": [{"evidence": "hub"}]},
             {"id": "d", "question": "Is there a student discount?", "answerable": False}]
    path = tmp_path / "questions.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines))
    items = load_items(path)
    assert [i.id for i in items] == ["a", "b", "d"]  # "c" has no facts: a retrieval-only question
    assert states("It opens at 9:00 and closes at 14:00.", "09:00") and not states("Open 9 to 5.", "14:00")
    assert polarity("No, never.") == "no" and polarity("It must not be opened.") == "no" and polarity("Sure.") == "yes"
    battery, hours, discount = items
    cited = (BATTERY,)
    right = score(battery, Reply("No. It must be installed by a certified electrician.", "generated", cited), passages)
    wrong = score(battery, Reply("Yes, a certified electrician is optional.", "generated", cited), passages)
    assert right.correct and not right.contradiction and right.citation_precision == 1.0
    assert not wrong.correct and wrong.contradiction
    invented = score(hours, Reply("Saturdays from 09:00 to 17:00.", "generated", (HOURS, RESET)), passages)
    assert not invented.correct and invented.contradiction and invented.citation_precision == 0.5
    assert invented.faithfulness == 0.0
    noted = score(hours, Reply("Saturdays from 09:00 to 14:00. (1 sentence removed: not supported by the cited passages.) "
                               f"From the documents: “{sentences(HOURS)[0].text}” [1]", Mode.VERIFIED.value, (HOURS,)), passages)
    assert noted.correct and noted.faithfulness == 1.0 and not noted.contradiction  # the removal note is no claim
    refusal = score(discount, Reply(NOT_FOUND, Mode.NOT_FOUND.value, ()), passages)
    false_refusal = score(hours, Reply("The documents do not say.", "generated", ()), passages)
    figures = summarize([right, invented, refusal, false_refusal])
    assert figures["correctness"] == pytest.approx(1 / 3) and figures["contradictions"] == 1
    assert figures["refusal"] == 1.0 and figures["false_refusal"] == pytest.approx(1 / 3)
    assert figures["faithfulness"] == pytest.approx(0.5)
    assert AnswerItem("x", "?").answerable


def test_sentence_vectors_are_embedded_once_and_the_oldest_forgotten() -> None:
    import numpy as np

    from llmops.grounding.passages import SentenceVectors

    asked: list[list[str]] = []

    def encode(texts: list[str]) -> np.ndarray:
        asked.append(list(texts))
        return np.array([[float(len(t)), 1.0] for t in texts], np.float32)

    vectors = SentenceVectors(encode, size=3)
    first = vectors(["a", "bb", "a"])
    assert asked == [["a", "bb"]] and first.tolist() == [[1, 1], [2, 1], [1, 1]]
    assert vectors(["bb", "a"]).tolist() == [[2, 1], [1, 1]] and len(asked) == 1  # nothing embedded again
    vectors(["ccc", "dddd"])  # "bb" is the least recently used: forgotten
    vectors(["bb"])
    assert asked[-1] == ["bb"] and vectors([]).shape == (0, 0)
