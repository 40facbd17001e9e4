"""The recognizer set: Presidio's own, narrowed for enterprise support text, plus patterns for names
by position, street addresses, birth dates and Chinese resident ids."""

from __future__ import annotations

import re
import string

import regex
from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from presidio_analyzer.predefined_recognizers import (
    CreditCardRecognizer,
    EmailRecognizer,
    IbanRecognizer,
    PhoneRecognizer,
    SpacyRecognizer,
    UsSsnRecognizer,
)

from llmops.pii.addresses import ADDRESS_CONTEXT, ADDRESS_PATTERNS, POSTCODE_CITY_LINE, STREET_LINE
from llmops.ingest.language import language_of
from llmops.pii import chinese
from llmops.pii.checksums import cn_resident_id_valid
from llmops.pii.config import DENY_LIST_ENTITY, ScrubberConfig
from llmops.pii.fields import DATE, FieldRecognizer
from llmops.pii.impersonal import impersonal_email
from llmops.pii.ip_addresses import HostIpRecognizer
from llmops.pii.names import CALENDAR_WORDS, NAME, NAME_2PLUS, NOT_NAMES, ORG_WORDS, NameListRecognizer, looks_like_name, name_lists

# Case-sensitive on purpose: capitalisation is most of the evidence for names and street names.
_CASE_SENSITIVE = regex.DOTALL | regex.MULTILINE

_ROLE = (
    r"(?i:customer|client|agent|user|caller|requester|reporter|assignee|owner|technician|"
    r"engineer|rep|representative|contact|employee|patient|applicant|driver|manager|supervisor|"
    r"candidate|chair|host|approver|reviewer|recipient|sender|buyer|cardholder|beneficiary|"
    r"payee|guest|tenant|consignee|addressee|attendee|reference|referee|witness|signatory)"
)
_SIGN_OFF = (
    r"(?i:regards|best|cheers|thanks|thank[ \t]+you|sincerely|best[ \t]+wishes|"
    r"kind[ \t]+regards|warm[ \t]+regards|many[ \t]+thanks|yours(?:[ \t]+\w+)?|"
    r"all[ \t]+the[ \t]+best|take[ \t]+care)"
)

# Names in positions where support text puts them; spaCy's small model misses many non-Anglo
# names (or calls them ORG/NORP/GPE), but the position is reliable evidence on its own.
_NAME_PATTERNS = [
    Pattern("role (Name)", rf"(?<=\b{_ROLE}[ \t]*\([ \t]*){NAME}(?=[ \t]*\))", 0.7),
    Pattern("role, Name,", rf"(?<=\b{_ROLE},[ \t]*){NAME_2PLUS}(?=[ \t]*,)", 0.7),
    Pattern(
        "Name (role)",
        rf"{NAME_2PLUS}(?=[ \t]*\((?:{_ROLE}|(?i:on[ \t]+call|lead|intern|cto|ceo|cfo|coo|vp|"
        r"secretary|minutes|note[ \t]+taker|facilitator))\))",
        0.7,
    ),
    Pattern(
        "Chinese label",
        r"(?<=(?:姓名|联系人|客户|申请人|收件人|收货人|经办人|负责人|持卡人)[ \t]*[:：][ \t]*)\p{Han}{2,4}",
        0.7,
    ),
    Pattern(
        "role: Full Name",
        # optional list marker ("- Employee: …", "2) Contact: …") before the label
        rf"(?<=^[ \t]*(?:[-*•][ \t]+|\d+[.)][ \t]+)?(?:\p{{L}}+[ \t]+){{0,2}}{_ROLE}s?[ \t]*:[ \t]*){NAME_2PLUS}"
        r"(?=[ \t]*(?:$|[,;(<|]))",
        0.7,
    ),
    Pattern(
        "name field",
        # "product name:", "host name:" and the like label things, not people.
        r"(?<=\b(?<!(?i:product|company|brand|model|device|host|server|file|app|project|team|"
        r"display|domain|network|package|branch|field|column|org|organization)[ \t])"
        r"(?i:name|full[ \t]+name|account[ \t]+holder|card[ \t]*holder|signed|from|cc|"
        r"(?:bill|ship|deliver|sold|sent|issued|addressed)[ \t]+to|attn|attention)"
        rf"[ \t]*:[ \t]*(?:\r?\n[ \t]*)?){NAME}(?=[ \t]*(?:$|[,;(<|]))",
        0.7,
    ),
    Pattern(
        "done by",
        r"(?<=\b(?i:(?:reported|requested|raised|opened|approved|prepared|submitted|signed|"
        r"reviewed|verified|authori[sz]ed|handled|closed|written|sent)[ \t]+by)[ \t]*:?[ \t]*)"
        rf"{NAME}",
        0.7,
    ),
    Pattern(
        # Every name in "Attendees: A (chair), B and C".
        "name list",
        r"(?<=^[ \t]*(?i:attendees|participants|present|absent|apologies|invitees|cc|to|"
        rf"people|team[ \t]+members)[ \t]*:(?:[^\n]*?(?:\)[ \t]*,?|,|;|\band))?[ \t]*){NAME}"
        r"(?=[ \t]*(?:$|[,;(]|and\b))",
        0.7,
    ),
    Pattern(
        # Chat transcripts: "[14:02] Ana Lima: ..." or "14:02 - Ana Lima: ...".
        "chat speaker",
        r"(?<=^[ \t]*(?:\[[^\]\n]{0,30}\d:\d{2}[^\]\n]{0,12}\]|\(?\d{1,2}:\d{2}(?::\d{2})?(?:[ \t]*[AaPp][Mm])?\)?"
        rf"(?:[ \t]*-)?)[ \t]*\[?){NAME}(?=\]?[ \t]*:)",
        0.7,
    ),
    Pattern(
        # Registers and logs: "15:12  SCHLOSSER, Marko  (Reuter GmbH)  host: ...", "09:30 Ana Lima".
        "timed entry",
        r"(?<=^[ \t]*\d{1,2}:\d{2}(?::\d{2})?[ \t]+)"
        rf"(?:{NAME}|\p{{Lu}}{{2,}}(?:-\p{{Lu}}{{2,}})?,[ \t]+{NAME})(?=[ \t]{{2,}}|[ \t]*\(|[ \t]*$)",
        0.7,
    ),
    Pattern(
        # A name alone on its line, directly above an address, phone or e-mail line (letters,
        # CVs, delivery notes, signatures).
        "contact block",
        rf"(?<=^[ \t]*){NAME_2PLUS}(?=[ \t]*\r?\n[ \t]*(?:\d|(?:Flat|Apt|Unit|Suite|Room|Tel|"
        r"Phone|Mobile|Cell|Email|E-mail)\b|[\w.+\-]+@|\p{Lu}[^\n,]*\d[^\n,]*,[^\n]*\d))",
        0.7,
    ),
    Pattern(
        # A letter's recipient: their name above a street line and a postcode-and-city line.
        "name above address",
        rf"(?<=^[ \t]*){NAME}(?=[ \t]*\r?\n[ \t]*{STREET_LINE}[ \t]*\r?\n[ \t]*{POSTCODE_CITY_LINE})",
        0.7,
    ),
    Pattern(
        # Chat exports that put the time after the speaker: "Napoleone Broggini  18:57".
        "speaker, time",
        r"(?<=^[ \t]*)" rf"{NAME}" r"(?=[ \t]+\d{1,2}:\d{2}(?:[ \t]*[AaPp][Mm])?[ \t]*$)",
        0.7,
    ),
    Pattern(
        # Tickets and passenger lists: "NUUT/PRIIT MR", "GARCIA LOPEZ/ANA MARIA MS".
        "SURNAME/GIVEN title",
        r"(?<![\p{L}/])\p{Lu}{2,}(?:[ \-]\p{Lu}{2,})*/\p{Lu}{3,}(?: \p{Lu}{2,})*?"
        r"(?= ?(?:MR|MRS|MS|MISS|MSTR|DR|CHD|INF)\b)",
        0.7,
    ),
    Pattern(
        "honorific",
        rf"(?<=\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?[ \t]+){NAME}",
        0.7,
    ),
    Pattern(
        "contact verb",
        r"(?<=\b(?i:contact|contacted|ask[ \t]+for|speak[ \t]+(?:to|with)|spoke[ \t]+(?:to|with)|"
        r"talked[ \t]+to|assigned[ \t]+to|escalated[ \t]+to|forwarded[ \t]+to|cc'd|"
        r"chatting[ \t]+with|handed[ \t]+(?:over[ \t]+)?to|reassigned[ \t]+to|"
        rf"on[ \t]+behalf[ \t]+of|my[ \t]+name[ \t]+is|this[ \t]+is)(?::[ \t]*|[ \t]+)){NAME}",
        0.7,
    ),
    Pattern(
        "addressing verb",  # "Tell Priya Raman at ...": two or more name tokens, so "Call Support" stays
        r"(?<=\b(?i:tell|told|ask|asked|call|called|e-?mail|e-?mailed|message|messaged|ping|pinged|notify|"
        r"notified|inform|informed|remind|reminded|thank|thanked|thanks|meet|met|invite|invited|"
        rf"introduce|introduced|cc)[ \t]+){NAME_2PLUS}",
        0.6,
    ),
    Pattern(
        "greeting",
        r"(?<=^[ \t]*(?:Hi|Hello|Hey|Dear|Good[ \t]+(?:morning|afternoon|evening))[ \t]+)"
        rf"{NAME}(?=[ \t]*[,!:]|[ \t]*$)",
        0.7,
    ),
    Pattern(
        "name <e-mail>",
        rf"{NAME}(?=[ \t]*[(<\[][ \t]*(?:mailto:)?[\w.+\-]+@)",
        0.7,
    ),
    Pattern("Chinese honorific", r"\p{Han}{2,3}(?=先生|女士|小姐|老师)", 0.7),
    Pattern(
        "signature",
        rf"(?<={_SIGN_OFF}[ \t]*(?:in[ \t]+advance)?[ \t]*[,!.]?[ \t]*\r?\n(?:[ \t]*\r?\n)?[ \t]*"
        rf"|^[ \t]*(?:--|—|–)[ \t]*){NAME}"
        r"(?=[ \t]*(?:\r?\n|$|,))",
        0.7,
    ),
]

# A date is a birth date only right after a birth cue; plain dates (releases, SLAs) survive.
_DOB_PATTERNS = [
    Pattern(
        "date after birth cue",
        r"(?<=(?:\b(?i:born|d\.?o\.?b\.?|date[ \t]+of[ \t]+birth|birth[ \t]*date|birthday)(?!-)"
        r"|出生日期|出生|生日)"
        rf"[^\n\d]{{0,40}}){DATE}(?!\d)",
        0.85,
    )
]

_CN_ID_PATTERNS = [
    Pattern(
        "PRC resident id",
        # Written whole or grouped 6-8-4 (region, birth date, sequence + check).
        r"(?<![\dA-Za-z])[1-9]\d{5}(?P<sep>[ \t-]?)(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])"
        r"(?:0[1-9]|[12]\d|3[01])(?P=sep)\d{3}[\dXx](?![\dA-Za-z])",
        0.5,
    )
]

# Presidio's card pattern misses the 4-6-5 grouping of American Express numbers and the
# 2221-2720 Mastercard range; Luhn validation still applies to these.
_EXTRA_CARD_PATTERNS = [
    Pattern("Amex 4-6-5", r"\b3[47]\d{2}[- ]?\d{6}[- ]?\d{5}\b", 0.3),
    Pattern("Mastercard 2-series", r"\b2[2-7]\d{2}(?:[- ]?\d{4}){3}\b", 0.3),
]

# Numbers from regions outside _PHONE_REGIONS in national format ("Phone: 0803 555 0199", "call
# me at 616 503 966") are still phones when a label or verb says so: 8-15 digits right after it.
_LABELLED_PHONE_PATTERNS = [
    Pattern(
        "labelled phone",
        r"(?<=\b(?i:phone|tel|telephone|mobile|cell|fax|whatsapp|wechat|call|ring|reach|sms|text|"
        r"(?:i'?m|i[ \t]+am|we'?re|me|us)[ \t]+(?:at|on)|"
        r"dial|(?:my|your|his|her|their|direct|contact|callback|home|work)[ \t]+(?:number|no\.?|line)"
        r")\b[^\n\d+]{0,15}|(?:手机|手機|电话|電話|联系方式|聯絡方式|座机|座機|行动电话|行動電話)(?:号码|號碼)?[ \t]*[:：]?[ \t]*)"
        r"\(?\+?\(?\d(?:[ .\-()]{0,2}\d){7,14}(?!\d)",
        0.6,
    ),
    # The North American shapes the quality gate's residual scan flags ("555-123-4567", "(555)
    # 123-4567"): example numbers in a manual are scrubbed like real ones, so scrubber and gate agree.
    Pattern(
        "north american shape",
        r"(?<![\w+\-/.])(?:\(\d{3}\)[ .]?\d{3}[ .-]\d{4}|\d{3}[.-]\d{3}[.-]\d{4})(?![\w\-/]|\.\d)",
        0.5,
    ),
    # "+" and a country code are evidence enough, for numbering plans libphonenumber rejects
    # (fictional ranges such as +44 7700 900xxx) and for regions outside _PHONE_REGIONS.
    Pattern(
        "international phone",
        r"(?<![\w+])(?:\+|\(\+)\d{1,3}\)?(?:[ .\-()]{0,3}\d){7,14}(?![\w\-])",
        0.5,
    ),
]
_NAME_PHONE_PATTERNS = [
    # A number alone on a line of a signature block ("--", name, team, number).
    Pattern(
        "signature line",
        r"(?<=^[ \t>]*(?:--|—|–)[ \t]*\r?\n(?:[^\n]*\n){1,3}[ \t>]*)"
        r"\+?\(?\d(?:[ .\-()]{0,2}\d){7,14}(?=[ \t]*$)",
        0.6,
    ),
    # Digits in brackets or after a comma right after a name: "Referee: Jędrzej Melka (792647030)",
    # "| Caleb Sahni, 08018981730 |".
    Pattern(
        "name (phone)",
        r"(?<=\p{Lu}[\p{L}'’\-]*\p{Ll}[ \t]*\()\+?\d(?:[ .\-]?\d){7,14}(?=\))",
        0.6,
    ),
    Pattern(
        "name, phone",
        r"(?<=\p{Lu}[\p{L}'’\-]*\p{Ll},[ \t]*)\+?\(?\d(?:[ .\-()]{0,2}\d){7,14}(?=[ \t]*(?:$|[|;)]))",
        0.6,
    ),
]
_PHONE_REGIONS = ("US", "GB", "CN", "TW", "HK", "DE", "FR", "IN", "CA", "AU")
_PHONE_CONTEXT = PhoneRecognizer.CONTEXT + [
    "tel", "mob", "fax", "whatsapp", "wechat", "reach", "contact", "text", "question", "questions", "at", "ring",
]
# Runs of 7+ digits with phone punctuation (libphonenumber's shortest valid numbers here), and
# the characters around them that its leniency checks look at.
_PHONE_CANDIDATE = re.compile(r"[+(（]?\d(?:[ \t().\-/–]{0,3}\d){6,}")
_PHONE_WINDOW_MARGIN = 8
_DIGIT_GROUP_BEFORE = re.compile(r"\d[ \t]$")
_DIGIT_GROUP_AFTER = re.compile(r"[ \t]\d")
_CN_MOBILE = re.compile(r"1[3-9]\d{9}")
# Grouped like a payment card (4-4-4-4, Amex 4-6-5): longer than any phone number's grouping.
_CARD_SHAPE = re.compile(r"\d{4}([ -])\d{4}\1\d{4}\1\d{4}|\d{4}([ -])\d{6}\2\d{5}")
# Dotted dates and versions that libphonenumber would accept: "01.11.2027", "11.10.25.9255".
_NOT_A_PHONE_SHAPE = re.compile(r"\d{1,2}\.\d{1,2}\.(?:\d{2}|\d{4})|\d+(?:\.\d+){3,}")
# Words that say a bare run of digits is some other number ("unix timestamp 1092941466").
_NOT_A_PHONE_BEFORE = re.compile(
    r"(?i:timestamp|epoch|seconds|milliseconds|bytes|size|offset|serial|pid|uid|gid|inode|checksum|"
    r"port|order|invoice|ticket|account|case|id)\W*$"
)
# An identifier character just before/after a match: the digits belong to ORD-2024-118734 etc.
_ID_CHARS = frozenset("-_/#." + string.ascii_letters + string.digits)

# spaCy labels other than PERSON never leave the NLP engine (see SUPPORTED_ENTITIES for why).
SPACY_LABELS_IGNORED = [
    "ORG", "NORP", "GPE", "LOC", "FAC", "DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY",
    "PERCENT", "QUANTITY", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE",
]
_POSSESSIVE = re.compile(r"['’]s?$")


class _NamePositionRecognizer(PatternRecognizer):
    """PERSON from the position a name takes in support text (see _NAME_PATTERNS)."""

    def invalidate_result(self, pattern_text: str) -> bool:
        """A company or product in a name position ("Bill to: Nordkyn Freight") is no person, nor is
        a phrase with a greeting or function word in it ("Message Of The Day"), nor capitals that
        the name lists do not know ("Bill to: ACME CORP"), nor Chinese words that are not written as
        a Chinese name ("– 主服务器" is a list item; 客户 is no surname in "客户王先生")."""
        if regex.fullmatch(r"\p{Han}+", pattern_text) and not chinese.is_full_name(pattern_text):
            return True
        words = pattern_text.split()
        return (not ORG_WORDS.isdisjoint(words) or not NOT_NAMES.isdisjoint(words)
                or (pattern_text.isupper() and "/" not in pattern_text and not name_lists().capitals_name(pattern_text)))


class _CnResidentIdRecognizer(PatternRecognizer):
    """CN_RESIDENT_ID: an 18-character id whose date is plausible and whose check digit holds."""

    def validate_result(self, pattern_text: str) -> bool:
        """Keep only ids with a valid MOD 11-2 check character."""
        return cn_resident_id_valid(re.sub(r"[ \t-]", "", pattern_text))


class _EmailRecognizer(EmailRecognizer):
    """E-mail by shape alone: intranet domains (corp.local, *.internal) are not public TLDs."""

    def validate_result(self, pattern_text: str) -> bool:
        """Presidio checks the TLD against the public-suffix list; any dotted domain with a
        letters-only top level counts here ("compressBound@ZLIB_1.2.0" is a symbol version), unless
        the address reaches a role, a list or no one (`impersonal_email`)."""
        domain = pattern_text.rpartition("@")[2]
        return "." in domain and domain.rsplit(".", 1)[1].isalpha() and not impersonal_email(pattern_text)


class _PhoneRecognizer(PhoneRecognizer):
    """libphonenumber matching at VALID leniency, minus digits that are part of an identifier."""

    # A bare digit run is a phone number only with a context word nearby (Presidio adds the
    # context boost to this score), except for the 11-digit CN mobile, always written bare.
    BARE_DIGITS_SCORE = 0.1

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Drop matches glued to ids (INV-88213409, ORD-2024-118734) or to more digit groups
        (a card-shaped "4954 4595 5734 8106"); demote bare digit runs ("case 08806954").

        libphonenumber runs once per region over the whole text, which made it the slowest
        recognizer; it only sees the runs that hold enough digits to be a phone number here.
        """
        kept = []
        for r in self._match_candidates(text, entities, nlp_artifacts):
            if (
                (r.start > 0 and text[r.start - 1] in _ID_CHARS)
                or (r.end < len(text) and text[r.end] in _ID_CHARS - {"."})
                or _DIGIT_GROUP_BEFORE.search(text, 0, r.start)
                or _DIGIT_GROUP_AFTER.match(text, r.end)
                or _CARD_SHAPE.fullmatch(text, r.start, r.end)
                or _NOT_A_PHONE_SHAPE.match(text, r.start, r.end)
            ):
                continue
            if text[r.start : r.end].isdigit() and not _CN_MOBILE.fullmatch(text[r.start : r.end]):
                if _NOT_A_PHONE_BEFORE.search(text, max(r.start - 30, 0), r.start):
                    continue
                r.score = min(r.score, self.BARE_DIGITS_SCORE)
            kept.append(r)
        return kept

    def _match_candidates(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None
    ) -> list[RecognizerResult]:
        """Presidio's matching on each digit-rich window, with offsets into the whole text."""
        results = []
        for candidate in _PHONE_CANDIDATE.finditer(text):
            start = max(candidate.start() - _PHONE_WINDOW_MARGIN, 0)
            window = text[start : candidate.end() + _PHONE_WINDOW_MARGIN]
            for r in super().analyze(window, entities, nlp_artifacts):
                r.start, r.end = r.start + start, r.end + start
                results.append(r)
        return EntityRecognizer.remove_duplicates(results)


# The spaCy PERSON recognizer's name: the scrubber treats its one-word guesses as too weak to propagate.
PERSON_NER_NAME = "SpacyPersonRecognizer"


# A lone "Fri" or "Mar" is a date; in a full name ("Sun Jiahui") the word is a name.
_CALENDAR_ABBREVIATIONS = frozenset("Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Mon Tue Wed Thu Fri Sat Sun".split())


class _PersonNerRecognizer(SpacyRecognizer):
    """spaCy PERSON, without the small model's misfires on codes, hosts and placeholders."""

    NER_SCORE = 0.65

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Cut a trailing possessive ("Wei Zhang's"), keep name-shaped proper-noun spans only.

        The proper-noun test drops sentence-initial common words the small model calls PERSON
        ("Meter", "Glad"); the neighbour test drops the first word of a company or product
        ("Veltro" in "Veltro Payments"); all-capital words are acronyms or keywords of a manual
        ("JSON", "BLOB", "WAN IP"), not a name.
        """
        if language_of(text) in ("zh", "mixed"):  # an English model reads Latin words in Chinese text as names
            return []
        kept = []
        for result in super().analyze(text, entities, nlp_artifacts):
            possessive = _POSSESSIVE.search(text, result.start, result.end)
            if possessive:
                result.end = possessive.start()
            span = nlp_artifacts.tokens.char_span(result.start, result.end, alignment_mode="expand")
            following = span.doc[span.end].text if span.end < len(span.doc) else ""
            value = text[result.start : result.end]
            if (
                looks_like_name(value)
                and "  " not in value and "\t" not in value  # two columns or fields, not one name
                and not value.isupper()  # JSON, BLOB, "WAN IP": acronyms and keywords
                and value not in CALENDAR_WORDS and value not in _CALENDAR_ABBREVIATIONS
                and value not in name_lists().places  # "Tampere", "Porto Alegre"
                and following not in ORG_WORDS
                and all(token.tag_ in ("NNP", "NNPS") for token in span if token.is_alpha)
            ):
                # Below the position and field patterns (0.7+): when both find the same span, the
                # pattern's result is the one kept, and it is not subject to the corpus-term check.
                result.score = min(result.score, self.NER_SCORE)
                kept.append(result)
        return kept


def build_recognizers(config: ScrubberConfig) -> list[EntityRecognizer]:
    """The full recognizer set; which entities run is decided per analyze call."""
    lang = config.language
    recognizers: list[EntityRecognizer] = [
        _PersonNerRecognizer(
            supported_language=lang, supported_entities=["PERSON"], name=PERSON_NER_NAME
        ),
        _NamePositionRecognizer(
            "PERSON",
            name="NamePositionRecognizer",
            supported_language=lang,
            patterns=_NAME_PATTERNS,
            global_regex_flags=_CASE_SENSITIVE,
        ),
        FieldRecognizer(supported_language=lang),
        NameListRecognizer(supported_language=lang),
        _EmailRecognizer(supported_language=lang),
        _PhoneRecognizer(
            supported_language=lang,
            supported_regions=_PHONE_REGIONS,
            leniency=2,  # VALID: at POSSIBLE, "2024-118734" in ORD-2024-118734 is a US number
            context=_PHONE_CONTEXT,
        ),
        PatternRecognizer(
            "PHONE_NUMBER",
            name="LabelledPhoneRecognizer",
            supported_language=lang,
            patterns=_LABELLED_PHONE_PATTERNS,
        ),
        PatternRecognizer(
            "PHONE_NUMBER",
            name="NamePhoneRecognizer",
            supported_language=lang,
            patterns=_NAME_PHONE_PATTERNS,
            global_regex_flags=_CASE_SENSITIVE,
        ),
        CreditCardRecognizer(
            supported_language=lang, patterns=CreditCardRecognizer.PATTERNS + _EXTRA_CARD_PATTERNS
        ),
        IbanRecognizer(supported_language=lang),
        UsSsnRecognizer(supported_language=lang),
        _CnResidentIdRecognizer(
            "CN_RESIDENT_ID",
            name="CnResidentIdRecognizer",
            supported_language=lang,
            patterns=_CN_ID_PATTERNS,
            context=["身份证", "identity", "resident", "citizen", "id"],
        ),
        HostIpRecognizer(supported_language=lang),
        PatternRecognizer(
            "STREET_ADDRESS",
            name="StreetAddressRecognizer",
            supported_language=lang,
            patterns=ADDRESS_PATTERNS,
            context=ADDRESS_CONTEXT,
            global_regex_flags=_CASE_SENSITIVE,
        ),
        PatternRecognizer(
            "DATE_OF_BIRTH",
            name="DateOfBirthRecognizer",
            supported_language=lang,
            patterns=_DOB_PATTERNS,
            global_regex_flags=_CASE_SENSITIVE,
        ),
    ]
    recognizers += chinese.recognizers(lang)
    if config.deny_list:
        recognizers.append(
            PatternRecognizer(
                DENY_LIST_ENTITY,
                name="DenyListRecognizer",
                supported_language=lang,
                deny_list=config.deny_list,
            )
        )
    return recognizers
