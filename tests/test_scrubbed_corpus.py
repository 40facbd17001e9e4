"""Corpus stage tests: scrubbing documents and the Great Expectations gate (real stack)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from llmops.pii.scrubber import Scrubber
from llmops.pii.scrubbed_corpus import (
    CORPUS_COLUMNS,
    QUARANTINE_REASON_COLUMN,
    scrub_documents,
    split_failing,
    validate_scrubbed_corpus,
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
def scrubbed(raw: pd.DataFrame, scrubber: Scrubber) -> tuple[pd.DataFrame, dict[str, int]]:
    return scrub_documents(raw, scrubber)


def test_scrub_documents_removes_pii_everywhere(scrubbed, raw: pd.DataFrame) -> None:
    df, totals = scrubbed
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
    df, totals = scrubbed
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
    df, _ = scrubbed
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
    df = scrubbed[0].copy()
    df.loc[df["doc_id"] == "chat-0001", "text"] += " Backup card: 5555-5555-5555-4444."
    df.loc[df["doc_id"] == "kb-0003", "metadata"] = json.dumps({"owner": "ops@example.com"})
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
    df = scrubbed[0].copy()
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
    df = scrubbed[0]
    report = validate_scrubbed_corpus(df, min_chars=20, max_chars=200)
    too_long = sorted(df.loc[df["text"].str.len() > 200, "doc_id"])
    assert too_long and report.failing_doc_ids == too_long


def test_empty_corpus_fails() -> None:
    report = validate_scrubbed_corpus(pd.DataFrame(columns=CORPUS_COLUMNS))
    assert not report.success and report.failing_doc_ids == []
    row_count = next(r for r in report.results if r["column"] is None)
    assert row_count["expectation"] == "expect_table_row_count_to_be_between"
    assert not row_count["success"]
