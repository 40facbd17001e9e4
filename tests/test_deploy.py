"""Deployment pieces that need no running stack: instance selection, encryption at rest, process
control of the local stack, SQLite-mode backup/restore and the infra manifests."""


import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO

INFRA = REPO / "infra"


# --- instance selection ----------------------------------------------------------------------------

def _make_env(**env: str) -> dict[str, str]:
    """DAGSTER_HOME / DAGSTER_PG_URL as the Makefile exports them for a given environment."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DAGSTER_", "MLFLOW_TRACKING"))}
    out = subprocess.run(["make", "-s", "--no-print-directory", "--eval",
                          "show-env: ; @echo \"$$DAGSTER_HOME|$$DAGSTER_PG_URL\"", "show-env"],
                         cwd=REPO, env={**base, **env}, capture_output=True, text=True, check=True, timeout=30)
    home, url = out.stdout.strip().split("|")
    return {"home": home, "url": url}


def test_makefile_selects_sqlite_by_default_and_postgres_by_env() -> None:
    assert _make_env() == {"home": str(REPO / "dagster_home"), "url": ""}
    url = "postgresql+psycopg2://u:p@db:5432/dagster"
    assert _make_env(DAGSTER_PG_URL=url) == {"home": str(REPO / "dagster_home" / "postgres"), "url": url}
    parts = _make_env(DAGSTER_PG_HOST="db.internal", DAGSTER_PG_USERNAME="runs", DAGSTER_PG_PASSWORD="s3cret",
                      DAGSTER_PG_DB="dagster_prod")
    assert parts == {"home": str(REPO / "dagster_home" / "postgres"),
                     "url": "postgresql+psycopg2://runs:s3cret@db.internal:5432/dagster_prod"}


def test_instance_yaml_files_choose_their_storage(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dagster import DagsterInstance
    from dagster._core.storage.runs import SqliteRunStorage

    home = tmp_path / "home"
    home.mkdir()
    (home / "dagster.yaml").write_text((REPO / "dagster_home" / "dagster.yaml").read_text())
    with DagsterInstance.from_config(str(home)) as instance:
        assert isinstance(instance.run_storage, SqliteRunStorage)
    config = yaml.safe_load((REPO / "dagster_home" / "postgres" / "dagster.yaml").read_text())
    assert config["storage"]["postgres"]["postgres_url"] == {"env": "DAGSTER_PG_URL"}
    assert config["run_coordinator"]["class"] == "QueuedRunCoordinator"


def test_stack_env_defaults_to_postgres_and_keeps_explicit_choices(tmp_path: Path) -> None:
    from llmops.ops.stack import PG_INSTANCE, stack_env

    env = stack_env({"DAGSTER_HOME": str(REPO / "dagster_home"), "LLMOPS_HOME": str(tmp_path)})
    assert env["DAGSTER_HOME"] == str(PG_INSTANCE)  # the SQLite home is replaced: the stack is Postgres mode
    assert env["DAGSTER_PG_URL"].startswith("postgresql+psycopg2://") and env["MLFLOW_TRACKING_URI"].endswith("/llmops_mlflow")
    assert env["MLFLOW_ARTIFACT_ROOT"] == str(tmp_path / "mlflow" / "artifacts")
    chosen = stack_env({"DAGSTER_PG_URL": "postgresql+psycopg2://a@b/c", "MLFLOW_TRACKING_URI": "postgresql://a@b/m",
                        "LLMOPS_HOME": str(tmp_path)})
    assert (chosen["DAGSTER_PG_URL"], chosen["MLFLOW_TRACKING_URI"]) == ("postgresql+psycopg2://a@b/c", "postgresql://a@b/m")


# --- local stack process control -------------------------------------------------------------------

def test_stack_stops_the_whole_process_group_and_ignores_reused_pids(tmp_path: Path) -> None:
    """A service that spawns a child (like dagster-webserver's code server) is stopped with it."""
    import psutil

    from llmops.ops.stack import Service, Stack

    stack = Stack({"LLMOPS_HOME": str(tmp_path), "DAGSTER_PG_URL": "", "MLFLOW_TRACKING_URI": "",
                   "MLFLOW_ARTIFACT_ROOT": str(tmp_path), "DAGSTER_HOME": str(tmp_path), "PATH": os.environ["PATH"]})
    parent = ("import subprocess, sys, time; "
              "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(300)']); time.sleep(300)")
    service = Service("sleeper", [sys.executable, "-c", parent], None)
    pid = stack.start(service)
    deadline = time.monotonic() + 30
    while not psutil.Process(pid).children() and time.monotonic() < deadline:
        time.sleep(0.1)
    (child,) = psutil.Process(pid).children()
    assert stack.running(service).pid == pid and stack.pid_file("sleeper").read_text() == str(pid)
    assert stack.stop(service, timeout=20)
    assert not psutil.pid_exists(child.pid) or child.status() == psutil.STATUS_ZOMBIE
    assert stack.running(service) is None and not stack.pid_file("sleeper").exists()
    # a PID file naming some other live process is not ours to signal
    stack.pid_file("sleeper").write_text(str(os.getpid()))
    other = Service("sleeper", ["/nonexistent/dagster-daemon"], None)
    assert stack.running(other) is None and not stack.stop(other)
    assert "=== " in stack.log_file("sleeper").read_text()


# --- encryption at rest ----------------------------------------------------------------------------

def test_fernet_roundtrip_rotation_and_clear_errors(tmp_path: Path) -> None:
    from llmops.ops.at_rest import AtRestError, Cipher, decode_line, generate_key, read_bytes, write_bytes

    old, new = generate_key(), generate_key()
    cipher = Cipher(old)
    write_bytes(tmp_path / "a.bin", b"secret corpus", cipher)
    assert b"secret" not in (tmp_path / "a.bin").read_bytes()
    assert read_bytes(tmp_path / "a.bin", cipher) == b"secret corpus"
    assert read_bytes(tmp_path / "a.bin", Cipher(f"{new},{old}")) == b"secret corpus"  # rotation: old key still reads
    with pytest.raises(AtRestError, match="wrong LLMOPS_AT_REST_KEY"):
        read_bytes(tmp_path / "a.bin", Cipher(new))
    with pytest.raises(AtRestError, match="set LLMOPS_AT_REST_KEY"):
        read_bytes(tmp_path / "a.bin", None)
    write_bytes(tmp_path / "plain.bin", b"plain", None)
    assert read_bytes(tmp_path / "plain.bin", cipher) == b"plain"
    line = cipher.encrypt_line('{"status": 200}')
    assert decode_line(line + "\n", cipher) == '{"status": 200}' and decode_line('{"a": 1}\n', None) == '{"a": 1}\n'
    with pytest.raises(AtRestError, match="Fernet keys"):
        Cipher("not-a-key")
    assert Cipher.from_env({}) is None


def test_definitions_use_the_encrypting_io_manager_only_with_a_key(monkeypatch: pytest.MonkeyPatch) -> None:
    from llmops.ops.at_rest import KEY_ENV, generate_key
    from llmops.settings import Settings
    from orchestration.definitions import build_resources
    from orchestration.io_managers import EncryptedFilesystemIOManager

    monkeypatch.delenv(KEY_ENV, raising=False)
    assert "io_manager" not in build_resources(Settings.from_env())
    monkeypatch.setenv(KEY_ENV, generate_key())
    assert isinstance(build_resources(Settings.from_env())["io_manager"], EncryptedFilesystemIOManager)


def test_encrypting_io_manager_roundtrips_asset_values(tmp_path: Path) -> None:
    import pandas as pd
    from dagster import AssetKey, DagsterInstance, asset, materialize

    from llmops.ops.at_rest import Cipher, generate_key, is_encrypted
    from orchestration.io_managers import EncryptedFilesystemIOManager

    @asset
    def corpus() -> pd.DataFrame:
        return pd.DataFrame({"text": ["Call <PERSON_1> about the thermostat"]})

    @asset
    def corpus_length(corpus: pd.DataFrame) -> int:
        return int(corpus["text"].str.len().sum())

    key = generate_key()
    with DagsterInstance.ephemeral() as instance:
        result = materialize([corpus, corpus_length], instance=instance, resources={
            "io_manager": EncryptedFilesystemIOManager(key=key, base_dir=str(tmp_path))})
    assert result.success and result.output_for_node("corpus_length") == 36
    stored = (tmp_path / "corpus.fernet").read_bytes()
    assert is_encrypted(stored) and b"thermostat" not in stored
    with DagsterInstance.ephemeral() as instance:
        wrong = materialize([corpus, corpus_length], instance=instance, raise_on_error=False, selection=[AssetKey("corpus_length")],
                            resources={"io_manager": EncryptedFilesystemIOManager(key=generate_key(), base_dir=str(tmp_path))})
    assert not wrong.success and Cipher(key).decrypt(stored)


# --- backup and restore in the default (SQLite) mode -----------------------------------------------

def test_sqlite_backup_restore_roundtrip_and_refusals(tmp_path: Path) -> None:
    """Embedded stores: a registered model with the champion alias, a Dagster run, a LanceDB table."""
    import lancedb
    from dagster import DagsterInstance, asset, materialize
    from mlflow.tracking import MlflowClient

    from llmops.ops.backup import Stores, backup, restore

    live = tmp_path / "live"
    home = live / "dagster_home"
    home.mkdir(parents=True)
    (home / "dagster.yaml").write_text((REPO / "dagster_home" / "dagster.yaml").read_text())
    uri = f"sqlite:///{live}/mlflow.db"
    stores = Stores(dagster_home=home, dagster_pg_url=None, mlflow_uri=uri, artifact_root=str(live / "artifacts"),
                    lancedb=str(live / "lancedb"), files={"audit": live / "home" / "audit" / "audit.jsonl"})

    @asset
    def numbers() -> list[int]:
        return [1, 2, 3]

    with DagsterInstance.from_config(str(home)) as instance:
        run_id = materialize([numbers], instance=instance).run_id
    client = MlflowClient(tracking_uri=uri, registry_uri=uri)
    client.create_registered_model("m")
    (live / "artifacts" / "model").mkdir(parents=True)
    (live / "artifacts" / "model" / "weights.bin").write_bytes(b"\x00" * 64)
    version = client.create_model_version("m", source=(live / "artifacts" / "model").as_uri())
    client.set_registered_model_alias("m", "champion", version.version)
    lancedb.connect(stores.lancedb).create_table("chunks", data=[{"vector": [0.1, 0.2], "doc_id": "d1"},
                                                                 {"vector": [0.9, 0.1], "doc_id": "d2"}])
    stores.files["audit"].parent.mkdir(parents=True)
    stores.files["audit"].write_text('{"status": 200}\n')

    manifest = backup(tmp_path / "backup", stores)
    assert {item["name"] for item in manifest["items"]} == {"dagster_home", "mlflow_db", "mlflow_artifacts", "lancedb", "audit"}
    with pytest.raises(ValueError, match="not empty"):
        backup(tmp_path / "backup", stores)
    with pytest.raises(ValueError, match="--force"):
        restore(tmp_path / "backup", stores)
    with pytest.raises(FileNotFoundError, match="manifest.json"):
        restore(tmp_path, stores)

    for path in [*(p for p in home.iterdir() if p.name != "dagster.yaml"), live / "artifacts", live / "lancedb", live / "home"]:
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    (live / "mlflow.db").unlink()
    restore(tmp_path / "backup", stores)

    with DagsterInstance.from_config(str(home)) as instance:
        assert [r.run_id for r in instance.get_runs()] == [run_id]
    restored = MlflowClient(tracking_uri=uri, registry_uri=uri).get_model_version_by_alias("m", "champion")
    assert restored.version == version.version and (live / "artifacts" / "model" / "weights.bin").stat().st_size == 64
    hits = lancedb.connect(stores.lancedb).open_table("chunks").search([0.85, 0.15]).limit(1).to_list()
    assert hits[0]["doc_id"] == "d2"
    assert stores.files["audit"].read_text() == '{"status": 200}\n'


def test_cli_backup_errors_are_clear(tmp_path: Path) -> None:
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("keep me")
    cli = [sys.executable, "-m", "llmops.cli"]
    env = {**os.environ, "DAGSTER_HOME": str(REPO / "dagster_home"), "LLMOPS_HOME": str(tmp_path / "h")}
    out = subprocess.run([*cli, "backup", str(tmp_path / "full")], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 2 and "not empty" in out.stderr and (tmp_path / "full" / "x").read_text() == "keep me"
    out = subprocess.run([*cli, "restore", str(tmp_path / "nothing")], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 2 and "not a backup folder" in out.stderr


@pytest.mark.slow  # loads the base model twice and embeds an index
def test_a_backup_restored_into_another_home_serves_its_champion_from_there(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, base_spec, model_cache: Path) -> None:
    """`llmops backup` in one working directory (default home `.llmops` there), the old home deleted,
    `llmops restore` from another: the adapter and the evaluation file come back under the new home,
    the registry points there, and the restored champion answers from the new home's index."""
    import mlflow
    import pandas as pd
    import torch
    from peft import LoraConfig, get_peft_model

    from llmops.registry.models import CHAMPION, ModelRegistry
    from llmops.registry.tracking import configure_mlflow
    from llmops.retrieval.embedder import Embedder
    from llmops.retrieval.index import build_index
    from llmops.serving.models import load_served_models
    from llmops.settings import Settings
    from llmops.train.base_model import load_base_model
    from llmops.train.chat_model import AdapterChatPyfunc
    from llmops.train.lora_adapter import MODEL_REQUIREMENTS

    for name in ("LLMOPS_HOME", "MLFLOW_TRACKING_URI", "MLFLOW_ARTIFACT_ROOT", "LANCEDB_URI", "DAGSTER_HOME",
                 "LLMOPS_AT_REST_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LLMOPS_MODEL_CACHE", str(model_cache))
    old_site, new_site = tmp_path / "site-a", tmp_path / "site-b"
    old_site.mkdir()
    new_site.mkdir()
    monkeypatch.chdir(old_site)
    old = Settings.from_env()
    configure_mlflow(old.mlflow_tracking_uri, "llmops")
    torch.manual_seed(0)
    model, _ = load_base_model(base_spec, model_cache)
    get_peft_model(model, LoraConfig(r=4, lora_alpha=1, target_modules=["q_proj", "v_proj"], init_lora_weights=False)
                   ).save_pretrained(tmp_path / "adapter")
    config = {"base_model": base_spec.to_dict(), "system_prompt": "You are the Lumora assistant.",
              "generation": {"max_new_tokens": 8, "repetition_penalty": 1.1, "batch_size": 8}, "data_version": "test"}
    with mlflow.start_run() as run:
        mlflow.log_dict({"rougeL": 0.25}, "evaluation/report.json")
        info = mlflow.pyfunc.log_model(name="model", python_model=AdapterChatPyfunc(), model_config=config,
                                       artifacts={"adapter": str(tmp_path / "adapter")}, pip_requirements=MODEL_REQUIREMENTS)
    registry = ModelRegistry.at(old.mlflow_tracking_uri, old.model_name)
    registry.point(CHAMPION, registry.register(info.model_uri))
    corpus = pd.DataFrame([{"doc_id": "e14", "doc_type": "faq", "title": "Error codes", "source": "faq/e14.md",
                            "text": "# Error codes\n\n## What does error E14 mean?\nE14: the temperature sensor is disconnected."},
                           {"doc_id": "hours", "doc_type": "faq", "title": "Support", "source": "faq/hours.md",
                            "text": "# Support\n\n## When is support open?\nMonday to Friday, 08:00 to 18:00 CET."}])
    build_index(corpus, old.lancedb_uri, Embedder())

    # every store in the working directory's default home (mlflow.set_tracking_uri exported MLFLOW_TRACKING_URI)
    env = {k: v for k, v in os.environ.items() if not k.startswith("MLFLOW_")}
    cli = [sys.executable, "-m", "llmops.cli"]
    saved = subprocess.run([*cli, "backup", str(tmp_path / "backup")], cwd=old_site, env=env, capture_output=True,
                           text=True, timeout=300)
    assert saved.returncode == 0 and "mlflow_artifacts" in saved.stdout and "lancedb" in saved.stdout, saved.stderr
    shutil.rmtree(old.home)
    restored = subprocess.run([*cli, "restore", str(tmp_path / "backup")], cwd=new_site, env=env, capture_output=True,
                              text=True, timeout=300)
    assert restored.returncode == 0, restored.stderr
    assert f"moved from {old.home / 'mlflow' / 'artifacts'} to {new_site / '.llmops' / 'mlflow' / 'artifacts'}" in restored.stdout

    monkeypatch.chdir(new_site)
    for name in [name for name in os.environ if name.startswith("MLFLOW_")]:
        monkeypatch.delenv(name)
    new = Settings.from_env()
    assert new.home == new_site / ".llmops" and not old.home.exists()
    configure_mlflow(new.mlflow_tracking_uri, "llmops")
    assert mlflow.get_run(run.info.run_id).info.artifact_uri.startswith(new.home.as_uri())
    (tmp_path / "download").mkdir()
    report = mlflow.artifacts.download_artifacts(run_id=run.info.run_id, artifact_path="evaluation/report.json",
                                                 dst_path=str(tmp_path / "download"))
    assert json.loads(Path(report).read_text()) == {"rougeL": 0.25}
    restored_registry = ModelRegistry.at(new.mlflow_tracking_uri, new.model_name)
    champion = restored_registry.aliased(CHAMPION)
    assert restored_registry.client.get_model_version_download_uri(new.model_name, champion.version).startswith(
        (new.home / "mlflow" / "artifacts").as_uri())
    served = load_served_models(new.model_name, new.mlflow_tracking_uri, new.lancedb_uri, "corpus_chunks")
    ask = [{"role": "user", "content": "What does error E14 mean?"}]
    hits = served.champion.retrieve(ask, 1)
    assert [hit.doc_id for hit in hits] == ["e14"]
    answer, grounded = served.champion.complete(ask, 8, hits)
    assert answer.text.strip() and answer.completion_tokens > 0  # the restored champion generated, and what it
    assert grounded.mode.value in ("generated", "verified", "extractive")  # said was held to the passage


# --- manifests -------------------------------------------------------------------------------------

QUANTITY = re.compile(r"^\d+(\.\d+)?(m|Ki|Mi|Gi|Ti)?$")


def _metric_families() -> set[str]:
    from llmops.serving.metrics import Metrics

    return {family.name for family in Metrics().registry.collect()}


def _metric_names(expr: str) -> set[str]:
    return {re.sub(r"_(bucket|sum|count|total)$", "", name) for name in re.findall(r"\bllmops_[a-z_]+", expr)}


def test_grafana_dashboard_and_alerts_use_metrics_the_server_exposes() -> None:
    dashboard = json.loads((INFRA / "grafana" / "llmops-serving.json").read_text())
    assert dashboard["uid"] and dashboard["title"] and dashboard["panels"]
    exposed = _metric_families()
    exprs = [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]
    alerts = yaml.safe_load((INFRA / "prometheus" / "alerts.yml").read_text())
    exprs += [rule["expr"] for group in alerts["groups"] for rule in group["rules"]]
    used = set().union(*(_metric_names(expr) for expr in exprs))
    assert used and used <= exposed, used - exposed
    ids = [panel["id"] for panel in dashboard["panels"]]
    assert len(ids) == len(set(ids))


def test_prometheus_configs_scrape_the_metrics_endpoint() -> None:
    for name in ("prometheus.yml", "prometheus.compose.yml"):
        config = yaml.safe_load((INFRA / "prometheus" / name).read_text())
        jobs = config["scrape_configs"]
        assert all(job["metrics_path"] == "/metrics" and job["job_name"] for job in jobs)
        assert config["rule_files"] == ["alerts.yml"]
    local = yaml.safe_load((INFRA / "prometheus" / "prometheus.yml").read_text())
    assert local["scrape_configs"][0]["static_configs"][0]["targets"] == ["127.0.0.1:8000"]


def test_docker_compose_runs_the_same_stack_with_existing_files() -> None:
    compose = yaml.safe_load((INFRA / "docker-compose.yaml").read_text())
    services = compose["services"]
    assert {"postgres", "mlflow", "dagster-webserver", "dagster-daemon", "serve", "prometheus", "grafana"} <= set(services)
    for name in ("mlflow", "dagster-webserver", "dagster-daemon", "serve"):
        command = services[name]["command"].split()
        assert (REPO / ".venv" / "bin" / command[0]).exists(), command[0]  # a console script the image installs
        assert services[name]["environment"]["DAGSTER_PG_URL"].startswith("postgresql+psycopg2://")
    assert (INFRA / services["mlflow"]["build"]["dockerfile"].removeprefix("infra/")).is_file()
    for service in services.values():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("./"):
                assert (INFRA / source).exists(), source
            else:
                assert source in compose["volumes"], source


def test_docker_compose_file_is_valid_against_the_compose_spec(tmp_path: Path) -> None:
    """check-jsonschema ships the Compose Specification's schema (no Docker engine or plugin runs here)."""
    def check(path: Path) -> subprocess.CompletedProcess:
        return subprocess.run([str(Path(sys.executable).parent / "check-jsonschema"), "--builtin-schema",
                               "vendor.compose-spec", str(path)], capture_output=True, text=True, timeout=120)

    valid = check(INFRA / "docker-compose.yaml")
    assert valid.returncode == 0, valid.stdout + valid.stderr
    broken = yaml.safe_load((INFRA / "docker-compose.yaml").read_text())
    broken["services"]["serve"]["restart"] = ["always"]  # a string in the spec
    (tmp_path / "compose.yaml").write_text(yaml.safe_dump(broken))
    invalid = check(tmp_path / "compose.yaml")
    assert invalid.returncode == 1 and "restart" in invalid.stdout, invalid.stdout + invalid.stderr


def test_helm_values_launch_runs_on_kubernetes_with_per_asset_resources() -> None:
    from orchestration.definitions import defs

    values = yaml.safe_load((INFRA / "helm" / "values.yaml").read_text())
    assert values["runLauncher"]["type"] == "K8sRunLauncher"
    (deployment,) = values["dagster-user-deployments"]["deployments"]
    assert deployment["dagsterApiGrpcArgs"] == ["-m", "orchestration.definitions"]
    assert values["postgresql"]["enabled"] is False and values["dagsterDaemon"]["runCoordinator"]["enabled"]
    assert {"webserver", "daemon"} <= {k.removeprefix("dagster").lower() for k in values if k.startswith("dagster")}

    profiles = yaml.safe_load((INFRA / "helm" / "asset-k8s-config.yaml").read_text())
    assets = {key.to_user_string() for key in defs.resolve_asset_graph().get_all_asset_keys()}
    assert set(profiles["default"]) <= assets and set(profiles["gpu"]) <= assets
    assert {"lora_adapter", "scrubbed_corpus", "vector_index"} <= set(profiles["default"])
    gpu = profiles["gpu"]["lora_adapter"]["container_config"]["resources"]
    assert gpu["limits"]["nvidia.com/gpu"] == "1"
    assert "nvidia.com/gpu" not in profiles["default"]["lora_adapter"]["container_config"]["resources"]["requests"]
    for profile in profiles.values():
        for config in profile.values():
            for section in config["container_config"]["resources"].values():
                assert all(QUANTITY.match(str(value)) for value in section.values()), section


def test_audit_log_lines_are_encrypted_when_a_key_is_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from llmops.ops.at_rest import KEY_ENV, AtRestError, generate_key
    from llmops.ops.audit_log import AuditLog, AuditRecord

    def record(request_id: str, ts: float) -> AuditRecord:
        return AuditRecord(ts=ts, request_id=request_id, method="POST", endpoint="/v1/chat/completions", status=200,
                           latency_ms=5.0, key_id="k1")

    path = tmp_path / "audit.jsonl"
    monkeypatch.delenv(KEY_ENV, raising=False)
    AuditLog(path).append(record("plain", time.time() - 400 * 86400))  # written before encryption was turned on
    monkeypatch.setenv(KEY_ENV, generate_key())
    log = AuditLog(path)
    log.append(record("secret", time.time()))
    lines = path.read_text().splitlines()
    assert lines[0].startswith("{") and lines[1].startswith("gAAAAA") and "/v1/chat" not in lines[1]
    assert [r.request_id for r in log.records()] == ["plain", "secret"]
    assert log.prune() == 1 and [r.request_id for r in log.records()] == ["secret"]
    monkeypatch.delenv(KEY_ENV)
    with pytest.raises(AtRestError, match=KEY_ENV):
        AuditLog(path).records()
    assert path.read_text().startswith("gAAAAA")  # nothing lost by a reader without the key


@pytest.mark.slow  # imports the whole code location in three subprocesses
def test_assets_carry_their_k8s_resources_and_the_gpu_profile_adds_a_gpu() -> None:
    """The `dagster-k8s/config` op tag of each asset comes from infra/helm/asset-k8s-config.yaml."""
    script = ("import json; from orchestration.definitions import defs\n"
              "tags = {k.path[-1]: d.op.tags.get('dagster-k8s/config') for d in defs.assets if hasattr(d, 'op') for k in d.keys}\n"
              "print(json.dumps(tags, default=str))")

    def tags(profile: str) -> dict:
        out = subprocess.run([sys.executable, "-c", script], env={**os.environ, "LLMOPS_K8S_PROFILE": profile},
                             capture_output=True, text=True, timeout=300, check=True)
        return {k: json.loads(v) if isinstance(v, str) else v for k, v in json.loads(out.stdout.splitlines()[-1]).items()}

    default, gpu = tags("default"), tags("gpu")
    train = default["lora_adapter"]["container_config"]["resources"]
    assert train["requests"]["cpu"] == "4" and "nvidia.com/gpu" not in train["requests"]
    assert gpu["lora_adapter"]["container_config"]["resources"]["limits"]["nvidia.com/gpu"] == "1"
    assert gpu["scrubbed_corpus"] == default["scrubbed_corpus"]  # no gpu entry: the default applies
    bad = subprocess.run([sys.executable, "-c", script], env={**os.environ, "LLMOPS_K8S_PROFILE": "tpu"},
                         capture_output=True, text=True, timeout=300)
    assert bad.returncode != 0 and "LLMOPS_K8S_PROFILE='tpu'" in bad.stderr
