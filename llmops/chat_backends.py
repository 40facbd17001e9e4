"""Which engine answers for a served model version: transformers (batched) or llama.cpp.

Serving only needs ``complete`` and ``stream``; this module picks the engine behind them so
the server code stays the same for both.
"""

from __future__ import annotations

import os

from llmops.batched_generation import BatchedChatModel

BACKENDS = ("transformers",)
BACKEND_ENV = "LLMOPS_BACKEND"


def serving_chat(pyfunc, model_name: str, version: str, backend: str | None = None):
    """The chat engine serving ``model_name`` version ``version``, loaded as ``pyfunc`` (AdapterChatPyfunc).

    ``backend`` defaults to ``$LLMOPS_BACKEND`` (set by ``llmops serve --backend``), else transformers.
    """
    backend = backend or os.environ.get(BACKEND_ENV, "transformers")
    if backend == "transformers":
        return BatchedChatModel(pyfunc.chat)
    raise ValueError(f"unknown backend {backend!r}; one of {BACKENDS}")
