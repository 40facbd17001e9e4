"""Which reader reads which file: one table from file suffix to reader, for files in the raw folder
and for files found inside them (e-mail attachments), so both follow the same rules. Record files
(.jsonl, .csv: one document per line or row) are read by `raw_documents` itself.

Reader modules are imported when a file of their format first comes along, so a corpus of text
files never loads PDF or Office libraries.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import PurePath
from typing import BinaryIO

from llmops.ingest.readers import Extracted, IngestError, ReadContext, Reader

# suffix -> (module in llmops.ingest, reader function)
FILE_FORMATS: dict[str, tuple[str, str]] = {
    ".txt": ("text", "read_plain"), ".md": ("text", "read_markdown"), ".markdown": ("text", "read_markdown"),
    ".html": ("text", "read_html"), ".htm": ("text", "read_html"),
    ".pdf": ("pdf", "read_pdf"),
    ".docx": ("office", "read_docx"), ".docm": ("office", "read_docx"),
    ".pptx": ("office", "read_pptx"), ".pptm": ("office", "read_pptx"),
    ".xlsx": ("office", "read_xlsx"), ".xlsm": ("office", "read_xlsx"),
    **{suffix: ("opendocument", "read_opendocument")
       for suffix in (".odt", ".ods", ".odp", ".odg", ".ott", ".ots", ".otp", ".otg")},
    ".eml": ("mail", "read_eml"), ".mbox": ("mail", "read_mbox"),
    ".png": ("images", "read_image"), ".jpg": ("images", "read_image"), ".jpeg": ("images", "read_image"),
    ".tif": ("images", "read_image"), ".tiff": ("images", "read_image"),
}  # fmt: skip
# Formats people keep that no reader takes yet, with what to do instead.
LEGACY_FORMATS = {
    ".doc": "legacy Word 97-2003 format: save it as .docx",
    ".xls": "legacy Excel 97-2003 format: save it as .xlsx",
    ".ppt": "legacy PowerPoint 97-2003 format: save it as .pptx",
    ".msg": "Outlook .msg format: save the message as .eml",
}


def format_of(name: str) -> str:
    """The format name of a file ("pdf", "docx", "jpeg"...), from its suffix."""
    suffix = PurePath(name).suffix.lower()
    return {".htm": "html", ".jpg": "jpeg", ".tif": "tiff", ".docm": "docx", ".pptm": "pptx", ".xlsm": "xlsx",
            ".markdown": "md", ".ott": "odt", ".ots": "ods", ".otp": "odp", ".otg": "odg"}.get(suffix, suffix.lstrip("."))


def unsupported_reason(name: str) -> str:
    """Why a file no reader takes is quarantined, with what to do when there is something to do."""
    suffix = PurePath(name).suffix.lower()
    return LEGACY_FORMATS.get(suffix) or f"unsupported format {suffix or '(none)'}"


def reader_for(name: str) -> Reader | None:
    """The reader of a one-file format, or None when no reader takes the suffix."""
    entry = FILE_FORMATS.get(PurePath(name).suffix.lower())
    if entry is None:
        return None
    module, function = entry
    return getattr(importlib.import_module(f"llmops.ingest.{module}"), function)


def read_file(name: str, stream: BinaryIO, context: ReadContext) -> Iterator[Extracted]:
    """The documents of a file; IngestError for a format no reader takes. Files found inside it
    (attachments) are read through this same function."""
    reader = reader_for(name)
    if reader is None:
        raise IngestError(unsupported_reason(name))
    if context.read_nested is None:
        context = ReadContext(context.limits, context.depth, read_file)
    try:
        for item in reader(stream, context):
            item.metadata.setdefault("format", format_of(name))
            yield item
    except (IngestError, OSError):
        raise
    except Exception as exc:  # noqa: BLE001 - a library's crash on one bad file is that file's reason
        raise IngestError(f"unreadable {format_of(name)} file: {type(exc).__name__}: {str(exc)[:300]}") from exc
