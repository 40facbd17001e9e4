"""Training, evaluation, registry and serving with the real SmolLM2 model (a few steps, tiny data)."""

from __future__ import annotations

import json
import math
import subprocess
import sys
import time

import mlflow
import pandas as pd
import pytest
from fastapi.testclient import TestClient

from llmops.train.base_model import BaseModelSpec
from llmops.train.chat_model import GenerationSettings, load_chat_model
from llmops.pii.scrubber import Scrubber
from llmops.evaluation.report import EvalSettings, evaluate_systems, log_evaluation
from llmops.train.lora_adapter import (
    REAL_TOKENS,
    SFTCollator,
    TrainSettings,
    completion_loss,
    qlora_config,
    train_lora,
    use_4bit,
)
from llmops.registry.models import CHAMPION, PREVIOUS, ModelRegistry
from llmops.registry.promotion import PromotionPolicy, decide, promote_version, register_and_decide, rollback
from llmops.serving.answerer import Answerer
from llmops.serving.app import create_app
from llmops.train.sft_dataset import SFTSettings, build_examples, load_split, save_dataset
from llmops.registry.tracking import client, configure_mlflow
from llmops.retrieval.embedder import Embedder
from llmops.retrieval.index import build_index
from llmops.retrieval.search import Retriever

FACTS = [
    ("How do I reset the Aura thermostat?", "Hold the dial for 12 seconds until the ring flashes amber."),
    ("What does error E14 mean?", "E14 means the temperature sensor is disconnected; reseat the sensor cable."),
    ("How long is the Lumora warranty?", "Every Lumora device has a 3-year limited warranty."),
    ("What are the support hours?", "Support is open Monday to Friday, 08:00 to 18:00 CET."),
    ("How many vacation days do employees get?", "Employees get 28 vacation days per year."),
    ("How do I pair the Gridbox?", "Press the pair button twice and open the Lumora app."),
]
SYSTEM = "You are the Lumora assistant."


@pytest.fixture(scope="module")
def corpus() -> pd.DataFrame:
    rows = [{"doc_id": f"doc{i:02d}", "doc_type": "faq", "title": f"FAQ {i}", "source": f"faq/{i}.md",
             "text": f"# FAQ {i}\n\n## {q}\n{a}"} for i, (q, a) in enumerate(FACTS * 3)]
    for i, row in enumerate(rows):  # make repeats distinct documents with the same facts
        row["text"] = row["text"].replace("?", f" (ref {i})?", 1)
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def trained(tmp_path_factory, corpus, base_spec, model_cache):
    root = tmp_path_factory.mktemp("train")
    configure_mlflow(f"sqlite:///{root}/mlflow.db", "test", str(root / "artifacts"))
    build = build_examples(corpus, SFTSettings(system_prompt=SYSTEM, test_fraction=0.25, validation_fraction=0.1))
    save_dataset(build, root / "ds")
    result = train_lora(root / "ds", root / "out", base_spec, model_cache,
                        TrainSettings(max_steps=8, logging_steps=2, learning_rate=2e-3), SYSTEM,
                        GenerationSettings(max_new_tokens=24), tags={"dagster_run_id": "test-run"})
    return root, result, build


def test_training_is_tracked_in_mlflow(trained) -> None:
    root, result, build = trained
    run = mlflow.get_run(result.run_id)
    assert run.data.params["r"] == "8" and run.data.params["target_modules"] == "q_proj,v_proj"
    assert run.data.tags["data_version"] == build.version and run.data.tags["dagster_run_id"] == "test-run"
    history = client().get_metric_history(result.run_id, "train_loss")
    assert [m.step for m in history] == [2, 4, 6, 8] and all(math.isfinite(m.value) for m in history)
    inputs = {(i.dataset.name, i.dataset.digest, i.tags[0].value) for i in run.inputs.dataset_inputs}
    assert inputs == {(f"sft-{split}", build.version, split) for split, rows in build.counts().items() if rows}
    artifacts = {a.path for a in client().list_artifacts(result.run_id)}
    assert "loss_curve.png" in artifacts
    assert (result.adapter_dir / "adapter_config.json").is_file()
    assert result.loss_curve[-1][1] < result.loss_curve[0][1]  # it learned something


def test_logged_model_loads_offline_and_answers(trained) -> None:
    _, result, _ = trained
    model = mlflow.pyfunc.load_model(result.model_uri)
    answers = model.predict([{"question": "How do I reset the Aura thermostat?"}], params={"max_new_tokens": 16})
    assert len(answers) == 1 and isinstance(answers[0], str) and answers[0]


def test_evaluation_and_promotion_gate(trained, base_spec, model_cache) -> None:
    root, result, _ = trained
    test_items = list(load_split(root / "ds", "train"))[:4]  # facts it was trained on: the candidate must fit them better
    report = evaluate_systems(
        {"base": lambda: load_chat_model(base_spec, model_cache),
         "candidate": lambda: load_chat_model(base_spec, model_cache, result.adapter_dir)},
        test_items, EvalSettings(max_samples=4, max_new_tokens=24))
    assert set(report.metrics) == {"base", "candidate"} and report.n_samples == 4
    assert report.metrics["candidate"]["perplexity"] < report.metrics["base"]["perplexity"]
    log_evaluation(report, result.run_id)
    assert "eval_candidate_rouge_l" in mlflow.get_run(result.run_id).data.metrics

    registry = ModelRegistry(client(), "assistant")
    first_decision = decide(report.metrics)
    first = register_and_decide(registry, result.model_uri, first_decision)
    if first["promote"]:
        assert report.metrics["candidate"]["rouge_l"] > report.metrics["base"]["rouge_l"]
    assert registry.version(first["version"]).tags["promotion_reason"] == first_decision.reason
    # a deliberately worse candidate never takes the alias; a better one does, and the old one becomes previous
    worse = {"candidate": {"rouge_l": 0.10}, "champion": {"rouge_l": 0.30}, "base": {"rouge_l": 0.05}}
    better = {"candidate": {"rouge_l": 0.40, "pii_leaks": 0}, "champion": {"rouge_l": 0.30}}
    v_first = first["version"]
    if not first["promote"]:
        registry.point(CHAMPION, v_first)
    rejected = register_and_decide(registry, result.model_uri, decide(worse))
    assert not rejected["promote"] and int(registry.champion().version) == v_first
    tags = registry.version(rejected["version"]).tags
    assert tags["promotion_decision"] == "rejected" and "vs champion" in tags["promotion_reason"]
    assert "rouge_l gain -0.2000 is not > +0.0000" in tags["promotion_reason"]
    promoted = register_and_decide(registry, result.model_uri, decide(better))
    assert int(registry.champion().version) == promoted["version"]
    assert int(registry.aliased(PREVIOUS).version) == v_first

    # one-command rollback, then manual promotion of a chosen version
    back = rollback(registry, "bad answers reported")
    assert back == {"champion": v_first, "rolled_back": promoted["version"]}
    assert registry.version(promoted["version"]).tags["promotion_decision"] == "rolled_back"
    with pytest.raises(LookupError, match="no 'previous'"):
        rollback(registry, "again")
    assert promote_version(registry, rejected["version"], "reviewed") == {"champion": rejected["version"], "previous": v_first}
    assert registry.version(rejected["version"]).tags["promotion_reason"] == "manual: reviewed"


def test_decide_rejects_unknown_metric_and_missing_systems() -> None:
    with pytest.raises(ValueError, match="unknown metric"):
        decide({"candidate": {}, "base": {}}, PromotionPolicy(primary_metric="accuracy"))
    with pytest.raises(ValueError, match="lacks"):
        decide({"base": {"rouge_l": 1.0}})
    lower_is_better = decide({"candidate": {"perplexity": 9.0, "pii_leaks": 0}, "base": {"perplexity": 12.0}},
                             PromotionPolicy(primary_metric="perplexity"))
    assert lower_is_better.promote


def test_guard_metrics_and_pii_leaks_block_promotion() -> None:
    champion = {"rouge_l": 0.30, "token_f1": 0.40, "perplexity": 10.0}
    better = {"rouge_l": 0.35, "token_f1": 0.39, "perplexity": 10.4, "pii_leaks": 0}
    assert decide({"candidate": better, "champion": champion}).promote  # guards within 5%
    worse_ppl = {**better, "perplexity": 12.0}
    decision = decide({"candidate": worse_ppl, "champion": champion})
    assert not decision.promote and "guard perplexity regressed 20.0%" in decision.reason
    leaky = decide({"candidate": {**better, "pii_leaks": 2}, "champion": champion})
    assert not leaky.promote and "2 PII values leaked" in leaky.reason
    lenient = PromotionPolicy(guard_tolerance=0.25, max_pii_leaks=2)
    assert decide({"candidate": {**worse_ppl, "pii_leaks": 2}, "champion": champion}, lenient).promote
    unprobed = decide({"candidate": {k: v for k, v in better.items() if k != "pii_leaks"}, "champion": champion})
    assert not unprobed.promote and "PII-leak probe did not run" in unprobed.reason
    # a candidate whose own answers its cited passages support less is not promoted, however well it scores otherwise
    grounded = {**champion, "generated_faithfulness": 0.60}
    unfaithful = decide({"candidate": {**better, "generated_faithfulness": 0.45}, "champion": grounded})
    assert not unfaithful.promote and "guard generated_faithfulness regressed 25.0% (0.6000 -> 0.4500)" in unfaithful.reason
    assert decide({"candidate": {**better, "generated_faithfulness": 0.59}, "champion": grounded}).promote


def test_serving_answers_with_sources(trained, corpus, base_spec, model_cache, tmp_path) -> None:
    _, result, _ = trained
    embedder = Embedder()
    stats = build_index(corpus, str(tmp_path / "lance"), embedder)
    assert stats["chunks"] == len(corpus) and stats["dimension"] == 384
    retriever = Retriever(str(tmp_path / "lance"), embedder)
    top = retriever.search("what does E14 mean", 3)
    assert "E14" in top[0].text and top[0].score >= top[-1].score
    answerer = Answerer(load_chat_model(base_spec, model_cache, result.adapter_dir, GenerationSettings(max_new_tokens=24)),
                        retriever, "assistant:1", SYSTEM, Scrubber())
    leaked = answerer.scrub("Write to jane.doe@example.com or call +44 20 7946 0958.")
    assert leaked == "Write to <EMAIL_ADDRESS_1> or call <PHONE_NUMBER_1>."
    http = TestClient(create_app(answerer))
    reply = http.post("/v1/chat/completions", json={"messages": [{"role": "user", "content": "What does error E14 mean?"}]})
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert body["object"] == "chat.completion" and body["choices"][0]["message"]["content"]
    assert body["sources"] and "E14" in corpus.set_index("doc_id").loc[body["sources"][0]["doc_id"], "text"]
    assert body["usage"]["total_tokens"] == body["usage"]["prompt_tokens"] + body["usage"]["completion_tokens"]
    assert body["choices"][0]["finish_reason"] in ("stop", "length")
    short = http.post("/v1/chat/completions", json={"max_tokens": 2, "messages": [{"role": "user", "content": "Tell me about the warranty."}]}).json()
    assert short["choices"][0]["finish_reason"] == "length" and short["usage"]["completion_tokens"] == 2
    assert http.get("/v1/models").json()["data"][0]["id"] == "assistant:1"
    bad = http.post("/v1/chat/completions", json={"messages": []})
    assert bad.status_code == 400 and bad.json()["error"]["type"] == "invalid_request_error"
    no_user = http.post("/v1/chat/completions", json={"messages": [{"role": "system", "content": "x"}]})
    assert no_user.status_code == 400 and no_user.json()["error"]["param"] == "messages"


KILLABLE_TRAINING = """
import json
import sys
from pathlib import Path
from llmops.train.base_model import BaseModelSpec
from llmops.train.lora_adapter import TrainSettings, train_lora
from llmops.registry.tracking import configure_mlflow
root, out, cache = map(Path, sys.argv[1:4])
configure_mlflow(f"sqlite:///{root}/mlflow.db", "test", str(root / "artifacts"))
train_lora(root / "ds", out, BaseModelSpec(), cache, TrainSettings(**json.loads(sys.argv[4])), "sys")
"""


def test_training_resumes_after_the_process_is_killed(trained, model_cache, tmp_path) -> None:
    root, _, _ = trained
    out = tmp_path / "job"
    settings = {"max_steps": 6, "save_steps": 2, "logging_steps": 1}
    proc = subprocess.Popen([sys.executable, "-c", KILLABLE_TRAINING, str(root), str(out), str(model_cache), json.dumps(settings)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 240
        while not (out / "checkpoints" / "checkpoint-4").is_dir() and time.time() < deadline and proc.poll() is None:
            time.sleep(0.2)
    finally:
        proc.kill()
        proc.wait()
    assert (out / "checkpoints" / "checkpoint-4").is_dir(), "the training process never reached its second checkpoint"
    killed_run = (out / "mlflow_run_id").read_text().strip()

    result = train_lora(root / "ds", out, BaseModelSpec(), model_cache, TrainSettings(**settings), SYSTEM)
    # the kill may land during the save of checkpoint-4: then the complete checkpoint-2 is used
    assert result.resumed_from in ("checkpoint-2", "checkpoint-4") and result.steps == 6
    assert result.run_id == killed_run  # the same MLflow run carries on
    assert mlflow.get_run(result.run_id).data.tags["resumed_from"] == result.resumed_from
    assert not (out / "checkpoints").exists() and (out / "adapter" / "adapter_config.json").is_file()
    fresh = train_lora(root / "ds", out, BaseModelSpec(), model_cache, TrainSettings(**{**settings, "max_steps": 2}), SYSTEM)
    assert fresh.resumed_from is None and fresh.run_id != killed_run


def test_packed_rows_keep_examples_apart(chat) -> None:
    """Two examples packed in one row score exactly as they do alone: no attention across them."""
    import torch

    tokenizer, model = chat.tokenizer, chat.model
    first, second = (tokenizer(text)["input_ids"] for text in ("Hold the dial for 12 seconds.", "E14 means the sensor is off."))
    batch = SFTCollator(tokenizer.pad_token_id, packed=True)([
        {"input_ids": first + second, "seq_lengths": [len(first), len(second)]},
        {"input_ids": first, "seq_lengths": [len(first)]}])
    assert "attention_mask" not in batch and int(batch[REAL_TOKENS]) == 2 * len(first) + len(second)
    assert batch["position_ids"][0].tolist() == list(range(len(first))) + list(range(len(second)))
    with torch.no_grad():
        # as in training (trl passes use_cache=False; with a cache transformers skips the packed mask)
        packed = model(input_ids=batch["input_ids"], position_ids=batch["position_ids"], use_cache=False).logits
        leaky = model(input_ids=batch["input_ids"], use_cache=False).logits  # the examples see each other
        alone = model(input_ids=torch.tensor([second])).logits[0]
    span = slice(len(first), len(first) + len(second))
    torch.testing.assert_close(packed[0, span], alone, atol=1e-2, rtol=0)  # kernel rounding only
    assert (leaky[0, span] - alone).abs().max() > 1.0


def test_completion_loss_equals_the_full_vocabulary_loss(base_spec, model_cache, monkeypatch) -> None:
    """The LM head only at labelled positions, a few at a time, gives the causal-LM loss of the
    model's full logits and the same gradients: for padded rows and packed ones, as a batch mean and
    over a given token count, in one chunk and in several."""
    import torch
    import torch.nn.functional as F
    from peft import LoraConfig, get_peft_model

    from llmops.train import lora_adapter
    from llmops.train.base_model import load_base_model

    model, tokenizer = load_base_model(base_spec, model_cache, dtype="float64")  # no rounding to hide a slip
    first, second = (tokenizer(text)["input_ids"] for text in ("Hold the dial for 12 seconds.", "E14 means the sensor is off."))
    answer_1, answer_2 = [-100] * 3 + first[3:], [-100] * 2 + second[2:]  # the first tokens play the prompt
    padded = SFTCollator(tokenizer.pad_token_id, packed=False)([
        {"input_ids": first, "labels": answer_1}, {"input_ids": second, "labels": answer_2}])
    packed = SFTCollator(tokenizer.pad_token_id, packed=True)([
        {"input_ids": first + second, "labels": answer_1 + answer_2, "seq_lengths": [len(first), len(second)]}])
    model = get_peft_model(model, LoraConfig(r=4, target_modules=["q_proj", "v_proj"], init_lora_weights=False))

    def full_vocabulary(inputs: dict, count) -> torch.Tensor:
        logits = model(**{k: v for k, v in inputs.items() if k != "labels"}).logits[:, :-1]
        targets = inputs["labels"][:, 1:]
        total = F.cross_entropy(logits.flatten(0, 1), targets.flatten(), ignore_index=-100, reduction="sum")
        return total / (count if count is not None else (targets != -100).sum())

    for batch, chunk, count in [(padded, 128, None), (padded, 5, torch.tensor(7)), (packed, 128, torch.tensor(7)),
                                (packed, 5, None)]:
        monkeypatch.setattr(lora_adapter, "_HEAD_ROWS", chunk)
        inputs = {k: v for k, v in batch.items() if k != REAL_TOKENS}
        results = []
        for loss_of in (full_vocabulary, lambda inputs, count: completion_loss(model, inputs, count)):
            model.zero_grad()
            loss = loss_of(inputs, count)
            loss.backward()
            results.append((loss.detach().item(), [p.grad.clone() for p in model.parameters() if p.requires_grad]))
        (expected, want), (got, have) = results
        assert got == pytest.approx(expected, rel=1e-12)
        for a, b in zip(want, have):
            torch.testing.assert_close(a, b, rtol=1e-9, atol=1e-12)
    with torch.no_grad():  # against the model's own loss, whose softmax runs in fp32
        assert float(completion_loss(model, inputs)) == pytest.approx(float(model(**inputs).loss), rel=1e-5)


def test_packed_training_counts_real_tokens(trained, model_cache, tmp_path) -> None:
    root, _, _ = trained
    result = train_lora(root / "ds", tmp_path / "packed", BaseModelSpec(), model_cache,
                        TrainSettings(max_steps=2, logging_steps=1, save_steps=0, packing=True, max_length=128), SYSTEM)
    # two steps of four packed rows of at most 128 tokens; padding is not counted
    assert 2 * 128 < result.tokens <= 2 * 4 * 128
    assert math.isfinite(result.train_loss)


def test_training_on_retrieved_passages_counts_examples_over_max_length(trained, corpus, model_cache, tmp_path) -> None:
    """RAFT examples carry passages: a max_length that cuts them is reported, not silently trained on."""
    build = build_examples(corpus, SFTSettings(system_prompt=SYSTEM, test_fraction=0.25, validation_fraction=0.0,
                                               context="retrieved"))
    save_dataset(build, tmp_path / "ds")
    with pytest.raises(ValueError, match="every train example is longer than max_length 128"):
        train_lora(tmp_path / "ds", tmp_path / "cut", BaseModelSpec(), model_cache,
                   TrainSettings(max_steps=1, save_steps=0, max_length=128), SYSTEM)
    whole = train_lora(tmp_path / "ds", tmp_path / "whole", BaseModelSpec(), model_cache,
                       TrainSettings(max_steps=1, save_steps=0, max_length=1024), SYSTEM)
    assert build.counts()["train"] > 0 and whole.over_length == 0 and math.isfinite(whole.train_loss)
    assert mlflow.get_run(whole.run_id).data.params["examples_over_max_length"] == "0"


def test_qlora_is_chosen_automatically_only_on_cuda() -> None:
    import torch

    assert use_4bit("auto") is torch.cuda.is_available() and use_4bit("none") is False
    assert use_4bit("4bit") is True  # bitsandbytes is in the dev extra; it quantizes on the CPU too
    with pytest.raises(ValueError, match="quantization must be"):
        use_4bit("8bit")
    config = qlora_config(compute_bf16=True)
    assert config.load_in_4bit and config.bnb_4bit_quant_type == "nf4" and config.bnb_4bit_use_double_quant


def test_qlora_trains_an_adapter_on_a_4bit_base(trained, base_spec, model_cache, tmp_path) -> None:
    """QLoRA for real: the base in NF4 (bitsandbytes' CPU kernels here, CUDA's on a GPU), LoRA weights
    learning through it, and the adapter serving on the dense base like any other."""
    from safetensors.torch import load_file

    root, _, _ = trained
    result = train_lora(root / "ds", tmp_path / "qlora", base_spec, model_cache,
                        TrainSettings(max_steps=3, logging_steps=1, save_steps=0, max_length=128, quantization="4bit"),
                        SYSTEM, GenerationSettings(max_new_tokens=12))
    assert mlflow.get_run(result.run_id).data.params["qlora"] == "True"
    assert all(math.isfinite(loss) for _, loss in result.loss_curve) and result.tokens > 0
    lora_b = [w for name, w in load_file(result.adapter_dir / "adapter_model.safetensors").items() if "lora_B" in name]
    assert lora_b and all(w.abs().sum() > 0 for w in lora_b)  # peft starts B at zero: gradients reached every layer
    answer = load_chat_model(base_spec, model_cache, result.adapter_dir).complete(
        [[{"role": "user", "content": FACTS[0][0]}]], max_new_tokens=8)[0]
    assert answer.text.strip()
