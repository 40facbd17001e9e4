"""The OpenAI-compatible endpoints: ``/v1/models`` and ``/v1/chat/completions``, whole or streamed
as server-sent events, grounded by retrieval and answered with the ``sources`` used. Every answer
leaves scrubbed, and is remembered (scrubbed) for ``/v1/feedback``. A chat request runs only with
a generation slot from the fair queue and within its key's token limit (`llmops.serving.quotas`)."""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response, StreamingResponse
from starlette.background import BackgroundTask

from llmops.ops.api_keys import ApiKey
from llmops.ops.responses import Remembered
from llmops.retrieval.filters import Filter, scoped
from llmops.serving.answerer import ScrubbedStream
from llmops.serving.auth import authorize, scope_of
from llmops.serving.metrics import prompt_digest
from llmops.serving.quotas import LIMIT_LABELS, ClientGone, Slot
from llmops.serving.schemas import ApiError, ChatCompletionRequest, CitedSource
from llmops.serving.state import ServerState

log = logging.getLogger(__name__)


def build_chat_router(server: ServerState) -> APIRouter:
    """The chat routes over ``server``'s models, limits, metrics and response memory; readers and admins."""
    router = APIRouter()
    served, limits, metrics, memory = server.served, server.config.limits, server.metrics, server.memory
    reader = Depends(authorize(server, "reader"))

    @router.get("/v1/models")
    def list_models(request: Request, key: ApiKey | None = reader) -> dict:
        """The models that may answer this caller: shared ones and those of the caller's groups."""
        request.state.model_version = served.champion.model_id
        return {"object": "list", "data": [{"id": a.model_id, "object": "model", "created": 0, "owned_by": "llmops"}
                                           for a in served.versions(key.groups if key else None)]}

    @router.post("/v1/chat/completions", response_model=None)
    async def chat_completions(body: ChatCompletionRequest, request: Request,
                               key: ApiKey | None = reader) -> dict | StreamingResponse | Response:
        messages = [m.model_dump() for m in body.messages]
        if not any(m["role"] == "user" for m in messages):
            raise ApiError(400, "messages must contain at least one user message", param="messages")
        if sum(len(m["content"]) for m in messages) > limits.max_prompt_chars:
            raise ApiError(400, f"messages exceed {limits.max_prompt_chars} characters in total", param="messages",
                           code="context_length_exceeded")
        filters = scoped(scope_of(key), body.filter())
        key_id = key.id if key else None
        try:
            if key:
                server.limiter.check_tokens(key)
            slot = await server.gate.acquire(key_id, request.is_disconnected)
        except ApiError as refused:
            metrics.limited.labels(key_id or "none", LIMIT_LABELS.get(refused.code or "", "tpm")).inc()
            raise
        except ClientGone:
            return Response(status_code=499)  # nobody is listening; the audit still records it
        try:
            reply = await run_in_threadpool(answer, body, messages, filters, request, key, slot)
        except BaseException:
            slot.release()
            raise
        if not isinstance(reply, StreamingResponse):
            slot.release()
        return reply

    def answer(body: ChatCompletionRequest, messages: list[dict], filters: Filter | None, request: Request,
               key: ApiKey | None, slot: Slot) -> dict | StreamingResponse:
        """The answer, whole or as a stream that returns ``slot`` when it ends (finished, failed or abandoned)."""
        answerer = served.pick(key.groups if key else ())
        state = request.state
        state.model_version = answerer.model_id
        said = [m["content"] for m in messages]
        scrubbed_said = answerer.scrub_all(said)
        question = next(text for text, m in zip(reversed(scrubbed_said), reversed(messages)) if m["role"] == "user")
        state.prompt_sha256 = prompt_digest(scrubbed_said)
        max_tokens = min(body.max_tokens or limits.max_new_tokens, limits.max_new_tokens)
        sampling = body.sampling()
        hits = answerer.retrieve(messages, body.top_k, filters)
        state.chunk_ids = [hit.chunk_id for hit in hits]

        def sources(quotes: dict[int, list[str]]) -> list[dict]:
            return [CitedSource.cited(hit, quotes.get(i, [])).model_dump() for i, hit in enumerate(hits)]

        response_id, created = f"chatcmpl-{uuid.uuid4().hex}", int(time.time())

        def finished(answer: str, prompt_tokens: int, completion_tokens: int) -> dict:
            state.prompt_tokens, state.completion_tokens = prompt_tokens, completion_tokens
            metrics.tokens.labels(answerer.model_id, "prompt").inc(prompt_tokens)
            metrics.tokens.labels(answerer.model_id, "completion").inc(completion_tokens)
            if key:
                server.limiter.spend_tokens(key, completion_tokens)
                metrics.key_tokens.labels(key.id).inc(completion_tokens)
            memory.put(response_id, Remembered(question, answer, answerer.model_id, key.id if key else None, time.time(),
                                               sorted({group for hit in hits for group in hit.groups})))
            return {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                    "total_tokens": prompt_tokens + completion_tokens}

        if not body.stream:
            completion, grounded = answerer.complete(messages, max_tokens, hits, sampling, body.answer_mode)
            usage = finished(completion.text, completion.prompt_tokens, completion.completion_tokens)
            state.answer_mode = grounded.mode.value
            return {"id": response_id, "object": "chat.completion", "created": created, "model": answerer.model_id,
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": completion.text},
                                 "finish_reason": completion.finish_reason}],
                    "usage": usage, "sources": sources(grounded.quotes), "answer_mode": grounded.mode.value}

        include_usage = bool(body.stream_options and body.stream_options.include_usage)

        def chunk(delta: dict, finish_reason: str | None = None, **extra: Any) -> str:
            return _sse({"id": response_id, "object": "chat.completion.chunk", "created": created, "model": answerer.model_id,
                         "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}], **extra})

        def events() -> Iterator[str]:
            try:
                yield from streamed()
            finally:  # also when the client went away and the stream is closed unfinished
                slot.release()

        def streamed() -> Iterator[str]:
            start = time.perf_counter()
            yield chunk({"role": "assistant", "content": ""}, sources=sources({}))
            guard = ScrubbedStream(lambda texts: answerer.scrub_results([*said, *texts])[len(said):])
            last = None
            try:
                stream, grounding = answerer.stream(messages, max_tokens, hits, sampling, body.answer_mode)
                for last in stream:
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
            grounded = grounding()
            state.answer_mode = grounded.mode.value
            yield chunk({}, last.finish_reason if last else "stop", answer_mode=grounded.mode.value,
                        sources=sources(grounded.quotes))
            if include_usage:
                yield _sse({"id": response_id, "object": "chat.completion.chunk", "created": created,
                            "model": answerer.model_id, "choices": [], "usage": usage})
            yield _sse("[DONE]")

        # the background task returns the slot too if the stream never started (client gone at once)
        return StreamingResponse(events(), media_type="text/event-stream", headers={"cache-control": "no-cache"},
                                 background=BackgroundTask(slot.release))

    return router



def _sse(payload: dict | str) -> str:
    return f"data: {payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False)}\n\n"
