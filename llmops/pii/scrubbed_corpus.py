"""Corpus stage: scrub raw documents, then gate them with Great Expectations before training.

Documents that fail the gate are quarantined with a reason instead of flowing into the SFT set.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterator

# The ephemeral context would otherwise try to send usage analytics (no network here).
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

import great_expectations as gx  # noqa: E402
import pandas as pd  # noqa: E402
from great_expectations.data_context.types.base import ProgressBarsConfig  # noqa: E402

from llmops.pii.residual import find_residual_pii
from llmops.pii.scrubber import Scrubber  # noqa: E402

CORPUS_COLUMNS = ["doc_id", "source", "doc_type", "title", "text", "format", "metadata"]
RESIDUAL_COLUMN = "residual_pii"
QUARANTINE_REASON_COLUMN = "quarantine_reason"


def _string_leaves(value: Any, key: str = "") -> Iterator[tuple[str, str]]:
    """(field name, string) for every string inside a JSON value, depth first."""
    if isinstance(value, str):
        yield key, value
    elif isinstance(value, dict):
        for child_key, child in value.items():
            yield from _string_leaves(child, str(child_key))
    elif isinstance(value, list):
        for child in value:
            yield from _string_leaves(child, key)


def _replace_strings(value: Any, replacements: Iterator[str]) -> Any:
    """Rebuild a JSON value with its strings taken, in _string_leaves order, from replacements."""
    if isinstance(value, str):
        return next(replacements)
    if isinstance(value, dict):
        return {k: _replace_strings(v, replacements) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace_strings(v, replacements) for v in value]
    return value


def _field_prefix(key: str) -> str:
    """'customer_name' -> 'customer name: ': a bare value is scrubbed with its label as context."""
    return f"{key.replace('_', ' ')}: " if key else ""


def _load_metadata(raw: object, doc_id: str) -> Any:
    """Parsed metadata; missing (None/NaN/blank) is an empty object, malformed JSON is an error."""
    if not isinstance(raw, str) or not raw.strip():
        return {}
    try:
        return json.loads(raw)
    except json.JSONDecodeError as err:
        raise ValueError(f"doc {doc_id}: metadata is not valid JSON ({err})") from err


def scrub_documents(df: pd.DataFrame, scrubber: Scrubber) -> tuple[pd.DataFrame, dict[str, int]]:
    """Scrub title, text and every string in metadata; add pii_counts (JSON) and n_pii per doc.

    All strings go through one scrub_many call so spaCy runs batched, grouped per document so
    that what is detected in one field is scrubbed in all. Metadata values are scrubbed as
    "field name: value" because a bare value ("Siddharth Venkataraman") gives the recognizers no
    context, while the label ("customer name: ...") does.
    """
    metadata = [_load_metadata(raw, doc_id) for raw, doc_id in zip(df["metadata"], df["doc_id"])]
    leaves = [list(_string_leaves(m)) for m in metadata]
    titles = df["title"].fillna("").astype(str).tolist()
    texts = df["text"].fillna("").astype(str).tolist()
    field_texts = [_field_prefix(key) + value for doc in leaves for key, value in doc]
    # Title, body and metadata of a document form one group: a name detected in one is removed
    # from all of them.
    groups = [*range(len(df)), *range(len(df)), *(i for i, doc in enumerate(leaves) for _ in doc)]

    results = iter(scrubber.scrub_many(titles + texts + field_texts, groups=groups))
    title_results = [next(results) for _ in titles]
    text_results = [next(results) for _ in texts]

    out = df.copy()
    out["title"] = [r.text for r in title_results]
    out["text"] = [r.text for r in text_results]
    scrubbed_metadata, doc_counts = [], []
    for meta, doc_leaves, title_r, text_r in zip(metadata, leaves, title_results, text_results):
        counts = Counter(title_r.entities) + Counter(text_r.entities)
        scrubbed_values = []
        for key, _ in doc_leaves:
            result = next(results)
            prefix = _field_prefix(key)
            # If a span reached into the label, keep the whole scrubbed string (over-scrub, safe).
            scrubbed_values.append(
                result.text[len(prefix) :] if result.text.startswith(prefix) else result.text
            )
            counts.update(result.entities)
        scrubbed_metadata.append(
            json.dumps(_replace_strings(meta, iter(scrubbed_values)), ensure_ascii=False)
        )
        doc_counts.append(dict(sorted(counts.items())))
    out["metadata"] = scrubbed_metadata
    out["pii_counts"] = [json.dumps(c) for c in doc_counts]
    out["n_pii"] = [sum(c.values()) for c in doc_counts]
    totals = sum((Counter(c) for c in doc_counts), Counter())
    return out, dict(sorted(totals.items()))


@dataclass
class QualityReport:
    """Outcome of the scrubbed-corpus gate; failing docs are named with their reasons."""

    success: bool
    results: list[dict] = field(default_factory=list)
    failing_doc_ids: list[str] = field(default_factory=list)
    reasons: dict[str, list[str]] = field(default_factory=dict)


def _residual_types(*values: object) -> list[str]:
    """PII types the independent regex/checksum scan still finds in a row's string fields."""
    found: set[str] = set()
    for value in values:
        if isinstance(value, str):
            found.update(find_residual_pii(value))
    return sorted(found)


def _suite(min_chars: int, max_chars: int) -> gx.ExpectationSuite:
    """What a corpus must satisfy before it may become training data."""
    suite = gx.ExpectationSuite(name="scrubbed_corpus")
    for expectation in (
        # An empty corpus must not reach the SFT stage as a "pass".
        gx.expectations.ExpectTableRowCountToBeBetween(min_value=1),
        gx.expectations.ExpectColumnValuesToNotBeNull(column="doc_id"),
        gx.expectations.ExpectColumnValuesToBeUnique(column="doc_id"),
        gx.expectations.ExpectColumnValuesToNotBeNull(column="text"),
        gx.expectations.ExpectColumnValuesToNotMatchRegex(column="text", regex=r"^\s*$"),
        gx.expectations.ExpectColumnValueLengthsToBeBetween(
            column="text", min_value=min_chars, max_value=max_chars
        ),
        # Checksum types (Luhn, mod 97, MOD 11-2) cannot be a regex: validate a computed column.
        gx.expectations.ExpectColumnValuesToBeBetween(
            column=RESIDUAL_COLUMN, min_value=0, max_value=0
        ),
    ):
        suite.add_expectation(expectation)
    return suite


def validate_scrubbed_corpus(
    df: pd.DataFrame, min_chars: int = 20, max_chars: int = 100_000
) -> QualityReport:
    """Run the Great Expectations gate: ids present and unique, text non-empty and sized, no PII."""
    frame = df.reset_index(drop=True)
    residual = [
        _residual_types(*row) for row in zip(frame["title"], frame["text"], frame["metadata"])
    ]
    frame[RESIDUAL_COLUMN] = [len(types) for types in residual]

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    batch = (
        context.data_sources.add_pandas("scrubbed_corpus")
        .add_dataframe_asset("documents")
        .add_batch_definition_whole_dataframe("all")
        .get_batch(batch_parameters={"dataframe": frame})
    )
    validation = batch.validate(_suite(min_chars, max_chars), result_format="COMPLETE")

    results: list[dict] = []
    reasons: dict[str, list[str]] = {}
    for outcome in validation.results:
        name = outcome.expectation_config.type
        column = outcome.expectation_config.kwargs.get("column")
        results.append(
            {
                "expectation": name,
                "column": column,
                "success": bool(outcome.success),
                "unexpected_count": int(outcome.result.get("unexpected_count") or 0),
            }
        )
        for row in outcome.result.get("unexpected_index_list") or []:
            reason = f"{name}({column})"
            if column == RESIDUAL_COLUMN:
                reason += ": " + ", ".join(residual[row])
            reasons.setdefault(str(frame.at[row, "doc_id"]), []).append(reason)

    return QualityReport(
        success=bool(validation.success),
        results=results,
        failing_doc_ids=[d for d in dict.fromkeys(frame["doc_id"].astype(str)) if d in reasons],
        reasons=reasons,
    )


def split_failing(df: pd.DataFrame, report: QualityReport) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(passed, quarantined): failing docs leave the pipeline with a quarantine_reason column.

    Rows are matched by doc_id, so every copy of a duplicated id is quarantined: which copy is
    the real document is not knowable here.
    """
    failing = df["doc_id"].astype(str).isin(report.failing_doc_ids)
    quarantined = df[failing].copy()
    quarantined[QUARANTINE_REASON_COLUMN] = [
        "; ".join(report.reasons[str(doc_id)]) for doc_id in quarantined["doc_id"]
    ]
    return df[~failing].copy(), quarantined
