"""The real chain through Dagster: every asset materialized on the shipped sample corpus into
temporary Dagster/MLflow/LanceDB stores, then the champion served over HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
import uvicorn
from dagster import AssetKey, DagsterInstance, RunConfig
from mlflow.tracking import MlflowClient

from orchestration.config import (EvalConfig, GroupModelsConfig, PromotionConfig, ScrubbedCorpusConfig, SFTDatasetConfig,
                                  TestSplitConfig, TrainConfig)
from orchestration.definitions import build_definitions
from orchestration.resources import LanceDBResource, MlflowResource, ModelStoreResource, PathsResource, ScrubberResource
from tests.conftest import REPO, SAMPLE_DIR

ASSETS = ["raw_documents", "scrubbed_corpus", "feedback", "sft_dataset", "lora_adapter", "evaluation_report", "vector_index",
          "retrieval_evaluation", "live_index", "promoted_model", "group_sft_datasets", "group_adapters", "group_models"]
GROUP_ASSETS = [AssetKey(name) for name in ASSETS[-3:]]


def _resources(root: Path, model_cache: Path, access_file: Path | None = None) -> dict:
    return {
        "paths": PathsResource(raw_dir=str(SAMPLE_DIR), home=str(root / "home"),
                               access_file=str(access_file) if access_file else None),
        "mlflow_tracking": MlflowResource(tracking_uri=f"sqlite:///{root}/mlflow.db", experiment="e2e", model_name="e2e-assistant",
                                          artifact_root=str(root / "artifacts")),
        "lancedb": LanceDBResource(uri=str(root / "lancedb")),
        "model_store": ModelStoreResource(cache_dir=str(model_cache)),
        "scrubber": ScrubberResource(),
    }


def _dagster_home(root: Path) -> str:
    """A fresh DAGSTER_HOME with the project's instance config, so tests use the same settings."""
    home = root / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text((REPO / "dagster_home" / "dagster.yaml").read_text())
    return str(home)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# small and quick: the answer evaluation asks 4 questions (one unanswerable) over 2 passages each
EVAL = EvalConfig(max_samples=4, max_new_tokens=16, probe_questions=3, restricted_probe_questions=2, answer_questions=4,
                  answer_top_k=2)
# each group's own model: a token of training (no validation split to score), judged on two items (and
# accepted, as the shared one is)
GROUPS = {"group_sft_datasets": SFTDatasetConfig(validation_fraction=0.0),
          "group_adapters": TrainConfig(max_steps=2, logging_steps=1),
          "group_models": GroupModelsConfig(evaluation=TestSplitConfig(max_samples=2, max_new_tokens=8, probe_questions=1,
                                                                       restricted_probe_questions=1),
                                            promotion=PromotionConfig(min_improvement=-1.0, guard_metrics=[]))}


@pytest.mark.slow
def test_full_pipeline_materializes_registers_and_serves(tmp_path: Path, model_cache: Path, monkeypatch) -> None:
    # started from a folder of its own with the runtime home elsewhere, as `make run` does: a run must
    # write nothing where it was started (MLflow's Default experiment would put artifacts in ./mlruns)
    workdir = tmp_path / "workdir"
    workdir.mkdir()
    monkeypatch.chdir(workdir)
    monkeypatch.setenv("LLMOPS_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("LLMOPS_MODEL_CACHE", str(model_cache))
    # the sample's access map, with a model of their own for hr and it
    access_file = tmp_path / "access.yaml"
    access_file.write_text((SAMPLE_DIR / "access.yaml").read_text() + "adapters: [hr, it]\n")
    resources = _resources(tmp_path, model_cache, access_file)
    job = build_definitions(resources).resolve_job_def("full_pipeline")
    with DagsterInstance.local_temp(_dagster_home(tmp_path)) as instance:
        result = job.execute_in_process(
            instance=instance,
            run_config=RunConfig(ops={
                "lora_adapter": TrainConfig(max_steps=4, logging_steps=2),
                "evaluation_report": EVAL,
                # a tiny run need not beat the base model on anything (4 items are noise); accept it so the serving
                # half has a champion (the PII-leak gate still applies)
                "promoted_model": PromotionConfig(min_improvement=-1.0, guard_metrics=[]),
                **GROUPS,
            }),
        )
        assert result.success
        materialized = {m.asset_key for m in result.get_asset_materialization_events() for m in [m.event_specific_data.materialization]}
        assert materialized == {AssetKey(name) for name in ASSETS}
        checks = result.get_asset_check_evaluations()
        assert sorted((c.check_name, c.passed) for c in checks) == [("group_sft_datasets_access", True),
                                                                    ("scrubbed_corpus_quality", True),
                                                                    ("sft_dataset_access", True)]
        raw_meta = instance.get_latest_materialization_event(AssetKey("raw_documents")).asset_materialization.metadata
        assert raw_meta["quarantined"].value >= 3 and raw_meta["documents"].value >= 150
        # the sample's access map: payroll and onboarding guides for hr, the incident procedure for it
        assert set(raw_meta["by_access_group"].value) == {"everyone", "hr", "it"}
        sft_meta = instance.get_latest_materialization_event(AssetKey("sft_dataset")).asset_materialization.metadata
        assert sft_meta["documents_restricted"].value >= 6  # kept out of the model that answers everyone
        eval_meta = instance.get_latest_materialization_event(AssetKey("evaluation_report")).asset_materialization.metadata
        assert eval_meta["probe_questions"].value == EVAL.probe_questions + EVAL.restricted_probe_questions
        assert "RESTRICTED_TEXT" not in eval_meta["pii_leaks_by_type"].value.get("candidate", {})

        retrieval = result.output_for_node("retrieval_evaluation")  # the sample's questions, the first index goes live
        assert retrieval["go_live"] and retrieval["questions"] >= 50 and retrieval["metrics"]["hybrid"]["hit@5"] >= 0.8
        assert result.output_for_node("live_index")["version"] == retrieval["candidate_version"]

        outcome = result.output_for_node("promoted_model")
        assert outcome["promote"] and outcome["champion"] == outcome["version"] == 1
        # hr and it each trained on what they may read, registered as models of their own and promoted
        group_sets = result.output_for_node("group_sft_datasets")
        assert set(group_sets) == {"hr", "it"}
        shared_examples = sum(result.output_for_node("sft_dataset")["counts"].values())
        assert all(sum(d["counts"].values()) > shared_examples for d in group_sets.values())
        groups = result.output_for_node("group_models")
        assert {g: (o["model_name"], o["version"], o["champion"]) for g, o in groups["groups"].items()} == {
            "hr": ("e2e-assistant-hr", 1, 1), "it": ("e2e-assistant-it", 1, 1)}
        assert groups["retired"] == {}
        evaluation = result.output_for_node("evaluation_report")
        assert set(evaluation["metrics"]) == {"base", "candidate", "extractive"}
        # the answer evaluation ran over the live index: the sample's questions with their facts
        served = {name: value for name, value in evaluation["metrics"]["candidate"].items() if name.startswith("answer_")}
        assert set(served) == {"answer_correctness", "answer_faithfulness", "answer_contradictions", "answer_refusal"}
        assert evaluation["metrics"]["extractive"]["answer_faithfulness"] == 1.0  # quotes are what they cite

        # Re-evaluate the same candidate now that a champion exists: it is compared with the
        # champion on the same items and, being no better, is registered but rejected.
        again = job.execute_in_process(
            instance=instance,
            asset_selection=[AssetKey("evaluation_report"), AssetKey("promoted_model")],
            run_config=RunConfig(ops={"evaluation_report": EVAL}),
        )
        metrics = again.output_for_node("evaluation_report")["metrics"]
        assert set(metrics) == {"base", "candidate", "champion", "extractive"}
        assert metrics["champion"]["rouge_l"] == pytest.approx(metrics["candidate"]["rouge_l"])
        second = again.output_for_node("promoted_model")
        assert (second["version"], second["promote"], second["baseline"], second["champion"]) == (2, False, "champion", 1)

        # every MLflow run is in the project's experiment, its artifacts under the configured root
        client = MlflowClient(tracking_uri=f"sqlite:///{tmp_path}/mlflow.db")
        runs = client.search_runs([client.get_experiment_by_name("e2e").experiment_id])
        stages = sorted((run.data.tags.get("stage"), run.data.tags.get("access_group", "")) for run in runs)
        assert stages == [("lora_adapter", ""), ("lora_adapter", "hr"), ("lora_adapter", "it")] + \
            [("promoted_model", "")] * 4 + [("retrieval_evaluation", "")]
        training = next(run for run in runs if run.data.tags["stage"] == "lora_adapter" and "access_group" not in run.data.tags)
        assert {"eval_candidate_rouge_l", "eval_candidate_answer_correctness"} <= set(training.data.metrics)  # logged
        # to the candidate's run, with each answer and the mode that sent it
        answers = client.list_artifacts(training.info.run_id, "evaluation")
        assert "evaluation/answers_candidate.json" in {a.path for a in answers}
        assert {run.data.tags.get("mlflow.parentRunId") for run in runs if run.data.tags["stage"] == "promoted_model"
                and run.data.tags["model_name"] == "e2e-assistant"} == {training.info.run_id}
        assert all(run.info.artifact_uri.startswith((tmp_path / "artifacts").as_uri()) for run in runs)
        assert client.search_runs(["0"]) == []  # nothing in MLflow's Default experiment
        assert list(workdir.iterdir()) == []

        # manual control from the UI's jobs: promote v2 by hand, then roll back to v1
        definitions = build_definitions(resources)
        promoted = definitions.resolve_job_def("promote_model_version").execute_in_process(
            instance=instance, run_config={"ops": {"promote_champion": {"config": {"version": 2, "reason": "review"}}}})
        assert promoted.output_for_node("promote_champion") == {"champion": 2, "previous": 1}
        rolled = definitions.resolve_job_def("rollback_champion").execute_in_process(instance=instance)
        assert rolled.output_for_node("rollback_to_previous") == {"champion": 1, "rolled_back": 2}

    # and the same from the command line
    env = {**os.environ, "MLFLOW_TRACKING_URI": f"sqlite:///{tmp_path}/mlflow.db", "LLMOPS_MODEL_NAME": "e2e-assistant"}
    cli = [sys.executable, "-m", "llmops.cli"]
    promote = subprocess.run([*cli, "promote", "2"], env=env, capture_output=True, text=True, timeout=120)
    assert promote.returncode == 0 and "champion is now v2 (previous: v1)" in promote.stdout, promote.stderr
    back = subprocess.run([*cli, "rollback"], env=env, capture_output=True, text=True, timeout=120)
    assert back.returncode == 0 and "champion is now v1" in back.stdout, back.stderr
    again_back = subprocess.run([*cli, "rollback"], env=env, capture_output=True, text=True, timeout=120)
    assert again_back.returncode == 2 and "no 'previous' version" in again_back.stderr
    summary = subprocess.run([*cli, "summary"], env=env, capture_output=True, text=True, timeout=120)
    assert "v1 promoted  [champion]" in summary.stdout and "v2 rolled_back" in summary.stdout, summary.stdout

    from llmops.ops.api_keys import KeyStore
    from llmops.pii.config import pipeline_config
    from llmops.pii.scrubber import Scrubber
    from llmops.registry.models import ModelRegistry
    from llmops.serving.app import create_app
    from llmops.serving.models import load_served_models
    from llmops.serving.state import ServerConfig

    served = load_served_models("e2e-assistant", f"sqlite:///{tmp_path}/mlflow.db", str(tmp_path / "lancedb"),
                                "corpus_chunks", Scrubber(pipeline_config()))
    assert served.champion.model_id == "e2e-assistant:1"
    assert {group: a.model_id for group, a in served.groups.items()} == {"hr": "e2e-assistant-hr:1", "it": "e2e-assistant-it:1"}
    keys = KeyStore(tmp_path / "keys.json")
    secrets = {label: keys.create("reader", label, groups=groups)[1]
               for label, groups in (("hr", ("hr",)), ("it", ("it",)), ("plain", ()))}
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(served, ServerConfig(keys=keys)), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.time() + 30
        while not server.started and time.time() < deadline:
            time.sleep(0.1)
        # each caller is answered by the model of its group, others by the shared champion
        for label, model in (("plain", "e2e-assistant:1"), ("hr", "e2e-assistant-hr:1"), ("it", "e2e-assistant-it:1")):
            auth = {"Authorization": f"Bearer {secrets[label]}"}
            reply = httpx.post(f"http://127.0.0.1:{port}/v1/chat/completions", timeout=120, headers=auth, json={
                "model": "e2e-assistant", "max_tokens": 24,
                "messages": [{"role": "user", "content": "How long is the warranty on the thermostat?"}]})
            assert reply.status_code == 200, reply.text
            body = reply.json()
            assert body["choices"][0]["message"]["content"] and body["model"] == model
            assert body["sources"] and all(s["doc_id"] and s["source"] for s in body["sources"])
            listed = httpx.get(f"http://127.0.0.1:{port}/v1/models", headers=auth, timeout=10).json()["data"]
            assert {m["id"] for m in listed} == {"e2e-assistant:1", model}  # no other group's model is named
    finally:
        server.should_exit = True
        thread.join(timeout=10)

    # adapters no longer listed: the next run trains none, retires both champions, and serving answers every
    # caller by the shared one again
    access_file.write_text((SAMPLE_DIR / "access.yaml").read_text())
    with DagsterInstance.local_temp(str(tmp_path / "dagster_home")) as instance:
        rerun = job.execute_in_process(instance=instance, asset_selection=GROUP_ASSETS, run_config=RunConfig(ops=GROUPS))
    assert rerun.output_for_node("group_models") == {"groups": {}, "retired": {"hr": 1, "it": 1}}
    assert ModelRegistry.at(f"sqlite:///{tmp_path}/mlflow.db", "e2e-assistant-it").champion() is None
    assert served.refresh()["groups"] == {} and served.pick(["hr"]).model_id == "e2e-assistant:1"
    assert not list(workdir.rglob("mlruns"))


def test_blocking_quality_check_stops_downstream(tmp_path: Path, model_cache: Path) -> None:
    """Scrubbing only names leaves e-mails and phones in: the check fails and nothing trains on it."""
    job = build_definitions(_resources(tmp_path, model_cache)).resolve_job_def("full_pipeline")
    with DagsterInstance.local_temp(_dagster_home(tmp_path)) as instance:
        result = job.execute_in_process(
            instance=instance, raise_on_error=False,
            run_config=RunConfig(ops={"scrubbed_corpus": ScrubbedCorpusConfig(quarantine_failing_rows=False)},
                                 resources={"scrubber": {"config": {"entities": ["PERSON"]}}}),
        )
    assert not result.success
    (check,) = result.get_asset_check_evaluations()
    assert not check.passed and check.metadata["failing_rows"].value > 0
    materialized = {m.event_specific_data.materialization.asset_key for m in result.get_asset_materialization_events()}
    # feedback has no upstream, so it is not held back by the corpus check
    assert materialized == {AssetKey("raw_documents"), AssetKey("scrubbed_corpus"), AssetKey("feedback")}


def test_dagster_definitions_validate() -> None:
    proc = subprocess.run([sys.executable, "-m", "dagster", "definitions", "validate", "-w", "workspace.yaml"],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
