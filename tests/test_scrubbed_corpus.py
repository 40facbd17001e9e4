"""Corpus stage tests: scrubbing documents and the Great Expectations gate (real stack)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from llmops.pii.config import ScrubberConfig
from llmops.pii.scrubber import Scrubber
from llmops.pii.scrubbed_corpus import (
    CORPUS_COLUMNS,
    QUARANTINE_REASON_COLUMN,
    ScrubbedDocuments,
    scrub_documents,
    split_failing,
    validate_scrubbed_corpus,
    write_quarantine,
)

RAW_DOCS = [
    {
        "doc_id": "chat-0001",
        "source": "zendesk",
        "doc_type": "chat",
        "title": "Router reboot loop - Siddharth Venkataraman",
        "text": (
            "Customer (Siddharth Venkataraman): my Lumen Router H2 reboots every hour since "
            "firmware v3.10.0.\n"
            "Agent (Xiao Li): sorry about that! Can you confirm the order number?\n"
            "Customer (Siddharth Venkataraman): ORD-2024-118734. You can call me on "
            "+1 415 555 0132.\n"
            "Agent (Xiao Li): thanks Siddharth, rolling back to 4.2.1 fixes it. Ticket TCK-104233."
        ),
        "format": "text",
        "metadata": json.dumps(
            {
                "customer_email": "siddharth.v@example.com",
                "customer_name": "Siddharth Venkataraman",
                "priority": 2,
                "tags": ["firmware", "reboot"],
            }
        ),
    },
    {
        "doc_id": "email-0002",
        "source": "mailbox",
        "doc_type": "email",
        "title": "Refund for order ORD-2024-120011",
        "text": (
            "Hi team,\nplease refund $1,249.00 to my card 4111 1111 1111 1111 or IBAN "
            "DE89 3704 0044 0532 0130 00. My mobile is +86 138 0013 8000.\n"
            "Kind regards,\nZhang Wei"
        ),
        "format": "email",
        "metadata": json.dumps(
            {"from": "Zhang Wei <zhang.wei@example.cn>", "account": {"phone": "13800138000"}}
        ),
    },
    {
        "doc_id": "kb-0003",
        "source": "confluence",
        "doc_type": "kb_article",
        "title": "Kestrel Pro X4: factory reset",
        "text": (
            "To reset the Kestrel Pro X4, hold Reset for 10 seconds until the LED turns amber. "
            "Part KP-X4-2210-B replaces KP-X4-2210-A since firmware 4.2.1 (released 2024-03-15)."
        ),
        "format": "markdown",
        "metadata": json.dumps(
            {"space": "HW", "product_name": "Kestrel Pro", "labels": ["reset", "kestrel"]}
        ),
    },
    {
        "doc_id": "ticket-0004",
        "source": "jira",
        "doc_type": "ticket",
        "title": "KYC check failed",
        "text": (
            "Name: Ngozi Okonkwo-Eze\nDOB: 1988-07-21\nSSN 536-22-8410 and resident ID "
            "11010519491231002X were rejected. Ship the replacement to 221B Baker Street, "
            "London NW1 6XE."
        ),
        "format": "text",
        "metadata": json.dumps({"reporter": "ngozi@example.org", "ip": "203.0.113.42"}),
    },
]


@pytest.fixture(scope="module")
def scrubber() -> Scrubber:
    return Scrubber()


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    return pd.DataFrame(RAW_DOCS, columns=CORPUS_COLUMNS)


@pytest.fixture(scope="module")
def scrubbed(raw: pd.DataFrame, scrubber: Scrubber) -> ScrubbedDocuments:
    return scrub_documents(raw, scrubber)


def test_scrub_documents_removes_pii_everywhere(scrubbed, raw: pd.DataFrame) -> None:
    df, totals, failed = scrubbed
    assert failed.empty
    assert list(df.columns) == CORPUS_COLUMNS + ["pii_counts", "n_pii"]
    assert list(df["doc_id"]) == list(raw["doc_id"])
    blob = df[["title", "text", "metadata"]].to_string()
    for secret in [
        "Siddharth", "Xiao Li", "415 555 0132", "siddharth.v@example.com", "4111 1111",
        "DE89", "138 0013", "13800138000", "Zhang Wei", "zhang.wei@example.cn", "Ngozi",
        "1988-07-21", "536-22-8410", "11010519491231002X", "Baker Street", "ngozi@example.org",
        "203.0.113.42",
    ]:
        assert secret not in blob, secret
    for kept in ["ORD-2024-118734", "TCK-104233", "v3.10.0", "4.2.1", "$1,249.00", "2024-03-15"]:
        assert kept in blob, kept

    chat = df.set_index("doc_id").loc["chat-0001"]
    assert chat["title"] == "Router reboot loop - <PERSON_1>"
    assert "Customer (<PERSON_1>)" in chat["text"] and "Agent (<PERSON_2>)" in chat["text"]
    assert json.loads(chat["metadata"]) == {
        "customer_email": "<EMAIL_ADDRESS_1>",
        "customer_name": "<PERSON_1>",
        "priority": 2,
        "tags": ["firmware", "reboot"],
    }
    email_meta = json.loads(df.set_index("doc_id").loc["email-0002", "metadata"])
    assert email_meta == {
        "from": "<PERSON_1> <<EMAIL_ADDRESS_1>>",
        "account": {"phone": "<PHONE_NUMBER_1>"},
    }


def test_scrub_documents_counts(scrubbed, raw: pd.DataFrame) -> None:
    df, totals, _ = scrubbed
    per_doc = [json.loads(c) for c in df["pii_counts"]]
    assert list(df["n_pii"]) == [sum(c.values()) for c in per_doc]
    kb = df.set_index("doc_id").loc["kb-0003"]
    assert kb["n_pii"] == 0 and kb["text"] == raw.set_index("doc_id").loc["kb-0003", "text"]
    summed: dict[str, int] = {}
    for counts in per_doc:
        for entity, n in counts.items():
            summed[entity] = summed.get(entity, 0) + n
    assert totals == summed
    assert {"PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE", "US_SSN",
            "CN_RESIDENT_ID", "DATE_OF_BIRTH", "STREET_ADDRESS", "IP_ADDRESS"} <= set(totals)


def test_clean_corpus_passes_the_gate(scrubbed) -> None:
    df = scrubbed.corpus
    report = validate_scrubbed_corpus(df)
    assert report.success, report.reasons
    assert report.failing_doc_ids == [] and report.reasons == {}
    assert {r["expectation"] for r in report.results} >= {
        "expect_column_values_to_be_unique",
        "expect_column_value_lengths_to_be_between",
        "expect_column_values_to_be_between",
    }
    assert all(r["success"] and r["unexpected_count"] == 0 for r in report.results)
    passed, quarantined = split_failing(df, report)
    assert len(passed) == len(df) and quarantined.empty


def test_raw_corpus_fails_on_residual_pii(raw: pd.DataFrame) -> None:
    report = validate_scrubbed_corpus(raw)
    assert not report.success
    assert report.failing_doc_ids == ["chat-0001", "email-0002", "ticket-0004"]


def test_planted_residual_pii_is_caught_and_quarantined(scrubbed) -> None:
    df = scrubbed.corpus.copy()
    df.loc[df["doc_id"] == "chat-0001", "text"] += " Backup card: 5555-5555-5555-4444."
    df.loc[df["doc_id"] == "kb-0003", "metadata"] = json.dumps({"owner": "olga.petrova@example.com"})
    df.loc[df["doc_id"] == "ticket-0004", "title"] = "KYC 440308199901010012"

    report = validate_scrubbed_corpus(df)

    assert not report.success
    assert report.failing_doc_ids == ["chat-0001", "kb-0003", "ticket-0004"]
    assert report.reasons["chat-0001"] == [
        "expect_column_values_to_be_between(residual_pii): CREDIT_CARD"
    ]
    assert report.reasons["kb-0003"] == [
        "expect_column_values_to_be_between(residual_pii): EMAIL_ADDRESS"
    ]
    assert "CN_RESIDENT_ID" in report.reasons["ticket-0004"][0]
    residual = next(r for r in report.results if r["column"] == "residual_pii")
    assert residual == {
        "expectation": "expect_column_values_to_be_between",
        "column": "residual_pii",
        "success": False,
        "unexpected_count": 3,
    }

    passed, quarantined = split_failing(df, report)
    assert list(passed["doc_id"]) == ["email-0002"]
    assert list(quarantined["doc_id"]) == ["chat-0001", "kb-0003", "ticket-0004"]
    assert quarantined[QUARANTINE_REASON_COLUMN].str.contains("residual_pii").all()
    assert "residual_pii" not in passed.columns


def test_duplicate_ids_and_bad_text_fail(scrubbed) -> None:
    df = scrubbed.corpus.copy()
    duplicate = df[df["doc_id"] == "kb-0003"]
    df = pd.concat([df, duplicate], ignore_index=True)
    df.loc[df["doc_id"] == "chat-0001", "text"] = ""
    df.loc[df["doc_id"] == "email-0002", "text"] = None

    report = validate_scrubbed_corpus(df, min_chars=20)

    assert not report.success
    assert report.failing_doc_ids == ["chat-0001", "email-0002", "kb-0003"]
    assert report.reasons["kb-0003"] == [
        "expect_column_values_to_be_unique(doc_id)",
        "expect_column_values_to_be_unique(doc_id)",
    ]
    assert "expect_column_value_lengths_to_be_between(text)" in report.reasons["chat-0001"]
    assert "expect_column_values_to_not_match_regex(text)" in report.reasons["chat-0001"]
    assert report.reasons["email-0002"] == ["expect_column_values_to_not_be_null(text)"]

    passed, quarantined = split_failing(df, report)
    assert list(passed["doc_id"]) == ["ticket-0004"]
    assert sorted(quarantined["doc_id"]) == ["chat-0001", "email-0002", "kb-0003", "kb-0003"]


def test_text_length_bounds(scrubbed) -> None:
    df = scrubbed.corpus
    report = validate_scrubbed_corpus(df, min_chars=20, max_chars=200)
    too_long = sorted(df.loc[df["text"].str.len() > 200, "doc_id"])
    assert too_long and report.failing_doc_ids == too_long


def test_empty_corpus_fails() -> None:
    report = validate_scrubbed_corpus(pd.DataFrame(columns=CORPUS_COLUMNS))
    assert not report.success and report.failing_doc_ids == []
    row_count = next(r for r in report.results if r["column"] is None)
    assert row_count["expectation"] == "expect_table_row_count_to_be_between"
    assert not row_count["success"]


# Real failures, no mocks: spaCy's tokenizer raises UnicodeEncodeError on a lone surrogate (a truncated
# emoji escape such as "\ud83d" in a JSON export), and metadata that is not JSON cannot be scrubbed.
SURROGATE_DOC = {"doc_id": "chat-0005", "source": "zendesk", "doc_type": "chat", "title": "Broken export",
                 "text": "Customer (Olga Dvořák): the app crashes \ud83d since 4.2.1", "format": "text",
                 "metadata": json.dumps({"customer_name": "Olga Dvořák"})}
BAD_METADATA_DOC = {"doc_id": "ticket-0006", "source": "jira", "doc_type": "ticket", "title": "Printer offline",
                    "text": "Printer P-12 is offline since the 4.2.1 update.", "format": "text",
                    "metadata": '{"reporter": "ops@example.com"'}


@pytest.mark.parametrize("parallel", [False, True], ids=["in-process", "forked-workers"])
def test_a_document_that_fails_to_scrub_is_set_aside(scrubbed, scrubber: Scrubber, parallel: bool, tmp_path) -> None:
    """The others come out exactly as without it; every input row is in the corpus or in failed."""
    raw = pd.DataFrame([RAW_DOCS[0], SURROGATE_DOC, *RAW_DOCS[1:3], BAD_METADATA_DOC, RAW_DOCS[3]],
                       columns=CORPUS_COLUMNS)
    engine = Scrubber(ScrubberConfig(n_process=2, parallel_min_texts=4)) if parallel else scrubber

    corpus, totals, failed = scrub_documents(raw, engine)

    pd.testing.assert_frame_equal(corpus.reset_index(drop=True), scrubbed.corpus.reset_index(drop=True))
    assert totals == scrubbed.totals and len(corpus) + len(failed) == len(raw)
    assert list(failed["doc_id"]) == ["chat-0005", "ticket-0006"]
    pd.testing.assert_frame_equal(failed[CORPUS_COLUMNS], raw.iloc[[1, 4]])  # unchanged: nothing is lost
    reasons = dict(zip(failed["doc_id"], failed[QUARANTINE_REASON_COLUMN]))
    assert reasons["chat-0005"].startswith("scrubbing failed: UnicodeEncodeError:")
    assert "metadata is not valid JSON" in reasons["ticket-0006"]

    target = tmp_path / "rows.jsonl"
    write_quarantine([failed], target)
    rows = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert [row["text"] for row in rows] == [SURROGATE_DOC["text"], BAD_METADATA_DOC["text"]]


def test_a_text_over_the_gate_bound_is_set_aside_unscrubbed(scrubber: Scrubber, raw: pd.DataFrame) -> None:
    """The gate would refuse it anyway; scrubbing a text of hundreds of MB first would take hours."""
    corpus, _, failed = scrub_documents(raw, scrubber, max_chars=300)

    assert list(failed["doc_id"]) == ["chat-0001"] and len(raw["text"][0]) > 300
    assert failed[QUARANTINE_REASON_COLUMN].iloc[0] == (
        f"text of {len(raw['text'][0])} characters, over the 300 allowed: not scrubbed")
    assert list(corpus["doc_id"]) == ["email-0002", "kb-0003", "ticket-0004"]


def test_a_failure_does_not_rescrub_a_long_document_at_every_halving(scrubber: Scrubber, monkeypatch) -> None:
    """Looking for the failing document splits the batch in halves, but a text over a segment is scrubbed
    on its own: at most twice (the failed batch, then alone), not once per halving."""
    long_doc = {**RAW_DOCS[2], "doc_id": "kb-long", "text": RAW_DOCS[2]["text"] * 70}
    assert len(long_doc["text"]) > scrubber.config.segment_chars
    shorts = [{**RAW_DOCS[0], "doc_id": f"chat-{i}", "text": f"{RAW_DOCS[0]['text']} Case {i}."} for i in range(6)]
    raw = pd.DataFrame([*shorts, long_doc, SURROGATE_DOC], columns=CORPUS_COLUMNS)
    calls: list[list[str]] = []
    scrub_many = scrubber.scrub_many
    monkeypatch.setattr(scrubber, "scrub_many",
                        lambda texts, groups=None: calls.append(texts) or scrub_many(texts, groups))

    corpus, _, failed = scrub_documents(raw, scrubber)

    assert list(failed["doc_id"]) == ["chat-0005"] and len(corpus) == len(raw) - 1
    assert sum(long_doc["text"] in texts for texts in calls) == 2


def _materialize(raw: pd.DataFrame, tmp_path, **kwargs):
    """The real scrubbed_corpus asset and its blocking check over `raw` as the raw_documents input."""
    from dagster import asset, materialize

    from assets.scrubbed_corpus import scrubbed_corpus, scrubbed_corpus_quality
    from orchestration.resources import PathsResource, ScrubberResource

    @asset(name="raw_documents")
    def raw_documents() -> pd.DataFrame:
        return raw

    resources = {"paths": PathsResource(raw_dir=str(tmp_path / "raw"), home=str(tmp_path / "home")),
                 "scrubber": ScrubberResource()}
    return materialize([raw_documents, scrubbed_corpus, scrubbed_corpus_quality], resources=resources, **kwargs)


def _long_manual(planted: list[str]) -> str:
    """Over 1,000,000 characters of manual text with `planted` near the start, the middle and the end."""
    sections = [f"Section {i}: to reset the Kestrel Pro X4, hold Reset for 10 seconds until the LED turns amber. "
                f"Part KP-X4-{2210 + i % 50}-B replaces the older part since firmware 4.2.{i % 9}.\n\n"
                for i in range(6_300)]
    for position, sentence in zip((3, len(sections) // 2, len(sections) - 3), planted):
        sections.insert(position, sentence + "\n\n")
    return "".join(sections)


def test_asset_scrubs_a_document_over_a_million_characters(tmp_path) -> None:
    """A 1M+ character manual (past spaCy's limit) beside the normal documents: all are scrubbed, no
    planted value is left, numbering runs across the whole text, and the gate passes."""
    planted = ["Questions go to Astrid Lindqvist (astrid.lindqvist@example.se).",
               "Field service: call Jonas Berg on +44 20 7946 0958 before the visit.",
               "Refunds are paid to IBAN DE89 3704 0044 0532 0130 00; approved by Astrid Lindqvist."]
    manual = {"doc_id": "manual-0007", "source": "confluence", "doc_type": "manual", "title": "Kestrel Pro X4 manual",
              "text": _long_manual(planted), "format": "markdown", "metadata": "{}"}
    assert len(manual["text"]) > 1_000_000

    result = _materialize(pd.DataFrame([*RAW_DOCS, manual], columns=CORPUS_COLUMNS), tmp_path)

    assert result.success
    corpus = result.output_for_node("scrubbed_corpus").set_index("doc_id")
    assert sorted(corpus.index) == sorted([*(d["doc_id"] for d in RAW_DOCS), "manual-0007"])
    text = corpus.loc["manual-0007", "text"]
    for secret in ["Astrid", "Lindqvist", "astrid.lindqvist@example.se", "Jonas", "7946 0958", "DE89", "0532 0130"]:
        assert secret not in text, secret
    assert "Questions go to <PERSON_1> (<EMAIL_ADDRESS_1>)." in text and "approved by <PERSON_1>." in text
    assert text.count("KP-X4-2210-B") == 126  # business content intact
    metadata = result.asset_materializations_for_node("scrubbed_corpus")[0].metadata
    assert metadata["documents"].value == 5 and metadata["failed_documents"].value == 0
    [check] = result.get_asset_check_evaluations()
    assert check.passed


def test_asset_quarantines_a_document_that_fails_to_scrub(tmp_path) -> None:
    """The run succeeds without it; it is quarantined with its reason and counted, and the counts add up."""
    result = _materialize(pd.DataFrame([*RAW_DOCS, SURROGATE_DOC], columns=CORPUS_COLUMNS), tmp_path)

    assert result.success
    assert sorted(result.output_for_node("scrubbed_corpus")["doc_id"]) == sorted(d["doc_id"] for d in RAW_DOCS)
    metadata = result.asset_materializations_for_node("scrubbed_corpus")[0].metadata
    counts = {key: metadata[key].value for key in ("documents_in", "documents", "quarantined_rows", "failed_documents")}
    assert counts == {"documents_in": 5, "documents": 4, "quarantined_rows": 0, "failed_documents": 1}
    assert "UnicodeEncodeError" in metadata["scrub_failures"].value["chat-0005"]
    [check] = result.get_asset_check_evaluations()
    assert check.passed
    [quarantine] = (tmp_path / "home").rglob("quarantine/scrubbed_corpus/*/rows.jsonl")
    [row] = [json.loads(line) for line in quarantine.read_text(encoding="utf-8").splitlines()]
    assert row["doc_id"] == "chat-0005" and row["text"] == SURROGATE_DOC["text"]
    assert row[QUARANTINE_REASON_COLUMN].startswith("scrubbing failed: UnicodeEncodeError")


def test_gate_length_bound_is_set_on_the_asset_and_its_check(tmp_path) -> None:
    """The asset sets a longer text aside before scrubbing it; the check applies its own setting to the
    stored corpus, so a bound set on the check alone blocks."""
    from dagster import RunConfig

    from orchestration.config import ScrubbedCorpusConfig

    frame, bound = pd.DataFrame(RAW_DOCS, columns=CORPUS_COLUMNS), ScrubbedCorpusConfig(max_text_chars=250)
    both = _materialize(frame, tmp_path / "both", run_config=RunConfig(
        ops={"scrubbed_corpus": bound, "scrubbed_corpus_scrubbed_corpus_quality": bound}))
    check_only = _materialize(frame, tmp_path / "check", raise_on_error=False, run_config=RunConfig(
        ops={"scrubbed_corpus_scrubbed_corpus_quality": bound}))

    assert both.success
    metadata = both.asset_materializations_for_node("scrubbed_corpus")[0].metadata
    assert metadata["documents"].value == 3 and metadata["failed_documents"].value == 1
    assert "over the 250 allowed" in metadata["scrub_failures"].value["chat-0001"]
    assert [check.passed for check in both.get_asset_check_evaluations()] == [True]
    [check] = check_only.get_asset_check_evaluations()
    assert not check.passed and check.metadata["failing_rows"].value == 1


def test_asset_fails_only_when_no_document_could_be_scrubbed(tmp_path) -> None:
    frame = pd.DataFrame([SURROGATE_DOC, BAD_METADATA_DOC], columns=CORPUS_COLUMNS)

    result = _materialize(frame, tmp_path, raise_on_error=False)

    assert not result.success
    error = result.failure_data_for_node("scrubbed_corpus").error
    assert "none of the 2 documents could be scrubbed" in error.message
    [quarantine] = (tmp_path / "home").rglob("quarantine/scrubbed_corpus/*/rows.jsonl")
    assert [json.loads(line)["doc_id"] for line in quarantine.read_text().splitlines()] == ["chat-0005", "ticket-0006"]
