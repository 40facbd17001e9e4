"""Sensor on the champion check: a regression (metric drop or more negative feedback) starts a retrain."""

from dagster import (AssetKey, DefaultSensorStatus, EventLogEntry, RunRequest, SensorDefinition, SensorEvaluationContext,
                     SkipReason, asset_sensor)

from jobs import full_pipeline
from llmops.automation import REASON_TAG, TRIGGER_TAG


def build_regression_sensor(retrain_run_config: dict) -> SensorDefinition:
    """Reads each champion_evaluation: a regression becomes a retrain tagged with the figures."""

    @asset_sensor(asset_key=AssetKey("champion_evaluation"), name="regression_sensor", job=full_pipeline,
                  default_status=DefaultSensorStatus.RUNNING,
                  description="Each champion_evaluation: a regression → full_pipeline (retrain, evaluate, promote).")
    def regression_sensor(context: SensorEvaluationContext, asset_event: EventLogEntry) -> RunRequest | SkipReason:
        figures = {key: value.value for key, value in asset_event.asset_materialization.metadata.items()}
        if not figures.get("regressed"):
            return SkipReason(f"champion_evaluation of run {asset_event.run_id[:8]}: {figures.get('reason', 'no figures')}")
        keys = ("champion_version", "primary_metric", "fresh_score", "promoted_score", "relative_drop",
                "recent_negative_rate")
        # one retrain per evaluation (a reported, run-less evaluation is keyed by its time)
        return RunRequest(run_key=f"regression-{asset_event.run_id or asset_event.timestamp}",
                          run_config=retrain_run_config, tags={
            TRIGGER_TAG: "regression", REASON_TAG: figures["reason"],
            **{f"llmops/{key}": str(figures[key]) for key in keys if key in figures},
            "llmops/champion_evaluation_run": asset_event.run_id or "none"})

    return regression_sensor
