"""Asset: chat-format instruction pairs split by source document, saved with `datasets`."""

from pathlib import Path

import pandas as pd
from dagster import (AssetCheckResult, AssetCheckSeverity, AssetExecutionContext, AssetIn, DataVersion, MetadataValue,
                     Output, asset, asset_check)

from llmops.ingest.access import outside, trainable_rows
from llmops.monitor.drift import save_reference_corpus
from llmops.train.sft_dataset import Pair, SFTSettings, build_examples, save_dataset, source_documents
from orchestration.config import SFTDatasetConfig, to_settings
from orchestration.resources import PathsResource
from orchestration.k8s import k8s_op_tags


@asset(group_name="training", kinds={"huggingface"}, op_tags=k8s_op_tags("sft_dataset"))
def sft_dataset(
    context: AssetExecutionContext, config: SFTDatasetConfig, paths: PathsResource, scrubbed_corpus: pd.DataFrame,
    feedback: list[dict],
) -> Output[dict]:
    """Train/validation/test splits of prompt/completion chat examples, versioned by content hash;
    user corrections (the `feedback` asset) join the train split. Only documents the access map lets
    train the shared model (everyone's, or a group marked trainable) give examples: a model repeats
    what it was trained on to whoever asks."""
    allowed = trainable_rows(scrubbed_corpus, paths.access_policy())
    build = build_examples(scrubbed_corpus[allowed], to_settings(config, SFTSettings), [Pair(**pair) for pair in feedback])
    if not build.examples["train"] or not build.examples["test"]:
        raise ValueError(f"not enough instruction pairs to train and test: {build.counts()}")
    path = paths.stage_dir("datasets", "sft") / build.version
    save_dataset(build, path)
    save_reference_corpus(scrubbed_corpus, path)  # what drift is measured against once this data trains a champion
    sample = build.examples["train"][0]
    return Output(
        {"path": str(path), "version": build.version, "counts": build.counts(), "system_prompt": config.system_prompt},
        metadata={
            **{f"{split}_examples": n for split, n in build.counts().items()},
            "by_kind": build.kinds(),
            "documents_used": build.documents_used,
            "documents_restricted": int((~allowed).sum()),
            "documents_without_pairs": build.documents_without_pairs,
            "duplicates_dropped": build.duplicates_dropped,
            "context": config.context,
            **(build.context_counts() if config.context == "retrieved" else {}),
            "feedback_pairs": len(feedback),
            "data_version": build.version,
            "path": MetadataValue.path(str(path)),
            "example": MetadataValue.json(sample),
        },
        data_version=DataVersion(build.version),
    )


@asset_check(asset=sft_dataset, blocking=True, additional_ins={"scrubbed_corpus": AssetIn()}, description=(
    "No example comes from a document the access map keeps out of training (a group not marked "
    "trainable). Blocks training on failure."))
def sft_dataset_access(paths: PathsResource, sft_dataset: dict, scrubbed_corpus: pd.DataFrame) -> AssetCheckResult:
    used = source_documents(Path(sft_dataset["path"]), sft_dataset["counts"])
    found = outside(used, scrubbed_corpus, trainable_rows(scrubbed_corpus, paths.access_policy()))
    return AssetCheckResult(passed=not found, severity=AssetCheckSeverity.ERROR,
                            metadata={"documents_in_dataset": len(used), "restricted_in_dataset": len(found),
                                      "restricted_doc_ids": MetadataValue.json(found[:20])})
