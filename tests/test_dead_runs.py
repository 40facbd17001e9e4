"""Dead runs do not block (the reliability issue, item 5). With real processes killed with SIGKILL:
a Dagster run worker that is gone is marked failed by ``dead_run_sensor`` (a live one is left
alone), and an MLflow run its killed process left RUNNING is closed as KILLED the next time a stage
configures MLflow, while a live process's run stays RUNNING."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import mlflow
from dagster import DagsterInstance, DagsterRunStatus, build_sensor_context, reconstructable
from dagster._grpc.types import ExecuteRunArgs
from dagster._serdes import serialize_value

from llmops.registry.tracking import configure_mlflow
from sensors.dead_runs import GRACE_S, build_dead_run_sensor, mark_dead_runs, worker_pid
from tests.conftest import REPO
from tests.dead_run_defs import waits

ENV = {**os.environ, "PYTHONPATH": str(REPO)}


def _start_worker(instance: DagsterInstance) -> tuple[str, subprocess.Popen]:
    """A run of ``waits`` executed by a real run worker, as the default run launcher starts one."""
    origin = reconstructable(waits).get_python_origin()
    run = instance.create_run_for_job(job_def=waits, job_code_origin=origin)
    args = ExecuteRunArgs(job_origin=origin, run_id=run.run_id, instance_ref=instance.get_ref())
    worker = subprocess.Popen([sys.executable, "-m", "dagster", "api", "execute_run", serialize_value(args)],
                              cwd=REPO, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline:
        if instance.get_run_by_id(run.run_id).status == DagsterRunStatus.STARTED and worker_pid(instance, run.run_id):
            return run.run_id, worker
        time.sleep(0.5)
    worker.kill()
    raise AssertionError("the run worker did not start")


def test_a_killed_run_worker_is_marked_failed_and_a_live_one_is_not(tmp_path: Path) -> None:
    (tmp_path / "dagster").mkdir()
    with DagsterInstance.local_temp(str(tmp_path / "dagster")) as instance:
        dead, killed = _start_worker(instance)
        alive, running = _start_worker(instance)
        try:
            assert worker_pid(instance, dead) == killed.pid
            os.kill(killed.pid, signal.SIGKILL)
            killed.wait(30)
            assert instance.get_run_by_id(dead).status == DagsterRunStatus.STARTED  # what blocked the queue
            assert mark_dead_runs(instance) == []  # within the grace period a worker may still be finishing
            assert mark_dead_runs(instance, now=time.time() + GRACE_S + 1) == [dead]
            assert instance.get_run_by_id(dead).status == DagsterRunStatus.FAILURE
            assert instance.get_run_by_id(alive).status == DagsterRunStatus.STARTED
            message = next(e.message for e in instance.all_logs(dead) if e.dagster_event and
                           e.dagster_event.event_type_value == "PIPELINE_FAILURE")
            assert f"run worker process {killed.pid} is gone" in message

            tick = build_dead_run_sensor().evaluate_tick(build_sensor_context(instance=instance))
            assert "every started run has a live worker" in tick.skip_message
        finally:
            running.kill()
            running.wait(30)


_HOLDS_A_RUN = """
import sys, time, mlflow
from llmops.registry.tracking import configure_mlflow
configure_mlflow(sys.argv[1], "dead-runs", sys.argv[2])
run = mlflow.start_run(run_name="lora-training")
print(run.info.run_id, flush=True)
time.sleep(300)
"""


def _process_with_a_run(tmp_path: Path, uri: str) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen([sys.executable, "-c", _HOLDS_A_RUN, uri, str(tmp_path / "artifacts")], cwd=REPO,
                               env=ENV, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    return process, process.stdout.readline().strip()


def test_an_mlflow_run_left_running_by_a_killed_process_is_closed_at_the_next_start(tmp_path: Path) -> None:
    uri = f"sqlite:///{tmp_path}/mlflow.db"
    killed, dead_run = _process_with_a_run(tmp_path, uri)
    living, live_run = _process_with_a_run(tmp_path, uri)
    try:
        os.kill(killed.pid, signal.SIGKILL)
        killed.wait(30)
        client = mlflow.MlflowClient(uri)
        assert client.get_run(dead_run).info.status == "RUNNING"
        assert client.get_run(dead_run).data.tags["llmops.pid"] == str(killed.pid)
        configure_mlflow(uri, "dead-runs", str(tmp_path / "artifacts"))  # what the next stage does first
        assert client.get_run(dead_run).info.status == "KILLED"
        assert "was gone" in client.get_run(dead_run).data.tags["llmops.closed"]
        assert client.get_run(live_run).info.status == "RUNNING"
    finally:
        living.kill()
        living.wait(30)
