"""Office Open XML readers: Word (python-docx), PowerPoint (python-pptx), Excel (openpyxl).

Each opens the file only after `open_zip` has checked it (zip bomb, encryption, legacy binary
format). What they keep, and why:

- Word: headings (built-in "Heading N" styles, their localized names, or an outline level),
  paragraphs, lists, tables with merged cells read once, headers and footers (once per distinct
  text), and comments: people write decisions in comments, and a footer often names the owner.
  Word files have no pages until printed, so blocks carry no location; the heading path locates
  them.
- PowerPoint: each slide is ``slide N``; its title is a heading, then its text boxes, tables and
  grouped shapes in reading order (top to bottom, left to right), then the speaker notes.
- Excel: each sheet is ``sheet <name>`` with the sheet name as heading; rows go out through
  `blocks.sheet_tables` (tables of a few dozen rows, each led by the sheet's first row). Read-only (streamed) mode first, the full loader when
  a valid file only opens that way; cached values, never formulas.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO

from llmops.ingest.blocks import Block, sheet_tables, table_block
from llmops.ingest.readers import Extracted, IngestError, ReadContext, check_pages, open_zip

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_HEADING_STYLE = re.compile(r"^(?:heading|标题|標題|titre|überschrift|encabezado)\s*(\d)$", re.IGNORECASE)


def _core_metadata(props: Any) -> tuple[str, dict[str, str]]:
    """Title and the document properties worth keeping (author, subject, keywords, dates); Word
    and PowerPoint call the author ``author``, openpyxl ``creator``."""
    fields = {"author": getattr(props, "author", None) or getattr(props, "creator", None),
              "subject": props.subject, "keywords": props.keywords, "created": props.created,
              "modified": props.modified,
              "last_modified_by": getattr(props, "last_modified_by", None) or getattr(props, "lastModifiedBy", None)}
    metadata = {key: str(value).strip() for key, value in fields.items() if value and str(value).strip()}
    return (props.title or "").strip(), metadata


def _load(loader, stream: BinaryIO, context: ReadContext, kind: str):
    open_zip(stream, context.limits).close()
    stream.seek(0)
    try:
        return loader(stream)
    except IngestError:
        raise
    except Exception as exc:  # noqa: BLE001 - the library's own message is the reason
        raise IngestError(f"corrupt or unreadable {kind} file: {type(exc).__name__}: {exc}") from exc


# --- Word -------------------------------------------------------------------------------------


def _outline_level(element) -> int | None:
    """The outline level an element's properties set (1-6; 0 for body text), None if unset."""
    node = element.find("./{*}pPr/{*}outlineLvl")
    if node is None:
        return None
    level = int(node.get(f"{{{_W}}}val", "9")) + 1
    return level if level <= 6 else 0


def _heading_level(paragraph) -> int:
    """1-6 for a heading paragraph (own outline level, else its style chain's name or outline
    level), 0 otherwise. Chinese, French or German Word files name the styles in their language."""
    if (level := _outline_level(paragraph._p)) is not None:
        return level
    style = paragraph.style
    while style is not None:
        if style.name == "Title":
            return 1
        if match := _HEADING_STYLE.match(style.name or ""):
            return min(max(int(match.group(1)), 1), 6)
        if (level := _outline_level(style.element)) is not None:
            return level
        style = style.base_style
    return 0


def _is_list_item(paragraph) -> bool:
    return paragraph._p.find("./{*}pPr/{*}numPr") is not None or "List" in (paragraph.style.name or "")


def _cell_text(cell) -> str:
    """A cell's paragraphs and the text of tables nested in it, in document order."""
    from docx.table import Table

    parts = []
    for item in cell.iter_inner_content():
        if isinstance(item, Table):
            parts.extend(" | ".join(row) for row in _table_rows(item))
        elif item.text.strip():
            parts.append(item.text)
    return "\n".join(parts)


def _table_rows(table) -> Iterator[list[str]]:
    """Rows of a Word table; a cell merged across columns or rows is read once per row."""
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append(_cell_text(cell))
        yield cells


def _docx_body(items: Iterable[Any]) -> Iterator[Block]:
    from docx.table import Table

    items_in_list: list[str] = []
    for item in items:
        if isinstance(item, Table):
            if items_in_list:
                yield Block("list", "\n".join(items_in_list))
                items_in_list = []
            if block := table_block(_table_rows(item)):
                yield block
            continue
        text = item.text.strip()
        if not text:
            continue
        if _is_list_item(item) and not _heading_level(item):
            items_in_list.append(text)
            continue
        if items_in_list:
            yield Block("list", "\n".join(items_in_list))
            items_in_list = []
        level = _heading_level(item)
        yield Block("heading", text, level=level) if level else Block("paragraph", text)
    if items_in_list:
        yield Block("list", "\n".join(items_in_list))


def read_docx(stream: BinaryIO, context: ReadContext) -> Iterator[Extracted]:
    import docx

    document = _load(docx.Document, stream, context, "Word")
    blocks = list(_docx_body(document.iter_inner_content()))
    seen: set[str] = set()
    for section in document.sections:
        for part, label in ((section.header, "Header"), (section.footer, "Footer")):
            text = "\n".join(block.text for block in _docx_body(part.iter_inner_content())).strip()
            if text and text not in seen:
                seen.add(text)
                blocks.append(Block("note", f"{label}: {text}"))
    for comment in document.comments:
        text = " ".join(p.text for p in comment.paragraphs).strip()
        if text:
            author = f" ({comment.author})" if comment.author else ""
            blocks.append(Block("note", f"Comment{author}: {text}"))
    title, metadata = _core_metadata(document.core_properties)
    yield Extracted(blocks, title=title, metadata=metadata)


# --- PowerPoint --------------------------------------------------------------------------------


def _shapes_in_reading_order(shapes: Iterable[Any]) -> list[Any]:
    def position(shape) -> tuple[int, int]:
        return (shape.top or 0, shape.left or 0)

    return sorted(shapes, key=position)


def _shape_blocks(shape, location: str, title_id: int | None) -> Iterator[Block]:
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
        for child in _shapes_in_reading_order(shape.shapes):
            yield from _shape_blocks(child, location, title_id)
        return
    if shape.shape_id == title_id:
        return
    if getattr(shape, "has_table", False) and shape.has_table:
        if block := table_block(([cell.text for cell in row.cells] for row in shape.table.rows), location):
            yield block
        return
    if getattr(shape, "has_text_frame", False) and shape.has_text_frame:
        paragraphs = [p for p in shape.text_frame.paragraphs if "".join(r.text for r in p.runs).strip()]
        texts = ["".join(r.text for r in p.runs).strip() for p in paragraphs]
        if len(texts) > 1 and any(p.level > 0 for p in paragraphs):
            yield Block("list", "\n".join(texts), location=location)
        elif texts:
            yield Block("paragraph", "\n".join(texts), location=location)


def read_pptx(stream: BinaryIO, context: ReadContext) -> Iterator[Extracted]:
    from pptx import Presentation

    deck = _load(Presentation, stream, context, "PowerPoint")
    slides = list(deck.slides)
    check_pages(len(slides), context.limits, "slides")
    blocks: list[Block] = []
    for number, slide in enumerate(slides, start=1):
        location = f"slide {number}"
        title_shape = slide.shapes.title
        title = title_shape.text_frame.text.strip() if title_shape is not None and title_shape.has_text_frame else ""
        blocks.append(Block("heading", title or f"Slide {number}", level=1, location=location))
        for shape in _shapes_in_reading_order(slide.shapes):
            blocks.extend(_shape_blocks(shape, location, title_shape.shape_id if title_shape is not None else None))
        if slide.has_notes_slide and (notes := slide.notes_slide.notes_text_frame):
            if notes.text.strip():
                blocks.append(Block("note", f"Notes: {notes.text.strip()}", location=location))
    title, metadata = _core_metadata(deck.core_properties)
    yield Extracted(blocks, title=title, metadata=metadata, pages=len(slides))


# --- Excel -------------------------------------------------------------------------------------


def _open_workbook(stream: BinaryIO, context: ReadContext):
    """Read-only (streamed) first; some valid files open only with the full loader."""
    from openpyxl import load_workbook

    open_zip(stream, context.limits).close()
    errors = []
    for read_only in (True, False):
        stream.seek(0)
        try:
            return load_workbook(stream, read_only=read_only, data_only=True)
        except Exception as exc:  # noqa: BLE001 - try the other mode, then report both
            errors.append(f"{type(exc).__name__}: {exc}")
    raise IngestError(f"corrupt or unreadable Excel file: {'; '.join(errors)}")


def read_xlsx(stream: BinaryIO, context: ReadContext) -> Iterator[Extracted]:
    workbook = _open_workbook(stream, context)
    try:
        sheets = workbook.worksheets
        check_pages(len(sheets), context.limits, "sheets")
        blocks: list[Block] = []
        for sheet in sheets:
            location = f"sheet {' '.join(sheet.title.split())}"
            blocks.append(Block("heading", sheet.title, level=1, location=location))
            blocks.extend(sheet_tables(sheet.iter_rows(values_only=True), location))
        title, metadata = _core_metadata(workbook.properties)
        yield Extracted(blocks, title=title, metadata=metadata, pages=len(sheets))
    finally:
        workbook.close()
