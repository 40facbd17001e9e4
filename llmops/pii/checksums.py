"""Check digits that tell a real identifier from a number of the same shape."""

from __future__ import annotations

_CN_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_CN_ID_CHECK_CHARS = "10X98765432"


def cn_resident_id_valid(value: str) -> bool:
    """ISO 7064 MOD 11-2 check digit of an 18-character PRC resident identity number."""
    value = value.upper()
    if len(value) != 18 or not value[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(value[:17], _CN_ID_WEIGHTS))
    return _CN_ID_CHECK_CHARS[total % 11] == value[17]


def luhn_valid(value: str) -> bool:
    """Luhn checksum over the digits of value (payment card numbers)."""
    digits = [int(c) for c in value if c.isdigit()]
    total = sum(digits[-1::-2]) + sum(sum(divmod(2 * d, 10)) for d in digits[-2::-2])
    return bool(digits) and total % 10 == 0


def iban_valid(value: str) -> bool:
    """ISO 13616 mod-97 check of an IBAN, spaces allowed."""
    compact = value.replace(" ", "").upper()
    if not 15 <= len(compact) <= 34 or not compact.isalnum():
        return False
    return int("".join(str(int(c, 36)) for c in compact[4:] + compact[:4])) % 97 == 1
