"""``/v1/search``: retrieval without generation, micro-batched. Concurrent requests share one
scrub pass (for their audit digests), one embedding pass and one Lance query per (index, k,
filter), so a burst costs about what one request does (see docs/serving.md)."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from fastapi import APIRouter, Depends, Request

from llmops.ops.api_keys import ApiKey
from llmops.retrieval.filters import Filter, scoped
from llmops.retrieval.search import EMPTY_QUERY, Hit
from llmops.serving.answerer import Answerer
from llmops.serving.auth import authorize, scope_of
from llmops.serving.batching import MicroBatcher
from llmops.serving.metrics import prompt_digest
from llmops.serving.schemas import ApiError, SearchHit, SearchRequest, SearchResponse
from llmops.serving.state import ServerState

# A search batch scrubs its queries for the audit digests (Python, holds the GIL) on this thread
# while its own thread embeds them and queries Lance (native code that releases the GIL).
_DIGEST_WORKER = ThreadPoolExecutor(1, thread_name_prefix="search-digest")


@dataclass(frozen=True)
class SearchCall:
    answerer: Answerer
    query: str
    k: int
    filters: Filter | None


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
    for indices in _groups(searchable, lambda i: (id(calls[i].answerer.retriever), calls[i].k, calls[i].filters)):
        first = calls[indices[0]]
        try:
            hits: list = first.answerer.retriever.search_many([calls[i].query for i in indices], first.k, first.filters)
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


def build_search_router(server: ServerState) -> APIRouter:
    """The search route with its own micro-batcher (one per app, like the metrics it feeds); readers and admins."""
    router = APIRouter()
    reader = Depends(authorize(server, "reader"))

    def answer_searches(calls: list[SearchCall]) -> list[tuple[str, list[Hit] | Exception]]:
        server.metrics.search_batch.observe(len(calls))
        return search_batch(calls)

    searches = MicroBatcher(answer_searches)

    @router.post("/v1/search")
    async def search(body: SearchRequest, request: Request, key: ApiKey | None = reader) -> SearchResponse:
        answerer = server.served.champion
        request.state.model_version = answerer.model_id
        filters = scoped(scope_of(key), body.filter())
        request.state.prompt_sha256, found = await searches(SearchCall(answerer, body.query, body.k, filters))
        if isinstance(found, ValueError):
            raise ApiError(400, str(found), param="query")
        if isinstance(found, ApiError):
            raise found
        request.state.chunk_ids = [hit.chunk_id for hit in found]
        return SearchResponse(model=answerer.model_id, data=[SearchHit.of(hit) for hit in found])

    return router
