"""Retrieval index with the real MiniLM model and real LanceDB tables in temporary folders, and the
structure-aware chunker on documents rendered as the readers render them."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pandas as pd
import pytest

from llmops.ingest.blocks import Block, render
from llmops.ingest.raw_documents import read_documents
from llmops.sample.corpus import generate_corpus
from llmops.retrieval.chunking import Chunk, chunk_document, embedding_text, split_text
from llmops.retrieval.embedder import Embedder
from llmops.retrieval.filters import parse_filter, scoped
from llmops.retrieval.index import IndexSettings, build_chunks, build_index, table_schema
from llmops.retrieval.search import Hit, Retriever, SearchSettings

FACTS = {
    "err14": ("faq", "Error E14", "Error E14 means the temperature sensor is disconnected; reseat the sensor cable."),
    "reset": ("manual", "Aura reset", "To reset the Aura thermostat hold the dial for 12 seconds until the ring flashes amber."),
    "warranty": ("faq", "Warranty", "Every Lumora device has a 3-year limited warranty."),
    "hours": ("faq", "Support hours", "Support is open Monday to Friday, 08:00 to 18:00 CET."),
    "vacation": ("policy", "Leave policy", "Employees get 28 vacation days per year, plus public holidays."),
    "pairing": ("manual", "Gridbox pairing", "Press the pair button on the Gridbox twice and open the Lumora app."),
    "travel": ("policy", "Travel policy", "Book train travel for trips under 600 km; flights need manager approval."),
    "battery": ("manual", "Battery B10", "The Battery B10 is covered for 10 years or 6,000 cycles."),
}
IMMEDIATE = SearchSettings(mode="vector", read_consistency=timedelta(0))  # cosine scores; other writers seen at once


class CountingEmbedder(Embedder):
    """The real embedder, remembering every text it was asked to embed."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.texts.extend(texts)
        return super().encode(texts)


@pytest.fixture(scope="module")
def embedder() -> CountingEmbedder:
    return CountingEmbedder()


def corpus(facts: dict[str, tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame([{"doc_id": doc_id, "doc_type": kind, "title": title, "source": f"{kind}/{doc_id}.md",
                          "text": f"# {title}\n\n{text}", "format": "md", "metadata": f'{{"topic": "{doc_id}"}}'}
                         for doc_id, (kind, title, text) in facts.items()])


def top_doc(retriever: Retriever, question: str) -> str:
    return retriever.search(question, 1)[0].doc_id


def test_incremental_update_embeds_only_new_and_changed_documents(embedder, tmp_path) -> None:
    uri = str(tmp_path / "lance")
    first = build_index(corpus(FACTS), uri, embedder)
    assert (first["added"], first["updated"], first["removed"], first["unchanged"]) == (8, 0, 0, 0)
    assert first["chunks"] == first["embedded_chunks"] == 8 and first["ann_index"] == "none"
    retriever = Retriever(uri, embedder, settings=IMMEDIATE)
    assert top_doc(retriever, "What does error E14 mean?") == "err14"

    embedder.texts.clear()
    again = build_index(corpus(FACTS), uri, embedder)
    assert embedder.texts == [] and again["version"] == first["version"]
    assert (again["added"], again["updated"], again["removed"], again["unchanged"]) == (0, 0, 0, 8)

    facts = {k: v for k, v in FACTS.items() if k != "err14"}
    facts["warranty"] = ("faq", "Warranty", "Every Lumora device now has a 5-year limited warranty, extendable online.")
    facts["recycling"] = ("policy", "Recycling", "Old devices can be returned to any Lumora store for free recycling.")
    update = build_index(corpus(facts), uri, embedder)
    assert (update["added"], update["updated"], update["removed"], update["unchanged"]) == (1, 1, 1, 6)
    # each chunk is embedded under its heading path (the title heading here)
    assert sorted(embedder.texts) == sorted(f"{t}\n\n{x}" for _, t, x in (facts["warranty"], facts["recycling"]))
    assert update["chunks"] == 8 and update["version"] > first["version"]
    # The retriever opened before the update sees it: removed documents vanish, answers follow.
    assert retriever.table.count_rows("doc_id = 'err14'") == 0
    assert all(hit.doc_id != "err14" for hit in retriever.search("What does error E14 mean?", 8))
    assert retriever.search("How long is the warranty?", 1)[0].text.endswith("extendable online.")
    assert top_doc(retriever, "Can I recycle my old device?") == "recycling"
    assert top_doc(retriever, "How do I reset the Aura thermostat?") == "reset"

    embedder.texts.clear()
    rechunked = build_index(corpus(facts), uri, embedder, IndexSettings(chunk_chars=60, overlap_chars=10))
    assert rechunked["updated"] == 8 and rechunked["chunks"] == len(embedder.texts) > 8  # chunking is in the hash


def test_structured_filters_restrict_results_inside_the_store(embedder, tmp_path) -> None:
    uri = str(tmp_path / "lance")
    docs = corpus(FACTS)
    dates = {"vacation": '{"modified": "2024-03-01T10:00:00Z"}', "travel": '{"date": "Tue, 05 Nov 2019 09:30:00 +0100"}',
             "hours": '{"created_at": "2022-12-31"}', "warranty": '{"modified": "not a date"}'}
    docs["metadata"] = [dates.get(doc, m) for doc, m in zip(docs["doc_id"], docs["metadata"])]
    docs.loc[len(docs)] = {"doc_id": "zh_leave", "doc_type": "policy", "title": "年假制度", "source": "policy/zh_leave.md",
                           "text": "# 年假制度\n\n员工每年享有十五天带薪年假，需提前两周通过 HR 系统申请。", "format": "md", "metadata": ""}
    build_index(docs, uri, embedder)
    retriever = Retriever(uri, embedder)
    question = "How long is the warranty?"

    def found(spec: dict, k: int = 9) -> set[str]:
        return {hit.doc_id for hit in retriever.search(question, k, parse_filter(spec))}

    assert top_doc(retriever, question) == "warranty"
    assert found({"type": "eq", "key": "doc_type", "value": "policy"}) == {"vacation", "travel", "zh_leave"}
    assert found({"type": "eq", "key": "language", "value": "zh"}) == {"zh_leave"}
    assert found({"type": "and", "filters": [{"type": "in", "key": "doc_type", "value": ["policy", "faq"]},
                                             {"type": "gte", "key": "date", "value": "2022-01-01"}]}) == {"vacation", "hours"}
    assert found({"type": "lt", "key": "date", "value": "2020-01-01"}) == {"travel"}  # the mail header's date
    assert found({"type": "or", "filters": [{"type": "eq", "key": "title", "value": "Aura reset"},
                                            {"type": "nin", "key": "doc_type", "value": ["faq", "policy"]}]}) \
        == {"reset", "pairing", "battery"}
    assert found({"type": "ne", "key": "source", "value": "faq/warranty.md"}, 1) != {"warranty"}
    # a value is a literal: quotes, parentheses and SQL inside it match nothing instead of widening the search
    for hostile in ["faq' OR '1'='1", "faq') OR (1=1", "x\\' OR 1=1 --", "' OR doc_type != '", "%", "faq%"]:
        assert found({"type": "eq", "key": "doc_type", "value": hostile}) == set(), hostile
        assert found({"type": "and", "filters": [{"type": "eq", "key": "doc_type", "value": "manual"},
                                                 {"type": "ne", "key": "title", "value": hostile}]}) \
            == {"reset", "pairing", "battery"}, hostile
    assert found({"type": "eq", "key": "title", "value": "It's"}) == set()
    # a restricted caller (the server's scope ANDed outside) sees only its scope, whatever it sends
    manuals = {"reset", "pairing", "battery"}
    for hostile in ["faq' OR '1'='1", "x') OR (1=1", "' OR doc_type = 'faq"]:
        widening = parse_filter({"type": "or", "filters": [{"type": "eq", "key": "doc_type", "value": "faq"},
                                                           {"type": "ne", "key": "title", "value": hostile}]})
        hits = retriever.search(question, 9, scoped(parse_filter({"type": "in", "key": "doc_type", "value": ["manual"]}, "scope"), widening))
        assert {h.doc_id for h in hits} == manuals, hostile
    with pytest.raises(ValueError, match="query must not be empty"):
        retriever.search(" ", 3)
    with pytest.raises(ValueError, match="k must be at least 1"):
        retriever.search(question, 0)


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> pd.DataFrame:
    root = tmp_path_factory.mktemp("generated")
    generate_corpus(root, 40, seed=3)
    return read_documents(root).to_frame()


def test_ann_index_is_built_above_the_threshold_and_kept_up_to_date(embedder, generated, tmp_path) -> None:
    uri = str(tmp_path / "lance")
    settings = IndexSettings(ann_min_rows=len(build_chunks(generated, IndexSettings())) - 5)
    small = build_index(generated.iloc[:-10], uri, embedder, settings)
    assert small["ann_index"] == "none" and small["chunks"] < settings.ann_min_rows
    full = build_index(generated, uri, embedder, settings)
    assert full["ann_index"] == "IvfHnswSq" and full["added"] == 10 and full["chunks"] >= settings.ann_min_rows
    retriever = Retriever(uri, embedder, settings=IMMEDIATE)
    assert retriever.table.index_stats("vector_idx").num_unindexed_rows == 0

    rows = retriever.table.to_pandas().sample(8, random_state=0)
    for row in rows.itertuples():  # the text a chunk was embedded from finds that chunk, with its exact score
        hits = retriever.search(embedding_text(row.headings, row.text), 5)
        assert hits[0].chunk_id == row.chunk_id and hits[0].score == pytest.approx(1.0, abs=1e-3)
        exact = retriever.search_vector(np.asarray(row.vector), 5, exact=True)
        assert len({h.chunk_id for h in hits} & {h.chunk_id for h in exact}) >= 4
    assert len(retriever.search("error codes", 20)) == 20  # k * refine_factor above the default ef
    texts = rows["text"].tolist()  # several queries in one ANN query: each gets what it gets alone
    together = retriever.search_many(texts, 5)
    assert [[h.chunk_id for h in hits] for hits in together] == [[h.chunk_id for h in retriever.search(t, 5)] for t in texts]

    changed = generated.copy()
    changed.loc[0, "text"] = "Lumora Skylight K9 error Q77 means the roof hatch motor stalled; clear the rail."
    update = build_index(changed, uri, embedder, settings)
    assert update["updated"] == 1 and update["ann_index"] == "IvfHnswSq"
    assert retriever.table.index_stats("vector_idx").num_unindexed_rows == 0  # optimize folded the rows in
    assert top_doc(retriever, "What does error Q77 on the Skylight mean?") == changed.loc[0, "doc_id"]


def test_vector_index_asset_reports_what_changed(tmp_path) -> None:
    from dagster import asset, materialize

    from assets.vector_index import vector_index
    from orchestration.resources import LanceDBResource

    documents = {"facts": corpus(FACTS)}

    @asset(name="scrubbed_corpus")
    def scrubbed_corpus_input() -> pd.DataFrame:  # the real asset's output shape, without the scrub run
        return documents["facts"]

    def run() -> dict:
        result = materialize([scrubbed_corpus_input, vector_index], resources={"lancedb": LanceDBResource(uri=str(tmp_path))},
                             run_config={"ops": {"vector_index": {"config": {"ann_min_rows": 1000}}}})
        metadata = result.asset_materializations_for_node("vector_index")[0].metadata
        return {key: value.value for key, value in metadata.items()}

    first = run()
    assert first["added"] == 8 and first["ann_index"] == "none" and first["uri"] == str(tmp_path)
    documents["facts"] = corpus({k: v for k, v in FACTS.items() if k != "hours"})
    second = run()
    assert (second["removed"], second["unchanged"], second["embedded_chunks"]) == (1, 7, 0)
    assert second["version"] > first["version"] and second["table"] == "corpus_chunks"


def test_onnx_queries_find_what_torch_queries_find(embedder, tmp_path) -> None:
    """Serving embeds queries with ONNX Runtime; the index is built with PyTorch: same vectors, same hits."""
    uri = str(tmp_path / "lance")
    build_index(corpus(FACTS), uri, embedder)
    onnx = Embedder(runtime="onnx", batch_size=3, onnx_cache=tmp_path / "onnx")
    exact, fast = Retriever(uri, embedder, settings=IMMEDIATE), Retriever(uri, onnx, settings=IMMEDIATE)
    questions = ["What does error E14 mean?", "how do I reset the thermostat", "warranty length", "when is support open",
                 "how many vacation days", "pair the gridbox", "may I fly to Munich", " battery lifetime ", "x " * 400]
    vectors = onnx.encode(questions)
    assert vectors.dtype == np.float32 and vectors.shape == (len(questions), embedder.dimension)
    assert onnx.encode([]).shape == (0, embedder.dimension) and onnx.encode([]).dtype == np.float32
    np.testing.assert_allclose(vectors, embedder.encode(questions), atol=1e-5)
    assert [[h.chunk_id for h in hits] for hits in fast.search_many(questions, 3)] == \
        [[h.chunk_id for h in hits] for hits in exact.search_many(questions, 3)]
    [exported] = (tmp_path / "onnx").iterdir()  # one finished file, no partial one left behind
    assert exported.suffix == ".onnx"
    written = exported.stat().st_mtime_ns
    again = Embedder(runtime="onnx", onnx_cache=tmp_path / "onnx")  # a second server: reads the cached export
    np.testing.assert_allclose(again.encode(questions[:2]), vectors[:2], atol=1e-6)
    assert list((tmp_path / "onnx").iterdir()) == [exported] and exported.stat().st_mtime_ns == written
    with pytest.raises(ValueError, match="runtime"):
        Embedder(runtime="tensorrt")


# A manual as the PDF reader renders it: headings, and a marker line where the page changes.
GUIDE = render([
    Block("heading", "Gridbox guide", 1, "page 1"),
    Block("paragraph", "This guide covers installing the Lumora Gridbox."),
    Block("heading", "Install", 2),
    Block("paragraph", "Mount the Gridbox on a wall near the electricity meter."),
    Block("heading", "Network", 2, "page 2"),
    Block("heading", "Proxy", 3),
    Block("paragraph", "Set the proxy port to 8080 in the Gridbox web console."),
    Block("heading", "Firewall", 3),
    Block("paragraph", "Allow outbound HTTPS to cloud.lumora.example."),
    Block("heading", "Safety", 2, "page 3"),
    Block("paragraph", "Never open the Gridbox housing while it is powered."),
])


def test_chunks_keep_their_page_and_heading_path_and_small_sections_merge() -> None:
    assert chunk_document(GUIDE, 800, 120) == [
        # merged sections are cited by the path they share; the headings below it stay in the text
        Chunk("This guide covers installing the Lumora Gridbox.\n\n## Install\n\n"
              "Mount the Gridbox on a wall near the electricity meter.", "page 1", ("Gridbox guide",)),
        Chunk("### Proxy\n\nSet the proxy port to 8080 in the Gridbox web console.\n\n"
              "### Firewall\n\nAllow outbound HTTPS to cloud.lumora.example.", "page 2", ("Gridbox guide", "Network")),
        # "Network" came one page before "Firewall" would have fit with it: pages never share a chunk
        Chunk("Never open the Gridbox housing while it is powered.", "page 3", ("Gridbox guide", "Safety")),
    ]
    small = chunk_document(GUIDE, 60, 10)  # too small to merge anything: one chunk per section, full paths
    assert [(c.location, c.headings) for c in small] == [
        ("page 1", ("Gridbox guide",)), ("page 1", ("Gridbox guide", "Install")),
        ("page 2", ("Gridbox guide", "Network", "Proxy")), ("page 2", ("Gridbox guide", "Network", "Firewall")),
        ("page 3", ("Gridbox guide", "Safety"))]
    assert small[2].text == "Set the proxy port to 8080 in the Gridbox web console."
    plain = chunk_document("No headings here.\n\nJust two paragraphs.", 800, 120)
    assert plain == [Chunk("No headings here.\n\nJust two paragraphs.")]
    with pytest.raises(ValueError, match="overlap"):
        chunk_document(GUIDE, 100, 50)


def test_headings_inside_code_fences_are_text() -> None:
    text = ("# Setup\n\nRun this:\n\n```bash\n# install the agent\npip install agent\n<!-- page 9 -->\n```\n\n"
            "~~~\n## not a heading either\n~~~\n\n## Restart\n\nThen restart.")
    setup = text.split("\n\n", 1)[1].split("\n\n## Restart")[0]
    assert chunk_document(text, 800, 120) == [Chunk(f"{setup}\n\n## Restart\n\nThen restart.", "", ("Setup",))]
    assert [(c.location, c.headings) for c in chunk_document(text, 60, 10)][-1] == ("", ("Setup", "Restart"))
    assert {(c.location, c.headings) for c in chunk_document(text, 60, 10)[:-1]} == {("", ("Setup",))}


def _pieces_cover(text: str, pieces: list[str]) -> bool:
    """The pieces are stretches of ``text`` in order (each may start inside the one before) that
    leave out nothing but white space."""
    start, end = -1, 0
    for piece in pieces:
        start = text.find(piece, start + 1)
        if start < 0 or text[end:start].strip():
            return False
        end = start + len(piece)
    return not text[end:].strip()


def test_long_sections_split_at_paragraphs_then_sentences_with_overlap() -> None:
    first = " ".join(f"Step {n} of the proxy setup is described here." for n in range(12))
    second = " ".join(f"Check {n} of the firewall comes next." for n in range(6))
    pieces = list(split_text(f"{first}\n\n{second}", 200, 60))
    assert all(len(p) <= 200 for p in pieces) and all(p.endswith(".") for p in pieces)
    assert "".join(pieces).count("Step 0 ") == 1 and "Check 5 of the firewall comes next." in pieces[-1]
    for before, after in zip(pieces, pieces[1:]):
        last_sentence = before[before.rfind("Step") if "Check" not in before else before.rfind("Check"):]
        if after.startswith("Check 0"):  # a paragraph break: the next piece starts clean
            assert before.endswith("Step 11 of the proxy setup is described here.")
        else:  # inside a paragraph: the last sentence is repeated, whole
            assert after.startswith(last_sentence) and len(last_sentence) <= 60
    assert _pieces_cover(f"{first}\n\n{second}", pieces)


def test_chinese_without_spaces_is_cut_at_sentence_ends_or_at_the_size() -> None:
    sentences = [f"第{n}条规定设备必须由持证电工安装并记录序列号。" for n in range(40)]
    text = "".join(sentences)
    pieces = list(split_text(text, 100, 30))
    assert all(len(p) <= 100 and p.endswith("。") for p in pieces) and len(pieces) > 10
    assert _pieces_cover(text, pieces)
    assert all(after.startswith(before[before.rfind("第"):]) for before, after in zip(pieces, pieces[1:]))
    clauses = "设备安装说明" * 12 + "；" + "请联系支持团队获取帮助" * 10
    assert next(split_text(clauses, 100, 30)) == "设备安装说明" * 12 + "；"
    unbroken = "数据" * 150
    hard = list(split_text(unbroken, 100, 30))
    assert [len(p) for p in hard] == [100, 100, 100, 90]  # each starts 30 back: at 0, 70, 140, 210
    assert all(after[:30] == before[-30:] for before, after in zip(hard, hard[1:]))
    chunks = chunk_document(f"<!-- page 4 -->\n\n# 安装\n\n{text}", 100, 30)
    assert {(c.location, c.headings) for c in chunks} == {("page 4", ("安装",))} and len(chunks) == len(pieces)


def test_a_300k_character_manual_is_chunked_whole_by_its_structure() -> None:
    blocks = [Block("heading", "Field manual", 1, "page 1")]
    for page in range(1, 101):
        blocks += [Block("heading", f"Chapter {page}", 2, f"page {page}"), Block("heading", "Details", 3)]
        blocks += [Block("paragraph", " ".join(f"Part {page}.{p}.{n} explains one step of chapter {page} in detail."
                                               for n in range(18))) for p in range(3)]
    text = render(blocks)
    assert len(text) >= 300_000
    chunks = build_chunks(pd.DataFrame([{"doc_id": "field", "text": text}]), IndexSettings())
    assert len(chunks) == chunks["chunk"].max() + 1 and (chunks["text"].str.len() <= 800).all()
    for row in chunks.itertuples():  # every chunk stays on its page, under its chapter
        page = int(row.location.removeprefix("page "))
        assert row.headings == f"Field manual > Chapter {page} > Details" and f"Part {page}." in row.text
        assert all(part.startswith(f"{page}.") for part in row.text.split("Part ")[1:])
    found = "\n".join(chunks["text"])
    for page in range(1, 101):  # nothing is lost, to the last sentence of the last page
        for p in range(3):
            assert f"Part {page}.{p}.0 explains" in found and f"Part {page}.{p}.17 explains" in found
    assert chunks["location"].iloc[-1] == "page 100"


def test_index_stores_and_returns_location_and_headings(embedder, tmp_path) -> None:
    import lancedb

    uri = str(tmp_path / "lance")
    old = table_schema(embedder.dimension)  # a table written before chunks had locations
    old = old.remove(old.get_field_index("location")).remove(old.get_field_index("headings"))
    lancedb.connect(uri).create_table("corpus_chunks", schema=old)
    with pytest.raises(ValueError, match="older version; rebuild it"):
        Retriever(uri, embedder)

    docs = corpus(FACTS)
    docs = pd.concat([docs, pd.DataFrame([{"doc_id": "guide", "doc_type": "manual", "title": "Gridbox guide",
                                           "source": "manuals/gridbox-guide.pdf", "text": GUIDE, "format": "pdf"}])])
    embedder.texts.clear()
    built = build_index(docs, uri, embedder, IndexSettings(chunk_chars=200, overlap_chars=40))
    assert built["rebuilt"] and built["chunks"] == 8 + 3
    assert ("Gridbox guide > Network\n\n### Proxy\n\nSet the proxy port to 8080 in the Gridbox web console.\n\n"
            "### Firewall\n\nAllow outbound HTTPS to cloud.lumora.example.") in embedder.texts  # embedded under its path
    stored = Retriever(uri, embedder, settings=IMMEDIATE).table.to_pandas().set_index("chunk_id")
    assert stored.loc["guide:1", ["location", "headings"]].tolist() == ["page 2", "Gridbox guide > Network"]
    assert stored.loc["guide:1", "text"].startswith("### Proxy\n\nSet the proxy port")  # the body, no path prefix
    assert stored.loc["err14:0", ["location", "headings"]].tolist() == ["", "Error E14"]

    retriever = Retriever(uri, embedder, settings=IMMEDIATE)
    hit = retriever.search("Which proxy port does the Gridbox use?", 1)[0]
    assert (hit.chunk_id, hit.location, hit.headings) == ("guide:1", "page 2", "Gridbox guide > Network")
    assert hit.citation == "manuals/gridbox-guide.pdf, page 2 — Gridbox guide > Network"
    page_3 = parse_filter({"type": "eq", "key": "location", "value": "page 3"})
    assert [h.chunk_id for h in retriever.search("Gridbox", 5, page_3)] == ["guide:2"]
    network = parse_filter({"type": "eq", "key": "headings", "value": "Gridbox guide > Network"})
    assert {h.chunk_id for h in retriever.search("Gridbox", 5, network)} == {"guide:1"}
    assert Hit("c", "d", "faq/hours.md", "Support hours", "text", 1.0).citation == "faq/hours.md"


def test_language_of_a_chunk_counts_han_characters_against_latin_words() -> None:
    from llmops.ingest.language import language_of

    assert language_of("Reset the Aura thermostat by holding the dial.") == "en"
    assert language_of("员工每年享有十五天带薪年假，需提前两周通过 HR 系统申请。") == "zh"  # one English term
    assert language_of("请在 Gridbox web console 中把 proxy port 设为 8080。") == "mixed"
    assert language_of("8080 — 12:00 / 42") == "other"
