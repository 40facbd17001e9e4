"""Run-failure sensor: every failed run is logged (JSON lines under LLMOPS_HOME) and, optionally, posted to a webhook."""

import time
from pathlib import Path

from dagster import DefaultSensorStatus, RunFailureSensorContext, SensorDefinition, run_failure_sensor

from llmops.monitor.automation import TRIGGER_TAG, FailureRecord, report_failure
from orchestration.resources import PathsResource

FAILURE_LOG = ("automation", "run_failures.jsonl")


def build_failure_sensor(webhook: str | None) -> SensorDefinition:
    @run_failure_sensor(name="run_failure_reporter", default_status=DefaultSensorStatus.RUNNING,
                        description="Records each failed run (job, failed steps, error, trigger) in "
                                    "LLMOPS_HOME/automation/run_failures.jsonl"
                                    + (" and posts it to the configured webhook." if webhook else "."))
    def run_failure_reporter(context: RunFailureSensorContext, paths: PathsResource) -> None:
        run = context.dagster_run
        record = FailureRecord(
            run_id=run.run_id, job_name=run.job_name, failed_at=time.time(),
            message=context.failure_event.message or "", trigger=run.tags.get(TRIGGER_TAG),
            failed_steps=sorted({e.step_key for e in context.get_step_failure_events() if e.step_key}),
        )
        error = report_failure(record, Path(paths.home).joinpath(*FAILURE_LOG), webhook)
        context.log.info(f"recorded failure of {run.job_name} run {run.run_id}")
        if error:
            context.log.warning(error)

    return run_failure_reporter
