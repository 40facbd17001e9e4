"""Text rendering shared by several document kinds: content blocks (manuals, policies) as
Markdown or plain text, and HTML escaping (FAQ and policy pages)."""

from __future__ import annotations

import html


Block = tuple[str, object]  # ("p", str) | ("steps", list[str]) | ("specs", list[(k, v)])


def blocks_text(blocks: list[Block], numbered: str) -> str:
    """Markdown/plain rendering of manual or policy blocks."""
    out = []
    for kind, value in blocks:
        if kind == "p":
            out.append(str(value))
        elif kind == "steps":
            out.append("\n".join(numbered.format(i=i + 1, s=s) for i, s in enumerate(value)))  # type: ignore[arg-type]
        elif kind == "bullets":
            out.append("\n".join(f"- {s}" for s in value))  # type: ignore[union-attr]
        elif kind == "specs":
            out.append("\n".join(f"- {k}: {v}" for k, v in value))  # type: ignore[misc]
    return "\n\n".join(out)


def esc(text: str) -> str:
    """HTML-escape text nodes without touching quotes, so PII literals stay greppable."""
    return html.escape(text, quote=False)
