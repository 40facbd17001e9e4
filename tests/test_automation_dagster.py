"""Sensors against a real Dagster instance (temporary DAGSTER_HOME), real MLflow registry and real data:
new files launch ingestion, drifted documents request a retrain and clean ones are skipped with the
figures, the scheduled champion check on a real champion (with its version's feedback) requests a
retrain or skips, corrections reach the next SFT set, failures are reported."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest
from dagster import (AssetKey, AssetMaterialization, DagsterInstance, RunConfig, build_run_status_sensor_context,
                     build_sensor_context)
from datasets import load_from_disk

from llmops.monitor.automation import (REASON_TAG, TRIGGER_TAG, AutomationSettings, FeedbackRates, assess_regression)
from llmops.monitor.feedback import FeedbackRecord, FeedbackStore, served_model_id
from llmops.registry.promotion import promote_version
from llmops.ingest.files import QUESTIONS_FILE
from llmops.sample.corpus import generate_corpus
from orchestration.config import ChampionEvaluationConfig, EvalConfig, PromotionConfig, SFTDatasetConfig, TrainConfig
from orchestration.definitions import build_definitions
from orchestration.resources import LanceDBResource, MlflowResource, ModelStoreResource, PathsResource, ScrubberResource
from tests.conftest import SAMPLE_DIR
from tests.test_automation import webhook  # noqa: F401  (fixture: a real local HTTP endpoint)

MODEL = "automation-assistant"
EMAIL, PHONE = "dana.whitfield@example.org", "+1 415 555 0199"


def _resources(root: Path, raw: Path, model_cache: Path) -> dict:
    return {
        "paths": PathsResource(raw_dir=str(raw), home=str(root / "home")),
        "mlflow_tracking": MlflowResource(tracking_uri=f"sqlite:///{root}/mlflow.db", experiment="automation", model_name=MODEL),
        "lancedb": LanceDBResource(uri=str(root / "lancedb")),
        "model_store": ModelStoreResource(cache_dir=str(model_cache)),
        "scrubber": ScrubberResource(),
    }


RETRAIN = {"ops": {"lora_adapter": {"config": {"max_steps": 4}}}}
SFT = SFTDatasetConfig(test_fraction=0.2, validation_fraction=0.05)  # a small validation split: eval_loss is not under test
EVAL_SAMPLES, EVAL_TOKENS = 3, 8  # the champion is judged on the same few items at promotion and after


def _definitions(resources: dict, webhook_url: str | None = None):
    return build_definitions(resources, AutomationSettings(new_file_settle_s=0, failure_webhook=webhook_url,
                                                           retrain_run_config=RETRAIN))


def _drop(source: Path, raw: Path, prefix: str) -> None:
    """Copy a batch of documents into the raw folder, same sub-folders, prefixed names (no file is
    overwritten); a generated batch's question set is not a document and stays behind."""
    for path in source.rglob("*"):
        if path.is_file() and path != source / QUESTIONS_FILE:
            target = raw / path.parent.relative_to(source) / f"{prefix}-{path.name}"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target)


def _license_batch(target: Path, count: int = 40) -> Path:
    """Real documents from another domain: the licence texts shipped with the installed packages."""
    import sysconfig

    site = Path(sysconfig.get_paths()["purelib"])
    texts: dict[str, Path] = {}
    for path in sorted(site.glob("*.dist-info/licenses/*")) + sorted(site.glob("*.dist-info/LICENSE*")):
        if path.is_file() and path.stat().st_size > 800:
            texts.setdefault(path.read_text(errors="replace").strip(), path)
    assert len(texts) >= count, "not enough licence files in the environment"
    (target / "policies").mkdir(parents=True)
    for i, path in enumerate(list(texts.values())[:count]):
        shutil.copy(path, target / "policies" / f"license-{i:02d}.txt")
    return target


def _instance(root: Path) -> DagsterInstance:
    """A real instance in a fresh temporary DAGSTER_HOME (SQLite run, event and schedule storage)."""
    home = root / "dagster_home"
    home.mkdir()
    return DagsterInstance.local_temp(str(home))


def _sensor(definitions, name: str):
    return definitions.resolve_sensor_def(name)


def test_new_data_sensor_launches_the_ingestion_run(tmp_path: Path, model_cache: Path) -> None:
    raw = tmp_path / "raw"
    (raw / "faq").mkdir(parents=True)
    for name in sorted(p.name for p in (SAMPLE_DIR / "faq").glob("*.md"))[:4]:
        shutil.copy(SAMPLE_DIR / "faq" / name, raw / "faq" / name)
    resources = _resources(tmp_path, raw, model_cache)
    definitions = _definitions(resources)
    sensor = _sensor(definitions, "new_data_sensor")
    with _instance(tmp_path) as instance:
        context = build_sensor_context(instance=instance, definitions=definitions, sensor_name=sensor.name,
                                       resources=resources)
        result = sensor.evaluate_tick(context)
        (request,) = result.run_requests
        # launch what was requested, as the daemon would: the requested job, its tags and run key
        job = definitions.resolve_job_def(sensor.job_name)
        run = job.execute_in_process(instance=instance, tags={**request.tags, "dagster/run_key": request.run_key,
                                                                "dagster/sensor_name": sensor.name})
        assert run.success
        materialized = {e.event_specific_data.materialization.asset_key for e in run.get_asset_materialization_events()}
        assert materialized == {AssetKey(k) for k in ("raw_documents", "scrubbed_corpus", "vector_index", "retrieval_evaluation",
                                                      "live_index", "drift_report")}
        stored = instance.get_run_by_id(run.run_id)
        assert stored.job_name == "ingest_new_data" and stored.tags[TRIGGER_TAG] == "new_data"
        assert stored.tags["dagster/run_key"] == request.run_key and "4 new or changed file(s)" in stored.tags[REASON_TAG]

        # the same files again (a copy too) start nothing; without a champion drift is not measured
        shutil.copy(next((raw / "faq").iterdir()), raw / "faq" / "copy.md")
        again = sensor.evaluate_tick(build_sensor_context(instance=instance, cursor=result.cursor, resources=resources))
        assert not again.run_requests and "already ingested" in again.skip_message
        drift = _sensor(definitions, "drift_sensor").evaluate_tick(build_sensor_context(instance=instance, definitions=definitions))
        assert not drift.run_requests and "no champion yet" in drift.skip_message


@pytest.fixture(scope="module")
def champion_world(tmp_path_factory: pytest.TempPathFactory, model_cache: Path):
    """A corpus ingested and turned into an SFT set (with user corrections), and a champion trained,
    evaluated and promoted on it by the real full_pipeline (one LoRA step, a few eval items)."""
    root = tmp_path_factory.mktemp("automation")
    raw = root / "raw"
    generate_corpus(raw, n_docs=80, seed=3)
    resources = _resources(root, raw, model_cache)
    store = FeedbackStore(resources["paths"].feedback_path())
    store.append(FeedbackRecord("resp-1", -1, "How do I reset the Hub H2?", "Unplug it.", "m:1", 1.0,
                                correction=f"Hold the reset button for 10 seconds; if that fails write to {EMAIL} "
                                           f"or call {PHONE}."))
    store.append(FeedbackRecord("resp-2", -1, "What does error E14 mean?", "No idea.", "m:1", 2.0,
                                correction="E14 means the meter lost its network connection."))
    store.append(FeedbackRecord("resp-2", -1, "What does error E14 mean?", "No idea.", "m:1", 3.0,
                                correction="E14 means the energy meter lost its Wi-Fi connection; reconnect it."))
    store.append(FeedbackRecord("resp-3", 1, "Support hours?", "9 to 5.", "m:1", 4.0))
    definitions = _definitions(resources)
    instance = _instance(root)
    run = definitions.resolve_job_def("full_pipeline").execute_in_process(instance=instance, run_config=RunConfig(ops={
        "sft_dataset": SFT, "lora_adapter": TrainConfig(max_steps=1, batch_size=2, logging_steps=1, save_steps=0),
        "evaluation_report": EvalConfig(max_samples=EVAL_SAMPLES, max_new_tokens=EVAL_TOKENS, probe_questions=1,
                                        answer_questions=0),
        # a one-step adapter need not beat the base model: accept it, so that a real champion exists
        "promoted_model": PromotionConfig(min_improvement=-1.0, guard_metrics=[], max_pii_leaks=100)}))
    assert run.success and run.output_for_node("promoted_model")["champion"] == 1
    sft = run.output_for_node("sft_dataset")
    yield {"root": root, "raw": raw, "resources": resources, "definitions": definitions, "instance": instance,
           "sft": sft, "run": run}
    instance.dispose()


def test_feedback_corrections_join_the_next_sft_set(champion_world: dict) -> None:
    run, sft = champion_world["run"], champion_world["sft"]
    assert run.output_for_node("feedback") and len(run.output_for_node("feedback")) == 2
    train = load_from_disk(sft["path"])["train"]
    corrections = {row["prompt"][-1]["content"]: row["completion"][0]["content"]
                   for row in train if row["kind"] == "feedback"}
    assert corrections["What does error E14 mean?"] == "E14 means the energy meter lost its Wi-Fi connection; reconnect it."
    reset = corrections["How do I reset the Hub H2?"]
    assert reset.startswith("Hold the reset button for 10 seconds") and EMAIL not in reset and PHONE not in reset
    assert "<EMAIL_ADDRESS" in reset or "<EMAIL" in reset
    for split in ("validation", "test"):
        assert all(row["kind"] != "feedback" for row in load_from_disk(sft["path"])[split])
    meta = run.asset_materializations_for_node("feedback")[0].metadata  # this run's, not a later test's
    assert (meta["ratings"].value, meta["negative_ratings"].value, meta["correction_pairs"].value) == (4, 3, 2)


def _ratings(store: FeedbackStore, model_id: str, negative: int, total: int, at: float) -> None:
    """``total`` ratings of answers by ``model_id``, ``negative`` of them -1, as serving stores them."""
    for i in range(total):
        store.append(FeedbackRecord(f"{model_id}-{at:.0f}-{i}", -1 if i < negative else 1, "Support hours?",
                                    "9 to 5.", model_id, at))


def _evaluate_champion(world: dict):
    """The evaluate_champion job as its schedule launches it, with the promotion's eval settings."""
    run = world["definitions"].resolve_job_def("evaluate_champion").execute_in_process(
        instance=world["instance"], tags={TRIGGER_TAG: "schedule"}, run_config=RunConfig(ops={
            "sft_dataset": SFT,
            "champion_evaluation": ChampionEvaluationConfig(max_samples=EVAL_SAMPLES, max_new_tokens=EVAL_TOKENS)}))
    assert run.success
    return run


def test_champion_evaluation_drives_the_regression_sensor(champion_world: dict) -> None:
    """Runs before the drift test adds documents, so the fresh test split is the one of the promotion."""
    world = champion_world
    definitions, instance, resources = world["definitions"], world["instance"], world["resources"]
    store, registry = FeedbackStore(resources["paths"].feedback_path()), resources["mlflow_tracking"].registry()
    sensor = _sensor(definitions, "regression_sensor")
    v1, now = served_model_id(MODEL, 1), time.time()
    _ratings(store, v1, negative=2, total=20, at=now - 3 * 86400)  # 10 % negative before the window
    _ratings(store, v1, negative=10, total=20, at=now - 3600)  # 50 % in the last 24 h

    first = _evaluate_champion(world)
    summary = first.output_for_node("champion_evaluation")
    promoted = registry.client.get_run(registry.champion().run_id).data.metrics["eval_candidate_rouge_l"]
    assert summary["evaluated"] and summary["champion_version"] == 1 and summary["n_samples"] == EVAL_SAMPLES
    assert summary["promoted_score"] == pytest.approx(promoted)
    assert summary["regressed"] and summary["feedback_version"] == v1
    assert (summary["recent_negative_rate"], summary["earlier_negative_rate"]) == (pytest.approx(0.5), pytest.approx(0.1))
    context = build_sensor_context(instance=instance, definitions=definitions, sensor_name=sensor.name)
    regressed = sensor.evaluate_tick(context)
    (request,) = regressed.run_requests
    tags = request.tags
    assert request.run_key == f"regression-{first.run_id}" and tags["llmops/champion_evaluation_run"] == first.run_id
    assert tags[TRIGGER_TAG] == "regression" and tags[REASON_TAG].startswith("regression (negative feedback")
    assert f"negative feedback of {v1} 50.0% of 20 recent ratings vs 10.0% before" in tags[REASON_TAG]
    assert tags["llmops/feedback_version"] == v1 and float(tags["llmops/promoted_score"]) == pytest.approx(promoted)
    per_version = json.loads(tags["llmops/feedback_by_version"])
    assert per_version[v1] == {"recent_count": 20, "recent_negative_rate": 0.5, "earlier_count": 20,
                               "earlier_negative_rate": 0.1}
    assert per_version["m:1"]["earlier_count"] == 4  # the fixture's ratings of another model are listed apart

    # The retrain's result becomes champion v2 (here: the same logged model, registered again and
    # promoted by hand). v1's bad ratings stay in the store but no longer count: only v2's do.
    v1_model = registry.champion()
    registry.client.create_model_version(MODEL, source=v1_model.source, run_id=v1_model.run_id,
                                        tags={"data_version": v1_model.tags["data_version"]})
    assert promote_version(registry, 2, "retrained after the regression")["champion"] == 2
    v2 = served_model_id(MODEL, 2)
    _ratings(store, v2, negative=1, total=5, at=time.time() - 60)
    second = _evaluate_champion(world)
    meta = instance.get_latest_materialization_event(AssetKey("champion_evaluation")).asset_materialization.metadata
    assert meta["champion_version"].value == 2 and not meta["regressed"].value and meta["feedback_version"].value == v2
    assert meta["feedback_by_version"].value[v1]["recent_negative_rate"] == 0.5
    assert meta["feedback_by_version"].value[v2] == {"recent_count": 5, "recent_negative_rate": 0.2, "earlier_count": 0,
                                                     "earlier_negative_rate": None}
    skipped = sensor.evaluate_tick(build_sensor_context(instance=instance, definitions=definitions,
                                                        sensor_name=sensor.name, cursor=regressed.cursor))
    assert not skipped.run_requests
    assert skipped.skip_message.startswith(f"champion_evaluation of run {second.run_id[:8]}: no regression: rouge_l ")
    assert f"5 recent rating(s) of {v2}: below the 20 needed to judge feedback" in skipped.skip_message


def test_drift_sensor_skips_a_clean_batch_and_retrains_on_a_drifted_one(champion_world: dict, tmp_path: Path) -> None:
    world = champion_world
    definitions, instance, raw = world["definitions"], world["instance"], world["raw"]
    ingest = definitions.resolve_job_def("ingest_new_data")
    drift_sensor = _sensor(definitions, "drift_sensor")
    # drift only needs the corpus; the retrieval index step of this job is covered by the test above
    selection = [AssetKey(k) for k in ("raw_documents", "scrubbed_corpus", "drift_report")]

    generate_corpus(tmp_path / "clean", n_docs=60, seed=101)  # more of the same company's documents
    _drop(tmp_path / "clean", raw, "b101")
    assert ingest.execute_in_process(instance=instance, asset_selection=selection).success
    context = build_sensor_context(instance=instance, definitions=definitions, sensor_name=drift_sensor.name)
    clean = drift_sensor.evaluate_tick(context)
    assert not clean.run_requests
    assert "no drift: PSI max" in clean.skip_message and "on 60 new vs 80 reference documents" in clean.skip_message
    report = instance.get_latest_materialization_event(AssetKey("drift_report")).asset_materialization.metadata
    assert report["psi_max"].value <= 0.2 and report["plot"].value.startswith("![drift report](data:image/png;base64,")
    assert Path(report["plot_file"].value).stat().st_size > 10_000

    _drop(_license_batch(tmp_path / "licenses"), raw, "lic")  # 40 licence texts: another domain entirely
    assert ingest.execute_in_process(instance=instance, asset_selection=selection).success
    drifted = drift_sensor.evaluate_tick(build_sensor_context(instance=instance, definitions=definitions,
                                                              sensor_name=drift_sensor.name, cursor=clean.cursor))
    (request,) = drifted.run_requests
    assert request.job_name in (None, "full_pipeline") and drift_sensor.job_name == "full_pipeline"
    tags = request.tags
    assert tags[TRIGGER_TAG] == "drift" and tags[REASON_TAG].startswith("drift: PSI max")
    assert float(tags["llmops/psi_max"]) > 0.2 and tags["llmops/new_documents"] == "100"
    assert {"llmops/psi_length", "llmops/psi_vocabulary", "llmops/psi_embedding"} <= set(tags)
    assert request.run_key.startswith("drift-") and request.run_config == RETRAIN
    # nothing new since: the sensor has already handled this report
    assert not drift_sensor.evaluate_tick(build_sensor_context(instance=instance, definitions=definitions,
                                                               cursor=drifted.cursor)).run_requests


def test_regression_sensor_requests_a_retrain(champion_world: dict) -> None:
    definitions, instance = champion_world["definitions"], champion_world["instance"]
    sensor = _sensor(definitions, "regression_sensor")
    quiet = FeedbackRates(5, 0.2, 40, 0.1)
    for fresh in (0.29, 0.25):  # -3 % holds, -17 % is a regression
        verdict = assess_regression(0.30, fresh, quiet)
        instance.report_runless_asset_event(AssetMaterialization(
            "champion_evaluation", metadata={**verdict.summary(), "champion_version": 1}))
    context = build_sensor_context(instance=instance, definitions=definitions, sensor_name=sensor.name)
    first = sensor.evaluate_tick(context)  # an asset sensor reads the latest evaluation
    (request,) = first.run_requests
    assert request.tags[TRIGGER_TAG] == "regression" and "metric drop" in request.tags[REASON_TAG]
    assert request.tags["llmops/relative_drop"].startswith("0.166") and request.tags["llmops/champion_version"] == "1"
    assert request.run_config == RETRAIN

    verdict = assess_regression(0.30, 0.30, quiet)
    instance.report_runless_asset_event(AssetMaterialization("champion_evaluation", metadata={**verdict.summary()}))
    after = sensor.evaluate_tick(build_sensor_context(instance=instance, definitions=definitions, cursor=first.cursor))
    assert not after.run_requests and "no regression" in after.skip_message


def test_run_failure_sensor_records_and_posts(tmp_path: Path, model_cache: Path, webhook) -> None:  # noqa: F811
    url, received = webhook
    resources = _resources(tmp_path, tmp_path / "no-such-folder", model_cache)
    definitions = _definitions(resources, url)
    sensor = _sensor(definitions, "run_failure_reporter")
    with _instance(tmp_path) as instance:
        failed = definitions.resolve_job_def("ingest_new_data").execute_in_process(
            instance=instance, raise_on_error=False, tags={TRIGGER_TAG: "new_data"})
        assert not failed.success
        context = build_run_status_sensor_context(
            sensor_name=sensor.name, dagster_instance=instance, dagster_run=failed.dagster_run,
            dagster_event=failed.get_run_failure_event(), resources=resources,
        ).for_run_failure()
        sensor(context)
    log = Path(resources["paths"].home) / "automation" / "run_failures.jsonl"
    (line,) = log.read_text().splitlines()
    assert received and received[0]["run_id"] == failed.run_id
    assert received[0]["job_name"] == "ingest_new_data" and received[0]["trigger"] == "new_data"
    assert received[0]["failed_steps"] == ["raw_documents"] and failed.run_id in line
