"""Asset: the PII-scrubbed corpus, gated by a Great Expectations suite run as a blocking check."""

import pandas as pd
from dagster import (AssetCheckResult, AssetCheckSeverity, AssetExecutionContext, Failure, MetadataValue, Output, asset,
                     asset_check)

from llmops.pii.scrubbed_corpus import (QUARANTINE_REASON_COLUMN, QualityReport, scrub_documents, split_failing,
                                        validate_scrubbed_corpus, write_quarantine)
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
    """Raw documents with personal data replaced (Presidio + custom recognizers); documents that cannot
    be scrubbed and rows failing the data-quality suite are quarantined with their reasons, not passed
    downstream. Fails only when no document could be scrubbed."""
    outcome = scrub_documents(raw_documents, scrubber.scrubber(), config.max_text_chars)
    report = validate_scrubbed_corpus(outcome.corpus, config.min_text_chars, config.max_text_chars)
    scrubbed, quarantined = outcome.corpus, pd.DataFrame()
    if config.quarantine_failing_rows and not report.success:
        scrubbed, quarantined = split_failing(scrubbed, report)
    if len(outcome.failed) or len(quarantined):
        target = paths.stage_dir("quarantine", "scrubbed_corpus", context.run_id) / "rows.jsonl"
        write_quarantine([outcome.failed, quarantined], target)
        context.log.warning(f"quarantined {len(outcome.failed)} documents that failed to scrub and {len(quarantined)} "
                            f"rows failing the quality suite to {target}")
        if outcome.corpus.empty and len(outcome.failed):
            raise Failure(f"none of the {len(outcome.failed)} documents could be scrubbed (reasons in {target}); "
                          f"first: {outcome.failed[QUARANTINE_REASON_COLUMN].iloc[0]}")
    return Output(
        scrubbed.reset_index(drop=True),
        metadata={
            "documents_in": len(raw_documents),
            "documents": len(scrubbed),
            "quarantined_rows": len(quarantined),
            "failed_documents": len(outcome.failed),
            "scrub_failures": MetadataValue.json(
                dict(zip(outcome.failed["doc_id"].astype(str), outcome.failed[QUARANTINE_REASON_COLUMN]))),
            "entities_removed": int(sum(outcome.totals.values())),
            "entity_counts": MetadataValue.json(outcome.totals),
            "operator": scrubber.operator,
            **_report_metadata(report),
        },
    )


@asset_check(asset=scrubbed_corpus, blocking=True, description=(
    "Great Expectations suite: non-empty text, unique ids, length bounds, and no residual e-mail, "
    "phone, card, IBAN, SSN or Chinese resident-ID patterns. Blocks training and indexing on failure."))
def scrubbed_corpus_quality(config: ScrubbedCorpusConfig, scrubbed_corpus: pd.DataFrame) -> AssetCheckResult:
    report = validate_scrubbed_corpus(scrubbed_corpus, config.min_text_chars, config.max_text_chars)
    return AssetCheckResult(
        passed=report.success,
        severity=AssetCheckSeverity.ERROR,
        metadata={"rows": len(scrubbed_corpus), "failing_rows": len(report.failing_doc_ids), **_report_metadata(report)},
    )
