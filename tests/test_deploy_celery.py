"""The Celery executor for real: RabbitMQ on this machine, two worker processes, a Postgres-backed
Dagster instance; the fanned-out steps must land on both workers."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.deploy_support import postgres_available, sqlalchemy_url, throwaway_databases


def _rabbitmq_up() -> bool:
    import socket

    with socket.socket() as sock:
        sock.settimeout(2)
        return sock.connect_ex(("127.0.0.1", 5672)) == 0


pytestmark = pytest.mark.skipif(not (postgres_available() and _rabbitmq_up()),
                                reason="needs Postgres at 127.0.0.1:5432 and RabbitMQ at 127.0.0.1:5672")


def test_celery_executor_spreads_steps_over_two_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dagster import DagsterEventType, DagsterInstance, execute_job
    from dagster._core.definitions.reconstruct import ReconstructableRepository

    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(REPO / "dagster_home" / "postgres" / "dagster.yaml", home / "dagster.yaml")
    with throwaway_databases("celery") as databases:
        monkeypatch.setenv("DAGSTER_HOME", str(home))
        monkeypatch.setenv("DAGSTER_PG_URL", sqlalchemy_url(databases["celery"]))
        monkeypatch.setenv("LLMOPS_CELERY_TEST_QUEUE", f"llmops-test-{uuid.uuid4().hex[:8]}")
        workers = [
            subprocess.Popen([sys.executable, "-m", "celery", "-A", "dagster_celery.app", "worker", "--pool", "solo",
                              "--prefetch-multiplier", "1", "-Q", os.environ["LLMOPS_CELERY_TEST_QUEUE"],
                              "-n", f"{name}@%h", "--without-gossip", "--without-mingle", "--loglevel", "INFO"],
                             cwd=REPO, env={**os.environ}, stdout=(tmp_path / f"{name}.log").open("w"),
                             stderr=subprocess.STDOUT, start_new_session=True)
            for name in ("w1", "w2")
        ]
        try:
            job = ReconstructableRepository.for_module("tests.deploy_celery_defs", "defs", working_directory=str(REPO)
                                                       ).get_reconstructable_job("fan_out")
            with DagsterInstance.get() as instance, execute_job(job, instance) as result:
                assert result.success, [(tmp_path / f"{n}.log").read_text()[-2000:] for n in ("w1", "w2")]
                delegated = [e for e in instance.all_logs(result.run_id, of_type=DagsterEventType.ENGINE_EVENT)
                             if "Celery worker" in (e.dagster_event.event_specific_data.metadata or {})]
                hosts = {e.step_key: e.dagster_event.event_specific_data.metadata["Celery worker"].value
                         for e in delegated}
                pids = {m.step_key: m.asset_materialization.metadata["pid"].value
                        for m in instance.all_logs(result.run_id, of_type=DagsterEventType.ASSET_MATERIALIZATION)
                        if "pid" in m.asset_materialization.metadata}
        finally:
            for worker in workers:
                os.killpg(worker.pid, signal.SIGTERM)
            for worker in workers:
                worker.wait(timeout=60)
    assert set(hosts) == {f"shard_{i}" for i in range(6)} | {"shard_total"}
    assert {host.split("@")[0] for host in hosts.values()} == {"w1", "w2"}
    assert len(set(pids.values())) == 2 and os.getpid() not in pids.values()
