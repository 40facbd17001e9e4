"""Export of a registered version: merged safetensors folder and GGUF, checked with the real runtimes.

The registered version holds a real PEFT LoRA adapter with seeded random weights (small
alpha): it changes the base model's answers, so an export that lost the adapter fails here,
and it needs no training run.
"""

from __future__ import annotations

import pytest
import torch
from mlflow.exceptions import MlflowException

from llmops.serving.backends import LlamaCppChatModel, serving_chat
from llmops.train.chat_model import AdapterChatPyfunc, ChatModel, GenerationSettings, load_chat_model
from llmops.train.lora_adapter import MODEL_REQUIREMENTS
from llmops.registry.models import CHAMPION, ModelRegistry
from llmops.registry.export import GGUF_TAG, MERGED_TAG, ensure_export, existing_export, export_version
from llmops.registry.tracking import configure_mlflow

NAME = "export-test"
QUESTIONS = ["What is the capital of France?", "How many vacation days do employees get?", "hi"]
LIMIT = 20
FIRST_TOKENS = 8


def conversations() -> list[list[dict[str, str]]]:
    return [[{"role": "user", "content": q}] for q in QUESTIONS]


@pytest.fixture(scope="module")
def registry(tmp_path_factory, base_spec, model_cache):
    """An MLflow registry with one champion version whose adapter changes the answers."""
    import mlflow
    from peft import LoraConfig, get_peft_model

    from llmops.train.base_model import load_base_model

    root = tmp_path_factory.mktemp("export")
    configure_mlflow(f"sqlite:///{root}/mlflow.db", "export-test", str(root / "artifacts"))
    torch.manual_seed(0)
    model, _ = load_base_model(base_spec, model_cache)
    adapter = get_peft_model(model, LoraConfig(r=8, lora_alpha=1, target_modules=["q_proj", "v_proj"],
                                               init_lora_weights=False))
    adapter.save_pretrained(root / "adapter")
    config = {"base_model": base_spec.to_dict(), "system_prompt": "You are a helpful assistant.",
              "generation": {"max_new_tokens": LIMIT, "repetition_penalty": 1.1, "batch_size": 8}, "data_version": "test"}
    with mlflow.start_run():
        info = mlflow.pyfunc.log_model(name="model", python_model=AdapterChatPyfunc(), model_config=config,
                                       artifacts={"adapter": str(root / "adapter")}, pip_requirements=MODEL_REQUIREMENTS)
    registry = ModelRegistry(mlflow.MlflowClient(), NAME)
    version = registry.register(info.model_uri)
    registry.point(CHAMPION, version)
    return root, registry, version


@pytest.fixture(scope="module")
def exported(registry):
    """The champion exported through the Dagster asset, as the `export_model` job does."""
    from dagster import materialize

    from assets.model_export import model_export
    from orchestration.resources import MlflowResource, PathsResource

    root, models, version = registry
    resources = {"mlflow_tracking": MlflowResource(tracking_uri=models.client.tracking_uri, experiment="export-test", model_name=NAME),
                 "paths": PathsResource(raw_dir=str(root), home=str(root))}
    result = materialize([model_export], resources=resources)
    assert result.success
    output = result.output_for_node("model_export")
    assert output["version"] == version
    found = existing_export(models, version)
    assert found is not None and str(found.gguf_path) == output["gguf_path"]
    return found


@pytest.fixture(scope="module")
def adapter_answers(registry, base_spec, model_cache):
    root, _, _ = registry
    chat = load_chat_model(base_spec, model_cache, root / "adapter", GenerationSettings(max_new_tokens=LIMIT))
    return chat.complete(conversations())


def test_merged_folder_reloads_offline_with_the_adapter_models_answers(exported, adapter_answers, base_spec,
                                                                       model_cache) -> None:
    assert list(exported.merged_dir.glob("*.safetensors"))
    merged = ChatModel(*_reload(exported.merged_dir))
    assert merged.complete(conversations(), LIMIT) == adapter_answers
    base = load_chat_model(base_spec, model_cache).generate(conversations(), LIMIT)
    assert base != [a.text for a in adapter_answers]  # the adapter matters, so the test can fail


def test_gguf_loads_in_llama_cpp_and_starts_like_transformers(exported, adapter_answers) -> None:
    """f16 weights may round a near-tie differently late in an answer; the first tokens must agree."""
    from gguf import GGUFReader

    reader = GGUFReader(exported.gguf_path)
    assert reader.fields["general.architecture"].contents() == "llama"
    assert reader.fields["tokenizer.ggml.pre"].contents() == "smollm"
    assert "output.weight" not in {t.name for t in reader.tensors}  # tied embeddings are not duplicated

    llama = LlamaCppChatModel(exported.gguf_path, exported.merged_dir, GenerationSettings(max_new_tokens=LIMIT))
    try:
        answers = llama.complete(conversations(), LIMIT)
        streamed = "".join(c.text for c in llama.stream(conversations()[0], LIMIT))
    finally:
        llama.close()
    tokenizer = llama.tokenizer
    for mine, reference in zip(answers, adapter_answers):
        assert mine.text.strip()
        assert mine.prompt_tokens == reference.prompt_tokens
        ids, expected = tokenizer(mine.text)["input_ids"], tokenizer(reference.text)["input_ids"]
        assert ids[:FIRST_TOKENS] == expected[:FIRST_TOKENS]
    assert streamed == answers[0].text


def test_export_is_recorded_on_the_version_and_reused(registry, exported) -> None:
    root, models, version = registry
    tags = models.version(version).tags
    assert tags[MERGED_TAG] == str(exported.merged_dir.resolve())
    assert tags[GGUF_TAG] == str(exported.gguf_path.resolve())
    before = exported.gguf_path.stat().st_mtime_ns
    again = ensure_export(models, version, root / "elsewhere")
    assert again.gguf_path.resolve() == exported.gguf_path.resolve()
    assert exported.gguf_path.stat().st_mtime_ns == before
    assert existing_export(models, version) is not None


def test_bad_export_requests_fail_clearly(registry) -> None:
    root, models, version = registry
    with pytest.raises(ValueError, match="dtype"):
        export_version(models, version, root / "x", dtype="q4")
    with pytest.raises(MlflowException):
        export_version(models, 999, root / "x")
    models.drop(CHAMPION)
    try:
        with pytest.raises(LookupError, match="no champion"):
            export_version(models, None, root / "x")
    finally:
        models.point(CHAMPION, version)


def test_serving_chat_picks_the_backend(registry, exported, adapter_answers) -> None:
    """`llmops serve --backend llamacpp` uses the version's recorded export; transformers is batched."""
    from llmops.serving.batched_generation import BatchedChatModel

    _, models, version = registry
    pyfunc = models.load(version).unwrap_python_model()
    assert isinstance(serving_chat(pyfunc, models, version, "transformers"), BatchedChatModel)
    llama = serving_chat(pyfunc, models, version, "llamacpp")
    try:
        assert isinstance(llama, LlamaCppChatModel)
        assert llama.complete(conversations()[:1], LIMIT)[0].text.split()[:3] == adapter_answers[0].text.split()[:3]
    finally:
        llama.close()
    with pytest.raises(ValueError, match="unknown backend"):
        serving_chat(pyfunc, models, version, "vllm")


def test_serving_chat_loads_bf16_weights_when_asked(registry) -> None:
    """`llmops serve --precision bf16`: the transformers engine decodes with bf16 weights."""
    import torch

    _, models, version = registry

    def load():  # a fresh pyfunc each time: the engine converts the loaded model in place
        return models.load(version).unwrap_python_model()

    assert {p.dtype for p in serving_chat(load(), models, version, "transformers").chat.model.parameters()} == {torch.float32}
    bf16 = serving_chat(load(), models, version, "transformers", "bf16")
    assert {p.dtype for p in bf16.chat.model.parameters()} == {torch.bfloat16}
    completion = bf16.complete(conversations()[:1], LIMIT)[0]
    assert completion.text.strip() and completion.completion_tokens > 0
    with pytest.raises(ValueError, match="precision"):
        serving_chat(load(), models, version, "transformers", "fp8")


def _reload(folder):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    return AutoModelForCausalLM.from_pretrained(folder, local_files_only=True), AutoTokenizer.from_pretrained(folder)
