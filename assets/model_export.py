"""Asset (optional, own job): the champion, or a chosen version, exported as merged safetensors and GGUF."""

from dagster import AssetExecutionContext, Config, MetadataValue, Output, asset
from pydantic import Field

from llmops.registry.export import GGUF_DTYPES, export_version
from orchestration.resources import MlflowResource, PathsResource


class ModelExportConfig(Config):
    version: int | None = Field(None, description="registered model version to export (default: the champion)")
    gguf_dtype: str = Field("f16", description=f"GGUF weight type, one of {GGUF_DTYPES}")


@asset(group_name="export", kinds={"mlflow", "safetensors", "gguf"}, deps=["promoted_model"])
def model_export(context: AssetExecutionContext, config: ModelExportConfig, mlflow_tracking: MlflowResource,
                 paths: PathsResource) -> Output[dict]:
    """Merged model for other runtimes: a transformers folder and a llama.cpp GGUF file. Not part of
    `full_pipeline` (it writes ~1 GB per version); run the `export_model` job when someone needs it."""
    result = export_version(mlflow_tracking.registry(), config.version,
                            paths.stage_dir("exports"), config.gguf_dtype)
    context.log.info(f"exported {result.model_name} v{result.version} to {result.merged_dir} and {result.gguf_path}")
    metadata = result.as_metadata()
    return Output(metadata, metadata={**metadata, "gguf_path": MetadataValue.path(str(result.gguf_path)),
                                      "merged_dir": MetadataValue.path(str(result.merged_dir))})
