"""Manual registry control from the Dagster UI: promote a chosen version, or roll back."""

from dagster import Config, OpExecutionContext, job, op
from pydantic import Field

from llmops.registry.promotion import promote_version, rollback
from orchestration.resources import MlflowResource


class PromoteVersionConfig(Config):
    version: int = Field(description="registered model version to make champion")
    reason: str = Field("manual promotion from the Dagster UI", description="recorded on the version")


class RollbackConfig(Config):
    reason: str = Field("manual rollback from the Dagster UI", description="recorded on the demoted version")


@op
def promote_champion(context: OpExecutionContext, config: PromoteVersionConfig, mlflow_tracking: MlflowResource) -> dict:
    outcome = promote_version(mlflow_tracking.registry(), config.version, config.reason)
    context.log.info(f"champion is now v{outcome['champion']} (previous: v{outcome['previous']})")
    return outcome


@op
def rollback_to_previous(context: OpExecutionContext, config: RollbackConfig, mlflow_tracking: MlflowResource) -> dict:
    outcome = rollback(mlflow_tracking.registry(), config.reason)
    context.log.info(f"champion is now v{outcome['champion']}; v{outcome['rolled_back']} rolled back")
    return outcome


@job(description="Make a chosen registered model version the champion (the old one becomes `previous`).")
def promote_model_version() -> None:
    promote_champion()


@job(description="Make the `previous` model version the champion again.")
def rollback_champion() -> None:
    rollback_to_previous()
