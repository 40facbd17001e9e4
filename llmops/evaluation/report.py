"""Candidate vs base (and vs the current champion) on the same frozen test split.

Every system answers the same prompts with the same decoding settings, so the table
compares models, not sampling luck.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from llmops.evaluation.answers import AnswerSuite
from llmops.train.base_model import BaseModelSpec
from llmops.train.chat_model import ChatModel, GenerationSettings, load_chat_model
from llmops.evaluation.metrics import LEAK_HITS_ARTIFACT, METRIC_DIRECTIONS, is_short_answer, text_metrics
from llmops.pii.probe import LeakHit, LeakProbe, compare_leaks, leak_counts
from llmops.train.sft_dataset import SHORT_ANSWER_WORDS, iter_pairs


@dataclass(frozen=True)
class EvalSettings:
    max_samples: int = 24
    max_new_tokens: int = 96
    seed: int = 0
    short_answer_words: int = SHORT_ANSWER_WORDS
    probe_questions: int = 8  # PII-leak probe prompts per system
    restricted_probe_questions: int = 4  # prompts asking for documents kept out of training (access groups)
    answer_questions: int = 12  # answer evaluation items per system (from the question set), 0: none
    answer_top_k: int = 4  # passages retrieved for each, as serving retrieves by default


@dataclass
class EvaluationReport:
    metrics: dict[str, dict[str, float]]  # system -> metric -> value
    n_samples: int
    samples: list[dict] = field(default_factory=list)  # prompt, reference and each system's answer
    n_short_answers: int = 0
    leak_hits: dict[str, list[LeakHit]] = field(default_factory=dict)  # system -> probe hits
    answer_samples: dict[str, list[dict]] = field(default_factory=dict)  # system -> the answer evaluation's items

    @property
    def leaks_by_type(self) -> dict[str, dict[str, int]]:
        """system -> entity type -> leaks (hits no other system also produced)."""
        return {system: dict(leak_counts(hits)) for system, hits in self.leak_hits.items()}

    def table(self) -> list[dict]:
        """One row per system, every metric a column (NaN where a system has none: ``extractive``
        answers only the answer evaluation), for MLflow and Dagster tables."""
        return [{"system": system, **{name: values.get(name, float("nan")) for name in METRIC_DIRECTIONS}}
                for system, values in self.metrics.items()]

    def markdown(self) -> str:
        names = list(METRIC_DIRECTIONS)
        lines = ["| system | " + " | ".join(names) + " |", "|---" * (len(names) + 1) + "|"]
        for system, values in self.metrics.items():
            lines.append(f"| {system} | " + " | ".join(f"{values.get(n, float('nan')):.4f}" for n in names) + " |")
        return "\n".join(lines)

    def leak_markdown(self) -> str:
        """Every probe hit with its context, for a person to judge why a candidate was held."""
        rows = [(system, hit) for system, hits in self.leak_hits.items() for hit in hits]
        if not rows:
            return "No probe hits." if self.leak_hits else "The PII-leak probe did not run."
        lines = ["| system | value | counted | source document | question | answer excerpt |", "|---" * 6 + "|"]
        for system, hit in rows:
            counted = "leak" if hit.is_leak else "no: also said by " + ", ".join(hit.also_said_by)
            lines.append("| " + " | ".join(map(_md_cell, (system, hit.masked, counted, hit.source, hit.question,
                                                           hit.excerpt))) + " |")
        return "\n".join(lines)


def _md_cell(text: str) -> str:
    """Text shown literally in a Markdown table cell (masks' stars, placeholders' angle brackets)."""
    text = re.sub(r"([\\`*_\[\]|])", r"\\\1", " ".join(text.split()))
    return text.replace("<", "&lt;").replace(">", "&gt;")


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


def candidate_systems(spec: BaseModelSpec, cache: Path, adapter_dir: Path, settings: EvalSettings,
                      champion: Callable[[], ChatModel] | None) -> dict[str, Callable[[], ChatModel]]:
    """What a candidate adapter is measured against: the base model it was trained from and, once
    there is one, the champion it would replace; each loaded when its turn comes."""
    generation = GenerationSettings(max_new_tokens=settings.max_new_tokens)
    systems = {"base": lambda: load_chat_model(spec, cache, generation=generation),
               "candidate": lambda: load_chat_model(spec, cache, adapter_dir, generation)}
    return systems | ({"champion": champion} if champion is not None else {})


def evaluate_systems(
    systems: dict[str, Callable[[], ChatModel]],
    test_examples: list[dict],
    settings: EvalSettings = EvalSettings(),
    probe: LeakProbe | None = None,
    answers: AnswerSuite | None = None,
) -> EvaluationReport:
    """Score each system (built lazily, one at a time, to bound memory) on the same items, and run
    the PII-leak probe and the answer evaluation (questions with retrieved passages and ground
    truth) on each when they are given; quoting alone is scored as system ``extractive``."""
    items = select_test_items(test_examples, settings)
    if not items:
        raise ValueError("the test split is empty: nothing to evaluate on")
    prompts, references = map(list, zip(*iter_pairs(items)))
    system_turns = [m for m in prompts[0] if m["role"] == "system"]
    probe_prompts = [[*system_turns, {"role": "user", "content": q}] for q in (probe.questions if probe else [])]
    answer_prompts = answers.prompts(system_turns[0]["content"] if system_turns else "") if answers else []
    metrics: dict[str, dict[str, float]] = {}
    answer_samples: dict[str, list[dict]] = {}
    found: dict[str, dict[str, LeakHit]] = {}
    samples = [{"question": p[-1]["content"], "reference": r} for p, r in zip(prompts, references)]
    for name, build in systems.items():
        chat = build()
        said = chat.generate(prompts + probe_prompts + answer_prompts, settings.max_new_tokens)
        said, probe_answers, grounded = (said[: len(prompts)], said[len(prompts):len(prompts) + len(probe_prompts)],
                                         said[len(prompts) + len(probe_prompts):])
        metrics[name] = {**text_metrics(said, references, settings.short_answer_words),
                         "perplexity": chat.perplexity(prompts, references)}
        if answers:
            figures, answer_samples[name] = answers.score(grounded)
            metrics[name].update(figures)
        if probe is not None:
            found[name] = probe.find_leaks(probe_answers)
        for sample, answer in zip(samples, said):
            sample[name] = answer
        del chat
    report = EvaluationReport(metrics, len(items), samples,
                              sum(is_short_answer(r, settings.short_answer_words) for r in references),
                              compare_leaks(found), answer_samples)
    for name, counts in report.leaks_by_type.items():
        metrics[name]["pii_leaks"] = float(sum(counts.values()))
    if answers:
        metrics["extractive"] = answers.extractive()
    return report


def log_evaluation(report: EvaluationReport, run_id: str) -> None:
    """Attach the comparison to the candidate's MLflow run: flat metrics plus two tables."""
    import mlflow
    import pandas as pd

    with mlflow.start_run(run_id=run_id):
        mlflow.log_metrics({f"eval_{system}_{name}": value for system, values in report.metrics.items()
                            for name, value in values.items()})
        mlflow.log_metrics({"eval_samples": report.n_samples, "eval_short_answer_samples": report.n_short_answers})
        if report.leak_hits:
            mlflow.log_dict(report.leaks_by_type, "evaluation/pii_leaks_by_type.json")
            hits = {system: [{**asdict(hit), "leak": hit.is_leak} for hit in system_hits]
                    for system, system_hits in report.leak_hits.items()}
            mlflow.log_dict(hits, LEAK_HITS_ARTIFACT)
        mlflow.log_table(pd.DataFrame(report.table()), artifact_file="evaluation/metrics.json")
        mlflow.log_table(pd.DataFrame(report.samples), artifact_file="evaluation/samples.json")
        for system, rows in report.answer_samples.items():
            mlflow.log_table(pd.DataFrame(rows), artifact_file=f"evaluation/answers_{system}.json")
