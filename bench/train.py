"""Training throughput of the pipeline's LoRA trainer: fp32 vs bf16 autocast, same data, same run.

Each configuration trains in its own child process (so its peak memory is its own) on the SFT
dataset built from the shipped sample corpus, and reports non-padding tokens/s. Usage:

    .venv/bin/python bench/train.py [--steps 12]
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def build_dataset(work: Path) -> Path:
    from llmops.pii import Scrubber
    from llmops.raw_documents import read_documents
    from llmops.scrubbed_corpus import scrub_documents
    from llmops.sft_dataset import build_examples, save_dataset
    from orchestration.config import default_allow_list

    corpus, _ = scrub_documents(read_documents(REPO / "data" / "sample").to_frame(),
                                Scrubber.with_allow_list(default_allow_list()))
    path = work / "sft"
    save_dataset(build_examples(corpus), path)
    return path


def run_one(dataset: Path, precision: str, steps: int, work: Path) -> dict:
    from llmops.base_model import BaseModelSpec
    from llmops.lora_adapter import TrainSettings, train_lora
    from llmops.settings import Settings
    from llmops.tracking import configure_mlflow

    configure_mlflow(f"sqlite:///{work}/mlflow.db", "bench", str(work / "artifacts"))
    result = train_lora(dataset, work / precision, BaseModelSpec(), Settings.from_env().model_cache,
                        TrainSettings(max_steps=steps, logging_steps=steps, precision=precision), "bench")
    return {"precision": precision, "steps": result.steps, "tokens": result.tokens,
            "runtime_s": round(result.runtime_s, 2), "tokens_per_s": round(result.tokens / result.runtime_s, 1),
            "final_loss": round(result.loss_curve[-1][1], 4),
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--steps", type=int, default=12)
    parser.add_argument("--child", nargs=3, metavar=("DATASET", "PRECISION", "WORK"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        dataset, precision, work = args.child
        print(json.dumps(run_one(Path(dataset), precision, args.steps, Path(work))))
        return
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        dataset = build_dataset(work)
        rows = []
        for precision in ("fp32", "bf16"):
            out = subprocess.run([sys.executable, __file__, "--steps", str(args.steps), "--child", str(dataset), precision, str(work)],
                                 capture_output=True, text=True, check=True, cwd=REPO)
            rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(f"machine: {platform.processor() or platform.machine()}, {__import__('os').cpu_count()} cores")
    print(f"{'precision':10} {'tokens/s':>9} {'runtime_s':>9} {'loss':>7} {'peak_rss_mb':>11}")
    for row in rows:
        print(f"{row['precision']:10} "
              f"{row['tokens_per_s']:>9} {row['runtime_s']:>9} {row['final_loss']:>7} {row['peak_rss_mb']:>11}")
    print(f"bf16 / fp32 tokens/s ratio: {rows[1]['tokens_per_s'] / rows[0]['tokens_per_s']:.2f}x")


if __name__ == "__main__":
    main()
