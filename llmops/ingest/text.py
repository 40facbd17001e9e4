"""Reader of one-document text files: plain text, Markdown and HTML, in whatever encoding.

Markdown keeps its ``#`` headings and HTML's ``<h1>``-``<h6>`` become Markdown headings, so both
get heading paths in the index like the office formats. The detected encoding goes into the
document's ``file_encoding`` metadata.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO

from llmops.ingest.blocks import Block
from llmops.ingest.encoding import SAMPLE_BYTES, NotText, open_text
from llmops.ingest.readers import Extracted, IngestError, ReadContext

def html_to_text(markup: str) -> tuple[str, str]:
    """Visible text of an HTML page, headings and code kept as markdown so sections stay recognizable."""
    from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning

    with warnings.catch_warnings():  # XHTML (DocBook, Debian Reference) parses fine as HTML
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        soup = BeautifulSoup(markup, "lxml")
    for junk in soup(["script", "style", "nav", "header", "footer", "noscript", "form", "iframe"]):
        junk.decompose()
    # Navigation that generators write as plain divs (Sphinx, DocBook: "Prev | Up | Next", the
    # sidebar), and heading permalinks ("¶"): repeated on every page, they answer no question.
    for junk in soup.select('[role="navigation"], div.related, div.sphinxsidebar, div.navheader, div.navfooter, '
                            'a.headerlink, a.anchor'):
        junk.decompose()
    # A generated table of contents repeats the headings, and would match every question about them
    # without answering any; it goes, unless it is all the page holds.
    contents = soup.select("div.toc, div.toctree-wrapper, div.list-of-tables, div.list-of-figures, div.list-of-examples")
    if sum(len(c.get_text(strip=True)) for c in contents) < 0.8 * len(soup.get_text(strip=True)):
        for table in contents:
            table.decompose()
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    if soup.title:
        soup.title.decompose()
    for level in range(1, 7):
        for heading in soup.find_all(f"h{level}"):
            heading.insert_before(f"\n\n{'#' * level} ")
            heading.insert_after("\n\n")
    # Code stays code: blocks fenced, spans in backticks, so chunking does not read a shell prompt
    # ("# make install") as a heading and the scrubber knows which words are code.
    for block in soup.find_all("pre"):
        block.insert_before("\n```\n")
        block.insert_after("\n```\n")
    for span in soup.find_all(["code", "kbd", "samp", "tt"]):
        if span.find_parent("pre") is None and "\n" not in span.get_text() and "`" not in span.get_text():
            span.insert_before("`")
            span.insert_after("`")
    for item in soup.find_all("li"):
        item.insert_before("\n- ")
    for block in soup.find_all(["p", "div", "br", "tr", "dt", "dd", "section", "article"]):
        block.insert_after("\n")
    return soup.get_text(""), title


@contextmanager
def undecodable_as_reason() -> Iterator[None]:
    """Decoding failures inside the block become the quarantine reason (`IngestError`): bytes no
    encoding fits, or bytes past the detection sample that the detected encoding cannot decode."""
    try:
        yield
    except NotText as exc:
        raise IngestError(str(exc)) from exc
    except UnicodeDecodeError as exc:
        raise IngestError(f"not valid {exc.encoding} further in the file ({exc.reason}); the encoding was "
                          f"detected from its first {SAMPLE_BYTES // 1024} KiB") from exc


def _decode(stream: BinaryIO) -> tuple[str, str]:
    """The whole file as text, and its encoding; IngestError when no known encoding fits."""
    with undecodable_as_reason(), open_text(stream) as decoded:
        return decoded.read(), decoded.encoding


def read_plain(stream: BinaryIO, context: ReadContext) -> Iterator[Extracted]:
    """Plain text, one document: a line starting with "#" is text here (a comment, a number)."""
    raw, encoding = _decode(stream)
    yield Extracted([Block("paragraph", raw)], metadata={"file_encoding": encoding})


def read_markdown(stream: BinaryIO, context: ReadContext) -> Iterator[Extracted]:
    """Markdown, one document: its "#" lines are the headings of its sections."""
    raw, encoding = _decode(stream)
    yield Extracted([Block("markdown", raw)], metadata={"file_encoding": encoding})


def read_html(stream: BinaryIO, context: ReadContext) -> Iterator[Extracted]:
    """An HTML page's visible text, one document titled by its <title>."""
    raw, encoding = _decode(stream)
    text, title = html_to_text(raw)
    yield Extracted([Block("markdown", text)], title=title, metadata={"file_encoding": encoding})
