"""Schedules and sensors that launch retraining."""

from dagster import DefaultScheduleStatus, ScheduleDefinition

from jobs import full_pipeline

nightly_retrain = ScheduleDefinition(
    name="nightly_retrain",
    job=full_pipeline,
    cron_schedule="0 2 * * *",
    execution_timezone="UTC",
    default_status=DefaultScheduleStatus.STOPPED,
    description="Retrain, evaluate and (only if better) promote every night at 02:00 UTC.",
)
