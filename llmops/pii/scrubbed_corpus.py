"""Corpus stage: scrub raw documents, then gate them with Great Expectations before training.

Documents that cannot be scrubbed, or that fail the gate, are quarantined with a reason instead of
flowing into the SFT set; the rest of the corpus goes on.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, NamedTuple

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
# Gate bounds on a scrubbed text's length. Scrubbing has no length limit (long texts are analyzed in
# segments); the upper bound is a sanity check: a "document" of millions of characters is a dump, a
# log or a file read whole by mistake, worth a look before it is trained on (a long manual is ~1M).
MIN_TEXT_CHARS, MAX_TEXT_CHARS = 20, 5_000_000
# A failure's message is kept in the quarantine reason up to this length.
_REASON_CHARS = 500


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


class ScrubbedDocuments(NamedTuple):
    """What scrub_documents made of its input: every input row is in exactly one of the two frames."""

    corpus: pd.DataFrame  # scrubbed rows in input order, with pii_counts (JSON) and n_pii
    totals: dict[str, int]  # entities removed per type, over the corpus
    failed: pd.DataFrame  # input rows that could not be scrubbed, unchanged, with quarantine_reason


@dataclass
class _Doc:
    """One document's strings as they go to the scrubber."""

    position: int
    title: str
    text: str
    metadata: Any
    leaves: list[tuple[str, str]]


class _Scrubbed(NamedTuple):
    """One document's scrubbed fields and what was removed from them."""

    title: str
    text: str
    metadata: str  # JSON
    counts: dict[str, int]


def scrub_documents(df: pd.DataFrame, scrubber: Scrubber, max_chars: int | None = None) -> ScrubbedDocuments:
    """Scrub title, text and every string in metadata; add pii_counts (JSON) and n_pii per doc.

    A document whose metadata is not JSON, whose text is over `max_chars` (the gate would refuse
    it, after hours of scrubbing for a file of hundreds of MB), or that makes the scrubber raise is
    set aside in `failed` with its reason; the others are scrubbed all the same. All strings
    normally go through one scrub_many call (spaCy batched); only a batch that raises is split (in
    halves, long documents on their own) until the failing documents are alone, so a bad document
    costs a few extra calls, not the corpus.
    """
    titles = df["title"].fillna("").astype(str).tolist()
    texts = df["text"].fillna("").astype(str).tolist()
    docs, reasons = [], {}
    for position, (raw, doc_id) in enumerate(zip(df["metadata"], df["doc_id"])):
        if max_chars is not None and len(texts[position]) > max_chars:
            reasons[position] = f"text of {len(texts[position]):,} characters, over the {max_chars:,} allowed: not scrubbed"
            continue
        try:
            metadata = _load_metadata(raw, doc_id)
        except ValueError as err:
            reasons[position] = str(err)
            continue
        docs.append(_Doc(position, titles[position], texts[position], metadata, list(_string_leaves(metadata))))
    scrubbed = _scrub_isolating(docs, scrubber, reasons)

    kept = sorted(scrubbed)
    out = df.iloc[kept].copy()
    rows = [scrubbed[position] for position in kept]
    out["title"] = [row.title for row in rows]
    out["text"] = [row.text for row in rows]
    out["metadata"] = [row.metadata for row in rows]
    out["pii_counts"] = [json.dumps(row.counts) for row in rows]
    out["n_pii"] = [sum(row.counts.values()) for row in rows]
    totals = sum((Counter(row.counts) for row in rows), Counter())
    failed = df.iloc[sorted(reasons)].copy()
    failed[QUARANTINE_REASON_COLUMN] = [reasons[position] for position in sorted(reasons)]
    return ScrubbedDocuments(out, dict(sorted(totals.items())), failed)


def _scrub_isolating(docs: list[_Doc], scrubber: Scrubber, reasons: dict[int, str]) -> dict[int, _Scrubbed]:
    """Scrubbed documents by position; a document that raises gets its reason in `reasons` instead."""
    if not docs:
        return {}
    try:
        return dict(zip((doc.position for doc in docs), _scrub_batch(docs, scrubber)))
    except Exception as err:  # noqa: BLE001 - whatever one document raises must not fail the others
        if len(docs) == 1:
            reasons[docs[0].position] = f"scrubbing failed: {type(err).__name__}: {err}"[:_REASON_CHARS]
            return {}
    # A text longer than a segment is a batch of windows on its own anyway: scrubbed alone, it is not
    # scrubbed again at every halving on the way to the failing document.
    long = [doc for doc in docs if len(doc.text) > scrubber.config.segment_chars]
    short = [doc for doc in docs if len(doc.text) <= scrubber.config.segment_chars]
    scrubbed: dict[int, _Scrubbed] = {}
    for part in [*([doc] for doc in long), short[: len(short) // 2], short[len(short) // 2 :]]:
        scrubbed |= _scrub_isolating(part, scrubber, reasons)
    return scrubbed


def _scrub_batch(docs: list[_Doc], scrubber: Scrubber) -> list[_Scrubbed]:
    """Scrub the documents' strings in one scrub_many call.

    Grouped per document so that what is detected in one field is scrubbed in all. Metadata values
    are scrubbed as "field name: value" because a bare value ("Siddharth Venkataraman") gives the
    recognizers no context, while the label ("customer name: ...") does.
    """
    field_texts = [_field_prefix(key) + value for doc in docs for key, value in doc.leaves]
    # Title, body and metadata of a document form one group: a name detected in one is removed
    # from all of them.
    groups = [*range(len(docs)), *range(len(docs)), *(i for i, doc in enumerate(docs) for _ in doc.leaves)]
    results = iter(scrubber.scrub_many([d.title for d in docs] + [d.text for d in docs] + field_texts, groups=groups))
    title_results = [next(results) for _ in docs]
    text_results = [next(results) for _ in docs]

    scrubbed = []
    for doc, title_r, text_r in zip(docs, title_results, text_results):
        counts = Counter(title_r.entities) + Counter(text_r.entities)
        scrubbed_values = []
        for key, _ in doc.leaves:
            result = next(results)
            prefix = _field_prefix(key)
            # If a span reached into the label, keep the whole scrubbed string (over-scrub, safe).
            scrubbed_values.append(
                result.text[len(prefix) :] if result.text.startswith(prefix) else result.text
            )
            counts.update(result.entities)
        metadata = json.dumps(_replace_strings(doc.metadata, iter(scrubbed_values)), ensure_ascii=False)
        scrubbed.append(_Scrubbed(title_r.text, text_r.text, metadata, dict(sorted(counts.items()))))
    return scrubbed


def write_quarantine(frames: list[pd.DataFrame], path: Path) -> None:
    """Write quarantined rows as JSON lines, every field as is and missing values as null. The stdlib
    encoder escapes what pandas' cannot encode (a lone surrogate, the very text that makes spaCy
    raise), so a quarantined row reads back exactly with json.loads."""
    with open(path, "w", encoding="utf-8") as handle:
        for frame in frames:
            for row in frame.astype(object).where(frame.notna(), None).to_dict(orient="records"):
                handle.write(json.dumps(row, default=str) + "\n")


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


# An access label: group names joined by commas (llmops.ingest.access.join_groups).
_LABEL = r"^[a-z0-9][a-z0-9_.-]*(,[a-z0-9][a-z0-9_.-]*)*$"


def _suite(min_chars: int, max_chars: int, labelled: bool) -> gx.ExpectationSuite:
    """What a corpus must satisfy before it may become training data; with access labels, every
    document must carry one (an unlabelled document would be indexed for nobody or for everybody)."""
    suite = gx.ExpectationSuite(name="scrubbed_corpus")
    if labelled:
        suite.add_expectation(gx.expectations.ExpectColumnValuesToMatchRegex(column="groups", regex=_LABEL))
        suite.add_expectation(gx.expectations.ExpectColumnValuesToNotBeNull(column="groups"))
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
    df: pd.DataFrame, min_chars: int = MIN_TEXT_CHARS, max_chars: int = MAX_TEXT_CHARS
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
    validation = batch.validate(_suite(min_chars, max_chars, "groups" in frame), result_format="COMPLETE")

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
