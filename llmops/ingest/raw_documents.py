"""Ingestion: read a folder of enterprise documents into normalized, de-duplicated records.

Record files, ``.jsonl`` and ``.csv``, hold one document per line or row and are read here as a
stream. Every other format (text, Markdown, HTML, PDF, Office, OpenDocument, e-mail, images) goes
to its reader through `llmops.ingest.formats`; a reader's blocks become the document's text in
the form `llmops.ingest.blocks` defines (Markdown with page, slide and sheet markers). Files are
found and opened through `llmops.ingest.files` (regular files inside the raw folder only).

Nothing is dropped silently: a file, link or line that cannot be read is quarantined with the
reason, exact duplicates are counted, and the counts always add up:
``records_seen == len(documents) + duplicates + len(quarantined)``. What each format gave (files,
documents, quarantined, pages, OCR'd pages, characters) is counted per format. With a cache
folder, a file whose bytes and reader code are unchanged since the last run is not read again.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import NamedTuple, TextIO

import pandas as pd
import regex

from llmops.ingest.access import AccessPolicy, join_groups
from llmops.ingest.blocks import plain_text, render, sections
from llmops.ingest.encoding import open_text
from llmops.ingest.files import RawFile, Skipped, file_sha256, open_regular, walk
from llmops.ingest.formats import FILE_FORMATS, format_of, read_file, unsupported_reason
from llmops.ingest.readers import Extracted, IngestError, ReadContext, ReadLimits
from llmops.ingest.text import undecodable_as_reason

RECORD_SUFFIXES = (".jsonl", ".csv")
SUPPORTED_SUFFIXES = (*RECORD_SUFFIXES, *FILE_FORMATS)
DOCUMENT_COLUMNS = ["doc_id", "source", "doc_type", "title", "text", "format", "metadata", "groups"]

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
    limits: ReadLimits = ReadLimits()  # what one file may cost the readers (pages, unpacked size, OCR)
    cache_dir: Path | None = None  # documents read from each file, by content hash: unchanged files are not re-read
    access: AccessPolicy = AccessPolicy()  # who may read each document (`llmops.ingest.access`)


@dataclass
class Document:
    doc_id: str
    source: str
    doc_type: str
    title: str
    text: str
    format: str
    metadata: dict[str, str] = field(default_factory=dict)
    groups: tuple[str, ...] = ()  # access groups, set by the access map after reading (never cached)


@dataclass
class Quarantined:
    source: str
    reason: str
    content: str | None = None  # the offending line, for line-level rejects
    sha256: str | None = None  # of the file, for a file rejected whole
    size: int | None = None  # bytes


@dataclass
class FormatStats:
    """What the files of one format gave."""

    files: int = 0
    documents: int = 0
    quarantined: int = 0  # files and records
    from_cache: int = 0  # files not read again: unchanged since a run that cached them
    pages: int = 0  # pages, slides or sheets
    ocr_pages: int = 0
    characters: int = 0


@dataclass
class IngestResult:
    documents: list[Document]
    quarantined: list[Quarantined]
    duplicates: int
    files_read: int  # entries of the raw folder looked at, links and special files included
    formats: dict[str, FormatStats] = field(default_factory=dict)

    @property
    def nothing_ingested(self) -> bool:
        """Files were there and none gave a document: a failed run, whatever the reasons."""
        return self.files_read > 0 and not self.documents

    @property
    def records_seen(self) -> int:
        return len(self.documents) + self.duplicates + len(self.quarantined)

    def to_frame(self) -> pd.DataFrame:
        rows = [{**asdict(d), "metadata": json.dumps(d.metadata, sort_keys=True), "groups": join_groups(d.groups)}
                for d in self.documents]
        return pd.DataFrame(rows, columns=DOCUMENT_COLUMNS)

    def quarantine_reasons(self) -> dict[str, int]:
        """How many files and records each kind of reason rejected (the reason up to its first colon)."""
        counts: dict[str, int] = {}
        for item in self.quarantined:
            kind = item.reason.split(":")[0][:80]
            counts[kind] = counts.get(kind, 0) + 1
        return dict(sorted(counts.items(), key=lambda pair: -pair[1]))

    def counts_by(self, column: str) -> dict[str, int]:
        """Documents per value of ``column``; a document of several groups counts in each."""
        counts: dict[str, int] = {}
        for doc in self.documents:
            value = getattr(doc, column)
            for key in value if isinstance(value, tuple) else (value,):
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


def _title_from_text(text: str, fallback: str) -> str:
    """The first line of a normalized text (never blank) without heading marks or location
    markers; found without splitting the whole text, which can be hundreds of MB."""
    head = plain_text(text[:2000]).strip()
    end = head.find("\n", 0, 1000)
    return head[: end if end >= 0 else 1000].lstrip("#").strip()[:200] or fallback


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


def doc_type_for(rel_path: Path) -> str:
    """Kind of document from the first folder of its path (``tickets/…`` → ``ticket``)."""
    return FOLDER_DOC_TYPES.get(rel_path.parts[0].lower(), "document") if len(rel_path.parts) > 1 else "document"


_RECORD_READERS = {".jsonl": _read_jsonl, ".csv": _read_csv}
# Bumped by hand never: the cache key covers the source of every module of this package.
_CODE_VERSION = hashlib.sha256(b"".join(p.read_bytes() for p in sorted(Path(__file__).parent.glob("*.py")))).hexdigest()


def _mb(size: float) -> str:
    return f"{size / MB:,.1f}".removesuffix(".0")


def _document(item: Extracted, rel: str, default_type: str) -> Document | Quarantined:
    """A reader's output as a document: its blocks rendered and normalized, its pages counted."""
    source = f"{rel}#{item.part}" if item.part else rel
    # Normalized block by block, so what render escapes (a "#" line in a PDF's code listing) is
    # what stays: normalizing after rendering could turn "  # x" or "＃ x" into a heading line.
    text = render(replace(block, text=normalize_text(block.text)) for block in item.blocks)
    if not text:
        return Quarantined(source, "no text content after normalization")
    metadata = {k: str(v) for k, v in item.metadata.items() if k != "format" and str(v).strip()}
    if item.pages:
        metadata["pages"] = str(item.pages)
    if item.ocr_pages:
        metadata["ocr_pages"] = str(item.ocr_pages)
    title = normalize_text(item.title) or next((s.headings[0] for s in sections(text) if s.headings), "")
    return Document(
        doc_id=content_id(text),
        source=source,
        doc_type=default_type,
        title=title[:200] or _title_from_text(text, Path(rel).stem),
        text=text,
        format=item.metadata.get("format") or format_of(rel),
        metadata=metadata,
    )


def _read_records(entry: RawFile, suffix: str, default_type: str) -> Iterator[Document | Quarantined]:
    """The documents and rejected lines of a .jsonl or .csv file, decoded as they are read."""
    newline = "" if suffix == ".csv" else None
    with undecodable_as_reason(), open_regular(entry.path) as handle, open_text(handle, newline=newline) as stream:
        for item in _RECORD_READERS[suffix](stream, entry.rel, default_type):
            if isinstance(item, Document):
                item.metadata["file_encoding"] = stream.encoding
            yield item


def _read_file(entry: RawFile, settings: IngestSettings) -> Iterator[Document | Quarantined]:
    """The documents and rejected lines or parts of one file; IngestError (the reason) when the
    file as a whole cannot be read."""
    suffix = Path(entry.rel).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise IngestError(unsupported_reason(entry.rel))
    if entry.size > settings.max_file_mb * MB:
        raise IngestError(f"file is {_mb(entry.size)} MB, over the {_mb(settings.max_file_mb * MB)} MB limit set by max_file_mb")
    default_type = doc_type_for(Path(entry.rel))
    try:
        if suffix in _RECORD_READERS:
            yield from _read_records(entry, suffix, default_type)
            return
        with open_regular(entry.path) as handle:
            for item in read_file(entry.rel, handle, ReadContext(settings.limits)):
                yield _document(item, entry.rel, default_type)
    except OSError as exc:
        raise IngestError(f"cannot read: {exc.strerror or exc}") from exc


class _Read(NamedTuple):
    """A file's documents (each once) and rejected parts, and how many of its documents repeated."""

    items: list[Document | Quarantined]
    repeats: int


_Outcome = _Read | IngestError  # what reading a file gave: its documents, or why it is rejected whole


def _sha256_or_none(path: Path) -> str | None:
    try:
        return file_sha256(path)
    except OSError:
        return None


class _Cache:
    """What each file gave last time, by the file's content hash, the reader limits and the code of
    this package: a rerun over unchanged files (hours of OCR) reads nothing again. A file's
    documents are stored with their source relative to the file, so a renamed file still hits."""

    def __init__(self, folder: Path, limits: ReadLimits) -> None:
        self.folder = folder
        self.salt = hashlib.sha256(f"{_CODE_VERSION}{limits}".encode()).hexdigest()[:16]

    def _path(self, sha256: str) -> Path:
        return self.folder / sha256[:2] / f"{sha256}-{self.salt}.jsonl"

    def get(self, sha256: str, rel: str) -> _Outcome | None:
        path = self._path(sha256)
        if not path.is_file():
            return None
        items: list[Document | Quarantined] = []
        repeats = 0
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            kind, source = record.pop("kind"), rel + record.pop("part", "")
            if kind == "file":
                return IngestError(record["reason"])
            if kind == "repeats":
                repeats = record["count"]
            else:
                items.append(Document(**record, source=source) if kind == "document" else Quarantined(source, **record))
        return _Read(items, repeats)

    def put(self, sha256: str, rel: str, outcome: _Outcome) -> None:
        if isinstance(outcome, IngestError):
            records = [{"kind": "file", "reason": str(outcome)}]
        else:
            records = [{**asdict(item), "kind": "document" if isinstance(item, Document) else "part"}
                       for item in outcome.items]
            for record in records:
                record["part"] = record.pop("source")[len(rel):]
            records.append({"kind": "repeats", "count": outcome.repeats})
        path = self._path(sha256)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        partial.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
        partial.replace(path)


def read_documents(root: Path, settings: IngestSettings = IngestSettings()) -> IngestResult:
    """Read every regular file under ``root``; bad files, links, special files and bad lines or
    parts are quarantined, the rest goes on. A file counts only once read to its end: one that
    fails midway is quarantined whole, none of its documents kept."""
    root = Path(root)
    if not root.is_dir():
        raise FileNotFoundError(f"raw data directory {root} does not exist")
    cache = _Cache(Path(settings.cache_dir), settings.limits) if settings.cache_dir else None
    documents: dict[str, Document] = {}
    quarantined: list[Quarantined] = []
    formats: dict[str, FormatStats] = {}
    duplicates = files_read = 0
    for entry in walk(root, settings.follow_symlinks):
        files_read += 1
        if isinstance(entry, Skipped):
            quarantined.append(Quarantined(entry.rel, entry.reason))
            continue
        stats = formats.setdefault(format_of(entry.rel) or "(none)", FormatStats())
        stats.files += 1
        outcome, sha256 = _read_one(entry, settings, cache, stats)
        if isinstance(outcome, IngestError):
            if sha256 is None and entry.size <= settings.max_file_mb * MB:
                sha256 = _sha256_or_none(entry.path)
            quarantined.append(Quarantined(entry.rel, str(outcome), sha256=sha256, size=entry.size))
            stats.quarantined += 1
            continue
        duplicates += outcome.repeats
        for item in _labelled(outcome.items, settings.access):
            if isinstance(item, Quarantined):
                quarantined.append(item)
                stats.quarantined += 1
            elif item.doc_id in documents:
                duplicates += 1
                kept = documents[item.doc_id]  # whoever may read either copy may read the content
                kept.groups = tuple(sorted({*kept.groups, *item.groups}))
            else:
                documents[item.doc_id] = item
                stats.documents += 1
                stats.characters += len(item.text)
                stats.pages += int(item.metadata.get("pages", 0))
                stats.ocr_pages += int(item.metadata.get("ocr_pages", 0))
    return IngestResult(list(documents.values()), quarantined, duplicates, files_read, dict(sorted(formats.items())))


def _labelled(items: list[Document | Quarantined], policy: AccessPolicy) -> Iterator[Document | Quarantined]:
    """The file's items with each document's access groups set; a document whose own metadata names
    an invalid group is quarantined. A message is labelled by its own recipients, an attachment by
    those of the file's messages."""
    recipients = {id(item): policy.recipient_groups(item.metadata) for item in items
                  if isinstance(item, Document) and item.format in ("eml", "mbox")
                  and ("to" in item.metadata or "cc" in item.metadata)}
    in_file = tuple(sorted({group for groups in recipients.values() for group in groups}))
    for item in items:
        if isinstance(item, Document):
            mail = recipients.get(id(item), in_file)
            try:
                item = replace(item, groups=policy.groups_for(item.source, item.metadata, mail))
            except IngestError as exc:
                item = Quarantined(item.source, str(exc))
        yield item


def _read_one(entry: RawFile, settings: IngestSettings, cache: _Cache | None,
              stats: FormatStats) -> tuple[_Outcome, str | None]:
    """What one file gave, and its content hash when one was taken. A document repeated within
    the file is kept once (and counted), so a file of a million identical lines costs one.
    Record files are not cached: they read about as fast as they hash."""
    suffix = Path(entry.rel).suffix.lower()
    sha256 = None
    if cache is not None and suffix in FILE_FORMATS and entry.size <= settings.max_file_mb * MB:
        try:
            sha256 = file_sha256(entry.path)
        except OSError as exc:
            return IngestError(f"cannot read: {exc.strerror or exc}"), None
        if (hit := cache.get(sha256, entry.rel)) is not None:
            stats.from_cache += 1
            return hit, sha256
    items: list[Document | Quarantined] = []
    ids: set[str] = set()
    repeats = 0
    outcome: _Outcome
    try:
        for item in _read_file(entry, settings):
            if isinstance(item, Document):
                if item.doc_id in ids:
                    repeats += 1
                    continue
                ids.add(item.doc_id)
            items.append(item)
        outcome = _Read(items, repeats)
    except IngestError as exc:
        outcome = exc
    if cache is not None and sha256 is not None:
        cache.put(sha256, entry.rel, outcome)
    return outcome, sha256


def write_quarantine(result: IngestResult, quarantine_dir: Path) -> Path | None:
    """Write the reasons to ``quarantine_dir``/reasons.jsonl: the file (and its SHA-256 and size)
    or the rejected line, never a copy of the file: the raw folder keeps it, and copying a folder
    of bad multi-GB files would double the disk they take."""
    if not result.quarantined:
        return None
    quarantine_dir.mkdir(parents=True, exist_ok=True)
    with (quarantine_dir / "reasons.jsonl").open("w", encoding="utf-8") as reasons:
        for item in result.quarantined:
            record = {k: v for k, v in asdict(item).items() if v is not None}
            reasons.write(json.dumps(record, ensure_ascii=False) + "\n")
    return quarantine_dir
