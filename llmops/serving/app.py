"""OpenAI-compatible chat API over the registry's champion model, grounded by retrieval.

``POST /v1/chat/completions`` takes the OpenAI request shape (also ``stream: true`` as server-sent
events) and returns the OpenAI response shape plus a ``sources`` field (ignored by OpenAI clients)
listing the documents used. Around it: API keys with roles, an audit record per request,
Prometheus metrics, request limits, feedback on answers, and hot-swap of the ``champion`` alias
(optionally a canary share for ``challenger``). Every answer leaves the server PII-scrubbed.

This module assembles one app: the lifespan, the error handlers, the observing middleware, the
chat page, and one router per concern (``health``, ``chat``, ``search``, ``feedback``, ``admin``,
``sign_in``),
each built over the app's ``ServerState``.
"""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from llmops.ops.responses import ResponseMemory
from llmops.serving.admin import build_admin_router
from llmops.serving.answerer import Answerer
from llmops.serving.chat import build_chat_router
from llmops.serving.feedback import build_feedback_router
from llmops.serving.health import build_health_router
from llmops.serving.metrics import Metrics, Observe
from llmops.serving.models import ServedModels
from llmops.serving.quotas import GenerationGate, RateLimiter
from llmops.serving.schemas import ApiError, error_response
from llmops.serving.search import build_search_router
from llmops.serving.sign_in import build_sign_in_router
from llmops.serving.state import ServerConfig, ServerState

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).with_name("static")


def create_app(models: Answerer | ServedModels, config: ServerConfig | None = None) -> FastAPI:
    """One app serving ``models`` (a lone ``Answerer`` is served as is, never swapped); ``config``
    absent: no keys, audit or feedback store (in-process use)."""
    served = models if isinstance(models, ServedModels) else ServedModels(models)
    config = config or ServerConfig()
    # loaded from the file of an earlier run (pruned to the window), so feedback outlives restarts
    memory = ResponseMemory(config.remembered_responses, config.feedback_window_hours * 3600, config.responses_path)
    gate = GenerationGate(config.queue)
    server = ServerState(served, config, Metrics(), memory, RateLimiter(config.role_limits), gate)
    server.metrics.queue.labels("active").set_function(lambda: sum(gate.active.values()))
    server.metrics.queue.labels("waiting").set_function(lambda: gate.waiting)

    @asynccontextmanager
    async def lifespan(_: FastAPI):
        if config.audit is not None:
            dropped = config.audit.prune()
            log.info("audit log: pruned %d records older than %s days", dropped, config.audit.retention_days)
        if config.poll_interval_s:
            served.start_polling(config.poll_interval_s)
        yield
        served.stop_polling()

    docs = {} if config.api_docs else {"docs_url": None, "redoc_url": None, "openapi_url": None}
    app = FastAPI(title="llmops serving", version="1.0", lifespan=lifespan, **docs)
    app.state.models = served
    app.add_middleware(Observe, audit=config.audit, metrics=server.metrics, limits=config.limits)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        param = ".".join(str(p) for p in first.get("loc", ())[1:]) or None
        return error_response(400, f"{param or 'request'}: {first.get('msg', 'invalid request')}", param=param)

    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return exc.response()

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        response = error_response(exc.status_code, str(exc.detail),
                                  "not_found_error" if exc.status_code == 404 else "invalid_request_error")
        response.headers.update(exc.headers or {})
        return response

    @app.exception_handler(Exception)
    async def _crash(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error")
        return error_response(500, "internal server error", "server_error")

    @app.get("/", include_in_schema=False)
    def chat_page() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html")

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for build in (build_health_router, build_chat_router, build_search_router, build_feedback_router, build_admin_router,
                  build_sign_in_router):
        app.include_router(build(server))
    return app
