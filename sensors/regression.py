"""Sensor on the champion check: a regression (metric drop or more negative feedback) starts a retrain."""

from dagster import SensorDefinition

from sensors.retrain import build_retrain_sensor

TAGGED = ("champion_version", "primary_metric", "fresh_score", "promoted_score", "relative_drop", "feedback_version",
          "recent_negative_rate", "earlier_negative_rate", "feedback_by_version")


def build_regression_sensor(retrain_run_config: dict) -> SensorDefinition:
    """Reads each champion_evaluation: a regression becomes a retrain tagged with the figures."""
    return build_retrain_sensor(
        asset="champion_evaluation", name="regression_sensor", trigger="regression", verdict="regressed",
        description="Each champion_evaluation: a regression → full_pipeline (retrain, evaluate, promote).",
        # one retrain per evaluation (a reported, run-less evaluation is keyed by its time)
        run_key=lambda figures, event: event.run_id or str(event.timestamp),
        tagged=lambda figures: {key: figures[key] for key in TAGGED if key in figures},
        retrain_run_config=retrain_run_config)
