"""Sensors on incoming documents: new raw files start ingestion; drifted documents start a retrain."""

import json
from pathlib import Path

from dagster import (DefaultSensorStatus, RunRequest, SensorDefinition, SensorEvaluationContext, SensorResult, SkipReason,
                     sensor)

from jobs import ingest_new_data
from llmops.monitor.automation import REASON_TAG, TRIGGER_TAG, detect_new_files, file_hashes
from orchestration.resources import PathsResource
from sensors.retrain import build_retrain_sensor


def build_new_data_sensor(settle_s: float) -> SensorDefinition:
    """Files are told apart by content hash: a renamed or copied file is not new, an edited one is."""

    @sensor(name="new_data_sensor", job=ingest_new_data, minimum_interval_seconds=30,
            default_status=DefaultSensorStatus.RUNNING,
            description="New or changed files in the raw-data folder (by content hash) → ingest_new_data.")
    def new_data_sensor(context: SensorEvaluationContext, paths: PathsResource) -> SensorResult | SkipReason:
        seen = json.loads(context.cursor) if context.cursor else []
        try:
            current = file_hashes(Path(paths.raw_dir), settle_s, also=[paths.access_map()])
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
    return build_retrain_sensor(
        asset="drift_report", name="drift_sensor", trigger="drift", verdict="drifted",
        description="Each drift_report: PSI over the threshold → full_pipeline (retrain, evaluate, promote).",
        run_key=lambda figures, event: str(figures["batch_id"]),  # one batch of new documents retrains once
        tagged=lambda figures: {**{key: value for key, value in figures.items() if key.startswith("psi_")},
                                "new_documents": figures["n_current"]},
        retrain_run_config=retrain_run_config)
