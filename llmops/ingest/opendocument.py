"""OpenDocument readers (LibreOffice, OpenOffice, WPS): text, spreadsheets, presentations.

One document per file. The file's body decides how it is read, not its suffix, so a spreadsheet
saved as .odt still reads as one. What each keeps, in the blocks the Office readers emit:

- text (.odt): headings by outline level, paragraphs, lists, tables; comments and footnotes as
  notes right after the paragraph they belong to; the headers and footers of the page styles once
  each at the end (a footer often names the owner). Generated indexes (table of contents) and
  deleted tracked changes are left out: the first repeats the headings, the second was removed.
- spreadsheet (.ods): each sheet is ``sheet <name>``, its name a heading, its rows Markdown tables
  of `blocks.ROWS_PER_TABLE` rows led by the sheet's first row, then its cell comments as notes.
- presentation (.odp): each slide is ``slide N``; its title a heading ("Slide N" when it has
  none), its shapes in reading order (top to bottom, left to right), then its speaker notes.

A drawing (.odg) reads like a presentation, its pages ``page N``.

content.xml is parsed with lxml as a stream, entities left unexpanded and nothing fetched (no XXE,
no "billion laughs"), under libxml2's default limits. The parser stops in Python only at each
top-level unit (a paragraph, a row, a slide), dropped once read, so a sheet of a million rows takes
the memory of one row; repeated cells and rows (``table:number-columns-repeated``) are written out
only up to the last non-empty one, within the 1,048,576 x 16,384 cells of a real spreadsheet.
odfpy's loader is not used: it builds the whole file as Python objects, and on a part it cannot
parse prints that part (the document's own text) to stdout and returns a partial document.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from itertools import groupby
from typing import BinaryIO

from lxml import etree
from lxml.etree import _Element as Element

from llmops.ingest.blocks import Block, sheet_tables, table_block
from llmops.ingest.readers import Extracted, IngestError, ReadContext, check_pages, open_zip

MAX_ROWS = 1_048_576  # rows of a LibreOffice or Excel sheet: more is a crafted or broken file
MAX_COLUMNS = 16_384  # columns of a LibreOffice (7.4+) or Excel sheet

_NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "presentation": "urn:oasis:names:tc:opendocument:xmlns:presentation:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
    "manifest": "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0",
    "officeooo": "http://openoffice.org/2009/office",  # LibreOffice's extensions
}


def _q(name: str) -> str:
    """``text:p`` as ElementTree spells it, ``{urn:...:text:1.0}p``."""
    prefix, local = name.split(":")
    return f"{{{_NS[prefix]}}}{local}"


P, H, LIST, NUMBER, S, TAB, LINE_BREAK = map(_q, ("text:p", "text:h", "text:list", "text:number", "text:s",
                                                   "text:tab", "text:line-break"))
NOTE, NOTE_CITATION, NOTE_BODY = map(_q, ("text:note", "text:note-citation", "text:note-body"))
ANNOTATIONS = frozenset(map(_q, ("office:annotation", "officeooo:annotation")))  # the second: Impress slides
TABLE, ROW, CELL, COVERED_CELL = map(_q, ("table:table", "table:table-row", "table:table-cell",
                                          "table:covered-table-cell"))
COLUMNS_REPEATED, ROWS_REPEATED, OUTLINE_LEVEL = map(_q, ("table:number-columns-repeated",
                                                          "table:number-rows-repeated", "text:outline-level"))
ROW_WRAPPERS = frozenset(map(_q, ("table:table-header-rows", "table:table-rows", "table:table-row-group")))
PAGE, GROUP, NOTES = map(_q, ("draw:page", "draw:g", "presentation:notes"))
TEXT_BODY, SPREADSHEET, PRESENTATION, DRAWING = map(_q, ("office:text", "office:spreadsheet", "office:presentation",
                                                         "office:drawing"))
# The top-level elements read whole, by body; and what is never read (see the module docstring).
_UNITS = {TEXT_BODY: frozenset({P, H, LIST, TABLE, _q("text:numbered-paragraph")}), SPREADSHEET: frozenset({ROW}),
          PRESENTATION: frozenset({PAGE}), DRAWING: frozenset({PAGE})}
_LEFT_OUT = frozenset(map(_q, ("text:tracked-changes", "text:table-of-content", "text:illustration-index",
                               "text:table-index", "text:object-index", "text:user-index", "text:alphabetical-index",
                               "text:bibliography")))
_CELL_VALUES = tuple(map(_q, ("office:value", "office:date-value", "office:time-value", "office:boolean-value",
                              "office:string-value")))  # what a cell written without text:p holds
_HEADERS_FOOTERS = {_q(f"style:{kind}{variant}"): kind.capitalize()
                    for kind in ("header", "footer") for variant in ("", "-left", "-first")}
# No entity is expanded, nothing is fetched; libxml2's limits (256 levels of nesting, 10 MB text
# nodes) stay on, so a crafted file fails fast.
_SAFE = {"resolve_entities": False, "no_network": True, "load_dtd": False, "huge_tree": False,
         "remove_comments": True, "remove_pis": True}
_CORRUPT = (etree.LxmlError, zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError)
_SPACES = re.compile(r"\s+")
_LENGTH = re.compile(r"\s*(-?(?:\d+\.?\d*|\.\d+))\s*(cm|mm|in|pt|pc|px)?\s*$")
_MM = {"cm": 10.0, "mm": 1.0, "in": 25.4, "pt": 25.4 / 72, "pc": 25.4 / 6, "px": 25.4 / 96, None: 1.0}


def read_opendocument(stream: BinaryIO, context: ReadContext) -> Iterator[Extracted]:
    """An OpenDocument text, spreadsheet, presentation or drawing as one document."""
    with open_zip(stream, context.limits) as archive:
        try:
            _check_readable(archive)
            title, metadata = _metadata(archive)
            body, units = _body_units(archive)
            pages = 0
            if body == TEXT_BODY:
                blocks = _text_blocks(units) + _page_styles(archive)
            elif body == SPREADSHEET:
                blocks, pages = _sheets(units, context)
            else:
                blocks, pages = _slides(units, context, "slide" if body == PRESENTATION else "page")
        except _CORRUPT as exc:
            raise IngestError(f"corrupt OpenDocument file: {type(exc).__name__}: {exc}") from exc
    yield Extracted(blocks, title=title, metadata=metadata, pages=pages)


def _part(archive: zipfile.ZipFile, name: str) -> Element:
    return etree.fromstring(archive.read(name), etree.XMLParser(**_SAFE))


def _check_readable(archive: zipfile.ZipFile) -> None:
    """IngestError for a password-protected file (its manifest lists encryption data; its
    content.xml is ciphertext) or one without content."""
    names = set(archive.namelist())
    manifest = _part(archive, "META-INF/manifest.xml") if "META-INF/manifest.xml" in names else None
    if manifest is not None and manifest.find(f".//{_q('manifest:encryption-data')}") is not None:
        raise IngestError("password-protected (encrypted) OpenDocument file: save it without a password")
    if "content.xml" not in names:
        raise IngestError("corrupt OpenDocument file: it has no content.xml")


def _metadata(archive: zipfile.ZipFile) -> tuple[str, dict[str, str]]:
    """Title and the properties the Office readers keep, from meta.xml (dc:creator is the last
    editor in ODF; meta:initial-creator the author)."""
    if "meta.xml" not in archive.namelist():
        return "", {}
    meta = _part(archive, "meta.xml").find(_q("office:meta"))
    if meta is None:
        return "", {}

    def field(name: str) -> str:
        return " ".join((meta.findtext(_q(name)) or "").split())

    keywords = ", ".join(" ".join(word.text.split()) for word in meta.iter(_q("meta:keyword"))
                         if word.text and word.text.strip())
    fields = {"author": field("meta:initial-creator"), "subject": field("dc:subject"), "keywords": keywords,
              "created": field("meta:creation-date"), "modified": field("dc:date"),
              "last_modified_by": field("dc:creator")}
    return field("dc:title"), {key: value for key, value in fields.items() if value}


def _body_units(archive: zipfile.ZipFile) -> tuple[str, Iterator[Element]]:
    """The body kind (office:text...) and a stream of its top-level units (paragraphs, rows,
    slides), each complete when given; the parser only stops in Python at those."""
    kind = next((element.tag for _, element in etree.iterparse(archive.open("content.xml"), events=("start",),
                                                                  tag=list(_UNITS), **_SAFE)
                 if element.getparent().tag == _q("office:body")), None)
    if kind is None:
        raise IngestError("corrupt OpenDocument file: content.xml has no text, spreadsheet or presentation body")
    events = etree.iterparse(archive.open("content.xml"), events=("end",), tag=list(_UNITS[kind]), **_SAFE)
    return kind, _units(events, _UNITS[kind])


def _units(events: Iterator[tuple[str, Element]], kinds: frozenset[str]) -> Iterator[Element]:
    """The units not inside another unit or a left-out part; each is dropped from the tree once
    read, with what came before it, so memory stays at about one unit however long the file."""
    enclosing = (*kinds, *_LEFT_OUT)
    for _, element in events:
        if next(element.iterancestors(*enclosing), None) is None:
            yield element
            element.clear(keep_tail=True)
            while (previous := element.getprevious()) is not None:
                element.getparent().remove(previous)


# --- text --------------------------------------------------------------------------------------


def _append_text(node: Element, parts: list[str], notes: list[str]) -> None:
    if node.text:
        parts.append(_SPACES.sub(" ", node.text))  # ODF collapses source whitespace; text:s is a space
    for child in node:
        if child.tag == S:
            parts.append(" ")
        elif child.tag == TAB:
            parts.append("\t")
        elif child.tag == LINE_BREAK:
            parts.append("\n")
        elif child.tag == NOTE or child.tag in ANNOTATIONS:
            if note := _note(child):
                notes.append(note)
        elif child.tag == NUMBER:
            parts.append(f"{child.text or ''} ")
        elif isinstance(child.tag, str) and child.tag not in _LEFT_OUT:  # (an entity left unexpanded is not)
            _append_text(child, parts, notes)
            if child.tag in (P, H):
                parts.append("\n")
        if child.tail:
            parts.append(_SPACES.sub(" ", child.tail))


def _text(element: Element, notes: list[str]) -> str:
    """An element's text, a line per paragraph; comments and footnotes in it go to ``notes``."""
    parts: list[str] = []
    _append_text(element, parts, notes)
    return "\n".join(line.strip() for line in "".join(parts).split("\n") if line.strip())


def _note(element: Element) -> str:
    """A comment (annotation) or a footnote/endnote (text:note) as note text; "" if empty."""
    inner: list[str] = []
    if element.tag in ANNOTATIONS:
        body = "\n".join(_text(child, inner) for child in element if child.tag in (P, LIST))
        author = " ".join((element.findtext(_q("dc:creator")) or "").split())
        label = f"Comment ({author})" if author else "Comment"
    else:
        body_element = element.find(NOTE_BODY)
        body = _text(body_element, inner) if body_element is not None else ""
        kind = "Endnote" if element.get(_q("text:note-class")) == "endnote" else "Footnote"
        label = f"{kind} {(element.findtext(NOTE_CITATION) or '').strip()}".strip()
    return f"{label}: {body}" if body else ""


def _unit_block(element: Element, notes: list[str]) -> Block | None:
    if element.tag == TABLE:
        return table_block(_rows(_row_elements(element), notes))
    if not (text := _text(element, notes)):
        return None
    if element.tag == H:
        return Block("heading", text, level=min(_count(element, OUTLINE_LEVEL), 6))
    return Block("list" if element.tag == LIST else "paragraph", text)


def _text_blocks(units: Iterable[Element]) -> list[Block]:
    blocks: list[Block] = []
    for element in units:
        notes: list[str] = []
        if block := _unit_block(element, notes):
            blocks.append(block)
        blocks.extend(Block("note", note) for note in notes)
    return blocks


def _page_styles(archive: zipfile.ZipFile) -> list[Block]:
    """Each distinct header and footer of the page styles (styles.xml), once."""
    if "styles.xml" not in archive.namelist():
        return []
    masters = _part(archive, "styles.xml").find(_q("office:master-styles"))
    seen: dict[str, str] = {}  # text -> label, in order
    for master in masters if masters is not None else ():
        for part in master:
            label = _HEADERS_FOOTERS.get(part.tag)
            if label and part.get(_q("style:display")) != "false" and (text := _text(part, [])):
                seen.setdefault(text, label)
    return [Block("note", f"{label}: {text}") for text, label in seen.items()]


# --- tables and sheets -------------------------------------------------------------------------


def _count(element: Element, attribute: str) -> int:
    """A count attribute (repeats, outline level); 1 when missing or not a number."""
    value = element.get(attribute)
    if value is None:
        return 1
    try:
        return max(int(value), 1)
    except ValueError:
        return 1


def _cell_text(cell: Element, notes: list[str]) -> str:
    if len(cell) == 1 and cell[0].tag == P and not len(cell[0]):  # the common cell: one plain paragraph
        return _SPACES.sub(" ", cell[0].text or "").strip()
    return _text(cell, notes) or next((value for name in _CELL_VALUES if (value := cell.get(name))), "")


def _cells(row: Element, notes: list[str]) -> list[str]:
    """A row's cell texts, repeated cells written out only up to the last non-empty one."""
    cells: list[str] = []
    empty = 0  # empty cells not yet written: only a non-empty cell after them needs them
    for cell in row:
        if cell.tag not in (CELL, COVERED_CELL):
            continue
        repeat = _count(cell, COLUMNS_REPEATED)
        if not (text := _cell_text(cell, notes)):
            empty += repeat
            continue
        if len(cells) + empty + repeat > MAX_COLUMNS:
            raise IngestError(f"a row of more than {MAX_COLUMNS:,} columns: a corrupt or crafted spreadsheet")
        cells.extend([""] * empty + [text] * repeat)
        empty = 0
    return cells


def _row_elements(table: Element) -> Iterator[Element]:
    for child in table:
        if child.tag == ROW:
            yield child
        elif child.tag in ROW_WRAPPERS:
            yield from _row_elements(child)


def _rows(rows: Iterable[Element], notes: list[str]) -> Iterator[list[str]]:
    """Cell texts of each non-empty row, as often as the row is repeated."""
    count = 0
    for row in rows:
        repeat = _count(row, ROWS_REPEATED)
        count += repeat
        cells = _cells(row, notes)
        if not any(cells):
            continue
        if count > MAX_ROWS:
            raise IngestError(f"more than {MAX_ROWS:,} rows in a table: a corrupt or crafted file")
        for _ in range(repeat):
            yield cells


def _sheets(rows: Iterable[Element], context: ReadContext) -> tuple[list[Block], int]:
    blocks: list[Block] = []
    count = 0
    for sheet, sheet_rows in groupby(rows, key=lambda row: next(row.iterancestors(TABLE))):
        count += 1
        check_pages(count, context.limits, "sheets")
        name = sheet.get(_q("table:name")) or f"Sheet {count}"
        location = f"sheet {' '.join(name.split())}"
        notes: list[str] = []
        blocks.append(Block("heading", name, level=1, location=location))
        blocks.extend(sheet_tables(_rows(sheet_rows, notes), location))
        blocks.extend(Block("note", note, location=location) for note in notes)
    return blocks, count


# --- presentations ----------------------------------------------------------------------------


def _length(value: str | None) -> float:
    """An ODF length ("1.27cm", "72pt") in millimetres; 0 when missing."""
    match = _LENGTH.match(value or "")
    return float(match[1]) * _MM[match[2]] if match else 0.0


def _position(shape: Element) -> tuple[float, float]:
    """(top, left) of a shape; a group's is its first member's."""
    if shape.get(_q("svg:y")) is None and shape.tag == GROUP and len(shape):
        return _position(shape[0])
    return _length(shape.get(_q("svg:y"))), _length(shape.get(_q("svg:x")))


def _shape_blocks(shape: Element, location: str, notes: list[str]) -> Iterator[Block]:
    if shape.tag == GROUP:
        for member in sorted(shape, key=_position):
            yield from _shape_blocks(member, location, notes)
    elif shape.tag in ANNOTATIONS:
        if note := _note(shape):
            notes.append(note)
    elif (table := shape.find(TABLE)) is not None:
        if block := table_block(_rows(_row_elements(table), notes), location):
            yield block
    elif text := _text(shape, notes):
        kind = "list" if shape.find(f".//{LIST}") is not None else "paragraph"
        yield Block(kind, text, location=location)


def _slides(pages: Iterable[Element], context: ReadContext, label: str) -> tuple[list[Block], int]:
    blocks: list[Block] = []
    count = 0
    for page in pages:
        count += 1
        check_pages(count, context.limits, f"{label}s")
        location = f"{label} {count}"
        notes: list[str] = []
        shapes = [child for child in page if child.tag != NOTES]
        title_shape = next((s for s in shapes if s.get(_q("presentation:class")) == "title"), None)
        title = " ".join(_text(title_shape, notes).split()) if title_shape is not None else ""
        blocks.append(Block("heading", title or f"{label.capitalize()} {count}", level=1, location=location))
        for shape in sorted(shapes, key=_position):
            if shape is not title_shape:
                blocks.extend(_shape_blocks(shape, location, notes))
        speaker = page.find(NOTES)
        if speaker is not None and (text := _text(speaker, notes)):
            blocks.append(Block("note", f"Notes: {text}", location=location))
        blocks.extend(Block("note", note, location=location) for note in notes)
    return blocks, count
