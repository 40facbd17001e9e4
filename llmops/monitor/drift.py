"""Drift of newly arrived documents against the corpus the champion was trained on.

Three views of a document set, each compared with the Population Stability Index (PSI):
length (words per document), vocabulary (share of the reference's most frequent words, the rest
pooled as ``<other>``) and meaning (MiniLM embeddings projected on the reference's principal
components). PSI = sum((a - e) * ln(a / e)) over bins; by the usual reading < 0.1 is stable,
0.1-0.2 a moderate shift and > 0.2 a significant one, hence the default threshold.

The reference is the scrubbed corpus behind the champion's SFT dataset, saved next to that
dataset (``documents.parquet``); its profile (projections, vocabulary) is computed once and
cached (``drift_profile.npz``) because embedding a corpus is the expensive part.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

Embed = Callable[[list[str]], np.ndarray]

REFERENCE_FILE, PROFILE_FILE = "documents.parquet", "drift_profile.npz"
OTHER = "<other>"
_EPS = 1e-4  # floor for empty bins: PSI is undefined for a zero share
_PLACEHOLDER = re.compile(r"<[A-Z_]+(?:_\d+)?>")  # scrubber placeholders are not vocabulary
_WORD = re.compile(r"[a-z][a-z']+")


@dataclass(frozen=True)
class DriftSettings:
    """``min_documents``: fewer new documents than this are not compared (PSI is noise on a
    handful of samples); ``bins`` is capped at a tenth of the smaller sample for the same reason."""

    threshold: float = 0.2
    bins: int = 10
    min_documents: int = 20
    vocabulary_size: int = 100
    components: int = 5


def words(text: str) -> list[str]:
    """Lower-case words; scrubber placeholders dropped so scrubbed and raw text tokenize alike."""
    return _WORD.findall(_PLACEHOLDER.sub(" ", text).lower())


def psi(expected: np.ndarray, actual: np.ndarray) -> float:
    """PSI of two distributions over the same bins (counts or shares)."""
    e = np.asarray(expected, dtype=float)
    a = np.asarray(actual, dtype=float)
    e = np.clip(e / e.sum(), _EPS, None)
    a = np.clip(a / a.sum(), _EPS, None)
    return float(np.sum((a - e) * np.log(a / e)))


def numeric_psi(reference: np.ndarray, current: np.ndarray, bins: int) -> float:
    """PSI with quantile bins of the reference (equal reference mass per bin)."""
    edges = np.unique(np.quantile(reference, np.linspace(0, 1, bins + 1)[1:-1]))
    expected = np.bincount(np.searchsorted(edges, reference, side="right"), minlength=len(edges) + 1)
    actual = np.bincount(np.searchsorted(edges, current, side="right"), minlength=len(edges) + 1)
    return psi(expected, actual)


def vocabulary_shares(texts: Sequence[str], vocabulary: Sequence[str]) -> np.ndarray:
    """Share of all words that are each vocabulary word, last entry for every other word."""
    index = {word: i for i, word in enumerate(vocabulary)}
    counts = np.zeros(len(vocabulary) + 1)
    for text in texts:
        for word in words(text):
            counts[index.get(word, len(vocabulary))] += 1
    return counts / max(counts.sum(), 1)


@dataclass(frozen=True)
class DriftProfile:
    """What drift is measured against: the reference documents' lengths, vocabulary and projections."""

    doc_ids: frozenset[str]
    lengths: np.ndarray
    vocabulary: list[str]
    vocabulary_shares: np.ndarray
    mean: np.ndarray
    axes: np.ndarray  # principal components, one per row
    projections: np.ndarray  # documents x components

    @classmethod
    def build(cls, doc_ids: Sequence[str], texts: Sequence[str], embed: Embed,
              settings: DriftSettings = DriftSettings()) -> DriftProfile:
        if not texts:
            raise ValueError("the reference corpus is empty: nothing to measure drift against")
        counts = Counter(word for text in texts for word in words(text))
        vocabulary = [word for word, _ in counts.most_common(settings.vocabulary_size)]
        vectors = np.asarray(embed(list(texts)), dtype=float)
        mean = vectors.mean(axis=0)
        _, _, vt = np.linalg.svd(vectors - mean, full_matrices=False)
        axes = vt[: settings.components]
        return cls(frozenset(doc_ids), np.array([len(words(t)) for t in texts]), vocabulary,
                   vocabulary_shares(texts, vocabulary), mean, axes, (vectors - mean) @ axes.T)

    def save(self, path: Path) -> None:
        np.savez(path, doc_ids=np.array(sorted(self.doc_ids)), lengths=self.lengths,
                 vocabulary=np.array(self.vocabulary), vocabulary_shares=self.vocabulary_shares,
                 mean=self.mean, axes=self.axes, projections=self.projections)

    @classmethod
    def load(cls, path: Path) -> DriftProfile:
        with np.load(path) as data:
            return cls(frozenset(data["doc_ids"].tolist()), data["lengths"], data["vocabulary"].tolist(),
                       data["vocabulary_shares"], data["mean"], data["axes"], data["projections"])


@dataclass
class DriftReport:
    """The figures, the verdict and the reason in words (for run tags, skip messages and the UI)."""

    psi: dict[str, float]
    threshold: float
    n_reference: int
    n_current: int
    batch_id: str
    measured: bool
    reason: str
    projections: np.ndarray = field(default_factory=lambda: np.empty((0, 0)), repr=False)
    lengths: np.ndarray = field(default_factory=lambda: np.empty(0), repr=False)
    vocabulary: np.ndarray = field(default_factory=lambda: np.empty(0), repr=False)

    @property
    def score(self) -> float:
        """The largest of the three headline PSIs: any one view shifting is drift."""
        return max((self.psi[k] for k in ("length", "vocabulary", "embedding") if k in self.psi), default=0.0)

    @property
    def drifted(self) -> bool:
        return self.measured and self.score > self.threshold

    def figures(self) -> dict[str, float | int | str | bool]:
        """Flat, JSON-friendly summary (asset metadata, run tags)."""
        return {**{f"psi_{name}": round(value, 4) for name, value in self.psi.items()},
                "psi_max": round(self.score, 4), "threshold": self.threshold, "drifted": self.drifted,
                "n_reference": self.n_reference, "n_current": self.n_current, "batch_id": self.batch_id}


def batch_id(doc_ids: Sequence[str]) -> str:
    """One id per set of documents, so the same batch never triggers two retrains."""
    return hashlib.sha256("\n".join(sorted(doc_ids)).encode()).hexdigest()[:16]


def compare(profile: DriftProfile, corpus: pd.DataFrame, embed: Embed,
            settings: DriftSettings = DriftSettings()) -> DriftReport:
    """Drift of the documents in ``corpus`` that the reference has not seen (by content id)."""
    new = corpus[~corpus["doc_id"].isin(profile.doc_ids)]
    n_ref, n_new = len(profile.lengths), len(new)
    ident = batch_id(new["doc_id"].tolist())
    if n_new < settings.min_documents:
        return DriftReport({}, settings.threshold, n_ref, n_new, ident, False,
                           f"{n_new} new document(s) beyond the champion's training corpus; "
                           f"at least {settings.min_documents} are needed to measure drift")
    texts = new["text"].tolist()
    bins = max(2, min(settings.bins, min(n_ref, n_new) // 10))
    lengths = np.array([len(words(t)) for t in texts])
    shares = vocabulary_shares(texts, profile.vocabulary)
    projections = (np.asarray(embed(texts), dtype=float) - profile.mean) @ profile.axes.T
    per_axis = [numeric_psi(profile.projections[:, i], projections[:, i], bins) for i in range(projections.shape[1])]
    figures = {"length": numeric_psi(profile.lengths, lengths, bins),
               "vocabulary": psi(profile.vocabulary_shares, shares),
               "embedding": float(np.mean(per_axis)),
               **{f"embedding_pc{i + 1}": value for i, value in enumerate(per_axis)}}
    report = DriftReport(figures, settings.threshold, n_ref, n_new, ident, True, "", projections, lengths, shares)
    views = ", ".join(f"{k} {figures[k]:.3f}" for k in ("length", "vocabulary", "embedding"))
    verdict = "drift" if report.drifted else "no drift"
    report.reason = (f"{verdict}: PSI max {report.score:.3f} {'>' if report.drifted else '<='} threshold "
                     f"{settings.threshold} ({views}) on {n_new} new vs {n_ref} reference documents")
    return report


def save_reference_corpus(corpus: pd.DataFrame, dataset_dir: Path) -> Path:
    """Keep the scrubbed documents a dataset was built from, to measure later drift against.

    The first corpus that produced a dataset version is kept: a later corpus giving the same
    examples added documents that taught the model nothing, so they stay "new" to it."""
    path = Path(dataset_dir) / REFERENCE_FILE
    if not path.exists():
        corpus[["doc_id", "text"]].to_parquet(path, index=False)
    return path


def load_profile(dataset_dir: Path, embed: Embed, settings: DriftSettings = DriftSettings()) -> DriftProfile:
    """The cached profile of a dataset's reference corpus, built on first use."""
    dataset_dir = Path(dataset_dir)
    cached = dataset_dir / PROFILE_FILE
    if cached.exists():
        return DriftProfile.load(cached)
    source = dataset_dir / REFERENCE_FILE
    if not source.exists():
        raise FileNotFoundError(f"{source} is missing: the dataset was built without its reference corpus")
    frame = pd.read_parquet(source)
    profile = DriftProfile.build(frame["doc_id"].tolist(), frame["text"].tolist(), embed, settings)
    profile.save(cached)
    return profile


def plot_png(profile: DriftProfile, report: DriftReport) -> bytes:
    """Reference vs new documents: length histogram, first two principal components, vocabulary."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax_len, ax_pc, ax_voc) = plt.subplots(1, 3, figsize=(14, 4))
    fig.suptitle(report.reason, fontsize=9, wrap=True)
    if report.measured:
        top = np.argsort(-profile.vocabulary_shares[:-1])[:12]
        ax_len.hist([profile.lengths, report.lengths], bins=20, density=True, label=["reference", "new"])
        ax_pc.scatter(profile.projections[:, 0], profile.projections[:, 1], s=8, alpha=0.5, label="reference")
        ax_pc.scatter(report.projections[:, 0], report.projections[:, 1], s=8, alpha=0.7, label="new")
        x = np.arange(len(top) + 1)
        ax_voc.bar(x - 0.2, np.append(profile.vocabulary_shares[top], profile.vocabulary_shares[-1]), 0.4, label="reference")
        ax_voc.bar(x + 0.2, np.append(report.vocabulary[top], report.vocabulary[-1]), 0.4, label="new")
        ax_voc.set_xticks(x, [profile.vocabulary[i] for i in top] + [OTHER], rotation=60, fontsize=7)
        for axis in (ax_len, ax_pc, ax_voc):
            axis.legend(fontsize=7)
    ax_len.set_title(f"words per document (PSI {report.psi.get('length', float('nan')):.3f})", fontsize=9)
    ax_pc.set_title(f"embedding PC1/PC2 (PSI {report.psi.get('embedding', float('nan')):.3f})", fontsize=9)
    ax_voc.set_title(f"vocabulary share (PSI {report.psi.get('vocabulary', float('nan')):.3f})", fontsize=9)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=80)
    plt.close(fig)
    return buffer.getvalue()


def png_markdown(png: bytes) -> str:
    """Inline image the Dagster UI renders in markdown metadata."""
    return f"![drift report](data:image/png;base64,{base64.b64encode(png).decode()})"
