"""Candidate vs base (and vs the current champion) on the same frozen test split.

Every system answers the same prompts with the same decoding settings, so the table
compares models, not sampling luck.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from llmops.chat_model import ChatModel
from llmops.metrics import text_metrics
from llmops.sft_dataset import iter_pairs

METRIC_DIRECTIONS = {"rouge_l": 1, "bleu": 1, "token_f1": 1, "exact_match": 1, "perplexity": -1}


@dataclass(frozen=True)
class EvalSettings:
    max_samples: int = 24
    max_new_tokens: int = 96
    seed: int = 0


@dataclass
class EvaluationReport:
    metrics: dict[str, dict[str, float]]  # system -> metric -> value
    n_samples: int
    samples: list[dict] = field(default_factory=list)  # prompt, reference and each system's answer

    def table(self) -> list[dict]:
        """One row per system, metrics as columns (for MLflow and Dagster tables)."""
        return [{"system": system, **values} for system, values in self.metrics.items()]

    def markdown(self) -> str:
        names = list(METRIC_DIRECTIONS)
        lines = ["| system | " + " | ".join(names) + " |", "|---" * (len(names) + 1) + "|"]
        for system, values in self.metrics.items():
            lines.append(f"| {system} | " + " | ".join(f"{values[n]:.4f}" for n in names) + " |")
        return "\n".join(lines)


def select_test_items(test_examples: list[dict], settings: EvalSettings) -> list[dict]:
    """A fixed, seeded subset of the test split (the same for every system)."""
    items = list(test_examples)
    if len(items) > settings.max_samples:
        items = random.Random(settings.seed).sample(items, settings.max_samples)
    return items


def evaluate_systems(
    systems: dict[str, Callable[[], ChatModel]],
    test_examples: list[dict],
    settings: EvalSettings = EvalSettings(),
) -> EvaluationReport:
    """Score each system (built lazily, one at a time, to bound memory) on the same items."""
    items = select_test_items(test_examples, settings)
    if not items:
        raise ValueError("the test split is empty: nothing to evaluate on")
    prompts, references = map(list, zip(*iter_pairs(items)))
    metrics: dict[str, dict[str, float]] = {}
    samples = [{"question": p[-1]["content"], "reference": r} for p, r in zip(prompts, references)]
    for name, build in systems.items():
        chat = build()
        answers = chat.generate(prompts, settings.max_new_tokens)
        metrics[name] = {**text_metrics(answers, references), "perplexity": chat.perplexity(prompts, references)}
        for sample, answer in zip(samples, answers):
            sample[name] = answer
        del chat
    return EvaluationReport(metrics, len(items), samples)


def log_evaluation(report: EvaluationReport, run_id: str) -> None:
    """Attach the comparison to the candidate's MLflow run: flat metrics plus two tables."""
    import mlflow
    import pandas as pd

    with mlflow.start_run(run_id=run_id):
        mlflow.log_metrics({f"eval_{system}_{name}": value for system, values in report.metrics.items()
                            for name, value in values.items()})
        mlflow.log_metric("eval_samples", report.n_samples)
        mlflow.log_table(pd.DataFrame(report.table()), artifact_file="evaluation/metrics.json")
        mlflow.log_table(pd.DataFrame(report.samples), artifact_file="evaluation/samples.json")
