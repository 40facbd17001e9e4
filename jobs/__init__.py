"""Jobs: the whole chain, launched from the UI, the nightly schedule or `make run`."""

from dagster import AssetSelection, define_asset_job

full_pipeline = define_asset_job(
    "full_pipeline",
    selection=AssetSelection.all(include_sources=False),
    description="Raw documents → scrubbed corpus → SFT dataset → LoRA adapter → evaluation → vector index → promoted model.",
)
