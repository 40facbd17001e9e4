"""``/v1/feedback``: a rating (and optional correction) of a recent answer, named by its response id
and stored scrubbed for the training loop. Only the key that got the answer may rate it."""

from __future__ import annotations

import time

from fastapi import APIRouter, Depends, Request

from llmops.monitor.feedback import FeedbackRecord
from llmops.ops.api_keys import ApiKey
from llmops.serving.auth import authorize
from llmops.serving.schemas import ApiError, FeedbackRequest
from llmops.serving.state import ServerState


def build_feedback_router(server: ServerState) -> APIRouter:
    """The feedback route over ``server``'s response memory and feedback store; readers and admins."""
    router = APIRouter()
    served, config, memory = server.served, server.config, server.memory
    reader = Depends(authorize(server, "reader"))

    @router.post("/v1/feedback")
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
            correction=scrub(body.correction) if body.correction else None, key_id=key.id if key else None,
            source_groups=remembered.source_groups))
        return {"object": "feedback", "response_id": body.response_id, "stored": True, "model": remembered.model_version}

    return router
