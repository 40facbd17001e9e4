"""One shape for the sensors that turn a monitoring asset's verdict into a retrain: read the
asset's latest materialization, skip with its reason, or request `full_pipeline` with the figures
behind the decision as run tags (what the Dagster UI shows as the run's "why")."""

import json
from collections.abc import Callable, Mapping

from dagster import (AssetKey, DefaultSensorStatus, EventLogEntry, RunRequest, SensorDefinition, SensorEvaluationContext,
                     SkipReason, asset_sensor)

from jobs import full_pipeline
from llmops.monitor.automation import REASON_TAG, TRIGGER_TAG

Figures = Mapping[str, object]


def build_retrain_sensor(*, asset: str, name: str, trigger: str, verdict: str, description: str,
                         run_key: Callable[[Figures, EventLogEntry], str], tagged: Callable[[Figures], Figures],
                         retrain_run_config: dict) -> SensorDefinition:
    """A sensor on ``asset`` whose metadata flag ``verdict`` requests a retrain tagged ``trigger``.

    ``run_key`` names what is being acted on (one retrain per drifted batch, per evaluation, ...);
    ``tagged`` picks the figures shown as ``llmops/<name>`` tags (text as is, anything else as JSON)."""

    @asset_sensor(asset_key=AssetKey(asset), name=name, job=full_pipeline, default_status=DefaultSensorStatus.RUNNING,
                  description=description)
    def retrain_sensor(context: SensorEvaluationContext, asset_event: EventLogEntry) -> RunRequest | SkipReason:
        figures = {key: value.value for key, value in asset_event.asset_materialization.metadata.items()}
        source = f"{asset} of run {asset_event.run_id[:8]}" if asset_event.run_id else f"{asset} (reported)"
        if not figures.get(verdict):
            return SkipReason(f"{source}: {figures.get('reason', 'no figures')}")
        tags = {f"llmops/{key}": value if isinstance(value, str) else json.dumps(value)
                for key, value in tagged(figures).items()}
        return RunRequest(run_key=f"{trigger}-{run_key(figures, asset_event)}", run_config=retrain_run_config, tags={
            TRIGGER_TAG: trigger, REASON_TAG: str(figures["reason"]), **tags,
            f"llmops/{asset}_run": asset_event.run_id or "none"})

    return retrain_sensor
