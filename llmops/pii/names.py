"""What a person's name looks like, and what looks like one but is not: the name shapes the position
patterns and field values share, the words that never start a name, and company names (legal forms,
partnerships) whose surnames are no person."""

from __future__ import annotations

import functools
import gzip
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import regex
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

# Capitalised words that open sentences, greetings, requests ("Ask Sun Jiahui (...)") and team
# names rather than names: they never start a name-position match, and a spaCy PERSON span
# containing one is a misfire ("Cheers", "Customer" at the start of a chat line).
NOT_NAMES = frozenset(
    "The Our Your This That Team Support Sales Customer Customers Service Services Billing Help "
    "Helpdesk Hello Hi Hey Thanks Thank Dear Please Sorry Yes No Ok Okay All Everyone Sir Madam "
    "Tier Level Engineering Legal Finance Security Product Manager Admin Operations Agent Bot "
    "Cheers Regards Best Sincerely Kind Warm Many Wishes Ask Contact Email Call Write Ping Message "
    "Reach Send Questions Tel Phone Mobile Fax Mail Address Subject Ref Note Notes Date Time "
    "Of And For With In On At To By From".split()
)
# Words that end (or make up) company, product and team names: a span holding one is not a person
# ("Nordkyn Freight", "Corvid Mesh Node", "Warehouse Ops"), however sure the small model is.
ORG_WORDS = frozenset(
    "Inc Ltd LLC GmbH AG SA BV Plc Corp Corporation Co Company Group Holdings Partners Bank "
    "Systems Solutions Technologies Technology Tech Labs Lab Analytics Logistics Freight "
    "Payments Pay Consulting Software Networks Network Industries Services Capital Ventures "
    "Media Digital Global International Foods Energy Motors Airlines Insurance Pharma Health "
    "Ops Desk Squad Department Dept Office Division Unit Center Centre Warehouse Store Shop "
    "Hub Node Gateway Router Switch Sensor Dock Reader Vault Cam Camera Mesh Edge Cloud Server "
    "Station Monitor Controller Module Panel Portal App Suite Platform Engine Kit Pro Mini "
    "Plus Lite Ultra Air Series Edition Studio Console Tracker Badge Scanner Printer Hotspot "
    "Bridge Beacon Relay Lock Thermostat Speaker Display Drive Cable Adapter Charger".split()
)
# Job titles and departments, which forms list beside names ("A. Albu, Registered Nurse").
JOB_WORDS = frozenset(
    "Nurse Registered Officer Director Engineer Analyst Specialist Coordinator Assistant Consultant "
    "Adjuster Clerk Administrator Accountant Developer Architect Designer Technician Supervisor "
    "Representative Executive President Vice Treasurer Intern Trainee Associate Advisor Adviser "
    "Auditor Controller Inspector Surveyor Physician Therapist Pharmacist Counsel Lawyer Attorney "
    "Paralegal Recruiter Planner Operator Dispatcher Cashier Receptionist Head Chief Senior Junior "
    "Principal Staff Lead Ophthalmology Cardiology Radiology Oncology Pediatrics Paediatrics "
    "Dermatology Neurology Orthopaedics Orthopedics Surgery Clinic Procurement Treasury Payroll "
    "Accounts Marketing Compliance Audit Facilities Research Development Claims Underwriting "
    "Handling Human Resources Imaging Timesheets Scheduler Ledger Insights CRM ERP Physiotherapist "
    "Talent Acquisition Logistics Operations Sales Support Finance Legal Security".split()
)
NAME_STOP = rf"(?!(?:{'|'.join(sorted(NOT_NAMES))})\b)"
# A name token: capitalised word with a lower-case letter (so acronyms like SSN/UK/IBAN are not
# names), hyphens and apostrophes allowed (Al-Sayed, O'Neil), or an initial; or 2-4 Han characters.
NAME_TOKEN = r"(?:\p{Lu}[\p{L}'’\-]*\p{Ll}[\p{L}'’\-]*|\p{Lu}\.)"
NAME_PARTICLE = r"(?:van|von|de|da|der|den|del|di|du|la|le|bin|binti|al|ibn|ben)"
# A name in capitals ("GELU SUCIU"); what finds one checks it against the name lists
# (`NameLists.capitals_name`), since acronyms are written so too.
CAPS_NAME = r"\p{Lu}{2,}(?:[ \-]\p{Lu}{2,}){1,3}"
NAME = (
    rf"(?:{CAPS_NAME}|{NAME_STOP}{NAME_TOKEN}(?:[ \t]+(?:{NAME_PARTICLE}[ \t]+){{0,2}}{NAME_TOKEN}){{0,3}}"
    r"|\p{Han}{2,4})"
)
NAME_2PLUS = rf"(?:{CAPS_NAME}|{NAME_STOP}{NAME_TOKEN}(?:[ \t]+(?:{NAME_PARTICLE}[ \t]+){{0,2}}{NAME_TOKEN}){{1,3}})"


# Months and weekdays: "Born September 8", "April 2024" are dates, though April and June are names too.
CALENDAR_WORDS = frozenset(
    "January February March April May June July August September October November December "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
)
_FILE_NAME = re.compile(r"\.[^\W\d_]*[a-z]")  # "Makefile.in", "README.md": initials are "J.R."
# "OptionLong", "GetValue": identifiers. Names capitalise inside only after a prefix ("McDonald", "LaToya").
_CAMEL_CASE = regex.compile(r"(?<![\p{L}'’])(?!(?:Mc|Mac|De|Di|Da|Du|La|Le|Van|Von|Fitz)\p{Lu})\p{Lu}?\p{Ll}+\p{Lu}")
_NAME_SHAPE = re.compile(r"[^\W\d_](?:[^\W\d_]|[.'’ \-])*")


def looks_like_name(value: str) -> bool:
    """Capitalised letters/spaces/dots/hyphens/apostrophes, no digits, no greeting or team word."""
    return (
        bool(_NAME_SHAPE.fullmatch(value))
        and value[0].isupper()
        and not _FILE_NAME.search(value)
        and not _CAMEL_CASE.search(value)
        and NOT_NAMES.isdisjoint(value.split())
        and ORG_WORDS.isdisjoint(value.split())
        and JOB_WORDS.isdisjoint(value.split())
    )


# Legal forms that end a company name, in the languages enterprise records are written in.
_LEGAL_FORMS = "|".join(sorted((
    r"Inc|Ltd|LLC|LLP|L\.L\.C|PLC|Plc|Corp|Co|Pty|Pvt|Limited|GmbH|gGmbH|AG|KG|KGaA|OHG|GbR|UG|SE|"
    r"e\.[ \t]?K|e\.[ \t]?V|e\.[ \t]?G|eG|SA|S\.A|SAS|S\.A\.S|SARL|S\.A\.R\.L|S\.à[ \t]r\.l|EURL|SNC|"
    r"S\.L|S\.L\.U|S\.L\.N\.E|S\.Coop|S\.Com|S\.C|SpA|S\.p\.A|SPA|S\.r\.l|s\.r\.l|Srl|S\.n\.c|"
    r"Sp\.[ \t]?z[ \t]?o\.[ \t]?o|Sp\.[ \t]?k|Sp\.[ \t]?j|s\.c|s\.r\.o|a\.s|v\.o\.s|Kft|Zrt|Nyrt|"
    r"Oy|Oyj|AB|HB|KB|A/S|ApS|AS|ASA|BV|B\.V|NV|N\.V|VOF|Ltda|LTDA|S/A|EIRELI|A\.Ş|Şti|K\.K|"
    r"Sdn[ \t]Bhd|Bhd|JSC|OOO|Group|Groep|Gruppe|Groupe|Gruppo|Grupo|Grupa|Holding|Holdings|"
    r"PFA|SRL|S\.R\.L|d\.d|d\.o\.o|UAB|OÜ|SIA|Bt|PT|Tbk|C\.V|OOD|EOOD|AD|ehf|hf|AE|EPE|IKE"
).split("|"), key=len, reverse=True))  # "S.L.N.E" before "S.L"
# Family businesses: "Trincavelli e figli", "Tyczka i syn", "Jonker & Sons".
_FAMILY_FORMS = (
    r"e[ \t]+figli|i[ \t]+syn(?:owie)?|(?:&|and)[ \t]+(?:Sons|Co\.?|Cie\.?|Søn|Sønner|Son)|y[ \t]+asociados|e[ \t]+associati|"
    r"et[ \t]+fils|(?:&|und)[ \t]+Söhne|en[ \t]+Zonen|e[ \t]+hijos|y[ \t]+hermanos"
)
# Words that open a company name: co-operatives, associations, groups, royal warrants.
_ORG_PREFIXES = (
    r"Spółdzielnia|Stowarzyszenie|Fundacja|PPUH|PHU|FHU|Koninklijke|Royal|Gruppo|Groupe|Grupo|Grupa|"
    r"Fundación|Fondation|Stiftung|Société|Compagnie|Établissements|Inmobiliaria|Transportes|"
    r"Soluciones|Industrias|Comercial|Construcciones|Laboratorios|Banco|Banca|Cabinet"
)
_ORG_TOKEN = r"\p{Lu}[\p{L}'’.]*(?:-\p{Lu}[\p{L}'’.]*)*"
_ORG_JOIN = r"(?:[ \t]+(?:(?:y|e|i|and|&|und|et|van|der|den|de|del|la|di|die|du)[ \t]+)*|-)"
_ORG_RUN = rf"{_ORG_TOKEN}(?:{_ORG_JOIN}{_ORG_TOKEN}){{0,5}}"
# "Harding, Boyle and Faulkner": three one-word surnames, the way firms of partners are named.
_PARTNERS = rf"{_ORG_TOKEN},[ \t]+{_ORG_TOKEN},?[ \t]+(?:and|&|e|y|und|et|i)[ \t]+{_ORG_TOKEN}"
_ORGANISATION = regex.compile(
    rf"(?:(?:{_ORG_PREFIXES})[ \t]+)?(?:{_PARTNERS}|{_ORG_RUN})"
    rf"(?:,?[ \t]+(?:{_FAMILY_FORMS}))?(?:,?[ \t]+(?:{_LEGAL_FORMS})\.?)+(?![\p{{L}}\d])"
    rf"|(?:{_ORG_PREFIXES})[ \t]+(?:(?:van|der|den|de|die|la|di)[ \t]+)*{_ORG_RUN}"
    rf"|(?:{_PARTNERS}|{_ORG_RUN})[ \t]+(?:{_FAMILY_FORMS})(?![\p{{L}}])"
)


# A list of people is announced: "Present: A, B and C", "Thanks A, B and C".
_PEOPLE_CUE = regex.compile(r"(?:[:：]|\b(?i:hi|hello|hey|dear|thanks|thank[ \t]+you|cc|and|with|by))[ \t,]*\Z")
_BARE_PARTNERS = regex.compile(rf"(?<![\p{{L}}\d]|,[ \t]*){_PARTNERS}(?![\p{{L}}\d]|,[ \t]*\p{{Lu}})")


def organisation_spans(text: str) -> list[tuple[int, int]]:
    """Company names by their legal form, opening word or family-business ending: a person's name
    inside one ("Matilde Pérez Escolano S.L.", "Tyczka i syn") is the company's, not a person. Three
    one-word names in a row name a firm of partners ("Okafor, Lindqvist and Moreau") unless a label
    or a greeting announces them as people ("Present: Anna, Ben and Carl")."""
    spans = [m.span() for m in _ORGANISATION.finditer(text)]
    for match in _BARE_PARTNERS.finditer(text):
        if not _PEOPLE_CUE.search(text[max(0, match.start() - 40) : match.start()]):
            spans.append(match.span())
    return spans


# Separators between the names of a list: after "/", "->", "&" even a lone given name is one of them
# ("Napoleone & Jason"); after a comma or "and" only a full name is ("Present: A B, C D and E F").
_JOIN = r"(?:[ \t]*(?P<strong>/|->|→|=>|&|\+)|[ \t]*[,;]|[ \t]+(?:and|und|et|y|e|i|og|och|en|ve))"
_JOINED_AFTER = regex.compile(rf"{_JOIN}[ \t]+(?P<name>{NAME})")
_JOINED_BEFORE = regex.compile(rf"(?P<name>{NAME}){_JOIN}[ \t]*\Z")
_LOOK_BEHIND = 80


def joined_names(text: str, people: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans of the names joined to known ones ("Owners: A B / C D", "A -> B -> C", "Napoleone &
    Jason"), followed along the list in both directions; the known spans themselves excluded."""
    known = set(people)
    todo = list(people)
    found: list[tuple[int, int]] = []
    while todo:
        start, end = todo.pop()
        neighbours = []
        after = _JOINED_AFTER.match(text, end)
        if after:
            neighbours.append((after, after.start("name"), after.end("name")))
        before = _JOINED_BEFORE.search(text[max(start - _LOOK_BEHIND, 0) : start])
        if before:
            offset = max(start - _LOOK_BEHIND, 0)
            neighbours.append((before, before.start("name") + offset, before.end("name") + offset))
        for match, n_start, n_end in neighbours:
            name = match.group("name")
            if (n_start, n_end) in known or not looks_like_name(name) or (
                    name.isupper() and not name_lists().capitals_name(name)):
                continue
            if match.group("strong") is None and len(name.split()) < 2:
                continue
            known.add((n_start, n_end))
            found.append((n_start, n_end))
            todo.append((n_start, n_end))
    return found


_NAME_LISTS = Path(__file__).with_name("name_lists")  # built by name_lists/make*.py, see its README


@dataclass(frozen=True)
class NameLists:
    """First names and surnames of many countries (Latin script), those that are also words, and
    place names ("New York" is a given name and a surname by the lists)."""

    given: frozenset[str]
    surnames: frozenset[str]
    ambiguous: frozenset[str]
    places: frozenset[str]

    def capitals_name(self, value: str) -> bool:
        """A name written in capitals ("MARY MAYNARD"): a listed name among its words and none that
        is also a common or business word, since capitals are also how acronyms and teams are
        written ("IT OPS", "NEW PROCESS")."""
        words = [w.title() for w in regex.split(r"[ \-]+", value.replace(",", " ")) if w]
        return any(w in self.given or w in self.surnames for w in words) and not any(
            w in self.ambiguous or w in NOT_NAMES or w in ORG_WORDS or w in JOB_WORDS for w in words)

    def full_name(self, words: Sequence[str]) -> bool:
        """A given name and a surname, in either order, not both also common words ("Will Long")."""
        if len(words) < 2 or not (NOT_NAMES.isdisjoint(words) and ORG_WORDS.isdisjoint(words)
                                  and CALENDAR_WORDS.isdisjoint(words) and JOB_WORDS.isdisjoint(words)):
            return False
        if " ".join(words) in self.places:
            return False
        first, last = words[0].title(), words[-1].title()
        in_order = (first in self.given and last in self.surnames) or (first in self.surnames and last in self.given)
        return in_order and not (first in self.ambiguous and last in self.ambiguous)


@functools.cache
def name_lists() -> NameLists:
    """The shipped lists, loaded once per process (about 0.1 s, 25 MB)."""

    def read(name: str) -> frozenset[str]:
        with gzip.open(_NAME_LISTS / name, "rt", encoding="utf-8") as handle:
            return frozenset(line.rstrip("\n") for line in handle if line.strip())

    return NameLists(read("given.txt.gz"), read("surnames.txt.gz"), read("ambiguous.txt.gz"), read("places.txt.gz"))


_TITLE_WORD = r"\p{Lu}\p{Ll}+(?:[-'’]\p{Lu}?\p{Ll}+)*"
_CANDIDATE = regex.compile(  # words one space apart: two spaces or a tab separate columns and fields
    rf"(?<![\p{{L}}\d'’\-]){_TITLE_WORD}(?: (?:{NAME_PARTICLE} ){{0,2}}{_TITLE_WORD}){{1,4}}(?![\p{{L}}\d])"
)


# A lone given name with a possessive ("bring Mary's booklet"): people own things, terms rarely do.
# Not after another capitalised word: "Debian Edu's", "Apple Pay's" name products, and a listed
# "Given Surname's" is found as a full name below.
_POSSESSIVE_NAME = regex.compile(rf"(?<![\p{{L}}\d'’\-])(?<!\p{{Lu}}\p{{L}}*[ \t])({_TITLE_WORD})(?=['’]s\b)")


def listed_names(text: str, lists: NameLists) -> Iterator[tuple[int, int]]:
    """Spans of "Given Surname" (or "Surname Given") runs of capitalised words, found in the name
    lists: the names a small NER model misses because it never saw them ("Ermutlu Durdu"); and a
    listed given name that is not also a word or a place, before a possessive."""
    for match in _POSSESSIVE_NAME.finditer(text):
        word = match.group(1)
        if word in lists.given and word not in lists.ambiguous and word not in lists.places and word not in NOT_NAMES:
            yield match.span(1)
    for match in _CANDIDATE.finditer(text):
        words = [(m.start(), m.end()) for m in regex.finditer(r"\S+", match.group())]
        i = 0
        while i < len(words) - 1:
            for j in range(min(i + 4, len(words)), i + 1, -1):
                tokens = [match.group()[a:b] for a, b in words[i:j]]
                if tokens[-1].islower() or not lists.full_name([t for t in tokens if not t.islower()]):
                    continue
                yield match.start() + words[i][0], match.start() + words[j - 1][1]
                i = j
                break
            else:
                i += 1


class NameListRecognizer(EntityRecognizer):
    """PERSON from the name lists: a given name and a surname side by side."""

    SCORE = 0.6

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(supported_entities=["PERSON"], name="NameListRecognizer",
                         supported_language=supported_language)

    def load(self) -> None:
        """The lists load on first use, once per process."""

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None) -> list[RecognizerResult]:
        """One result per listed full name."""
        if "PERSON" not in entities:
            return []
        meta = {RecognizerResult.RECOGNIZER_NAME_KEY: self.name, RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id}
        return [RecognizerResult("PERSON", start, end, self.SCORE, recognition_metadata=dict(meta))
                for start, end in listed_names(text, name_lists())]
