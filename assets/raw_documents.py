"""Asset: the raw enterprise documents, normalized and de-duplicated; bad input quarantined."""

from collections import Counter
from dataclasses import asdict, replace
from pathlib import Path

import pandas as pd
from dagster import AssetExecutionContext, Failure, MetadataValue, Output, asset

from llmops.ingest.access import EVERYONE
from llmops.ingest.raw_documents import IngestResult, read_documents, write_quarantine
from orchestration.config import RawDocumentsConfig, ingest_settings
from orchestration.k8s import k8s_op_tags
from orchestration.resources import PathsResource


def _format_table(result: IngestResult) -> str:
    """Per-format counts as a Markdown table for the Dagster UI."""
    rows = [{"format": name, **asdict(stats)} for name, stats in result.formats.items()]
    return pd.DataFrame(rows).to_markdown(index=False) if rows else "no files"


def _restricted_table(result: IngestResult) -> str:
    """The documents not readable by everyone, with their groups, for the Dagster UI."""
    rows = [{"source": d.source, "groups": ", ".join(d.groups), "title": d.title[:80]}
            for d in result.documents if EVERYONE not in d.groups]
    return pd.DataFrame(rows[:500]).to_markdown(index=False) if rows else "none: every document is readable by everyone"


@asset(group_name="ingestion", kinds={"python", "pandas"}, op_tags=k8s_op_tags("raw_documents"))
def raw_documents(
    context: AssetExecutionContext, config: RawDocumentsConfig, paths: PathsResource
) -> Output[pd.DataFrame]:
    """Every readable document under the raw-data folder, one row per document, content-hash ids:
    text files, PDF (OCR for scans), Office, OpenDocument and e-mail. Links, special files and
    files no reader can read are quarantined with their reason; a folder of files that yields no
    document fails the run instead of passing on an empty corpus."""
    root = Path(paths.raw_dir)
    settings = replace(ingest_settings(config, paths.stage_dir("cache", "ingest")), access=paths.access_policy())
    result = read_documents(root, settings)
    quarantine = write_quarantine(result, paths.stage_dir("quarantine", "raw_documents", context.run_id))
    for item in result.quarantined:
        context.log.warning(f"quarantined {item.source}: {item.reason}")
    frame = result.to_frame()
    metadata = {
        "documents": len(frame),
        "records_seen": result.records_seen,
        "duplicates": result.duplicates,
        "quarantined": len(result.quarantined),
        "files_read": result.files_read,
        "files_from_cache": sum(stats.from_cache for stats in result.formats.values()),
        "pages_read": sum(stats.pages for stats in result.formats.values()),
        "pages_ocr": sum(stats.ocr_pages for stats in result.formats.values()),
        "characters": sum(stats.characters for stats in result.formats.values()),
        "by_format": MetadataValue.md(_format_table(result)),
        "by_type": result.counts_by("doc_type"),
        "by_access_group": result.counts_by("groups"),
        "restricted_documents": MetadataValue.md(_restricted_table(result)),
        "by_encoding": dict(sorted(Counter(d.metadata["file_encoding"] for d in result.documents
                                           if "file_encoding" in d.metadata).items())),
        "quarantined_by_reason": result.quarantine_reasons(),
        "raw_dir": str(root.resolve()),
        "quarantine_dir": MetadataValue.path(str(quarantine)) if quarantine else "none",
        "quarantine_reasons": MetadataValue.md(
            "\n".join(f"- `{q.source}`: {q.reason}" for q in result.quarantined[:500]) or "none"
        ),
    }
    if result.nothing_ingested:
        raise Failure(f"{result.files_read} files under {root} and not one document read from them: "
                      f"see quarantined_by_reason", metadata=metadata)
    metadata["preview"] = MetadataValue.md(frame[["doc_id", "doc_type", "groups", "title"]].head(10).to_markdown(index=False))
    return Output(frame, metadata=metadata)
