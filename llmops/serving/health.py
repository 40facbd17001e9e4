"""The endpoints open without a key, for orchestrators and Prometheus: liveness (``/healthz``),
readiness (``/readyz``) and the metrics scrape (``/metrics``). They reveal only the served
versions and aggregate counters, and are neither counted nor audited (``metrics.OPEN_PATHS``)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from llmops.serving.state import ServerState


def build_health_router(server: ServerState) -> APIRouter:
    """The open routes over ``server``'s models and metrics."""
    router = APIRouter()
    served, metrics = server.served, server.metrics

    @router.get("/healthz")
    def healthz() -> dict:
        """Liveness: the process answers."""
        return {"status": "ok", "model": served.champion.model_id}

    @router.get("/readyz", response_model=None)
    def readyz() -> dict | JSONResponse:
        """Readiness: a champion is loaded and the retrieval index answers."""
        body = {"status": "ready", "model": served.champion.model_id,
                "challenger": served.challenger.model_id if served.challenger else None, "swaps": served.swaps,
                "group_models": len(served.groups),  # which groups: /admin/reload (an open route names none)
                "last_refresh_error": served.last_error}
        retriever = served.champion.retriever
        try:
            body["index_rows"] = retriever.table.count_rows() if retriever else 0
        except Exception as exc:  # the index is unreadable: not ready, but say why
            return JSONResponse(status_code=503, content={**body, "status": "not ready", "reason": f"index: {exc}"})
        return body

    @router.get("/metrics", include_in_schema=False)
    def prometheus() -> Response:
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    return router
