"""PDF reader: the text layer of every page with pypdfium2, OCR for pages that have none.

pypdfium2 keeps the spaces between words in TeX-made PDFs (pdfminer-based readers drop them) and
reads a few hundred pages a second. Each page becomes the blocks of ``page N`` (N counted from 1,
as a PDF viewer's "go to page" counts). The outline (bookmarks), when the file has one, gives the
headings: each bookmark becomes a heading block where its title appears on its target page, so
every passage gets the section path above it. A page with no text but an image is a scan and goes
to OCR (when enabled). Pages are opened and closed one at a time, so memory stays bounded by the
text, not the file.
"""

from __future__ import annotations

import multiprocessing
import os
import re
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from collections.abc import Iterator
from typing import BinaryIO

from llmops.ingest.blocks import Block
from llmops.ingest.readers import Extracted, IngestError, ReadContext, ReadLimits, check_pages

MIN_TEXT_CHARS = 8  # a page with less text than this (and an image) is treated as a scan
PARALLEL_MIN_PAGES = 32  # pages per worker process: below, starting workers costs more than they save
_LEADERS = re.compile(r"(?: ?\.){4,}")  # table-of-contents dot leaders
_LINE_HYPHEN = re.compile(r"(\w)-\n(?=[a-z])")  # a word hyphenated across a line break


def _open(stream: BinaryIO | bytes):
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(stream)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise IngestError("password-protected PDF: it cannot be read without the password") from exc
        raise IngestError(f"corrupt or unreadable PDF: {exc}") from exc


def _outline(pdf) -> dict[int, list[tuple[int, str]]]:
    """Bookmarks by target page index: (heading level 1-6, title), in outline order."""
    by_page: dict[int, list[tuple[int, str]]] = defaultdict(list)
    try:
        for bookmark in pdf.get_toc(max_depth=6):
            dest = bookmark.get_dest()
            title = " ".join((bookmark.get_title() or "").split())
            if dest is not None and title and (index := dest.get_index()) is not None:
                by_page[index].append((min(bookmark.level + 1, 6), title))
    except Exception:  # noqa: BLE001 - a broken outline costs the headings, never the text
        return {}
    return by_page


def _page_blocks(text: str, headings: list[tuple[int, str]], location: str) -> list[Block]:
    """The page's text cut at each bookmark title found on it (in outline order), with the
    heading in between; a title not found on the page stands where the search stopped."""
    blocks: list[Block] = []
    rest = text
    for level, title in headings:
        at = rest.find(title)
        if at < 0:
            flat = rest.replace("\n", " ")
            at = flat.find(title)
        if at < 0:
            blocks.append(Block("heading", title, level=level, location=location))
            continue
        if before := rest[:at].strip():
            blocks.append(Block("paragraph", before, location=location))
        blocks.append(Block("heading", title, level=level, location=location))
        rest = rest[at + len(title) :]
    if rest.strip():
        blocks.append(Block("paragraph", rest.strip(), location=location))
    return blocks


def _clean(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _LINE_HYPHEN.sub(r"\1", _LEADERS.sub(" … ", text))


def _has_image(page) -> bool:
    import pypdfium2.raw as pdfium_c

    return any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2))


def _page_texts(source: BinaryIO | bytes, start: int, stop: int) -> list[tuple[str, bool]]:
    """Text of pages ``start`` to ``stop`` (cleaned), and whether each looks scanned: little text
    and an image. Runs in worker processes for large files, so it opens its own document."""
    pdf = _open(source)
    try:
        found = []
        for index in range(start, stop):
            page = pdf[index]
            try:
                textpage = page.get_textpage()
                text = _clean(textpage.get_text_range())
                textpage.close()
                found.append((text, len(text.strip()) < MIN_TEXT_CHARS and _has_image(page)))
            finally:
                page.close()
        return found
    finally:
        pdf.close()


def _all_page_texts(stream: BinaryIO, count: int) -> list[tuple[str, bool]]:
    """Every page's text; a file of 2 x PARALLEL_MIN_PAGES pages or more is split over one forked
    process per core (pdfium's text extraction is the whole cost, and it holds the GIL). Forked,
    not spawned: a spawned worker re-imports the caller's main module, which fails for a script
    read from stdin. A pool that breaks costs the speed, not the file: it is read here instead."""
    workers = min(len(os.sched_getaffinity(0)), count // PARALLEL_MIN_PAGES)
    stream.seek(0)
    if workers >= 2:
        data = stream.read()
        bounds = [count * n // workers for n in range(workers + 1)]
        try:
            with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
                parts = pool.map(_page_texts, [data] * workers, bounds[:-1], bounds[1:])
                return [page for part in parts for page in part]
        except BrokenProcessPool:
            stream.seek(0)
    return _page_texts(stream, 0, count)


def read_pdf(stream: BinaryIO, context: ReadContext) -> Iterator[Extracted]:
    """One document of every page's blocks. A scanned page that cannot be OCR'd (OCR off, engine
    missing) is listed in ``pages_not_read`` with the reason; a file of nothing else is rejected."""
    limits = context.limits
    pdf = _open(stream)
    try:
        count = len(pdf)
        check_pages(count, limits)
        outline = _outline(pdf)
        metadata = {k.lower(): v for k, v in pdf.get_metadata_dict(skip_empty=True).items()
                    if k in ("Title", "Author", "Subject", "Keywords", "CreationDate")}
        blocks: list[Block] = []
        ocr_pages = 0
        not_read: list[int] = []
        ocr_missing = ""
        for index, (text, scanned) in enumerate(_all_page_texts(stream, count)):
            location = f"page {index + 1}"
            if scanned and not (ocr_pages or not_read):  # asked once, at the first scanned page
                ocr_missing = _ocr_missing(limits)
            if scanned and ocr_missing:
                not_read.append(index + 1)
            elif scanned:
                headings = [Block("heading", title, level=level, location=location)
                            for level, title in outline.get(index, [])]
                blocks.extend([*headings, *_ocr_page(pdf, index, limits)])
                ocr_pages += 1
                continue
            blocks.extend(_page_blocks(text, outline.get(index, []), location))
    finally:
        pdf.close()
    if not_read and not any(block.text.strip() for block in blocks if block.kind != "heading"):
        raise IngestError(f"scanned PDF (no text layer) and {ocr_missing}")
    if not_read:
        metadata["pages_not_read"] = f"{', '.join(map(str, not_read))} (scans; {ocr_missing})"
    title = metadata.pop("title", "")
    yield Extracted(blocks, title=title, metadata=metadata, pages=count, ocr_pages=ocr_pages)


def _ocr_missing(limits: ReadLimits) -> str:
    """Why scanned pages cannot be read ("" when OCR is on and its engine is installed)."""
    if not limits.ocr:
        return "OCR is turned off (ocr: false)"
    from llmops.ingest.ocr import ocr_available

    missing = ocr_available(limits.ocr_languages)
    return f"OCR cannot run: {missing}" if missing else ""


def _ocr_page(pdf, index: int, limits: ReadLimits) -> list[Block]:
    """A scanned page rendered at ``ocr_dpi`` and read by OCR, one block per paragraph found."""
    from llmops.ingest.ocr import ocr_image

    page = pdf[index]
    try:
        image = page.render(scale=limits.ocr_dpi / 72, grayscale=True).to_pil()
    finally:
        page.close()
    return ocr_image(image, limits, f"page {index + 1}", dpi=limits.ocr_dpi)
