"""The endpoints above ``reader``: follow the registry aliases now (``/admin/reload``, operators
and admins) and read the stored feedback of every user (``/admin/feedback``, admins only)."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, Depends, Request

from llmops.serving.auth import authorize
from llmops.serving.schemas import ApiError
from llmops.serving.state import ServerState


def build_admin_router(server: ServerState) -> APIRouter:
    """The admin routes over ``server``'s models and feedback store."""
    router = APIRouter()
    served, config = server.served, server.config
    admin, operator = Depends(authorize(server, "admin")), Depends(authorize(server, "operator"))

    @router.post("/admin/reload", dependencies=[operator])
    def reload(request: Request) -> dict:
        """Check the registry aliases now instead of waiting for the next poll."""
        try:
            versions = served.refresh()
        except Exception as exc:
            raise ApiError(502, f"reload failed, still serving {served.champion.model_id}: {exc}", "server_error") from exc
        request.state.model_version = versions["champion"]
        return {"object": "reload", **versions, "model": versions["champion"]}

    @router.get("/admin/feedback", dependencies=[admin])
    def export_feedback(since: float | None = None) -> dict:
        """Stored ratings (already scrubbed), for review or export to the training loop."""
        if config.feedback is None:
            raise ApiError(503, "feedback storage is not configured on this server", "server_error")
        read = config.feedback.read(since)
        return {"object": "list", "data": [asdict(r) for r in read.records], "bad_lines": len(read.bad_lines)}

    return router
