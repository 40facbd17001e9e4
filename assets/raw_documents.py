"""Asset: the raw enterprise documents, normalized and de-duplicated; bad input quarantined."""

from collections import Counter
from pathlib import Path

import pandas as pd
from dagster import AssetExecutionContext, MetadataValue, Output, asset

from llmops.ingest.raw_documents import IngestSettings, read_documents, write_quarantine
from orchestration.config import RawDocumentsConfig, to_settings
from orchestration.resources import PathsResource
from orchestration.k8s import k8s_op_tags


@asset(group_name="ingestion", kinds={"python", "pandas"}, op_tags=k8s_op_tags("raw_documents"))
def raw_documents(
    context: AssetExecutionContext, config: RawDocumentsConfig, paths: PathsResource
) -> Output[pd.DataFrame]:
    """Every readable document under the raw-data folder, one row per document, content-hash ids;
    links, special files and files over `max_file_mb` are quarantined with their reason."""
    root = Path(paths.raw_dir)
    result = read_documents(root, to_settings(config, IngestSettings))
    quarantine = write_quarantine(result, root, paths.stage_dir("quarantine", "raw_documents", context.run_id))
    for item in result.quarantined:
        context.log.warning(f"quarantined {item.source}: {item.reason}")
    frame = result.to_frame()
    return Output(
        frame,
        metadata={
            "documents": len(frame),
            "records_seen": result.records_seen,
            "duplicates": result.duplicates,
            "quarantined": len(result.quarantined),
            "files_read": result.files_read,
            "by_type": result.counts_by("doc_type"),
            "by_format": result.counts_by("format"),
            "by_encoding": dict(sorted(Counter(d.metadata["file_encoding"] for d in result.documents).items())),
            "raw_dir": str(root.resolve()),
            "quarantine_dir": MetadataValue.path(str(quarantine)) if quarantine else "none",
            "quarantine_reasons": MetadataValue.md(
                "\n".join(f"- `{q.source}`: {q.reason}" for q in result.quarantined) or "none"
            ),
            "preview": MetadataValue.md(frame[["doc_id", "doc_type", "title"]].head(10).to_markdown(index=False)),
        },
    )
