"""The machine and process behind each MLflow run: MLflow loads `ProcessTags` (registered in
pyproject.toml) while it initializes, so this module imports nothing of MLflow but the base class."""

from __future__ import annotations

import os
import socket

from mlflow.tracking.context.abstract_context import RunContextProvider


def process_tags() -> dict[str, str]:
    """The machine and process a run belongs to (``llmops.registry.tracking.close_dead_runs`` reads them)."""
    return {"llmops.host": socket.gethostname(), "llmops.pid": str(os.getpid())}


class ProcessTags(RunContextProvider):
    """Puts `process_tags` on every run created through ``mlflow.start_run`` in this environment."""

    def in_context(self) -> bool:
        return True

    def tags(self) -> dict[str, str]:
        return process_tags()
