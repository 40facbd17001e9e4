"""Search over the chunk table: vector, full-text, or both fused (hybrid), optionally reranked.

Embeddings find passages that say the same thing in other words; they blur exact terms (a
command, an option, an error text). The full-text index (BM25 over the chunk text, heading path
and title) finds those. Hybrid search takes the best ``candidates`` of each list and fuses them by
reciprocal rank fusion: a chunk's score is the sum over the lists it is in of
``weight / (rrf_k + rank)``, so a chunk both lists rank well comes first, and neither list's raw
scores (cosine vs BM25) need calibrating against the other. A reranker (`llmops.retrieval.rerank`),
when given, then reorders the best ``rerank_candidates`` of the fused list.

The retriever reads the table version the ``live`` tag names (`llmops.retrieval.live`) and
follows the tag when the retrieval evaluation moves it; a fixed ``version`` pins one instead.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Protocol

import numpy as np

from llmops.retrieval.embedder import Embedder
from llmops.retrieval.filters import Filter
from llmops.retrieval.index import DEFAULT_TABLE, FULL_TEXT_COLUMNS, VECTOR, sql_list
from llmops.retrieval.live import live_version

MODES = ("hybrid", "vector", "fulltext")
EMPTY_QUERY = "query must not be empty"
_COLUMNS = ["chunk_id", "doc_id", "source", "title", "text", "doc_type", "location", "headings", "groups"]
# Full-text queries of a batch run side by side: Lance's native search releases the GIL.
_FULL_TEXT = ThreadPoolExecutor(8, thread_name_prefix="fulltext")


@dataclass(frozen=True)
class Hit:
    chunk_id: str
    doc_id: str
    source: str
    title: str
    text: str
    score: float  # higher is better: cosine (vector), BM25 (fulltext), fused RRF (hybrid), or the reranker's
    doc_type: str = ""
    location: str = ""  # "page 12", "slide 3", "sheet Budget"; "" when the file has none
    headings: str = ""  # the heading path, "Install > Network > Proxy"
    groups: tuple[str, ...] = ()  # who may read it (`llmops.ingest.access`)

    @property
    def citation(self) -> str:
        """Where the chunk comes from, for people: "manuals/guide.pdf, page 176 — Install > Network"."""
        place = ", ".join(part for part in (self.source, self.location) if part)
        return f"{place} — {self.headings}" if self.headings else place


class Reranker(Protocol):
    """Scores (query, passage) pairs; higher is more relevant."""

    def scores(self, query: str, passages: Sequence[str]) -> list[float]: ...


@dataclass(frozen=True)
class SearchSettings:
    """How a query is answered.

    ``mode`` is hybrid, vector or fulltext. Hybrid fuses the best ``candidates`` of each list with
    reciprocal rank fusion (``rrf_k``, ``vector_weight``, ``text_weight``); the full-text query
    weighs a match in the heading path by ``heading_boost`` and in the title by ``title_boost``
    (text 1). With a reranker, the best ``rerank_candidates`` of the fused list are reordered by it.
    The defaults are the best of a coarse grid on real manuals (bench/retrieval_quality.py, see
    bench/RESULTS.md): BM25 alone ranks natural-language questions worse than MiniLM, so its list
    weighs about a third as much, and a small ``rrf_k`` lets the top ranks of each list count most.

    ANN knobs: ``ef`` is the HNSW candidate list (>= the number asked); ``refine_factor`` re-ranks
    ``n * refine_factor`` candidates with the full vectors, undoing the SQ quantization error
    (bench/retrieval.py: recall@10 0.986 -> 0.999 with 4 at the same latency; a larger ef did not
    help) and making the scores exact cosine similarities.
    """

    mode: str = "hybrid"
    candidates: int = 20
    rrf_k: int = 10
    vector_weight: float = 1.0
    text_weight: float = 0.35
    heading_boost: float = 1.0
    title_boost: float = 1.0
    rerank_candidates: int = 20
    ef: int = 64
    refine_factor: int | None = 4
    nprobes: int = 1
    # How stale a long-lived reader may be: serving sees index updates (and a moved live tag) within this interval.
    read_consistency: timedelta = timedelta(seconds=10)

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"search mode must be one of {', '.join(MODES)}, got {self.mode!r}")


class Retriever:
    """Top-k search over the chunk table, optionally restricted by a SQL filter.

    ``version`` None reads the live version (the latest when no evaluation has set one) and
    follows the live tag; an int pins that table version (the evaluation compares versions so).
    """

    def __init__(self, db_uri: str, embedder: Embedder, table: str = DEFAULT_TABLE,
                 settings: SearchSettings = SearchSettings(), version: int | None = None,
                 reranker: Reranker | None = None):
        import lancedb

        self.db = lancedb.connect(db_uri, read_consistency_interval=settings.read_consistency)
        self.name = table
        self.embedder = embedder
        self.settings = settings
        self.reranker = reranker
        self.pinned = version
        self._lock = threading.Lock()
        self._checked = 0.0
        self.table = self._open(version)

    def _open(self, version: int | None):
        table = self.db.open_table(self.name)
        if missing := [c for c in ("location", "headings") if c not in table.schema.names]:
            raise ValueError(f"table {self.name} has no {' or '.join(missing)} column: it was built by an "
                             "older version; rebuild it (materialize vector_index)")
        wanted = version if version is not None else live_version(table)
        if wanted is not None:
            table.checkout(wanted)
        self.version = int(table.version)
        self._latest = wanted is None  # not checked out: the table object moves on with every update
        self._checked = time.monotonic()
        return table

    def current(self):
        """The table to query: the live version, reopened when the live tag has moved."""
        if self.pinned is not None or time.monotonic() - self._checked < self.settings.read_consistency.total_seconds():
            return self.table
        with self._lock:
            if time.monotonic() - self._checked >= self.settings.read_consistency.total_seconds():
                live = live_version(self.db.open_table(self.name))
                if live is not None and (self._latest or live != self.version):
                    self.table = self._open(None)  # pinned to the live version from now on
                self._checked = time.monotonic()
        return self.table

    def with_settings(self, **changes) -> Retriever:
        """The same index and embedder searched another way (e.g. ``mode="vector"``)."""
        other = object.__new__(Retriever)
        other.__dict__.update(self.__dict__)
        other.settings = replace(self.settings, **changes)
        other._lock = threading.Lock()
        return other

    def search(self, query: str, k: int = 4, filters: Filter | None = None) -> list[Hit]:
        """The ``k`` best chunks for ``query`` among those ``filters`` admits (`llmops.retrieval.filters`,
        applied inside the store before ranking). Bad input raises ValueError."""
        return self.search_many([query], k, filters)[0]

    def search_many(self, queries: Sequence[str], k: int = 4, filters: Filter | None = None) -> list[list[Hit]]:
        """``search`` for several queries: one embedding pass and one vector query for all of them,
        while their full-text queries run side by side on the full-text threads (native code, no GIL)."""
        if not all(query.strip() for query in queries):
            raise ValueError(EMPTY_QUERY)
        if k < 1:
            raise ValueError(f"k must be at least 1, got {k}")
        if not queries:
            return []
        mode, table = self.settings.mode, self.current()
        wanted = max(k, self.settings.rerank_candidates) if self.reranker else k
        pool = max(wanted, self.settings.candidates) if mode == "hybrid" else wanted
        text_jobs = [_FULL_TEXT.submit(self._text_ids, table, query, pool, filters) for query in queries] \
            if mode != "vector" else []
        try:
            vector_lists = (self._vector_rows(table, self.embedder.encode(list(queries)), pool, filters)
                            if mode != "fulltext" else [[] for _ in queries])
        finally:
            text_lists = [job.result() for job in text_jobs] or [[] for _ in queries]
        found = []
        for vectors, texts in zip(vector_lists, text_lists):
            if mode == "hybrid":
                found.append(fuse([(vectors, self.settings.vector_weight), (texts, self.settings.text_weight)],
                                  self.settings.rrf_k)[:wanted])
            else:
                found.append((vectors or texts)[:wanted])
        found = self._filled(table, found)
        if self.reranker:
            return [self._reranked(query, hits)[:k] for query, hits in zip(queries, found)]
        return [hits[:k] for hits in found]

    def search_vector(self, vector: np.ndarray, k: int = 4, filters: Filter | None = None,
                      exact: bool = False) -> list[Hit]:
        """Search by embedding; ``exact`` bypasses the ANN index (brute force, for recall checks)."""
        return self.search_vectors(vector[None, :], k, filters, exact)[0]

    def search_vectors(self, vectors: np.ndarray, k: int = 4, filters: Filter | None = None,
                       exact: bool = False) -> list[list[Hit]]:
        """The ``k`` nearest chunks for each row of ``vectors`` (one multi-vector Lance query)."""
        if k < 1:
            raise ValueError(f"k must be at least 1, got {k}")
        return self._vector_rows(self.current(), vectors, k, filters, exact)

    def _vector_rows(self, table, vectors: np.ndarray, k: int, filters: Filter | None,
                     exact: bool = False) -> list[list[Hit]]:
        query = table.search(vectors, vector_column_name=VECTOR).distance_type("cosine").limit(k)
        if exact:
            query = query.bypass_vector_index()
        else:  # HNSW must return all k * refine_factor candidates, so ef cannot be smaller
            refine = self.settings.refine_factor or 1
            query = query.nprobes(self.settings.nprobes).ef(max(self.settings.ef, k * refine))
            query = query.refine_factor(refine) if self.settings.refine_factor else query
        rows = _run(query.select([*_COLUMNS, "_distance"]), filters)
        found: list[list[Hit]] = [[] for _ in range(len(vectors))]
        for r in sorted(rows, key=lambda row: row["_distance"]):  # a single vector's rows have no query_index
            found[r.get("query_index", 0)].append(_hit(r, 1.0 - float(r["_distance"])))
        return found

    def _text_ids(self, table, query: str, k: int, filters: Filter | None) -> list[Hit]:
        """The full-text list: chunk ids and BM25 scores only (rows are read for the winners, `_filled`)."""
        from lancedb.query import MultiMatchQuery

        boosts = {"text": 1.0, "headings": self.settings.heading_boost, "title": self.settings.title_boost}
        columns = [c for c in FULL_TEXT_COLUMNS if boosts[c] > 0]
        match = MultiMatchQuery(query, columns, boosts=[boosts[c] for c in columns])
        rows = _run(table.search(match, query_type="fts").limit(k).select(["chunk_id", "_score"]), filters)
        return [Hit(r["chunk_id"], "", "", "", "", float(r["_score"]))
                for r in sorted(rows, key=lambda row: -row["_score"])]

    def _filled(self, table, found: list[list[Hit]]) -> list[list[Hit]]:
        """The results with the rows of full-text-only hits read, in one query for the whole batch."""
        missing = {h.chunk_id for hits in found for h in hits if not h.source and not h.doc_id}
        if not missing:
            return found
        rows = {r["chunk_id"]: r for r in table.search().where(f"chunk_id IN ({sql_list(sorted(missing))})").select(_COLUMNS)
                .limit(len(missing)).to_list()}
        return [[_hit(rows[h.chunk_id], h.score) if h.chunk_id in missing and h.chunk_id in rows else h for h in hits]
                for hits in found]

    def _reranked(self, query: str, hits: list[Hit]) -> list[Hit]:
        if not hits:
            return hits
        from llmops.retrieval.chunking import embedding_text

        scores = self.reranker.scores(query, [embedding_text(h.headings, h.text) for h in hits])
        ranked = sorted(zip(scores, range(len(hits))), key=lambda pair: (-pair[0], pair[1]))
        return [replace(hits[i], score=float(score)) for score, i in ranked]


def fuse(lists: Sequence[tuple[list[Hit], float]], rrf_k: int = 60) -> list[Hit]:
    """Reciprocal rank fusion of ranked lists, each with its weight; ties keep first-seen order."""
    scores: dict[str, float] = {}
    first: dict[str, Hit] = {}
    for hits, weight in lists:
        for rank, hit in enumerate(hits, start=1):
            scores[hit.chunk_id] = scores.get(hit.chunk_id, 0.0) + weight / (rrf_k + rank)
            first.setdefault(hit.chunk_id, hit)
    order = sorted(first, key=lambda chunk: -scores[chunk])  # stable: equal scores keep first-seen order
    return [replace(first[chunk], score=scores[chunk]) for chunk in order]


def _hit(row: dict, score: float) -> Hit:
    return Hit(row["chunk_id"], row["doc_id"], row["source"], row["title"], row["text"], score, row["doc_type"],
               row["location"], row["headings"], tuple(row["groups"] or ()))


def _run(query, filters: Filter | None) -> list[dict]:
    return (query if filters is None else query.where(filters.sql, prefilter=True)).to_list()
