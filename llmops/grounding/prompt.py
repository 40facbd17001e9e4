"""The served prompt: the system prompt with the retrieved passages numbered under their title,
location and heading path. One home, because serving, the answer evaluation and retrieval-augmented
training must all show the model the same thing."""

from __future__ import annotations

import re
from collections.abc import Sequence

from llmops.retrieval.search import Hit

CONTEXT_INSTRUCTION = (
    "Answer using the company documents below when they are relevant. "
    "If they do not contain the answer, say so briefly.\n\n"
)
# What a model trained on retrieved passages says when they do not hold the answer (`llmops.train.raft`).
NO_ANSWER = "The documents do not answer this."
# The documents (not a policy or a product) are what does not say: "the warranty does not cover
# water damage" is an answer, "the documents do not provide enough information" a refusal.
_REFUSAL = re.compile(
    r"\b(?:documents?|passages?|context|sources?)\b[^.]{0,40}?\b(?:do(?:es)?|did) not\b[^.]{0,20}?"
    r"\b(?:answer|contain|say|mention|cover|provide|specify|state|include|have)\b|not in the (?:documents|passages)|"
    r"\bno (?:information|details)\b|\bi (?:do not|don't|cannot|can't|could not|couldn't) (?:know|find|answer)\b|"
    r"\bcannot find\b", re.I)


def refuses(text: str) -> bool:
    """Whether an answer says the documents do not answer (``NO_ANSWER``, or its usual wordings)."""
    return bool(_REFUSAL.search(text))


def label(hit: Hit) -> str:
    """What a passage is shown under: its title, location and heading path."""
    return " — ".join(part for part in (hit.title, hit.location, hit.headings) if part)


def grounded_messages(system_prompt: str, messages: Sequence[dict], hits: Sequence[Hit]) -> list[dict]:
    """The conversation behind one system message holding the passages, each under its title,
    location and heading path: a chunk such as "Set it to 8080." means something only under
    "Install > Network > Proxy". Passage numbers are the citation numbers answers use."""
    system = system_prompt
    if hits:
        context = "\n\n".join(f"[{i}] {label(h)}\n{h.text}" for i, h in enumerate(hits, start=1))
        system = f"{system}\n\n{CONTEXT_INSTRUCTION}{context}"
    return [{"role": "system", "content": system}, *(m for m in messages if m["role"] != "system")]
