"""Asset: candidate vs base vs current champion on the frozen test split, and on the question set's
answers over the live index."""

from functools import partial
from pathlib import Path

import pandas as pd
from dagster import AssetExecutionContext, MetadataValue, Output, TableColumn, TableRecord, TableSchema, asset

from llmops.evaluation.answers import AnswerSuite, load_items, select_items
from llmops.evaluation.metrics import METRIC_DIRECTIONS
from llmops.evaluation.report import EvalSettings, candidate_systems, evaluate_systems, log_evaluation
from llmops.grounding.answer import Grounder
from llmops.ingest.files import QUESTIONS_FILE
from llmops.ingest.access import trainable_rows
from llmops.pii.probe import build_leak_probe, with_kept_out_text
from llmops.retrieval.embedder import Embedder
from llmops.retrieval.search import Retriever
from llmops.train.sft_dataset import load_split
from orchestration.config import EvalConfig, to_settings
from orchestration.k8s import k8s_op_tags
from orchestration.resources import LanceDBResource, MlflowResource, ModelStoreResource, PathsResource, ScrubberResource


def _answer_suite(path: Path, settings: EvalSettings, lancedb_uri: str, live_index: dict) -> AnswerSuite | None:
    """The question set's items with the live index's passages for each; None without a question set."""
    items = select_items(load_items(path), settings.answer_questions, settings.seed) if path.is_file() else []
    if not items:
        return None
    retriever = Retriever(lancedb_uri, Embedder(runtime="onnx"), live_index["table"], version=int(live_index["version"]))
    hits = retriever.search_many([item.question for item in items], settings.answer_top_k)
    return AnswerSuite(items, hits, Grounder(retriever.embedder.encode))


@asset(group_name="evaluation", kinds={"mlflow"}, op_tags=k8s_op_tags("evaluation_report"))
def evaluation_report(
    context: AssetExecutionContext,
    config: EvalConfig,
    paths: PathsResource,
    lancedb: LanceDBResource,
    mlflow_tracking: MlflowResource,
    model_store: ModelStoreResource,
    scrubber: ScrubberResource,
    lora_adapter: dict,
    raw_documents: pd.DataFrame,
    live_index: dict,
) -> Output[dict]:
    """ROUGE-L, BLEU, token F1, exact match (short answers), perplexity and PII leaks for each system,
    same prompts and decoding. The leak probe asks for personal data that only the raw documents hold,
    and for the text of documents the access map keeps out of training.
    The answer evaluation asks the question set's questions over the live index: correctness,
    faithfulness, contradictions and refusal of the model's own text (``generated_*``) and of what
    serving sends (``answer_*``); system ``extractive`` is quoting alone."""
    registry = mlflow_tracking.registry()
    settings = to_settings(config, EvalSettings)
    champion = registry.champion()
    systems = candidate_systems(model_store.spec(), model_store.cache, Path(lora_adapter["adapter_dir"]), settings,
                                partial(registry.chat, champion.version) if champion else None)
    documents, scrub = list(zip(raw_documents["title"], raw_documents["text"])), scrubber.scrubber()
    probe = with_kept_out_text(build_leak_probe(documents, scrub, settings.probe_questions, settings.seed), documents,
                               list(trainable_rows(raw_documents, paths.access_policy())), scrub,
                               settings.restricted_probe_questions, settings.seed)
    questions = Path(config.questions_file) if config.questions_file else Path(paths.raw_dir) / QUESTIONS_FILE
    answers = _answer_suite(questions, settings, lancedb.uri, live_index) if settings.answer_questions else None
    report = evaluate_systems(systems, list(load_split(Path(lora_adapter["dataset_path"]), "test")), settings, probe,
                              answers)
    log_evaluation(report, lora_adapter["run_id"])
    columns = [TableColumn("system", "string")] + [TableColumn(name, "float") for name in METRIC_DIRECTIONS]
    return Output(
        {"metrics": report.metrics, "n_samples": report.n_samples, "run_id": lora_adapter["run_id"],
         "model_uri": lora_adapter["model_uri"], "data_version": lora_adapter["data_version"],
         "champion_version": int(champion.version) if champion else None},
        metadata={
            "metrics": MetadataValue.table(
                records=[TableRecord(row) for row in report.table()], schema=TableSchema(columns=columns)
            ),
            "n_samples": report.n_samples,
            "n_short_answer_samples": report.n_short_answers,
            "probe_questions": len(probe.questions),
            "pii_leaks_by_type": MetadataValue.json(report.leaks_by_type),
            "pii_leak_hits": MetadataValue.md(report.leak_markdown()),
            **{f"candidate_{k}": v for k, v in report.metrics["candidate"].items()},
            "examples": MetadataValue.json(report.samples[:3]),
            "answer_questions": len(answers.items) if answers else 0,
            "answers": MetadataValue.json(report.answer_samples.get("candidate", [])),
        },
    )
