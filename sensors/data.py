"""Sensors on incoming documents: new raw files start ingestion; drifted documents start a retrain."""

import json
from pathlib import Path

from dagster import (AssetKey, DefaultSensorStatus, EventLogEntry, RunRequest, SensorDefinition, SensorEvaluationContext,
                     SensorResult, SkipReason, asset_sensor, sensor)

from jobs import full_pipeline, ingest_new_data
from llmops.automation import REASON_TAG, TRIGGER_TAG, detect_new_files, file_hashes
from orchestration.resources import PathsResource


def build_new_data_sensor(settle_s: float) -> SensorDefinition:
    """Files are told apart by content hash: a renamed or copied file is not new, an edited one is."""

    @sensor(name="new_data_sensor", job=ingest_new_data, minimum_interval_seconds=30,
            default_status=DefaultSensorStatus.RUNNING,
            description="New or changed files in the raw-data folder (by content hash) → ingest_new_data.")
    def new_data_sensor(context: SensorEvaluationContext, paths: PathsResource) -> SensorResult | SkipReason:
        seen = json.loads(context.cursor) if context.cursor else []
        try:
            current = file_hashes(Path(paths.raw_dir), settle_s)
        except FileNotFoundError as exc:
            return SkipReason(str(exc))
        found = detect_new_files(current, seen)
        if not found.new:
            return SkipReason(f"no new content in {paths.raw_dir}: all {len(current)} file(s) already ingested "
                              "(by content hash: copies and renames are not new)")
        names = ", ".join(list(found.new)[:5]) + (f" and {len(found.new) - 5} more" if len(found.new) > 5 else "")
        request = RunRequest(run_key=found.run_key, tags={
            TRIGGER_TAG: "new_data", REASON_TAG: f"{len(found.new)} new or changed file(s): {names}"})
        return SensorResult(run_requests=[request], cursor=json.dumps(sorted(set(seen) | set(found.new.values()))))

    return new_data_sensor


def build_drift_sensor(retrain_run_config: dict) -> SensorDefinition:
    """Reads each drift_report: its verdict and figures become the retrain's run tags."""

    @asset_sensor(asset_key=AssetKey("drift_report"), name="drift_sensor", job=full_pipeline,
                  default_status=DefaultSensorStatus.RUNNING,
                  description="Each drift_report: PSI over the threshold → full_pipeline (retrain, evaluate, promote).")
    def drift_sensor(context: SensorEvaluationContext, asset_event: EventLogEntry) -> RunRequest | SkipReason:
        figures = {key: value.value for key, value in asset_event.asset_materialization.metadata.items()}
        if not figures.get("drifted"):
            return SkipReason(f"drift_report of run {asset_event.run_id[:8]}: {figures.get('reason', 'no figures')}")
        tags = {f"llmops/{key}": str(value) for key, value in figures.items() if key.startswith("psi_")}
        return RunRequest(run_key=f"drift-{figures['batch_id']}", run_config=retrain_run_config, tags={
            TRIGGER_TAG: "drift", REASON_TAG: figures["reason"], **tags,
            "llmops/new_documents": str(figures["n_current"]), "llmops/drift_report_run": asset_event.run_id})

    return drift_sensor
