"""Serving benchmark: a real `llmops serve` (uvicorn, real model, real LanceDB index, API keys) under
8 concurrent clients, against a naive baseline measured in the same run.

Measures p50/p99 latency of /v1/search, p50/p99 time to first token of streamed
/v1/chat/completions (first event, and first answer text: the server holds back the last few
words until they are scrubbed), and aggregate generated tokens/s for 64-token answers; and one
client alone, the floor of time to first token (retrieval plus one prompt's prefill).
Baseline: the same prompts (same retrieval context) answered by one `model.generate` per request,
serialized, no batching, in this process, with the server's weight precision (``--precision``, as
``llmops serve --precision``). Also the llama.cpp backend on the champion's GGUF export.

The champion registered here is the base model with a LoRA adapter at peft's default init
(a zero update): the same compute as any trained adapter, without a training run.

    .venv/bin/python bench/serve.py [--clients 8] [--requests 2] [--backends transformers llamacpp] [--precision fp32]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from llmops import settings as _settings  # noqa: E402,F401  (offline environment)
from llmops.train.base_model import PRECISIONS  # noqa: E402

QUESTIONS = [
    "Explain the vacation policy in detail, step by step.",
    "How do I pair the Gridbox with the app? Describe every step.",
    "What does the warranty cover and how do I make a claim?",
    "Describe the expense reimbursement process in detail.",
    "What are the support hours and how can customers reach support?",
    "Explain the security rules for passwords and laptops.",
    "How is a customer ticket escalated? Give all the steps.",
    "Summarize the onboarding process for new employees.",
]
SEARCHES = ["vacation days", "warranty claim", "support hours", "password policy", "pair the device", "expenses"]
MODEL_NAME = "bench-assistant"
SYSTEM_PROMPT = "You are the company assistant. Answer from the documents."


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def setup(home: Path) -> str:
    """A registry with a champion, the sample corpus indexed, and a reader API key (returned)."""
    import mlflow
    import torch
    from peft import LoraConfig, get_peft_model

    from llmops.ops.api_keys import KeyStore, default_keys_path
    from llmops.train.base_model import BaseModelSpec, load_base_model
    from llmops.train.chat_model import AdapterChatPyfunc
    from llmops.train.lora_adapter import MODEL_REQUIREMENTS
    from llmops.ingest.raw_documents import read_documents
    from llmops.settings import Settings
    from llmops.registry.tracking import configure_mlflow
    from llmops.retrieval.embedder import Embedder
    from llmops.retrieval.index import build_index
    from llmops.registry.models import CHAMPION, ModelRegistry

    settings = Settings.from_env()
    configure_mlflow(settings.mlflow_tracking_uri, "bench")
    spec = BaseModelSpec()
    torch.manual_seed(0)
    model, _ = load_base_model(spec, settings.model_cache)
    get_peft_model(model, LoraConfig(r=8, target_modules=["q_proj", "v_proj"])).save_pretrained(home / "adapter")
    config = {"base_model": spec.to_dict(), "system_prompt": SYSTEM_PROMPT,
              "generation": {"max_new_tokens": 64, "repetition_penalty": 1.1, "batch_size": 8}, "data_version": "bench"}
    with mlflow.start_run():
        info = mlflow.pyfunc.log_model(name="model", python_model=AdapterChatPyfunc(), model_config=config,
                                       artifacts={"adapter": str(home / "adapter")}, pip_requirements=MODEL_REQUIREMENTS)
    registry = ModelRegistry.at(settings.mlflow_tracking_uri, MODEL_NAME)
    registry.point(CHAMPION, registry.register(info.model_uri))
    frames = [read_documents(REPO / "data" / "sample" / part).to_frame() for part in ("faq", "policies", "manuals")]
    import pandas as pd

    print("index:", build_index(pd.concat(frames, ignore_index=True), settings.lancedb_uri, Embedder()))
    return KeyStore(default_keys_path(settings.home)).create("reader", "bench")[1]


def start_server(port: int, backend: str, log: Path, precision: str = "fp32") -> subprocess.Popen:
    command = [str(Path(sys.executable).parent / "llmops"), "serve", "--port", str(port), "--backend", backend,
               "--model-name", MODEL_NAME, "--poll-interval", "0", "--precision", precision]
    server = subprocess.Popen(command, stdout=log.open("w"), stderr=subprocess.STDOUT, cwd=REPO)
    deadline = time.monotonic() + 900
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"server exited with {server.returncode}: {log.read_text()[-3000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(1)
    server.terminate()
    raise TimeoutError(f"server not ready: {log.read_text()[-3000:]}")


def run_clients(client: Callable[[int], list], clients: int) -> tuple[list, float]:
    """Run ``client(i)`` for ``clients`` concurrent clients: every result they return, and the wall time."""
    start = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        results = [r for rs in pool.map(client, range(clients)) for r in rs]
    return results, time.perf_counter() - start


def bench_search(base: str, key: str, clients: int, per_client: int) -> dict:
    headers = {"authorization": f"Bearer {key}"}

    def client(index: int) -> list[float]:
        times = []
        with httpx.Client(base_url=base, headers=headers, timeout=60) as http:
            for i in range(per_client):
                start = time.perf_counter()
                response = http.post("/v1/search", json={"query": SEARCHES[(index + i) % len(SEARCHES)], "k": 5})
                response.raise_for_status()
                times.append(time.perf_counter() - start)
        return times

    before = _search_batches(base)
    times, _ = run_clients(client, clients)
    after = _search_batches(base)
    return {"n": len(times), "p50_ms": 1000 * percentile(times, 50), "p99_ms": 1000 * percentile(times, 99),
            "batch_mean": (after[0] - before[0]) / max(1.0, after[1] - before[1])}


def _search_batches(base: str) -> tuple[float, float]:
    """(searches, batches) the server has answered so far, from its /metrics."""
    values = dict(line.rsplit(" ", 1) for line in httpx.get(f"{base}/metrics").text.splitlines()
                  if line.startswith("llmops_search_batch_size_"))
    return float(values.get("llmops_search_batch_size_sum", 0)), float(values.get("llmops_search_batch_size_count", 0))


def bench_chat(base: str, key: str, clients: int, per_client: int, max_tokens: int) -> dict:
    headers = {"authorization": f"Bearer {key}"}

    def one(http: httpx.Client, question: str) -> tuple[float, float, int, int]:
        body = {"messages": [{"role": "user", "content": question}], "max_tokens": max_tokens, "stream": True,
                "stream_options": {"include_usage": True}}
        start = time.perf_counter()
        first_event = first_text = None
        tokens = prompt_tokens = 0
        with http.stream("POST", "/v1/chat/completions", json=body) as response:
            response.raise_for_status()
            for line in response.iter_lines():
                if not line.startswith("data: ") or line == "data: [DONE]":
                    continue
                event = json.loads(line[len("data: "):])
                now = time.perf_counter() - start
                first_event = first_event if first_event is not None else now
                if first_text is None and any(c["delta"].get("content") for c in event["choices"]):
                    first_text = now
                if event.get("usage"):
                    tokens, prompt_tokens = event["usage"]["completion_tokens"], event["usage"]["prompt_tokens"]
        return first_event, first_text if first_text is not None else time.perf_counter() - start, tokens, prompt_tokens

    def client(index: int) -> list[tuple[float, float, int, int]]:
        with httpx.Client(base_url=base, headers=headers, timeout=600) as http:
            return [one(http, QUESTIONS[(index + i) % len(QUESTIONS)]) for i in range(per_client)]

    results, wall = run_clients(client, clients)
    tokens = sum(r[2] for r in results)
    return {"n": len(results), "tokens": tokens, "wall_s": wall, "tokens_per_s": tokens / wall,
            "prompt_tokens_mean": statistics.mean(r[3] for r in results),
            "ttft_event_p50_s": percentile([r[0] for r in results], 50),
            "ttft_event_p99_s": percentile([r[0] for r in results], 99),
            "ttft_text_p50_s": percentile([r[1] for r in results], 50),
            "ttft_text_p99_s": percentile([r[1] for r in results], 99)}


def bench_naive(clients: int, per_client: int, max_tokens: int, precision: str) -> dict:
    """The same prompts (retrieval context included), one serialized model.generate each."""
    import mlflow
    import torch

    from llmops.serving.backends import in_precision
    from llmops.serving.answerer import Answerer
    from llmops.settings import Settings
    from llmops.registry.models import ModelRegistry
    from llmops.retrieval.embedder import Embedder
    from llmops.retrieval.search import Retriever

    settings = Settings.from_env()
    mlflow.set_tracking_uri(settings.mlflow_tracking_uri)
    registry = ModelRegistry.at(settings.mlflow_tracking_uri, MODEL_NAME)
    pyfunc = registry.load(registry.champion().version).unwrap_python_model()
    chat = in_precision(pyfunc.chat, precision)  # the server's weights
    answerer = Answerer(chat, Retriever(settings.lancedb_uri, Embedder()), MODEL_NAME, pyfunc.system_prompt)
    lock = threading.Lock()
    eos = chat.tokenizer.eos_token_id

    def one(question: str) -> tuple[float, int]:
        start = time.perf_counter()
        messages = [{"role": "user", "content": question}]
        prompt = chat.render(answerer.build_messages(messages, answerer.retrieve(messages, 4)))
        ids = chat.tokenizer(prompt, add_special_tokens=False, return_tensors="pt")
        with lock, torch.inference_mode():
            output = chat.model.generate(**ids, max_new_tokens=max_tokens, do_sample=False,
                                         repetition_penalty=chat.generation.repetition_penalty, pad_token_id=eos)
        row = output[0, ids["input_ids"].shape[1]:].tolist()
        return time.perf_counter() - start, row.index(eos) if eos in row else len(row)

    def client(index: int) -> list[tuple[float, int]]:
        return [one(QUESTIONS[(index + i) % len(QUESTIONS)]) for i in range(per_client)]

    results, wall = run_clients(client, clients)
    tokens = sum(r[1] for r in results)
    return {"n": len(results), "tokens": tokens, "wall_s": wall, "tokens_per_s": tokens / wall,
            "answer_p50_s": percentile([r[0] for r in results], 50), "answer_p99_s": percentile([r[0] for r in results], 99)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=2, help="chat requests per client")
    parser.add_argument("--searches", type=int, default=25, help="search requests per client")
    parser.add_argument("--max-tokens", type=int, default=64)
    parser.add_argument("--backends", nargs="+", default=["transformers", "llamacpp"])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--precision", default="fp32", choices=PRECISIONS,
                        help="the transformers server's weights, and the naive baseline's")
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    os.environ.update({"LLMOPS_HOME": str(home), "LLMOPS_MODEL_CACHE": str(REPO / ".llmops" / "models")})
    for name in ("MLFLOW_TRACKING_URI", "LANCEDB_URI", "LLMOPS_API_KEYS", "LLMOPS_API_KEYS_FILE", "LLMOPS_BACKEND"):
        os.environ.pop(name, None)
    key = setup(home)
    results: dict[str, dict] = {}
    for backend in args.backends:
        server = start_server(args.port, backend, home / f"server-{backend}.log", args.precision)
        base = f"http://127.0.0.1:{args.port}"
        try:
            if backend == args.backends[0]:
                bench_search(base, key, 1, 2)  # warm-up: first-call costs left after the server's own warm-up
                results["search"] = bench_search(base, key, args.clients, args.searches)
                print("search:", json.dumps(results["search"]), flush=True)
            bench_chat(base, key, 1, 1, 8)  # warm-up: first-call costs (lazy imports, allocations)
            # one client alone: the floor of time to first token (retrieval + one prompt's prefill + first words)
            results[f"{backend}-1-client"] = bench_chat(base, key, 1, len(QUESTIONS), args.max_tokens)
            print(f"{backend} 1 client:", json.dumps(results[f"{backend}-1-client"]), flush=True)
            results[backend] = bench_chat(base, key, args.clients, args.requests, args.max_tokens)
            print(f"{backend}:", json.dumps(results[backend]), flush=True)
        finally:
            server.terminate()
            server.wait(timeout=60)
    results["naive"] = bench_naive(args.clients, args.requests, args.max_tokens, args.precision)
    print("naive:", json.dumps(results["naive"]), flush=True)
    naive = results["naive"]["tokens_per_s"]
    for backend in args.backends:
        print(f"{backend} server / naive generate tokens/s: {results[backend]['tokens_per_s'] / naive:.2f}x")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
