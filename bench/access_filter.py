"""What does the access scope cost a search? Hybrid search under 8 concurrent clients, micro-batched
as `/v1/search` answers them, on an index of about 10,000 chunks whose documents are labelled with
nine groups (60% ``everyone``, the rest one of eight departments): without a scope (an admin), with
a one-group reader's scope and with a three-group reader's scope; same index, same queries, same run,
the conditions interleaved so machine load falls on all alike. Printed: p50/p99 of each and the p99
ratio scoped / unscoped (goal of issue 22: at most 1.20). Exit status 1 when the goal is missed.

The corpus is the sample generator's at a larger size (labels by a hash of the document id); the
index is kept under ``.llmops/bench/access_filter/``. Usage:

    .venv/bin/python bench/access_filter.py [--chunks 10000] [--clients 8] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import sys
import tempfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from llmops import settings as _settings  # noqa: E402,F401  (offline environment)
from llmops.ingest.raw_documents import read_documents  # noqa: E402
from llmops.retrieval.embedder import Embedder  # noqa: E402
from llmops.retrieval.filters import access_scope  # noqa: E402
from llmops.retrieval.index import IndexSettings, build_index  # noqa: E402
from llmops.retrieval.search import Retriever  # noqa: E402
from llmops.sample.corpus import generate_corpus  # noqa: E402
from bench.search_latency import clients  # noqa: E402  (the same 8 clients, micro-batched as /v1/search is)

CACHE = REPO / ".llmops" / "bench" / "access_filter"
CHUNKING = IndexSettings(chunk_chars=320, overlap_chars=60)
CHUNKS_PER_DOC = 4.1  # what the sample generator's documents give at 320 characters
DEPARTMENTS = ["hr", "it", "finance", "legal", "sales", "support", "rd", "exec"]
GOAL = 1.20
QUERIES = ["backup schedule", "proxy port", "password reset", "travel approval", "warranty claim", "VPN access",
           "expense limit", "printer driver", "holiday request", "laptop encryption",
           "How many vacation days do I get?", "What does error E204 mean?", "How do I reset the hub?",
           "Who approves a business trip?", "What is the refund window for a battery?",
           "Can I install the home battery myself?", "How do I enable MFA on my laptop?",
           "When are salaries paid?", "What are the support hours on Saturday?", "How do I pair the thermostat?"]


def label(doc_id: str) -> str:
    """60% everyone, the rest spread over the departments, fixed by the document id."""
    bucket = int(hashlib.sha256(doc_id.encode()).hexdigest()[:8], 16) % 20
    return "everyone" if bucket < 12 else DEPARTMENTS[bucket - 12]


def index(n_chunks: int) -> str:
    uri = str(CACHE / f"index-{n_chunks}")
    with tempfile.TemporaryDirectory() as tmp:
        generate_corpus(Path(tmp), int(n_chunks / CHUNKS_PER_DOC), seed=22)
        corpus = read_documents(Path(tmp)).to_frame()
    corpus["groups"] = corpus["doc_id"].map(label)
    built = build_index(corpus, uri, Embedder(), CHUNKING)
    print(f"index: {built['chunks']} chunks of {built['documents']} documents ({built['ann_index']}); "
          f"groups: {corpus['groups'].value_counts().to_dict()}")
    return uri


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chunks", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    retriever = Retriever(index(args.chunks), Embedder(runtime="onnx"))
    queries = QUERIES * 8
    scopes = {"admin (no scope)": None, "reader, 1 group": access_scope(["hr"]),
              "reader, 3 groups": access_scope(["hr", "it", "finance"])}
    for scope in scopes.values():  # warm-up: ONNX session, index caches
        retriever.search_many(queries[:8], 5, scope)
    latencies: dict[str, list[float]] = {name: [] for name in scopes}
    for _ in range(args.rounds):
        for name, scope in scopes.items():
            latencies[name] += asyncio.run(clients(retriever, queries, args.clients, scope))
    p = {name: (float(np.percentile(v, 50)), float(np.percentile(v, 99))) for name, v in latencies.items()}
    for name, (p50, p99) in p.items():
        print(f"{name:<18} {args.clients} clients, {len(latencies[name])} searches: p50 {p50:.1f} ms, p99 {p99:.1f} ms")
    base = p["admin (no scope)"][1]
    worst = max(p99 / base for name, (_, p99) in p.items() if name != "admin (no scope)")
    for name, (_, p99) in p.items():
        if name != "admin (no scope)":
            print(f"{name}: p99 {p99 / base:.2f}x the unscoped p99")
    print(f"goal: scoped p99 <= {GOAL:.2f}x unscoped: {'met' if worst <= GOAL else 'MISSED'} ({worst:.2f}x)")
    return 0 if worst <= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
