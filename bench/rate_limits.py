"""Does one flooding key hurt the others? Two API keys against one real server (uvicorn, the base
model decoding in the batched engine, a LanceDB index, keys and audit on): a steady key sends
requests one after another, first alone, then while a second key floods at 20 times its own
requests-per-minute limit from several threads, and then while a key without a limit sends the
same flood. Printed: the steady key's p50/p99 in each condition and its p99 over the p99 alone
(goal: within 1.5x beside the limited flood), and what each flood got (answered vs 429). Done for
``/v1/search`` and for ``/v1/chat/completions``; the conditions alternate so machine load falls on
all alike. Exit status 1 when the goal is missed.

Run: .venv/bin/python bench/rate_limits.py [--searches 100] [--chats 12]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
import pandas as pd
import uvicorn

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from llmops.settings import Settings  # noqa: E402  (offline switches before the models load)
from llmops.ops.api_keys import KeyStore  # noqa: E402
from llmops.ops.audit_log import AuditLog  # noqa: E402
from llmops.pii.config import pipeline_config  # noqa: E402
from llmops.pii.scrubber import Scrubber  # noqa: E402
from llmops.retrieval.embedder import Embedder  # noqa: E402
from llmops.retrieval.index import build_index  # noqa: E402
from llmops.retrieval.search import Retriever  # noqa: E402
from llmops.serving.answerer import Answerer  # noqa: E402
from llmops.serving.app import create_app  # noqa: E402
from llmops.serving.batched_generation import BatchedChatModel  # noqa: E402
from llmops.serving.state import ServerConfig  # noqa: E402
from llmops.train.base_model import BaseModelSpec  # noqa: E402
from llmops.train.chat_model import load_chat_model  # noqa: E402

FLOOD_FACTOR = 20
FLOOD_THREADS = 4
TOPICS = ["backup schedule", "proxy port", "password reset", "travel approval", "warranty claim", "VPN access",
          "expense limit", "printer driver", "holiday request", "laptop encryption"]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


class Flood:
    """``threads`` threads sending ``send()`` at ``per_minute`` in all until stopped; counts statuses."""

    def __init__(self, send, per_minute: float, threads: int = FLOOD_THREADS) -> None:
        self.send, self.gap, self.threads = send, threads * 60.0 / per_minute, threads
        self.statuses: Counter[int] = Counter()
        self._stop = threading.Event()
        self._workers = [threading.Thread(target=self._run, daemon=True) for _ in range(threads)]

    def _run(self) -> None:
        while not self._stop.is_set():
            began = time.perf_counter()
            self.statuses[self.send()] += 1
            self._stop.wait(max(0.0, self.gap - (time.perf_counter() - began)))

    def __enter__(self) -> Flood:
        for worker in self._workers:
            worker.start()
        time.sleep(0.5)  # the flood is on before the steady key starts
        return self

    def __exit__(self, *_) -> None:
        self._stop.set()
        for worker in self._workers:
            worker.join()


def steady(send, n: int, pause_s: float) -> list[float]:
    times = []
    for _ in range(n):
        began = time.perf_counter()
        status = send()
        times.append(time.perf_counter() - began)
        assert status == 200, f"the steady key got {status}"
        time.sleep(pause_s)
    return times


def compare(name: str, steady_send, flood_sends: dict[str, object], flood_rpm: int, n: int,
            pause_s: float) -> dict[str, float]:
    """The steady key's latencies alone and beside each flood (same request rate: 20x the limited
    key's limit); returns each condition's p99 over the p99 alone."""
    times: dict[str, list[float]] = {"alone": [], **{label: [] for label in flood_sends}}
    statuses: dict[str, Counter[int]] = {label: Counter() for label in flood_sends}
    for _ in range(2):  # alternate, so drifting machine load falls on every condition
        times["alone"] += steady(steady_send, n // 2, pause_s)
        for label, flood_send in flood_sends.items():
            with Flood(flood_send, flood_rpm * FLOOD_FACTOR) as flood:
                times[label] += steady(steady_send, n // 2, pause_s)
            statuses[label] += flood.statuses
            time.sleep(60.0 * 2 / flood_rpm)  # let the flood key's bucket refill between rounds
    p99_alone = percentile(times["alone"], 0.99)
    print(f"{name}, steady key ({n} requests per condition; flood: {FLOOD_FACTOR * flood_rpm} rpm from "
          f"{FLOOD_THREADS} threads):")
    ratios = {}
    for label, latencies in times.items():
        p99 = percentile(latencies, 0.99)
        ratios[label] = p99 / p99_alone
        got = ", ".join(f"{status}: {count}" for status, count in sorted(statuses[label].items())) if label in statuses else ""
        print(f"  {label:34} p50 {statistics.median(latencies) * 1000:6.0f} ms  p99 {p99 * 1000:6.0f} ms  "
              f"p99/alone {ratios[label]:.2f}x" + (f"  (flood got {got})" if got else ""))
    return ratios


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--searches", type=int, default=100)
    parser.add_argument("--chats", type=int, default=12)
    parser.add_argument("--search-flood-rpm", type=int, default=30, help="the search-flooding key's limit")
    parser.add_argument("--chat-flood-rpm", type=int, default=6, help="the chat-flooding key's limit")
    args = parser.parse_args()

    root = Path(tempfile.mkdtemp(prefix="bench-limits-"))
    corpus = pd.DataFrame([{"doc_id": f"d{i}", "doc_type": "faq", "title": f"{topic.title()} {i}", "source": f"faq/{i}.md",
                            "text": f"# {topic.title()}\n\nThe {topic} is handled by team {i % 7}: open a request in the "
                                    f"portal and allow {i % 5 + 1} working days. " * 4}
                           for i, topic in enumerate(TOPICS * 20)])
    embedder = Embedder()
    build_index(corpus, str(root / "lance"), embedder)
    chat = BatchedChatModel(load_chat_model(BaseModelSpec(), Settings.from_env().model_cache))
    answerer = Answerer(chat, Retriever(str(root / "lance"), embedder), "bench:1", "Answer from the passages.",
                        Scrubber(pipeline_config()))
    keys = KeyStore(root / "keys.json")
    _, steady_secret = keys.create("reader", "steady", rpm=10_000)
    _, search_flood = keys.create("reader", "search flood", rpm=args.search_flood_rpm)
    _, chat_flood = keys.create("reader", "chat flood", rpm=args.chat_flood_rpm)
    _, unlimited = keys.create("reader", "flood without a limit", rpm=1_000_000)
    config = ServerConfig(keys=keys, audit=AuditLog(root / "audit.jsonl"))
    port = 18000 + os.getpid() % 1000
    server = uvicorn.Server(uvicorn.Config(create_app(answerer, config), host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.1)
    url = f"http://127.0.0.1:{port}"
    client = httpx.Client(timeout=300)
    counter = iter(range(10**9))

    def search(secret: str):
        def send() -> int:
            query = f"{TOPICS[next(counter) % len(TOPICS)]} request"
            return client.post(f"{url}/v1/search", headers={"Authorization": f"Bearer {secret}"},
                               json={"query": query, "k": 4}).status_code
        return send

    def ask(secret: str):
        def send() -> int:
            question = f"How long does a {TOPICS[next(counter) % len(TOPICS)]} take?"
            return client.post(f"{url}/v1/chat/completions", headers={"Authorization": f"Bearer {secret}"},
                               json={"messages": [{"role": "user", "content": question}], "max_tokens": 24}).status_code
        return send

    steady(search(steady_secret), 10, 0)  # warm-up: embedder, index, model
    steady(ask(steady_secret), 2, 0)
    limited = "flood by a key limited to {} rpm"
    results = {"search": compare("/v1/search", search(steady_secret),
                                 {limited.format(args.search_flood_rpm): search(search_flood),
                                  "the same flood, no limit": search(unlimited)}, args.search_flood_rpm, args.searches, 0.05),
               "chat": compare("/v1/chat/completions", ask(steady_secret),
                               {limited.format(args.chat_flood_rpm): ask(chat_flood),
                                "the same flood, no limit": ask(unlimited)}, args.chat_flood_rpm, args.chats, 0.2)}
    server.should_exit = True
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}, Python {sys.version.split()[0]}")
    worst = max(ratios[label] for ratios in results.values() for label in ratios if label.startswith("flood by"))
    sys.exit(0 if worst <= 1.5 else 1)


if __name__ == "__main__":
    main()
