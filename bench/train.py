"""Training throughput of the pipeline's LoRA trainer against a plain transformers+peft loop.

Four configurations, same SFT data (built from the shipped sample corpus; the unpacked ones train
on the same steps x batch examples, so on the same tokens, and packing fills its rows from the
whole train split, as the pipeline does), same LoRA recipe, batch size and step count, each in its
own child process so its peak memory is its own:

- ``plain-fp32``: a hand-written loop (peft model, AdamW, linear warmup schedule, right padding);
- ``trl-fp32``: ``llmops.train.lora_adapter.train_lora`` (trl SFTTrainer), fp32 — target ≥ 0.9× plain;
- ``trl-bf16``: the same in bf16 (frozen base in bf16, LoRA weights fp32);
- ``trl-bf16-packed``: bf16 plus best-fit-decreasing packing into ``[batch, max_length]`` rows
  (``llmops.train.lora_adapter.SFTCollator``: position ids restart at each packed example and
  transformers builds a block-diagonal mask per row, so packed examples do not attend to each
  other) — target ≥ 2× effective tokens/s of trl-fp32.

Tokens are non-padding tokens. MFU ≈ 4 × params × tokens/s (LoRA: forward plus activation
gradients, no weight gradients for the frozen base) over the measured matmul peak. Usage:

    .venv/bin/python bench/train.py [--steps 12]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

CONFIGS = {  # name -> (precision, packing); None precision = the plain loop
    "plain-fp32": (None, False),
    "trl-fp32": ("fp32", False),
    "trl-bf16": ("bf16", False),
    "trl-bf16-packed": ("bf16", True),
}


def build_dataset(work: Path, examples: int) -> tuple[Path, Path]:
    """The SFT set of the sample corpus, whole and with its train split cut to the ``examples`` that
    one pass without packing consumes (a seeded shuffle): the unpacked configurations all train on the
    cut, so on the same tokens; packing fills its rows from the whole split, as the pipeline does."""
    from datasets import load_from_disk

    from llmops.train.lora_adapter import TrainSettings
    from llmops.pii.scrubber import Scrubber
    from llmops.ingest.raw_documents import read_documents
    from llmops.pii.scrubbed_corpus import scrub_documents
    from llmops.train.sft_dataset import build_examples, save_dataset
    from llmops.pii.config import pipeline_config

    corpus, _ = scrub_documents(read_documents(REPO / "data" / "sample").to_frame(),
                                Scrubber(pipeline_config()))
    save_dataset(build_examples(corpus), work / "full")
    data = load_from_disk(str(work / "full"))
    data["train"] = data["train"].shuffle(seed=TrainSettings().seed).select(range(min(examples, len(data["train"]))))
    path = work / "sft"
    data.save_to_disk(str(path))
    (path / "VERSION").write_text((work / "full" / "VERSION").read_text())
    return path, work / "full"


def _peak_rss_mb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def run_trl(dataset: Path, precision: str, packing: bool, steps: int, work: Path) -> dict:
    from llmops.train.base_model import BaseModelSpec
    from llmops.train.lora_adapter import TrainSettings, train_lora
    from llmops.settings import Settings
    from llmops.registry.tracking import configure_mlflow

    configure_mlflow(f"sqlite:///{work}/mlflow-{os.getpid()}.db", "bench", str(work / "artifacts"))
    settings = TrainSettings(max_steps=steps, logging_steps=steps, precision=precision, packing=packing, save_steps=0)
    result = train_lora(dataset, work / f"{precision}-{packing}", BaseModelSpec(), Settings.from_env().model_cache,
                        settings, "bench")
    return {"tokens": result.tokens, "runtime_s": result.runtime_s, "final_loss": result.loss_curve[-1][1],
            "eval_loss": result.eval_loss}


def _tokenize(tokenizer, example: dict, max_length: int) -> tuple[list[int], list[int]]:
    """Chat-templated prompt + completion; the loss covers the completion only (as trl does)."""
    prompt = tokenizer.apply_chat_template(example["prompt"], tokenize=False, add_generation_prompt=True)
    full = tokenizer.apply_chat_template(example["prompt"] + example["completion"], tokenize=False)
    prompt_len = len(tokenizer(prompt, add_special_tokens=False)["input_ids"])
    ids = tokenizer(full, add_special_tokens=False)["input_ids"][:max_length]
    return ids, [-100] * min(prompt_len, len(ids)) + ids[prompt_len:]


def _batches(rows: list[tuple[list[int], list[int]]], size: int, pad: int):
    import torch

    for start in range(0, len(rows) - size + 1, size):
        chunk = rows[start : start + size]
        width = max(len(ids) for ids, _ in chunk)
        yield {
            "input_ids": torch.tensor([ids + [pad] * (width - len(ids)) for ids, _ in chunk]),
            "attention_mask": torch.tensor([[1] * len(ids) + [0] * (width - len(ids)) for ids, _ in chunk]),
            "labels": torch.tensor([labels + [-100] * (width - len(labels)) for _, labels in chunk]),
        }


def run_plain(dataset: Path, steps: int) -> dict:
    """The baseline: what one would write by hand with transformers + peft, no Trainer."""
    import random

    import torch
    from datasets import load_from_disk
    from peft import LoraConfig, get_peft_model
    from transformers import get_linear_schedule_with_warmup

    from llmops.train.base_model import BaseModelSpec, load_base_model
    from llmops.train.lora_adapter import TrainSettings
    from llmops.settings import Settings

    settings = TrainSettings(max_steps=steps)
    torch.manual_seed(settings.seed)
    model, tokenizer = load_base_model(BaseModelSpec(), Settings.from_env().model_cache)
    params = sum(p.numel() for p in model.parameters())
    model = get_peft_model(model, LoraConfig(r=settings.r, lora_alpha=settings.alpha, lora_dropout=settings.dropout,
                                             target_modules=list(settings.target_modules), task_type="CAUSAL_LM"))
    data = load_from_disk(str(dataset))
    train = [_tokenize(tokenizer, row, settings.max_length) for row in data["train"]]
    random.Random(settings.seed).shuffle(train)
    train = (train * (1 + steps * settings.batch_size // len(train)))[: steps * settings.batch_size]
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=settings.learning_rate)
    schedule = get_linear_schedule_with_warmup(optimizer, max(1, int(settings.warmup_ratio * steps)), steps)
    model.train()
    tokens, loss = 0, float("nan")
    started = time.perf_counter()
    for batch in _batches(train, settings.batch_size, tokenizer.pad_token_id):
        output = model(**batch)
        output.loss.backward()
        optimizer.step()
        schedule.step()
        optimizer.zero_grad()
        tokens += int(batch["attention_mask"].sum())
        loss = float(output.loss)
    runtime = time.perf_counter() - started
    model.eval()
    total, count = 0.0, 0
    with torch.inference_mode():
        for batch in _batches([_tokenize(tokenizer, row, settings.max_length) for row in data["validation"]],
                              settings.batch_size, tokenizer.pad_token_id):
            scored = int((batch["labels"][:, 1:] != -100).sum())
            total += float(model(**batch).loss) * scored
            count += scored
    return {"tokens": tokens, "runtime_s": runtime, "final_loss": loss, "eval_loss": total / count, "params": params}


def peak_flops() -> tuple[float, float]:
    """(fp32, bf16) FLOP/s of a 2048^3 matrix product on the cores this process may use, measured:
    the ceiling for the model's matmuls here. (An assumed bf16 peak of twice fp32 was half the
    real one on AMD Zen 4, whose AVX-512 BF16 products run ~4.4x faster than fp32.)"""
    import torch

    def measure(dtype: torch.dtype, size: int = 2048, repeats: int = 10) -> float:
        a, b = torch.randn(size, size, dtype=dtype), torch.randn(size, size, dtype=dtype)
        a @ b
        start = time.perf_counter()
        for _ in range(repeats):
            a @ b
        return repeats * 2 * size**3 / (time.perf_counter() - start)

    return measure(torch.float32), measure(torch.bfloat16)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=12)
    parser.add_argument("--child", nargs=3, metavar=("DATASET", "CONFIG", "WORK"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        dataset, name, work = args.child
        precision, packing = CONFIGS[name]
        row = (run_plain(Path(dataset), args.steps) if precision is None
               else run_trl(Path(dataset), precision, packing, args.steps, Path(work)))
        print(json.dumps({**row, "peak_rss_mb": _peak_rss_mb()}))
        return
    from llmops.train.lora_adapter import TrainSettings

    rows: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        cut, full = build_dataset(Path(tmp), args.steps * TrainSettings().batch_size)
        for name in CONFIGS:
            dataset = full if CONFIGS[name][1] else cut
            out = subprocess.run([sys.executable, __file__, "--steps", str(args.steps), "--child", str(dataset), name, tmp],
                                 capture_output=True, text=True, cwd=REPO)
            if out.returncode:
                raise SystemExit(f"{name} failed:\n{out.stderr[-3000:]}")
            rows[name] = json.loads(out.stdout.strip().splitlines()[-1])
    fp32_peak, bf16_peak = peak_flops()
    print(f"machine: {platform.processor() or platform.machine()}, {len(os.sched_getaffinity(0))} cores, "
          f"peak {fp32_peak / 1e9:.0f} GFLOP/s fp32, {bf16_peak / 1e9:.0f} GFLOP/s bf16 (measured matmul); {args.steps} steps")
    print(f"{'config':17} {'tokens':>7} {'tokens/s':>9} {'vs plain':>8} {'MFU':>6} {'loss':>7} {'eval_loss':>9} {'peak_rss_mb':>11}")
    base = rows["plain-fp32"]["tokens"] / rows["plain-fp32"]["runtime_s"]
    params = rows["plain-fp32"]["params"]  # the same base model in every configuration
    for name, row in rows.items():
        rate = row["tokens"] / row["runtime_s"]
        peak = bf16_peak if "bf16" in name else fp32_peak
        print(f"{name:17} {row['tokens']:>7} {rate:>9.1f} {rate / base:>7.2f}x {4 * params * rate / peak:>6.1%} "
              f"{row['final_loss']:>7.3f} {row['eval_loss']:>9.3f} {row['peak_rss_mb']:>11}")
    trl32 = rows["trl-fp32"]["tokens"] / rows["trl-fp32"]["runtime_s"]
    packed = rows["trl-bf16-packed"]["tokens"] / rows["trl-bf16-packed"]["runtime_s"]
    print(f"trl-fp32 / plain-fp32: {trl32 / base:.2f}x (target >= 0.9)")
    print(f"trl-bf16-packed / trl-fp32 effective tokens/s: {packed / trl32:.2f}x (target >= 2)")


if __name__ == "__main__":
    main()
