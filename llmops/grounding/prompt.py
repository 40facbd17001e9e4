"""The served prompt: the system prompt with the retrieved passages numbered under their title,
location and heading path. One home, because serving, the answer evaluation and retrieval-augmented
training must all show the model the same thing."""

from __future__ import annotations

from collections.abc import Sequence

from llmops.retrieval.search import Hit

CONTEXT_INSTRUCTION = (
    "Answer using the company documents below when they are relevant. "
    "If they do not contain the answer, say so briefly.\n\n"
)


def grounded_messages(system_prompt: str, messages: Sequence[dict], hits: Sequence[Hit]) -> list[dict]:
    """The conversation behind one system message holding the passages, each under its title,
    location and heading path: a chunk such as "Set it to 8080." means something only under
    "Install > Network > Proxy". Passage numbers are the citation numbers answers use."""
    system = system_prompt
    if hits:
        labels = (" — ".join(part for part in (h.title, h.location, h.headings) if part) for h in hits)
        context = "\n\n".join(f"[{i}] {label}\n{h.text}" for i, (label, h) in enumerate(zip(labels, hits), start=1))
        system = f"{system}\n\n{CONTEXT_INSTRUCTION}{context}"
    return [{"role": "system", "content": system}, *(m for m in messages if m["role"] != "system")]
