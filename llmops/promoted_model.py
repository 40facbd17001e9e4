"""Promotion gate: register the candidate and move the ``champion`` alias only when it is better.

The decision and its reason are written on the model version as tags, so the registry itself
says why each version is (or is not) the champion. The old champion keeps a ``previous`` alias
for one-step rollback.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import mlflow
from mlflow.exceptions import MlflowException
from mlflow.tracking import MlflowClient

from llmops.evaluation_report import METRIC_DIRECTIONS

CHAMPION, PREVIOUS = "champion", "previous"


@dataclass(frozen=True)
class PromotionPolicy:
    primary_metric: str = "rouge_l"
    min_improvement: float = 0.0  # absolute margin the candidate must beat the baseline by


@dataclass(frozen=True)
class Decision:
    promote: bool
    reason: str
    baseline: str  # "champion" or "base"
    candidate_score: float
    baseline_score: float


def decide(metrics: dict[str, dict[str, float]], policy: PromotionPolicy = PromotionPolicy()) -> Decision:
    """Compare candidate with the champion (or, before there is one, with the base model)."""
    if policy.primary_metric not in METRIC_DIRECTIONS:
        raise ValueError(f"unknown primary metric {policy.primary_metric!r}; one of {sorted(METRIC_DIRECTIONS)}")
    baseline = CHAMPION if CHAMPION in metrics else "base"
    if "candidate" not in metrics or baseline not in metrics:
        raise ValueError(f"evaluation lacks 'candidate' or {baseline!r}: {sorted(metrics)}")
    direction = METRIC_DIRECTIONS[policy.primary_metric]
    cand, base = metrics["candidate"][policy.primary_metric], metrics[baseline][policy.primary_metric]
    gain = (cand - base) * direction
    promote = gain > policy.min_improvement
    verdict = "beats" if promote else "does not beat"
    reason = (f"candidate {policy.primary_metric}={cand:.4f} {verdict} {baseline} {base:.4f} "
              f"(gain {gain:+.4f}, required > {policy.min_improvement:+.4f})")
    return Decision(promote, reason, baseline, cand, base)


def current_champion(client: MlflowClient, model_name: str):
    """The champion model version, or None before the first promotion."""
    try:
        return client.get_model_version_by_alias(model_name, CHAMPION)
    except MlflowException:
        return None


def register_and_decide(client: MlflowClient, model_name: str, model_uri: str, decision: Decision,
                        tags: dict[str, str] | None = None) -> dict:
    """Register ``model_uri`` as a new version, record the decision, move aliases if promoted."""
    version = mlflow.register_model(model_uri, model_name, tags=tags or {}).version
    old = current_champion(client, model_name)
    for key, value in {"promotion_decision": "promoted" if decision.promote else "rejected",
                       "promotion_reason": decision.reason}.items():
        client.set_model_version_tag(model_name, version, key, value)
    if decision.promote:
        if old is not None:
            client.set_registered_model_alias(model_name, PREVIOUS, old.version)
        client.set_registered_model_alias(model_name, CHAMPION, version)
    return {"model_name": model_name, "version": int(version), "previous_champion": int(old.version) if old else None,
            "champion": int(version) if decision.promote else (int(old.version) if old else None),
            **asdict(decision)}
