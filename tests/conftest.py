"""Shared fixtures. Everything runs offline against the real models shipped in PyPI packages."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from llmops import settings as _settings  # noqa: F401  (offline environment before any model import)

REPO = Path(__file__).resolve().parents[1]
SAMPLE_DIR = REPO / "data" / "sample"

# Modules whose tests load the real LLM, train, run Dagster jobs, start servers or use Postgres:
# marked `slow`, so `make test-fast` (-m "not slow") is the unit tests alone.
INTEGRATION_MODULES = {
    "test_automation_dagster", "test_deploy_celery", "test_deploy_postgres", "test_generation", "test_generation_batched",
    "test_model_export", "test_model_stages", "test_pii_probe", "test_pipeline_e2e", "test_serving",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.module is not None and item.module.__name__.rpartition(".")[2] in INTEGRATION_MODULES:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def model_cache() -> Path:
    """Dense copy of the base model, converted once and shared by the whole suite (git-ignored)."""
    path = Path(os.environ.get("LLMOPS_MODEL_CACHE", REPO / ".llmops" / "models"))
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def base_spec():
    from llmops.train.base_model import BaseModelSpec

    return BaseModelSpec()


@pytest.fixture(scope="session")
def chat(base_spec, model_cache):
    """The base model as a ChatModel, loaded once for every test that only reads it."""
    from llmops.train.chat_model import load_chat_model

    return load_chat_model(base_spec, model_cache)
