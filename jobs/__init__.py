"""Jobs: the whole chain, launched from the UI, the nightly schedule or `make run`."""

from dagster import AssetSelection, define_asset_job, in_process_executor

full_pipeline = define_asset_job(
    "full_pipeline",
    selection=AssetSelection.all(include_sources=False),
    # One process: on a small machine the steps would compete for the same cores anyway, and
    # each extra process pays ~13 s re-importing torch/transformers. Scale-out executors are
    # a deployment choice (see infra/).
    executor_def=in_process_executor,
    description="Raw documents → scrubbed corpus → SFT dataset → LoRA adapter → evaluation → vector index → promoted model.",
)
