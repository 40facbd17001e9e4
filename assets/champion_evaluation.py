"""Asset: the champion re-evaluated on fresh held-out data, with the live feedback rate of the
champion's version; the `regression_sensor` retrains when either has worsened."""

import time
from dataclasses import asdict
from functools import partial
from pathlib import Path

from dagster import AssetExecutionContext, MetadataValue, Output, asset

from llmops.monitor.automation import NO_FEEDBACK, RegressionPolicy, assess_regression, feedback_rates_by_version
from llmops.evaluation.report import EvalSettings, evaluate_systems
from llmops.monitor.feedback import FeedbackStore, served_model_id
from llmops.train.sft_dataset import load_split
from orchestration.config import ChampionEvaluationConfig, to_settings
from orchestration.resources import MlflowResource, PathsResource


@asset(group_name="monitoring", kinds={"mlflow"})
def champion_evaluation(
    context: AssetExecutionContext, config: ChampionEvaluationConfig, paths: PathsResource,
    mlflow_tracking: MlflowResource, sft_dataset: dict,
) -> Output[dict]:
    """The champion on the test split of the newest SFT dataset vs its own score at promotion
    (metric ``eval_candidate_<metric>`` of its training run), and recent vs earlier negative feedback
    on the answers of that same version (ratings of earlier champions are shown, not counted)."""
    registry = mlflow_tracking.registry()
    champion = registry.champion()
    if champion is None:
        reason = "no champion yet: nothing to evaluate"
        return Output({"evaluated": False, "regressed": False, "reason": reason},
                      metadata={"regressed": False, "reason": reason})
    policy = to_settings(config, RegressionPolicy)
    report = evaluate_systems({"champion": partial(registry.chat, champion.version)},
                              list(load_split(Path(sft_dataset["path"]), "test")), to_settings(config, EvalSettings))
    promoted = registry.client.get_run(champion.run_id).data.metrics.get(f"eval_candidate_{policy.primary_metric}") \
        if champion.run_id else None
    by_version = feedback_rates_by_version(FeedbackStore(paths.feedback_path()).read().records, time.time(),
                                           policy.feedback_window_hours)
    champion_id = served_model_id(mlflow_tracking.model_name, champion.version)
    verdict = assess_regression(promoted, report.metrics["champion"][policy.primary_metric],
                                by_version.get(champion_id, NO_FEEDBACK), policy, champion_id)
    context.log.info(verdict.reason)
    summary = {**verdict.summary(), "evaluated": True, "champion_version": int(champion.version),
               "data_version": sft_dataset["version"], "n_samples": report.n_samples,
               "feedback_by_version": {version: asdict(rates) for version, rates in by_version.items()}}
    return Output(summary, metadata={**summary, "feedback_by_version": MetadataValue.json(summary["feedback_by_version"])})
