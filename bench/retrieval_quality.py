"""Retrieval quality on real manuals nobody here wrote: vector vs full-text vs hybrid (vs hybrid +
rerank), same index, same questions, same run.

The documents are three Debian documentation packages fetched by ``bench/fetch_retrieval_docs.sh``;
the 83 questions in ``bench/retrieval_eval/questions.jsonl`` were written from the pages before any
search ran (see its README). The documents go through the chain's own reader and scrubber and are
indexed by ``build_index``, as ``make run`` does; read and scrubbed text and the index are cached
under ``.llmops/bench/retrieval_quality/``. Exits 1 when a target of issue 20 is missed. Usage:

    bench/fetch_retrieval_docs.sh /tmp/retrieval_docs
    .venv/bin/python bench/retrieval_quality.py [--docs /tmp/retrieval_docs] [--chunk-chars 800 ...]
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from llmops import settings as _settings  # noqa: E402,F401  (offline switches before the model loads)
from llmops.retrieval.embedder import Embedder  # noqa: E402
from llmops.retrieval.evaluation import answerable, evaluate, load_questions  # noqa: E402
from llmops.retrieval.index import IndexSettings, build_index  # noqa: E402
from llmops.retrieval.search import Retriever  # noqa: E402

CACHE = REPO / ".llmops" / "bench" / "retrieval_quality"
QUESTIONS = REPO / "bench" / "retrieval_eval" / "questions.jsonl"
MODES = {"vector": {"mode": "vector"}, "fulltext": {"mode": "fulltext"}, "hybrid": {"mode": "hybrid"}}
TARGET_GAIN, TARGET_HIT1, TARGET_HIT5 = 0.15, 0.85, 0.95


def corpus(docs: Path, scrub: bool) -> pd.DataFrame:
    """The documents as the chain's scrubbed corpus (cached by the files' names and sizes and the
    reader and scrubber code)."""
    files = sorted((str(p.relative_to(docs)), p.stat().st_size) for p in docs.rglob("*") if p.is_file())
    code = [p.read_bytes() for package in ("ingest", "pii") for p in sorted((REPO / "llmops" / package).glob("*.py"))]
    key = hashlib.sha256(repr((files, scrub, code)).encode()).hexdigest()[:16]
    path = CACHE / f"corpus-{key}.parquet"
    if path.exists():
        return pd.read_parquet(path)
    from llmops.ingest.raw_documents import read_documents

    started = time.perf_counter()
    frame = read_documents(docs).to_frame()
    if scrub:
        from llmops.pii.scrubber import Scrubber

        frame["text"] = [result.text for result in Scrubber().scrub_many(frame["text"].tolist())]
    print(f"read{' and scrubbed' if scrub else ''} {len(frame)} documents in {time.perf_counter() - started:.0f} s")
    CACHE.mkdir(parents=True, exist_ok=True)
    frame.to_parquet(path)
    return frame


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=Path, default=Path("/tmp/retrieval_docs"))
    parser.add_argument("--questions", type=Path, default=QUESTIONS)
    parser.add_argument("--chunk-chars", type=int, nargs="+", default=[800])
    parser.add_argument("--no-scrub", action="store_true", help="index the read text without scrubbing it")
    parser.add_argument("--fts-tokenizer", default=IndexSettings().fts_tokenizer, help="LanceDB full-text tokenizer")
    args = parser.parse_args()
    if not args.docs.is_dir():
        sys.exit(f"{args.docs} is missing: run bench/fetch_retrieval_docs.sh {args.docs}")
    docs = corpus(args.docs, not args.no_scrub)
    questions, dropped = answerable(load_questions(args.questions), zip(docs["source"], docs["text"]))
    print(f"{len(docs)} documents, {docs['text'].str.len().sum():,} characters; {len(questions)} answerable questions"
          + (f" ({len(dropped)} left out: {', '.join(q.id for q in dropped)})" if dropped else ""))
    embedder, ok = Embedder(), True
    for size in args.chunk_chars:
        # one table per chunk size, kept: a rerun embeds only what changed (nothing, usually)
        uri = str(CACHE / f"index-{hashlib.sha256(docs['text'].str.cat().encode()).hexdigest()[:12]}-{size}")
        started = time.perf_counter()
        built = build_index(docs, uri, embedder, IndexSettings(chunk_chars=size, overlap_chars=min(120, size // 4),
                                                               fts_tokenizer=args.fts_tokenizer))
        print(f"\nchunk_chars {size}: {built['chunks']} chunks, indexed in {time.perf_counter() - started:.0f} s")
        results = evaluate(Retriever(uri, embedder), questions, MODES)
        print(f"{'mode':<16}" + "".join(f"{m:>9}" for m in next(iter(results.values())).metrics))
        for mode, result in results.items():
            print(f"{mode:<16}" + "".join(f"{v:>9.3f}" for v in result.metrics.values()))
        kinds = sorted({q.kind for q in questions})
        print("hit@1 by kind: " + "; ".join(
            f"{kind} (n={sum(q.kind == kind for q in questions)}): " + ", ".join(
                f"{mode} {sum(r.ranks[q.id] == 1 for q in questions if q.kind == kind) / sum(q.kind == kind for q in questions):.2f}"
                for mode, r in results.items()) for kind in kinds))
        best = max((m for m in results if m != "vector"), key=lambda m: results[m].metrics["hit@1"])
        gain = results[best].metrics["hit@1"] - results["vector"].metrics["hit@1"]
        met = gain >= TARGET_GAIN and results[best].metrics["hit@1"] >= TARGET_HIT1 and results[best].metrics["hit@5"] >= TARGET_HIT5
        print(f"best {best}: hit@1 gain over vector {gain:+.3f} (target +{TARGET_GAIN}), hit@1 "
              f"{results[best].metrics['hit@1']:.3f} (target {TARGET_HIT1}), hit@5 {results[best].metrics['hit@5']:.3f} "
              f"(target {TARGET_HIT5}): {'met' if met else 'MISSED'}")
        ok &= met
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
