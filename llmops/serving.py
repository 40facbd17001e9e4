"""OpenAI-compatible chat API over the registry's champion model, grounded by retrieval.

``POST /v1/chat/completions`` takes the OpenAI request shape (also ``stream: true`` as server-sent
events) and returns the OpenAI response shape plus a ``sources`` field (ignored by OpenAI clients)
listing the documents used. Around it: API keys with roles, an audit record per request,
Prometheus metrics, request limits, feedback on answers, and hot-swap of the ``champion`` alias
(optionally a canary share for ``challenger``). Every answer leaves the server PII-scrubbed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import random
import re
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Annotated, Any, Protocol

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response, StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from pydantic import BaseModel, ConfigDict, Field, field_validator
from starlette.exceptions import HTTPException as StarletteHTTPException

from llmops.api_keys import ApiKey, KeyStore, role_allows
from llmops.audit_log import AuditLog, AuditRecord
from llmops.batching import MicroBatcher
from llmops.chat_model import GREEDY, Completion, Messages, Sampling, StreamChunk
from llmops.feedback import FeedbackRecord, FeedbackStore, served_model_id
from llmops.pii import Scrubber, ScrubResult
from llmops.vector_index import EMPTY_QUERY, Hit, Retriever

log = logging.getLogger(__name__)

CONTEXT_INSTRUCTION = (
    "Answer using the company documents below when they are relevant. "
    "If they do not contain the answer, say so briefly.\n\n"
)
STATIC_DIR = Path(__file__).with_name("static")
# Probes and metrics stay open: orchestrators and Prometheus scrape them without credentials, and
# they reveal only liveness and aggregate counters. They are not audited (scraped every few seconds).
OPEN_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
# spaCy pipelines are not documented as thread-safe; scrubbing is GIL-bound anyway, so one lock costs nothing.
_SCRUB_LOCK = threading.Lock()
# A search batch scrubs its queries for the audit digests (Python, holds the GIL) on this thread
# while its own thread embeds them and queries Lance (native code that releases the GIL).
_DIGEST_WORKER = ThreadPoolExecutor(1, thread_name_prefix="search-digest")
_WORD = re.compile(r"\S+")
# A word that cannot be part of a multi-word personal value: lower-case letters (a hyphen or
# apostrophe inside, brackets, quotes or punctuation around). Anything else may be: capitalised
# (names, streets, cities), with digits (phone, card and IBAN groups, house numbers, postcodes), with
# @ / + < (e-mails, URLs); and so may the lower-case words that join names and addresses below.
_PLAIN_WORD = re.compile(r"[(\[\"'“‘]*([^\W\d_]+(?:['’\-][^\W\d_]+)*)[)\]\"'”’.,;:!?]*")
_VALUE_JOINS = frozenset(
    "van von de da der den del di du la le las los des bin binti al ibn ben am an im auf dem sur upon on "
    "rue boulevard bd av avenue place chemin allée quai impasse route cours passage".split()
)
MAX_CONTENT_CHARS = 20_000


# --- request shapes -------------------------------------------------------------------------------

class ContentPart(BaseModel):
    """One part of a message's content as newer OpenAI clients send it; only text parts are read."""

    model_config = ConfigDict(extra="allow")
    type: str
    text: str | None = None


class Message(BaseModel):
    role: str = Field(pattern="^(system|user|assistant)$")
    content: Annotated[str, Field(max_length=MAX_CONTENT_CHARS)] | Annotated[list[ContentPart], Field(max_length=64)] = (
        Field(description="a string, or text parts ({\"type\": \"text\", \"text\": ...}) joined by line breaks"))

    @field_validator("content")
    @classmethod
    def _text_only(cls, content: str | list[ContentPart]) -> str:
        if isinstance(content, str):
            return content
        for i, part in enumerate(content):
            if part.type != "text":
                raise ValueError(f"this server reads text content parts only; part {i} has type {part.type!r}")
            if part.text is None:
                raise ValueError(f"content part {i} has type 'text' but no text")
        text = "\n".join(part.text for part in content)
        if len(text) > MAX_CONTENT_CHARS:
            raise ValueError(f"the text parts hold more than {MAX_CONTENT_CHARS} characters")
        return text


class StreamOptions(BaseModel):
    include_usage: bool = False


class ChatCompletionRequest(BaseModel):
    model: str | None = None
    messages: list[Message] = Field(min_length=1, max_length=64)
    max_tokens: int | None = Field(default=None, ge=1, le=1024)
    temperature: float | None = Field(default=None, ge=0, le=2, description="0 or absent: greedy decoding")
    top_p: float | None = Field(default=None, gt=0, le=1)
    seed: int | None = Field(default=None, ge=-(2**63), le=2**64 - 1, description="repeatable sampling")
    stream: bool = False
    stream_options: StreamOptions | None = None
    top_k: int = Field(default=4, ge=0, le=20, description="retrieved chunks to ground the answer (extension)")
    where: str | None = Field(default=None, max_length=1_000,
                              description="SQL filter on chunk metadata for retrieval, e.g. doc_type = 'faq' (extension)")

    def sampling(self) -> Sampling:
        return Sampling(self.temperature or 0.0, 1.0 if self.top_p is None else self.top_p, self.seed)


class SearchRequest(BaseModel):
    query: str = Field(min_length=1, max_length=2_000)
    k: int = Field(default=5, ge=1, le=50)
    where: str | None = Field(default=None, max_length=1_000, description="SQL filter on chunk metadata, e.g. doc_type = 'faq'")


class FeedbackRequest(BaseModel):
    response_id: str = Field(min_length=1, max_length=200, description="the `id` of a chat completion")
    rating: int = Field(description="+1 helpful, -1 not helpful")
    correction: str | None = Field(default=None, max_length=20_000, description="what the answer should have been")


@dataclass(frozen=True)
class Limits:
    """Request limits beyond the schema's: whole body size, total prompt size, generated tokens."""

    max_body_bytes: int = 1_000_000
    max_prompt_chars: int = 60_000
    max_new_tokens: int = 512  # requests asking for more are capped (finish_reason "length")

    def __post_init__(self) -> None:
        for name, value in vars(self).items():
            if value < 1:
                raise ValueError(f"{name} must be at least 1, got {value}")


# --- errors ---------------------------------------------------------------------------------------

class ApiError(Exception):
    """An error the client caused (or may retry), rendered in OpenAI's error shape."""

    def __init__(self, status: int, message: str, kind: str = "invalid_request_error",
                 param: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.kind, self.param, self.code = status, message, kind, param, code

    def response(self) -> JSONResponse:
        return _error(self.status, self.message, self.kind, self.param, self.code)


def _error(status: int, message: str, kind: str = "invalid_request_error", param: str | None = None,
           code: str | None = None) -> JSONResponse:
    return JSONResponse(status_code=status, content={"error": {"message": message, "type": kind, "param": param, "code": code}})


# --- one served model version -----------------------------------------------------------------------

class ChatEngine(Protocol):
    """What serving needs from a generation engine (``ChatModel``, the batched or llama.cpp one);
    engines are thread-safe, so concurrent requests share one freely."""

    def complete(self, conversations: Sequence[Messages], max_new_tokens: int | None = None,
                 sampling: Sampling = GREEDY) -> list[Completion]: ...

    def stream(self, messages: Messages, max_new_tokens: int | None = None,
               sampling: Sampling = GREEDY) -> Iterator[StreamChunk]: ...


@dataclass
class Answerer:
    """One model version + the retriever."""

    chat: ChatEngine
    retriever: Retriever | None
    model_id: str
    system_prompt: str
    scrubber: Scrubber | None = None  # answers are scrubbed before they leave the server

    def build_messages(self, messages: Messages, hits: list[Hit]) -> Messages:
        system = self.system_prompt
        if hits:
            context = "\n\n".join(f"[{i}] {h.title}\n{h.text}" for i, h in enumerate(hits, start=1))
            system = f"{system}\n\n{CONTEXT_INSTRUCTION}{context}"
        turns = [m for m in messages if m["role"] != "system"]
        return [{"role": "system", "content": system}, *turns]

    def retrieve(self, messages: Messages, top_k: int, where: str | None = None) -> list[Hit]:
        """Chunks for the last user message; a bad ``where`` filter raises ValueError."""
        question = last_user_message(messages)
        return self.retriever.search(question, top_k, where) if self.retriever and top_k and question.strip() else []

    def complete(self, messages: Messages, max_tokens: int | None, hits: list[Hit],
                 sampling: Sampling = GREEDY) -> Completion:
        completion = self.chat.complete([self.build_messages(messages, hits)], max_tokens, sampling)[0]
        return self.scrubbed(completion, [m["content"] for m in messages])

    def stream(self, messages: Messages, max_tokens: int | None, hits: list[Hit],
               sampling: Sampling = GREEDY) -> Iterator[StreamChunk]:
        """The model's raw chunks; callers scrub them with ``ScrubbedStream`` before sending."""
        return self.chat.stream(self.build_messages(messages, hits), max_tokens, sampling)

    def scrub(self, text: str, context: Sequence[str] = ()) -> str:
        """``text`` without personal data. Values found in ``context`` (the user's own messages) are
        removed from ``text`` too: an answer that echoes "Priya" gives the recognizers no clue that
        it is a name, but the question that said "I am Priya Raman" does."""
        return self.scrub_all([*context, text])[-1]

    def scrub_all(self, texts: Sequence[str]) -> list[str]:
        """Texts of one conversation scrubbed together: a value found in one is removed from all."""
        return [r.text for r in self.scrub_results(texts)]

    def scrub_results(self, texts: Sequence[str], together: bool = True) -> list[ScrubResult]:
        """``scrub_all`` with what was removed where (spans in each text's own offsets); with
        ``together=False`` each text is scrubbed on its own, still in one batched pass."""
        if self.scrubber is None:
            return [ScrubResult(text, {}, []) for text in texts]
        with _SCRUB_LOCK:
            return self.scrubber.scrub_many(list(texts), groups=[0] * len(texts) if together else list(range(len(texts))))

    def scrub_each(self, texts: Sequence[str]) -> list[str]:
        """Unrelated texts (different requests) scrubbed in one batched pass, each on its own."""
        return [r.text for r in self.scrub_results(texts, together=False)]

    def scrubbed(self, completion: Completion, context: Sequence[str] = ()) -> Completion:
        """The completion with any personal data the model produced replaced by placeholders."""
        return replace(completion, text=self.scrub(completion.text, context))


def last_user_message(messages: Messages) -> str:
    return next((m["content"] for m in reversed(messages) if m["role"] == "user"), "")


@dataclass(frozen=True)
class SearchCall:
    answerer: Answerer
    query: str
    k: int
    where: str | None


def search_batch(calls: list[SearchCall]) -> list[tuple[str, list[Hit] | Exception]]:
    """Concurrent /v1/search requests answered together: one scrub pass for their audit digests,
    one embedding pass and one multi-vector Lance query per (index, k, filter). Each gets its
    digest and its hits, or the error that is its alone (a bad filter fails only its group)."""
    digests = _DIGEST_WORKER.submit(_digests, calls)
    found: list[list[Hit] | Exception] = [[] for _ in calls]
    searchable = []
    for i, call in enumerate(calls):
        if call.answerer.retriever is None:
            found[i] = ApiError(503, "no retrieval index is configured", "server_error")
        elif not call.query.strip():
            found[i] = ValueError(EMPTY_QUERY)
        else:
            searchable.append(i)
    for indices in _groups(searchable, lambda i: (id(calls[i].answerer.retriever), calls[i].k, calls[i].where)):
        first = calls[indices[0]]
        try:
            hits: list = first.answerer.retriever.search_many([calls[i].query for i in indices], first.k, first.where)
        except ValueError as error:
            hits = [error] * len(indices)
        for i, result in zip(indices, hits):
            found[i] = result
    return list(zip(digests.result(), found))


def _digests(calls: list[SearchCall]) -> list[str]:
    """The audit digest of each query: one scrub pass per answerer."""
    digests = [""] * len(calls)
    for indices in _groups(range(len(calls)), lambda i: id(calls[i].answerer)):
        scrubbed = calls[indices[0]].answerer.scrub_each([calls[i].query for i in indices])
        for i, text in zip(indices, scrubbed):
            digests[i] = prompt_digest([text])
    return digests


def _groups(indices: Iterable[int], key: Callable[[int], Hashable]) -> list[list[int]]:
    groups: dict[Hashable, list[int]] = {}
    for i in indices:
        groups.setdefault(key(i), []).append(i)
    return list(groups.values())


class ScrubbedStream:
    """Streams an answer a few words behind generation without ever sending personal data.

    At each release the whole answer so far is scrubbed (with the conversation as context, so a
    name the user gave is known, and a name mentioned twice gets one placeholder), and everything
    is sent except a held tail, which starts at the earliest of:

    - the last ``hold_words`` words: the last may still be growing into an e-mail, URL, phone
      number or name, and the recognizers get at least one whole word of right context;
    - the run of words right before those that could belong to one multi-word value (every word
      but plain lower-case ones, see ``_PLAIN_WORD``; the lower-case joins of names and addresses,
      "van", "de la", "rue", count as such words): a phone number with spaces, an IBAN or card in
      groups, a full name, a street address or a birth date is held whole until a plain word
      follows it, so a value is never split between two releases, and no word is sent that a
      value still arriving could turn out to start;
    - any detected value that reaches into the held tail or touches it (only white space between):
      it is sent once it is complete and a plain word has followed it.

    The sent part is scrubbed together with the whole answer so far, so a value detected anywhere
    (with all the right context there is) is removed from it too, and its placeholders are numbered
    as in the whole answer; when the model stops, the rest goes out, scrubbed as a whole. Sent text
    never changes: if later text changes how the sent part scrubs (a value found only further on;
    rare), the new part is scrubbed on its own, with the whole answer as context (so the rest of a
    value found across the cut is removed too), which can cost placeholder numbering, never a leak.
    The scrubber runs once ``every_words`` words are releasable (one for the first release), not
    per token: a scrub costs as much as a few tokens.
    """

    def __init__(self, scrub: Callable[[Sequence[str]], list[ScrubResult]], hold_words: int = 2,
                 every_words: int = 4) -> None:
        """``scrub`` scrubs texts of one conversation together (a value found in one is removed from all)."""
        if hold_words < 1 or every_words < 1:
            raise ValueError(f"hold_words and every_words must be at least 1, got {hold_words} and {every_words}")
        self._scrub, self.hold_words, self.every_words = scrub, hold_words, every_words
        self.raw = ""
        self.released = ""  # scrubbed text sent so far
        self._committed = 0  # raw characters covered by ``released``
        self._tried = 0  # the last cut tried: the scrubber runs again only when a new word moves it

    def feed(self, text: str) -> str:
        self.raw += text if self.raw else text.lstrip()
        words = [m.span() for m in _WORD.finditer(self.raw)]
        if len(words) <= self.hold_words:
            return ""
        first = self._run_start(words, len(words) - self.hold_words)
        releasable = sum(self._committed <= start < words[first][0] for start, _ in words)
        if releasable < (self.every_words if self.released else 1) or words[first][0] == self._tried:
            return ""
        self._tried = words[first][0]
        return self._release(words, first)

    def finish(self) -> str:
        self.raw = self.raw.rstrip()
        return self._release([m.span() for m in _WORD.finditer(self.raw)], None)

    def _run_start(self, words: list[tuple[int, int]], index: int) -> int:
        """The first word of the run of could-be-value words that ends right before ``words[index]``."""
        while index > 0 and not _is_plain(self.raw[slice(*words[index - 1])]):
            index -= 1
        return index

    def _release(self, words: list[tuple[int, int]], first: int | None) -> str:
        """Send the scrubbed text before ``words[first]`` (everything when None), minus values touching it."""
        whole = self._scrub([self.raw])[0]
        if first is None:
            return self._send(len(self.raw), whole.text)
        while (end := words[first][0]) > self._committed:
            crossing = [s.start for s in whole.spans if s.start < end and s.end > words[first - 1][0]]
            if not crossing:
                held = self.raw[end:]
                if all(s.end <= end for s in whole.spans):  # the held tail is verbatim at the end of ``whole``
                    return self._send(end, whole.text[: len(whole.text) - len(held)])
                return self._send(end, self._scrub([self.raw, self.raw[:end]])[1].text)
            first = self._run_start(words, next(i for i, (_, stop) in enumerate(words) if stop > min(crossing)))
        return ""

    def _send(self, end: int, scrubbed: str) -> str:
        """Release ``scrubbed`` (raw text up to ``end``, scrubbed) past what was sent already."""
        if end <= self._committed:
            return ""
        if scrubbed.startswith(self.released):
            delta = scrubbed[len(self.released):]
        else:  # later text changed how the sent part scrubs: scrub the new part on its own
            delta = self._scrub([self.raw, self.raw[self._committed:end]])[-1].text
        self._committed = end
        self.released += delta
        return delta


def _is_plain(word: str) -> bool:
    match = _PLAIN_WORD.fullmatch(word)
    return bool(match) and match.group(1).islower() and match.group(1) not in _VALUE_JOINS


# --- the served versions and hot-swap ---------------------------------------------------------------

@dataclass
class RegistryLoader:
    """Loads registered versions of one model into Answerers sharing the retriever and scrubber."""

    model_name: str
    tracking_uri: str
    retriever: Retriever | None
    scrubber: Scrubber | None = None
    backend: str | None = None  # generation engine (see chat_backends); None: $LLMOPS_BACKEND or transformers
    precision: str = "fp32"  # the transformers engine's weights: fp32, bf16 or auto (see chat_backends.serving_chat)

    def version(self, alias: str) -> str | None:
        from mlflow.tracking import MlflowClient

        from llmops.promoted_model import aliased_version

        found = aliased_version(MlflowClient(tracking_uri=self.tracking_uri, registry_uri=self.tracking_uri), self.model_name, alias)
        return found.version if found else None

    def model_id(self, version: str) -> str:
        return served_model_id(self.model_name, version)

    def load(self, version: str) -> Answerer:
        import mlflow

        from llmops.chat_backends import serving_chat

        mlflow.set_tracking_uri(self.tracking_uri)
        mlflow.set_registry_uri(self.tracking_uri)
        pyfunc = mlflow.pyfunc.load_model(f"models:/{self.model_name}/{version}").unwrap_python_model()
        chat = serving_chat(pyfunc, self.model_name, version, self.backend, self.precision)  # batched transformers, or llama.cpp
        return Answerer(chat, self.retriever, self.model_id(version), pyfunc.system_prompt, self.scrubber)


class ServedModels:
    """The champion (and optional canary challenger) answering now, swapped atomically.

    A request picks its Answerer once and keeps the reference, so a swap never touches a request
    in flight: it finishes on the old version, which is freed when the last such request ends.
    """

    def __init__(self, champion: Answerer, loader: RegistryLoader | None = None, canary_share: float = 0.0) -> None:
        if not 0.0 <= canary_share <= 1.0:
            raise ValueError(f"canary share must be within [0, 1], got {canary_share}")
        self.champion = champion
        self.challenger: Answerer | None = None
        self.loader = loader
        self.canary_share = canary_share
        self.last_error: str | None = None
        self.swaps = 0
        self._refresh_lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def pick(self) -> Answerer:
        challenger = self.challenger
        if challenger is not None and random.random() < self.canary_share:
            return challenger
        return self.champion

    def versions(self) -> list[Answerer]:
        return [a for a in (self.champion, self.challenger) if a is not None]

    def refresh(self) -> dict[str, str | None]:
        """Follow the registry aliases: load a changed version fully, then swap it in."""
        from llmops.promoted_model import CHAMPION

        if self.loader is None:
            return {"champion": self.champion.model_id, "challenger": None}
        with self._refresh_lock:
            try:
                self._follow(CHAMPION)
                if self.canary_share > 0:
                    self._follow("challenger")
                self.last_error = None
            except Exception as exc:  # a broken registry or version keeps the current model serving
                self.last_error = f"{type(exc).__name__}: {exc}"
                log.exception("model refresh failed; still serving %s", self.champion.model_id)
                raise
        challenger = self.challenger
        return {"champion": self.champion.model_id, "challenger": challenger.model_id if challenger else None}

    def _follow(self, alias: str) -> None:
        version = self.loader.version(alias)
        current = self.champion if alias == "champion" else self.challenger
        if version is None:
            if alias != "champion":
                self.challenger = None
            return
        wanted = self.loader.model_id(version)
        if current is not None and current.model_id == wanted:
            return
        loaded = next((a for a in self.versions() if a.model_id == wanted), None) or self.loader.load(version)
        if alias == "champion":
            self.champion = loaded
        else:
            self.challenger = loaded
        self.swaps += 1
        log.info("now serving %s as %s", wanted, alias)

    def start_polling(self, interval_s: float) -> None:
        def loop() -> None:
            while not self._stop.wait(interval_s):
                try:
                    self.refresh()
                except Exception:  # already logged and exposed in /readyz; try again next interval
                    pass

        self._thread = threading.Thread(target=loop, name="champion-poller", daemon=True)
        self._thread.start()

    def stop_polling(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)


# --- observability ---------------------------------------------------------------------------------

class Metrics:
    """Prometheus series for one app (own registry, so several apps can live in one process)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        labels = ["endpoint", "model_version"]
        self.requests = Counter("llmops_requests", "HTTP requests", [*labels, "status"], registry=self.registry)
        self.errors = Counter("llmops_errors", "HTTP requests answered with status >= 400", [*labels, "status"], registry=self.registry)
        self.latency = Histogram("llmops_request_latency_seconds", "Request latency (streams: until the last byte)", labels,
                                 registry=self.registry, buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120))
        self.first_token = Histogram("llmops_time_to_first_token_seconds", "Streamed chat: time to the first content",
                                     ["model_version"], registry=self.registry, buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30))
        self.tokens = Counter("llmops_tokens", "Tokens processed", ["model_version", "kind"], registry=self.registry)
        self.search_batch = Histogram("llmops_search_batch_size", "Concurrent /v1/search requests answered together",
                                      registry=self.registry, buckets=(1, 2, 4, 8, 16, 32))


class _Observe:
    """ASGI middleware: request id and model-version headers, body-size limit, audit and metrics.

    It wraps ``send`` rather than the response so that a stream is audited when its last byte
    goes out, with its true latency and token counts.
    """

    def __init__(self, app, audit: AuditLog | None, metrics: Metrics, limits: Limits) -> None:
        self.app, self.audit, self.metrics, self.limits = app, audit, metrics, limits

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        start = time.perf_counter()
        state = scope.setdefault("state", {})
        state["request_id"] = f"req_{uuid.uuid4().hex[:16]}"
        status = {"code": 500, "done": False}
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.limits.max_body_bytes):
            return await self._reject_too_large(scope, receive, send)

        received = 0

        async def limited_receive():
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limits.max_body_bytes:
                raise ApiError(413, f"request body exceeds {self.limits.max_body_bytes} bytes", code="request_too_large")
            return message

        async def observed_send(message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                headers = [*message.get("headers", []), (b"x-request-id", state["request_id"].encode())]
                if state.get("model_version"):
                    headers.append((b"x-model-version", state["model_version"].encode()))
                message = {**message, "headers": headers}
            await send(message)
            if message["type"] == "http.response.body" and not message.get("more_body") and not status["done"]:
                status["done"] = True
                self._record(scope, state, status["code"], time.perf_counter() - start)

        try:
            await self.app(scope, limited_receive, observed_send)
        finally:
            if not status["done"]:  # the client went away mid-stream, or the app crashed (500)
                self._record(scope, state, status["code"], time.perf_counter() - start)

    async def _reject_too_large(self, scope, receive, send) -> None:
        response = _error(413, f"request body exceeds {self.limits.max_body_bytes} bytes", code="request_too_large")
        response.headers["x-request-id"] = scope["state"]["request_id"]
        await response(scope, receive, send)
        self._record(scope, scope["state"], 413, 0.0)

    def _record(self, scope, state: dict, status: int, seconds: float) -> None:
        if state.get("stream_error"):  # sent as 200, then failed mid-stream: count it as the server error it was
            status = 500
        route = scope.get("route")
        endpoint = getattr(route, "path", None) or "unmatched"
        version = state.get("model_version") or "none"
        labels = {"endpoint": endpoint, "model_version": version}
        if endpoint not in OPEN_PATHS:
            self.metrics.requests.labels(**labels, status=str(status)).inc()
            self.metrics.latency.labels(**labels).observe(seconds)
            if status >= 400:
                self.metrics.errors.labels(**labels, status=str(status)).inc()
        if self.audit is None or endpoint in OPEN_PATHS:
            return
        self.audit.append(AuditRecord(
            ts=time.time(), request_id=state["request_id"], method=scope["method"], endpoint=endpoint, status=status,
            latency_ms=round(seconds * 1000, 2), key_id=state.get("key_id"), role=state.get("role"),
            model_version=state.get("model_version"), prompt_sha256=state.get("prompt_sha256"),
            prompt_tokens=state.get("prompt_tokens"), completion_tokens=state.get("completion_tokens")))


# --- the app -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Remembered:
    question: str
    answer: str
    model_version: str
    key_id: str | None


class ResponseMemory:
    """The last N answers (scrubbed), so feedback can name a response by id without resending it."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._items: OrderedDict[str, Remembered] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, response_id: str, item: Remembered) -> None:
        with self._lock:
            self._items[response_id] = item
            while len(self._items) > self.capacity:
                self._items.popitem(last=False)

    def get(self, response_id: str) -> Remembered | None:
        with self._lock:
            return self._items.get(response_id)


@dataclass
class ServerConfig:
    """Everything around the model. ``keys=None`` turns authentication off (in-process use only;
    ``llmops serve`` always passes a key store)."""

    keys: KeyStore | None = None
    audit: AuditLog | None = None
    feedback: FeedbackStore | None = None
    limits: Limits = field(default_factory=Limits)
    remembered_responses: int = 10_000
    poll_interval_s: float | None = None  # follow the registry aliases every N seconds

    def __post_init__(self) -> None:
        if self.poll_interval_s is not None and self.poll_interval_s <= 0:
            raise ValueError(f"poll interval must be positive seconds, got {self.poll_interval_s}")
        if self.remembered_responses < 1:
            raise ValueError(f"remembered_responses must be at least 1, got {self.remembered_responses}")


_bearer = HTTPBearer(auto_error=False, description="an API key from `llmops keys create`")


def prompt_digest(texts: list[str]) -> str:
    return hashlib.sha256(json.dumps(texts, ensure_ascii=False).encode()).hexdigest()


def _sse(payload: dict | str) -> str:
    return f"data: {payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False)}\n\n"


def create_app(models: Answerer | ServedModels, config: ServerConfig | None = None) -> FastAPI:
    served = models if isinstance(models, ServedModels) else ServedModels(models)
    config = config or ServerConfig()
    limits = config.limits
    metrics = Metrics()
    memory = ResponseMemory(config.remembered_responses)

    def answer_searches(calls: list[SearchCall]) -> list[tuple[str, list[Hit] | Exception]]:
        metrics.search_batch.observe(len(calls))
        return search_batch(calls)

    searches = MicroBatcher(answer_searches)

    @asynccontextmanager
    async def lifespan(_: FastAPI):
        if config.audit is not None:
            dropped = config.audit.prune()
            log.info("audit log: pruned %d records older than %s days", dropped, config.audit.retention_days)
        if config.poll_interval_s:
            served.start_polling(config.poll_interval_s)
        yield
        served.stop_polling()

    app = FastAPI(title="llmops serving", version="1.0", lifespan=lifespan)
    app.state.models = served
    app.add_middleware(_Observe, audit=config.audit, metrics=metrics, limits=limits)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        param = ".".join(str(p) for p in first.get("loc", ())[1:]) or None
        return _error(400, f"{param or 'request'}: {first.get('msg', 'invalid request')}", param=param)

    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return exc.response()

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        response = _error(exc.status_code, str(exc.detail), "not_found_error" if exc.status_code == 404 else "invalid_request_error")
        response.headers.update(exc.headers or {})
        return response

    @app.exception_handler(Exception)
    async def _crash(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error")
        return _error(500, "internal server error", "server_error")

    def authorize(required: str) -> Callable[..., Awaitable[ApiKey | None]]:
        # async: a hash and a cached lookup (the key file is re-read only when it changes) cost less
        # than the thread-pool hop FastAPI would make for a plain function
        async def check(request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(_bearer)) -> ApiKey | None:
            if config.keys is None:
                return None
            if credentials is None:
                raise ApiError(401, "missing API key: send 'Authorization: Bearer <key>'", code="invalid_api_key")
            key = config.keys.authenticate(credentials.credentials)
            if key is None:
                raise ApiError(401, "invalid or revoked API key", code="invalid_api_key")
            request.state.key_id, request.state.role = key.id, key.role
            if not role_allows(key.role, required):
                raise ApiError(403, f"this endpoint needs the {required!r} role; key {key.id} has {key.role!r}",
                               "permission_error", code="insufficient_permissions")
            return key

        return check

    reader, admin = Depends(authorize("reader")), Depends(authorize("admin"))

    @app.get("/", include_in_schema=False)
    def chat_page() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html")

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/healthz")
    def healthz() -> dict:
        """Liveness: the process answers."""
        return {"status": "ok", "model": served.champion.model_id}

    @app.get("/readyz", response_model=None)
    def readyz() -> dict | JSONResponse:
        """Readiness: a champion is loaded and the retrieval index answers."""
        body = {"status": "ready", "model": served.champion.model_id,
                "challenger": served.challenger.model_id if served.challenger else None, "swaps": served.swaps,
                "last_refresh_error": served.last_error}
        retriever = served.champion.retriever
        try:
            body["index_rows"] = retriever.table.count_rows() if retriever else 0
        except Exception as exc:  # the index is unreadable: not ready, but say why
            return JSONResponse(status_code=503, content={**body, "status": "not ready", "reason": f"index: {exc}"})
        return body

    @app.get("/metrics", include_in_schema=False)
    def prometheus() -> Response:
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    @app.get("/v1/models", dependencies=[reader])
    def list_models(request: Request) -> dict:
        request.state.model_version = served.champion.model_id
        return {"object": "list", "data": [{"id": a.model_id, "object": "model", "created": 0, "owned_by": "llmops"}
                                           for a in served.versions()]}

    @app.post("/v1/chat/completions", response_model=None)
    def chat_completions(body: ChatCompletionRequest, request: Request, key: ApiKey | None = reader) -> dict | StreamingResponse:
        messages = [m.model_dump() for m in body.messages]
        if not any(m["role"] == "user" for m in messages):
            raise ApiError(400, "messages must contain at least one user message", param="messages")
        if sum(len(m["content"]) for m in messages) > limits.max_prompt_chars:
            raise ApiError(400, f"messages exceed {limits.max_prompt_chars} characters in total", param="messages",
                           code="context_length_exceeded")
        answerer = served.pick()
        state = request.state
        state.model_version = answerer.model_id
        said = [m["content"] for m in messages]
        scrubbed_said = answerer.scrub_all(said)
        question = next(text for text, m in zip(reversed(scrubbed_said), reversed(messages)) if m["role"] == "user")
        state.prompt_sha256 = prompt_digest(scrubbed_said)
        max_tokens = min(body.max_tokens or limits.max_new_tokens, limits.max_new_tokens)
        sampling = body.sampling()
        try:
            hits = answerer.retrieve(messages, body.top_k, body.where)
        except ValueError as exc:
            raise ApiError(400, str(exc), param="where") from exc
        sources = [{"doc_id": h.doc_id, "source": h.source, "title": h.title, "score": round(h.score, 4)} for h in hits]
        response_id, created = f"chatcmpl-{uuid.uuid4().hex}", int(time.time())

        def finished(answer: str, prompt_tokens: int, completion_tokens: int) -> dict:
            state.prompt_tokens, state.completion_tokens = prompt_tokens, completion_tokens
            metrics.tokens.labels(answerer.model_id, "prompt").inc(prompt_tokens)
            metrics.tokens.labels(answerer.model_id, "completion").inc(completion_tokens)
            memory.put(response_id, Remembered(question, answer, answerer.model_id, key.id if key else None))
            return {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                    "total_tokens": prompt_tokens + completion_tokens}

        if not body.stream:
            completion = answerer.complete(messages, max_tokens, hits, sampling)
            usage = finished(completion.text, completion.prompt_tokens, completion.completion_tokens)
            return {"id": response_id, "object": "chat.completion", "created": created, "model": answerer.model_id,
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": completion.text},
                                 "finish_reason": completion.finish_reason}],
                    "usage": usage, "sources": sources}

        include_usage = bool(body.stream_options and body.stream_options.include_usage)

        def chunk(delta: dict, finish_reason: str | None = None, **extra: Any) -> str:
            return _sse({"id": response_id, "object": "chat.completion.chunk", "created": created, "model": answerer.model_id,
                         "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}], **extra})

        def events() -> Iterator[str]:
            start = time.perf_counter()
            yield chunk({"role": "assistant", "content": ""}, sources=sources)
            guard = ScrubbedStream(lambda texts: answerer.scrub_results([*said, *texts])[len(said):])
            last = None
            try:
                for last in answerer.stream(messages, max_tokens, hits, sampling):
                    delta = guard.feed(last.text) + (guard.finish() if last.finish_reason else "")
                    if delta:
                        if guard.released == delta:
                            metrics.first_token.labels(answerer.model_id).observe(time.perf_counter() - start)
                        yield chunk({"content": delta})
            except Exception:  # the 200 status line is gone already: end the stream with an error event
                log.exception("generation failed mid-stream (%s)", answerer.model_id)
                state.stream_error = True
                yield _sse({"error": {"message": "generation failed; the answer is incomplete", "type": "server_error",
                                      "param": None, "code": None}})
                return
            usage = finished(guard.released, last.prompt_tokens if last else 0, last.completion_tokens if last else 0)
            yield chunk({}, last.finish_reason if last else "stop")
            if include_usage:
                yield _sse({"id": response_id, "object": "chat.completion.chunk", "created": created,
                            "model": answerer.model_id, "choices": [], "usage": usage})
            yield _sse("[DONE]")

        return StreamingResponse(events(), media_type="text/event-stream", headers={"cache-control": "no-cache"})

    @app.post("/v1/search")
    async def search(body: SearchRequest, request: Request, _: ApiKey | None = reader) -> dict:
        answerer = served.champion
        request.state.model_version = answerer.model_id
        request.state.prompt_sha256, found = await searches(SearchCall(answerer, body.query, body.k, body.where))
        if isinstance(found, ValueError):
            raise ApiError(400, str(found), param="where" if body.where is not None and body.query.strip() else "query")
        if isinstance(found, ApiError):
            raise found
        return {"object": "list", "model": answerer.model_id,
                "data": [{"chunk_id": h.chunk_id, "doc_id": h.doc_id, "source": h.source, "title": h.title,
                          "doc_type": h.doc_type, "text": h.text, "score": round(h.score, 4)} for h in found]}

    @app.post("/v1/feedback")
    def feedback(body: FeedbackRequest, request: Request, key: ApiKey | None = reader) -> dict:
        if body.rating not in (1, -1):
            raise ApiError(400, "rating must be 1 or -1", param="rating")
        remembered = memory.get(body.response_id)
        # another key's response is reported as unknown, so ids cannot be probed across users
        if remembered is None or (key is not None and remembered.key_id != key.id):
            raise ApiError(404, f"no recent response with id {body.response_id!r}", "not_found_error", param="response_id")
        request.state.model_version = remembered.model_version
        if config.feedback is None:
            raise ApiError(503, "feedback storage is not configured on this server", "server_error")
        scrub = served.champion.scrub
        config.feedback.append(FeedbackRecord(
            response_id=body.response_id, rating=body.rating, question=remembered.question, answer=remembered.answer,
            model_version=remembered.model_version, created_at=time.time(),
            correction=scrub(body.correction) if body.correction else None, key_id=key.id if key else None))
        return {"object": "feedback", "response_id": body.response_id, "stored": True, "model": remembered.model_version}

    @app.post("/admin/reload", dependencies=[admin])
    def reload(request: Request) -> dict:
        """Check the registry aliases now instead of waiting for the next poll."""
        try:
            versions = served.refresh()
        except Exception as exc:
            raise ApiError(502, f"reload failed, still serving {served.champion.model_id}: {exc}", "server_error") from exc
        request.state.model_version = versions["champion"]
        return {"object": "reload", **versions, "model": versions["champion"]}

    @app.get("/admin/feedback", dependencies=[admin])
    def export_feedback(since: float | None = None) -> dict:
        """Stored ratings (already scrubbed), for review or export to the training loop."""
        if config.feedback is None:
            raise ApiError(503, "feedback storage is not configured on this server", "server_error")
        read = config.feedback.read(since)
        return {"object": "list", "data": [asdict(r) for r in read.records], "bad_lines": len(read.bad_lines)}

    return app


def load_champion_answerer(
    model_name: str, tracking_uri: str, lancedb_uri: str, table: str, scrubber: Scrubber | None = None
) -> Answerer:
    """Load ``models:/<name>@champion`` from the MLflow registry and open the retrieval index."""
    return load_served_models(model_name, tracking_uri, lancedb_uri, table, scrubber).champion


def load_served_models(model_name: str, tracking_uri: str, lancedb_uri: str, table: str, scrubber: Scrubber | None = None,
                       canary_share: float = 0.0, backend: str | None = None, precision: str = "fp32") -> ServedModels:
    """The champion (and, with a canary share, the challenger) ready to serve and to follow the registry."""
    from llmops.base_model import use_bf16
    from llmops.promoted_model import CHAMPION
    from llmops.vector_index import Embedder

    use_bf16(precision)  # a misspelt precision fails here, before anything loads
    loader = RegistryLoader(model_name, tracking_uri, None, scrubber, backend, precision)
    version = loader.version(CHAMPION)
    if version is None:
        raise LookupError(f"model {model_name!r} has no {CHAMPION!r} alias in {tracking_uri}; run the pipeline first")
    loader.retriever = Retriever(lancedb_uri, Embedder(runtime="onnx"), table)  # queries off the GIL
    served = ServedModels(loader.load(version), loader, canary_share)
    if canary_share > 0:
        served.refresh()
    # MiniLM loads (and is exported to ONNX, once per cache) on its first query, and spaCy's pipeline
    # warms on its first text: done now, so the port opens, and /readyz passes, only when the first
    # request is as fast as any.
    served.champion.scrub_each(["warm-up"])
    loader.retriever.embedder.encode(["warm-up"])
    return served
