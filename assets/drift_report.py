"""Asset: drift of newly arrived documents against the corpus the champion was trained on, with a plot."""

from pathlib import Path

import pandas as pd
from dagster import AssetExecutionContext, MetadataValue, Output, asset

from llmops.monitor.drift import REFERENCE_FILE, DriftSettings, compare, load_profile, plot_png, png_markdown
from llmops.retrieval.embedder import Embedder
from orchestration.config import DriftConfig, to_settings
from orchestration.resources import MlflowResource, PathsResource


def _not_measured(reason: str, **extra: object) -> Output[dict]:
    return Output({"measured": False, "drifted": False, "reason": reason, **extra},
                  metadata={"drifted": False, "reason": reason, **extra})


@asset(group_name="monitoring", kinds={"python"})
def drift_report(
    context: AssetExecutionContext, config: DriftConfig, paths: PathsResource, mlflow_tracking: MlflowResource,
    scrubbed_corpus: pd.DataFrame,
) -> Output[dict]:
    """PSI of length, vocabulary and embedding projections between the documents the champion has
    not seen and its training corpus. The `drift_sensor` reads these figures to decide on retraining."""
    champion = mlflow_tracking.registry().champion()
    if champion is None:
        return _not_measured("no champion yet: nothing to compare with (train one with full_pipeline)")
    data_version = champion.tags.get("data_version", "")
    dataset_dir = Path(paths.home) / "datasets" / "sft" / data_version
    if not data_version or not (dataset_dir / REFERENCE_FILE).exists():
        return _not_measured(f"champion v{champion.version} has no recorded training corpus ({dataset_dir / REFERENCE_FILE})",
                             champion_version=int(champion.version))
    settings = to_settings(config, DriftSettings)
    embed = Embedder().encode
    profile = load_profile(dataset_dir, embed, settings)
    report = compare(profile, scrubbed_corpus, embed, settings)
    plot = paths.stage_dir("drift", context.run_id) / "drift.png"
    png = plot_png(profile, report)
    plot.write_bytes(png)
    context.log.info(report.reason)
    figures = {**report.figures(), "measured": report.measured, "reason": report.reason,
               "champion_version": int(champion.version), "reference_data_version": data_version}
    return Output(figures, metadata={**figures, "plot": MetadataValue.md(png_markdown(png)),
                                     "plot_file": MetadataValue.path(str(plot))})
