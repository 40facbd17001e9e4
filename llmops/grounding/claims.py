"""What a sentence claims, in the terms a lexical check can hold it to: the numbers it states, whether
it is negated, the named items it mentions and its content words. English and Chinese (Chinese has
no spaces: its content units are character bigrams)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from llmops.ingest.language import HAN_RANGES

# A sentence ends at . ! ? followed by space, at Chinese 。！？； , after a citation marker ("[2]"), at a
# blank line, and at a line break before a list item, heading, quote or table row. Other line breaks
# are soft wraps inside a sentence (manuals converted from HTML or PDF are full of them).
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)|(?<=[。！？；])|(?<=\[\d\])\s+|(?<=\[\d\d\])\s+|\n\s*\n\s*|"
                           r"\n(?=\s*(?:[-*•+]\s|\d{1,2}[.)]\s|#{1,6}\s|>|\|))")
_LIST_MARK = re.compile(r"^\s*(?:[-*•+]\s+|\d{1,2}[.)]\s+|#{1,6}\s+|>\s*)")
_CITATION_MARK = re.compile(r"\s*\[\d{1,2}\](?:\[\d{1,2}\])*")
# "e.g. the", "Dr. Smith", "No. 5": a full stop after these does not end a sentence.
_ABBREVIATIONS = frozenset("e.g i.e etc vs dr mr mrs ms prof no nr approx fig cf st inc ltd co".split())
_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(?:([.:])(\d+))*")
_NUMBER_WORDS = {w: str(n) for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())} | {"thirty": "30", "forty": "40", "fifty": "50", "sixty": "60",
                                                      "ninety": "90", "hundred": "100", "half": "0.5"}
_NUMBER_WORD = re.compile(r"\b(" + "|".join(_NUMBER_WORDS) + r")\b", re.I)
_WORD = re.compile(rf"[^\W\d_{HAN_RANGES}][\w'’\-]*|\d[\w\-]*|[{HAN_RANGES}]+")
_NEGATIONS = frozenset(
    "not no never cannot can't cant don't dont doesn't doesnt didn't isn't aren't wasn't weren't won't wouldn't "
    "shouldn't mustn't couldn't hasn't haven't hadn't nor neither none nothing nobody without".split())
_CJK_NEGATIONS = re.compile("[不没無无未勿别]|禁止|非")
_STOPWORDS = frozenset(
    "a an the and or but if then than so as at by for from in into of on onto to with within about over under "
    "is are was were be been being am do does did done have has had having can could may might must shall should "
    "will would it its this that these those there here which who whom whose what when where why how i me my we us "
    "our you your yours he him his she her they them their also any all each every some such only just very more "
    "most other others same own both per via up out off too again further once yes okay ok please much many".split())
_CLITIC = re.compile(r"['’](?:s|m|re|ll|ve|d)$")  # "what's", "Lumora's", "I'm": the word without it
_CJK_STOP = frozenset("的了是在和与及或也就都而之")


@dataclass(frozen=True)
class Sentence:
    """A sentence of a text and where it is (character offsets into the text)."""

    text: str
    start: int
    end: int
    list_item: bool = False


def sentences(text: str) -> list[Sentence]:
    """The sentences of ``text`` with their offsets; list items and headings are sentences of their own."""
    found, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        if match.start() > start and _ends_with_abbreviation(text[start:match.start()]):
            continue
        found.extend(_sentence(text, start, match.start()))
        start = match.end()
    found.extend(_sentence(text, start, len(text)))
    return found


def _ends_with_abbreviation(chunk: str) -> bool:
    """Whether the full stop ending ``chunk`` belongs to an abbreviation or a list number ("2. Open ...")."""
    line = chunk.rsplit("\n", 1)[-1].strip()
    last = line.rsplit(None, 1)[-1] if line else ""
    return bool(re.fullmatch(r"\d{1,2}\.", line)) or (last.endswith(".") and last[:-1].casefold().strip("(") in _ABBREVIATIONS)


def _sentence(text: str, start: int, end: int) -> list[Sentence]:
    raw = text[start:end]
    stripped = raw.strip()
    if not stripped:
        return []
    offset = start + raw.index(stripped)
    mark = _LIST_MARK.match(stripped)
    return [Sentence(stripped, offset, offset + len(stripped), bool(mark) and not stripped.lstrip().startswith("#"))]


def clean(text: str) -> str:
    """The text as claims are read from it: NFKC, citation markers ("[2]") and list marks removed."""
    text = _CITATION_MARK.sub("", unicodedata.normalize("NFKC", text))
    return _LIST_MARK.sub("", text).replace("’", "'")


def numbers(text: str) -> frozenset[str]:
    """Numbers stated in ``text``, normalized so that "6,000", "6000" and "six thousand"'s digits
    compare equal: thousands separators dropped, ".00" decimals dropped, times as H:MM, small
    number words as digits."""
    text = _NUMBER_WORD.sub(lambda m: _NUMBER_WORDS[m.group(1).lower()], clean(text))
    found = set()
    for match in _NUMBER.finditer(text):
        value = match.group(0).replace(",", "") if "," in match.group(1) else match.group(0)
        if re.fullmatch(r"\d{1,2}:\d{2}", value):
            hours, minutes = value.split(":")
            value = f"{int(hours)}:{minutes}"
        elif re.fullmatch(r"\d+\.0+", value):
            value = value.split(".")[0]
        found.add((value.lstrip("0") or "0") if value.isdigit() else value)
    return frozenset(found)


def negated(text: str) -> bool:
    """Whether the sentence is negated (an odd number of negations: "not without" is not negated)."""
    words = [w.casefold() for w in _WORD.findall(clean(text))]
    count = sum(w in _NEGATIONS or w.endswith("n't") for w in words)
    count += sum(len(_CJK_NEGATIONS.findall(w)) for w in words if _is_cjk(w))
    return count % 2 == 1


def content_words(text: str) -> frozenset[str]:
    """Stemmed words that carry meaning (no stop words, no numbers); Chinese as character bigrams."""
    units = set()
    for word in _WORD.findall(clean(text)):
        if _is_cjk(word):
            chars = [c for c in word if c not in _CJK_STOP]
            units.update(a + b for a, b in zip(chars, chars[1:]))
            units.update(chars if len(chars) == 1 else ())
            continue
        folded = _CLITIC.sub("", word.casefold()).strip("'-")
        if folded and not folded[0].isdigit() and folded not in _STOPWORDS and folded not in _NEGATIONS:
            units.add(_stem(folded))
    return frozenset(units)


def named_items(text: str) -> frozenset[str]:
    """Names and identifiers the sentence mentions: capitalised words past its first word, words in
    capitals, and codes mixing letters and digits ("LM-BAT-B10"), case-folded."""
    words = _WORD.findall(clean(text))
    items = set()
    for i, word in enumerate(words):
        word = word.strip("'-")
        if not word or _is_cjk(word):
            continue
        code = any(c.isdigit() for c in word) and any(c.isalpha() for c in word)
        capital = word[0].isupper() and i > 0 and word.casefold() not in _STOPWORDS
        if code or capital or (len(word) > 1 and word.isupper()):
            items.add(word.casefold())
    return frozenset(items)


@lru_cache(maxsize=1)
def _porter():
    from nltk.stem.porter import PorterStemmer

    return PorterStemmer()


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return _porter().stem(word)


def _is_cjk(word: str) -> bool:
    return bool(word) and "\u3400" <= word[0] <= "\ufaff" and bool(re.match(f"[{HAN_RANGES}]", word[0]))
