"""Schedules and sensors that keep the model current: nightly retrain, new data, drift, regression, failures."""

from dagster import ScheduleDefinition, SensorDefinition

from llmops.automation import AutomationSettings
from sensors.data import build_new_data_sensor, drift_sensor
from sensors.failures import build_failure_sensor
from sensors.regression import regression_sensor
from sensors.schedules import build_schedules


def build_automation(settings: AutomationSettings) -> tuple[list[ScheduleDefinition], list[SensorDefinition]]:
    """All schedules and sensors for one set of settings (the environment's, or a test's)."""
    sensors = [build_new_data_sensor(settings.new_file_settle_s), drift_sensor, regression_sensor,
               build_failure_sensor(settings.failure_webhook)]
    return build_schedules(settings), sensors
