"""Schedules and sensors that keep the model current: nightly retrain, new data, drift, regression,
failures, and runs whose worker died."""

from dagster import ScheduleDefinition, SensorDefinition

from llmops.monitor.automation import AutomationSettings
from sensors.data import build_drift_sensor, build_new_data_sensor
from sensors.dead_runs import build_dead_run_sensor
from sensors.failures import build_failure_sensor
from sensors.regression import build_regression_sensor
from sensors.schedules import build_schedules


def build_automation(settings: AutomationSettings) -> tuple[list[ScheduleDefinition], list[SensorDefinition]]:
    """All schedules and sensors for one set of settings (the environment's, or a test's)."""
    retrain = settings.retrain_run_config
    sensors = [build_new_data_sensor(settings.new_file_settle_s), build_drift_sensor(retrain),
               build_regression_sensor(retrain), build_failure_sensor(settings.failure_webhook), build_dead_run_sensor()]
    return build_schedules(settings), sensors
