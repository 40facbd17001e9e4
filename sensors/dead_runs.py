"""Dead-run sensor: a run whose worker process is gone (killed, out of memory, machine restarted)
is marked failed, so it stops holding the run queue (``max_concurrent_runs: 1``) and the failure
sensor reports it.

Dagster's run monitoring asks the run launcher whether a worker is alive, and the default launcher
(one process per run on this machine) cannot answer. Its workers record their process id in the
run's event log when they start, and a run executed in a terminal (``dagster job execute``, as
``make run`` does) records it with its start event; this sensor checks those processes on the
machine the sensor runs on, which under the default launcher is where the workers run (the code
location's server starts them). Other launchers (Kubernetes, Celery) check their own workers, so
the sensor leaves them alone; the run-monitoring ``max_runtime_seconds`` in ``dagster.yaml`` bounds
every run besides.
"""

import time

from dagster import (DagsterEventType, DagsterInstance, DagsterRunStatus, DefaultRunLauncher, DefaultSensorStatus,
                     RunsFilter, SensorDefinition, SensorEvaluationContext, SkipReason, sensor)

from llmops.registry.tracking import process_alive

# A worker that has just exited has a few seconds to write its final status before it counts as dead.
GRACE_S = 30.0


def worker_pid(instance: DagsterInstance, run_id: str) -> int | None:
    """The process id the run's worker recorded when it started, else the process that wrote the
    run's start event (a run executed in a terminal); None when neither is there."""
    for record in instance.all_logs(run_id, of_type=DagsterEventType.ENGINE_EVENT):
        data = record.dagster_event.engine_event_data if record.dagster_event else None
        pid = data.metadata.get("pid") if data and data.metadata else None
        if pid is not None:
            return int(pid.value)
    started = instance.all_logs(run_id, of_type=DagsterEventType.RUN_START)
    return started[0].dagster_event.pid if started and started[0].dagster_event else None


def mark_dead_runs(instance: DagsterInstance, now: float | None = None) -> list[str]:
    """Mark failed every STARTED run whose recorded worker process is gone; returns their ids."""
    now = time.time() if now is None else now
    failed = []
    for record in instance.get_run_records(RunsFilter(statuses=[DagsterRunStatus.STARTED])):
        run = record.dagster_run
        pid = worker_pid(instance, run.run_id)
        if pid is None or process_alive(pid) or now - record.update_timestamp.timestamp() < GRACE_S:
            continue
        latest = instance.get_run_by_id(run.run_id)
        if latest is None or latest.status != DagsterRunStatus.STARTED:  # it finished in the meantime
            continue
        instance.report_run_failed(latest, f"run worker process {pid} is gone (killed, out of memory or the machine "
                                           "restarted): marked failed by dead_run_sensor so queued runs can start")
        failed.append(run.run_id)
    return failed


def build_dead_run_sensor() -> SensorDefinition:
    @sensor(name="dead_run_sensor", minimum_interval_seconds=60, default_status=DefaultSensorStatus.RUNNING,
            description="Marks failed the runs whose worker process is gone, so they stop holding the queue.")
    def dead_run_sensor(context: SensorEvaluationContext) -> SkipReason:
        instance = context.instance
        if not isinstance(instance.run_launcher, DefaultRunLauncher):
            return SkipReason(f"{type(instance.run_launcher).__name__} checks its own workers (run_monitoring)")
        failed = mark_dead_runs(instance)
        for run_id in failed:
            context.log.warning(f"run {run_id}: worker process gone, marked failed")
        return SkipReason(f"marked {len(failed)} dead run(s) failed: {', '.join(failed)}" if failed
                          else "every started run has a live worker")

    return dead_run_sensor
