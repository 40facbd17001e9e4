"""Structured search filters: what a caller may restrict a search to, checked and turned into a
LanceDB predicate by the server itself.

A filter is a JSON object in the style of OpenAI's vector-store search: a comparison
``{"type": "eq", "key": "doc_type", "value": "faq"}`` (``eq ne gt gte lt lte in nin``) or a
compound ``{"type": "and" | "or", "filters": [...]}``. Callers never write SQL: every key must be one
of ``FIELDS`` and every value a literal of that field's kind, quoted here, so no value can close a
quote or a parenthesis, and internal columns (vectors, row ids, hashes) cannot be named. A
predicate the server adds (an access scope) is ANDed outside the caller's with :func:`scoped`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from llmops.ingest.access import EVERYONE, check_group

# field -> (kind, what it holds); kinds: "text" compares by equality and lists, "date" also orders
FIELDS: dict[str, tuple[str, str]] = {
    "doc_id": ("text", "the document's content id"),
    "source": ("text", "the file, relative to the corpus folder ('policies/leave.md', 'crm.jsonl#L12')"),
    "doc_type": ("text", "kind of document, from its first folder: policy, faq, ticket, manual, document, ..."),
    "title": ("text", "the document's title"),
    "format": ("text", "the file format: pdf, docx, md, html, eml, jsonl, ..."),
    "language": ("text", "the chunk's language: en, zh, mixed, or other"),
    "date": ("date", "the document's date (YYYY-MM-DD) from its properties or headers; '' when it has none"),
    "location": ("text", "where in the file: 'page 12', 'slide 3', 'sheet Budget'"),
    "headings": ("text", "the heading path above the chunk, 'Install > Network > Proxy'"),
}
COMPARISONS = ("eq", "ne", "gt", "gte", "lt", "lte", "in", "nin")
COMPOUNDS = ("and", "or")
_SQL_OPERATORS = {"eq": "=", "ne": "!=", "gt": ">", "gte": ">=", "lt": "<", "lte": "<=", "in": "IN", "nin": "NOT IN"}
_ORDERED = ("gt", "gte", "lt", "lte")
MAX_DEPTH = 4
MAX_CONDITIONS = 32
MAX_LIST = 100
MAX_VALUE_CHARS = 500
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class FilterError(ValueError):
    """A filter the server refuses; ``param`` names the offending part, e.g. ``filters.filters[1].key``."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(f"{param}: {message}")
        self.param = param


@dataclass(frozen=True)
class Filter:
    """A checked filter; ``sql`` is its LanceDB predicate with every literal quoted."""

    sql: str
    conditions: int


def parse_filter(value: Any, param: str = "filters") -> Filter:
    """The checked filter for a caller's JSON object; FilterError names what is wrong and where."""
    counter = [0]
    return Filter(_node(value, param, 1, counter), counter[0])


def access_scope(groups: Iterable[str]) -> Filter:
    """Chunks readable by a principal of ``groups``: those labelled with one of them or ``everyone``
    (answered by the index's label-list index, so top-k is filled with permitted chunks only)."""
    return Filter(labelled_with([EVERYONE, *groups]), 1)


def labelled_with(groups: Iterable[str]) -> str:
    """The predicate of chunks labelled with at least one of ``groups`` (checked group names)."""
    names = sorted({check_group(name) for name in groups})
    return f"array_has_any(groups, [{', '.join(map(sql_string, names))}])"


def scoped(scope: Filter | None, caller: Filter | None) -> Filter | None:
    """``scope AND (caller)``: the server's own restriction outside anything the caller sent."""
    if scope is None or caller is None:
        return scope or caller
    return Filter(f"({scope.sql}) AND ({caller.sql})", scope.conditions + caller.conditions)


def _node(value: Any, param: str, depth: int, counter: list[int]) -> str:
    if not isinstance(value, dict):
        raise FilterError(param, f"must be an object like {{\"type\": \"eq\", \"key\": \"doc_type\", \"value\": \"faq\"}}, "
                                 f"got {type(value).__name__}")
    if depth > MAX_DEPTH:
        raise FilterError(param, f"filters nest at most {MAX_DEPTH} levels deep")
    kind = value.get("type")
    if kind in COMPOUNDS:
        _only(value, {"type", "filters"}, param)
        parts = value.get("filters")
        if not isinstance(parts, list) or not parts:
            raise FilterError(f"{param}.filters", f"'{kind}' needs a non-empty list of filters")
        sql = [_node(part, f"{param}.filters[{i}]", depth + 1, counter) for i, part in enumerate(parts)]
        return "(" + f" {kind.upper()} ".join(sql) + ")"
    if kind not in COMPARISONS:
        raise FilterError(f"{param}.type", f"must be one of {', '.join(COMPARISONS + COMPOUNDS)}, got {_shown(kind)}")
    _only(value, {"type", "key", "value"}, param)
    counter[0] += 1
    if counter[0] > MAX_CONDITIONS:
        raise FilterError(param, f"a filter holds at most {MAX_CONDITIONS} comparisons")
    key = value.get("key")
    if key not in FIELDS:
        raise FilterError(f"{param}.key", f"unknown field {_shown(key)}; filterable fields: {', '.join(FIELDS)}")
    field_kind = FIELDS[key][0]
    if kind in _ORDERED and field_kind != "date":
        raise FilterError(f"{param}.type", f"'{kind}' orders dates only; {key} is compared with eq, ne, in or nin")
    if "value" not in value:
        raise FilterError(f"{param}.value", "is missing")
    literal = value["value"]
    if kind in ("in", "nin"):
        if not isinstance(literal, list) or not literal:
            raise FilterError(f"{param}.value", f"'{kind}' needs a non-empty list")
        if len(literal) > MAX_LIST:
            raise FilterError(f"{param}.value", f"lists hold at most {MAX_LIST} values, got {len(literal)}")
        quoted = ", ".join(_literal(item, field_kind, f"{param}.value[{i}]") for i, item in enumerate(literal))
        return f"{key} {_SQL_OPERATORS[kind]} ({quoted})"
    comparison = f"{key} {_SQL_OPERATORS[kind]} {_literal(literal, field_kind, f'{param}.value')}"
    return f"({key} != '' AND {comparison})" if kind in _ORDERED else comparison  # undated is neither before nor after


def _only(value: dict, allowed: set[str], param: str) -> None:
    extra = sorted(set(value) - allowed, key=str)
    if extra:
        raise FilterError(f"{param}.{extra[0]}", f"unexpected member; a '{value['type']}' filter has {', '.join(sorted(allowed))}")


def _literal(value: Any, kind: str, param: str) -> str:
    if not isinstance(value, str):
        raise FilterError(param, f"must be a string, got {type(value).__name__}")
    if len(value) > MAX_VALUE_CHARS:
        raise FilterError(param, f"is {len(value)} characters; the limit is {MAX_VALUE_CHARS}")
    if any(ord(c) < 32 and c not in "\t\n" for c in value):
        raise FilterError(param, "holds control characters")
    if kind == "date":
        if not _DATE.match(value):
            raise FilterError(param, f"must be a date as YYYY-MM-DD, got {_shown(value)}")
        try:
            date.fromisoformat(value)
        except ValueError:
            raise FilterError(param, f"is not a calendar date: {value}") from None
    return sql_string(value)


def sql_string(value: str) -> str:
    """``value`` as a SQL string literal: quoted, its quotes doubled (the one quoting of the package)."""
    return "'" + value.replace("'", "''") + "'"


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
