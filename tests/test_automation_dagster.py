"""Sensors against a real Dagster instance (temporary DAGSTER_HOME), real MLflow registry and real data:
new files launch ingestion, drifted documents request a retrain and clean ones are skipped with the
figures, a regression requests a retrain, corrections reach the next SFT set, failures are reported."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from dagster import (AssetKey, AssetMaterialization, DagsterInstance, RunConfig, build_run_status_sensor_context,
                     build_sensor_context)
from datasets import load_from_disk

from llmops.automation import (REASON_TAG, TRIGGER_TAG, AutomationSettings, FeedbackRates, assess_regression)
from llmops.feedback import FeedbackRecord, FeedbackStore
from llmops.sample_corpus import generate_corpus
from orchestration.config import SFTDatasetConfig
from orchestration.definitions import build_definitions
from orchestration.resources import LanceDBResource, MlflowResource, ModelStoreResource, PathsResource
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
    }


RETRAIN = {"ops": {"lora_adapter": {"config": {"max_steps": 4}}}}


def _definitions(resources: dict, webhook_url: str | None = None):
    return build_definitions(resources, AutomationSettings(new_file_settle_s=0, failure_webhook=webhook_url,
                                                           retrain_run_config=RETRAIN))


def _drop(source: Path, raw: Path, prefix: str) -> None:
    """Copy a batch into the raw folder, same sub-folders, prefixed names (no file is overwritten)."""
    for path in source.rglob("*"):
        if path.is_file():
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
        assert materialized == {AssetKey(k) for k in ("raw_documents", "scrubbed_corpus", "vector_index", "drift_report")}
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
    """A corpus ingested and turned into an SFT set (with user corrections), whose data version a
    registered champion carries, as promoted_model would tag it."""
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
    run = definitions.resolve_job_def("full_pipeline").execute_in_process(
        instance=instance, asset_selection=[AssetKey(k) for k in ("raw_documents", "scrubbed_corpus", "feedback", "sft_dataset")],
        run_config=RunConfig(ops={"sft_dataset": SFTDatasetConfig(test_fraction=0.2)}))
    assert run.success
    sft = run.output_for_node("sft_dataset")
    client = resources["mlflow_tracking"].client()
    client.create_registered_model(MODEL)
    version = client.create_model_version(MODEL, source=sft["path"], tags={"data_version": sft["version"]})
    client.set_registered_model_alias(MODEL, "champion", version.version)
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
    meta = champion_world["instance"].get_latest_materialization_event(AssetKey("feedback")).asset_materialization.metadata
    assert (meta["ratings"].value, meta["negative_ratings"].value, meta["correction_pairs"].value) == (4, 3, 2)


def test_drift_sensor_skips_a_clean_batch_and_retrains_on_a_drifted_one(champion_world: dict, tmp_path: Path) -> None:
    world = champion_world
    definitions, instance, resources, raw = world["definitions"], world["instance"], world["resources"], world["raw"]
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
