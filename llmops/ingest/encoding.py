"""Which encoding a raw file is in, and its text decoded as it is read.

Strict UTF-8 first (with or without a BOM), so ASCII and UTF-8 stay UTF-8 however short; then
charset-normalizer on the start of the file: UTF-16/32 with a BOM, GB18030/GBK/GB2312, Big5,
Shift-JIS, Windows-1252/Latin-1 and the other code pages it knows. What no encoding decodes with
confidence (binary files, random bytes, garbled text) raises `NotText` with the reason, for the
caller to quarantine.
"""

from __future__ import annotations

import codecs
import io
import re
from typing import BinaryIO

from charset_normalizer import from_bytes

SAMPLE_BYTES = 512 * 1024  # detection looks at this much of the start of a file
MAX_CHAOS = 0.2  # charset-normalizer's "mess" ratio from which a decoding is not trusted (its default)
MAX_CONTROL_SHARE = 0.1  # valid UTF-8 with more control characters than this is binary data

# Code pages that tie on a sample (Windows-1250 and -1252 on French text) go to the widely used
# one; the rest of a file decodes with a superset, so a rarer character past the sample still fits.
_PREFERRED = ("utf-8", "gb18030", "big5", "cp932", "cp1252")
_SUPERSETS = {"ascii": "utf-8", "gb2312": "gb18030", "gbk": "gb18030", "shift_jis": "cp932"}
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")  # control characters other than \t \n \v \f \r
_HIGH_BYTES = bytes(range(0x80, 0x100))


class NotText(ValueError):
    """Bytes that no encoding decodes with confidence; the message is the quarantine reason."""


def _whole_characters(head: bytes) -> bytes:
    """The start of a file up to its last line break, so its last character is not cut in two
    (detection drops an encoding that fails on the final bytes); UTF-16/32 keep whole code units."""
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        width = 4
    else:
        width = 2 if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else 1
    end = head.rfind(b"\n") + 1
    if end:
        return head[: end + (-end) % width]
    return head[: len(head) - len(head) % width] if width > 1 else head.rstrip(_HIGH_BYTES)


def _control_share(text: str) -> float:
    """Share of control characters (line breaks and tabs aside) in ``text``."""
    return len(_CONTROLS.findall(text)) / len(text) if text else 0.0


def detect_encoding(head: bytes, complete: bool) -> str:
    """The Python codec of a file from its first bytes (``complete``: they are the whole file)."""
    sample = head if complete else _whole_characters(head)
    try:
        share = _control_share(sample.decode("utf-8"))
    except UnicodeDecodeError as exc:
        utf8 = f"not valid UTF-8 (bad byte at offset {exc.start})"
    else:
        if share <= MAX_CONTROL_SHARE:
            return "utf-8-sig" if sample.startswith(codecs.BOM_UTF8) else "utf-8"
        utf8 = f"{share:.0%} control characters"
    results = from_bytes(sample, threshold=MAX_CHAOS)
    best = results.best()
    if best is None or best.chaos >= MAX_CHAOS:
        guess = f" (the closest, {best.encoding}, gives garbled text)" if best else ""
        raise NotText(f"{utf8}, and no other encoding fits with confidence: binary or damaged data{guess}")
    tied = {codecs.lookup(name).name for match in results
            if (match.chaos, match.coherence) == (best.chaos, best.coherence) for name in match.could_be_from_charset}
    codec = next((name for name in _PREFERRED if name in tied), codecs.lookup(best.encoding).name)
    return _SUPERSETS.get(codec, codec)


def open_text(handle: BinaryIO, newline: str | None = None) -> io.TextIOWrapper:
    """``handle`` as text in its detected encoding (the stream's ``encoding``), decoded as it is
    read so a large file is never held whole; NotText if no encoding fits, UnicodeDecodeError
    (while reading) if a part past the sample does not fit the detected one."""
    head = handle.read(SAMPLE_BYTES)
    encoding = detect_encoding(head, complete=len(head) < SAMPLE_BYTES)
    handle.seek(0)
    return io.TextIOWrapper(handle, encoding=encoding, newline=newline)
