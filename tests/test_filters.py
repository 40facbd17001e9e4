"""Structured search filters: what is accepted, what becomes SQL, and the hostile input that must
be refused with the offending part named."""

from __future__ import annotations

import pytest

from llmops.retrieval.filters import FIELDS, MAX_CONDITIONS, FilterError, parse_filter, scoped

# Each is refused: SQL written by the caller, internal columns, bad shapes, bad types, too much.
HOSTILE: list[object] = [
    "doc_type = 'faq'",
    "1=1) OR (1=1",
    "doc_type = 'faq') OR (1=1",
    ["doc_type", "faq"],
    None,
    42,
    {},
    {"type": "eq"},
    {"type": "eq", "key": "doc_type"},
    {"type": "eq", "key": "vector", "value": "x"},
    {"type": "eq", "key": "_rowid", "value": "0"},
    {"type": "eq", "key": "content_hash", "value": "x"},
    {"type": "eq", "key": "metadata", "value": "x"},
    {"type": "eq", "key": "text", "value": "x"},
    {"type": "eq", "key": "doc_type) OR (1=1", "value": "x"},
    {"type": "eq", "key": "doc_type", "value": "x", "or": "1=1"},
    {"type": "eq", "key": "doc_type", "value": 1},
    {"type": "eq", "key": "doc_type", "value": True},
    {"type": "eq", "key": "doc_type", "value": None},
    {"type": "eq", "key": "doc_type", "value": {"type": "eq"}},
    {"type": "eq", "key": "doc_type", "value": ["faq"]},
    {"type": "eq", "key": "doc_type", "value": "x" * 501},
    {"type": "eq", "key": "doc_type", "value": "faq\x00' OR 1=1"},
    {"type": "like", "key": "doc_type", "value": "%"},
    {"type": "sql", "key": "doc_type", "value": "1=1"},
    {"type": "EQ", "key": "doc_type", "value": "faq"},
    {"type": "gt", "key": "doc_type", "value": "a"},
    {"type": "gt", "key": "date", "value": "2024-13-01"},
    {"type": "gt", "key": "date", "value": "2024-01-01' OR '1'='1"},
    {"type": "gt", "key": "date", "value": "yesterday"},
    {"type": "in", "key": "doc_type", "value": "faq"},
    {"type": "in", "key": "doc_type", "value": []},
    {"type": "in", "key": "doc_type", "value": ["faq", 2]},
    {"type": "in", "key": "doc_type", "value": ["x"] * 101},
    {"type": "and", "filters": []},
    {"type": "and", "filters": {"type": "eq", "key": "doc_type", "value": "faq"}},
    {"type": "or", "filters": ["1=1"]},
    {"type": "and", "filters": [{"type": "eq", "key": "doc_type", "value": "faq"}], "key": "x"},
    {"type": "not", "filters": [{"type": "eq", "key": "doc_type", "value": "faq"}]},
    {"type": "and", "filters": [{"type": "eq", "key": "doc_type", "value": "faq"}] * (MAX_CONDITIONS + 1)},
]


def _deep(levels: int) -> dict:
    node: dict = {"type": "eq", "key": "doc_type", "value": "faq"}
    for _ in range(levels):
        node = {"type": "and", "filters": [node]}
    return node


HOSTILE += [_deep(4), _deep(200)]


@pytest.mark.parametrize("hostile", HOSTILE, ids=[f"hostile{i}" for i in range(len(HOSTILE))])
def test_hostile_filters_are_refused_with_their_part_named(hostile: object) -> None:
    with pytest.raises(FilterError) as refused:
        parse_filter(hostile)
    assert refused.value.param.startswith("filters") and str(refused.value).startswith(refused.value.param + ": ")


def test_refusals_name_the_part_and_say_what_is_allowed() -> None:
    cases = {
        "filters.filters[1].key": ({"type": "and", "filters": [{"type": "eq", "key": "doc_type", "value": "faq"},
                                                               {"type": "eq", "key": "vector", "value": "x"}]},
                                   "unknown field 'vector'; filterable fields: " + ", ".join(FIELDS)),
        "filters.value[1]": ({"type": "in", "key": "doc_type", "value": ["faq", 2]}, "must be a string, got int"),
        "filters.type": ({"type": "gt", "key": "title", "value": "a"}, "'gt' orders dates only"),
        "filters" + ".filters[0]" * 4: (_deep(4), "at most 4 levels"),
    }
    for param, (spec, message) in cases.items():
        with pytest.raises(FilterError, match=message) as refused:
            parse_filter(spec)
        assert refused.value.param == param


def test_values_are_quoted_literals() -> None:
    spec = {"type": "or", "filters": [{"type": "eq", "key": "title", "value": "It's') OR (1=1"},
                                      {"type": "nin", "key": "doc_type", "value": ["faq", "po'licy"]},
                                      {"type": "gte", "key": "date", "value": "2024-02-29"}]}
    assert parse_filter(spec).sql == ("(title = 'It''s'') OR (1=1' OR doc_type NOT IN ('faq', 'po''licy') "
                                      "OR (date != '' AND date >= '2024-02-29'))")
    assert parse_filter(spec).conditions == 3


def test_a_scope_is_anded_outside_the_callers_filter() -> None:
    scope = parse_filter({"type": "in", "key": "doc_type", "value": ["policy"]}, "scope")
    caller = parse_filter({"type": "or", "filters": [{"type": "eq", "key": "doc_type", "value": "faq"},
                                                     {"type": "ne", "key": "doc_id", "value": "x"}]})
    assert scoped(scope, caller).sql == ("(doc_type IN ('policy')) AND "
                                         "((doc_type = 'faq' OR doc_id != 'x'))")
    assert scoped(scope, None) is scope and scoped(None, caller) is caller and scoped(None, None) is None
