"""OpenAI-compatible chat API over the registry's champion model, grounded by retrieval.

``POST /v1/chat/completions`` takes the OpenAI request shape and returns the OpenAI response
shape plus a ``sources`` field (ignored by OpenAI clients) listing the documents used.
"""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass, replace

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from llmops.chat_model import ChatModel, Completion, Messages
from llmops.pii import Scrubber
from llmops.vector_index import Hit, Retriever

CONTEXT_INSTRUCTION = (
    "Answer using the company documents below when they are relevant. "
    "If they do not contain the answer, say so briefly.\n\n"
)


class Message(BaseModel):
    role: str = Field(pattern="^(system|user|assistant)$")
    content: str = Field(max_length=20_000)


class ChatCompletionRequest(BaseModel):
    model: str | None = None
    messages: list[Message] = Field(min_length=1, max_length=64)
    max_tokens: int | None = Field(default=None, ge=1, le=1024)
    temperature: float | None = Field(default=None, ge=0, le=2)
    stream: bool = False
    top_k: int = Field(default=4, ge=0, le=20, description="retrieved chunks to ground the answer (extension)")


@dataclass
class Answerer:
    """Champion model + retriever; generation is serialized because one model serves all requests."""

    chat: ChatModel
    retriever: Retriever | None
    model_id: str
    system_prompt: str
    scrubber: Scrubber | None = None  # answers are scrubbed before they leave the server

    def __post_init__(self) -> None:
        self._lock = threading.Lock()

    def build_messages(self, messages: Messages, hits: list[Hit]) -> Messages:
        system = self.system_prompt
        if hits:
            context = "\n\n".join(f"[{i}] {h.title}\n{h.text}" for i, h in enumerate(hits, start=1))
            system = f"{system}\n\n{CONTEXT_INSTRUCTION}{context}"
        turns = [m for m in messages if m["role"] != "system"]
        return [{"role": "system", "content": system}, *turns]

    def answer(self, messages: Messages, max_tokens: int | None, top_k: int) -> tuple[Completion, list[Hit]]:
        question = next((m["content"] for m in reversed(messages) if m["role"] == "user"), "")
        hits = self.retriever.search(question, top_k) if self.retriever and top_k and question else []
        with self._lock:
            completion = self.chat.complete([self.build_messages(messages, hits)], max_tokens)[0]
        return self.scrubbed(completion), hits

    def scrubbed(self, completion: Completion) -> Completion:
        """The completion with any personal data the model produced replaced by placeholders."""
        if self.scrubber is None:
            return completion
        return replace(completion, text=self.scrubber.scrub(completion.text).text)


def _error(status: int, message: str, kind: str = "invalid_request_error", param: str | None = None) -> JSONResponse:
    return JSONResponse(status_code=status, content={"error": {"message": message, "type": kind, "param": param, "code": None}})


def create_app(answerer: Answerer) -> FastAPI:
    app = FastAPI(title="llmops serving", version="1.0")

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        param = ".".join(str(p) for p in first.get("loc", ())[1:]) or None
        return _error(400, f"{param or 'request'}: {first.get('msg', 'invalid request')}", param=param)

    @app.get("/healthz")
    def healthz() -> dict:
        return {"status": "ok", "model": answerer.model_id}

    @app.get("/v1/models")
    def models() -> dict:
        return {"object": "list", "data": [{"id": answerer.model_id, "object": "model", "created": 0, "owned_by": "llmops"}]}

    @app.post("/v1/chat/completions", response_model=None)
    def chat_completions(request: ChatCompletionRequest) -> dict | JSONResponse:
        if request.stream:
            return _error(400, "stream=true is not supported by this server yet", param="stream")
        messages = [m.model_dump() for m in request.messages]
        if not any(m["role"] == "user" for m in messages):
            return _error(400, "messages must contain at least one user message", param="messages")
        completion, hits = answerer.answer(messages, request.max_tokens, request.top_k)
        usage = {"prompt_tokens": completion.prompt_tokens, "completion_tokens": completion.completion_tokens,
                 "total_tokens": completion.prompt_tokens + completion.completion_tokens}
        return {
            "id": f"chatcmpl-{uuid.uuid4().hex}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": answerer.model_id,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": completion.text},
                         "finish_reason": completion.finish_reason}],
            "usage": usage,
            "sources": [{"doc_id": h.doc_id, "source": h.source, "title": h.title, "score": round(h.score, 4)} for h in hits],
        }

    return app


def load_champion_answerer(
    model_name: str, tracking_uri: str, lancedb_uri: str, table: str, scrubber: Scrubber | None = None
) -> Answerer:
    """Load ``models:/<name>@champion`` from the MLflow registry and open the retrieval index."""
    import mlflow

    from llmops.promoted_model import CHAMPION, current_champion
    from llmops.tracking import client
    from llmops.vector_index import Embedder

    mlflow.set_tracking_uri(tracking_uri)
    mlflow.set_registry_uri(tracking_uri)
    version = current_champion(client(), model_name)
    if version is None:
        raise LookupError(f"model {model_name!r} has no {CHAMPION!r} alias in {tracking_uri}; run the pipeline first")
    pyfunc = mlflow.pyfunc.load_model(f"models:/{model_name}/{version.version}").unwrap_python_model()
    return Answerer(
        chat=pyfunc.chat,
        retriever=Retriever(lancedb_uri, Embedder(), table),
        model_id=f"{model_name}:{version.version}",
        system_prompt=pyfunc.system_prompt,
        scrubber=scrubber,
    )
