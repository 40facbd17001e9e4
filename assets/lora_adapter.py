"""Asset: the LoRA adapter fine-tuned on the SFT dataset, tracked and logged in MLflow."""

import base64
from pathlib import Path

from dagster import AssetExecutionContext, MetadataValue, Output, asset

from llmops.train.lora_adapter import TrainSettings, train_lora, training_key
from orchestration.config import TrainConfig, to_settings
from orchestration.resources import MlflowResource, ModelStoreResource, PathsResource
from orchestration.k8s import k8s_op_tags


@asset(group_name="training", kinds={"pytorch", "mlflow"}, op_tags=k8s_op_tags("lora_adapter"))
def lora_adapter(
    context: AssetExecutionContext,
    config: TrainConfig,
    paths: PathsResource,
    mlflow_tracking: MlflowResource,
    model_store: ModelStoreResource,
    sft_dataset: dict,
) -> Output[dict]:
    """A LoRA fine-tune (trl SFTTrainer + peft) of the base model; one MLflow run per training job
    (a re-executed crashed job resumes its checkpoints and its run)."""
    mlflow_tracking.configure()
    settings, base = to_settings(config, TrainSettings), model_store.spec()
    # Keyed by data + recipe, not by run: re-executing a crashed run resumes its checkpoints.
    output_dir = paths.stage_dir("training", training_key(sft_dataset["version"], base, settings))
    result = train_lora(
        dataset_dir=Path(sft_dataset["path"]),
        output_dir=output_dir,
        base=base,
        model_cache=model_store.cache,
        settings=settings,
        system_prompt=sft_dataset["system_prompt"],
        tags={"dagster_run_id": context.run_id, "dagster_job": context.job_name},
    )
    metadata = {
        "mlflow_run_id": result.run_id,
        "model_uri": result.model_uri,
        "train_loss": result.train_loss,
        "first_logged_loss": result.loss_curve[0][1] if result.loss_curve else float("nan"),
        "steps": result.steps,
        "runtime_s": round(result.runtime_s, 1),
        "data_version": sft_dataset["version"],
        "adapter_dir": MetadataValue.path(str(result.adapter_dir)),
        "loss_curve": MetadataValue.md(" → ".join(f"{loss:.3f}" for _, loss in result.loss_curve)),
        "tokens_per_s": round(result.tokens / result.runtime_s, 1) if result.runtime_s else 0.0,
        "resumed_from": result.resumed_from or "none",
        "examples_over_max_length": result.over_length,
    }
    if result.loss_plot is not None:  # the UI renders markdown images; a data URI needs no file server
        encoded = base64.b64encode(result.loss_plot.read_bytes()).decode()
        metadata["loss_curve_plot"] = MetadataValue.md(f"![training loss](data:image/png;base64,{encoded})")
    if result.eval_loss is not None:
        metadata["eval_loss"] = result.eval_loss
    return Output(
        {"run_id": result.run_id, "model_uri": result.model_uri, "adapter_dir": str(result.adapter_dir),
         "dataset_path": sft_dataset["path"], "data_version": sft_dataset["version"]},
        metadata=metadata,
    )
