"""Schedules: the nightly retrain and the champion check before it (cron and timezone from the environment)."""

from dagster import DefaultScheduleStatus, RunRequest, ScheduleDefinition, ScheduleEvaluationContext, schedule

from jobs import evaluate_champion, full_pipeline
from llmops.monitor.automation import REASON_TAG, TRIGGER_TAG, AutomationSettings


def build_schedules(settings: AutomationSettings) -> list[ScheduleDefinition]:
    """Both stopped by default: a deployment turns them on (UI toggle) once a first model exists."""

    @schedule(name="nightly_retrain", job=full_pipeline, cron_schedule=settings.retrain_cron,
              execution_timezone=settings.timezone, default_status=DefaultScheduleStatus.STOPPED,
              description=f"Retrain, evaluate and (only if better) promote; cron `{settings.retrain_cron}` "
                          f"({settings.timezone}).")
    def nightly_retrain(context: ScheduleEvaluationContext) -> RunRequest:
        when = context.scheduled_execution_time
        return RunRequest(run_key=f"nightly-{when.isoformat()}", run_config=settings.retrain_run_config, tags={
            TRIGGER_TAG: "schedule", REASON_TAG: f"nightly retrain scheduled for {when:%Y-%m-%d %H:%M %Z}"})

    @schedule(name="champion_evaluation_schedule", job=evaluate_champion, cron_schedule=settings.evaluation_cron,
              execution_timezone=settings.timezone, default_status=DefaultScheduleStatus.STOPPED,
              description=f"Evaluate the champion on fresh held-out data; cron `{settings.evaluation_cron}` "
                          f"({settings.timezone}). The regression_sensor reads the result.")
    def champion_evaluation_schedule(context: ScheduleEvaluationContext) -> RunRequest:
        when = context.scheduled_execution_time
        return RunRequest(run_key=f"champion-check-{when.isoformat()}", tags={
            TRIGGER_TAG: "schedule", REASON_TAG: f"champion check scheduled for {when:%Y-%m-%d %H:%M %Z}"})

    return [nightly_retrain, champion_evaluation_schedule]
