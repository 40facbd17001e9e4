"""Structure-aware chunking: a document's sections (``llmops.ingest.blocks.sections``) cut into
chunks that each keep where they come from (page, slide or sheet) and the heading path above them.

Rules, so a citation is always true:

- a chunk never spans two locations: text on page 12 and page 13 never shares a chunk;
- consecutive sections at one location that together fit ``size`` characters merge into one chunk.
  Its heading path is the part the merged sections share (their common prefix: a chunk that holds
  "Install > Network" and "Install > Disk" is cited as "Install"), and the headings below that
  prefix stay in the chunk text as Markdown heading lines, so no heading (an FAQ's question) is lost;
- a section longer than ``size`` is split, preferring a paragraph break, then a line break, then a
  sentence end (``.!?;`` before a space, or ``。！？；`` with no space needed, as Chinese has none),
  then a space or a Chinese comma, and failing all of those it is cut at ``size``. No cut is taken
  in the first half of the window, so pieces are at least ``size / 2`` long. A piece cut inside a
  paragraph is followed by one that starts up to ``overlap`` characters earlier (at a sentence or
  word start where there is one), so a sentence cut in two is whole in one of them; after a
  paragraph break the next piece starts clean;
- ``size`` bounds the chunk text; the heading path is prefixed to it only for the embedder
  (`embedding_text`), because "Set it to 8080." means nothing without "Install > Network > Proxy".
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from llmops.ingest.blocks import Section, sections

# Part of every indexed document's content hash: a change to the rules here re-chunks every document.
CHUNKER = "sections-1"
HEADING_SEPARATOR = " > "
# Where a long section may be cut, best first: (pattern, whether the next piece overlaps this one).
# A match's start ends one piece and its end starts the next.
_PARAGRAPH = re.compile(r"\n[ \t]*\n\s*")
_SENTENCE = re.compile(r"(?<=[.!?;])\s+|(?<=[。！？；])\s*")
_WORD = re.compile(r"\s+|(?<=[，、：])")
_CUTS = ((_PARAGRAPH, False), (re.compile(r"\n\s*"), True), (_SENTENCE, True), (_WORD, True))


@dataclass(frozen=True)
class Chunk:
    text: str
    location: str = ""  # "page 12", "slide 3", "sheet Budget"; "" when the document has none
    headings: tuple[str, ...] = ()  # top level first


def heading_path(headings: Sequence[str]) -> str:
    return HEADING_SEPARATOR.join(headings)


def embedding_text(path: str, text: str) -> str:
    """What the embedder reads for a chunk: its heading path, then its text."""
    return f"{path}\n\n{text}" if path else text


def chunk_document(text: str, size: int, overlap: int) -> list[Chunk]:
    """The chunks of one document's rendered text (see the module docstring for the rules)."""
    if not 0 <= overlap < size // 2:
        raise ValueError(f"overlap must be at least 0 and under half the chunk size ({size}), got {overlap}")
    chunks: list[Chunk] = []
    group: list[Section] = []
    for section in sections(text):
        if len(section.text) > size:
            chunks += _merged(group)
            group = []
            chunks += [Chunk(piece, section.location, section.headings) for piece in split_text(section.text, size, overlap)]
        elif group and (group[0].location != section.location or len(_merged_text([*group, section])) > size):
            chunks += _merged(group)
            group = [section]
        else:
            group.append(section)
    return chunks + _merged(group)


def _common_prefix(paths: Sequence[tuple[str, ...]]) -> tuple[str, ...]:
    shortest = min(paths, key=len)
    depth = next((i for i, title in enumerate(shortest) if any(path[i] != title for path in paths)), len(shortest))
    return shortest[:depth]


def _merged_text(group: Sequence[Section]) -> str:
    """The sections' texts, each after the heading lines its path adds to the one before it, below
    the group's common prefix (a heading at depth d written with d + 1 ``#``)."""
    prefix = len(_common_prefix([s.headings for s in group]))
    parts, previous = [], group[0].headings[:prefix]
    for section in group:
        shared = len(_common_prefix([previous, section.headings]))
        lines = [f"{'#' * (depth + 1)} {section.headings[depth]}" for depth in range(max(shared, prefix), len(section.headings))]
        parts.append("\n\n".join([*lines, section.text]))
        previous = section.headings
    return "\n\n".join(parts)


def _merged(group: Sequence[Section]) -> list[Chunk]:
    if not group:
        return []
    return [Chunk(_merged_text(group), group[0].location, _common_prefix([s.headings for s in group]))]


def split_text(text: str, size: int, overlap: int) -> Iterator[str]:
    """``text`` in pieces of at most ``size`` characters, cut at the best boundary available."""
    start = 0
    while len(text) - start > size:
        cut, following, overlaps = _cut(text, start, size)
        if piece := text[start:cut].strip():
            yield piece
        start = _overlap_start(text, cut, overlap) if overlaps and overlap else following
    if piece := text[start:].strip():
        yield piece


def _cut(text: str, start: int, size: int) -> tuple[int, int, bool]:
    """(end of this piece, start of the next, whether they overlap) for the piece from ``start``."""
    limit = start + size
    for pattern, overlaps in _CUTS:
        found = [m for m in pattern.finditer(text, start + size // 2, limit + 1) if m.start() <= limit]
        if found:
            return found[-1].start(), found[-1].end(), overlaps
    return limit, limit, True


def _overlap_start(text: str, cut: int, overlap: int) -> int:
    """Where the piece after ``cut`` starts: the earliest sentence start, else word start, in the
    last ``overlap`` characters before the cut, else exactly ``overlap`` characters back."""
    earliest = cut - overlap
    for pattern in (_SENTENCE, _WORD):
        starts = [m.end() for m in pattern.finditer(text, earliest, cut) if earliest < m.end() < cut]
        if starts:
            return starts[0]
    return earliest
