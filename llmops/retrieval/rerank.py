"""The reranking step: a cross-encoder that reads the question and each candidate passage together
and scores how well the passage answers it, reordering the fused candidates of a hybrid search.

No cross-encoder is packaged on PyPI or Debian with weights that can be checked against their
original release (checked 2026-12: the rerank packages download their models from a hub at run
time, see docs/retrieval.md), so none ships with the product. A team that has one (for example
``cross-encoder/ms-marco-MiniLM-L6-v2``, Apache-2.0, copied into its own artifact store) points
``LLMOPS_RERANKER`` (or ``llmops serve --reranker``) at the model's folder; it is loaded from that
folder only, never fetched.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path

from llmops import settings as _settings  # noqa: F401  (offline environment)

RERANKER_ENV = "LLMOPS_RERANKER"


class CrossEncoderReranker:
    """A sentence-transformers cross-encoder read from a local folder (config, tokenizer, weights)."""

    def __init__(self, model_dir: str | Path, batch_size: int = 32, max_length: int = 512):
        self.model_dir = Path(model_dir)
        if not (self.model_dir / "config.json").is_file():
            raise ValueError(f"{self.model_dir} is not a model folder (no config.json): give the folder of a "
                             "sentence-transformers cross-encoder")
        self.batch_size = batch_size
        self.max_length = max_length

    @cached_property
    def model(self):
        from sentence_transformers import CrossEncoder

        return CrossEncoder(str(self.model_dir), device="cpu", max_length=self.max_length, local_files_only=True)

    def scores(self, query: str, passages: Sequence[str]) -> list[float]:
        if not passages:
            return []
        return [float(s) for s in self.model.predict([(query, p) for p in passages], batch_size=self.batch_size,
                                                     show_progress_bar=False)]


def configured_reranker(model_dir: str | Path | None = None) -> CrossEncoderReranker | None:
    """The reranker named by ``model_dir`` or ``LLMOPS_RERANKER``; None when neither is set."""
    chosen = model_dir or os.environ.get(RERANKER_ENV)
    return CrossEncoderReranker(chosen) if chosen else None
