"""The serving API end to end: a real adapter in a real MLflow registry, a real LanceDB index, and a
real uvicorn server on a free port, called by the stock ``openai`` client, httpx, schemathesis and
headless Chromium. One module-scoped server; the hot-swap test promotes a new version, so it runs
after the tests that expect version 1 (pytest keeps file order)."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import httpx
import pandas as pd
import pytest
import uvicorn
from fastapi.testclient import TestClient

from llmops import cli
from llmops.ingest.blocks import Block, render
from llmops.ops.api_keys import KeyStore, RateLimits, hash_key
from llmops.ops.audit_log import AuditLog, AuditRecord
from llmops.ops.responses import Remembered, ResponseMemory
from llmops.train.chat_model import GenerationSettings
from llmops.monitor.feedback import FeedbackStore
from llmops.train.lora_adapter import TrainSettings, train_lora
from llmops.pii.scrubber import Scrubber
from llmops.registry.models import CHALLENGER, ModelRegistry
from llmops.registry.promotion import promote_version
from llmops.serving.answerer import Answerer, ScrubbedStream
from llmops.serving.app import create_app
from llmops.serving.models import ServedModels, load_served_models
from llmops.serving.schemas import Limits
from llmops.serving.state import ServerConfig
from llmops.train.sft_dataset import SFTSettings, build_examples, save_dataset
from llmops.registry.tracking import configure_mlflow
from llmops.retrieval.embedder import Embedder
from llmops.retrieval.index import build_index
from llmops.retrieval.search import Retriever
from llmops.pii.config import pipeline_config
from tests.conftest import REPO

NAME = "serving-assistant"
SYSTEM = "You are the Lumora assistant."
FACTS = [
    ("How long is the Lumora warranty?", "Every Lumora device has a 3-year limited warranty."),
    ("What does error E14 mean?", "E14 means the temperature sensor is disconnected; reseat the sensor cable."),
    ("What are the support hours?", "Support is open Monday to Friday, 08:00 to 18:00 CET."),
    ("How do I pair the Gridbox?", "Press the pair button twice and open the Lumora app."),
]
# planted personal data: none of it may reach the audit log, the feedback store or an answer
PII = {"name": "Priya Raman", "email": "priya.raman@example.com", "phone": "+44 20 7946 0958"}
PII_PROMPT = f"I am {PII['name']}, mail me at {PII['email']} or call {PII['phone']}. How long is the Lumora warranty?"
PII_FRAGMENTS = ["Priya", "Raman", "priya.raman", "7946 0958"]
# A manual as the PDF reader renders it, indexed (not trained on) beside the FAQs: one chunk per page.
GUIDE = {"doc_id": "guide", "doc_type": "manual", "title": "Gridbox guide", "source": "manuals/gridbox-guide.pdf",
         "text": render([Block("heading", "Gridbox guide", 1, "page 1"),
                         Block("paragraph", "Mount the Gridbox on a wall near the electricity meter."),
                         Block("heading", "Network", 2, "page 2"), Block("heading", "Proxy", 3),
                         Block("paragraph", "Set the Gridbox proxy port to 8080 in the web console."),
                         Block("heading", "Safety", 2, "page 3"),
                         Block("paragraph", "Never open the Gridbox housing while it is powered.")])}
INDEXED_CHUNKS = len(FACTS) + 3


@dataclass
class Server:
    url: str
    served: ServedModels
    keys: dict[str, str]  # label -> secret
    key_ids: dict[str, str]
    audit: AuditLog
    feedback: FeedbackStore
    registry: ModelRegistry
    tracking_uri: str
    home: Path

    def auth(self, label: str = "reader") -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[label]}"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory, base_spec, model_cache):
    root = tmp_path_factory.mktemp("serving")
    tracking_uri = f"sqlite:///{root}/mlflow.db"
    configure_mlflow(tracking_uri, "serving-test", str(root / "artifacts"))
    corpus = pd.DataFrame([{"doc_id": f"doc{i}", "doc_type": "faq", "title": f"FAQ {i}", "source": f"faq/{i}.md",
                            "text": f"# FAQ {i}\n\n## {q}\n{a}"} for i, (q, a) in enumerate(FACTS)])
    save_dataset(build_examples(corpus, SFTSettings(system_prompt=SYSTEM, test_fraction=0.25, validation_fraction=0.0)), root / "ds")
    trained = train_lora(root / "ds", root / "out", base_spec, model_cache, TrainSettings(max_steps=1, logging_steps=1),
                         SYSTEM, GenerationSettings(max_new_tokens=16))
    registry = ModelRegistry.at(tracking_uri, NAME)
    for _ in range(2):  # v1 serves first; v2 (same weights) is promoted by the hot-swap test
        registry.register(trained.model_uri)
    promote_version(registry, 1, "serving test")
    build_index(pd.concat([corpus, pd.DataFrame([GUIDE])]), str(root / "lance"), Embedder())

    store = KeyStore(root / "api_keys.json", env_value=f"env-bot:reader:{hash_key('env-secret-for-tests')}")
    secrets, ids = {"env": "env-secret-for-tests"}, {"env": "env-bot"}
    for label, role in [("reader", "reader"), ("other", "reader"), ("admin", "admin"), ("revoked", "reader")]:
        key, secret = store.create(role, label)
        secrets[label], ids[label] = secret, key.id
    store.revoke(ids["revoked"])

    served = load_served_models(NAME, tracking_uri, str(root / "lance"), "corpus_chunks",
                                Scrubber(pipeline_config()))
    assert "model" in vars(served.champion.retriever.embedder)  # loaded before the port opens, not on a first query
    audit, feedback = AuditLog(root / "audit.jsonl"), FeedbackStore(root / "feedback.jsonl")
    # role limits high enough for the whole module (schemathesis alone sends hundreds); the limit
    # tests give their own keys low ones
    config = ServerConfig(keys=store, audit=audit, feedback=feedback, poll_interval_s=0.5,
                          limits=Limits(max_body_bytes=200_000, max_new_tokens=12),
                          role_limits={role: RateLimits(100_000, 10_000_000) for role in ("reader", "admin")})
    port = _free_port()
    uv = uvicorn.Server(uvicorn.Config(create_app(served, config), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.time() + 60
    while not uv.started and time.time() < deadline:
        time.sleep(0.1)
    assert uv.started, "server did not start"
    yield Server(f"http://127.0.0.1:{port}", served, secrets, ids, audit, feedback, registry, tracking_uri, root)
    uv.should_exit = True
    thread.join(timeout=10)


def _chat(server: Server, content: str, label: str = "reader", **extra) -> httpx.Response:
    return httpx.post(f"{server.url}/v1/chat/completions", headers=server.auth(label), timeout=120,
                      json={"messages": [{"role": "user", "content": content}], "max_tokens": 8, **extra})


def test_openai_client_chat_stream_and_models(server: Server) -> None:
    from openai import OpenAI

    client = OpenAI(base_url=f"{server.url}/v1", api_key=server.keys["reader"], max_retries=0)
    raw = client.chat.completions.with_raw_response.create(
        model=NAME, messages=[{"role": "user", "content": "What does error E14 mean?"}], max_tokens=10)
    reply = raw.parse()
    assert raw.headers["x-model-version"] == reply.model == f"{NAME}:1"
    assert reply.choices[0].message.content and reply.choices[0].finish_reason in ("stop", "length")
    assert reply.usage.total_tokens == reply.usage.prompt_tokens + reply.usage.completion_tokens
    assert "E14" in reply.model_extra["sources"][0]["title"] or reply.model_extra["sources"][0]["doc_id"] == "doc1"

    chunks = list(client.chat.completions.create(
        model=NAME, messages=[{"role": "user", "content": "What does error E14 mean?"}], max_tokens=10,
        stream=True, stream_options={"include_usage": True}))
    assert all(c.object == "chat.completion.chunk" and c.model == f"{NAME}:1" for c in chunks)
    assert chunks[0].model_extra["sources"][0]["doc_id"] == "doc1"
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == reply.choices[0].message.content  # greedy: streamed and whole answers agree
    finish = [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason]
    assert finish == [reply.choices[0].finish_reason]
    assert chunks[-1].usage.completion_tokens == reply.usage.completion_tokens

    assert [m.id for m in client.models.list()] == [f"{NAME}:1"]


def test_openai_client_sampling_and_content_parts(server: Server) -> None:
    """temperature/top_p/seed are honoured, whole and streamed; content given as text parts is read
    as the same text; other parts get a clear 400. Without retrieval (top_k 0) the model's own text
    comes back: a grounded answer would replace sampled noise by the same quote."""
    import openai

    client = openai.OpenAI(base_url=f"{server.url}/v1", api_key=server.keys["reader"], max_retries=0)
    question = "What does error E14 mean?"
    asking = [{"role": "user", "content": question}]

    def answer(messages=asking, **options) -> str:
        reply = client.chat.completions.create(model=NAME, messages=messages, max_tokens=10, extra_body={"top_k": 0},
                                               **options)
        assert reply.model_extra["answer_mode"] == "ungrounded"
        return reply.choices[0].message.content

    greedy = answer()
    assert answer([{"role": "user", "content": [{"type": "text", "text": question}]}]) == greedy
    assert answer(temperature=0) == greedy
    assert answer(temperature=1.0, top_p=1e-6, seed=1) == greedy  # a nucleus of one token: the greedy one
    seeded = answer(temperature=1.3, seed=5)
    assert answer(temperature=1.3, seed=5) == seeded
    streamed = client.chat.completions.create(model=NAME, messages=asking, max_tokens=10, temperature=1.3, seed=5,
                                              stream=True, extra_body={"top_k": 0})
    assert "".join(c.choices[0].delta.content or "" for c in streamed if c.choices) == seeded
    assert len({seeded, *(answer(temperature=1.5, seed=seed) for seed in range(3))}) > 1

    with pytest.raises(openai.BadRequestError) as refused:
        answer([{"role": "user", "content": [{"type": "text", "text": "What is on this photo?"},
                                             {"type": "image_url", "image_url": {"url": "https://example.com/a.png"}}]}])
    error = refused.value.body
    assert refused.value.status_code == 400 and error["param"] == "messages.0.content"
    assert "text content parts only" in error["message"] and "'image_url'" in error["message"]


def test_answers_say_how_they_were_grounded(server: Server) -> None:
    """A question the documents do not answer gets "not in the documents" with the nearest passages,
    nothing generated; an extractive answer quotes and highlights; both streamed alike, the mode and
    the quotes in the stream's last chunk; the mode is in the audit log and the metrics."""
    far = _chat(server, "What is the dress code at the Tokyo office?").json()
    assert far["answer_mode"] == "not_found" and far["usage"]["completion_tokens"] == 0
    assert far["choices"][0]["message"]["content"].startswith("The documents I can search do not answer this")
    assert far["sources"] and all(s["quotes"] == [] for s in far["sources"])
    quoted = _chat(server, "Which proxy port does the Gridbox use?", answer_mode="extractive").json()
    assert quoted["answer_mode"] == "extractive" and quoted["usage"]["completion_tokens"] == 0
    assert quoted["choices"][0]["message"]["content"] == "“Set the Gridbox proxy port to 8080 in the web console.” [1]"
    assert quoted["sources"][0]["quotes"] == ["Set the Gridbox proxy port to 8080 in the web console."]
    with httpx.stream("POST", f"{server.url}/v1/chat/completions", headers=server.auth(), timeout=120,
                      json={"stream": True, "answer_mode": "extractive", "messages": [
                          {"role": "user", "content": "Which proxy port does the Gridbox use?"}]}) as r:
        events = [json.loads(line.removeprefix("data: ")) for line in r.iter_lines() if line and line != "data: [DONE]"]
    assert "".join(e["choices"][0]["delta"].get("content", "") for e in events) == quoted["choices"][0]["message"]["content"]
    assert events[-1]["answer_mode"] == "extractive" and events[-1]["sources"] == quoted["sources"]
    refused = _chat(server, "Which port?", answer_mode="made-up")
    assert refused.status_code == 400 and refused.json()["error"]["param"] == "answer_mode"
    deadline = time.time() + 10  # audited when the last byte has gone out
    while not {"not_found", "extractive"} <= {r.answer_mode for r in server.audit.records()} and time.time() < deadline:
        time.sleep(0.1)
    assert {"not_found", "extractive"} <= {r.answer_mode for r in server.audit.records()}
    counted = [line for line in httpx.get(f"{server.url}/metrics").text.splitlines() if line.startswith("llmops_answers_total")]
    assert any('mode="not_found"' in line and not line.endswith(" 0.0") for line in counted)


def test_stream_ends_with_done_event(server: Server) -> None:
    with httpx.stream("POST", f"{server.url}/v1/chat/completions", headers=server.auth(), timeout=120,
                      json={"stream": True, "max_tokens": 4, "messages": [{"role": "user", "content": "Support hours?"}]}) as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        events = [line for line in r.iter_lines() if line]
    assert all(e.startswith("data: ") for e in events) and events[-1] == "data: [DONE]"


ENDPOINTS = [
    ("POST", "/v1/chat/completions", {"messages": [{"role": "user", "content": "Hi"}], "max_tokens": 1}, "reader"),
    ("GET", "/v1/models", None, "reader"),
    ("POST", "/v1/search", {"query": "warranty", "k": 2}, "reader"),
    ("POST", "/v1/feedback", {"response_id": "chatcmpl-unknown", "rating": 1}, "reader"),
    ("POST", "/admin/reload", None, "admin"),
    ("GET", "/admin/feedback", None, "admin"),
]


@pytest.mark.parametrize(("method", "path", "body", "needs"), ENDPOINTS, ids=[e[1] for e in ENDPOINTS])
def test_auth_and_role_matrix(server: Server, method: str, path: str, body: dict | None, needs: str) -> None:
    def call(headers: dict[str, str]) -> httpx.Response:
        return httpx.request(method, f"{server.url}{path}", json=body, headers=headers, timeout=120)

    for headers, code in [({}, "invalid_api_key"), ({"Authorization": "Bearer llmk_wrong"}, "invalid_api_key"),
                          (server.auth("revoked"), "invalid_api_key"), ({"Authorization": "Basic abc"}, "invalid_api_key")]:
        reply = call(headers)
        assert reply.status_code == 401 and reply.json()["error"]["code"] == code, (headers, reply.text)
    expected_ok = 404 if path == "/v1/feedback" else 200  # an unknown response id, but authorized
    for label in ("reader", "env", "admin"):
        reply = call(server.auth(label))
        if needs == "admin" and label != "admin":
            assert reply.status_code == 403 and reply.json()["error"]["type"] == "permission_error"
        else:
            assert reply.status_code == expected_ok, reply.text


def test_open_probes_and_metrics(server: Server) -> None:
    assert httpx.get(f"{server.url}/healthz").json()["status"] == "ok"
    ready = httpx.get(f"{server.url}/readyz").json()
    assert ready["status"] == "ready" and ready["index_rows"] == INDEXED_CHUNKS
    _chat(server, "How do I pair the Gridbox?")
    unauthenticated = httpx.post(f"{server.url}/v1/chat/completions", json={"messages": [{"role": "user", "content": "hi"}]})
    assert unauthenticated.status_code == 401
    metrics = httpx.get(f"{server.url}/metrics").text
    labels = f'endpoint="/v1/chat/completions",model_version="{NAME}:1"'
    assert f"llmops_requests_total{{{labels},status=\"200\"}}" in metrics
    assert f"llmops_request_latency_seconds_count{{{labels}}}" in metrics
    assert f'llmops_tokens_total{{kind="completion",model_version="{NAME}:1"}}' in metrics
    assert 'llmops_errors_total{endpoint="/v1/chat/completions",model_version="none",status="401"}' in metrics


def test_search_returns_chunks_with_doc_ids_and_scores(server: Server) -> None:
    reply = httpx.post(f"{server.url}/v1/search", headers=server.auth(), json={"query": "sensor disconnected E14", "k": 3})
    body = reply.json()
    assert reply.status_code == 200 and reply.headers["x-model-version"] == body["model"] == f"{NAME}:1"
    assert [h["doc_id"] for h in body["data"]][0] == "doc1" and len(body["data"]) == 3
    scores = [h["score"] for h in body["data"]]
    assert scores == sorted(scores, reverse=True) and all(h["chunk_id"] and h["text"] for h in body["data"])
    filtered = httpx.post(f"{server.url}/v1/search", headers=server.auth(),
                          json={"query": "sensor disconnected E14", "k": 3,
                                "filters": {"type": "ne", "key": "doc_id", "value": "doc1"}}).json()
    assert "doc1" not in [h["doc_id"] for h in filtered["data"]] and filtered["data"]
    grounded = _chat(server, "What does error E14 mean?", max_tokens=2, filters={"type": "and", "filters": [
        {"type": "eq", "key": "doc_type", "value": "faq"}, {"type": "eq", "key": "doc_id", "value": "doc2"}]}).json()
    assert [s["doc_id"] for s in grounded["sources"]] == ["doc2"]


def test_search_and_chat_cite_file_page_and_heading_path(server: Server) -> None:
    question = "Which proxy port does the Gridbox use?"
    found = httpx.post(f"{server.url}/v1/search", headers=server.auth(), json={"query": question, "k": 2}).json()["data"]
    assert {k: found[0][k] for k in ("chunk_id", "source", "location", "headings", "citation")} == {
        "chunk_id": "guide:1", "source": "manuals/gridbox-guide.pdf", "location": "page 2",
        "headings": "Gridbox guide > Network > Proxy",
        "citation": "manuals/gridbox-guide.pdf, page 2 — Gridbox guide > Network > Proxy"}
    assert found[0]["text"] == "Set the Gridbox proxy port to 8080 in the web console."
    faq = httpx.post(f"{server.url}/v1/search", headers=server.auth(), json={"query": "warranty", "k": 1}).json()["data"][0]
    assert (faq["location"], faq["headings"], faq["citation"]) == (
        "", "FAQ 0 > How long is the Lumora warranty?", "faq/0.md — FAQ 0 > How long is the Lumora warranty?")

    answer = _chat(server, question, max_tokens=2, top_k=1).json()
    whole = answer["sources"]
    with httpx.stream("POST", f"{server.url}/v1/chat/completions", headers=server.auth(), timeout=120,
                      json={"stream": True, "max_tokens": 2, "top_k": 1, "messages": [{"role": "user", "content": question}]}) as r:
        streamed = json.loads(next(line for line in r.iter_lines() if line).removeprefix("data: "))["sources"]
    expected = {"doc_id": "guide", "source": "manuals/gridbox-guide.pdf", "title": "Gridbox guide", "location": "page 2",
                "headings": "Gridbox guide > Network > Proxy",
                "citation": "manuals/gridbox-guide.pdf, page 2 — Gridbox guide > Network > Proxy"}
    for sources, quotes in ((whole, [found[0]["text"]]), (streamed, [])):  # quotes come with the streamed answer's end
        assert [{k: v for k, v in s.items() if k != "score"} for s in sources] == [{**expected, "quotes": quotes}]
        assert sources[0]["score"] > 0
    # two tokens support nothing: the sentence that answers is quoted instead, and highlighted
    assert answer["answer_mode"] == "extractive" and answer["choices"][0]["message"]["content"] == f"“{found[0]['text']}” [1]"
    schema = httpx.get(f"{server.url}/openapi.json").json()["components"]["schemas"]
    assert {"location", "headings", "citation", "chunk_id", "text"} <= set(schema["SearchHit"]["properties"])


def test_concurrent_searches_are_answered_each_on_its_own(server: Server) -> None:
    """Concurrent searches share embedding and index passes; each still gets its own hits, and a
    bad filter fails only its own request."""
    bodies = [{"query": q, "k": k} for q in ("sensor disconnected E14", "warranty", "reset the device") for k in (1, 3)]
    bodies += [{"query": "warranty", "k": 2, "filters": {"type": "eq", "key": "no_such_column", "value": "1"}},
               {"query": "warranty", "k": 2, "filters": {"type": "eq", "key": "doc_id", "value": "doc2"}}]

    def search(body: dict) -> httpx.Response:
        return httpx.post(f"{server.url}/v1/search", headers=server.auth(), json=body, timeout=60)

    def outcome(reply: httpx.Response) -> tuple:
        body = reply.json()
        if reply.status_code != 200:
            return reply.status_code, body["error"]["message"], ()
        return 200, [h["chunk_id"] for h in body["data"]], [h["score"] for h in body["data"]]

    def batches() -> tuple[float, float]:
        lines = httpx.get(f"{server.url}/metrics").text.splitlines()
        return tuple(float(next(line.split()[1] for line in lines if line.startswith(f"llmops_search_batch_size_{part} ")))
                     for part in ("sum", "count"))

    alone = [outcome(search(body)) for body in bodies]
    searched, batched = batches()
    with ThreadPoolExecutor(len(bodies)) as pool:
        together = [outcome(reply) for reply in pool.map(search, bodies * 3)]
    searched_after, batched_after = batches()
    refused = [status for status, _, _ in together].count(400)  # a bad filter is refused before any search
    assert refused == 3 and searched_after - searched == len(together) - refused
    assert batched_after - batched < len(together) - refused  # shared passes
    for index, (body, (status, found, scores)) in enumerate(zip(bodies, alone)):
        for again in together[index :: len(bodies)]:
            assert again[:2] == (status, found) and again[2] == pytest.approx(scores, abs=1e-3), body
    assert [status for status, _, _ in alone].count(400) == 1 and len(alone[0][1]) == 1
    assert all(chunk.startswith("doc2:") for chunk in alone[-1][1]) and alone[-1][1]


def test_bad_input_gets_openai_style_4xx(server: Server) -> None:
    url = f"{server.url}/v1/chat/completions"
    cases = [
        (httpx.post(url, headers=server.auth(), content=b"{not json", timeout=30), 400),
        (httpx.post(url, headers=server.auth(), json={"messages": []}, timeout=30), 400),
        (httpx.post(url, headers=server.auth(), json={"messages": [{"role": "user", "content": "x"}] * 65}, timeout=30), 400),
        (httpx.post(url, headers=server.auth(), json={"messages": [{"role": "user", "content": "x" * 20_001}]}, timeout=30), 400),
        (httpx.post(url, headers=server.auth(), json={"messages": [{"role": "wizard", "content": "x"}]}, timeout=30), 400),
        (httpx.post(url, headers=server.auth(), json={"messages": [{"role": "user", "content": [{"type": "text"}]}]}, timeout=30), 400),
        (httpx.post(url, headers=server.auth(), json={"messages": [{"role": "user", "content": "x"}], "top_p": 0}, timeout=30), 400),
        (httpx.post(url, headers=server.auth(), json={"messages": [{"role": "system", "content": "x"}]}, timeout=30), 400),
        (httpx.post(url, headers=server.auth(), json={"messages": [{"role": "user", "content": "x" * 19_000}] * 4}, timeout=30), 400),
        (httpx.post(url, headers=server.auth(), json={"messages": [{"role": "user", "content": "x" * 250_000}]}, timeout=30), 413),
        (httpx.post(f"{server.url}/v1/feedback", headers=server.auth(), json={"response_id": "x", "rating": 0}), 400),
        (httpx.post(f"{server.url}/v1/search", headers=server.auth(), json={"query": "   "}), 400),
        (httpx.post(f"{server.url}/v1/search", headers=server.auth(), json={"query": "x", "where": "doc_type = 'faq'"}), 400),
        (httpx.post(url, headers=server.auth(), json={"messages": [{"role": "user", "content": "x"}],
                                                      "filters": {"type": "eq", "key": "doc_id"}}), 400),
        (httpx.get(f"{server.url}/v1/nothing", headers=server.auth()), 404),
        (httpx.get(url, headers=server.auth()), 405),
    ]
    for reply, status in cases:
        assert reply.status_code == status, reply.text
        error = reply.json()["error"]
        assert error["message"] and error["type"], error
    too_many = cases[8][0].json()["error"]
    assert too_many["code"] == "context_length_exceeded" and too_many["param"] == "messages"


def test_hostile_filters_get_400_naming_the_part(server: Server) -> None:
    """Every hostile filter of tests/test_filters.py, sent to search and to chat, is refused with the
    offending part named, before any search runs; the raw SQL ``where`` is refused too."""
    from tests.test_filters import HOSTILE

    chat = f"{server.url}/v1/chat/completions"
    for hostile in [h for h in HOSTILE if h is not None]:  # null is JSON for "no filter"
        for url, body in ((f"{server.url}/v1/search", {"query": "warranty", "filters": hostile}),
                          (chat, {"messages": [{"role": "user", "content": "warranty?"}], "max_tokens": 1, "filters": hostile})):
            reply = httpx.post(url, headers=server.auth(), json=body, timeout=60)
            assert reply.status_code == 400, (hostile, reply.text)
            assert reply.json()["error"]["param"].startswith("filters"), reply.text
    nested = '{"query": "x", "filters": ' + '{"type": "and", "filters": [' * 5000 + "{}" + "]}" * 5000 + "}"
    deep = httpx.post(f"{server.url}/v1/search", headers={**server.auth(), "content-type": "application/json"},
                      content=nested, timeout=60)
    assert deep.status_code == 400, deep.text
    for where in ("doc_type = 'faq') OR (1=1", "vector IS NOT NULL", ""):
        reply = httpx.post(f"{server.url}/v1/search", headers=server.auth(), json={"query": "warranty", "where": where})
        assert reply.status_code == 400 and reply.json()["error"]["param"] == "where", reply.text


def test_rate_limits_per_key_answer_429_with_retry_after(server: Server) -> None:
    store = KeyStore(server.home / "api_keys.json")
    _, slow = store.create("reader", "slow script", rpm=3)
    _, thrifty = store.create("reader", "thrifty", tpm=3)
    slow_auth, thrifty_auth = {"Authorization": f"Bearer {slow}"}, {"Authorization": f"Bearer {thrifty}"}
    search = f"{server.url}/v1/search"
    assert httpx.post(search, headers=slow_auth, json={"query": "warranty"}).status_code == 200
    refused = httpx.post(search, headers=slow_auth, json={"query": "warranty"})  # 3 rpm: a burst of one
    assert refused.status_code == 429 and 1 <= int(refused.headers["retry-after"]) <= 20
    error = refused.json()["error"]
    assert (error["type"], error["code"]) == ("requests", "rate_limit_exceeded") and "limit 3" in error["message"]
    assert httpx.post(search, headers=server.auth(), json={"query": "warranty"}).status_code == 200  # others go on

    first = httpx.post(f"{server.url}/v1/chat/completions", headers=thrifty_auth, timeout=120,
                       json={"messages": [{"role": "user", "content": "How long is the warranty?"}], "max_tokens": 8})
    assert first.status_code == 200 and first.json()["usage"]["completion_tokens"] > 3
    second = httpx.post(f"{server.url}/v1/chat/completions", headers=thrifty_auth, timeout=120,
                        json={"messages": [{"role": "user", "content": "And the support hours?"}], "max_tokens": 8})
    assert second.status_code == 429 and second.json()["error"]["type"] == "tokens", second.text
    assert httpx.post(search, headers=thrifty_auth, json={"query": "warranty"}).status_code == 200  # tokens gate chat only
    slow_id = next(k.id for k in store.keys() if k.name == "slow script")
    metrics = httpx.get(f"{server.url}/metrics").text
    assert f'llmops_limited_total{{key_id="{slow_id}",limit="rpm"}} 1.0' in metrics
    assert f'llmops_key_requests_total{{key_id="{slow_id}"}} 2.0' in metrics
    assert 'llmops_generation_queue{state="active"} 0.0' in metrics


def test_a_stream_abandoned_by_its_client_frees_its_slot(server: Server) -> None:
    body = {"messages": [{"role": "user", "content": "How do I pair the Gridbox?"}], "max_tokens": 12, "stream": True}
    with httpx.stream("POST", f"{server.url}/v1/chat/completions", headers=server.auth(), json=body, timeout=120) as reply:
        assert reply.status_code == 200
        next(reply.iter_lines())
        during = httpx.get(f"{server.url}/metrics").text
    assert 'llmops_generation_queue{state="active"} 1.0' in during
    deadline = time.time() + 30
    while 'llmops_generation_queue{state="active"} 0.0' not in httpx.get(f"{server.url}/metrics").text:
        assert time.time() < deadline, "the abandoned stream still holds its slot"
        time.sleep(0.2)


def test_api_docs_can_be_switched_off(server: Server) -> None:
    with TestClient(create_app(server.served.champion, ServerConfig(api_docs=False))) as off:
        assert [off.get(path).status_code for path in ("/docs", "/redoc", "/openapi.json")] == [404] * 3
    with TestClient(create_app(server.served.champion, ServerConfig())) as on:
        assert on.get("/openapi.json").status_code == 200 and on.get("/docs").status_code == 200


def test_chinese_questions_to_an_english_model_are_answered_by_quoting(server: Server, tmp_path: Path) -> None:
    """SmolLM2 writes English: a Chinese question gets the passage quoted with its citation, and
    nothing is generated; a model declared to write Chinese generates (and is verified as ever)."""
    docs = pd.DataFrame([
        {"doc_id": "zh-warranty", "doc_type": "faq", "title": "保修政策", "source": "faq/保修.md",
         "text": "# 保修政策\n\n所有 Lumora 设备享有三年有限保修。保修期内免费维修。"},
        {"doc_id": "zh-hours", "doc_type": "faq", "title": "客服时间", "source": "faq/客服.md",
         "text": "# 客服时间\n\n客服热线周一至周五 8:00 至 18:00 开放，周末休息。"}])
    embedder = server.served.champion.retriever.embedder
    build_index(docs, str(tmp_path / "lance"), embedder)
    question = [{"role": "user", "content": "Lumora 设备的保修期是多久？"}]
    english_only = Answerer(server.served.champion.chat, Retriever(str(tmp_path / "lance"), embedder), "zh:1", SYSTEM)
    hits = english_only.retrieve(question, 2)
    completion, grounded = english_only.complete(question, 12, hits)
    assert (grounded.mode.value, completion.completion_tokens) == ("extractive", 0)
    assert completion.text == "“所有 Lumora 设备享有三年有限保修。” [1]" and hits[0].source == "faq/保修.md"
    writes_chinese = replace(english_only, languages=("en", "zh"))
    assert writes_chinese.complete(question, 12, hits)[0].completion_tokens > 0
    assert english_only.writes("How long is the warranty?") and not english_only.writes("请在 Gridbox 中设置 proxy")
    with pytest.raises(ValueError, match="unknown: fr"):
        replace(english_only, languages=("fr",))


def test_pii_never_reaches_answer_audit_or_feedback(server: Server) -> None:
    reply = _chat(server, PII_PROMPT, max_tokens=12)
    assert reply.status_code == 200
    body = reply.json()
    streamed = _chat(server, PII_PROMPT, stream=True)
    assert streamed.status_code == 200 and "data: [DONE]" in streamed.text
    fed = httpx.post(f"{server.url}/v1/feedback", headers=server.auth(), json={
        "response_id": body["id"], "rating": -1, "correction": f"Please contact {PII['name']} at {PII['email']}: three years."})
    assert fed.status_code == 200 and fed.json()["model"] == f"{NAME}:1"

    stored = [r for r in server.feedback.read().records if r.response_id == body["id"]]
    assert len(stored) == 1 and stored[0].rating == -1 and stored[0].model_version == f"{NAME}:1"
    assert stored[0].key_id == server.key_ids["reader"] and "<EMAIL_ADDRESS_1>" in stored[0].correction
    assert "<EMAIL_ADDRESS_1>" in stored[0].question and "Lumora warranty" in stored[0].question
    records = server.audit.records(key_id=server.key_ids["reader"])
    chat_records = [r for r in records if r.endpoint == "/v1/chat/completions" and r.status == 200]
    assert chat_records and all(r.prompt_sha256 and len(r.prompt_sha256) == 64 for r in chat_records)
    last = chat_records[-1]
    assert (last.status, last.role, last.model_version, last.method) == (200, "reader", f"{NAME}:1", "POST")
    assert last.completion_tokens and last.latency_ms > 0
    for text in (body["choices"][0]["message"]["content"], streamed.text, server.audit.path.read_text(),
                 server.feedback.path.read_text()):
        assert not [f for f in PII_FRAGMENTS if f in text], text


def test_feedback_only_for_own_recent_responses_and_admin_export(server: Server) -> None:
    answer = _chat(server, "What are the support hours?").json()
    url = f"{server.url}/v1/feedback"
    assert httpx.post(url, headers=server.auth("other"), json={"response_id": answer["id"], "rating": 1}).status_code == 404
    missing = httpx.post(url, headers=server.auth(), json={"response_id": "chatcmpl-nope", "rating": 1})
    assert missing.status_code == 404 and missing.json()["error"]["param"] == "response_id"
    assert httpx.post(url, headers=server.auth(), json={"response_id": answer["id"], "rating": 1}).status_code == 200
    exported = httpx.get(f"{server.url}/admin/feedback", headers=server.auth("admin")).json()["data"]
    mine = [r for r in exported if r["response_id"] == answer["id"]]
    assert mine and mine[0]["rating"] == 1 and mine[0]["answer"] == answer["choices"][0]["message"]["content"]


class _CutOffEngine:
    """Failure injection: the real engine, dying after its first chunk as a crashed worker would."""

    def __init__(self, engine) -> None:
        self.engine = engine

    def complete(self, conversations, max_new_tokens=None):
        return self.engine.complete(conversations, max_new_tokens)

    def stream(self, messages, max_new_tokens=None):
        for number, chunk in enumerate(self.engine.stream(messages, max_new_tokens)):
            if number == 1:
                raise RuntimeError("generation worker died")
            yield chunk


def test_generation_failing_mid_stream_ends_with_an_error_event(server: Server, tmp_path: Path) -> None:
    champion = server.served.champion
    broken = Answerer(_CutOffEngine(champion.chat), champion.retriever, "broken:1", SYSTEM, champion.scrubber)
    http = TestClient(create_app(broken, ServerConfig(audit=AuditLog(tmp_path / "audit.jsonl"))))
    reply = http.post("/v1/chat/completions", json={"stream": True, "max_tokens": 8,
                                                    "messages": [{"role": "user", "content": "What are the support hours?"}]})
    events = [line.removeprefix("data: ") for line in reply.text.splitlines() if line]
    assert reply.status_code == 200 and "[DONE]" not in events
    assert json.loads(events[-1])["error"]["type"] == "server_error"
    assert [(r.status, r.model_version) for r in AuditLog(tmp_path / "audit.jsonl").records()] == [(500, "broken:1")]


# Answers with personal data, and fragments of it that must never be streamed. Each first sentence
# ends after the first words that are safe to send.
STREAMED_ANSWERS = [
    (f"Please contact {PII['name']} at {PII['email']}. Or call {PII['phone']} today.\nThe Lumora warranty is 3 years.",
     PII_FRAGMENTS),
    ("Your refund goes to IBAN GB82 WEST 1234 5698 7654 32 within five days, and the card 4111 1111 1111 1111 is "
     "not charged again.", ["GB82", "WEST", "5698", "7654", "4111"]),
    ("The warranty lasts three years. Ask for Dr. Anna Maria van Berg at 221B Baker Street, London NW1 6XE if the "
     "unit fails again after that.", ["Anna", "Maria", "Berg", "221B", "Baker", "NW1"]),
    ("Our agent Wei Zhang (customer success) will call you on +1 415 555 0132 tomorrow morning. He will confirm "
     "the replacement.", ["Wei", "Zhang", "415", "555", "0132"]),
]


@pytest.fixture(scope="module")
def scrubber() -> Scrubber:
    return Scrubber(pipeline_config())


@pytest.mark.parametrize(("text", "fragments"), STREAMED_ANSWERS, ids=["contact", "payment", "address", "agent"])
def test_stream_scrubbing_sends_words_early_and_never_pii(scrubber: Scrubber, text: str, fragments: list[str]) -> None:
    """Fed a character, a few characters or a token's worth at a time, the stream never sends a
    fragment of a personal value, starts before the first sentence ends, and adds up to the
    one-shot scrub of the whole answer."""
    whole = scrubber.scrub(text).text
    assert not [f for f in fragments if f in whole]  # the scrubber itself removes every planted value
    for size in (1, 3, 7):
        guard = ScrubbedStream(lambda texts: scrubber.scrub_many(texts, groups=[0] * len(texts)))
        sent = [guard.feed(text[i : i + size]) for i in range(0, len(text), size)]
        sent.append(guard.finish())
        assert "".join(sent) == guard.released == whole
        first = next(i for i, piece in enumerate(sent) if piece)
        assert (first + 1) * size < re.search(r"[.!?](\s|$)", text).start()  # before the first sentence ends
        assert sum(1 for piece in sent if piece) >= 4  # a few words at a time, not sentence by sentence


def test_stream_scrubbing_uses_the_conversation_as_context(scrubber: Scrubber) -> None:
    """A bare first name in the answer is only known as a name from the question; the question's
    values are removed from every release, and the first words still leave early."""
    answer = "Thanks Priya, the warranty covers your Gridbox for three years from the day of purchase."
    guard = ScrubbedStream(lambda texts: scrubber.scrub_many([PII_PROMPT, *texts], groups=[0] * (len(texts) + 1))[1:],
                           hold_words=1, every_words=1)
    sent = [guard.feed(word + " ") for word in answer.split()] + [guard.finish()]
    assert "Priya" not in guard.released and guard.released.startswith("Thanks <PERSON_1>, the warranty")
    assert sent[0] == "" and sent.index(next(p for p in sent if p)) < 4
    with pytest.raises(ValueError, match="at least 1"):
        ScrubbedStream(guard._scrub, hold_words=0)


def test_audit_cli_show_and_prune(server: Server, tmp_path: Path, monkeypatch, capsys) -> None:
    for _ in range(3):
        httpx.get(f"{server.url}/admin/feedback", headers=server.auth("admin"))
    monkeypatch.setenv("LLMOPS_AUDIT_PATH", str(server.audit.path))
    assert cli.main(["audit", "show", "--key", server.key_ids["admin"], "--limit", "2"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(rows) == 2 and {r["key_id"] for r in rows} == {server.key_ids["admin"]}
    assert cli.main(["audit", "show", "--since", "1d"]) == 0 and len(capsys.readouterr().out.splitlines()) >= 3
    assert cli.main(["audit", "show", "--since", "yesterday"]) == 2

    log = AuditLog(tmp_path / "a.jsonl", retention_days=180)
    now = time.time()
    for age_days in (200, 10):
        log.append(AuditRecord(ts=now - age_days * 86400, request_id=f"r{age_days}", method="GET", endpoint="/v1/models",
                               status=200, latency_ms=1.0))
    with log.path.open("a") as handle:
        handle.write("not json\n")  # unreadable lines are kept, never silently dropped
    assert cli.main(["audit", "--audit-log", str(log.path), "prune"]) == 0
    assert "pruned 1 records" in capsys.readouterr().out
    assert [r.request_id for r in log.records()] == ["r10"] and "not json" in log.path.read_text()


def test_keys_cli_create_list_revoke(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("LLMOPS_HOME", str(tmp_path))
    monkeypatch.delenv("LLMOPS_API_KEYS_FILE", raising=False)
    assert cli.main(["keys", "create", "--role", "reader", "--name", "helpdesk"]) == 0
    secret = capsys.readouterr().out.split()[-1]
    assert secret.startswith("llmk_")
    store = KeyStore(tmp_path / "api_keys.json")
    key = store.authenticate(secret)
    assert key is not None and key.role == "reader" and key.name == "helpdesk"
    assert secret not in (tmp_path / "api_keys.json").read_text()
    assert cli.main(["keys", "list"]) == 0
    listed = capsys.readouterr().out
    assert key.id in listed and "active" in listed and secret not in listed
    assert cli.main(["keys", "revoke", key.id]) == 0
    assert store.authenticate(secret) is None
    assert cli.main(["keys", "list"]) == 0 and "revoked" in capsys.readouterr().out
    assert cli.main(["keys", "revoke", "key_nope"]) == 2 and "not found" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["keys", "create", "--role", "root"])
    with pytest.raises(ValueError, match="id:role:sha256hex"):
        KeyStore(tmp_path / "k.json", env_value="bot:reader:not-a-hash")


def test_schemathesis_finds_no_server_errors(server: Server) -> None:
    import schemathesis
    from hypothesis import HealthCheck, given, settings
    from schemathesis.checks import not_a_server_error

    schema = schemathesis.openapi.from_url(f"{server.url}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.path for op in operations} >= {"/v1/chat/completions", "/v1/search", "/v1/feedback", "/admin/reload"}
    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=6, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def check(case) -> None:
            case.call_and_validate(headers=server.auth("admin"), checks=[not_a_server_error], timeout=120)

        check()


def test_chat_page_in_headless_chromium(server: Server) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.goto(server.url + "/")
            page.fill("#key", "llmk_wrong")
            page.fill("#question", "How long is the Lumora warranty?")
            page.click("#send")
            page.wait_for_function("document.getElementById('status').textContent.length > 0", timeout=60_000)
            assert "invalid or revoked API key" in page.text_content("#status")

            page.fill("#key", server.keys["reader"])
            page.click("#send")
            page.wait_for_selector("#rate:not([hidden])", timeout=120_000)
            assert page.text_content("#answer").strip()
            assert page.locator("#sources li").count() >= 1
            assert page.locator("#sources li").first.get_attribute("data-doc-id") == "doc0"
            assert page.text_content("#sources li .citation") == "faq/0.md — FAQ 0 > How long is the Lumora warranty?"
            assert page.get_attribute("#mode", "data-mode") in ("generated", "verified", "extractive")
            assert page.is_visible("#mode") and page.locator("#sources li").first.locator("mark").count() >= 1

            page.check("#extractive")  # quotes only: the answer is the highlighted passage sentence
            page.click("#send")
            page.wait_for_selector("#mode[data-mode='extractive']:not([hidden])", timeout=60_000)
            page.wait_for_selector("#rate:not([hidden])", timeout=60_000)
            highlighted = page.text_content("#sources li mark")
            assert highlighted and highlighted in page.text_content("#answer")
            assert page.text_content("#mode") == "Quoted from the documents"
            page.fill("#correction", "Three years, for every device.")
            page.click("#down")
            page.wait_for_function("document.getElementById('rated').textContent.length > 0", timeout=30_000)
            chinese = browser.new_page(locale="zh-CN")  # labels follow the browser's language
            chinese.goto(server.url + "/")
            assert chinese.text_content("h1") == "企业助手" and chinese.get_attribute("html", "lang") == "zh-CN"
            assert chinese.get_attribute("#key", "placeholder").startswith("llmk_…（")
            chinese.fill("#key", server.keys["reader"])
            chinese.fill("#question", "How long is the Lumora warranty?")
            chinese.check("#extractive")
            chinese.click("#send")
            chinese.wait_for_selector("#mode[data-mode='extractive']:not([hidden])", timeout=60_000)
            assert chinese.text_content("#mode") == "引用自文档" and chinese.text_content("#cited h2") == "来源"
        finally:
            browser.close()
    latest = server.feedback.read().records[-1]
    assert (latest.rating, latest.correction, latest.key_id) == (-1, "Three years, for every device.", server.key_ids["reader"])
    assert "warranty" in latest.question


@contextmanager
def _llmops_serve(env: dict[str, str], log: Path, *args: str) -> Iterator[tuple[subprocess.Popen, str]]:
    """The console script on a free port, as `make serve` runs it, once /readyz answers; stopped after
    (SIGTERM) unless the test stopped it already."""
    url = f"http://127.0.0.1:{_free_port()}"
    with log.open("a") as out:
        proc = subprocess.Popen([sys.executable, "-m", "llmops.cli", "serve", "--port", url.rsplit(":", 1)[1], *args],
                                cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.time() + 300
        while proc.poll() is None and time.time() < deadline:
            try:
                if httpx.get(f"{url}/readyz", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(1)
        assert proc.poll() is None, log.read_text()
        yield proc, url
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=60)


def _serve_env(server: Server, home: Path) -> dict[str, str]:
    """`llmops serve` with its own home on the fixture's registry and index."""
    return {**os.environ, "LLMOPS_HOME": str(home), "MLFLOW_TRACKING_URI": server.tracking_uri,
            "LANCEDB_URI": str(server.home / "lance"), "LLMOPS_MODEL_NAME": NAME}


@pytest.mark.slow
def test_llmops_serve_command_serves_the_registry_champion(server: Server, tmp_path: Path) -> None:
    """The console script on the same stores, as `make serve` runs it after `make run`."""
    _, secret = KeyStore(tmp_path / "api_keys.json").create("reader", "smoke")
    with _llmops_serve(_serve_env(server, tmp_path), tmp_path / "serve.log", "--max-new-tokens", "4") as (_, url):
        champion = server.served.champion.model_id
        ask = {"messages": [{"role": "user", "content": "What are the support hours?"}]}
        assert httpx.post(f"{url}/v1/chat/completions", json=ask, timeout=30).status_code == 401
        reply = httpx.post(f"{url}/v1/chat/completions", json=ask, headers={"Authorization": f"Bearer {secret}"}, timeout=120)
        assert reply.status_code == 200 and reply.json()["model"] == champion
        assert reply.json()["usage"]["completion_tokens"] <= 4
        deadline = time.time() + 10  # a record is written once the response's last byte has gone out
        while len(audited := [(r.status, r.model_version) for r in AuditLog(tmp_path / "audit" / "audit.jsonl").records()
                              if r.endpoint == "/v1/chat/completions"]) < 2 and time.time() < deadline:
            time.sleep(0.1)
        assert audited == [(401, None), (200, champion)]


@pytest.mark.slow
def test_feedback_names_answers_given_before_a_restart_or_a_crash(server: Server, tmp_path: Path) -> None:
    """The answers feedback may rate are kept in $LLMOPS_HOME/feedback/responses.jsonl: a rating after a
    clean stop (SIGTERM) and after kill -9 with a torn line left behind is stored; an answer older than
    the window, or another key's, is unknown."""
    keys = KeyStore(tmp_path / "api_keys.json")
    (me, mine), (_, other) = keys.create("reader", "me"), keys.create("reader", "other")
    env, log = _serve_env(server, tmp_path), tmp_path / "serve.log"
    responses = tmp_path / "feedback" / "responses.jsonl"

    def ask(url: str) -> dict:
        reply = httpx.post(f"{url}/v1/chat/completions", headers={"Authorization": f"Bearer {mine}"}, timeout=120,
                           json={"messages": [{"role": "user", "content": "What are the support hours?"}], "max_tokens": 4})
        assert reply.status_code == 200
        return reply.json()

    def rate(url: str, response_id: str, secret: str = mine) -> int:
        return httpx.post(f"{url}/v1/feedback", headers={"Authorization": f"Bearer {secret}"}, timeout=60,
                          json={"response_id": response_id, "rating": 1}).status_code

    with _llmops_serve(env, log, "--max-new-tokens", "4") as (proc, url):
        first = ask(url)
        proc.send_signal(signal.SIGTERM)  # uvicorn shuts down, then re-raises the signal
        assert proc.wait(timeout=60) == -signal.SIGTERM and "Application shutdown complete" in log.read_text()
    with _llmops_serve(env, log, "--max-new-tokens", "4") as (proc, url):
        assert rate(url, first["id"], other) == 404 and rate(url, first["id"]) == 200
        second = ask(url)
        proc.kill()  # kill -9
        proc.wait(timeout=60)
    ResponseMemory(path=responses).put("chatcmpl-expired", Remembered(
        "q", "a", first["model"], me.id, time.time() - 25 * 3600))  # the default window is 24 h
    with responses.open("a", encoding="utf-8") as handle:
        handle.write('{"id": "chatcmpl-torn", "question": "cut sh')  # a write cut short, no line break
    with _llmops_serve(env, log, "--max-new-tokens", "4") as (_, url):
        assert rate(url, second["id"]) == 200 and rate(url, "chatcmpl-expired") == 404

    rated = {r.response_id: r for r in FeedbackStore(tmp_path / "feedback" / "feedback.jsonl").read().records}
    assert set(rated) == {first["id"], second["id"]}
    for answer in (first, second):
        record = rated[answer["id"]]
        assert (record.rating, record.key_id, record.model_version) == (1, me.id, answer["model"])
        assert record.answer == answer["choices"][0]["message"]["content"] and "support hours" in record.question
    kept = responses.read_text(encoding="utf-8")
    assert first["id"] in kept and second["id"] in kept and "chatcmpl-expired" not in kept and "torn" not in kept


def _serve_version(server: Server, version: int) -> None:
    """Make ``version`` the champion and wait until the server answers with it (it polls the alias)."""
    promote_version(server.registry, version, "serving test")
    deadline = time.time() + 120
    while httpx.get(f"{server.url}/readyz").json()["model"] != f"{NAME}:{version}":
        assert time.time() < deadline, f"the server did not follow the champion alias to v{version}"
        time.sleep(0.2)


def test_hot_swap_during_concurrent_requests(server: Server) -> None:
    """Promote v2 while clients keep asking: nothing fails, and every request that starts after
    the first v2 answer came back is answered by v2. v1 serves again afterwards, as the other tests expect."""
    try:
        _hot_swap_to_v2(server)
    finally:
        _serve_version(server, 1)


def _hot_swap_to_v2(server: Server) -> None:
    results: list[tuple[float, float, int, str, str]] = []  # start, end, status, model, header
    stop, lock = threading.Event(), threading.Lock()

    def client(streaming: bool) -> None:
        while not stop.is_set():
            start = time.monotonic()
            reply = _chat(server, "What does error E14 mean?", max_tokens=4, stream=streaming)
            model = (json.loads(reply.text.split("data: ", 2)[1].split("\n")[0])["model"] if streaming
                     else reply.json().get("model", "")) if reply.status_code == 200 else ""
            if streaming:
                assert reply.text.rstrip().endswith("data: [DONE]")
            with lock:
                results.append((start, time.monotonic(), reply.status_code, model, reply.headers.get("x-model-version", "")))

    threads = [threading.Thread(target=client, args=(i % 2 == 1,)) for i in range(4)]
    for thread in threads:
        thread.start()
    try:
        deadline = time.time() + 300
        while len(results) < 4 and time.time() < deadline:
            time.sleep(0.1)
        promote_version(server.registry, 2, "hot-swap test")
        while time.time() < deadline:
            with lock:
                if sum(r[3] == f"{NAME}:2" for r in results) >= 6:
                    break
            time.sleep(0.2)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=120)
    assert all(r[2] == 200 for r in results), [r for r in results if r[2] != 200]
    assert all(r[3] == r[4] for r in results)
    versions = [r[3] for r in results]
    assert f"{NAME}:1" in versions and versions.count(f"{NAME}:2") >= 6
    first_new_end = min(r[1] for r in results if r[3] == f"{NAME}:2")
    assert all(r[3] == f"{NAME}:2" for r in results if r[0] > first_new_end)
    ready = httpx.get(f"{server.url}/readyz").json()
    assert ready["model"] == f"{NAME}:2" and ready["swaps"] >= 1 and ready["last_refresh_error"] is None


def test_canary_share_routes_to_challenger(server: Server) -> None:
    champion = server.served.champion.model_id
    challenger = f"{NAME}:1" if champion == f"{NAME}:2" else f"{NAME}:2"
    server.registry.point(CHALLENGER, challenger.rsplit(":", 1)[1])
    loader = server.served.loader
    canary = ServedModels(server.served.champion, loader, canary_share=1.0)
    assert canary.refresh() == {"champion": champion, "challenger": challenger, "groups": {}}
    http = TestClient(create_app(canary))
    reply = http.post("/v1/chat/completions", json={"max_tokens": 2, "messages": [{"role": "user", "content": "Hi"}]})
    assert reply.status_code == 200 and reply.json()["model"] == reply.headers["x-model-version"] == challenger
    canary.canary_share = 0.0
    assert canary.pick().model_id == champion
    server.registry.drop(CHALLENGER)
    canary.canary_share = 1.0
    canary.refresh()
    assert canary.challenger is None and canary.pick().model_id == champion
