"""Assets: a model of its own for each access group the access map lists under ``adapters``: the
group's SFT datasets (what its members may read), the adapters trained on them, and the registry
decision for each. Serving answers a member of such a group with the group's champion
(`llmops.serving.models`). With no ``adapters`` these assets have nothing to do, and say so."""

from dataclasses import replace
from functools import partial
from pathlib import Path

import pandas as pd
from dagster import (AssetCheckResult, AssetCheckSeverity, AssetExecutionContext, AssetIn, DataVersion, MetadataValue,
                     Output, asset, asset_check)

from llmops.evaluation.report import EvalSettings, candidate_systems, evaluate_systems, log_evaluation
from llmops.ingest.access import outside, readable_rows
from llmops.pii.probe import build_leak_probe, with_kept_out_text
from llmops.registry.models import GROUP_TAG
from llmops.registry.promotion import PromotionPolicy, decide, log_promotion, register_and_decide, retire
from llmops.train.lora_adapter import TrainSettings, train_lora, training_key
from llmops.train.sft_dataset import Pair, SFTSettings, build_examples, load_split, save_dataset, source_documents
from orchestration.config import GroupModelsConfig, SFTDatasetConfig, TrainConfig, to_settings
from orchestration.k8s import k8s_op_tags
from orchestration.resources import MlflowResource, ModelStoreResource, PathsResource, ScrubberResource


def _table(rows: list[dict]) -> MetadataValue:
    """Rows of one dict per group as a markdown table (the UI shows per-group figures side by side)."""
    if not rows:
        return MetadataValue.md("no group has an adapter (`adapters` in the access map)")
    head = list(rows[0])
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(str(row[key]).replace("|", "\\|") for key in head) + " |" for row in rows]
    return MetadataValue.md("\n".join(lines))


@asset(group_name="training", kinds={"huggingface"}, op_tags=k8s_op_tags("group_sft_datasets"))
def group_sft_datasets(
    context: AssetExecutionContext, config: SFTDatasetConfig, paths: PathsResource, scrubbed_corpus: pd.DataFrame,
    feedback: list[dict],
) -> Output[dict]:
    """One SFT dataset per group in the access map's ``adapters``, built as the shared one is but from
    every document a member of the group may read (everyone's and the group's own); ``{}`` when no
    group has an adapter."""
    policy, settings = paths.access_policy(), to_settings(config, SFTSettings)
    corrections = [Pair(**pair) for pair in feedback]
    datasets, rows = {}, []
    for group in policy.adapters:
        readable = readable_rows(scrubbed_corpus, group)
        build = build_examples(scrubbed_corpus[readable], settings, corrections)
        if not build.examples["train"] or not build.examples["test"]:
            raise ValueError(f"group {group!r}: not enough instruction pairs to train and test: {build.counts()}")
        path = paths.stage_dir("datasets", "sft-groups", group) / build.version
        save_dataset(build, path)
        datasets[group] = {"path": str(path), "version": build.version, "counts": build.counts(),
                           "system_prompt": config.system_prompt}
        rows.append({"group": group, "documents_used": build.documents_used, **build.counts(), "version": build.version})
    version = ",".join(f"{group}={d['version']}" for group, d in datasets.items()) or "none"
    return Output(datasets, metadata={"adapters": MetadataValue.json(list(policy.adapters)), "by_group": _table(rows),
                                      "data_version": version}, data_version=DataVersion(version))


@asset_check(asset=group_sft_datasets, blocking=True, additional_ins={"scrubbed_corpus": AssetIn()}, description=(
    "Each group's dataset holds only documents a member of that group may read. Blocks its training on failure."))
def group_sft_datasets_access(group_sft_datasets: dict, scrubbed_corpus: pd.DataFrame) -> AssetCheckResult:
    found = {group: outside(source_documents(Path(dataset["path"]), dataset["counts"]), scrubbed_corpus,
                            readable_rows(scrubbed_corpus, group))
             for group, dataset in group_sft_datasets.items()}
    return AssetCheckResult(passed=not any(found.values()), severity=AssetCheckSeverity.ERROR,
                            metadata={"groups": len(found), "unreadable_in_dataset": sum(map(len, found.values())),
                                      "unreadable_doc_ids": MetadataValue.json({g: ids[:20] for g, ids in found.items() if ids})})


@asset(group_name="training", kinds={"pytorch", "mlflow"}, op_tags=k8s_op_tags("group_adapters"))
def group_adapters(
    context: AssetExecutionContext, config: TrainConfig, paths: PathsResource, mlflow_tracking: MlflowResource,
    model_store: ModelStoreResource, group_sft_datasets: dict,
) -> Output[dict]:
    """A LoRA fine-tune of the base model for each group's dataset, with the recipe of the shared
    adapter; one MLflow run each, tagged with its group."""
    if group_sft_datasets:
        mlflow_tracking.configure()
    settings, base = to_settings(config, TrainSettings), model_store.spec()
    adapters, rows = {}, []
    for group, dataset in group_sft_datasets.items():
        result = train_lora(
            dataset_dir=Path(dataset["path"]),
            output_dir=paths.stage_dir("training", training_key(dataset["version"], base, settings)),
            base=base, model_cache=model_store.cache, settings=settings, system_prompt=dataset["system_prompt"],
            tags={"dagster_run_id": context.run_id, "dagster_job": context.job_name, GROUP_TAG: group},
        )
        adapters[group] = {"run_id": result.run_id, "model_uri": result.model_uri, "adapter_dir": str(result.adapter_dir),
                           "dataset_path": dataset["path"], "data_version": dataset["version"]}
        rows.append({"group": group, "train_loss": round(result.train_loss, 4), "steps": result.steps,
                     "runtime_s": round(result.runtime_s, 1), "mlflow_run_id": result.run_id})
    return Output(adapters, metadata={"adapters": len(adapters), "by_group": _table(rows)})


@asset(group_name="registry", kinds={"mlflow"}, op_tags=k8s_op_tags("group_models"))
def group_models(
    context: AssetExecutionContext, config: GroupModelsConfig, mlflow_tracking: MlflowResource,
    model_store: ModelStoreResource, scrubber: ScrubberResource, group_adapters: dict, raw_documents: pd.DataFrame,
) -> Output[dict]:
    """Each group's adapter against the base model and the group's own champion on the group's test
    split; the leak probe asks for personal data and for the documents the group may not read. The
    adapter is registered as a version of the group's model (`ModelRegistry.for_group`) and becomes
    its champion only through the shared model's gate. A group no longer listed in ``adapters`` has
    its champion retired, so serving stops answering with it."""
    shared = mlflow_tracking.registry()
    settings = replace(to_settings(config.evaluation, EvalSettings), answer_questions=0)
    policy = to_settings(config.promotion, PromotionPolicy)
    documents = list(zip(raw_documents["title"], raw_documents["text"]))
    if group_adapters:  # personal data found once (spaCy over every document), asked of every group's model
        scrub = scrubber.scrubber()
        personal = build_leak_probe(documents, scrub, settings.probe_questions, settings.seed)
    outcomes, rows = {}, []
    for group, adapter in group_adapters.items():
        registry = shared.for_group(group)
        champion = registry.champion()
        systems = candidate_systems(model_store.spec(), model_store.cache, Path(adapter["adapter_dir"]), settings,
                                    partial(registry.chat, champion.version) if champion else None)
        probe = with_kept_out_text(personal, documents, list(readable_rows(raw_documents, group)), scrub,
                                   settings.restricted_probe_questions, settings.seed)
        report = evaluate_systems(systems, list(load_split(Path(adapter["dataset_path"]), "test")), settings, probe)
        log_evaluation(report, adapter["run_id"])
        decision = decide(report.metrics, policy)
        outcome = register_and_decide(registry, adapter["model_uri"], decision, tags={
            "dagster_run_id": context.run_id, "data_version": adapter["data_version"], GROUP_TAG: group})
        log_promotion(outcome, policy, adapter["run_id"])
        context.log.info(f"group {group}: {'PROMOTED' if decision.promote else 'REJECTED'}: {decision.reason}")
        outcomes[group] = {**outcome, "metrics": report.metrics}
        rows.append({"group": group, "model": registry.name, "version": outcome["version"],
                     "decision": "promoted" if decision.promote else "rejected", "champion": outcome["champion"],
                     "leaks": int(report.metrics["candidate"].get("pii_leaks", 0)), "reason": decision.reason})
    retired = {group: version for group, registry in shared.group_models().items() if group not in group_adapters
               for version in [retire(registry, "its group is no longer listed in the access map's adapters")]
               if version is not None}
    return Output({"groups": outcomes, "retired": retired},
                  metadata={"by_group": _table(rows), "retired": MetadataValue.json(retired),
                            "promoted": sum(o["promote"] for o in outcomes.values())})
