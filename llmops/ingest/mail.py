"""E-mail readers: one message (.eml) or a Unix mailbox of many (.mbox).

Each message is one document, titled by its subject. Its blocks are the subject as a heading, a
``From/To/Cc/Date`` paragraph (so a search for "the mail from Li about the budget" finds it, and
the scrubber sees those names in the same pass as the body), then the body: text/plain where the
sender gave one, else the HTML part as text. The same headers, and the Message-ID, are kept as
metadata.

What a message carries comes out as documents of its own, after it:

- attached files (PDF, Word, another mailbox...) are read by their own readers through
  `ReadContext.nested`, as ``attachment <name>``;
- attached or digested messages (message/rfc822, multipart/digest) as ``attached message N``,
  with their own attachments, each level counting against ``max_nesting``.

An attachment that cannot be read (unsupported format, corrupt, too deeply nested) never costs
the message: it is named with the reason in the message's ``attachments_skipped`` metadata, as are
inline images. Body text is decoded in its declared charset, read as the superset senders really
use (mail labelled GB2312 often holds GBK characters: GB18030 reads both), or in the detected one
when the declared charset is missing, unknown or wrong; so are raw 8-bit headers.
"""

from __future__ import annotations

import codecs
import io
import mimetypes
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from email import policy
from email.header import decode_header, make_header
from email.message import Message
from email.parser import BytesParser
from typing import BinaryIO

from llmops.ingest.blocks import Block
from llmops.ingest.encoding import SAMPLE_BYTES, NotText, detect_encoding
from llmops.ingest.readers import Extracted, IngestError, ReadContext
from llmops.ingest.text import html_to_text

_KEPT_HEADERS = ("from", "to", "cc", "date", "subject", "message-id")  # metadata keys: message-id -> message_id
# Headers of which at least one starts any e-mail message (a file without them is something else).
_MAIL_HEADERS = frozenset({"from", "to", "cc", "subject", "date", "message-id", "mime-version", "content-type",
                           "received", "return-path", "sender", "reply-to", "delivered-to", "in-reply-to",
                           "references"})
_MESSAGES = frozenset({"message/rfc822", "message/global"})  # a whole message inside (not a delivery report)
_SIGNATURES = frozenset({"application/pgp-signature", "application/pkcs7-signature",
                         "application/x-pkcs7-signature"})  # no content to read
# What mail labelled with a charset is often really written in: the superset Windows uses.
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "big5": "cp950", "shift_jis": "cp932", "ascii": "utf-8",
              "iso8859-1": "cp1252"}
_SURROGATES = re.compile("[\udc80-\udcff]")  # raw 8-bit header bytes, as the parser keeps them
_FROM_LINE = re.compile(rb"From \S+ .*\d:\d\d")  # "From sender date": the date has a time of day
_QUOTED_FROM = re.compile(rb"^>(>*From )")


def read_eml(stream: BinaryIO, context: ReadContext) -> Iterator[Extracted]:
    """One message, then what it carries."""
    message = _parse(stream.read().lstrip(b"\r\n"))
    if not _MAIL_HEADERS.intersection(key.lower() for key in message):
        raise IngestError("not an e-mail message: it starts with no From, To, Subject, Date or other mail header")
    yield from _documents(message, "", context)


def read_mbox(stream: BinaryIO, context: ReadContext) -> Iterator[Extracted]:
    """Each message of a mailbox as ``message N`` (from 1), then what it carries; messages are
    read one at a time, so a mailbox of any size takes the memory of its largest message."""
    for number, raw in enumerate(_mbox_messages(stream), start=1):
        yield from _documents(_parse(raw), f"message {number}", context)


def _mbox_messages(stream: BinaryIO) -> Iterator[bytes]:
    """The raw messages of an mbox. A message starts at a "From sender date" line at the start of
    the file or after a blank line (RFC 4155), so a body line starting "From " that the writer did
    not quote stays body text; lines it quoted as ">From " (mboxrd) are unquoted."""
    lines: list[bytes] | None = None
    after_blank = True
    for line in stream:
        if after_blank and _FROM_LINE.match(line):
            if lines is not None:
                yield b"".join(lines)
            lines = []
        elif lines is not None:
            lines.append(_QUOTED_FROM.sub(rb"\1", line))
        elif line.strip():
            raise IngestError("not an mbox mailbox: it does not start with a 'From ' line")
        after_blank = not line.strip()
    if lines is not None:
        yield b"".join(lines)


def _parse(raw: bytes) -> Message:
    """The message under the standard policy, which decodes RFC 2047 headers and file names. Its
    structured-header parser raises on some malformed headers (IndexError, AttributeError...), so
    a message it cannot take is read under the lenient legacy policy instead: this reader only
    uses what both have."""
    try:
        message = BytesParser(policy=policy.default).parsebytes(raw)
        for part in message.walk():
            part.get_content_type(), part.get_content_charset(), part.get_content_disposition(), part.get_filename()
        return message
    except Exception:  # noqa: BLE001 - whatever the strict parser trips on, the legacy one reads
        return BytesParser(policy=policy.compat32).parsebytes(raw)


def _codec(charset: str | None) -> str | None:
    """The Python text codec of a MIME charset name (its common superset), None if unknown."""
    if not charset:
        return None
    try:
        b"x".decode(charset, "replace")  # LookupError for unknown names and bytes codecs ("base64")
    except LookupError:
        return None
    name = codecs.lookup(charset).name
    return _SUPERSETS.get(name, name)


def _decode_text(payload: bytes, charset: str | None) -> str:
    """Text in its declared charset if that decodes it, else in the detected one; never fails."""
    declared = _codec(charset)
    if declared:
        try:
            return payload.decode(declared)
        except UnicodeDecodeError:
            pass
    try:
        detected = detect_encoding(payload[:SAMPLE_BYTES], complete=len(payload) <= SAMPLE_BYTES)
    except NotText:
        detected = declared or "utf-8"
    return payload.decode(detected, errors="replace")


def _header(message: Message, name: str) -> str:
    """A header's decoded value (all occurrences, comma-joined); "" when absent."""
    values = []
    for key, raw in message.raw_items():
        if key.lower() != name:
            continue
        if _SURROGATES.search(raw):  # 8-bit text outside RFC 2047, as some Chinese clients send
            value = _decode_text(raw.encode("ascii", "surrogateescape"), None)
        else:
            try:  # encoded words decoded, the rest as written: an address's comment is often the name
                value = str(make_header(decode_header(raw)))
            except Exception:  # noqa: BLE001 - malformed encoded word: keep it as written
                value = raw
        if value := " ".join(value.split()):
            values.append(value)
    return ", ".join(values)


@dataclass
class _Contents:
    """What the MIME tree of one message holds, in order."""

    body: list[str] = field(default_factory=list)
    files: list[tuple[str, bytes]] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _file_name(part: Message, number: int) -> str:
    """The attachment's own file name without any folder, or ``part-N`` with the type's suffix."""
    name = " ".join(re.split(r"[\\/]", str(part.get_filename() or ""))[-1].split())
    return name or f"part-{number}{mimetypes.guess_extension(part.get_content_type()) or ''}"


def _part_text(part: Message) -> str:
    text = _decode_text(part.get_payload(decode=True) or b"", part.get_content_charset())
    return html_to_text(text)[0] if part.get_content_type() == "text/html" else text


def _collect(part: Message, found: _Contents) -> None:
    """Walk the MIME tree: body text, attached files, attached messages and what was left out."""
    content_type = part.get_content_type()
    if part.get_content_maintype() == "message":
        payload = part.get_payload()
        if content_type in _MESSAGES and isinstance(payload, list) and len(payload) == 1:
            found.messages.append(payload[0])
        else:
            found.skipped.append(f"{content_type} part (not a message to read)")
    elif part.is_multipart():
        parts = part.get_payload()
        if content_type == "multipart/alternative" and parts:
            plain = [sub for sub in parts if sub.get_content_type() == "text/plain"]
            parts = [plain[0] if plain and _part_text(plain[0]).strip() else parts[-1]]
        for sub in parts:
            _collect(sub, found)
    elif content_type in _SIGNATURES:
        return
    elif part.get_content_maintype() in ("text", "multipart") and part.get_content_disposition() != "attachment":
        # (a multipart part here has no parts: its boundary is missing, so its content is text)
        found.body.append(_part_text(part))
    elif part.get_content_maintype() == "image" and part.get_content_disposition() != "attachment":
        found.skipped.append(f"{_file_name(part, len(found.files) + 1)} (inline image)")
    else:
        found.files.append((_file_name(part, len(found.files) + 1), part.get_payload(decode=True) or b""))


def _join(*parts: str) -> str:
    return " > ".join(part for part in parts if part)


def _documents(message: Message, part: str, context: ReadContext) -> list[Extracted]:
    """The message as a document, then its attached files, then its attached messages (each
    followed by what it carries). Attachments are read before the message is given out, so a
    failure is recorded in its metadata instead of cutting the mail short."""
    found = _Contents()
    _collect(message, found)
    metadata = {name.replace("-", "_"): value for name in _KEPT_HEADERS if (value := _header(message, name))}
    subject = metadata.get("subject", "")
    blocks = [Block("heading", subject, level=1)] if subject else []
    lines = [f"{label}: {metadata[key]}" for key, label in (("from", "From"), ("to", "To"), ("cc", "Cc"),
                                                             ("date", "Date")) if key in metadata]
    if lines:
        blocks.append(Block("paragraph", "\n".join(lines)))
    blocks.extend(Block("paragraph", text.strip()) for text in found.body if text.strip())

    carried: list[Extracted] = []
    for name, payload in found.files:
        try:
            items = list(context.nested(name, io.BytesIO(payload)))
        except IngestError as exc:
            found.skipped.append(f"{name} ({exc})")
            continue
        for item in items:
            item.part = _join(part, f"attachment {name}", item.part)
            item.title = item.title or name
            if subject:
                item.metadata.setdefault("parent_subject", subject)
            carried.append(item)
    for number, embedded in enumerate(found.messages, start=1):
        label = f"attached message {number}"
        if context.depth >= context.limits.max_nesting:
            found.skipped.append(f"{label} (nested more than {context.limits.max_nesting} deep (max_nesting))")
            continue
        carried.extend(_documents(embedded, _join(part, label), replace(context, depth=context.depth + 1)))
    if found.files:
        metadata["attachments"] = ", ".join(name for name, _ in found.files)
    if found.skipped:
        metadata["attachments_skipped"] = "; ".join(found.skipped)
    return [Extracted(blocks, title=subject, metadata=metadata, part=part), *carried]
