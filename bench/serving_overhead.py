"""What the serving safety layer costs, against the same server without it, in one process.

1. Keys + audit + metrics middleware: p50/p99 of ``POST /v1/search`` (no generation, so the
   layer's share is visible) with a key store and audit log vs with neither.
2. Leak-proof streaming: scrubbing a streamed answer at each sentence boundary (everything so far,
   with the question as context) vs scrubbing the finished answer once, and how many characters
   are held back before the first release.

Run: .venv/bin/python bench/serving_overhead.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
from fastapi.testclient import TestClient

from llmops.ops.api_keys import KeyStore
from llmops.ops.audit_log import AuditLog
from llmops.train.base_model import BaseModelSpec
from llmops.train.chat_model import load_chat_model
from llmops.pii.scrubber import Scrubber
from llmops.serving.answerer import Answerer, ScrubbedStream
from llmops.serving.app import create_app
from llmops.serving.state import ServerConfig
from llmops.settings import Settings
from llmops.retrieval.embedder import Embedder
from llmops.retrieval.index import build_index
from llmops.retrieval.search import Retriever
from llmops.pii.config import pipeline_config

QUESTION = "Hi, I am Priya Raman (priya.raman@example.com). How do I reset the Aura thermostat after error E14?"
ANSWER = ("Thanks Priya. Hold the dial for 12 seconds until the ring flashes amber. If error E14 stays, the "
          "temperature sensor is disconnected: reseat the sensor cable and restart the unit. Support can also "
          "call you back on +44 20 7946 0958 between 08:00 and 18:00 CET.\nPlease keep your receipt for the "
          "3-year Lumora warranty.")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def search_latencies(client: TestClient, headers: dict[str, str], n: int) -> list[float]:
    times = []
    for i in range(n):
        start = time.perf_counter()
        reply = client.post("/v1/search", headers=headers, json={"query": f"thermostat error E1{i % 10}", "k": 4})
        times.append(time.perf_counter() - start)
        assert reply.status_code == 200, reply.text
    return times


def main(n: int = 200) -> None:
    root = Path(tempfile.mkdtemp(prefix="bench-serving-"))
    corpus = pd.DataFrame([{"doc_id": f"d{i}", "doc_type": "faq", "title": f"FAQ {i}", "source": f"faq/{i}.md",
                            "text": f"Error E1{i % 10}: reseat cable {i}. " * 20} for i in range(200)])
    build_index(corpus, str(root / "lance"), Embedder())
    scrubber = Scrubber(pipeline_config())
    chat = load_chat_model(BaseModelSpec(), Settings.from_env().model_cache)
    answerer = Answerer(chat, Retriever(str(root / "lance"), Embedder()), "bench:1", "You are helpful.", scrubber)
    keys = KeyStore(root / "keys.json")
    _, secret = keys.create("reader")

    bare = TestClient(create_app(answerer))
    guarded = TestClient(create_app(answerer, ServerConfig(keys=keys, audit=AuditLog(root / "audit.jsonl"))))
    auth = {"Authorization": f"Bearer {secret}"}
    search_latencies(bare, {}, 20)  # warm-up (embedder, index)
    search_latencies(guarded, auth, 20)
    plain, layered = [], []
    for _ in range(4):  # interleave so machine load hits both alike
        plain += search_latencies(bare, {}, n // 4)
        layered += search_latencies(guarded, auth, n // 4)
    p50_plain, p50_layered = statistics.median(plain), statistics.median(layered)
    print(f"/v1/search over {n} requests, {len(corpus)} docs: without keys/audit p50 {p50_plain * 1000:.1f} ms "
          f"p99 {percentile(plain, 0.99) * 1000:.1f} ms; with keys+audit p50 {p50_layered * 1000:.1f} ms "
          f"p99 {percentile(layered, 0.99) * 1000:.1f} ms; ratio p50 {p50_layered / p50_plain:.2f}x")

    tokens = chat.tokenizer(ANSWER, add_special_tokens=False)["input_ids"]
    pieces = [chat.tokenizer.decode(tokens[:i + 1]) for i in range(len(tokens))]
    deltas = [pieces[0], *(b[len(a):] for a, b in zip(pieces, pieces[1:]))]
    runs_once, runs_stream, held = [], [], 0
    for _ in range(5):
        start = time.perf_counter()
        once = answerer.scrub(ANSWER, [QUESTION])
        runs_once.append(time.perf_counter() - start)
        guard = ScrubbedStream(lambda texts: answerer.scrub_results([QUESTION, *texts])[1:])
        start, released = time.perf_counter(), []
        for delta in deltas:
            released.append(guard.feed(delta))
        released.append(guard.finish())
        runs_stream.append(time.perf_counter() - start)
        held = len("".join(deltas[: next(i for i, r in enumerate(released) if r) + 1]))
    assert "Priya" not in "".join(released) and "7946" not in "".join(released)
    assert guard.released == once, (guard.released, once)
    once_s, stream_s = statistics.median(runs_once), statistics.median(runs_stream)
    print(f"streamed answer of {len(tokens)} tokens, {len(ANSWER)} chars: scrub once {once_s * 1000:.1f} ms, "
          f"scrub at each boundary {stream_s * 1000:.1f} ms ({stream_s / once_s:.2f}x); first release after "
          f"{held} chars of {len(ANSWER)}; streamed text identical to the one-shot scrub")
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
