"""A second, held-out labelled PII set, written independently of the first one and of the scrubber.

Writes ``heldout.jsonl`` next to this file: 304 enterprise documents (16 kinds x 19) about Faker
people from 23 locales that the first set (``multilocale.jsonl``) does not use. The kinds and their
wording were written from scratch, without reading the scrubber's rules or the first set's
templates; only the row format is shared, so that ``bench/pii.py``'s ``load_jsonl`` and
``score_labelled`` can score it. See ``HELDOUT.md``.

Row: ``id``, ``kind``, ``locale`` (the main person's), ``text``, ``entities`` (``type``, ``start``,
``end``, ``value``, ``ctx``, ``locale``) and ``hard_negatives`` (``kind``, ``start``, ``end``,
``value``); ``text[start:end] == value`` for every label.

``ctx`` is ``<placement>.<form>``. Placements: ``kv`` (label and value on a line of a form),
``prose``, ``table`` (Markdown or fixed-width table cell), ``csv`` (delimited cell), ``json``,
``yaml``, ``ini``, ``ldif``, ``vcard``, ``header`` (e-mail header), ``quote`` (quoted e-mail
text), ``signature``, ``speaker`` (transcript or chat speaker label), ``pnr`` (airline
passenger line), ``block`` (multi-line address block), ``checklist``, ``list``, ``salutation``.
Forms: for names ``full`` (as the person's culture writes it: family name first for hu_HU and
vi_VN), ``western`` (given then family), ``last_first`` ("Family, Given"), ``upper_last_first``
("FAMILY, Given"), ``upper`` ("GIVEN FAMILY"), ``initial`` ("G. Family"), ``middle_initial``,
``given``, ``family``, ``slash`` ("FAMILY/GIVEN"), ``semicolon`` ("Family;Given"); for phones
``local`` (as Faker writes it for the country), ``intl`` ("+45 74 39 15 00"), ``e164``
("+4574391500"), ``digits`` (the national number, trunk prefix included, no separators),
``zerozero`` ("0045 74 39 15 00"); for dates of birth the format (``dmy_dot``, ``iso``,
``month_d_y``, ``ddmonyyyy``, ...); for IBANs and cards ``grouped`` / ``compact`` / ``dashed``;
for e-mail addresses ``plain`` / ``angle`` / ``mailto``; for street addresses ``line`` (street
line followed by postcode and city on the same line) and ``multiline``.

What the labels mean: PERSON is the name as written, titles ("Dr", "Ms", "MR") outside the span.
STREET_ADDRESS is the street line only; postcode, city and country are neither PII nor
negatives. Every PHONE_NUMBER is valid for its country according to ``phonenumbers`` in the form
written; IBANs have a valid check number, cards a valid Luhn digit. A hard negative that shares a
word with a labelled name in the same document is left unlabelled.

    .venv/bin/python tests/data/pii_eval/heldout_generate.py

Deterministic: the same Faker and phonenumbers versions give the same bytes.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import random
import re
import string
import sys
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import phonenumbers
from faker import Faker

HERE = Path(__file__).resolve().parent
OUT = HERE / "heldout.jsonl"
SEED = 20261207
DOCS_PER_KIND = 19

# Locale -> (phone region, country name). None of these is used by multilocale.jsonl.
LOCALES: dict[str, tuple[str, str]] = {
    "da_DK": ("DK", "Denmark"), "no_NO": ("NO", "Norway"), "ro_RO": ("RO", "Romania"),
    "hu_HU": ("HU", "Hungary"), "id_ID": ("ID", "Indonesia"), "en_AU": ("AU", "Australia"),
    "en_NZ": ("NZ", "New Zealand"), "en_CA": ("CA", "Canada"), "fr_CA": ("CA", "Canada"),
    "es_MX": ("MX", "Mexico"), "es_AR": ("AR", "Argentina"), "pt_PT": ("PT", "Portugal"),
    "de_AT": ("AT", "Austria"), "de_CH": ("CH", "Switzerland"), "hr_HR": ("HR", "Croatia"),
    "sk_SK": ("SK", "Slovakia"), "sl_SI": ("SI", "Slovenia"), "en_IE": ("IE", "Ireland"),
    "en_PH": ("PH", "Philippines"), "vi_VN": ("VN", "Vietnam"), "lt_LT": ("LT", "Lithuania"),
    "lv_LV": ("LV", "Latvia"), "et_EE": ("EE", "Estonia"),
}
LOCS = list(LOCALES)
IBAN_LENGTH = {"DK": 18, "NO": 15, "RO": 24, "PT": 25, "AT": 20, "CH": 21, "SK": 24, "IE": 22,
               "HU": 28, "HR": 21, "SI": 19, "LT": 20, "LV": 21, "EE": 20}
FAKER_IBAN = {"da_DK", "no_NO", "ro_RO", "pt_PT", "de_AT", "de_CH", "sk_SK", "en_IE"}
# Where Faker's cities are invented ("Lake Kimberlyburgh"): real ones instead.
CITIES = {
    "en_AU": ["Brisbane", "Perth", "Adelaide", "Hobart", "Geelong", "Townsville", "Darwin", "Canberra"],
    "en_NZ": ["Auckland", "Wellington", "Christchurch", "Dunedin", "Hamilton", "Tauranga", "Napier", "Nelson"],
    "en_CA": ["Calgary", "Winnipeg", "Halifax", "Ottawa", "Edmonton", "Regina", "Victoria", "Saskatoon"],
    "fr_CA": ["Québec", "Sherbrooke", "Trois-Rivières", "Gatineau", "Laval", "Saguenay", "Lévis", "Rimouski"],
    "en_IE": ["Cork", "Galway", "Limerick", "Kilkenny", "Sligo", "Waterford", "Athlone", "Drogheda"],
    "en_PH": ["Quezon City", "Cebu City", "Davao City", "Iloilo City", "Baguio", "Makati", "Pasig", "Bacolod"],
    "es_MX": ["Guadalajara", "Monterrey", "Puebla", "Mérida", "Querétaro", "Toluca", "León", "Oaxaca"],
    "lt_LT": ["Kaunas", "Klaipėda", "Šiauliai", "Panevėžys", "Alytus", "Vilnius"],
    "lv_LV": ["Rīga", "Daugavpils", "Liepāja", "Jelgava", "Ventspils", "Valmiera"],
    "et_EE": ["Tallinn", "Tartu", "Pärnu", "Narva", "Viljandi", "Rakvere"],
}
# Faker writes Baltic addresses in US style; these streets are real.
BALTIC_STREETS = {
    "lt_LT": ["Gedimino pr.", "Savanorių pr.", "Laisvės al.", "Vilniaus g.", "Taikos pr.", "Žirmūnų g."],
    "lv_LV": ["Brīvības iela", "Elizabetes iela", "Tērbatas iela", "Dzirnavu iela", "Lāčplēša iela"],
    "et_EE": ["Pärnu mnt", "Narva mnt", "Tartu mnt", "Kentmanni tn", "Sõpruse pst", "Mustamäe tee"],
}
FAMILY_FIRST = {"hu_HU", "vi_VN"}
PARTICLE_LOCALES = {"pt_PT": ["da", "dos", "de", "do"], "es_MX": ["de la", "del"], "es_AR": ["de"],
                    "de_AT": ["von"], "de_CH": ["von"], "fr_CA": ["De", "Le"]}
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]

PRODUCTS = ["Atlas CRM", "Nordlys Analytics", "Hermes Gateway", "Aurora DB", "Polaris VPN",
            "Kestrel Mobile", "Juniper Ledger", "Otto Scheduler", "Sofia Voice", "Tern Payroll",
            "Bluefin Backup", "Corvid SIEM", "Quill Docs", "Marlin POS", "Iris Imaging",
            "Felix Timesheets", "Halcyon HR", "Orca Storage", "Lumen Portal", "Vega Billing"]
CARS = ["Škoda Octavia", "Toyota Corolla", "Volkswagen Polo", "Kia Ceed", "Dacia Duster",
        "Hyundai i30", "Renault Clio", "Mazda CX-5", "Ford Ranger", "Tesla Model 3"]
DEPARTMENTS = ["Accounts Payable", "Clinical Operations", "Claims Handling", "Fleet Services",
               "Treasury", "Tier 2 Support", "Admissions Office", "Talent Acquisition",
               "Financial Crime Compliance", "Facilities & Security", "Platform Engineering",
               "Customer Onboarding", "Outpatient Services", "Logistics Planning", "Group Risk"]
JOBS = ["Claims Adjuster", "Practice Manager", "Senior Talent Partner", "KYC Analyst",
        "Site Reliability Engineer", "Head of Admissions", "Warehouse Supervisor",
        "Customer Success Manager", "Registered Nurse", "Branch Manager", "Data Steward",
        "Solutions Architect", "Payroll Specialist", "Fleet Coordinator", "Compliance Officer",
        "Procurement Analyst", "Office Administrator", "Product Owner", "Front Desk Lead"]
SPECIALTIES = ["Cardiology", "Dermatology", "Physiotherapy", "Radiology", "Orthopaedics",
               "Ophthalmology", "Paediatrics", "Audiology"]
SCHOOL_WORDS = ["International School", "Grammar School", "Montessori Academy", "Bilingual College"]
AIRPORTS = [("CPH", "Copenhagen"), ("OSL", "Oslo"), ("OTP", "Bucharest"), ("BUD", "Budapest"),
            ("CGK", "Jakarta"), ("SYD", "Sydney"), ("AKL", "Auckland"), ("YYZ", "Toronto"),
            ("YUL", "Montréal"), ("MEX", "Mexico City"), ("EZE", "Buenos Aires"), ("LIS", "Lisbon"),
            ("VIE", "Vienna"), ("ZRH", "Zurich"), ("ZAG", "Zagreb"), ("BTS", "Bratislava"),
            ("LJU", "Ljubljana"), ("DUB", "Dublin"), ("MNL", "Manila"), ("SGN", "Ho Chi Minh City"),
            ("VNO", "Vilnius"), ("RIX", "Riga"), ("TLL", "Tallinn")]
_ASCII = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "å": "aa", "Å": "AA", "ß": "ss",
                        "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "ı": "i", "'": "", "’": ""})


def fold(text: str) -> str:
    text = text.translate(_ASCII)
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def luhn_ok(number: str) -> bool:
    digits = [int(c) for c in number if c.isdigit()][::-1]
    return sum(d if i % 2 == 0 else (d * 2 - 9 if d > 4 else d * 2) for i, d in enumerate(digits)) % 10 == 0


def iban_ok(iban: str) -> bool:
    compact = iban.replace(" ", "")
    moved = compact[4:] + compact[:4]
    return (IBAN_LENGTH.get(compact[:2]) == len(compact)
            and int("".join(str(int(c, 36)) for c in moved)) % 97 == 1)


def make_iban(country: str, bban: str) -> str:
    moved = bban + country + "00"
    check = 98 - int("".join(str(int(c, 36)) for c in moved)) % 97
    return f"{country}{check:02d}{bban}"


# --- documents with labelled spans ---------------------------------------------------------------


@dataclass
class Seg:
    text: str
    type: str | None = None  # entity type
    kind: str | None = None  # hard-negative kind
    ctx: str = ""
    locale: str = ""


@dataclass
class Doc:
    id: str
    kind: str
    locale: str
    parts: list[str] = field(default_factory=list)
    entities: list[dict] = field(default_factory=list)
    negatives: list[dict] = field(default_factory=list)
    pos: int = 0

    def add(self, *segs: str | Seg) -> "Doc":
        for seg in segs:
            if isinstance(seg, str):
                seg = Seg(seg)
            start, end = self.pos, self.pos + len(seg.text)
            if seg.type:
                self.entities.append({"type": seg.type, "start": start, "end": end, "value": seg.text,
                                      "ctx": seg.ctx, "locale": seg.locale})
            elif seg.kind:
                self.negatives.append({"kind": seg.kind, "start": start, "end": end, "value": seg.text})
            self.parts.append(seg.text)
            self.pos = end
        return self

    def row(self) -> dict:
        text = "".join(self.parts)
        words = {w.casefold() for e in self.entities if e["type"] == "PERSON"
                 for w in re.findall(r"[^\W_]{2,}", e["value"])}
        negatives = [n for n in self.negatives
                     if not {w.casefold() for w in re.findall(r"[^\W_]{2,}", n["value"])} & words]
        for label in self.entities + negatives:
            assert text[label["start"]:label["end"]] == label["value"], (self.id, label)
        spans = sorted((e["start"], e["end"]) for e in self.entities)
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:])), (self.id, "overlapping entities")
        return {"id": self.id, "kind": self.kind, "locale": self.locale, "text": text,
                "entities": self.entities, "hard_negatives": negatives}


def Neg(kind: str, value: str) -> Seg:
    return Seg(value, kind=kind)


# --- people ---------------------------------------------------------------------------------------


@dataclass
class Person:
    loc: str
    gender: str
    given: str
    family: str
    middle: str
    dob: date
    phone: str  # as Faker (or, where Faker's are not valid, this script) writes it
    number: phonenumbers.PhoneNumber
    email: str
    street: str
    postcode: str
    city: str
    country: str
    iban: str | None
    card: str

    @property
    def region(self) -> str:
        return LOCALES[self.loc][0]

    @property
    def given_full(self) -> str:
        return f"{self.middle} {self.given}" if self.middle else self.given

    def name(self, form: str) -> str:
        western = f"{self.given_full} {self.family}"
        natural = f"{self.family} {self.given_full}" if self.loc in FAMILY_FIRST else western
        if form == "full":
            return natural
        if form == "western":
            return western
        if form == "last_first":
            return f"{self.family}, {self.given_full}"
        if form == "upper_last_first":
            return f"{self.family.upper()}, {self.given_full}"
        if form == "upper":
            return natural.upper()
        if form == "initial":
            return f"{self.given[0]}. {self.family}"
        if form == "middle_initial":
            letter = "ABCDEFGHJKLMNPRSTW"[(len(self.family) * 7 + len(self.given)) % 18]
            return f"{self.given} {letter}. {self.family}"
        if form == "given":
            return self.given
        if form == "family":
            return self.family
        if form == "slash":
            return f"{fold(self.family).upper().replace(' ', '')}/{fold(self.given_full).upper().replace(' ', '')}"
        if form == "semicolon":
            return f"{self.family};{self.given_full}"
        raise ValueError(form)

    def phone_as(self, form: str) -> str:
        fmt = phonenumbers.PhoneNumberFormat
        if form == "local":
            return self.phone
        if form == "intl":
            return phonenumbers.format_number(self.number, fmt.INTERNATIONAL)
        if form == "e164":
            return phonenumbers.format_number(self.number, fmt.E164)
        if form == "zerozero":
            return "00" + phonenumbers.format_number(self.number, fmt.INTERNATIONAL)[1:]
        if form == "digits":
            return re.sub(r"\D", "", phonenumbers.format_number(self.number, fmt.NATIONAL))
        raise ValueError(form)


DOB_FORMATS = {
    "dmy_dot": lambda d: f"{d.day:02d}.{d.month:02d}.{d.year}",
    "dmy_dot_short": lambda d: f"{d.day}.{d.month}.{d.year}",
    "iso": lambda d: d.isoformat(),
    "dmy_slash": lambda d: f"{d.day:02d}/{d.month:02d}/{d.year}",
    "mdy_slash": lambda d: f"{d.month:02d}/{d.day:02d}/{d.year}",
    "d_mon_y": lambda d: f"{d.day} {MONTHS[d.month - 1][:3]} {d.year}",
    "month_d_y": lambda d: f"{MONTHS[d.month - 1]} {d.day}, {d.year}",
    "d_month_y": lambda d: f"{d.day} {MONTHS[d.month - 1]} {d.year}",
    "compact": lambda d: f"{d.year}{d.month:02d}{d.day:02d}",
    "dmy_dash_yy": lambda d: f"{d.day:02d}-{d.month:02d}-{d.year % 100:02d}",
    "ymd_slash": lambda d: f"{d.year}/{d.month:02d}/{d.day:02d}",
    "ddmonyyyy": lambda d: f"{d.day:02d}{MONTHS[d.month - 1][:3].upper()}{d.year}",
    "dmy_dot_space": lambda d: f"{d.day}. {d.month}. {d.year}",
}


class Gen:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.fakers: dict[str, Faker] = {}
        for i, loc in enumerate(LOCS):
            f = Faker(loc)
            f.seed_instance(seed + 101 * i)
            self.fakers[loc] = f
        self.us = Faker("en_US")
        self.us.seed_instance(seed + 7)
        self.given_names: dict[str, set[str]] = {}
        for loc, f in self.fakers.items():
            names: set[str] = set()
            for p in f.providers:
                for attr in ("first_names", "first_names_female", "first_names_male"):
                    names.update(str(n) for n in getattr(p, attr, ()) or ())
            self.given_names[loc] = names
        self.serial = 1000

    # -- small values --

    def pick(self, seq):
        return seq[self.rng.randrange(len(seq))]

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def other_loc(self, loc: str, same: float = 0.6) -> str:
        return loc if self.chance(same) else self.pick(LOCS)

    def day(self, start: int = 2024, end: int = 2027) -> date:
        first = date(start, 1, 1)
        return first + timedelta(days=self.rng.randrange((date(end, 12, 31) - first).days))

    def datestr(self, fmt: str | None = None, start: int = 2024, end: int = 2027) -> str:
        return DOB_FORMATS[fmt or self.pick(list(DOB_FORMATS))](self.day(start, end))

    def time(self) -> str:
        return f"{self.rng.randrange(7, 19):02d}:{self.pick(['00', '15', '20', '30', '40', '45'])}"

    def num(self, digits: int) -> str:
        return "".join(self.pick(string.digits) for _ in range(digits))

    def code(self, n: int) -> str:
        return "".join(self.pick("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(n))

    def ident(self, style: str) -> str:
        self.serial += self.rng.randrange(3, 97)
        s, y = self.serial, self.rng.choice([2025, 2026])
        return {
            "ticket": f"INC{s:07d}", "claim": f"CLM-{y}-{s:06d}", "invoice": f"INV/{y}/{s:05d}",
            "po": f"PO 45{self.num(8)}", "awb": f"{self.num(3)}-{self.num(8)}", "pnr": self.code(6),
            "case": f"KYC-{s}", "badge": f"V-{s % 10000:04d}", "employee": f"E{s:05d}",
            "order": f"SO-{s}-{self.code(2)}", "appointment": f"APT{s:06d}", "policy": f"POL{self.num(9)}",
            "rental": f"RA{y % 100}-{s:06d}", "customer": f"C-{self.num(7)}", "parcel": f"JJD{self.num(14)}",
            "pupil": f"STU-{y}-{s % 1000:03d}", "req": f"REQ#{s}", "plate": f"{self.code(2)} {self.num(3)}-{self.code(2)}",
        }[style]

    def version(self) -> str:
        style = self.rng.randrange(5)
        a, b, c = self.rng.randrange(1, 12), self.rng.randrange(0, 20), self.rng.randrange(0, 40)
        if style == 0:
            return f"v{a}.{b}.{c}"
        if style == 1:
            return f"{self.rng.choice([2024, 2025, 2026])}.{self.rng.randrange(1, 13)}.{c}"
        if style == 2:
            return f"{a}.{b}.{c}.{self.rng.randrange(100, 9999)}"
        if style == 3:
            return f"{a}.{b}.{c}-rc{self.rng.randrange(1, 5)}"
        return f"{a}.{b}"

    def product(self) -> str:
        return self.pick(PRODUCTS)

    def job(self) -> str:
        return self.pick(JOBS)

    def dept(self) -> str:
        return self.pick(DEPARTMENTS)

    def city(self, loc: str) -> str:
        if loc in CITIES:
            return self.pick(CITIES[loc])
        return self.fakers[loc].city()

    def company(self, loc: str | None = None) -> str:
        loc = loc or self.pick(LOCS)
        f = self.fakers[loc]
        for _ in range(20):
            name = f.company()
            words = re.findall(r"[^\W\d_]+", name)
            if any(w in self.given_names[loc] for w in words):
                continue  # "Franjo Šuštar s.p." is a person's name
            if " " not in name and "-" not in name:
                name = f"{name} {f.company_suffix()}"
            if len(name) <= 48 and '"' not in name:
                return name
        return f"{self.pick(['Nordvik', 'Valtera', 'Kerala', 'Orbis'])} Holdings"

    def amount(self, loc: str) -> str:
        value = self.rng.randrange(500, 2_500_000) / 100
        whole, cents = int(value), int(round(value * 100)) % 100

        def grouped(sep: str) -> str:
            return f"{whole:,}".replace(",", sep)
        cur = {"da_DK": ["DKK {d},{c}", "{d},{c} kr."], "no_NO": ["kr {s},{c}", "NOK {s}"],
               "ro_RO": ["{d},{c} lei", "RON {d},{c}"], "hu_HU": ["{s} Ft", "HUF {s}"],
               "id_ID": ["Rp {d}", "IDR {d}"], "en_AU": ["A${c_}.{c}", "AUD {c_}.{c}"],
               "en_NZ": ["NZ$ {c_}.{c}", "NZD {c_}.{c}"], "en_CA": ["C${c_}.{c}", "CAD {c_}.{c}"],
               "fr_CA": ["{s},{c} $", "{s},{c} $ CA"], "es_MX": ["MXN ${c_}.{c}", "${c_}.{c} MXN"],
               "es_AR": ["ARS {d},{c}", "$ {d},{c}"], "de_CH": ["CHF {q}.{c}", "Fr. {q}.–"],
               "en_PH": ["₱{c_}.{c}", "PHP {c_}.{c}"], "vi_VN": ["{d} ₫", "VND {d}"]}.get(
            loc, ["€{d},{c}", "{s},{c} €", "EUR {c_}.{c}", "€ {c_}.{c}"])
        fmt = self.pick(cur)
        if loc in ("id_ID", "vi_VN", "hu_HU"):
            whole *= self.pick([10, 100, 1000]) if loc != "hu_HU" else 10
        return fmt.format(d=grouped("."), s=grouped(" "), c_=grouped(","), q=grouped("'"),
                          c=f"{cents:02d}")

    def ip(self, v6: float = 0.2) -> str:
        return self.us.ipv6() if self.chance(v6) else self.us.ipv4_public()

    def ssn(self) -> str:
        return self.us.ssn()

    # -- people --

    def _phone(self, loc: str) -> tuple[str, phonenumbers.PhoneNumber]:
        region = LOCALES[loc][0]
        f = self.fakers[loc]
        if loc not in ("es_AR", "et_EE", "en_IE", "lt_LT", "lv_LV"):
            for _ in range(60):
                with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                    raw = (f.phone_number() if hasattr(f, "phone_number")
                           else (f.mobile_number() if self.chance(0.6) else f.area2_landline_number()))
                raw = raw.strip()
                if "x" in raw.lower():
                    continue
                try:
                    number = phonenumbers.parse(raw, region)
                except phonenumbers.NumberParseException:
                    continue
                if phonenumbers.is_valid_number(number) and phonenumbers.region_code_for_number(number) == region:
                    return raw, number
        for _ in range(200):  # countries where Faker's numbers are not valid: written here
            n, ac = self.num, self.pick(["416", "514", "604", "403", "613", "902", "418", "819", "780", "306", "204", "438"])
            raw = {
                "AR": lambda: self.pick([f"+54 9 11 {n(4)}-{n(4)}", f"(011) 4{n(3)}-{n(4)}", f"+54 9 351 {n(3)}-{n(4)}"]),
                "EE": lambda: self.pick([f"+372 5{n(3)} {n(4)}", f"5{n(3)} {n(4)}", f"6{n(2)} {n(4)}"]),
                "IE": lambda: self.pick([f"08{self.pick('35679')} {n(3)} {n(4)}", f"(01) {n(3)} {n(4)}", f"+353 8{self.pick('35679')} {n(3)} {n(4)}"]),
                "LT": lambda: self.pick([f"+370 6{n(2)} {n(5)}", f"8 6{n(2)} {n(5)}", f"8 5 2{n(2)} {n(4)}"]),
                "LV": lambda: self.pick([f"+371 2{n(3)} {n(4)}", f"2{n(1)} {n(3)} {n(3)}", f"67{n(6)}"]),
                "CA": lambda: self.pick([f"({ac}) {self.rng.randrange(200, 999)}-{n(4)}", f"{ac}-{self.rng.randrange(200, 999)}-{n(4)}",
                                         f"{ac}.{self.rng.randrange(200, 999)}.{n(4)}", f"1 {ac} {self.rng.randrange(200, 999)} {n(4)}"]),
                "MX": lambda: self.pick([f"55 {n(4)} {n(4)}", f"+52 33 {n(4)} {n(4)}", f"(81) {n(4)}-{n(4)}"]),
            }.get(region, lambda: self._example_like(region))()
            number = phonenumbers.parse(raw, region)
            if phonenumbers.is_valid_number(number):
                return raw, number
        raise RuntimeError(f"no valid phone for {loc}")

    def _example_like(self, region: str) -> str:
        """The country's example mobile number with its last five digits drawn at random."""
        example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
        nsn = phonenumbers.national_significant_number(example)
        number = phonenumbers.parse("+" + str(example.country_code) + nsn[:-5] + self.num(5))
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)

    def _iban(self, loc: str) -> str | None:
        region = LOCALES[loc][0]
        if loc in FAKER_IBAN:
            iban = self.fakers[loc].iban()
            assert iban_ok(iban), iban
            return iban
        if region in ("HU", "HR", "SI", "LT", "EE"):
            digits = {"HU": 24, "HR": 17, "SI": 15, "LT": 16, "EE": 16}[region]
            return make_iban(region, self.num(digits))
        if region == "LV":
            return make_iban("LV", self.pick(["HABA", "UNLA", "PARX", "RIKO"]) + self.num(13))
        return None

    def _street(self, loc: str) -> tuple[str, str, str]:
        f = self.fakers[loc]
        if loc in BALTIC_STREETS:
            street = f"{self.pick(BALTIC_STREETS[loc])} {self.rng.randrange(1, 120)}"
            if self.chance(0.6):
                street += f"-{self.rng.randrange(1, 80)}"
            postcode = {"lt_LT": "LT-{}", "lv_LV": "LV-{}", "et_EE": "{}"}[loc].format(
                self.num(5) if loc != "lv_LV" else self.num(4))
            return street, postcode, self.city(loc)
        street = f.street_address().replace("\n", " ")
        postcode = f.postcode()
        if loc == "en_CA" and len(postcode) == 6:
            postcode = f"{postcode[:3]} {postcode[3:]}"
        return street, postcode, self.city(loc)

    def person(self, loc: str | None = None, gender: str | None = None, born: tuple[int, int] = (1948, 2005)) -> Person:
        loc = loc or self.pick(LOCS)
        f = self.fakers[loc]
        gender = gender or self.pick(["f", "m"])
        given = f.first_name_female() if gender == "f" else f.first_name_male()
        family = f.last_name_female() if gender == "f" else f.last_name_male()
        middle = ""
        if loc == "vi_VN":
            middle = "Thị" if gender == "f" and self.chance(0.6) else ("Văn" if gender == "m" and self.chance(0.5) else f.middle_name())
        if loc in ("es_MX", "es_AR") and self.chance(0.45):
            family = f"{family} {f.last_name()}"
        if loc in PARTICLE_LOCALES and self.chance(0.3 if loc in ("pt_PT", "es_MX") else 0.12):
            family = f"{self.pick(PARTICLE_LOCALES[loc])} {family}"
        if loc == "pt_PT" and self.chance(0.3):
            family = f"{f.last_name()} {family}"
        dob = date(born[0], 1, 1) + timedelta(days=self.rng.randrange((date(born[1], 12, 31) - date(born[0], 1, 1)).days))
        phone, number = self._phone(loc)
        local = re.sub(r"[^a-z0-9]+", "", fold(given.split()[0]).lower())
        last = re.sub(r"[^a-z0-9]+", "", fold(family.split()[-1]).lower())
        user = self.pick([f"{local}.{last}", f"{local[0]}{last}", f"{local}{last}{self.rng.randrange(10, 99)}",
                          f"{last}.{local}", f"{local}_{last}"])
        domain = f.free_email_domain() if self.chance(0.6) else self.pick(
            ["mail.", "post.", "online.", ""]) + re.sub(r"[^a-z]", "", fold(f.last_name()).lower())[:10] + self.pick(
            [".com", ".net", "." + LOCALES[loc][0].lower()])
        street, postcode, city = self._street(loc)
        card = self.us.credit_card_number(card_type=self.pick(["visa16", "mastercard", "amex", "discover"]))
        assert luhn_ok(card)
        return Person(loc, gender, given, family, middle, dob, phone, number, f"{user}@{domain}",
                      street, postcode, city, LOCALES[loc][1], self._iban(loc), card)

    # -- labelled segments --

    def P(self, p: Person, form: str, place: str) -> Seg:
        return Seg(p.name(form), type="PERSON", ctx=f"{place}.{form}", locale=p.loc)

    def PH(self, p: Person, form: str, place: str) -> Seg:
        value = p.phone_as(form)
        if not phonenumbers.is_valid_number(phonenumbers.parse(value, p.region)):
            form, value = "intl", p.phone_as("intl")  # "0061 ..." is not how Australians dial out
        assert phonenumbers.is_valid_number(phonenumbers.parse(value, p.region)), (p.loc, form, value)
        return Seg(value, type="PHONE_NUMBER", ctx=f"{place}.{form}", locale=p.loc)

    def any_phone_form(self) -> str:
        return self.pick(["local", "local", "intl", "e164", "digits", "zerozero"])

    def EM(self, p: Person, place: str, form: str = "plain") -> Seg:
        return Seg(p.email, type="EMAIL_ADDRESS", ctx=f"{place}.{form}", locale=p.loc)

    def DOB(self, p: Person, place: str, fmt: str | None = None) -> Seg:
        fmt = fmt or self.pick(list(DOB_FORMATS))
        return Seg(DOB_FORMATS[fmt](p.dob), type="DATE_OF_BIRTH", ctx=f"{place}.{fmt}", locale=p.loc)

    def ST(self, p: Person, place: str, form: str = "line") -> Seg:
        return Seg(p.street, type="STREET_ADDRESS", ctx=f"{place}.{form}", locale=p.loc)

    def IB(self, p: Person, place: str, form: str | None = None) -> Seg:
        assert p.iban
        form = form or self.pick(["grouped", "grouped", "compact"])
        value = " ".join(p.iban[i:i + 4] for i in range(0, len(p.iban), 4)) if form == "grouped" else p.iban
        return Seg(value, type="IBAN_CODE", ctx=f"{place}.{form}", locale=p.loc)

    def CC(self, p: Person, place: str, form: str | None = None) -> Seg:
        form = form or self.pick(["grouped", "compact", "dashed"])
        c = p.card
        groups = [c[:4], c[4:10], c[10:]] if len(c) == 15 else [c[i:i + 4] for i in range(0, len(c), 4)]
        value = {"grouped": " ".join(groups), "dashed": "-".join(groups), "compact": c}[form]
        return Seg(value, type="CREDIT_CARD", ctx=f"{place}.{form}", locale=p.loc)

    def IPA(self, value: str, place: str, loc: str) -> Seg:
        return Seg(value, type="IP_ADDRESS", ctx=f"{place}.{'v6' if ':' in value else 'v4'}", locale=loc)

    def SSN(self, place: str, loc: str) -> Seg:
        return Seg(self.ssn(), type="US_SSN", ctx=f"{place}.dashed", locale=loc)

    def salute(self, p: Person) -> str:
        return ("Ms" if p.gender == "f" else "Mr") if self.chance(0.7) else ("Mrs" if p.gender == "f" else "Mr.")

    def address_tail(self, p: Person) -> str:
        if p.loc in ("en_AU", "en_NZ", "en_CA", "fr_CA", "en_PH", "es_MX", "en_IE", "vi_VN", "id_ID"):
            return f"{p.city} {p.postcode}"
        return f"{p.postcode} {p.city}"


# --- the document kinds ---------------------------------------------------------------------------


def appointment_reminder(g: Gen, d: Doc, loc: str) -> None:
    p = g.person(loc)
    doc_ = g.person(g.other_loc(loc, 0.7))
    clinic, spec, when = g.company(loc), g.pick(SPECIALTIES), g.datestr(g.pick(["d_month_y", "dmy_dot", "month_d_y"]))
    if g.chance(0.5):
        d.add("Subject: Your appointment on ", Neg("date", when), " – ", Neg("company", clinic), "\n\n",
              "Dear ", g.salute(p), " ", g.P(p, "family", "salutation"), ",\n\n",
              "This is a friendly reminder of your appointment with Dr ", g.P(doc_, "western", "prose"),
              " (", Neg("department", spec), ") on ", Neg("date", when), " at ", g.time(), ".\n\n",
              "Patient: ", g.P(p, "last_first", "kv"), "\n",
              "Date of birth: ", g.DOB(p, "kv"), "\n",
              "Contact number on file: ", g.PH(p, g.any_phone_form(), "kv"), "\n",
              "Address on file: ", g.ST(p, "kv"), ", ", g.address_tail(p), "\n",
              "Booking reference: ", Neg("identifier", g.ident("appointment")), "\n\n",
              "Please arrive 10 minutes early and bring your insurance card. A late cancellation fee of ",
              Neg("amount", g.amount(loc)), " applies within 24 hours.\n\n",
              Neg("company", clinic), " · ", Neg("department", g.pick(["Outpatient Services", "Clinical Operations"])),
              " · ", Neg("city", g.city(loc)), "\n")
    else:
        guardian = g.person(loc, born=(1970, 1995))
        child = g.person(loc, born=(2012, 2021))
        child.family = guardian.family
        d.add("APPOINTMENT CONFIRMATION  ", Neg("identifier", g.ident("appointment")), "\n",
              "------------------------------------\n",
              "Patient name ....... ", g.P(child, "upper", "kv"), "\n",
              "DOB ................ ", g.DOB(child, "kv"), "\n",
              "Guardian ........... ", g.P(guardian, "full", "kv"), " (", g.PH(guardian, g.any_phone_form(), "kv"), ")\n",
              "Clinician .......... ", g.P(doc_, "initial", "kv"), ", ", Neg("job_title", g.pick(["Consultant Paediatrician", "Registered Nurse", "Physiotherapist"])), "\n",
              "Clinic ............. ", Neg("company", clinic), ", ", Neg("department", spec), "\n",
              "When ............... ", Neg("date", when), " ", g.time(), "\n",
              "Co-payment ......... ", Neg("amount", g.amount(loc)), "\n\n",
              "Reply C to confirm or R to reschedule. Questions? Write to us and quote the reference above; ",
              g.P(guardian, "given", "prose"), ", please also bring ", g.P(child, "given", "prose"), "'s vaccination booklet.\n")


def insurance_claim(g: Gen, d: Doc, loc: str) -> None:
    p = g.person(loc) if LOCALES[loc][0] in IBAN_LENGTH else g.person(g.pick(["pt_PT", "de_AT", "hr_HR", "sk_SK", "en_IE", "ro_RO"]))
    d.locale = p.loc
    third, adjuster = g.person(g.other_loc(loc, 0.5)), g.person(g.other_loc(loc))
    insurer = g.company(loc)
    lbl = g.pick([("Surname, given name(s)", "last_first"), ("Policyholder", "upper_last_first"), ("Name of insured", "full")])
    d.add(Neg("company", insurer), "\nCLAIM NOTIFICATION – ", g.pick(["MOTOR", "HOUSEHOLD CONTENTS", "TRAVEL"]), "\n",
          "Claim no. ", Neg("identifier", g.ident("claim")), "    Policy ", Neg("identifier", g.ident("policy")), "\n\n",
          "A. POLICYHOLDER\n",
          f"   {lbl[0]}: ", g.P(p, lbl[1], "kv"), "\n",
          "   Date of birth: ", g.DOB(p, "kv", g.pick(["dmy_dot", "dmy_slash", "iso", "dmy_dot_space"])), "\n",
          "   Address: ", g.ST(p, "kv", "multiline"), "\n",
          "            ", g.address_tail(p), "\n",
          "   Phone (daytime): ", g.PH(p, g.any_phone_form(), "kv"), "    E-mail: ", g.EM(p, "kv"), "\n\n",
          "B. INCIDENT\n",
          "   Date of loss: ", Neg("date", g.datestr()), "   Place: ", Neg("city", g.city(loc)), "\n",
          "   What happened: while reversing out of the car park my vehicle was struck by a van driven by ",
          g.P(third, "western", "prose"), ", who gave the number ", g.PH(third, g.pick(["digits", "local", "e164"]), "prose"), ".\n",
          "   Estimated damage: ", Neg("amount", g.amount(loc)), "\n\n",
          "C. SETTLEMENT\n",
          "   Account holder: ", g.P(p, "western", "kv"), "\n",
          "   IBAN: ", g.IB(p, "kv"), "\n\n",
          "For office use – handler: ", g.P(adjuster, "full", "kv"), ", ", Neg("job_title", "Claims Adjuster"),
          ", ", Neg("department", "Claims Handling"), "; received ", Neg("date", g.datestr()), "\n")


def support_ticket(g: Gen, d: Doc, loc: str) -> None:
    cust, agent = g.person(loc), g.person(g.other_loc(loc, 0.3))
    prod, ver, vendor = g.product(), g.version(), g.company()
    tid = g.ident("ticket")
    sent, replied = g.datestr("d_mon_y"), g.datestr("d_mon_y")
    d.add("[", Neg("identifier", tid), "] Export to PDF fails after upgrade\n",
          "Product: ", Neg("product", prod), " ", Neg("version", ver), " | Priority: P3 | Queue: ",
          Neg("department", "Tier 2 Support"), "\n",
          "Requester: ", g.P(cust, "full", "header"), " <", g.EM(cust, "header", "angle"), ">\n",
          "Client IP: ", g.IPA(g.ip(), "kv", cust.loc), "\n\n",
          "---- Reply from ", g.P(agent, "given", "header"), " (", Neg("company", vendor), "), ", replied, " ----\n",
          "Hi ", g.P(cust, "given", "salutation"), ",\n\n",
          "thanks for the logs. The fix ships in ", Neg("version", g.version()), "; until then, switch the renderer to legacy mode. ",
          "I tried to call you on ", g.PH(cust, g.any_phone_form(), "prose"), " but got voicemail.\n\n",
          "Kind regards\n", g.P(agent, "western", "signature"), "\n", Neg("job_title", g.pick(["Support Engineer", "Customer Success Manager"])),
          ", ", Neg("company", vendor), "\n\n",
          "On ", sent, ", ", g.P(cust, "full", "quote"), " <", g.EM(cust, "quote", "angle"), "> wrote:\n",
          "> Hello,\n",
          "> since we moved to ", Neg("version", ver), " every export stops at 99%.\n",
          "> Order ", Neg("identifier", g.ident("order")), ", licence paid ", Neg("amount", g.amount(loc)), ".\n",
          "> Best reach me on my mobile ", g.PH(cust, g.pick(["intl", "local", "zerozero"]), "quote"), ".\n",
          "> --\n",
          "> ", g.P(cust, g.pick(["upper", "full", "initial"]), "quote"), "\n",
          "> ", g.ST(cust, "quote"), ", ", g.address_tail(cust), "\n")


def invoice(g: Gen, d: Doc, loc: str) -> None:
    cust = g.person(loc)
    vendor, city = g.company(g.other_loc(loc, 0.5)), g.city(loc)
    issued_day = g.day(2024, 2026)
    issued, due = issued_day.isoformat(), (issued_day + timedelta(days=g.pick([14, 30, 45]))).isoformat()
    d.add(Neg("company", vendor), "\n", "VAT reg. ", g.code(2), g.num(9), " · ", Neg("city", city), "\n\n",
          "INVOICE ", Neg("identifier", g.ident("invoice")), "\n",
          "Issue date: ", Neg("date", issued), "    Due date: ", Neg("date", due), "\n\n",
          "Bill to:\n",
          g.P(cust, g.pick(["upper", "full", "middle_initial"]), "block"), "\n",
          g.ST(cust, "block", "multiline"), "\n",
          g.address_tail(cust).upper() if g.chance(0.3) else g.address_tail(cust), "\n",
          cust.country.upper(), "\n\n",
          "| Item | Qty | Unit | Total |\n|------|----:|-----:|------:|\n")
    for _ in range(g.rng.randrange(2, 4)):
        d.add("| ", Neg("product", g.product()), " subscription (", Neg("version", g.version()), ") | ",
              str(g.rng.randrange(1, 12)), " | ", Neg("amount", g.amount(loc)), " | ", Neg("amount", g.amount(loc)), " |\n")
    d.add("\n**Total due: ", Neg("amount", g.amount(loc)), "**\n\n")
    if cust.iban and g.chance(0.6):
        d.add("Paid by SEPA direct debit from ", g.IB(cust, "prose"), " (mandate ", Neg("identifier", g.ident("customer")),
              ", debtor ", g.P(cust, "western", "prose"), ").\n")
    else:
        d.add("Charged to card ", g.CC(cust, "prose"), ", cardholder ", g.P(cust, "upper", "prose"), ".\n")
    d.add("Questions about this invoice: ", Neg("department", "Accounts Payable"), ", ref. ", Neg("identifier", g.ident("po")), "\n")


def shipping_manifest(g: Gen, d: Doc, loc: str) -> None:
    carrier, depot, dep = g.company(loc), g.city(loc), g.datestr(g.pick(["dmy_dot", "iso", "dmy_slash"]))
    loader = g.person(loc)
    rows = [g.person(g.other_loc(loc, 0.5)) for _ in range(g.rng.randrange(3, 6))]
    header = g.pick([("Consignee", "Tel.", "Deliver to"), ("Receiver", "Contact no", "Address"),
                     ("Empfänger", "Telefon", "Lieferadresse"), ("Destinatario", "Celular", "Dirección")])
    d.add("SHIPPING MANIFEST ", Neg("identifier", g.ident("awb")), "\n",
          "Carrier: ", Neg("company", carrier), " | Depot: ", Neg("city", depot), " | Departure: ", Neg("date", dep), "\n\n")
    if g.chance(0.5):
        d.add(f"| # | {header[0]} | {header[1]} | {header[2]} | Parcel | Weight | Contents |\n",
              "|---|---|---|---|---|---|---|\n")
        for i, r in enumerate(rows, 1):
            d.add(f"| {i} | ", g.P(r, g.pick(["last_first", "upper_last_first", "full"]), "table"), " | ",
                  g.PH(r, g.any_phone_form(), "table"), " | ", g.ST(r, "table"), ", ", g.address_tail(r), " | ",
                  Neg("identifier", g.ident("parcel")), f" | {g.rng.randrange(1, 300) / 10} kg | ", Neg("product", g.product()), " |\n")
    else:
        d.add(f"{'NO':<4}{header[0].upper():<28}{header[1].upper():<20}PARCEL\n")
        for i, r in enumerate(rows, 1):
            name, ph = g.P(r, g.pick(["upper", "upper_last_first"]), "table"), g.PH(r, g.pick(["digits", "e164", "local"]), "table")
            d.add(f"{i:<4}", name, " " * max(1, 28 - len(name.text)), ph, " " * max(1, 20 - len(ph.text)), Neg("identifier", g.ident("parcel")), "\n",
                  "    ", g.ST(r, "table"), ", ", g.address_tail(r), "\n")
    d.add("\nTotal pieces: ", str(len(rows)), " · Freight charge ", Neg("amount", g.amount(loc)), "\n",
          "Loaded and checked by ", g.P(loader, "initial", "signature"), " (", Neg("job_title", "Warehouse Supervisor"), ", ",
          Neg("department", "Logistics Planning"), ")\n")


def meeting_transcript(g: Gen, d: Doc, loc: str) -> None:
    a, b = g.person(loc), g.person(loc)
    c = g.person(g.other_loc(loc, 0.3))
    prod, ver, guest_co, dept = g.product(), g.version(), g.company(c.loc), g.dept()
    upper = g.chance(0.4)
    sp = (lambda p: g.P(p, "upper", "speaker")) if upper else (lambda p: g.P(p, "full", "speaker"))
    d.add("Transcript – ", Neg("department", dept), " weekly sync – ", Neg("date", g.datestr("d_month_y")), "\n",
          "Recorded with ", Neg("product", "Sofia Voice"), " ", Neg("version", g.version()), "\n",
          "Attendees: ", g.P(a, "full", "list"), ", ", g.P(b, "full", "list"), ", ", g.P(c, "full", "list"),
          " (guest, ", Neg("company", guest_co), ")\n\n",
          "[00:00:05] ", sp(a), ": Morning everyone, let's start with the ", Neg("product", prod), " rollout.\n",
          "[00:00:41] ", sp(b), ": Thanks ", g.P(a, "given", "prose"), ". We're on ", Neg("version", ver),
          " in staging, production goes live on ", Neg("date", g.datestr("d_month_y")), ".\n",
          "[00:02:13] ", sp(c), ": From our side the budget is ", Neg("amount", g.amount(loc)),
          ". If anything blocks you, my direct line is ", g.PH(c, g.any_phone_form(), "prose"), ".\n",
          "[00:03:02] ", sp(a), ": Good. ", g.P(b, "family", "prose"), ", can you take the cut-over checklist?\n",
          "[00:03:09] ", sp(b), ": Yes. I'll also ask ", g.P(g.person(loc), "western", "prose"), " from ",
          Neg("department", g.dept()), " to join.\n",
          "[00:04:30] ", sp(c), ": One more thing – send the signed order to ", g.EM(c, "prose"), ".\n\n",
          "Action items\n",
          "- ", g.P(b, "given", "list"), ": cut-over checklist, due ", Neg("date", g.datestr("iso")), "\n",
          "- ", g.P(c, "initial", "list"), ": revised quote ", Neg("identifier", g.ident("req")), "\n")


def chat_export(g: Gen, d: Doc, loc: str) -> None:
    people = [g.person(g.other_loc(loc, 0.6)) for _ in range(3)]
    uids = [f"U0{g.code(8)}" for _ in people]
    chan = g.pick(["#ops-oncall", "#sales-emea", "#helpdesk", "#proj-migration", "#finance-close"])
    base = g.day(2025, 2026)

    def ts(k: int) -> str:
        return f"{base.isoformat()}T{8 + k:02d}:{g.rng.randrange(60):02d}:{g.rng.randrange(60):02d}Z"
    team = g.company(loc)
    for i, (p, uid) in enumerate(zip(people, uids)):
        d.add('{"type": "user", "id": "', uid, '", "team": "', Neg("company", team), '", "real_name": "',
              g.P(p, g.pick(["full", "western"]), "json"), '", "display_name": "', g.P(p, "given", "json"),
              '", "title": "', Neg("job_title", g.job()), '", "email": "', g.EM(p, "json"),
              '", "phone": "', g.PH(p, g.pick(["e164", "intl", "local"]), "json"), '"}\n')
    a, b, c = people
    prod, ver = g.product(), g.version()
    d.add('{"type": "message", "channel": "', chan, '", "ts": "', ts(0), '", "user": "', uids[0],
          '", "text": "<@', uids[1], '> ', Neg("product", prod), ' ', Neg("version", ver), ' is failing health checks again, can you look?"}\n',
          '{"type": "message", "channel": "', chan, '", "ts": "', ts(1), '", "user": "', uids[1],
          '", "text": "on it. ', g.P(c, "given", "json"), ', I need the VPN exception for ', g.IPA(g.ip(0.1), "json", b.loc), ' (home)"}\n',
          '{"type": "message", "channel": "', chan, '", "ts": "', ts(2), '", "user": "', uids[2],
          '", "text": "approved until ', Neg("date", g.datestr("iso")), '. ticket ', Neg("identifier", g.ident("ticket")), '"}\n',
          '{"type": "message", "channel": "', chan, '", "ts": "', ts(3), '", "user": "', uids[0],
          '", "text": "thanks ', g.P(c, "family", "json"), '! if it pages again call me: ', g.PH(a, g.pick(["digits", "local"]), "json"), '"}\n',
          '{"type": "audit", "ts": "', ts(4), '", "event": "login", "actor": "', g.P(b, "western", "json"),
          '", "source_ip": "', g.IPA(g.ip(), "json", b.loc), '", "client": "', Neg("product", "Lumen Portal"), ' ', Neg("version", g.version()), '"}\n')


def config_file(g: Gen, d: Doc, loc: str) -> None:
    owner, backup = g.person(loc), g.person(g.other_loc(loc, 0.5))
    prod, ver, dept = g.product(), g.version(), g.dept()
    slug = re.sub(r"[^a-z]+", "-", prod.lower()).strip("-")
    if g.chance(0.5):
        d.add("# ", Neg("product", prod), " – deployment settings (managed by ", Neg("department", dept), ")\n",
              "service:\n  name: ", slug, "\n  version: \"", Neg("version", ver), "\"\n  region: ", Neg("city", g.city(loc)), "\n",
              "owner:\n  name: \"", g.P(owner, g.pick(["full", "western"]), "yaml"), "\"\n  email: ", g.EM(owner, "yaml"),
              "\n  phone: \"", g.PH(owner, g.pick(["intl", "e164", "local"]), "yaml"), "\"\n  cost_centre: ", Neg("identifier", f"CC-{g.num(5)}"), "\n",
              "escalation:\n  - name: \"", g.P(backup, "last_first", "yaml"), "\"\n    role: ", Neg("job_title", g.job()),
              "\n    mobile: \"", g.PH(backup, g.pick(["e164", "digits", "zerozero"]), "yaml"), "\"\n",
              "network:\n  admin_allowlist:\n    - ", g.IPA(g.ip(0.0), "yaml", owner.loc), "/32   # ", g.P(owner, "given", "yaml"),
              " home office\n    - 10.20.0.0/16\n  upstream: ", Neg("version", g.version()), "\n",
              "review_date: ", Neg("date", g.datestr("iso")), "\n")
    else:
        d.add("; ", Neg("product", prod), " agent configuration\n; generated ", Neg("date", g.datestr("iso")), "\n\n",
              "[service]\nversion = ", Neg("version", ver), "\nsite = ", Neg("city", g.city(loc)), "\nvendor = ", Neg("company", g.company(loc)), "\n\n",
              "[contact]\nmaintainer = ", g.P(owner, g.pick(["full", "western"]), "ini"), " <", g.EM(owner, "ini", "angle"), ">\n",
              "oncall_phone = ", g.PH(owner, g.pick(["e164", "digits", "intl"]), "ini"), "\n",
              "deputy = ", g.P(backup, g.pick(["upper", "initial", "full"]), "ini"), "\n",
              "team = ", Neg("department", dept), "\n\n",
              "[access]\nallow_from = ", g.IPA(g.ip(0.3), "ini", owner.loc), ", 192.168.10.0/24\n",
              "budget_cap = ", Neg("amount", g.amount(loc)), "\n")


def directory_export(g: Gen, d: Doc, loc: str) -> None:
    org = g.company(loc)
    dc = re.sub(r"[^a-z]+", "", fold(org).lower())[:12] or "corp"
    people = [g.person(g.other_loc(loc, 0.7)) for _ in range(g.rng.randrange(2, 4))]
    if g.chance(0.5):
        d.add("# LDIF export of ou=People, generated ", Neg("date", g.datestr("iso")), "\nversion: 1\n\n")
        for p in people:
            d.add(f"dn: uid={g.ident('employee').lower()},ou=People,dc={dc},dc=example\n",
                  "objectClass: inetOrgPerson\n",
                  "cn: ", g.P(p, "western", "ldif"), "\n",
                  "sn: ", g.P(p, "family", "ldif"), "\n",
                  "givenName: ", g.P(p, "given", "ldif"), "\n",
                  "displayName: ", g.P(p, "last_first", "ldif"), "\n",
                  "title: ", Neg("job_title", g.job()), "\n",
                  "ou: ", Neg("department", g.dept()), "\n",
                  "o: ", Neg("company", org), "\n",
                  "mail: ", g.EM(p, "ldif"), "\n",
                  "telephoneNumber: ", g.PH(p, g.pick(["intl", "e164"]), "ldif"), "\n",
                  "postalAddress: ", g.ST(p, "ldif", "dollar"), "$", p.postcode, " ", p.city, "$", p.country, "\n\n")
    else:
        for p in people:
            d.add("BEGIN:VCARD\nVERSION:3.0\n",
                  "N:", g.P(p, "semicolon", "vcard"), ";;;\n",
                  "FN:", g.P(p, "full", "vcard"), "\n",
                  "ORG:", Neg("company", org), ";", Neg("department", g.dept()), "\n",
                  "TITLE:", Neg("job_title", g.job()), "\n",
                  "TEL;TYPE=CELL:", g.PH(p, "e164", "vcard"), "\n",
                  "TEL;TYPE=WORK,VOICE:", g.PH(p, g.pick(["local", "intl"]), "vcard"), "\n",
                  "EMAIL;TYPE=INTERNET:", g.EM(p, "vcard"), "\n",
                  "ADR;TYPE=HOME:;;", g.ST(p, "vcard", "semicolon"), ";", p.city, ";;", p.postcode, ";", p.country, "\n",
                  "BDAY:", g.DOB(p, "vcard", g.pick(["iso", "compact"])), "\n",
                  "REV:", Neg("date", g.datestr("iso")), "T10:15:00Z\nEND:VCARD\n")


def performance_review(g: Gen, d: Doc, loc: str) -> None:
    emp, rev, peer = g.person(loc), g.person(g.other_loc(loc, 0.6)), g.person(g.other_loc(loc, 0.4))
    year = g.rng.choice([2025, 2026])
    start = date(year - 1, g.pick([1, 4, 7]), 1)
    pro, obj = ("She", "her") if emp.gender == "f" else ("He", "his")
    prod = g.product()
    d.add(f"Annual performance review {year}\n\n",
          "Employee: ", g.P(emp, g.pick(["full", "upper", "last_first"]), "kv"), "    Employee ID: ", Neg("identifier", g.ident("employee")), "\n",
          "Position: ", Neg("job_title", g.job()), ", ", Neg("department", g.dept()), "\n",
          "Reviewer: ", g.P(rev, "full", "kv"), " (", Neg("job_title", g.pick(["Branch Manager", "Product Owner", "Practice Manager"])), ")\n",
          "Period: ", Neg("date", DOB_FORMATS["dmy_slash"](start)), " – ", Neg("date", DOB_FORMATS["dmy_slash"](start + timedelta(days=364))), "\n\n",
          "## Summary\n",
          g.P(emp, "given", "prose"), f" had a strong year. {pro} led the move of ", Neg("product", prod), " to ",
          Neg("version", g.version()), f" and cut {obj} team's open incidents by a third. Customers at ",
          Neg("company", g.company(loc)), " asked for ", g.P(emp, "given", "prose"), " by name.\n\n",
          "## Feedback from colleagues\n",
          "> \"Always the first to help during month-end.\" – ", g.P(peer, g.pick(["western", "initial"]), "quote"), ", ",
          Neg("department", g.dept()), "\n\n",
          "## Rating and pay\n",
          "Rating 4 of 5 (exceeds expectations). Proposed increase ", Neg("amount", g.amount(loc)), " effective ",
          Neg("date", g.datestr("d_month_y")), ". Next check-in with ", g.P(rev, "family", "prose"), " in ", Neg("city", g.city(loc)), ".\n\n",
          "Signed: ", g.P(rev, "initial", "signature"), " / ", g.P(emp, "initial", "signature"), "\n")


def car_rental(g: Gen, d: Doc, loc: str) -> None:
    r, extra = g.person(loc, born=(1950, 2003)), g.person(loc, born=(1950, 2003))
    firm, car = g.company(loc), g.pick(CARS)
    out_day, fmt = g.day(2025, 2027), g.pick(["dmy_slash", "mdy_slash", "d_mon_y"])
    in_day = out_day + timedelta(days=g.rng.randrange(1, 15))
    d.add(Neg("company", firm), " — VEHICLE RENTAL AGREEMENT No. ", Neg("identifier", g.ident("rental")), "\n\n",
          "RENTER\n",
          "  Name:            ", g.P(r, g.pick(["upper_last_first", "last_first", "upper"]), "kv"), "\n",
          "  Date of birth:   ", g.DOB(r, "kv", g.pick(["dmy_slash", "mdy_slash", "d_mon_y", "ddmonyyyy", "dmy_dot"])), "\n",
          "  Home address:    ", g.ST(r, "kv"), ", ", g.address_tail(r), ", ", r.country, "\n",
          "  Mobile:          ", g.PH(r, g.pick(["intl", "zerozero", "local", "digits"]), "kv"), "\n",
          "  E-mail:          ", g.EM(r, "kv"), "\n",
          "ADDITIONAL DRIVER: ", g.P(extra, "full", "kv"), ", born ", g.DOB(extra, "prose", g.pick(["dmy_dot", "iso", "d_month_y"])), "\n\n",
          "VEHICLE  ", Neg("product", car), ", plate ", Neg("identifier", g.ident("plate")), ", fuel full\n",
          "OUT      ", Neg("city", g.city(loc)), " Airport, ", Neg("date", DOB_FORMATS[fmt](out_day)), " ", g.time(), "\n",
          "IN       ", Neg("city", g.city(loc)), " downtown, ", Neg("date", DOB_FORMATS[fmt](in_day)), " ", g.time(), "\n",
          "RATE     ", Neg("amount", g.amount(loc)), " per day, deposit ", Neg("amount", g.amount(loc)), "\n",
          "PAYMENT  card ", g.CC(r, "kv"), " exp ", f"{g.rng.randrange(1, 13):02d}/{g.rng.randrange(27, 31)}", "\n\n",
          "I accept the terms overleaf.   Signature: ____________   (", g.P(r, "western", "signature"), ")\n",
          "Agent: ", g.P(g.person(loc), "given", "signature"), ", ", Neg("job_title", "Branch Manager"), "\n")


def enrolment_letter(g: Gen, d: Doc, loc: str) -> None:
    parent, child = g.person(loc, born=(1970, 1992)), g.person(loc, born=(2009, 2020))
    child.family = parent.family if g.chance(0.7) else child.family
    other = g.person(loc, gender="m" if parent.gender == "f" else "f", born=(1968, 1992))
    head = g.person(g.other_loc(loc, 0.6))
    city = g.city(loc)
    school = f"{city} {g.pick(SCHOOL_WORDS)}"
    d.add(Neg("company", school), "\n", Neg("department", "Admissions Office"), "\n", city, ", ", Neg("date", g.datestr("d_month_y")), "\n\n",
          "Dear ", g.P(parent, "western", "salutation"), ",\n\n",
          "We are delighted to confirm that ", g.P(child, "western", "prose"), ", born ", g.DOB(child, "prose", g.pick(["d_month_y", "dmy_slash", "month_d_y"])),
          ", has been offered a place in Year ", str(g.rng.randrange(1, 12)), " (class ", Neg("identifier", g.ident("pupil")), ") from ",
          Neg("date", g.datestr("d_month_y")), ".\n\n",
          "The details we hold are:\n",
          "  Pupil:               ", g.P(child, g.pick(["last_first", "upper_last_first"]), "kv"), "\n",
          "  Parent/guardian 1:   ", g.P(parent, "full", "kv"), ", ", g.PH(parent, g.any_phone_form(), "kv"), "\n",
          "  Parent/guardian 2:   ", g.P(other, "full", "kv"), ", ", g.EM(other, "kv"), "\n",
          "  Home address:        ", g.ST(parent, "kv"), ", ", g.address_tail(parent), "\n\n",
          "The annual tuition fee is ", Neg("amount", g.amount(loc)), ". Please return the signed acceptance form by ",
          Neg("date", g.datestr("d_month_y")), "; ", g.P(child, "given", "prose"), " is also welcome at our open morning.\n\n",
          "Yours sincerely,\n\n", g.P(head, g.pick(["western", "middle_initial"]), "signature"), "\n", Neg("job_title", "Head of Admissions"), "\n")


def recruiter_email(g: Gen, d: Doc, loc: str) -> None:
    rec, mgr, cand, ref = g.person(g.other_loc(loc, 0.4)), g.person(g.other_loc(loc, 0.4)), g.person(loc, born=(1960, 2000)), g.person(loc)
    job, co1, co2, agency = g.job(), g.company(loc), g.company(), g.company()
    y = g.rng.randrange(2014, 2023)
    d.add("From: ", g.P(rec, "western", "header"), " <", g.EM(rec, "header", "angle"), ">\n",
          "To: ", g.P(mgr, "full", "header"), " <", g.EM(mgr, "header", "angle"), ">\n",
          "Subject: Shortlist – ", Neg("job_title", job), " (", Neg("identifier", g.ident("req")), ")\n",
          "Date: ", Neg("date", g.datestr("d_mon_y")), "\n\n",
          "Hi ", g.P(mgr, "given", "salutation"), ",\n\n",
          "as discussed, here is the first profile for the ", Neg("job_title", job), " role. ", g.P(cand, "given", "prose"),
          " is currently at ", Neg("company", co1), " and could start within two months; salary expectation ", Neg("amount", g.amount(loc)), ".\n\n",
          "----- CV excerpt -----\n",
          g.P(cand, g.pick(["upper", "full"]), "block"), "\n",
          g.ST(cand, "block"), " · ", g.address_tail(cand), " · ", g.PH(cand, g.any_phone_form(), "block"), " · ", g.EM(cand, "block"), "\n",
          "Date of birth: ", g.DOB(cand, "kv"), "  |  Nationality: ", cand.country, "\n\n",
          "EXPERIENCE\n",
          f"{y}–present   ", Neg("job_title", g.job()), ", ", Neg("company", co1), ", ", Neg("city", g.city(loc)), "\n",
          f"{y - 4}–{y}      ", Neg("job_title", g.job()), ", ", Neg("company", co2), "\n\n",
          "REFERENCES\n",
          g.P(ref, "full", "list"), ", ", Neg("job_title", g.job()), ", ", g.PH(ref, g.any_phone_form(), "list"), "\n\n",
          "Best,\n", g.P(rec, "given", "signature"), "\n-- \n", g.P(rec, "full", "signature"), " | ", Neg("job_title", "Senior Talent Partner"),
          " | ", Neg("company", agency), "\nM: ", g.PH(rec, g.pick(["intl", "zerozero"]), "signature"), "\n")


def kyc_checklist(g: Gen, d: Doc, loc: str) -> None:
    c = g.person(loc) if LOCALES[loc][0] in IBAN_LENGTH else g.person(g.pick(["de_CH", "da_DK", "no_NO", "sl_SI", "lv_LV", "hu_HU"]))
    d.locale = c.loc
    spouse, reviewer = g.person(c.loc), g.person(g.other_loc(loc, 0.5))
    employer = g.company(c.loc)
    d.add("KYC REVIEW – case ", Neg("identifier", g.ident("case")), "\n",
          "Customer: ", g.P(c, g.pick(["full", "upper", "last_first"]), "kv"), "   Customer no.: ", Neg("identifier", g.ident("customer")), "\n",
          "Reviewer: ", g.P(reviewer, "initial", "kv"), ", ", Neg("job_title", "KYC Analyst"), ", ", Neg("department", "Financial Crime Compliance"), "\n",
          "Risk rating: MEDIUM   Due: ", Neg("date", g.datestr("iso")), "\n\n",
          "[x] Identity verified – passport, date of birth ", g.DOB(c, "checklist"), "\n",
          "[x] Proof of address – utility bill for ", g.ST(c, "checklist"), ", ", g.address_tail(c), ", dated ", Neg("date", g.datestr()), "\n",
          "[x] Account ownership – ", g.IB(c, "checklist"), " held in the name of ", g.P(c, "western", "checklist"), "\n",
          "[ ] Source of funds – salary from ", Neg("company", employer), ", approx. ", Neg("amount", g.amount(c.loc)), " per month\n",
          "[x] Sanctions / PEP screening – no match (", Neg("product", "Corvid SIEM"), " ", Neg("version", g.version()), ")\n",
          "[x] Remote onboarding session from ", g.IPA(g.ip(), "checklist", c.loc), " (geo: ", Neg("city", g.city(c.loc)), ")\n",
          "[x] Contact number confirmed by call-back: ", g.PH(c, g.any_phone_form(), "checklist"), "\n")
    if g.chance(0.7):
        d.add("[x] FATCA – US person (former US resident); SSN ", g.SSN("checklist", c.loc), " on W-9\n")
    d.add("\nNotes: joint account with spouse ", g.P(spouse, "full", "prose"), " (born ", g.DOB(spouse, "prose"),
          "); ", g.P(c, "given", "prose") if g.chance(0.3) else g.P(c, "family", "prose"), " asked for statements by e-mail to ", g.EM(c, "prose"), ".\n")


def visitor_badges(g: Gen, d: Doc, loc: str) -> None:
    host_co, site = g.company(loc), g.city(loc)
    visitors = [g.person(g.other_loc(loc, 0.5)) for _ in range(g.rng.randrange(4, 7))]
    hosts = [g.person(loc) for _ in range(2)]
    delim = g.pick([";", "\t", "|", ","])
    cols = g.pick([["Badge", "Attendee", "Company", "Host", "Mobile", "Arrival"],
                   ["badge_no", "visitor", "organisation", "host_name", "phone", "time_in"],
                   ["Ausweis", "Besucher", "Firma", "Gastgeber", "Telefon", "Ankunft"],
                   ["Badge", "Kontakt", "Virksomhed", "Vært", "Mobil", "Ankomst"],
                   ["badge", "customer_full_name", "company", "host", "contact_number", "checked_in"]])
    when = g.datestr("iso")
    d.add("Visitor log – ", Neg("company", host_co), ", ", Neg("city", site), " office – ", Neg("date", when), "\n")
    d.add(delim.join(cols), "\n")
    for v in visitors:
        form = g.pick(["full", "last_first", "upper_last_first", "western"])
        name = v.name(form)
        quoted = delim in name or (delim == "," and "," in name)
        host = g.pick(hosts)
        co = g.company(v.loc)
        co_q = delim in co
        ph_form = g.pick(["local", "e164", "digits", "intl"])
        d.add(Neg("identifier", g.ident("badge")), delim,
              '"' if quoted else "", g.P(v, form, "csv"), '"' if quoted else "", delim,
              '"' if co_q else "", Neg("company", co), '"' if co_q else "", delim,
              g.P(host, g.pick(["initial", "western", "family"]), "csv"), delim,
              g.PH(v, ph_form, "csv"), delim, g.time(), "\n")
    d.add("Escort required for zone B. Security desk: ", Neg("department", "Facilities & Security"), ".\n")


def travel_itinerary(g: Gen, d: Doc, loc: str) -> None:
    a = g.person(loc, born=(1950, 2000))
    b = g.person(loc, gender="m" if a.gender == "f" else "f", born=(1950, 2000))
    arranger = g.person(g.other_loc(loc, 0.5))
    frm, to = g.pick(AIRPORTS), g.pick(AIRPORTS)
    dep = g.day(2025, 2027)
    title = lambda p: "MRS" if p.gender == "f" else "MR"  # noqa: E731
    d.add("BOOKING REFERENCE: ", Neg("identifier", g.ident("pnr")), "        ISSUED BY: ", Neg("company", g.company(loc)), "\n\n",
          "PASSENGERS\n",
          "  1. ", g.P(a, "slash", "pnr"), " ", title(a), "\n",
          "  2. ", g.P(b, "slash", "pnr"), " ", title(b), "\n\n",
          "FLIGHT   DATE    FROM                TO                  DEP    ARR\n",
          f"{g.code(2)} {g.rng.randrange(100, 2999):<5}", Neg("date", f"{dep.day:02d}{MONTHS[dep.month - 1][:3].upper()}"),
          f"   {frm[0]} ", Neg("city", frm[1]), " " * max(1, 16 - len(frm[1])), f"{to[0]} ", Neg("city", to[1]),
          " " * max(1, 16 - len(to[1])), g.time(), "  ", g.time(), "\n\n",
          "APIS DATA\n",
          "  Passenger 1 date of birth: ", g.DOB(a, "kv", "ddmonyyyy"), "   nationality: ", a.country.upper(), "\n",
          "  Passenger 2 date of birth: ", g.DOB(b, "kv", g.pick(["ddmonyyyy", "dmy_slash", "iso"])), "\n\n",
          "CONTACT  CTCM ", g.PH(a, g.pick(["e164", "digits", "intl"]), "kv"), "\n",
          "CONTACT  CTCE ", g.EM(a, "kv"), "\n\n",
          "FARE     ", Neg("amount", g.amount(loc)), " incl. taxes, paid by card ", g.CC(a, "kv"), "\n",
          "Travel arranged by ", g.P(arranger, g.pick(["western", "full"]), "prose"), ", ", Neg("department", g.pick(["Group Risk", "Treasury", "Platform Engineering"])),
          " – for changes call the travel desk, not the passengers.\n")


KINDS = [appointment_reminder, insurance_claim, support_ticket, invoice, shipping_manifest,
         meeting_transcript, chat_export, config_file, directory_export, performance_review,
         car_rental, enrolment_letter, recruiter_email, kyc_checklist, visitor_badges, travel_itinerary]


def check_row(row: dict) -> None:
    """Structured documents still parse, and every label is exact."""
    text = row["text"]
    if row["kind"] == "chat_export":
        for line in text.splitlines():
            json.loads(line)
    if row["kind"] == "visitor_badges":
        lines = text.splitlines()
        for delim in [";", "\t", "|", ","]:
            if lines[1].count(delim) == 5:
                break
        for line in lines[2:-1]:
            assert len(next(csv.reader([line], delimiter=delim))) == 6, (row["id"], line)
    if row["kind"] == "config_file" and text.startswith("#"):
        import yaml  # only for the check
        yaml.safe_load(text)


def build(seed: int = SEED) -> list[dict]:
    g = Gen(seed)
    rows = []
    for k, kind in enumerate(KINDS):
        for i in range(DOCS_PER_KIND):
            loc = LOCS[(i * 5 + k * 3) % len(LOCS)]
            d = Doc(f"{kind.__name__}-{i:03d}", kind.__name__, loc)
            kind(g, d, loc)
            row = d.row()
            assert row["entities"] and len(row["hard_negatives"]) >= 3, row["id"]
            check_row(row)
            rows.append(row)
    return rows


def main() -> int:
    rows = build()
    with OUT.open("w", encoding="utf-8", newline="\n") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
    entities = sum(len(r["entities"]) for r in rows)
    negatives = sum(len(r["hard_negatives"]) for r in rows)
    print(f"{OUT.name}: {len(rows)} documents, {sum(len(r['text']) for r in rows):,} characters, "
          f"{entities} entities, {negatives} hard negatives", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
