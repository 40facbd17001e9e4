"""MLflow plumbing shared by the training, evaluation and promotion stages."""

from __future__ import annotations

import subprocess
from pathlib import Path

import mlflow
from mlflow.tracking import MlflowClient

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
    return experiment_id


def client() -> MlflowClient:
    return MlflowClient()


def git_commit() -> str:
    """Commit of the code that ran, for lineage ('unknown' outside a git checkout)."""
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, timeout=5, check=True)
        return out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
