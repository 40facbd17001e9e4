"""Promotion gate: register the candidate and move the ``champion`` alias only when it is better.

The decision and its reason are written on the model version as tags, so the registry itself
says why each version is (or is not) the champion. The old champion keeps a ``previous`` alias
for one-command rollback; manual promotion and rollback are recorded the same way.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import mlflow
from mlflow.exceptions import MlflowException
from mlflow.tracking import MlflowClient

from llmops.evaluation_report import METRIC_DIRECTIONS

CHAMPION, PREVIOUS = "champion", "previous"
DECISION_TAG, REASON_TAG = "promotion_decision", "promotion_reason"


@dataclass(frozen=True)
class PromotionPolicy:
    """The rule: the primary metric must improve by more than ``min_improvement`` (absolute), no
    guard metric may get worse by more than ``guard_tolerance`` (relative to the baseline), and
    the candidate may leak no more than ``max_pii_leaks`` personal values (metric ``pii_leaks``)."""

    primary_metric: str = "rouge_l"
    min_improvement: float = 0.0
    guard_metrics: tuple[str, ...] = ("token_f1", "perplexity")
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
        failures.append(f"{int(cand['pii_leaks'])} PII values leaked (allowed {policy.max_pii_leaks})")
    summary = f"candidate {primary}={cand[primary]:.4f} vs {baseline} {base[primary]:.4f} (gain {gain:+.4f})"
    reason = f"{summary}; " + ("; ".join(failures) if failures else "all guards hold")
    return Decision(not failures, reason, baseline, cand[primary], base[primary])


def current_champion(client: MlflowClient, model_name: str):
    """The champion model version, or None before the first promotion."""
    return aliased_version(client, model_name, CHAMPION)


def aliased_version(client: MlflowClient, model_name: str, alias: str):
    """The version an alias points at, or None."""
    try:
        return client.get_model_version_by_alias(model_name, alias)
    except MlflowException:
        return None


def _record(client: MlflowClient, model_name: str, version: str, decision: str, reason: str) -> None:
    client.set_model_version_tag(model_name, version, DECISION_TAG, decision)
    client.set_model_version_tag(model_name, version, REASON_TAG, reason)


def _make_champion(client: MlflowClient, model_name: str, version: str):
    """Point ``champion`` at ``version`` and ``previous`` at the champion it replaces."""
    old = current_champion(client, model_name)
    if old is not None and old.version != str(version):
        client.set_registered_model_alias(model_name, PREVIOUS, old.version)
    client.set_registered_model_alias(model_name, CHAMPION, str(version))
    return old


def register_and_decide(client: MlflowClient, model_name: str, model_uri: str, decision: Decision,
                        tags: dict[str, str] | None = None) -> dict:
    """Register ``model_uri`` as a new version, record the decision, move aliases if promoted."""
    version = mlflow.register_model(model_uri, model_name, tags=tags or {}).version
    _record(client, model_name, version, "promoted" if decision.promote else "rejected", decision.reason)
    old = _make_champion(client, model_name, version) if decision.promote else current_champion(client, model_name)
    return {"model_name": model_name, "version": int(version), "previous_champion": int(old.version) if old else None,
            "champion": int(version) if decision.promote else (int(old.version) if old else None),
            **asdict(decision)}


def promote_version(client: MlflowClient, model_name: str, version: int, reason: str) -> dict:
    """Manual promotion of an existing version (e.g. after a human review)."""
    client.get_model_version(model_name, str(version))  # fails clearly on an unknown version
    old = _make_champion(client, model_name, str(version))
    _record(client, model_name, str(version), "promoted", f"manual: {reason}")
    return {"champion": int(version), "previous": int(old.version) if old else None}


def rollback(client: MlflowClient, model_name: str, reason: str) -> dict:
    """Make the ``previous`` version champion again; the demoted version is tagged ``rolled_back``."""
    previous, champion = aliased_version(client, model_name, PREVIOUS), current_champion(client, model_name)
    if previous is None or champion is None:
        raise LookupError(f"model {model_name!r} has no {PREVIOUS!r} version to roll back to")
    client.set_registered_model_alias(model_name, CHAMPION, previous.version)
    client.delete_registered_model_alias(model_name, PREVIOUS)
    _record(client, model_name, champion.version, "rolled_back", reason)
    return {"champion": int(previous.version), "rolled_back": int(champion.version)}
