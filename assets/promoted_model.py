"""Asset: the registry decision: a new model version, and the champion alias only if it is better."""

from dagster import AssetExecutionContext, MetadataValue, Output, asset

from llmops.registry.promotion import PromotionPolicy, decide, log_promotion, register_and_decide
from orchestration.config import PromotionConfig, to_settings
from orchestration.resources import MlflowResource
from orchestration.k8s import k8s_op_tags


@asset(group_name="registry", kinds={"mlflow"}, op_tags=k8s_op_tags("promoted_model"))
def promoted_model(
    context: AssetExecutionContext,
    config: PromotionConfig,
    mlflow_tracking: MlflowResource,
    evaluation_report: dict,
    live_index: dict,
) -> Output[dict]:
    """Registers the candidate; moves `champion` only when it beats the current champion (or the base
    model, before the first promotion) on the primary metric. The reason is tagged on the version,
    with the index version serving reads beside it."""
    registry, policy = mlflow_tracking.registry(), to_settings(config, PromotionPolicy)
    decision = decide(evaluation_report["metrics"], policy)
    outcome = register_and_decide(
        registry,
        evaluation_report["model_uri"],
        decision,
        tags={"dagster_run_id": context.run_id, "data_version": evaluation_report["data_version"],
              "index_table": live_index["table"], "index_version": str(live_index["version"])},
    )
    promotion_run = log_promotion(outcome, policy, evaluation_report["run_id"])
    context.log.info(f"{'PROMOTED' if decision.promote else 'REJECTED'}: {decision.reason}")
    return Output(
        outcome,
        metadata={
            "decision": "promoted" if decision.promote else "rejected",
            "reason": decision.reason,
            "model_version": outcome["version"],
            "champion_version": outcome["champion"] if outcome["champion"] is not None else -1,
            "registry_uri": MetadataValue.text(registry.alias_uri()),
            "mlflow_run_id": promotion_run,
        },
    )
