"""Asset: ratings and corrections from serving (`POST /v1/feedback`), corrections as SFT pairs."""

from dataclasses import asdict

from dagster import AssetExecutionContext, MetadataValue, Output, asset

from llmops.monitor.feedback import FeedbackStore, correction_pairs
from orchestration.resources import PathsResource, ScrubberResource


@asset(group_name="training", kinds={"python"})
def feedback(context: AssetExecutionContext, paths: PathsResource, scrubber: ScrubberResource) -> Output[list[dict]]:
    """User corrections as training pairs for the next `sft_dataset` (scrubbed again with the corpus
    run's scrub configuration), with the rating counts the regression check also watches. A
    correction of an answer drawn from documents the access map keeps out of training stays out too."""
    store = FeedbackStore(paths.feedback_path())
    read = store.read()
    for number, reason in read.bad_lines:
        context.log.warning(f"{store.path}:{number} skipped: {reason}")
    policy = paths.access_policy()
    corrected = [r for r in read.records if r.correction and r.correction.strip()]
    trainable = [r for r in corrected if all(policy.may_train([group]) for group in r.source_groups or ())]
    restricted, corrected = len(corrected) - len(trainable), trainable
    scrub = scrubber.scrubber().scrub_many if corrected else None
    pairs = correction_pairs(corrected, lambda texts: [r.text for r in scrub(texts)])
    negative = sum(1 for r in read.records if r.rating < 0)
    return Output(
        [asdict(pair) for pair in pairs],
        metadata={
            "ratings": len(read.records),
            "negative_ratings": negative,
            "negative_rate": negative / len(read.records) if read.records else 0.0,
            "correction_pairs": len(pairs),
            "corrections_restricted": restricted,
            "bad_lines": len(read.bad_lines),
            "store": MetadataValue.path(str(store.path)),
            "example": MetadataValue.json(asdict(pairs[0]) if pairs else {}),
        },
    )
