"""A second, Presidio-independent opinion for the data-quality gate: high-precision regexes and
checksums for PII that survived scrubbing."""

from __future__ import annotations

import re
from typing import Callable

from llmops.pii.checksums import cn_resident_id_valid, iban_valid, luhn_valid
from llmops.pii.config import PLACEHOLDER_RE
from llmops.pii.impersonal import impersonal_email

_NOT_IN_ID_BEFORE = r"(?<![\w+\-/.])"
_NOT_IN_ID_AFTER = r"(?![\w\-/]|\.\d)"


def _digit_count_between(low: int, high: int) -> Callable[[str], bool]:
    """Validator: the match holds between low and high digits."""
    return lambda s: low <= sum(c.isdigit() for c in s) <= high


def _ssn_valid(value: str) -> bool:
    """SSA never issues area 000, 666 or 9xx, group 00 or serial 0000."""
    area, group, serial = value.split("-")
    return area not in {"000", "666"} and area[0] != "9" and group != "00" and serial != "0000"


_RESIDUAL_CHECKS: dict[str, tuple[re.Pattern[str], Callable[[str], bool]]] = {
    "EMAIL_ADDRESS": (
        re.compile(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b"),
        lambda s: not impersonal_email(s),  # the scrubber's own rule: role, list, placeholder
    ),
    "PHONE_NUMBER": (
        re.compile(
            _NOT_IN_ID_BEFORE
            + r"(?:\+\d{1,3}[ .-]?(?:\(\d{1,4}\)[ .-]?)?\d{1,4}(?:[ .-]?\d{2,4}){1,4}"
            r"|\(\d{3}\)[ .]?\d{3}[ .-]\d{4}|\d{3}[.-]\d{3}[.-]\d{4}|1[3-9]\d{9})"
            + _NOT_IN_ID_AFTER
        ),
        _digit_count_between(8, 15),
    ),
    "CREDIT_CARD": (
        re.compile(_NOT_IN_ID_BEFORE + r"[2-6]\d{3}(?:[ -]?\d){9,15}" + _NOT_IN_ID_AFTER),
        lambda s: _digit_count_between(13, 19)(s) and luhn_valid(s),
    ),
    "IBAN_CODE": (
        re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b"),
        # The optional trailing group may have swallowed a following word: try without it too.
        lambda s: iban_valid(s) or iban_valid(s.rsplit(" ", 1)[0]),
    ),
    "US_SSN": (
        re.compile(_NOT_IN_ID_BEFORE + r"\d{3}-\d{2}-\d{4}" + _NOT_IN_ID_AFTER),
        _ssn_valid,
    ),
    "CN_RESIDENT_ID": (
        re.compile(r"(?<![\w\-])\d{17}[\dXx](?![\w\-])"),
        cn_resident_id_valid,
    ),
}


def find_residual_pii(text: str) -> dict[str, list[str]]:
    """High-precision regex/checksum scan for PII that survived scrubbing; {} when clean.

    Independent of Presidio so the quality gate is a second opinion, not the scrubber grading
    itself. Typed placeholders (<PHONE_NUMBER_1>) are ignored.
    """
    text = PLACEHOLDER_RE.sub(" ", text)
    found: dict[str, list[str]] = {}
    for entity, (pattern, is_valid) in _RESIDUAL_CHECKS.items():
        hits = [m.group() for m in pattern.finditer(text) if is_valid(m.group())]
        if hits:
            found[entity] = hits
    return found
