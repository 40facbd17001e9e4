"""MLflow plumbing shared by the training, evaluation and promotion stages.

Every run this project creates carries the machine and process that created it (``llmops.host``,
``llmops.pid``; set by `llmops.registry.run_context.ProcessTags`, a run context provider registered
with MLflow in pyproject.toml), so a run its process left RUNNING (killed, out of memory) is told from a live one
and closed as KILLED the next time a stage configures MLflow (`close_dead_runs`).
"""

from __future__ import annotations

import logging
import subprocess
from pathlib import Path

import mlflow
from mlflow.tracking import MlflowClient

from llmops.registry.run_context import process_tags
from llmops.settings import Settings


def configure_mlflow(tracking_uri: str, experiment: str, artifact_root: str | None = None) -> str:
    """Point MLflow at the store (creating a local SQLite folder if needed) and make ``experiment`` the
    active one; return its id.

    Every run started afterwards in this process lands in that experiment, whose artifacts live under
    the artifact root (``$LLMOPS_HOME/mlflow/artifacts`` by default). Without an active experiment
    MLflow would use ``Default``, whose artifacts go to ``./mlruns`` of whatever folder the process
    started in, outside the home that backups and restores cover.
    """
    if tracking_uri.startswith("sqlite:///"):
        Path(tracking_uri.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    mlflow.set_tracking_uri(tracking_uri)
    mlflow.set_registry_uri(tracking_uri)
    existing = mlflow.get_experiment_by_name(experiment)
    if existing is not None:
        experiment_id = existing.experiment_id
    else:
        location = artifact_root or Settings.from_env().mlflow_artifact_root
        if "://" not in location:
            Path(location).mkdir(parents=True, exist_ok=True)
            location = Path(location).resolve().as_uri()
        experiment_id = mlflow.create_experiment(experiment, artifact_location=f"{location.rstrip('/')}/{experiment}")
    mlflow.set_experiment(experiment_id=experiment_id)
    close_dead_runs(MlflowClient(), experiment_id)
    return experiment_id


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` runs on this machine; a zombie (exited, not yet reaped) does not."""
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def close_dead_runs(client: MlflowClient, experiment_id: str) -> list[str]:
    """Mark KILLED the experiment's runs left RUNNING by a process of this machine that is gone (a
    run of another machine, or one without the tags, is left alone); returns their ids."""
    host = process_tags()["llmops.host"]
    closed = []
    for run in client.search_runs([experiment_id], filter_string="attributes.status = 'RUNNING'"):
        tags = run.data.tags
        pid = tags.get("llmops.pid", "")
        if tags.get("llmops.host") != host or not pid.isdigit() or process_alive(int(pid)):
            continue
        client.set_tag(run.info.run_id, "llmops.closed", f"process {pid} was gone: closed by the next start")
        client.set_terminated(run.info.run_id, status="KILLED")
        closed.append(run.info.run_id)
        logging.getLogger(__name__).warning("MLflow run %s was left RUNNING by process %s, which is gone: "
                                            "marked KILLED", run.info.run_id, pid)
    return closed


def client() -> MlflowClient:
    return MlflowClient()


def git_commit() -> str:
    """Commit of the code that ran, for lineage ('unknown' outside a git checkout)."""
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, timeout=5, check=True)
        return out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
