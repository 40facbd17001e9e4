"""Ingestion: read a folder of enterprise documents into normalized, de-duplicated records.

Formats: ``.jsonl`` and ``.csv`` (one document per line/row, read as a stream), ``.md``, ``.txt``
and ``.html`` (one document per file, read whole). Files are found and opened through
`llmops.ingest.files` (regular files inside the raw folder only) and decoded through
`llmops.ingest.encoding` (the detected encoding goes into each document's ``file_encoding``
metadata). Nothing is dropped silently: a file, link or line that cannot be read is quarantined
with the reason, exact duplicates are counted, and the counts always add up:
``records_seen == len(documents) + duplicates + len(quarantined)``.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TextIO

import pandas as pd
import regex

from llmops.ingest.encoding import SAMPLE_BYTES, NotText, open_text
from llmops.ingest.files import RawFile, Skipped, copy_regular, open_regular, walk

SUPPORTED_SUFFIXES = (".jsonl", ".csv", ".md", ".txt", ".html", ".htm")
DOCUMENT_COLUMNS = ["doc_id", "source", "doc_type", "title", "text", "format", "metadata"]

# Top-level folder names that say what kind of document a file holds; anything else is "document".
FOLDER_DOC_TYPES = {
    "faq": "faq", "faqs": "faq", "help": "faq",
    "ticket": "ticket", "tickets": "ticket", "support": "ticket",
    "manual": "manual", "manuals": "manual", "docs": "manual",
    "policy": "policy", "policies": "policy", "hr": "policy", "it": "policy",
    "chat": "chat", "chats": "chat", "transcripts": "chat",
}  # fmt: skip

# Fields of a structured record that say what it is rather than what it says.
_ID_FIELDS = {"doc_id", "id", "title", "doc_type", "text"}
_TITLE_FIELDS = ("title", "subject", "name")

MB = 1_000_000
_HASH_SLICE = 1 << 20  # characters hashed at a time, so a large text is not copied whole as bytes
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # control characters but \t and \n
_INVISIBLE = regex.compile(r"[\p{Cf}\p{Cs}\p{Co}\p{Cn}]")  # zero-width, soft hyphen, private use, unassigned
_SPACES = re.compile(r" {2,}")
_BLANK_LINES = re.compile(r"\n{3,}")


@dataclass(frozen=True)
class IngestSettings:
    """What ingestion accepts; the ``raw_documents`` asset's launchpad config mirrors these fields."""

    max_file_mb: float = 512.0  # larger files are quarantined unread (MB of 10^6 bytes)
    follow_symlinks: bool = False  # read symbolic links whose target stays inside the raw folder


class IngestError(ValueError):
    """A record or file that cannot become a document; the message is the quarantine reason."""


@dataclass
class Document:
    doc_id: str
    source: str
    doc_type: str
    title: str
    text: str
    format: str
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass
class Quarantined:
    source: str
    reason: str
    content: str | None = None  # the offending line, for line-level rejects


@dataclass
class IngestResult:
    documents: list[Document]
    quarantined: list[Quarantined]
    duplicates: int
    files_read: int  # entries of the raw folder looked at, links and special files included

    @property
    def records_seen(self) -> int:
        return len(self.documents) + self.duplicates + len(self.quarantined)

    def to_frame(self) -> pd.DataFrame:
        rows = [{**asdict(d), "metadata": json.dumps(d.metadata, sort_keys=True)} for d in self.documents]
        return pd.DataFrame(rows, columns=DOCUMENT_COLUMNS)

    def counts_by(self, column: str) -> dict[str, int]:
        counts: dict[str, int] = {}
        for doc in self.documents:
            key = getattr(doc, column)
            counts[key] = counts.get(key, 0) + 1
        return dict(sorted(counts.items()))


def normalize_text(text: str) -> str:
    """NFKC; control characters (NUL, ...) become spaces so the words on either side stay apart,
    invisible format characters go; single spaces, at most one blank line between paragraphs.
    Whole-string passes that return their input when nothing changes, so a large text is cheap."""
    text = unicodedata.normalize("NFKC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROLS.sub(" ", text).replace("\t", " ")
    if not text.isascii():
        text = _INVISIBLE.sub("", text)
    text = _SPACES.sub(" ", text).replace(" \n", "\n").replace("\n ", "\n")
    return _BLANK_LINES.sub("\n\n", text).strip()


def content_id(text: str) -> str:
    """Stable id from the normalized text, so the same content always gets the same id."""
    digest = hashlib.sha256()
    for start in range(0, len(text), _HASH_SLICE):
        digest.update(text[start : start + _HASH_SLICE].encode("utf-8"))
    return digest.hexdigest()[:16]


def html_to_text(markup: str) -> tuple[str, str]:
    """Visible text of an HTML page, headings kept as markdown so sections stay recognizable."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "lxml")
    for junk in soup(["script", "style", "nav", "header", "footer", "noscript", "form", "iframe"]):
        junk.decompose()
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    if soup.title:
        soup.title.decompose()
    for level in range(1, 7):
        for heading in soup.find_all(f"h{level}"):
            heading.insert_before(f"\n\n{'#' * level} ")
            heading.insert_after("\n\n")
    for item in soup.find_all("li"):
        item.insert_before("\n- ")
    for block in soup.find_all(["p", "div", "br", "tr", "dt", "dd", "section", "article"]):
        block.insert_after("\n")
    return soup.get_text(""), title


def _title_from_text(text: str, fallback: str) -> str:
    """The first line of a normalized text (never blank) without heading marks; found without
    splitting the whole text, which can be hundreds of MB."""
    end = text.find("\n", 0, 1000)
    return text[: end if end >= 0 else 1000].lstrip("#").strip()[:200] or fallback


def _is_identifier(key: str) -> bool:
    return key.lower() == "id" or key.lower().endswith("_id")


def _record_to_document(record: dict, source: str, fmt: str, default_type: str) -> Document:
    """A structured record: its ``text`` field, or its fields as ``Key: value`` lines."""
    if not isinstance(record, dict):
        raise IngestError(f"expected a JSON object, got {type(record).__name__}")
    fields = {k: ("" if v is None else str(v)).strip() for k, v in record.items() if k is not None}
    if fields.get("text"):
        body = fields["text"]
    elif all(_is_identifier(k) for k, v in fields.items() if v and k not in _ID_FIELDS):
        raise IngestError("record has no text (only identifiers)")
    else:
        body = "\n".join(
            f"{key.replace('_', ' ').capitalize()}: {value}"
            for key, value in fields.items()
            if key not in _ID_FIELDS and value
        )
    text = normalize_text(body)
    if not text:
        raise IngestError("record has no text")
    title = next((fields[k] for k in _TITLE_FIELDS if fields.get(k)), "") or _title_from_text(text, source)
    metadata = {k: v for k, v in fields.items() if k not in ("text", "title", "doc_type") and v}
    return Document(
        doc_id=content_id(text),
        source=source,
        doc_type=fields.get("doc_type") or default_type,
        title=normalize_text(title),
        text=text,
        format=fmt,
        metadata=metadata,
    )


def _read_jsonl(stream: TextIO, rel: str, default_type: str) -> Iterator[Document | Quarantined]:
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        source, line = f"{rel}#L{number}", line.rstrip("\n")
        try:
            yield _record_to_document(json.loads(line), source, "jsonl", default_type)
        except json.JSONDecodeError as exc:
            yield Quarantined(source, f"invalid JSON on line {number}: {exc.msg} (column {exc.colno})", line)
        except IngestError as exc:
            yield Quarantined(source, f"line {number}: {exc}", line)


def _read_csv(stream: TextIO, rel: str, default_type: str) -> Iterator[Document | Quarantined]:
    try:
        reader = csv.reader(stream, strict=True)
        header = next(reader, None)
        if not header:
            raise IngestError("CSV file has no header row")
        for row in reader:
            number = reader.line_num
            source = f"{rel}#row{number}"
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                yield Quarantined(source, f"row {number} has {len(row)} fields, header has {len(header)}", ",".join(row))
                continue
            try:
                yield _record_to_document(dict(zip(header, row)), source, "csv", default_type)
            except IngestError as exc:
                yield Quarantined(source, f"row {number}: {exc}", ",".join(row))
    except csv.Error as exc:
        raise IngestError(f"malformed CSV: {exc}") from exc


def _read_single(stream: TextIO, rel: str, default_type: str) -> Iterator[Document]:
    path = Path(rel)
    suffix = path.suffix.lower()
    fmt = "html" if suffix in (".html", ".htm") else suffix.lstrip(".")
    raw = stream.read()
    title = ""
    if fmt == "html":
        raw, title = html_to_text(raw)
    text = normalize_text(raw)
    if not text:
        raise IngestError("no text content after normalization")
    yield Document(
        doc_id=content_id(text),
        source=rel,
        doc_type=default_type,
        title=normalize_text(title) or _title_from_text(text, path.stem),
        text=text,
        format=fmt,
    )


def doc_type_for(rel_path: Path) -> str:
    """Kind of document from the first folder of its path (``tickets/…`` → ``ticket``)."""
    return FOLDER_DOC_TYPES.get(rel_path.parts[0].lower(), "document") if len(rel_path.parts) > 1 else "document"


_READERS = {".jsonl": _read_jsonl, ".csv": _read_csv}  # every other format is one document per file


def _mb(size: float) -> str:
    return f"{size / MB:,.1f}".removesuffix(".0")


def _read_file(entry: RawFile, max_file_mb: float) -> Iterator[Document | Quarantined]:
    """The documents and rejected lines of one file, decoded as they are read; IngestError (the
    reason) when the file as a whole cannot be read."""
    suffix = Path(entry.rel).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise IngestError(f"unsupported format {suffix or '(none)'}; expected one of {', '.join(SUPPORTED_SUFFIXES)}")
    if entry.size > max_file_mb * MB:
        raise IngestError(f"file is {_mb(entry.size)} MB, over the {_mb(max_file_mb * MB)} MB limit set by max_file_mb")
    reader = _READERS.get(suffix, _read_single)
    try:
        with open_regular(entry.path) as handle, open_text(handle, newline="" if suffix == ".csv" else None) as stream:
            for item in reader(stream, entry.rel, doc_type_for(Path(entry.rel))):
                if isinstance(item, Document):
                    item.metadata["file_encoding"] = stream.encoding
                yield item
    except OSError as exc:
        raise IngestError(f"cannot read: {exc.strerror or exc}") from exc
    except NotText as exc:
        raise IngestError(str(exc)) from exc
    except UnicodeDecodeError as exc:
        raise IngestError(f"not valid {exc.encoding} further in the file ({exc.reason}); the encoding was "
                          f"detected from its first {SAMPLE_BYTES // 1024} KiB") from exc


def read_documents(root: Path, settings: IngestSettings = IngestSettings()) -> IngestResult:
    """Read every regular file under ``root``; bad files, links, special files and bad lines are
    quarantined, the rest goes on. A file counts only once read to its end: one that fails midway
    is quarantined whole, none of its documents kept."""
    root = Path(root)
    if not root.is_dir():
        raise FileNotFoundError(f"raw data directory {root} does not exist")
    documents: dict[str, Document] = {}
    quarantined: list[Quarantined] = []
    duplicates = files_read = 0
    for entry in walk(root, settings.follow_symlinks):
        files_read += 1
        if isinstance(entry, Skipped):
            quarantined.append(Quarantined(entry.rel, entry.reason))
            continue
        new: dict[str, Document] = {}
        rejected: list[Quarantined] = []
        repeats = 0
        try:
            for item in _read_file(entry, settings.max_file_mb):
                if isinstance(item, Quarantined):
                    rejected.append(item)
                elif item.doc_id in documents or item.doc_id in new:
                    repeats += 1
                else:
                    new[item.doc_id] = item
        except IngestError as exc:
            quarantined.append(Quarantined(entry.rel, str(exc)))
            continue
        documents.update(new)
        quarantined.extend(rejected)
        duplicates += repeats
    return IngestResult(list(documents.values()), quarantined, duplicates, files_read)


def write_quarantine(result: IngestResult, root: Path, quarantine_dir: Path) -> Path | None:
    """Write the reasons (with rejected lines) to ``quarantine_dir`` and copy the rejected files there;
    a link, a special file or anything outside ``root`` is listed, never copied (`copy_regular`)."""
    if not result.quarantined:
        return None
    quarantine_dir.mkdir(parents=True, exist_ok=True)
    with (quarantine_dir / "reasons.jsonl").open("w", encoding="utf-8") as reasons:
        for item in result.quarantined:
            reasons.write(json.dumps(asdict(item), ensure_ascii=False) + "\n")
            if item.content is None:
                copy_regular(root, item.source, quarantine_dir / "files" / item.source)
    return quarantine_dir
