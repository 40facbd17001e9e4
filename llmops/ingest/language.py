"""Which language a text is in, as far as the chain needs to know: Chinese, English (Latin
script), both, or neither. Counted on characters, not guessed by a model: a Chinese passage is a
run of Han characters, and a mixed one carries English terms between them, which is what Chinese
office documents look like."""

from __future__ import annotations

import re

LANGUAGES = ("en", "zh", "mixed", "other")
# Han characters (CJK unified ideographs, extension A, compatibility), as a character-class body
HAN_RANGES = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN = re.compile(f"[{HAN_RANGES}]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
# A text is mixed when the smaller script holds at least this share of its words (a Han
# character counts as a word): a product name or two in Chinese prose does not make it mixed.
MIXED_SHARE = 0.2


def language_of(text: str) -> str:
    """``zh``, ``en``, ``mixed`` or ``other`` (no Han characters and no Latin words)."""
    han = len(_HAN.findall(text))
    latin = len(_LATIN_WORD.findall(text))
    if not han and not latin:
        return "other"
    if min(han, latin) >= MIXED_SHARE * (han + latin):
        return "mixed"
    return "zh" if han > latin else "en"
