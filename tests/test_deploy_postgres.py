"""Production mode against the machine's real Postgres, in throwaway databases for this module.

One pipeline run (tiny training settings) on Dagster + MLflow in Postgres, with outputs encrypted at
rest, survives a restart of the Postgres cluster in the middle of training; then the deployment is
backed up, wiped and restored, and must give the same registry, champion, run history and index
answers.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
import yaml
from psycopg2 import sql

from tests.conftest import REPO, SAMPLE_DIR
from tests.deploy_support import admin, postgres_available, sqlalchemy_url, throwaway_databases

ASSETS = ["raw_documents", "scrubbed_corpus", "sft_dataset", "lora_adapter", "evaluation_report", "vector_index",
          "promoted_model"]
QUERIES = ["How long is the warranty on the thermostat?", "What does error E14 mean?", "How do I reset my password?"]
RUN_CONFIG = {"ops": {
    "lora_adapter": {"config": {"max_steps": 3, "logging_steps": 1, "save_steps": 1}},
    "evaluation_report": {"config": {"max_samples": 2, "max_new_tokens": 8, "probe_questions": 1,
                                     "answer_questions": 4, "answer_top_k": 2}},
    "promoted_model": {"config": {"min_improvement": -1.0}},
}}


pytestmark = pytest.mark.skipif(not postgres_available(), reason="needs the local Postgres at 127.0.0.1:5432")


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory, model_cache: Path):
    """Environment of a production deployment: throwaway Postgres databases, local artifact store,
    LanceDB and LLMOPS_HOME in a temp folder, at-rest key set; dropped afterwards."""
    root = tmp_path_factory.mktemp("deploy")
    with throwaway_databases("dagster", "mlflow") as databases, pytest.MonkeyPatch.context() as patch:
        yield _configure(root, databases, model_cache, patch)


def _configure(root: Path, databases: dict[str, str], model_cache: Path, patch: pytest.MonkeyPatch) -> dict:
    from llmops.ops.at_rest import KEY_ENV, generate_key

    home = root / "dagster_home"
    home.mkdir()
    shutil.copy(REPO / "dagster_home" / "postgres" / "dagster.yaml", home / "dagster.yaml")
    env = {
        "DAGSTER_HOME": str(home),
        "DAGSTER_PG_URL": sqlalchemy_url(databases["dagster"]),
        "MLFLOW_TRACKING_URI": sqlalchemy_url(databases["mlflow"]),
        "MLFLOW_ARTIFACT_ROOT": str(root / "artifacts"),
        "LANCEDB_URI": str(root / "lancedb"),
        "LLMOPS_HOME": str(root / "home"),
        "LLMOPS_MODEL_CACHE": str(model_cache),
        "LLMOPS_MODEL_NAME": "deploy-assistant",
        "LLMOPS_RAW_DIR": str(SAMPLE_DIR),
        KEY_ENV: generate_key(),
    }
    for key, value in env.items():
        patch.setenv(key, value)
    return {"root": root, "env": {**os.environ}, "databases": databases}


def _instance():
    from dagster import DagsterInstance

    return DagsterInstance.from_config(os.environ["DAGSTER_HOME"])


def _restart_postgres() -> None:
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"], check=True, timeout=120)


@pytest.fixture(scope="module")
def pipeline(deployment):
    """`make run`'s command on the Postgres instance; Postgres restarts once training has started.
    Returns the run ids (first run, and its re-execution from failure if the restart broke it)."""
    from dagster import DagsterEventType, DagsterRunStatus

    config = deployment["root"] / "run_config.yaml"
    config.write_text(yaml.safe_dump(RUN_CONFIG))
    proc = subprocess.Popen([sys.executable, "-m", "dagster", "job", "execute", "-m", "orchestration.definitions",
                             "-j", "full_pipeline", "-c", str(config)], cwd=REPO, env=deployment["env"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output: list[str] = []
    reader = threading.Thread(target=lambda: output.extend(proc.stdout), daemon=True)
    reader.start()
    restarted_at = None
    with _instance() as instance:
        try:
            deadline = time.monotonic() + 1200
            while proc.poll() is None and time.monotonic() < deadline:
                runs = instance.get_runs(limit=1)
                started = runs and instance.get_records_for_run(
                    runs[0].run_id, of_type=DagsterEventType.STEP_START).records
                if any(r.event_log_entry.step_key == "lora_adapter" for r in started or []):
                    restarted_at = time.time()
                    _restart_postgres()
                    break
                time.sleep(0.3)
            proc.wait(timeout=1200)
        finally:
            proc.kill()  # only if the run outlived the wait: never leave it writing into dropped databases
        reader.join(timeout=10)
        assert restarted_at is not None, "".join(output)[-3000:]
        (first,) = instance.get_runs()
        run_ids = [first.run_id]
        if first.status == DagsterRunStatus.FAILURE:
            run_ids.append(_reexecute_from_failure(first.run_id, deployment["env"]))
        else:
            assert first.status == DagsterRunStatus.SUCCESS, "".join(output)[-3000:]
    outcome = _cli("summary")
    if "[champion]" not in outcome.stdout:
        # the promotion gate may reject a 3-step model (e.g. a leaked probe value): promote it by hand,
        # as an operator would, so there is a champion alias to back up
        promoted = _cli("promote", "1", "--reason", "deployment test")
        assert promoted.returncode == 0, promoted.stderr
    return {"run_ids": run_ids, "restarted_at": restarted_at, "log": "".join(output)}


_REEXECUTE = """
import json, sys
from dagster import DagsterInstance, ReexecutionOptions, execute_job
from dagster._core.definitions.reconstruct import ReconstructableRepository

job = ReconstructableRepository.for_module("orchestration.definitions", "defs").get_reconstructable_job("full_pipeline")
with DagsterInstance.get() as instance:
    options = ReexecutionOptions.from_failure(sys.argv[1], instance)
    with execute_job(job, instance, run_config=json.loads(sys.argv[2]), reexecution_options=options) as result:
        print("RUN", result.run_id, result.success)
"""


def _reexecute_from_failure(run_id: str, env: dict[str, str]) -> str:
    """Re-execute a failed run from failure as the UI's button does: in a fresh process, so the
    definitions are loaded under the deployment's environment (at-rest key, paths), not this one's."""
    done = subprocess.run([sys.executable, "-c", _REEXECUTE, run_id, json.dumps(RUN_CONFIG)], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=1200)
    line = next((l for l in done.stdout.splitlines() if l.startswith("RUN ")), "")
    assert line.endswith(" True"), (done.stdout + done.stderr)[-3000:]
    return line.split()[1]


def test_chain_on_postgres_survives_a_restart(deployment, pipeline) -> None:
    from dagster import AssetKey
    from dagster_postgres import PostgresEventLogStorage, PostgresRunStorage, PostgresScheduleStorage
    from mlflow.tracking import MlflowClient

    with _instance() as instance:
        assert isinstance(instance.run_storage, PostgresRunStorage)
        assert isinstance(instance.event_log_storage, PostgresEventLogStorage)
        assert isinstance(instance.schedule_storage, PostgresScheduleStorage)
        # nothing lost: the first run's history is intact and events kept arriving after the restart
        first_events = instance.all_logs(pipeline["run_ids"][0])
        assert any(e.step_key == "raw_documents" for e in first_events)
        all_events = [e for run_id in pipeline["run_ids"] for e in instance.all_logs(run_id)]
        assert any(e.timestamp > pipeline["restarted_at"] + 1 for e in all_events)
        for name in ASSETS:
            assert instance.get_latest_materialization_event(AssetKey(name)) is not None, name
    uri = os.environ["MLFLOW_TRACKING_URI"]
    client = MlflowClient(tracking_uri=uri, registry_uri=uri)
    champion = client.get_model_version_by_alias("deploy-assistant", "champion")
    run = client.get_run(champion.run_id)
    assert run.data.tags["data_version"] and run.data.metrics and str(champion.version) == "1"


def test_asset_outputs_are_encrypted_at_rest(deployment, pipeline) -> None:
    from llmops.ops.at_rest import AtRestError, Cipher, is_encrypted, read_bytes

    stored = Path(os.environ["DAGSTER_HOME"]) / "storage"
    for name in ("raw_documents", "scrubbed_corpus"):
        data = (stored / f"{name}.fernet").read_bytes()
        assert is_encrypted(data) and b"Thermo" not in data
        frame = pickle.loads(read_bytes(stored / f"{name}.fernet", Cipher.from_env()))
        assert len(frame) > 100 and "text" in frame
        with pytest.raises(AtRestError, match="LLMOPS_AT_REST_KEY"):
            read_bytes(stored / f"{name}.fernet", None)
    assert not (stored / "scrubbed_corpus").exists()  # no plain pickle beside it


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _make(target: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "-s", target], cwd=REPO, env=env, capture_output=True, text=True, timeout=900)


def test_make_up_serves_the_deployment(deployment, pipeline) -> None:
    """`make up` on the deployment's stores: the Dagster UI shows the pipeline's runs, the MLflow server
    the champion, and `llmops serve` answers a chat with it; `make status` is clean; `make down` stops all."""
    import psutil

    ports = {name: _free_port() for name in ("MLFLOW", "DAGSTER", "SERVE")}
    env = {**os.environ, **{f"LLMOPS_{name}_PORT": str(port) for name, port in ports.items()}}
    key = _cli("keys", "create", "--role", "reader").stdout.split()[-1]
    try:
        started = _make("up", env)
        assert started.returncode == 0, started.stdout + started.stderr
        assert "healthy" in started.stdout and "no champion" not in started.stdout, started.stdout
        query = "{ runsOrError { ... on Runs { results { runId status } } } }"
        runs = httpx.post(f"http://127.0.0.1:{ports['DAGSTER']}/graphql", json={"query": query}, timeout=60).json()
        shown = {run["runId"]: run["status"] for run in runs["data"]["runsOrError"]["results"]}
        assert shown[pipeline["run_ids"][-1]] == "SUCCESS", shown
        alias = httpx.get(f"http://127.0.0.1:{ports['MLFLOW']}/api/2.0/mlflow/registered-models/alias",
                          params={"name": "deploy-assistant", "alias": "champion"}, timeout=60)
        assert alias.status_code == 200 and alias.json()["model_version"]["version"] == "1", alias.text
        answer = httpx.post(f"http://127.0.0.1:{ports['SERVE']}/v1/chat/completions", timeout=300,
                            headers={"authorization": f"Bearer {key}"},
                            json={"messages": [{"role": "user", "content": QUERIES[0]}], "max_tokens": 8})
        assert answer.status_code == 200 and answer.json()["model"] == "deploy-assistant:1", answer.text
        status = _make("status", env)
        assert status.returncode == 0, status.stdout + status.stderr
        assert status.stdout.count(" healthy ") == 4, status.stdout
    finally:
        pids = [int(p.read_text()) for p in (Path(env["LLMOPS_HOME"]) / "stack" / "pids").glob("*.pid")]
        stopped = _make("down", env)
    assert stopped.returncode == 0, stopped.stdout + stopped.stderr
    assert len(pids) == 4 and not any(psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
                                      for pid in pids)


def _snapshot() -> dict:
    """What a restore must bring back: registry, champion and its files, run history, index answers."""
    import mlflow
    from dagster import AssetKey

    from llmops.retrieval.embedder import Embedder
    from llmops.retrieval.search import Retriever
    from llmops.registry.models import CHAMPION, ModelRegistry

    uri = os.environ["MLFLOW_TRACKING_URI"]
    client = mlflow.MlflowClient(tracking_uri=uri, registry_uri=uri)
    versions = sorted((v.version, v.run_id, v.tags.get("promotion_decision")) for v in
                      client.search_model_versions("name='deploy-assistant'"))
    champion = client.get_model_version_by_alias("deploy-assistant", "champion").version
    mlflow.set_tracking_uri(uri)
    mlflow.set_registry_uri(uri)
    files = sorted(p.name for p in Path(mlflow.artifacts.download_artifacts(
        ModelRegistry(client, "deploy-assistant").alias_uri(CHAMPION))).rglob("*") if p.is_file())
    with _instance() as instance:
        runs = sorted((r.run_id, r.status.value) for r in instance.get_runs())
        materialized = {name: instance.get_latest_materialization_event(AssetKey(name)).run_id for name in ASSETS}
    retriever = Retriever(os.environ["LANCEDB_URI"], Embedder())
    answers = [[hit.doc_id for hit in retriever.search(query, k=3)] for query in QUERIES]
    return {"versions": versions, "champion": champion, "files": files, "runs": runs,
            "materialized": materialized, "answers": answers}


def _serving_files() -> dict[str, Path]:
    """Audit log, feedback, the answers feedback may rate and API keys written through their real stores."""
    from llmops.ops.api_keys import KeyStore, default_keys_path
    from llmops.ops.audit_log import AuditLog, AuditRecord, default_audit_path
    from llmops.ops.responses import Remembered, ResponseMemory, default_responses_path
    from llmops.monitor.feedback import FeedbackRecord, FeedbackStore
    from llmops.settings import Settings

    settings = Settings.from_env()
    keys = KeyStore(default_keys_path(settings.home))
    keys.create("reader", "backup test")
    AuditLog(default_audit_path(settings.home)).append(
        AuditRecord(ts=time.time(), request_id="r1", method="POST", endpoint="/v1/chat/completions", status=200,
                    latency_ms=12.5))
    FeedbackStore(settings.feedback_path).append(FeedbackRecord("r1", 1, "q", "a", "deploy-assistant:1", time.time()))
    ResponseMemory(path=default_responses_path(settings.home)).put(
        "r2", Remembered("q", "a", "deploy-assistant:1", None, time.time()))
    return {"audit": default_audit_path(settings.home), "feedback": settings.feedback_path,
            "responses": default_responses_path(settings.home), "api_keys": default_keys_path(settings.home)}


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "llmops.cli", *args], cwd=REPO, env={**os.environ},
                          capture_output=True, text=True, timeout=600)


def test_backup_wipe_restore_gives_the_same_deployment(deployment, pipeline) -> None:
    files = _serving_files()
    contents = {name: path.read_bytes() for name, path in files.items()}
    before = _snapshot()
    backup_dir = deployment["root"] / "backup"

    saved = _cli("backup", str(backup_dir))
    assert saved.returncode == 0, saved.stderr
    for name in ("dagster_storage", "dagster_home", "mlflow_db", "mlflow_artifacts", "lancedb", "audit", "feedback",
                 "responses", "api_keys"):
        assert name in saved.stdout, saved.stdout
    again = _cli("backup", str(backup_dir))
    assert again.returncode == 2 and "not empty" in again.stderr
    refused = _cli("restore", str(backup_dir))
    assert refused.returncode == 2 and "--force" in refused.stderr and "MLflow database" in refused.stderr

    # wipe: both databases, the artifact store, the index, Dagster's local storage and the serving files
    for name in deployment["databases"].values():
        admin(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
        admin(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    shutil.rmtree(os.environ["MLFLOW_ARTIFACT_ROOT"])
    shutil.rmtree(os.environ["LANCEDB_URI"])
    for path in Path(os.environ["DAGSTER_HOME"]).iterdir():
        if path.name != "dagster.yaml":
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    for path in files.values():
        path.unlink()

    restored = _cli("restore", str(backup_dir))
    assert restored.returncode == 0, restored.stderr
    assert _snapshot() == before
    assert {name: path.read_bytes() for name, path in files.items()} == contents


def test_restore_under_another_artifact_root_points_the_registry_there(tmp_path: Path) -> None:
    """MLflow keeps absolute artifact URIs in Postgres too: restored beside another local artifact root,
    the champion's files load from the new root, the old one deleted."""
    from mlflow.tracking import MlflowClient

    from llmops.ops.backup import Stores, backup, restore

    old, new = tmp_path / "old", tmp_path / "new"
    with throwaway_databases("mlflow") as databases:
        uri = sqlalchemy_url(databases["mlflow"])

        def stores(root: Path) -> Stores:
            return Stores(dagster_home=root / "dagster_home", dagster_pg_url=None, mlflow_uri=uri,
                          artifact_root=str(root / "artifacts"), lancedb=str(root / "lancedb"))

        client = MlflowClient(tracking_uri=uri, registry_uri=uri)
        run = client.create_run(client.create_experiment("llmops", (old / "artifacts" / "llmops").as_uri()))
        client.log_text(run.info.run_id, "adapter weights", "model/adapter.txt")
        client.create_registered_model("m")
        version = client.create_model_version("m", f"{run.info.artifact_uri}/model", run.info.run_id)
        client.set_registered_model_alias("m", "champion", version.version)
        backup(tmp_path / "backup", stores(old))
        shutil.rmtree(old)

        manifest = restore(tmp_path / "backup", stores(new), force=True)
        # the experiment, the run, the version's source and its storage location
        assert manifest["relocated"] == {"from": str(old / "artifacts"), "to": str(new / "artifacts"), "rows": 4}
        client = MlflowClient(tracking_uri=uri, registry_uri=uri)
        champion = client.get_model_version_by_alias("m", "champion")
        location = client.get_model_version_download_uri("m", champion.version)
        assert champion.source == location == f"{(new / 'artifacts' / 'llmops').as_uri()}/{run.info.run_id}/artifacts/model"
        (tmp_path / "download").mkdir()
        downloaded = client.download_artifacts(run.info.run_id, "model/adapter.txt", str(tmp_path / "download"))
        assert Path(downloaded).read_text() == "adapter weights"
