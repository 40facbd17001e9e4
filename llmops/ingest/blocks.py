"""The structure readers extract from a file, and the one text form it travels in.

Readers of office files, PDFs, e-mail and scans emit `Block`s: a heading (with its level), a
paragraph, a table, a list or a note, each tagged with where it sits (``page 12``, ``slide 3``,
``sheet Budget``). `render` writes them as Markdown with a location marker line (``<!-- page 12
-->``) where the location changes. That text is the document: the scrubber sees headings, sheet
names and cell text in the same pass as the body (so a name in a heading is removed like any
other), the SFT set and drift read it as text, and `sections` reads the structure back for the
chunker, which gives every chunk its location and heading path. Markdown and HTML files already
carry ``#`` headings, so they get heading paths the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

# "markdown" is text that already is Markdown (a .md file, HTML converted): its own "#" lines are
# headings. In every other block a line that looks like a heading, a marker or a code fence (a
# shell comment in a manual's listing) is escaped with a backslash, so it stays text.
BlockKind = Literal["heading", "paragraph", "table", "list", "note", "markdown"]
LOCATION_KINDS = ("page", "slide", "sheet")
ROWS_PER_TABLE = 40  # rows of a spreadsheet per table block
_MARKER = re.compile(rf"^<!-- ((?:{'|'.join(LOCATION_KINDS)}) [^\n]{{1,200}}?) -->$")
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$")
_FENCE = re.compile(r"^(```|~~~)")
_WHITESPACE = re.compile(r"\s+")
_STRUCTURAL = re.compile(r"^(#|<!-- |```|~~~)", re.MULTILINE)  # line starts that sections() reads as structure
_BLANK_RUNS = re.compile(r"\n{3,}")
_ESCAPED = re.compile(r"^\\(#|<!-- |```|~~~)", re.MULTILINE)


@dataclass(frozen=True)
class Block:
    """One unit of a document's structure. ``location`` is where the block sits ("page 12",
    "slide 3", "sheet Budget"); blank means the same place as the block before it."""

    kind: BlockKind
    text: str
    level: int = 0  # heading level, 1 (top) to 6
    location: str = ""

    def __post_init__(self) -> None:
        if self.kind == "heading" and not 1 <= self.level <= 6:
            raise ValueError(f"heading level must be 1-6, got {self.level}")
        if self.location and not self.location.startswith(LOCATION_KINDS):
            raise ValueError(f"location must start with one of {LOCATION_KINDS}, got {self.location!r}")


def table_block(rows: Iterable[Iterable[object]], location: str = "") -> Block | None:
    """A table as Markdown rows; cells on one line each, empty rows dropped; None when empty."""
    lines = []
    for row in rows:
        cells = [_WHITESPACE.sub(" ", "" if cell is None else str(cell)).strip().replace("|", "\\|") for cell in row]
        while cells and not cells[-1]:
            cells.pop()
        if any(cells):
            lines.append("| " + " | ".join(cells) + " |")
    return Block("table", "\n".join(lines), location=location) if lines else None


def _value_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def sheet_tables(rows: Iterable[Iterable[object]], location: str) -> Iterator[Block]:
    """A spreadsheet's non-empty rows as tables of ROWS_PER_TABLE rows, each led by the sheet's
    first row, so a chunk of a long sheet still says what its columns are."""
    header: list[str] | None = None
    batch: list[list[str]] = []
    emitted = False
    for row in rows:
        cells = [_value_text(value) for value in row]
        if not any(cell.strip() for cell in cells):
            continue
        if header is None:
            header = cells
            continue
        batch.append(cells)
        if len(batch) == ROWS_PER_TABLE:
            if block := table_block([header, *batch], location):
                yield block
                emitted = True
            batch = []
    if header is not None and (batch or not emitted):
        if block := table_block([header, *batch], location):
            yield block


def _one_line(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip()


def _escape(text: str) -> str:
    return _STRUCTURAL.sub(r"\\\1", text)


def _render_block(block: Block) -> str:
    if block.kind == "heading":
        return f"{'#' * block.level} {_one_line(block.text)}"
    if block.kind == "markdown":
        return block.text.strip()
    if block.kind == "list":
        return "\n".join(f"- {_one_line(item)}" for item in block.text.splitlines() if item.strip())
    if block.kind == "note":
        return "\n".join(f"> {line}" for line in block.text.strip().splitlines())
    return _escape(block.text.strip())


def render(blocks: Iterable[Block]) -> str:
    """Blocks as Markdown, blank-line separated, with a marker line wherever the location changes."""
    parts: list[str] = []
    here = ""
    for block in blocks:
        body = _render_block(block)
        if not body.strip():
            continue
        if block.location and block.location != here:
            here = block.location
            parts.append(f"<!-- {_one_line(here)} -->")
        parts.append(body)
    return "\n\n".join(parts)


@dataclass(frozen=True)
class Section:
    """A run of text under one heading path at one location."""

    location: str  # "" when the document has no pages, slides or sheets
    headings: tuple[str, ...]  # the heading path, top level first
    text: str


def sections(text: str) -> Iterator[Section]:
    """The rendered structure read back: text split at location markers and headings (never inside
    a fenced code block), each part with its location and the heading path above it. Heading lines
    are part of the path, not of the section text; a heading with nothing under it before the next
    heading of its level or a new location (a title-only slide) is a section of its own title."""
    location = ""
    path: list[tuple[str, int]] = []  # (heading, level), top level first
    lines: list[str] = []
    fenced = False
    bare = False  # the last heading has had no text under it yet

    def flush(closes_heading: bool) -> Iterator[Section]:
        nonlocal bare
        body = unescape("\n".join(lines).strip())
        lines.clear()
        headings = tuple(title for title, _ in path)
        if body:
            yield Section(location, headings, body)
        elif bare and closes_heading:
            yield Section(location, headings, headings[-1])
        bare = bare and not body and not closes_heading

    for line in text.split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced and (marker := _MARKER.match(line)):
            yield from flush(closes_heading=True)
            location = marker.group(1)
            continue
        elif not fenced and (heading := _HEADING.match(line)):
            level = len(heading.group(1))
            yield from flush(closes_heading=bool(path) and path[-1][1] >= level)
            while path and path[-1][1] >= level:
                path.pop()
            path.append((heading.group(2).strip(), level))
            bare = True
            continue
        lines.append(line)
    yield from flush(closes_heading=True)


def unescape(text: str) -> str:
    """Section text as the reader saw it: the backslashes `render` put before structural-looking
    line starts removed."""
    return _ESCAPED.sub(r"\1", text)


def plain_text(text: str) -> str:
    """The rendered text without location marker lines or escapes (for training text and previews)."""
    kept = "\n".join(line for line in text.split("\n") if not _MARKER.match(line))
    return _BLANK_RUNS.sub("\n\n", unescape(kept)).strip()
