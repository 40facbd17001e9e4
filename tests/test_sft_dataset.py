import pandas as pd

from llmops.train.sft_dataset import SFTSettings, build_examples, extract_pairs, save_dataset, split_for


def _doc(doc_id: str, doc_type: str, title: str, text: str) -> dict:
    return {"doc_id": doc_id, "doc_type": doc_type, "title": title, "text": text}


FAQ = "# Aura FAQ\n\n## How do I reset the Aura?\nHold the dial for 12 seconds.\n\n## Is it waterproof?\nNo, keep it dry indoors."
TICKET = ("Ticket id: TCK-7\nProduct: Aura H2\nCustomer name: <PERSON_1>\nSubject: Shows E14\n"
          "Description: Display shows E14 since Monday.\nResolution: E14 means the sensor is disconnected; reseat the cable.")
CHAT = ("[09:01] Customer (<PERSON_1>): Hi, my Gridbox beeps every minute.\n[09:02] Agent (<PERSON_2>): That is the low-charge alarm.\n"
        "[09:02] Agent (<PERSON_2>): Plug it in for two hours.\n[09:05] Customer (<PERSON_1>): And the warranty?\n"
        "[09:06] Agent (<PERSON_2>): Three years on every device.")
MANUAL = "Gridbox manual: Installation\n============================\nMount the Gridbox on a wall rated for 40 kg using the four M8 anchors."
POLICY = "# Travel policy\n\n## Booking\nBook trains for trips under 4 hours.\n\n## Expenses\nMeals up to EUR 45 per day are reimbursed."


def test_pairs_follow_document_structure() -> None:
    faq = extract_pairs("f", "faq", "Aura FAQ", FAQ)
    assert [(p.question, p.answer) for p in faq] == [
        ("How do I reset the Aura?", "Hold the dial for 12 seconds."), ("Is it waterproof?", "No, keep it dry indoors.")]
    (ticket,) = extract_pairs("t", "ticket", "Shows E14", TICKET)
    assert ticket.question == "[Aura H2] Shows E14 Display shows E14 since Monday."
    assert ticket.answer.startswith("E14 means the sensor is disconnected") and ticket.kind == "ticket"
    mentioned = TICKET.replace("Display shows", "My Aura H2 shows")
    long, short = extract_pairs("t", "ticket", "Shows E14", mentioned)
    assert (long.kind, short.kind, short.answer) == ("ticket", "short", "Aura H2")
    assert short.question.startswith("Shows E14 My Aura H2 shows E14") and "Which product" in short.question
    chat = extract_pairs("c", "chat", "chat", CHAT)
    assert [(p.question, p.answer) for p in chat] == [
        ("Hi, my Gridbox beeps every minute.", "That is the low-charge alarm. Plug it in for two hours."),
        ("And the warranty?", "Three years on every device.")]
    (manual,) = extract_pairs("m", "manual", "Gridbox manual: Installation", MANUAL)
    assert manual.question == "Explain: Gridbox manual: Installation." and "M8 anchors" in manual.answer
    policy = extract_pairs("p", "policy", "Travel policy", POLICY)
    assert [p.question for p in policy] == [
        "Travel policy: what does it say about Booking?", "Travel policy: what does it say about Expenses?"]


def test_build_splits_by_document_dedups_and_versions(tmp_path) -> None:
    def faq(i: int) -> str:
        return FAQ.replace("Aura", f"Aura{i}").replace("waterproof", f"model {i} waterproof")

    docs = [_doc(f"faq{i}", "faq", "FAQ", faq(i)) for i in range(30)]
    docs += [_doc("dup", "faq", "FAQ", faq(0))]  # same pairs as faq0: dropped
    settings = SFTSettings(test_fraction=0.2, validation_fraction=0.2)
    build = build_examples(pd.DataFrame(docs), settings)
    assert build.duplicates_dropped == 2
    splits_of_doc: dict[str, set[str]] = {}
    for split, rows in build.examples.items():
        for row in rows:
            splits_of_doc.setdefault(row["doc_id"], set()).add(split)
            assert row["prompt"][0]["role"] == "system" and row["completion"][0]["role"] == "assistant"
    assert all(len(s) == 1 for s in splits_of_doc.values())  # no document in two splits
    assert all(split_for(d, settings) in s for d, s in splits_of_doc.items())
    assert all(build.counts()[s] > 0 for s in ("train", "validation", "test"))
    assert build_examples(pd.DataFrame(docs), settings).version == build.version
    assert build_examples(pd.DataFrame(docs[:-2]), settings).version != build.version
    dataset = save_dataset(build, tmp_path / "ds")
    assert dataset["train"].num_rows == build.counts()["train"]
    assert (tmp_path / "ds" / "VERSION").read_text().strip() == build.version


def test_documents_without_structure_are_counted() -> None:
    build = build_examples(pd.DataFrame([_doc("x", "document", "x", "just a sentence")]))
    assert build.documents_without_pairs == 1 and build.counts() == {"train": 0, "validation": 0, "test": 0}


def test_retrieved_context_shows_the_answers_passage_among_distractors() -> None:
    """RAFT examples: the served prompt with the pair's own passage and passages of other documents,
    the answer citing its passage; a share of examples hold only distractors and teach the refusal."""
    import pytest

    from llmops.grounding.prompt import NO_ANSWER

    docs = [_doc("faq", "faq", "Aura FAQ", FAQ), _doc("ticket", "ticket", "Shows E14", TICKET), _doc("chat", "chat", "chat", CHAT),
            _doc("manual", "manual", "Gridbox manual: Installation", MANUAL), _doc("policy", "policy", "Travel policy", POLICY)]
    docs += [_doc(f"faq{i}", "faq", f"Aura{i} FAQ", FAQ.replace("Aura", f"Aura{i}").replace("12", str(20 + i))
                 .replace("waterproof", f"model {i} waterproof"))
             for i in range(12)]
    settings = SFTSettings(test_fraction=0.0, validation_fraction=0.0, context="retrieved", distractors=2,
                           oracle_fraction=0.75)
    build = build_examples(pd.DataFrame(docs), settings)
    rows = build.examples["train"]
    assert len(rows) == sum(build.counts().values()) > 20 and build.without_passage == 0
    answered = [r for r in rows if r["completion"][0]["content"] != NO_ANSWER]
    assert 0 < build.refusals == len(rows) - len(answered) < len(rows) / 2
    for row in rows:
        system, user = row["prompt"]
        assert system["content"].startswith(settings.system_prompt) and "[3] " in system["content"]
        assert "[4] " not in system["content"] and user == {"role": "user", "content": user["content"]}
        completion = row["completion"][0]["content"]
        if completion == NO_ANSWER:
            continue
        answer, cited = completion.rsplit(" [", 1)
        passage = system["content"].split(f"[{cited[:-1]}] ", 1)[1].split("\n\n[", 1)[0]
        if row["kind"] == "faq":  # the cited passage holds the answer, and no distractor does
            assert answer in passage and system["content"].count(answer) == 1
    assert {r["kind"] for r in rows} >= {"faq", "ticket", "chat", "manual", "policy"}
    assert build_examples(pd.DataFrame(docs), settings).version == build.version  # seeded by the pair
    closed = build_examples(pd.DataFrame(docs), SFTSettings(test_fraction=0.0, validation_fraction=0.0))
    assert closed.version != build.version and "[1]" not in closed.examples["train"][0]["prompt"][0]["content"]
    with pytest.raises(ValueError, match="context must be one of"):
        build_examples(pd.DataFrame(docs), SFTSettings(context="open_book"))
