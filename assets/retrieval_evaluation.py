"""Assets: how well the new index version retrieves, compared with the live one, and the gate that
lets it go live for serving."""

from pathlib import Path

import pandas as pd
from dagster import AssetExecutionContext, MetadataValue, Output, asset

from llmops.ingest.files import QUESTIONS_FILE
from llmops.retrieval.embedder import Embedder
from llmops.retrieval.evaluation import (GateDecision, IndexGate, ModeResult, answerable, evaluate, gate, load_questions, log_to_mlflow,
                                         misses)
from llmops.retrieval.live import go_live, live_version
from llmops.retrieval.search import MODES, Retriever, SearchSettings
from orchestration.config import RetrievalEvaluationConfig, to_settings
from orchestration.k8s import k8s_op_tags
from orchestration.resources import LanceDBResource, MlflowResource, PathsResource


def _markdown(results: dict[str, ModeResult]) -> str:
    names = list(next(iter(results.values())).metrics)
    rows = [f"| {mode} | " + " | ".join(f"{result.metrics[n]:.3f}" for n in names) + " |" for mode, result in results.items()]
    return "\n".join([f"| mode | {' | '.join(names)} |", "|---" * (len(names) + 1) + "|", *rows])


@asset(group_name="retrieval", kinds={"lancedb", "mlflow"}, op_tags=k8s_op_tags("retrieval_evaluation"))
def retrieval_evaluation(
    context: AssetExecutionContext,
    config: RetrievalEvaluationConfig,
    paths: PathsResource,
    lancedb: LanceDBResource,
    mlflow_tracking: MlflowResource,
    vector_index: dict,
    scrubbed_corpus: pd.DataFrame,
) -> Output[dict]:
    """hit@1/3/5/10, MRR and nDCG@10 of every search mode on the new index version and on the live
    one, same questions (the raw folder's questions.jsonl); and whether the new version may go live."""
    serving = SearchSettings(mode=config.search_mode).mode  # a misspelt mode fails here, before anything runs
    path = Path(config.questions_file) if config.questions_file else Path(paths.raw_dir) / QUESTIONS_FILE
    table, version = vector_index["table"], int(vector_index["version"])
    embedder = Embedder(runtime="onnx")
    candidate = Retriever(lancedb.uri, embedder, table, version=version)
    live = live_version(candidate.db.open_table(table))
    summary = {"table": table, "candidate_version": version, "live_version": live, "questions_file": str(path)}
    if not path.is_file():
        reason = f"no question set at {path}: the new index goes live unguarded"
        context.log.warning(reason)
        return Output({**summary, "questions": 0, "go_live": True, "reason": reason}, metadata={"reason": reason})
    questions, left_out = answerable(load_questions(path), zip(scrubbed_corpus["source"], scrubbed_corpus["text"]))
    modes = {mode: {"mode": mode} for mode in MODES}
    results = evaluate(candidate, questions, modes)
    before = evaluate(Retriever(lancedb.uri, embedder, table, version=live), questions, modes) \
        if live is not None and live != version else None
    decision = gate(results, before, serving, len(questions), to_settings(config, IndexGate)) if live != version \
        else GateDecision(True, f"v{version} is already the live version")
    mlflow_tracking.configure()
    run_id = log_to_mlflow(table, version, live, len(questions), results, before, decision)
    (context.log.info if decision.go_live else context.log.warning)(decision.reason)
    metrics = {mode: result.metrics for mode, result in results.items()}
    return Output(
        {**summary, "questions": len(questions), "left_out": len(left_out), "metrics": metrics, "run_id": run_id,
         "live_metrics": {mode: r.metrics for mode, r in before.items()} if before else None, **decision.as_dict()},
        metadata={
            "candidate": MetadataValue.md(_markdown(results)),
            **({"live": MetadataValue.md(_markdown(before))} if before else {}),
            "questions": len(questions), "left_out (answer in no document)": len(left_out),
            **{f"{serving}_{name}": value for name, value in metrics[serving].items()},
            "go_live": decision.go_live, "reason": decision.reason, "mlflow_run_id": run_id,
            "not_first": MetadataValue.json(misses(questions, results[serving])),
        },
    )


@asset(group_name="retrieval", kinds={"lancedb"}, op_tags=k8s_op_tags("live_index"))
def live_index(context: AssetExecutionContext, lancedb: LanceDBResource, retrieval_evaluation: dict) -> Output[dict]:
    """The index version serving reads: moved to the new version only when the evaluation let it go live."""
    import lancedb as lance

    table = lance.connect(lancedb.uri).open_table(retrieval_evaluation["table"])
    if retrieval_evaluation["go_live"]:
        go_live(table, retrieval_evaluation["candidate_version"])
    version = live_version(table)
    went = retrieval_evaluation["go_live"]
    context.log.info(f"live index: {retrieval_evaluation['table']} v{version}"
                     + ("" if went else f" (v{retrieval_evaluation['candidate_version']} held back)"))
    result = {"table": retrieval_evaluation["table"], "version": version, "went_live": went,
              "reason": retrieval_evaluation["reason"]}
    return Output(result, metadata=result)
