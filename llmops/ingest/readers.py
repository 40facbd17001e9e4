"""What a reader of a binary format (PDF, Office, OpenDocument, e-mail, images) gets and gives.

A reader is ``read(stream, context) -> Iterator[Extracted]``: the file opened by
`llmops.ingest.files.open_regular` (or an attachment's bytes), and the limits it must keep.
It yields one `Extracted` per document the file holds (one for a PDF or a Word file; one per
message of a mailbox, one per attached file) and raises `IngestError` with the reason when the
file cannot be read: corrupt, password-protected, over a limit. Limits are settings with
generous defaults, never silent truncation: a file that hits one is quarantined with the limit's
name in the reason.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from llmops.ingest.blocks import Block

MB = 1_000_000
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc/.xls/.ppt, and encrypted OOXML files


class IngestError(ValueError):
    """A record or file that cannot become a document; the message is the quarantine reason."""


@dataclass(frozen=True)
class ReadLimits:
    """Bounds on what one file may cost; the ``raw_documents`` launchpad config mirrors them."""

    max_pages: int = 10_000  # pages, slides or sheets of one file
    max_unpacked_mb: float = 2_000.0  # decompressed size of a zip-based file (Office, OpenDocument)
    max_nesting: int = 3  # attachments inside attachments
    ocr: bool = True  # read images and PDF pages without a text layer with OCR
    ocr_languages: str = "eng+chi_sim"  # tesseract language packs, '+'-joined
    ocr_dpi: int = 200  # resolution PDF pages are rendered at for OCR
    ocr_timeout_s: float = 120.0  # per page or image; a page over it is quarantined with the file


@dataclass
class Extracted:
    """One document found in a file: its blocks, and what the file says about it."""

    blocks: list[Block]
    title: str = ""
    metadata: dict[str, str] = field(default_factory=dict)
    part: str = ""  # "" for the file itself; e.g. "message 3" or "attachment report.pdf"
    pages: int = 0  # pages, slides or sheets read
    ocr_pages: int = 0  # of which read by OCR


@dataclass
class ReadContext:
    """The limits, and a way to read a file found inside the file (an e-mail attachment)."""

    limits: ReadLimits = field(default_factory=ReadLimits)
    depth: int = 0
    read_nested: Callable[[str, BinaryIO, "ReadContext"], Iterator[Extracted]] | None = None

    def nested(self, name: str, stream: BinaryIO) -> Iterator[Extracted]:
        """The documents of an embedded file, one level deeper; IngestError past max_nesting."""
        if self.read_nested is None:
            raise IngestError(f"cannot read the embedded file {name}")
        if self.depth >= self.limits.max_nesting:
            raise IngestError(f"{name} is nested more than {self.limits.max_nesting} deep (max_nesting)")
        child = ReadContext(self.limits, self.depth + 1, self.read_nested)
        return self.read_nested(name, stream, child)


Reader = Callable[[BinaryIO, ReadContext], Iterator[Extracted]]


def check_pages(count: int, limits: ReadLimits, unit: str = "pages") -> None:
    if count > limits.max_pages:
        raise IngestError(f"{count:,} {unit}, over the {limits.max_pages:,} allowed (max_pages)")


def open_zip(stream: BinaryIO, limits: ReadLimits) -> zipfile.ZipFile:
    """A zip-based file (Office, OpenDocument) opened after checking it is not a zip bomb, not
    encrypted and not a legacy binary file in disguise; IngestError with the reason otherwise."""
    head = stream.read(8)
    stream.seek(0)
    if head == OLE_MAGIC:
        raise IngestError("password-protected (encrypted) or legacy binary Office file: save it unprotected "
                          "in the current format (.docx, .xlsx, .pptx)")
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise IngestError(f"corrupt file: not a valid zip container ({exc})") from exc
    unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > limits.max_unpacked_mb * MB:
        archive.close()
        raise IngestError(f"unpacks to {unpacked / MB:,.0f} MB, over the {limits.max_unpacked_mb:,.0f} MB "
                          "allowed (max_unpacked_mb): possibly a zip bomb")
    if any(info.flag_bits & 0x1 for info in archive.infolist()):
        archive.close()
        raise IngestError("password-protected (encrypted) file")
    return archive
