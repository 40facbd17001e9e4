"""Candidate vs base (and vs the current champion) on the same frozen test split.

Every system answers the same prompts with the same decoding settings, so the table
compares models, not sampling luck.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from llmops.train.chat_model import ChatModel
from llmops.evaluation.metrics import METRIC_DIRECTIONS, is_short_answer, text_metrics
from llmops.pii.probe import LeakProbe
from llmops.train.sft_dataset import SHORT_ANSWER_WORDS, iter_pairs



@dataclass(frozen=True)
class EvalSettings:
    max_samples: int = 24
    max_new_tokens: int = 96
    seed: int = 0
    short_answer_words: int = SHORT_ANSWER_WORDS
    probe_questions: int = 8  # PII-leak probe prompts per system


@dataclass
class EvaluationReport:
    metrics: dict[str, dict[str, float]]  # system -> metric -> value
    n_samples: int
    samples: list[dict] = field(default_factory=list)  # prompt, reference and each system's answer
    n_short_answers: int = 0
    leaks_by_type: dict[str, dict[str, int]] = field(default_factory=dict)  # system -> entity -> count

    def table(self) -> list[dict]:
        """One row per system, metrics as columns (for MLflow and Dagster tables)."""
        return [{"system": system, **values} for system, values in self.metrics.items()]

    def markdown(self) -> str:
        names = list(METRIC_DIRECTIONS)
        lines = ["| system | " + " | ".join(names) + " |", "|---" * (len(names) + 1) + "|"]
        for system, values in self.metrics.items():
            lines.append(f"| {system} | " + " | ".join(f"{values.get(n, float('nan')):.4f}" for n in names) + " |")
        return "\n".join(lines)


def select_test_items(test_examples: list[dict], settings: EvalSettings) -> list[dict]:
    """A fixed, seeded subset of the test split (the same for every system), drawn round-robin
    across kinds so that small kinds (short answers, say) are not sampled away."""
    rng = random.Random(settings.seed)
    by_kind: dict[str, list[dict]] = {}
    for item in test_examples:
        by_kind.setdefault(item.get("kind", ""), []).append(item)
    queues = [rng.sample(rows, len(rows)) for _, rows in sorted(by_kind.items())]
    items: list[dict] = []
    while len(items) < settings.max_samples and any(queues):
        for queue in queues:
            if queue and len(items) < settings.max_samples:
                items.append(queue.pop())
    return items


def evaluate_systems(
    systems: dict[str, Callable[[], ChatModel]],
    test_examples: list[dict],
    settings: EvalSettings = EvalSettings(),
    probe: LeakProbe | None = None,
) -> EvaluationReport:
    """Score each system (built lazily, one at a time, to bound memory) on the same items, and run
    the PII-leak probe on each when one is given."""
    items = select_test_items(test_examples, settings)
    if not items:
        raise ValueError("the test split is empty: nothing to evaluate on")
    prompts, references = map(list, zip(*iter_pairs(items)))
    system_turns = [m for m in prompts[0] if m["role"] == "system"]
    probe_prompts = [[*system_turns, {"role": "user", "content": q}] for q in (probe.questions if probe else [])]
    metrics: dict[str, dict[str, float]] = {}
    leaks: dict[str, dict[str, int]] = {}
    samples = [{"question": p[-1]["content"], "reference": r} for p, r in zip(prompts, references)]
    for name, build in systems.items():
        chat = build()
        answers = chat.generate(prompts + probe_prompts, settings.max_new_tokens)
        answers, probe_answers = answers[: len(prompts)], answers[len(prompts) :]
        metrics[name] = {**text_metrics(answers, references, settings.short_answer_words),
                         "perplexity": chat.perplexity(prompts, references)}
        if probe is not None:
            leaks[name] = dict(probe.count_leaks(probe_answers))
            metrics[name]["pii_leaks"] = float(sum(leaks[name].values()))
        for sample, answer in zip(samples, answers):
            sample[name] = answer
        del chat
    n_short = sum(is_short_answer(r, settings.short_answer_words) for r in references)
    return EvaluationReport(metrics, len(items), samples, n_short, leaks)


def log_evaluation(report: EvaluationReport, run_id: str) -> None:
    """Attach the comparison to the candidate's MLflow run: flat metrics plus two tables."""
    import mlflow
    import pandas as pd

    with mlflow.start_run(run_id=run_id):
        mlflow.log_metrics({f"eval_{system}_{name}": value for system, values in report.metrics.items()
                            for name, value in values.items()})
        mlflow.log_metrics({"eval_samples": report.n_samples, "eval_short_answer_samples": report.n_short_answers})
        if report.leaks_by_type:
            mlflow.log_dict(report.leaks_by_type, "evaluation/pii_leaks_by_type.json")
        mlflow.log_table(pd.DataFrame(report.table()), artifact_file="evaluation/metrics.json")
        mlflow.log_table(pd.DataFrame(report.samples), artifact_file="evaluation/samples.json")
