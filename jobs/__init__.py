"""Jobs: the whole chain (UI, schedules, sensors, `make run`), ingestion of new data, the champion
check, and manual registry control."""

from dagster import AssetSelection, define_asset_job, in_process_executor

from jobs.registry import promote_model_version, rollback_champion

# Monitoring assets judge the champion and new data; they are not steps of a retrain.
MONITORING = AssetSelection.groups("monitoring")
# Exports are made on request (job `export_model`), not on every retrain.
EXPORT = AssetSelection.groups("export")

full_pipeline = define_asset_job(
    "full_pipeline",
    selection=AssetSelection.all(include_sources=False) - MONITORING - EXPORT,
    # One process: on a small machine the steps would compete for the same cores anyway, and
    # each extra process pays ~13 s re-importing torch/transformers. Scale-out executors are
    # a deployment choice (see infra/).
    executor_def=in_process_executor,
    description="Raw documents → scrubbed corpus → SFT dataset (+ feedback) → LoRA adapter → evaluation → vector index "
                "→ retrieval evaluation → live index → promoted model.",
)

ingest_new_data = define_asset_job(
    "ingest_new_data",
    selection=AssetSelection.assets("raw_documents", "scrubbed_corpus", "vector_index", "retrieval_evaluation", "live_index",
                                    "drift_report"),
    executor_def=in_process_executor,
    description="New raw files: re-ingest and scrub, refresh the retrieval index (live once its evaluation passes), "
                "measure drift against the champion's data.",
)

evaluate_champion = define_asset_job(
    "evaluate_champion",
    selection=AssetSelection.assets("feedback", "sft_dataset", "champion_evaluation"),
    executor_def=in_process_executor,
    description="The champion on the newest held-out data, plus the live negative-feedback rate.",
)

export_model = define_asset_job(
    "export_model",
    selection=EXPORT,
    executor_def=in_process_executor,
    description="Export the champion (or a chosen version) as merged safetensors and a llama.cpp GGUF file.",
)

__all__ = ["export_model", "evaluate_champion", "full_pipeline", "ingest_new_data", "promote_model_version", "rollback_champion"]
