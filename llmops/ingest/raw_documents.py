"""Ingestion: read a folder of enterprise documents into normalized, de-duplicated records.

Formats: ``.jsonl`` and ``.csv`` (one document per line/row), ``.md``, ``.txt`` and ``.html``
(one document per file). Nothing is dropped silently: a file or line that cannot be read is
quarantined with the reason, exact duplicates are counted, and the counts always add up:
``records_seen == len(documents) + duplicates + len(quarantined)``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
import unicodedata
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

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
    files_read: int

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
    """NFKC, no control characters, single spaces, at most one blank line between paragraphs."""
    text = unicodedata.normalize("NFKC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def content_id(text: str) -> str:
    """Stable id from the normalized text, so the same content always gets the same id."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


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
    for line in text.split("\n"):
        if line.strip():
            return line.lstrip("#").strip()[:200] or fallback
    return fallback


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


def _decode(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError(f"not valid UTF-8 text (bad byte at offset {exc.start})") from exc


def _read_jsonl(path: Path, rel: str, default_type: str) -> Iterator[Document | Quarantined]:
    for number, line in enumerate(_decode(path).splitlines(), start=1):
        if not line.strip():
            continue
        source = f"{rel}#L{number}"
        try:
            yield _record_to_document(json.loads(line), source, "jsonl", default_type)
        except json.JSONDecodeError as exc:
            yield Quarantined(source, f"invalid JSON on line {number}: {exc.msg} (column {exc.colno})", line)
        except IngestError as exc:
            yield Quarantined(source, f"line {number}: {exc}", line)


def _read_csv(path: Path, rel: str, default_type: str) -> Iterator[Document | Quarantined]:
    text = _decode(path)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
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


def _read_single(path: Path, rel: str, default_type: str) -> Document:
    suffix = path.suffix.lower()
    fmt = "html" if suffix in (".html", ".htm") else suffix.lstrip(".")
    raw = _decode(path)
    title = ""
    if fmt == "html":
        raw, title = html_to_text(raw)
    text = normalize_text(raw)
    if not text:
        raise IngestError("no text content after normalization")
    return Document(
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


def read_documents(root: Path) -> IngestResult:
    """Read every file under ``root``; bad files and lines are quarantined, the rest goes on."""
    root = Path(root)
    if not root.is_dir():
        raise FileNotFoundError(f"raw data directory {root} does not exist")
    documents: dict[str, Document] = {}
    quarantined: list[Quarantined] = []
    duplicates = files_read = 0
    for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith(".")):
        rel_path = path.relative_to(root)
        rel, default_type = rel_path.as_posix(), doc_type_for(rel_path)
        suffix = path.suffix.lower()
        files_read += 1
        if suffix not in SUPPORTED_SUFFIXES:
            quarantined.append(Quarantined(rel, f"unsupported format {suffix or '(none)'}; expected one of {', '.join(SUPPORTED_SUFFIXES)}"))
            continue
        try:
            if suffix == ".jsonl":
                items = list(_read_jsonl(path, rel, default_type))
            elif suffix == ".csv":
                items = list(_read_csv(path, rel, default_type))
            else:
                items = [_read_single(path, rel, default_type)]
        except IngestError as exc:
            quarantined.append(Quarantined(rel, str(exc)))
            continue
        for item in items:
            if isinstance(item, Quarantined):
                quarantined.append(item)
            elif item.doc_id in documents:
                duplicates += 1
            else:
                documents[item.doc_id] = item
    return IngestResult(list(documents.values()), quarantined, duplicates, files_read)


def write_quarantine(result: IngestResult, root: Path, quarantine_dir: Path) -> Path | None:
    """Copy rejected files (and write rejected lines) to ``quarantine_dir`` with a reasons file."""
    if not result.quarantined:
        return None
    quarantine_dir.mkdir(parents=True, exist_ok=True)
    with (quarantine_dir / "reasons.jsonl").open("w", encoding="utf-8") as reasons:
        for item in result.quarantined:
            reasons.write(json.dumps(asdict(item), ensure_ascii=False) + "\n")
            if item.content is None:
                target = quarantine_dir / "files" / item.source
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(root / item.source, target)
    return quarantine_dir
