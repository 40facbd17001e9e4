"""Export a registered model version as a merged model: a transformers folder and a GGUF file.

Registered versions hold only a LoRA adapter plus the recipe for its base model. Teams that
serve with other runtimes need the merged weights: a safetensors folder any transformers
install loads offline, and a GGUF file for llama.cpp (cheap CPU inference). The export's
location is written as tags on the model version, so the registry says where it is.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from dataclasses import dataclass
from pathlib import Path


from llmops.train.base_model import BaseModelSpec
from llmops.registry.models import ModelRegistry
from llmops.settings import Settings

log = logging.getLogger(__name__)

MERGED_TAG, GGUF_TAG = "export_merged_dir", "export_gguf"
GGUF_DTYPES = ("f16", "f32")


@dataclass(frozen=True)
class ExportResult:
    model_name: str
    version: str
    merged_dir: Path  # transformers folder: config, safetensors weights, tokenizer
    gguf_path: Path
    dtype: str

    def as_metadata(self) -> dict[str, str]:
        return {"model_name": self.model_name, "version": self.version, "merged_dir": str(self.merged_dir),
                "gguf_path": str(self.gguf_path), "gguf_dtype": self.dtype,
                "gguf_mb": f"{self.gguf_path.stat().st_size / 1e6:.1f}"}


def default_export_root() -> Path:
    """Where exports go: ``$LLMOPS_EXPORT_DIR``, else ``exports`` under the runtime home."""
    return Path(os.environ.get("LLMOPS_EXPORT_DIR", Settings.from_env().home / "exports"))


def resolve_version(registry: ModelRegistry, version: str | int | None) -> str:
    """``version`` as a string, or the champion's when None; fails clearly when neither exists."""
    if version is not None:
        return registry.version(version).version
    champion = registry.champion()
    if champion is None:
        raise LookupError(f"model {registry.name!r} has no champion to export; pass a version")
    return champion.version


def existing_export(registry: ModelRegistry, version: str) -> ExportResult | None:
    """The export recorded on the version, when its files are still there."""
    tags = registry.version(version).tags
    merged, gguf_file = tags.get(MERGED_TAG), tags.get(GGUF_TAG)
    if not merged or not gguf_file or not Path(gguf_file).is_file() or not (Path(merged) / "config.json").is_file():
        return None
    dtype = "f32" if gguf_file.endswith("-f32.gguf") else "f16"
    return ExportResult(registry.name, version, Path(merged), Path(gguf_file), dtype)


def export_version(registry: ModelRegistry, version: str | int | None, out_root: Path,
                   dtype: str = "f16") -> ExportResult:
    """Merge the version's adapter into its base model and write both export formats."""
    if dtype not in GGUF_DTYPES:
        raise ValueError(f"GGUF dtype must be one of {GGUF_DTYPES}, got {dtype!r}")
    version = resolve_version(registry, version)
    model_name = registry.name
    loaded = registry.load(version)
    chat = loaded.unwrap_python_model().chat  # the adapter already merged into the base weights
    target = Path(out_root) / model_name / f"v{version}"
    merged_dir = target / "merged"
    write_merged(chat.model, chat.tokenizer, merged_dir)
    gguf_path = target / f"{model_name}-v{version}-{dtype}.gguf"
    base = BaseModelSpec(**loaded.model_config["base_model"])
    write_gguf(merged_dir, gguf_path, dtype, tokenizer_pre(base), name=f"{model_name} v{version}")
    registry.tag(version, MERGED_TAG, str(merged_dir.resolve()))
    registry.tag(version, GGUF_TAG, str(gguf_path.resolve()))
    log.info("exported %s v%s to %s and %s", model_name, version, merged_dir, gguf_path)
    return ExportResult(model_name, version, merged_dir, gguf_path, dtype)


def ensure_export(registry: ModelRegistry, version: str | int | None, out_root: Path,
                  dtype: str = "f16") -> ExportResult:
    """The recorded export of a version, made now if it is missing (e.g. for the llama.cpp backend)."""
    version = resolve_version(registry, version)
    return existing_export(registry, version) or export_version(registry, version, out_root, dtype)


def _replace_dir(tmp: Path, folder: Path) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    tmp.replace(folder)


def write_merged(model, tokenizer, folder: Path) -> Path:
    """A transformers folder (safetensors + tokenizer), written aside and renamed so it is never half there."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = folder.with_name(f"{folder.name}.partial-{os.getpid()}")
    model.save_pretrained(tmp, safe_serialization=True)
    tokenizer.save_pretrained(tmp)
    _replace_dir(tmp, folder)
    return folder


def tokenizer_pre(base: BaseModelSpec) -> str:
    """llama.cpp's pre-tokenizer name: taken from the base model's own GGUF when it ships as one.

    llama.cpp recognizes pre-tokenizers by name; the conversion script infers it by hashing
    tokenizer outputs, which we need not repeat when the base GGUF already says it.
    """
    if base.local_path:
        return "default"
    from gguf import GGUFReader

    field = GGUFReader(base.gguf_path()).fields.get("tokenizer.ggml.pre")
    return str(field.contents()) if field is not None else "default"


def _rope_order(weight, heads: int):
    """Reorder q/k projection rows from transformers' half-split RoPE layout to GGML's interleaved pairs."""
    rows, cols = weight.shape
    return weight.reshape(heads, 2, rows // heads // 2, cols).swapaxes(1, 2).reshape(rows, cols)


def write_gguf(merged_dir: Path, path: Path, dtype: str = "f16", pre: str = "default", name: str = "model") -> Path:
    """A GGUF file (architecture ``llama``) from a merged transformers folder, tokenizer included."""
    import gguf
    import numpy as np
    from safetensors.numpy import load_file
    from transformers import AutoTokenizer

    config = json.loads((merged_dir / "config.json").read_text())
    if config.get("model_type") != "llama":
        raise ValueError(f"GGUF export supports Llama-architecture models, not {config.get('model_type')!r}")
    layers, heads = config["num_hidden_layers"], config["num_attention_heads"]
    kv_heads = config.get("num_key_value_heads", heads)
    rope = config.get("rope_parameters") or {"rope_theta": config.get("rope_theta", 10000.0)}
    if rope.get("rope_type", "default") != "default":
        raise ValueError(f"GGUF export does not handle RoPE scaling {rope.get('rope_type')!r}")

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.partial-{os.getpid()}")
    writer = gguf.GGUFWriter(tmp, gguf.MODEL_ARCH_NAMES[gguf.MODEL_ARCH.LLAMA])
    writer.add_name(name)
    writer.add_context_length(config["max_position_embeddings"])
    writer.add_embedding_length(config["hidden_size"])
    writer.add_block_count(layers)
    writer.add_feed_forward_length(config["intermediate_size"])
    writer.add_head_count(heads)
    writer.add_head_count_kv(kv_heads)
    writer.add_rope_dimension_count(config.get("head_dim") or config["hidden_size"] // heads)
    writer.add_rope_freq_base(float(rope["rope_theta"]))
    writer.add_layer_norm_rms_eps(config["rms_norm_eps"])
    writer.add_vocab_size(config["vocab_size"])
    writer.add_file_type(gguf.LlamaFileType.MOSTLY_F16 if dtype == "f16" else gguf.LlamaFileType.ALL_F32)

    tokenizer = AutoTokenizer.from_pretrained(merged_dir)
    special = {i for i, token in tokenizer.added_tokens_decoder.items() if token.special}
    added = set(tokenizer.added_tokens_decoder)
    tokens = tokenizer.convert_ids_to_tokens(list(range(len(tokenizer))))
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre(pre)
    writer.add_token_list(tokens)
    writer.add_token_types([gguf.TokenType.CONTROL if i in special else gguf.TokenType.USER_DEFINED if i in added
                            else gguf.TokenType.NORMAL for i in range(len(tokens))])
    gguf.SpecialVocab(merged_dir, load_merges=True, n_vocab=len(tokens)).add_to_gguf(writer)
    writer.add_add_bos_token(False)  # prompts come from the chat template, which holds every special token

    names = gguf.get_tensor_name_map(gguf.MODEL_ARCH.LLAMA, layers)
    weights: dict[str, np.ndarray] = {}
    for file in sorted(merged_dir.glob("*.safetensors")):
        weights.update(load_file(file))
    if config.get("tie_word_embeddings"):
        weights.pop("lm_head.weight", None)  # llama.cpp reuses the token embeddings
    for hf_name, tensor in weights.items():
        target = names.get_name(hf_name, try_suffixes=(".weight", ".bias"))
        if target is None:
            raise ValueError(f"no GGUF name for tensor {hf_name!r}")
        if hf_name.endswith("q_proj.weight"):
            tensor = _rope_order(tensor, heads)
        elif hf_name.endswith("k_proj.weight"):
            tensor = _rope_order(tensor, kv_heads)
        # Norms and other vectors stay f32, as llama.cpp expects; matrices take the chosen type.
        writer.add_tensor(target, tensor.astype(np.float16 if dtype == "f16" and tensor.ndim == 2 else np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    tmp.replace(path)
    return path
