"""The one Dagster `Definitions` of the project: assets, checks, jobs, schedules and resources."""

from __future__ import annotations

import os

from dagster import Definitions

from assets.champion_evaluation import champion_evaluation
from assets.drift_report import drift_report
from assets.evaluation_report import evaluation_report
from assets.feedback import feedback
from assets.group_models import group_adapters, group_models, group_sft_datasets, group_sft_datasets_access
from assets.lora_adapter import lora_adapter
from assets.model_export import model_export
from assets.promoted_model import promoted_model
from assets.raw_documents import raw_documents
from assets.retrieval_evaluation import live_index, retrieval_evaluation
from assets.scrubbed_corpus import scrubbed_corpus, scrubbed_corpus_quality
from assets.sft_dataset import sft_dataset, sft_dataset_access
from assets.vector_index import vector_index
from jobs import evaluate_champion, export_model, full_pipeline, ingest_new_data, promote_model_version, rollback_champion
from llmops.monitor.automation import AutomationSettings
from llmops.ops.at_rest import KEY_ENV as AT_REST_KEY_ENV
from llmops.settings import Settings
from orchestration.io_managers import EncryptedFilesystemIOManager
from orchestration.resources import LanceDBResource, MlflowResource, ModelStoreResource, PathsResource, ScrubberResource
from sensors import build_automation


def build_resources(settings: Settings) -> dict:
    """Resources resolved from the environment (embedded defaults under LLMOPS_HOME)."""
    return {
        "paths": PathsResource(raw_dir=os.environ.get("LLMOPS_RAW_DIR", "data/sample"), home=str(settings.home),
                               feedback_file=str(settings.feedback_path), access_file=os.environ.get("LLMOPS_ACCESS_FILE")),
        "mlflow_tracking": MlflowResource(tracking_uri=settings.mlflow_tracking_uri, model_name=settings.model_name,
                                          artifact_root=settings.mlflow_artifact_root),
        "lancedb": LanceDBResource(uri=settings.lancedb_uri),
        "model_store": ModelStoreResource(cache_dir=str(settings.model_cache)),
        "scrubber": ScrubberResource(),
        # asset outputs (raw and scrubbed corpus included) encrypted on disk when a key is configured
        **({"io_manager": EncryptedFilesystemIOManager.from_env()} if os.environ.get(AT_REST_KEY_ENV) else {}),
    }


def build_definitions(resources: dict, automation: AutomationSettings | None = None) -> Definitions:
    """The whole project around a given set of resources (tests pass temporary stores and settings)."""
    schedules, sensors = build_automation(automation or AutomationSettings.from_env())
    return Definitions(
        assets=[raw_documents, scrubbed_corpus, feedback, sft_dataset, lora_adapter, evaluation_report, vector_index,
                retrieval_evaluation, live_index, promoted_model, group_sft_datasets, group_adapters, group_models, drift_report,
                champion_evaluation, model_export],
        asset_checks=[scrubbed_corpus_quality, sft_dataset_access, group_sft_datasets_access],
        jobs=[full_pipeline, ingest_new_data, evaluate_champion, promote_model_version, rollback_champion, export_model],
        schedules=schedules,
        sensors=sensors,
        resources=resources,
    )


defs = build_definitions(build_resources(Settings.from_env()))
