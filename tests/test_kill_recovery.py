"""Nothing half done after a kill (the reliability issue, item 5): the chain is run as a user runs it
(`dagster asset materialize` in its own process group), killed with SIGKILL during training, run
again and killed as indexing starts, and run again. The reruns complete; training resumes from its checkpoint in
the same MLflow run, which ends FINISHED (none is left RUNNING); the corpus and the index hold
exactly what a run nobody killed gives (document and chunk counts, no chunk twice)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import lancedb
import pytest
from mlflow import MlflowClient

from dagster import AssetKey, DagsterInstance, DagsterRunStatus, RunsFilter

from llmops.ingest.access import load_access_policy
from llmops.ingest.raw_documents import IngestSettings, read_documents
from llmops.retrieval.index import IndexSettings, build_chunks
from llmops.settings import Settings
from orchestration.definitions import build_definitions, build_resources
from sensors.dead_runs import GRACE_S, mark_dead_runs, worker_pid
from tests.conftest import REPO

pytestmark = pytest.mark.slow

SAMPLE = REPO / "data" / "sample"
TO_TRAINING = "raw_documents,scrubbed_corpus,feedback,sft_dataset,lora_adapter"
# one process per run (no step subprocesses); a checkpoint every 4 of 8 steps
CONFIG = ("execution:\n  config:\n    in_process: {}\n"
          "ops:\n  lora_adapter:\n    config: {max_steps: 8, save_steps: 4, logging_steps: 4}\n")


def _materialize(env: dict[str, str], select: str, log: Path) -> subprocess.Popen:
    with log.open("ab") as out:
        return subprocess.Popen([sys.executable, "-m", "dagster", "asset", "materialize", "-m", "orchestration.definitions",
                                 "--select", select, "-c", env["KILL_TEST_CONFIG"]], cwd=REPO, env=env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)


def _completes(env: dict[str, str], select: str, log: Path) -> None:
    assert _materialize(env, select, log).wait(900) == 0, log.read_text()[-3000:]


def _kill_when(process: subprocess.Popen, ready, what: str, timeout_s: float = 600) -> None:
    deadline = time.time() + timeout_s
    while not ready():
        assert process.poll() is None, f"the run ended before {what}"
        assert time.time() < deadline, f"no {what} within {timeout_s:.0f} s"
        time.sleep(0.2)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(30)


def test_a_run_killed_in_training_and_in_indexing_completes_on_the_next_run(tmp_path: Path, model_cache: Path,
                                                                             monkeypatch) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(SAMPLE / "faq", raw / "faq")
    home, dagster_home = tmp_path / "home", tmp_path / "dagster"
    dagster_home.mkdir()
    (tmp_path / "config.yaml").write_text(CONFIG)
    env = {**os.environ, "LLMOPS_HOME": str(home), "LLMOPS_RAW_DIR": str(raw), "DAGSTER_HOME": str(dagster_home),
           "MLFLOW_TRACKING_URI": f"sqlite:///{tmp_path}/mlflow.db", "LLMOPS_MODEL_CACHE": str(model_cache),
           "LANCEDB_URI": str(tmp_path / "lancedb"), "PYTHONPATH": str(REPO), "HF_HUB_OFFLINE": "1",
           "KILL_TEST_CONFIG": str(tmp_path / "config.yaml")}
    log = tmp_path / "runs.log"

    # 1. killed in training, once its first checkpoint is complete
    first = _materialize(env, TO_TRAINING, log)
    _kill_when(first, lambda: any((c / "trainer_state.json").is_file() for c in home.glob("training/*/checkpoints/checkpoint-*")),
               "training checkpoint")
    client = MlflowClient(env["MLFLOW_TRACKING_URI"])
    experiment = client.get_experiment_by_name("llmops").experiment_id
    [killed_run] = client.search_runs([experiment], "tags.stage = 'lora_adapter'")
    assert killed_run.info.status == "RUNNING"  # what the kill leaves behind, in MLflow and in Dagster
    monkeypatch.setenv("DAGSTER_HOME", str(dagster_home))
    with DagsterInstance.get() as instance:
        [stuck] = instance.get_run_records(RunsFilter(statuses=[DagsterRunStatus.STARTED]))
        assert worker_pid(instance, stuck.dagster_run.run_id) == first.pid  # the terminal's run, by its start event
        assert mark_dead_runs(instance, now=time.time() + GRACE_S + 1) == [stuck.dagster_run.run_id]

    # 2. training again (it resumes), then killed as indexing from scratch starts
    before = log.read_text().count('Started execution of step "vector_index"')
    second = _materialize(env, "lora_adapter,vector_index", log)
    _kill_when(second, lambda: log.read_text().count('Started execution of step "vector_index"') > before, "indexing step")
    [trained] = client.search_runs([experiment], "tags.stage = 'lora_adapter'")
    assert trained.info.run_id == killed_run.info.run_id and trained.info.status == "FINISHED"
    assert trained.data.tags["resumed_from"].startswith("checkpoint-")
    assert not client.search_runs([experiment], "attributes.status = 'RUNNING'")
    assert not (tmp_path / "lancedb").exists() or not lancedb.connect(str(tmp_path / "lancedb")).list_tables().tables

    # 3. indexing again
    _completes(env, "vector_index", log)

    # the corpus and the index hold what a run nobody killed gives
    monkeypatch.setenv("LLMOPS_HOME", str(home))
    with DagsterInstance.get() as instance:
        corpus = build_definitions(build_resources(Settings.from_env())).load_asset_value("scrubbed_corpus", instance=instance)
        indexed = instance.get_latest_materialization_event(AssetKey("vector_index")).asset_materialization.metadata
        ingested = instance.get_latest_materialization_event(AssetKey("raw_documents")).asset_materialization.metadata
    expected = read_documents(raw, IngestSettings(access=load_access_policy(raw)))
    assert ingested["documents"].value == len(expected.documents)
    chunks = build_chunks(corpus, IndexSettings())
    assert (indexed["documents"].value, indexed["chunks"].value) == (corpus["doc_id"].nunique(), len(chunks))
    rows = lancedb.connect(str(tmp_path / "lancedb")).open_table("corpus_chunks").search().select(
        ["chunk_id"]).limit(None).to_pandas()
    assert sorted(rows["chunk_id"]) == sorted(chunks["chunk_id"])  # every chunk once, none missing
