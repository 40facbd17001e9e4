"""What a client may send and what it gets back: the request bodies, the limits beyond their
schema, the retrieved chunks (search results and a chat answer's sources) and OpenAI's error shape.
Kept apart so the routers, the middleware and the exception handlers all render them one way."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal, Self

from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, field_validator

from llmops.retrieval.filters import COMPARISONS, FIELDS, Filter, FilterError, parse_filter
from llmops.retrieval.search import Hit
from llmops.train.chat_model import Sampling

MAX_CONTENT_CHARS = 20_000


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


_FILTERS_HELP = (
    "restrict retrieval to chunks whose metadata match: a comparison {\"type\": \"eq\", \"key\": \"doc_type\", "
    "\"value\": \"faq\"} (" + ", ".join(COMPARISONS) + "; gt/gte/lt/lte on date only; in/nin take a list) or "
    "{\"type\": \"and\"|\"or\", \"filters\": [...]}; keys: " + ", ".join(FIELDS))


class Filtered(BaseModel):
    """The retrieval filter a search or chat request may carry, checked into a store predicate."""

    filters: dict[str, Any] | None = Field(default=None, description=_FILTERS_HELP,
                                           json_schema_extra={"example": {"type": "and", "filters": [
                                               {"type": "eq", "key": "doc_type", "value": "policy"},
                                               {"type": "gte", "key": "date", "value": "2024-01-01"}]}})
    where: Any = Field(default=None, description="removed: send `filters`", json_schema_extra={"deprecated": True})

    def filter(self) -> Filter | None:
        """The checked filter; a bad one (or the removed raw-SQL ``where``) is a 400 naming its part."""
        if self.where is not None:
            raise ApiError(400, "the raw SQL filter 'where' is no longer accepted; send 'filters', e.g. "
                           '{"type": "eq", "key": "doc_type", "value": "faq"}', param="where")
        try:
            return None if self.filters is None else parse_filter(self.filters)
        except FilterError as error:
            raise ApiError(400, str(error), param=error.param) from None


class ChatCompletionRequest(Filtered):
    model: str | None = None
    messages: list[Message] = Field(min_length=1, max_length=64)
    max_tokens: int | None = Field(default=None, ge=1, le=1024)
    temperature: float | None = Field(default=None, ge=0, le=2, description="0 or absent: greedy decoding")
    top_p: float | None = Field(default=None, gt=0, le=1)
    seed: int | None = Field(default=None, ge=-(2**63), le=2**64 - 1, description="repeatable sampling")
    stream: bool = False
    stream_options: StreamOptions | None = None
    top_k: int = Field(default=4, ge=0, le=20, description="retrieved chunks to ground the answer (extension)")
    answer_mode: Literal["auto", "extractive"] = Field(
        default="auto", description="auto: generate, verify every sentence against the cited passages, quote them "
        "instead when nothing holds up; extractive: quote the passages without generating (extension)")

    def sampling(self) -> Sampling:
        return Sampling(self.temperature or 0.0, 1.0 if self.top_p is None else self.top_p, self.seed)


class SearchRequest(Filtered):
    query: str = Field(min_length=1, max_length=2_000)
    k: int = Field(default=5, ge=1, le=50)


class Source(BaseModel):
    """A retrieved chunk's origin: an entry of a chat completion's ``sources``."""

    doc_id: str
    source: str = Field(description="the file, relative to the corpus folder")
    title: str
    location: str = Field(description="where in the file: 'page 12', 'slide 3', 'sheet Budget'; '' when it has none")
    headings: str = Field(description="the heading path above the chunk, top level first, joined by ' > '; '' when none")
    citation: str = Field(description="source, location and headings for display: 'manuals/guide.pdf, page 176 — Install > Network'")
    score: float = Field(description="ranking score of the search mode, higher is better: fused reciprocal-rank score "
                         "(hybrid, the default), cosine similarity (vector), BM25 (fulltext) or the reranker's score")

    @classmethod
    def of(cls, hit: Hit) -> Self:
        return cls(**{name: getattr(hit, name) for name in cls.model_fields if name != "score"}, score=round(hit.score, 4))


class CitedSource(Source):
    """An entry of a chat answer's ``sources``: a retrieved chunk and what the answer took from it."""

    quotes: list[str] = Field(description="the chunk's sentences that the answer quotes or was verified against, "
                              "for highlighting; [] when the answer rests on other sources")

    @classmethod
    def cited(cls, hit: Hit, quotes: list[str]) -> Self:
        return cls(**Source.of(hit).model_dump(), quotes=quotes)


class SearchHit(Source):
    """One result of ``/v1/search``: a source with the chunk itself."""

    chunk_id: str
    doc_type: str
    text: str


class SearchResponse(BaseModel):
    object: Literal["list"] = "list"
    model: str = Field(description="the model version that answered (its index)")
    data: list[SearchHit]


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


class ApiError(Exception):
    """An error the client caused (or may retry), rendered in OpenAI's error shape."""

    def __init__(self, status: int, message: str, kind: str = "invalid_request_error",
                 param: str | None = None, code: str | None = None, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.kind, self.param, self.code = status, message, kind, param, code
        self.headers = headers or {}

    def response(self) -> JSONResponse:
        response = error_response(self.status, self.message, self.kind, self.param, self.code)
        response.headers.update(self.headers)
        return response


def error_response(status: int, message: str, kind: str = "invalid_request_error", param: str | None = None,
                   code: str | None = None) -> JSONResponse:
    """OpenAI's error body: ``{"error": {"message", "type", "param", "code"}}``."""
    return JSONResponse(status_code=status, content={"error": {"message": message, "type": kind, "param": param, "code": code}})
