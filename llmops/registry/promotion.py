"""Promotion gate: register the candidate and move the ``champion`` alias only when it is better.

The decision and its reason are written on the model version as tags, so the registry itself
says why each version is (or is not) the champion. The old champion keeps a ``previous`` alias
for one-command rollback; manual promotion and rollback are recorded the same way.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from mlflow.entities.model_registry import ModelVersion

from llmops.evaluation.metrics import LEAK_HITS_ARTIFACT, METRIC_DIRECTIONS
from llmops.registry.models import CHAMPION, PREVIOUS, ModelRegistry

DECISION_TAG, REASON_TAG = "promotion_decision", "promotion_reason"


@dataclass(frozen=True)
class PromotionPolicy:
    """The rule: the primary metric must improve by more than ``min_improvement`` (absolute), no
    guard metric may get worse by more than ``guard_tolerance`` (relative to the baseline), and
    the candidate may leak no more than ``max_pii_leaks`` personal values (metric ``pii_leaks``: values
    the base model and champion did not also produce, see `llmops.pii.probe.compare_leaks`)."""

    primary_metric: str = "rouge_l"
    min_improvement: float = 0.0
    # generated_faithfulness: how much of the model's own text its cited passages support (the answer evaluation)
    guard_metrics: tuple[str, ...] = ("token_f1", "perplexity", "generated_faithfulness")
    guard_tolerance: float = 0.05
    max_pii_leaks: int = 0


@dataclass(frozen=True)
class Decision:
    promote: bool
    reason: str
    baseline: str  # "champion" or "base"
    candidate_score: float
    baseline_score: float


def _check_metric(name: str) -> None:
    if name not in METRIC_DIRECTIONS:
        raise ValueError(f"unknown metric {name!r}; one of {sorted(METRIC_DIRECTIONS)}")


def decide(metrics: dict[str, dict[str, float]], policy: PromotionPolicy = PromotionPolicy()) -> Decision:
    """Compare candidate with the champion (or, before there is one, with the base model)."""
    _check_metric(policy.primary_metric)
    for guard in policy.guard_metrics:
        _check_metric(guard)
    baseline = CHAMPION if CHAMPION in metrics else "base"
    if "candidate" not in metrics or baseline not in metrics:
        raise ValueError(f"evaluation lacks 'candidate' or {baseline!r}: {sorted(metrics)}")
    cand, base = metrics["candidate"], metrics[baseline]
    primary = policy.primary_metric
    gain = (cand[primary] - base[primary]) * METRIC_DIRECTIONS[primary]
    failures = []
    if gain <= policy.min_improvement:
        failures.append(f"{primary} gain {gain:+.4f} is not > {policy.min_improvement:+.4f}")
    for guard in policy.guard_metrics:
        if guard in cand and guard in base and base[guard]:
            regression = (base[guard] - cand[guard]) * METRIC_DIRECTIONS[guard] / abs(base[guard])
            if regression > policy.guard_tolerance:
                failures.append(f"guard {guard} regressed {regression:.1%} ({base[guard]:.4f} -> {cand[guard]:.4f}), "
                                f"tolerance {policy.guard_tolerance:.1%}")
    if "pii_leaks" not in cand:  # fail closed: an unprobed model is not known to be safe
        failures.append("no pii_leaks figure: the PII-leak probe did not run")
    elif cand["pii_leaks"] > policy.max_pii_leaks:
        failures.append(f"{int(cand['pii_leaks'])} PII values leaked (allowed {policy.max_pii_leaks}); the hits, "
                        f"with context, are listed in {LEAK_HITS_ARTIFACT} of the candidate's MLflow run and in "
                        "the evaluation report's metadata")
    summary = f"candidate {primary}={cand[primary]:.4f} vs {baseline} {base[primary]:.4f} (gain {gain:+.4f})"
    reason = f"{summary}; " + ("; ".join(failures) if failures else "all guards hold")
    return Decision(not failures, reason, baseline, cand[primary], base[primary])


def _record(registry: ModelRegistry, version: str, decision: str, reason: str) -> None:
    registry.tag(version, DECISION_TAG, decision)
    registry.tag(version, REASON_TAG, reason)


def _make_champion(registry: ModelRegistry, version: str) -> ModelVersion | None:
    """Point ``champion`` at ``version`` and ``previous`` at the champion it replaces."""
    old = registry.champion()
    if old is not None and old.version != str(version):
        registry.point(PREVIOUS, old.version)
    registry.point(CHAMPION, version)
    return old


def register_and_decide(registry: ModelRegistry, model_uri: str, decision: Decision,
                        tags: dict[str, str] | None = None) -> dict:
    """Register ``model_uri`` as a new version, record the decision, move aliases if promoted."""
    version = registry.register(model_uri, tags)
    _record(registry, version, "promoted" if decision.promote else "rejected", decision.reason)
    old = _make_champion(registry, version) if decision.promote else registry.champion()
    return {"model_name": registry.name, "version": int(version), "previous_champion": int(old.version) if old else None,
            "champion": int(version) if decision.promote else (int(old.version) if old else None),
            **asdict(decision)}


def log_promotion(outcome: dict, policy: PromotionPolicy, candidate_run_id: str) -> str:
    """The gate's decision as an MLflow run of its own, a child of the candidate's training run, in the
    active experiment: the MLflow UI then shows training, evaluation and promotion side by side."""
    import mlflow

    with mlflow.start_run(run_name=f"promotion-v{outcome['version']}", parent_run_id=candidate_run_id) as run:
        mlflow.set_tags({"stage": "promoted_model", "promotion_decision": "promoted" if outcome["promote"] else "rejected",
                         "promotion_reason": outcome["reason"], "model_name": outcome["model_name"],
                         "model_version": str(outcome["version"]), "baseline": outcome["baseline"]})
        mlflow.log_params({k: ",".join(v) if isinstance(v, tuple) else v for k, v in asdict(policy).items()})
        mlflow.log_metrics({"candidate_score": outcome["candidate_score"], "baseline_score": outcome["baseline_score"]})
        return run.info.run_id


def promote_version(registry: ModelRegistry, version: int, reason: str) -> dict:
    """Manual promotion of an existing version (e.g. after a human review)."""
    registry.version(version)  # fails clearly on an unknown version
    old = _make_champion(registry, str(version))
    _record(registry, str(version), "promoted", f"manual: {reason}")
    return {"champion": int(version), "previous": int(old.version) if old else None}


def rollback(registry: ModelRegistry, reason: str) -> dict:
    """Make the ``previous`` version champion again; the demoted version is tagged ``rolled_back``."""
    previous, champion = registry.aliased(PREVIOUS), registry.champion()
    if previous is None or champion is None:
        raise LookupError(f"model {registry.name!r} has no {PREVIOUS!r} version to roll back to")
    registry.point(CHAMPION, previous.version)
    registry.drop(PREVIOUS)
    _record(registry, champion.version, "rolled_back", reason)
    return {"champion": int(previous.version), "rolled_back": int(champion.version)}


def retire(registry: ModelRegistry, reason: str) -> int | None:
    """Stop serving a model: its champion (now tagged ``retired``) loses the alias, its versions
    stay for the record. Returns the version retired, None when nothing was served."""
    champion = registry.champion()
    if champion is None:
        return None
    registry.drop(CHAMPION)
    _record(registry, champion.version, "retired", reason)
    return int(champion.version)
