"""Asset: the PII-scrubbed corpus, gated by a Great Expectations suite run as a blocking check."""

import pandas as pd
from dagster import AssetCheckResult, AssetCheckSeverity, AssetExecutionContext, MetadataValue, Output, asset, asset_check

from llmops.pii.scrubbed_corpus import QualityReport, scrub_documents, split_failing, validate_scrubbed_corpus
from orchestration.config import ScrubbedCorpusConfig
from orchestration.resources import PathsResource, ScrubberResource
from orchestration.k8s import k8s_op_tags


def _report_metadata(report: QualityReport) -> dict:
    return {
        "expectations": MetadataValue.md(
            "\n".join(f"- {'✅' if r['success'] else '❌'} {r['expectation']}: {r['unexpected_count']} unexpected"
                      for r in report.results)
        ),
        "failing_doc_ids": MetadataValue.json({doc: report.reasons.get(doc, []) for doc in report.failing_doc_ids}),
    }


@asset(group_name="ingestion", kinds={"presidio", "pandas"}, op_tags=k8s_op_tags("scrubbed_corpus"))
def scrubbed_corpus(
    context: AssetExecutionContext, config: ScrubbedCorpusConfig, paths: PathsResource, scrubber: ScrubberResource,
    raw_documents: pd.DataFrame,
) -> Output[pd.DataFrame]:
    """Raw documents with personal data replaced (Presidio + custom recognizers); rows failing the
    data-quality suite are quarantined with their reasons, not passed downstream."""
    scrubbed, totals = scrub_documents(raw_documents, scrubber.scrubber())
    report = validate_scrubbed_corpus(scrubbed)
    quarantined = pd.DataFrame()
    if config.quarantine_failing_rows and not report.success:
        scrubbed, quarantined = split_failing(scrubbed, report)
        target = paths.stage_dir("quarantine", "scrubbed_corpus", context.run_id) / "rows.jsonl"
        quarantined.to_json(target, orient="records", lines=True)
        context.log.warning(f"quarantined {len(quarantined)} rows failing the quality suite to {target}")
    return Output(
        scrubbed.reset_index(drop=True),
        metadata={
            "documents": len(scrubbed),
            "quarantined_rows": len(quarantined),
            "entities_removed": int(sum(totals.values())),
            "entity_counts": MetadataValue.json(dict(sorted(totals.items()))),
            "operator": scrubber.operator,
            **_report_metadata(report),
        },
    )


@asset_check(asset=scrubbed_corpus, blocking=True, description=(
    "Great Expectations suite: non-empty text, unique ids, length bounds, and no residual e-mail, "
    "phone, card, IBAN, SSN or Chinese resident-ID patterns. Blocks training and indexing on failure."))
def scrubbed_corpus_quality(scrubbed_corpus: pd.DataFrame) -> AssetCheckResult:
    report = validate_scrubbed_corpus(scrubbed_corpus)
    return AssetCheckResult(
        passed=report.success,
        severity=AssetCheckSeverity.ERROR,
        metadata={"rows": len(scrubbed_corpus), "failing_rows": len(report.failing_doc_ids), **_report_metadata(report)},
    )

