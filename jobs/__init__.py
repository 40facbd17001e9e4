"""Jobs: the whole chain (UI, nightly schedule, `make run`) and manual registry control."""

from dagster import AssetSelection, define_asset_job, in_process_executor

from jobs.registry import promote_model_version, rollback_champion

full_pipeline = define_asset_job(
    "full_pipeline",
    selection=AssetSelection.all(include_sources=False),
    # One process: on a small machine the steps would compete for the same cores anyway, and
    # each extra process pays ~13 s re-importing torch/transformers. Scale-out executors are
    # a deployment choice (see infra/).
    executor_def=in_process_executor,
    description="Raw documents → scrubbed corpus → SFT dataset → LoRA adapter → evaluation → vector index → promoted model.",
)

__all__ = ["full_pipeline", "promote_model_version", "rollback_champion"]
