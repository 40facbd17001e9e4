"""The multi-locale labelled PII set (issue 18, item 4a): Faker people from 16 locales in business
documents unlike the sample company's, every planted value labelled with its type and span.

Writes, next to this file:

- ``multilocale.jsonl``: English-language documents (background-check requests, benefits
  enrolments, HR letters, expense claims, chat logs, e-mail threads with signatures, CSV exports,
  tables, approval chains, minutes, access logs, payroll forms, visitor logs, technical notes with
  an author, tenancy applications; 24 of each) about people from
  en_US, en_GB, en_IN, de_DE, fr_FR, es_ES, it_IT, nl_NL, pt_BR, pl_PL, sv_SE, cs_CZ, tr_TR, fi_FI
  and, romanised, ja_JP and zh_CN;
- ``zh.jsonl``: Chinese-language documents (zh_CN names in Han characters, mainland phones,
  resident ids, addresses), scored apart: Chinese scrubbing is issue 21;
- ``multilocale.meta.json``: seed, Faker version and counts (the same Faker version regenerates
  the same bytes).

Each row: ``id``, ``kind``, ``locale`` (the main person's), ``text``, ``entities`` (values that must
disappear: ``type``, ``start``, ``end``, ``value``, ``locale``, ``ctx`` = how the value is written:
``role_colon``, ``joined_slash``, ``given_alone``, ``digits_only``, ...) and ``hard_negatives``
(values that must survive: ``kind``, ``start``, ``end``, ``value``: non-birth dates, amounts,
company and product names, section and version numbers, commands, UI words such as "Next" or
"JSON", identifiers). ``text[start:end] == value`` for every label.

What the labels mean. PERSON is the name as written (titles such as "Dr." or "Ms" are outside the
span). STREET_ADDRESS is the street line (number, street, flat); the postcode and city that follow
are neither PII nor negatives. PHONE_NUMBER values are valid numbers of their country according
to ``phonenumbers`` (a number that cannot exist is not anybody's phone). IBANs carry a valid
check number, cards a valid Luhn digit.

    .venv/bin/python tests/data/pii_eval/generate.py        # or tests/data/make_pii_eval.py
"""

from __future__ import annotations

import json
import random
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Callable

import faker
import phonenumbers
from faker import Faker
from faker.providers.address.it_IT import Provider as _ItalianAddresses

from faker.providers.ssn.zh_CN import Provider as _ChineseIds

_IT_CITIES = sorted(_ItalianAddresses.cities)
_CN_AREAS = [a for a in _ChineseIds.area_codes if not a.endswith("00")]  # counties, not provinces
_CN_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]

HERE = Path(__file__).resolve().parent
MULTILOCALE = HERE / "multilocale.jsonl"
ZH = HERE / "zh.jsonl"
META = HERE / "multilocale.meta.json"
SEED = 18_2026
DOCS_PER_KIND = 24
ZH_DOCS_PER_KIND = 14

# Locale -> phone region. ja_JP and zh_CN people get romanised names in the English documents.
LOCALES: dict[str, str] = {
    "en_US": "US", "en_GB": "GB", "en_IN": "IN", "de_DE": "DE", "fr_FR": "FR", "es_ES": "ES",
    "it_IT": "IT", "nl_NL": "NL", "pt_BR": "BR", "pl_PL": "PL", "sv_SE": "SE", "cs_CZ": "CZ",
    "tr_TR": "TR", "fi_FI": "FI", "ja_JP": "JP", "zh_CN": "CN",
}
# Where Faker writes believable street addresses; people from other locales live in one of these.
ADDRESS_LOCALES = ["en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL", "pt_BR", "pl_PL",
                   "sv_SE", "cs_CZ", "fi_FI", "de_AT", "da_DK", "pt_PT", "nl_BE"]
# Countries whose Faker bank provider writes their own IBANs (others fall back to GB).
IBAN_LOCALES = ["de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL", "pl_PL", "cs_CZ", "fi_FI", "de_AT",
                "de_CH", "nl_BE", "pt_PT", "en_IE", "da_DK", "no_NO", "sk_SK", "ro_RO", "en_GB",
                "tr_TR"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
_ASCII = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "æ": "ae", "Æ": "AE",
                        "đ": "d", "Đ": "D", "ı": "i", "İ": "I", "œ": "oe", "þ": "th", "ð": "d"})
_PARTICLES = {"van", "von", "de", "da", "der", "den", "del", "della", "di", "du", "la", "le", "dos",
              "das", "do", "y", "e", "ten", "ter", "het", "'t"}


# --- values --------------------------------------------------------------------------------------


def ascii_fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.translate(_ASCII))
    return "".join(c for c in text if not unicodedata.combining(c)).encode("ascii", "ignore").decode()


def fmt_date(d: date, style: str) -> str:
    """A date as people write it in forms and letters across the locales."""
    month = MONTHS[d.month - 1]
    return {
        "dmy_dot": f"{d.day:02d}.{d.month:02d}.{d.year}", "dmy_slash": f"{d.day:02d}/{d.month:02d}/{d.year}",
        "mdy_slash": f"{d.month:02d}/{d.day:02d}/{d.year}", "iso": d.isoformat(),
        "d_month_y": f"{d.day} {month} {d.year}", "month_d_y": f"{month} {d.day}, {d.year}",
        "d_mon_y": f"{d.day:02d}-{month[:3]}-{d.year}", "d_mon_y_space": f"{d.day} {month[:3]} {d.year}",
        "dmy_dash": f"{d.day:02d}-{d.month:02d}-{d.year}",
    }[style]


DATE_STYLE = {"en_US": ["mdy_slash", "month_d_y"], "en_GB": ["dmy_slash", "d_month_y"],
              "en_IN": ["dmy_slash", "dmy_dash", "d_mon_y"], "sv_SE": ["iso"], "fi_FI": ["dmy_dot"],
              "de_DE": ["dmy_dot"], "cs_CZ": ["dmy_dot"], "pl_PL": ["dmy_dot", "dmy_dash"],
              "tr_TR": ["dmy_dot", "dmy_slash"], "fr_FR": ["dmy_slash"], "es_ES": ["dmy_slash"],
              "it_IT": ["dmy_slash"], "pt_BR": ["dmy_slash"], "nl_NL": ["dmy_dash", "d_month_y"],
              "ja_JP": ["iso"], "zh_CN": ["iso"]}
ALL_DATE_STYLES = ["dmy_dot", "dmy_slash", "mdy_slash", "iso", "d_month_y", "month_d_y", "d_mon_y",
                   "d_mon_y_space", "dmy_dash"]


@dataclass
class Person:
    locale: str
    given: str
    family: str
    email: str
    phone: str
    phone_digits: str  # the same number written without any separator
    dob: date
    street: str
    city_line: str
    title: str  # Mr / Ms

    @property
    def full(self) -> str:
        return f"{self.given} {self.family}"


class World:
    """Seeded Faker instances per locale plus one random stream for the templates."""

    def __init__(self, seed: int = SEED) -> None:
        self.r = random.Random(seed)
        names = sorted(set(LOCALES) | set(ADDRESS_LOCALES) | set(IBAN_LOCALES))
        self.fakers: dict[str, Faker] = {}
        for i, loc in enumerate(names):
            fake = Faker(loc)
            fake.seed_instance(seed + i)
            self.fakers[loc] = fake

    def locale(self) -> str:
        return self.r.choice(list(LOCALES))

    def person(self, locale: str | None = None) -> Person:
        r = self.r
        loc = locale or self.locale()
        f = self.fakers[loc]
        female = r.random() < 0.5
        if loc in ("ja_JP", "zh_CN"):
            given = (f.first_romanized_name_female() if female else f.first_romanized_name_male()) \
                if loc == "ja_JP" else f.first_romanized_name()
            family = f.last_romanized_name()
        else:
            given = f.first_name_female() if female else f.first_name_male()
            family = f.last_name_female() if female else f.last_name_male()
            family = re.sub(r"^(?:auch|genannt)\s+", "", family)
        given, family = given.strip(), family.strip()
        region = LOCALES[loc]
        phone, digits = self.phone(loc, region)
        addr_loc = loc if loc in ADDRESS_LOCALES else r.choice(ADDRESS_LOCALES)
        street, city_line = self.address(addr_loc)
        dob = f.date_between_dates(date(1958, 1, 1), date(2006, 12, 31))  # not date_of_birth(): relative to today
        return Person(loc, given, family, self.email(given, family), phone, digits, dob, street,
                      city_line, "Ms" if female else "Mr")

    def email(self, given: str, family: str) -> str:
        r = self.r
        g = re.sub(r"[^a-z]", "", ascii_fold(given).lower()) or "info"
        fam = re.sub(r"[^a-z]", "", ascii_fold(family).lower()) or "mail"
        local = r.choice([f"{g}.{fam}", f"{g[0]}{fam}", f"{g}_{fam}{r.randint(1, 99)}", f"{fam}.{g}",
                          f"{g}{r.randint(70, 99)}", f"{g}.{fam[0]}", f"{fam}{g[0]}"])
        domain = r.choice([self.fakers[self.locale()].free_email_domain(),
                           self.fakers[r.choice(ADDRESS_LOCALES)].domain_name()])
        return f"{local}@{domain}"

    def phone(self, loc: str, region: str) -> tuple[str, str]:
        """A number Faker writes for the locale that is valid in its region, and its digits only."""
        f = self.fakers[loc]
        for _ in range(400):
            text = f.phone_number()
            if re.search(r"[xX#]|ext", text):
                continue
            try:
                number = phonenumbers.parse(text, region)
            except phonenumbers.NumberParseException:
                continue
            if phonenumbers.is_valid_number(number) and phonenumbers.region_code_for_number(number) == region:
                national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
                return text, re.sub(r"\D", "", national)
        raise RuntimeError(f"no valid {region} number from Faker {loc}")

    def address(self, loc: str) -> tuple[str, str]:
        f = self.fakers[loc]
        street = re.sub(r"\s*\n\s*", ", ", f.street_address()).strip()
        # Faker it_IT keeps its cities in a list made from a set: its order follows the string hash
        # seed, so city() would differ from one interpreter to the next.
        city = f.random_element(_IT_CITIES) if loc == "it_IT" else f.city()
        if loc == "en_US":
            city_line = f"{city}, {f.state_abbr()} {f.zipcode()}"
        elif loc == "en_GB":
            city_line = f"{city} {f.postcode()}"
        else:
            city_line = f"{f.postcode()} {city}"
        return street, city_line

    def iban(self) -> str:
        value = self.fakers[self.r.choice(IBAN_LOCALES)].iban()
        assert iban_valid(value), value
        return " ".join(value[i:i + 4] for i in range(0, len(value), 4)) if self.r.random() < 0.6 else value

    def card(self) -> str:
        kind = self.r.choice(["visa", "visa", "mastercard", "mastercard", "amex", "discover", "jcb"])
        number = self.fakers["en_US"].credit_card_number(kind)
        assert luhn_valid(number), number
        sep = self.r.choice([" ", " ", "-", ""])
        if len(number) == 15:
            return sep.join([number[:4], number[4:10], number[10:]])
        return sep.join(number[i:i + 4] for i in range(0, len(number), 4))

    def ip(self) -> str:
        f = self.fakers["en_US"]
        return self.r.choice([f.ipv4_public, f.ipv4_public, f.ipv4_private, f.ipv6])()

    def ssn(self) -> str:
        return self.fakers["en_US"].ssn()

    def cn_id(self, born: date) -> str:
        """An 18-character PRC resident id for someone born on ``born`` (Faker's own ssn() counts
        back from today, so it would change from one day to the next)."""
        f = self.fakers["zh_CN"]
        body = f"{f.random_element(_CN_AREAS)}{born:%Y%m%d}{f.random_int(0, 999):03d}"
        return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, _CN_WEIGHTS)) % 11]

    def work_date(self) -> date:
        return date(2024, 1, 1) + timedelta(days=self.r.randint(0, 900))


def iban_valid(value: str) -> bool:
    s = value.replace(" ", "")
    return int("".join(str(int(c, 36)) for c in s[4:] + s[:4])) % 97 == 1


def luhn_valid(number: str) -> bool:
    nums = [int(c) for c in number]
    return (sum(nums[-1::-2]) + sum(sum(divmod(2 * n, 10)) for n in nums[-2::-2])) % 10 == 0


# --- business values that must survive -------------------------------------------------------------

PRODUCTS = ["Jenkins", "Kafka", "Cassandra", "Grafana", "Kibana", "Terraform", "Ansible", "Jira",
            "Confluence", "Salesforce", "SAP Concur", "Workday", "Zendesk", "PostgreSQL", "Redis",
            "Tableau", "Okta", "Outlook", "Microsoft Teams", "Slack", "Sentry", "Airflow", "Looker",
            "HubSpot", "Xero", "NetSuite", "Bamboo", "Hudson CI", "Ada Ledger", "Atlas Scheduler",
            "Marlowe Billing", "Juniper SRX", "Cisco Webex", "Dynamics 365", "ServiceNow", "Docusign"]
COMPANY_LOCALES = ["en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL", "pl_PL", "sv_SE"]
CITIES = ["Rotterdam", "Lisbon", "Singapore", "Denver", "Osaka", "Nairobi", "Kraków", "Montreal",
          "Gothenburg", "Lyon", "Porto Alegre", "Pune", "Brno", "Izmir", "Tampere", "Leeds", "Bilbao"]
UI_WORDS = ["Functions", "Next", "Prev", "Return", "XML", "JSON", "SQL", "Index", "Submit", "Export",
            "Settings", "Home", "Search", "Reports", "Approve", "Reject", "Save Draft", "Attachments"]
COMMANDS = ["kubectl rollout restart", "systemctl restart nginx", "git rebase -i", "pip install -U",
            "docker compose up -d", "terraform plan", "ansible-playbook site.yml", "rsync -av",
            "tar xzf", "journalctl -u", "psql -c", "curl -sS", "ssh-keygen -t ed25519", "make deploy",
            "SELECT COUNT(*)", "grep -R", "apt-get install", "chmod 640"]
JOB_TITLES = ["Senior Accountant", "Payroll Specialist", "Site Reliability Engineer", "HR Business Partner",
              "Procurement Lead", "Head of Finance", "Customer Success Manager", "Data Protection Officer",
              "Facilities Coordinator", "Solutions Architect", "Office Manager", "Talent Acquisition Lead"]
DEPARTMENTS = ["Finance", "People Operations", "Platform Engineering", "Procurement", "Legal",
               "Facilities", "Customer Success", "Treasury", "IT Service Desk", "Internal Audit"]
EXPENSE_CATEGORIES = ["Travel", "Meals", "Accommodation", "Mileage", "Conference fee", "Taxi",
                      "Train", "Office supplies", "Client entertainment", "Parking"]


class Doc:
    """Builds one document: markers stand for labelled values inside an f-string template, and
    `render` swaps them for the values while recording each value's span."""

    _MARK = re.compile("\ue000(\\d+)\ue001")

    def __init__(self, world: World, kind: str, locale: str) -> None:
        self.w, self.r, self.kind, self.locale = world, world.r, kind, locale
        self._marks: list[tuple[str, dict]] = []

    def _mark(self, what: str, label: dict) -> str:
        self._marks.append((what, label))
        return f"\ue000{len(self._marks) - 1}\ue001"

    def pii(self, entity_type: str, value: str, locale: str | None = None, ctx: str = "prose") -> str:
        return self._mark("pii", {"type": entity_type, "value": value, "locale": locale or self.locale, "ctx": ctx})

    def neg(self, kind: str, value: str) -> str:
        return self._mark("neg", {"kind": kind, "value": value})

    # People, written the ways documents write them -------------------------------------------
    def name(self, p: Person, ctx: str = "prose", style: str = "full") -> str:
        value = {"full": p.full, "given": p.given, "family": p.family,
                 "inverted": f"{p.family}, {p.given}", "upper_family": f"{p.family.upper()}, {p.given}",
                 "initial": f"{p.given[0]}. {p.family}",
                 "family_first": f"{p.family} {p.given}"}[style]
        return self.pii("PERSON", value, p.locale, ctx)

    def given(self, p: Person, ctx: str = "given_alone") -> str:
        return self.pii("PERSON", p.given, p.locale, ctx)

    def family(self, p: Person, ctx: str = "surname_alone") -> str:
        return self.pii("PERSON", p.family, p.locale, ctx)

    def email(self, p: Person, ctx: str = "prose") -> str:
        return self.pii("EMAIL_ADDRESS", p.email, p.locale, ctx)

    def phone(self, p: Person, ctx: str = "prose", digits: bool | None = None) -> str:
        if digits is None:
            digits = self.r.random() < 0.3
        if digits:
            return self.pii("PHONE_NUMBER", p.phone_digits, p.locale, "digits_only")
        return self.pii("PHONE_NUMBER", p.phone, p.locale, ctx)

    def dob(self, p: Person, ctx: str = "labelled") -> str:
        style = self.r.choice(DATE_STYLE[p.locale] + [self.r.choice(ALL_DATE_STYLES)])
        return self.pii("DATE_OF_BIRTH", fmt_date(p.dob, style), p.locale, ctx)

    def street(self, p: Person, ctx: str = "labelled") -> str:
        return self.pii("STREET_ADDRESS", p.street, p.locale, ctx)

    def iban(self, p: Person | None = None, ctx: str = "labelled") -> str:
        return self.pii("IBAN_CODE", self.w.iban(), p.locale if p else None, ctx)

    def card(self, p: Person | None = None, ctx: str = "labelled") -> str:
        return self.pii("CREDIT_CARD", self.w.card(), p.locale if p else None, ctx)

    def ip(self, ctx: str = "log") -> str:
        return self.pii("IP_ADDRESS", self.w.ip(), None, ctx)

    # Business values -------------------------------------------------------------------------
    def date(self, style: str | None = None) -> str:
        return self.neg("date", fmt_date(self.w.work_date(), style or self.r.choice(ALL_DATE_STYLES)))

    def amount(self) -> str:
        r = self.r
        whole, cents = r.randint(3, 4800), r.randint(0, 99)
        return self.neg("amount", r.choice([
            f"€{whole:,}.{cents:02d}", f"EUR {whole}.{cents:02d}", f"${whole:,}.{cents:02d}",
            f"£{whole}.{cents:02d}", f"{whole:,}.{cents:02d} USD".replace(",", " "),
            f"{whole},{cents:02d} €", f"R$ {whole},{cents:02d}", f"{whole},{cents:02d} zł",
            f"SEK {whole * 10:,}", f"CHF {whole}.{cents:02d}", f"₹{whole * 80:,}"]))

    def company(self) -> str:
        value = self.w.fakers[self.r.choice(COMPANY_LOCALES)].company()
        return self.neg("company", value)

    def product(self) -> str:
        return self.neg("product", self.r.choice(PRODUCTS))

    def section(self) -> str:
        r = self.r
        parts = [str(r.randint(1, 30))] + [str(r.randint(1, 12)) for _ in range(r.choice([1, 2, 3, 3]))]
        return self.neg("section", ".".join(parts))

    def version(self) -> str:
        r = self.r
        return self.neg("version", r.choice([
            f"v{r.randint(1, 9)}.{r.randint(0, 24)}.{r.randint(0, 9)}",
            f"{r.randint(1, 6)}.{r.randint(0, 9)}.{r.randint(0, 9)}.{r.randint(0, 40)}",
            f"{r.randint(1, 4)}.{r.randint(0, 12)}.0-rc{r.randint(1, 3)}",
            f"{r.randint(2023, 2025)}.{r.randint(1, 12)}.{r.randint(1, 9)}"]))

    def ident(self, kind: str = "id") -> str:
        r = self.r
        d = lambda n: "".join(str(r.randint(0, 9)) for _ in range(n))  # noqa: E731
        return self.neg("identifier", {
            "expense": f"EXP-{r.randint(2024, 2025)}-{d(5)}", "employee": f"E{d(6)}",
            "cost": f"CC-{d(4)}", "po": f"PO {d(8)}", "change": f"CHG{d(7)}", "req": f"REQ-{d(5)}",
            "badge": f"V-{d(3)}", "id": f"{r.choice(['INC', 'TKT', 'CASE'])}-{d(6)}",
            "contract": f"HR/{r.randint(2024, 2025)}/{d(4)}", "lease": f"L-{d(3)}-{d(2)}",
        }[kind])

    def ui(self, *pool: str) -> str:
        return self.neg("ui_word", self.r.choice(pool or UI_WORDS))

    def command(self) -> str:
        return self.neg("command", self.r.choice(COMMANDS))

    def job(self) -> str:
        return self.neg("job_title", self.r.choice(JOB_TITLES))

    def dept(self) -> str:
        return self.neg("department", self.r.choice(DEPARTMENTS))

    def city(self) -> str:
        return self.neg("place", self.r.choice(CITIES))

    def time(self) -> str:
        return self.neg("time", f"{self.r.randint(7, 19):02d}:{self.r.randint(0, 59):02d}")

    def percent(self) -> str:
        return self.neg("percent", f"{self.r.randint(1, 99)}.{self.r.randint(0, 9)}%")

    # -----------------------------------------------------------------------------------------
    def render(self, template: str, doc_id: str) -> dict:
        out: list[str] = []
        pos = length = 0
        entities, negatives = [], []
        for m in self._MARK.finditer(template):
            chunk = template[pos:m.start()]
            out.append(chunk)
            length += len(chunk)
            what, label = self._marks[int(m.group(1))]
            start, end = length, length + len(label["value"])
            out.append(label["value"])
            length = end
            (entities if what == "pii" else negatives).append({**label, "start": start, "end": end})
            pos = m.end()
        out.append(template[pos:])
        text = "".join(out)
        assert "\ue000" not in text and "\ue001" not in text
        negatives = [n for n in negatives if not _conflicts(n, entities)]
        entities = [{k: e[k] for k in ("type", "start", "end", "value", "locale", "ctx")} for e in entities]
        negatives = [{k: n[k] for k in ("kind", "start", "end", "value")} for n in negatives]
        return {"id": doc_id, "kind": self.kind, "locale": self.locale, "text": text,
                "entities": entities, "hard_negatives": negatives}


def _words(value: str) -> set[str]:
    return {w.casefold() for w in re.findall(r"\w{3,}", value)}


def _conflicts(negative: dict, entities: list[dict]) -> bool:
    """A must-keep value sharing a word with a planted name ("Nowak Sp. k." beside Jan Nowak), or
    overlapping a planted value, cannot fairly be expected to survive: it is left unlabelled."""
    words = _words(negative["value"])
    for e in entities:
        if e["start"] < negative["end"] and negative["start"] < e["end"]:
            return True
        if e["type"] == "PERSON" and words & _words(e["value"]):
            return True
    return False


# --- English-language documents --------------------------------------------------------------------


def k_hr_letter(d: Doc) -> str:
    r = d.r
    emp, hr = d.w.person(d.locale), d.w.person()
    kind = r.choice(["offer", "change", "reference"])
    head = (f"{d.name(emp, 'address_block')}\n{d.street(emp, 'address_block')}\n{emp.city_line}\n\n"
            f"{d.date()}\nRef: {d.ident('contract')}\n\n"
            f"Dear {emp.title} {d.family(emp, 'salutation_surname')},\n\n")
    if kind == "offer":
        body = (f"We are delighted to offer you the position of {d.job()} in our {d.dept()} team, "
                f"starting on {d.date()} at our {d.city()} office. Your gross annual salary will be "
                f"{d.amount()}, paid monthly into the account you gave us ({d.iban(emp)}).\n\n"
                f"Our records show your date of birth as {d.dob(emp)}; please tell us if this is wrong, "
                f"as it is used for the pension enrolment with {d.company()}.\n\n")
    elif kind == "change":
        body = (f"Following your review on {d.date()}, your role changes to {d.job()} from {d.date()}. "
                f"Your new salary is {d.amount()}. Nothing else in your contract changes. "
                f"{d.given(emp, 'given_alone')}, please sign and return the enclosed copy by {d.date()}.\n\n")
    else:
        body = (f"This is to confirm that {d.name(emp)} (born {d.dob(emp, 'born')}) was employed by "
                f"{d.company()} as a {d.job()} from {d.date()} to {d.date()}. During that time "
                f"{d.family(emp, 'surname_alone')} led the migration to {d.product()} and reported to "
                f"{d.name(hr)}.\n\n")
    sign = (f"Yours sincerely,\n\n{d.name(hr, 'signature')}\n{d.job()}, {d.dept()}\n"
            f"Direct line: {d.phone(hr, 'signature')} | {d.email(hr, 'signature')}")
    return head + body + sign


def k_expense_claim(d: Doc) -> str:
    r = d.r
    claimant, approver, second = d.w.person(d.locale), d.w.person(), d.w.person()
    rows = []
    for _ in range(r.randint(3, 5)):
        rows.append(f"{d.date()} | {r.choice(EXPENSE_CATEGORIES):<20} | {d.company()} | {d.amount()}")
    pay = r.choice([
        lambda: f"Reimburse to: {d.iban(claimant)}",
        lambda: f"Paid with corporate card {d.card(claimant)}; no reimbursement due",
        lambda: f"Reimburse to IBAN {d.iban(claimant)} (account holder {d.name(claimant, 'prose')})",
    ])()
    chain = r.choice([
        lambda: f"Approval chain: {d.name(claimant, 'joined_arrow')} -> {d.name(approver, 'joined_arrow')} -> {d.name(second, 'joined_arrow')}",
        lambda: f"Approvers: {d.name(approver, 'joined_slash')} / {d.name(second, 'joined_slash')}",
        lambda: f"Approved by {d.name(approver, 'joined_amp')} & {d.name(second, 'joined_amp')} on {d.date()}",
    ])()
    return (f"EXPENSE CLAIM {d.ident('expense')}\n"
            f"Claimant: {d.name(claimant, 'role_colon')}\nEmployee no.: {d.ident('employee')}\n"
            f"Department: {d.dept()}    Cost centre: {d.ident('cost')}\n"
            f"Approver: {d.name(approver, 'role_colon')}\n\n"
            f"Date       | Category             | Merchant | Amount\n" + "\n".join(rows) +
            f"\n\nTotal claimed: {d.amount()}\n{pay}\n{chain}\n"
            f"Note from {d.given(approver)}: receipts for the {d.city()} trip checked against the policy, "
            f"section {d.section()}.")


def k_chat_log(d: Doc) -> str:
    r = d.r
    a, b, c = d.w.person(d.locale), d.w.person(), d.w.person()
    style = r.choice(["bracket", "inline"])

    def line(p: Person, msg: str) -> str:
        if style == "bracket":
            return f"[{d.time()}] {d.name(p, 'chat_speaker')}: {msg}"
        return f"{d.name(p, 'chat_speaker')}  {d.time()}\n{msg}"

    lines = [
        line(a, f"morning all, the {d.product()} export to {d.ui()} keeps failing since {d.version()}"),
        line(b, f"@{d.given(a)} did you try {d.command()} on the runner?"),
        line(a, f"yes, same error. {d.given(c)} said it works from the VPN ({d.ip('chat')})"),
        line(c, r.choice([
            lambda: f"right, call me on {d.phone(c, 'chat', digits=r.random() < 0.5)} and we'll look together",
            lambda: f"I'm out till {d.date()}, ping {d.family(b)} or mail me at {d.email(c, 'chat')}",
            lambda: f"{d.given(b)} & {d.given(a)}: can one of you open a ticket? I'm at {d.phone(c, 'chat')}",
        ])()),
        line(b, f"opened {d.ident('id')}, assigned to {d.name(c, 'prose')}. Next step per section {d.section()}."),
    ]
    return f"#{d.dept().lower().replace(' ', '-')} — exported {d.date()}\n\n" + "\n".join(lines)


def k_email_thread(d: Doc) -> str:
    r = d.r
    a, b, cc = d.w.person(d.locale), d.w.person(), d.w.person()
    first = (f"From: {d.name(a, 'header')} <{d.email(a, 'header')}>\n"
             f"To: {d.name(b, 'header')} <{d.email(b, 'header')}>\n"
             f"Cc: {d.name(cc, 'header')} <{d.email(cc, 'header')}>\n"
             f"Date: {d.date('d_month_y')} {d.time()}\nSubject: Re: {d.company()} renewal, {d.ident('po')}\n\n"
             f"Hi {d.given(b, 'salutation_given')},\n\n"
             f"Thanks, that works. I have updated the quote to {d.amount()} and attached the {d.ui()} export. "
             f"{d.given(cc)} will countersign once {d.product()} {d.version()} is live.\n\n"
             f"Best regards,\n{d.name(a, 'signature')}\n{d.job()} | {d.company()}\n"
             f"{r.choice(['M', 'Mobile', 'Tel.', 'T'])}: {d.phone(a, 'signature')}\n"
             f"{d.street(a, 'signature')}, {a.city_line}\n\n")
    quoted = (f"On {d.date('d_mon_y_space')}, {d.name(b, 'quote_header')} <{d.email(b, 'quote_header')}> wrote:\n"
              f"> {d.given(a, 'salutation_given')}, can you confirm the price before {d.date()}?\n"
              f"> I need it for the board pack. Ask {d.family(cc)} if the PO is missing.\n"
              f"> --\n> {d.name(b, 'signature')}\n> {d.dept()}\n> {d.phone(b, 'signature')}")
    return first + quoted


def k_csv_export(d: Doc) -> str:
    r = d.r
    cols = r.choice([
        ["employee_id", "first_name", "last_name", "email", "mobile", "date_of_birth", "department"],
        ["id", "surname", "given_name", "birth_date", "iban", "city"],
        ["user", "display_name", "phone", "last_login_ip", "created"],
    ])
    lines = [",".join(cols)]
    for _ in range(r.randint(4, 7)):
        p = d.w.person(d.locale if r.random() < 0.4 else None)
        cell = {
            "employee_id": lambda: d.ident("employee"), "first_name": lambda: d.given(p, "csv"),
            "last_name": lambda: d.family(p, "csv"), "email": lambda: d.email(p, "csv"),
            "mobile": lambda: d.phone(p, "csv", digits=r.random() < 0.5), "department": lambda: d.dept(),
            "date_of_birth": lambda: _csv_quoted(d.dob(p, "csv"), d), "birth_date": lambda: _csv_quoted(d.dob(p, "csv"), d),
            "id": lambda: str(r.randint(1000, 9999)), "surname": lambda: d.family(p, "csv"),
            "given_name": lambda: d.given(p, "csv"), "iban": lambda: d.iban(p, "csv"),
            "city": lambda: d.city(), "user": lambda: d.email(p, "csv"),
            "display_name": lambda: '"' + d.name(p, "csv", "inverted") + '"',
            "phone": lambda: d.phone(p, "csv"), "last_login_ip": lambda: d.ip("csv"),
            "created": lambda: d.date("iso"),
        }
        lines.append(",".join(cell[c]() for c in cols))
    return f"# export {d.ident('req')} from {d.product()}, {d.date()}\n" + "\n".join(lines)


def _csv_quoted(marker: str, d: Doc) -> str:
    """Quote a CSV cell whose value holds a comma ("April 8, 1959")."""
    value = d._marks[int(marker[1:-1])][1]["value"]
    return f'"{marker}"' if "," in value else marker


def k_table(d: Doc) -> str:
    r = d.r
    kind = r.choice(["rota", "directory"])
    if kind == "rota":
        head = f"On-call rota, {d.dept()} (generated by {d.product()})\n\n| Week | Primary | Secondary | Escalation |\n|---|---|---|---|\n"
        rows = []
        for _ in range(r.randint(3, 5)):
            p1, p2, p3 = d.w.person(), d.w.person(), d.w.person()
            rows.append(f"| {d.date('iso')} | {d.name(p1, 'table')} | {d.name(p2, 'table')} | "
                        f"{d.name(p3, 'table')}, {d.phone(p3, 'table')} |")
        return head + "\n".join(rows) + f"\n\nSwaps must be agreed before {d.time()} on the Friday (see section {d.section()})."
    head = "Site contacts\n\n| Name | Role | Phone | E-mail |\n|---|---|---|---|\n"
    rows = []
    for _ in range(r.randint(3, 5)):
        p = d.w.person()
        rows.append(f"| {d.name(p, 'table', r.choice(['full', 'full', 'inverted', 'initial']))} | {d.job()} | "
                    f"{d.phone(p, 'table')} | {d.email(p, 'table')} |")
    return head + "\n".join(rows) + f"\n\nLast reviewed {d.date()} by {d.dept()}."


def k_approvals(d: Doc) -> str:
    a, b, c, e = d.w.person(d.locale), d.w.person(), d.w.person(), d.w.person()
    return (f"Change {d.ident('change')}: upgrade {d.product()} to {d.version()}\n"
            f"Requested by: {d.name(a, 'role_colon')}\n"
            f"Owners: {d.name(b, 'joined_slash')} / {d.name(c, 'joined_slash')}\n"
            f"Workflow: {d.name(a, 'joined_arrow')} -> {d.name(b, 'joined_arrow')} -> {d.name(e, 'joined_arrow')}\n"
            f"Implementers: {d.name(c, 'joined_amp')} & {d.name(e, 'joined_amp')}\n"
            f"Window: {d.date()} {d.time()}-{d.time()}\n"
            f"Plan: run {d.command()}, then {d.command()}; roll back with the steps in section {d.section()}.\n"
            f"Comment ({d.given(e)}): the {d.ui()} and {d.ui()} screens were checked on staging; "
            f"{d.family(b)} signs off the {d.city()} cutover.")


def k_minutes(d: Doc) -> str:
    people = [d.w.person(d.locale)] + [d.w.person() for _ in range(4)]
    chair, p1, p2, p3, absent = people
    return (f"Minutes — {d.dept()} steering group, {d.date('d_month_y')}\n"
            f"Chair: {d.name(chair, 'role_colon')}\n"
            f"Present: {d.name(p1, 'list_comma')}, {d.name(p2, 'list_comma')} and {d.name(p3, 'list_comma')}\n"
            f"Apologies: {d.name(absent, 'role_colon')}\n\n"
            f"1. Budget. {d.given(p1)} reported spend of {d.amount()} against {d.amount()} "
            f"({d.percent()} of plan). {d.company()} invoice disputed.\n"
            f"2. Tooling. Move from {d.product()} to {d.product()} by {d.date()}; {d.family(p2)} to check "
            f"the {d.ui()} export.\n"
            f"3. AOB. {d.given(p3)} asked that {d.given(chair)} circulate section {d.section()} again.\n\n"
            f"ACTION ({d.given(p2)}): draft the {d.city()} rollout plan by {d.date()}.")


def k_access_log(d: Doc) -> str:
    r = d.r
    users = [d.w.person(d.locale)] + [d.w.person() for _ in range(2)]
    lines = []
    for p in users:
        t = f"2025-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}T{r.randint(0, 23):02d}:{r.randint(0, 59):02d}:{r.randint(0, 59):02d}Z"
        lines.append(r.choice([
            lambda: f"{d.neg('timestamp', t)} vpn-gw1 auth ok user={d.email(p, 'log')} src={d.ip()} client={d.version()}",
            lambda: f"{d.neg('timestamp', t)} sshd[{r.randint(1000, 65000)}]: Accepted publickey for deploy from {d.ip()} port {r.randint(1025, 65000)}",
            lambda: f"{d.neg('timestamp', t)} sso: login {d.name(p, 'log')} <{d.email(p, 'log')}> from {d.ip()} ({d.city()})",
        ])())
    lines.append(f"{d.neg('timestamp', '2025-06-01T00:00:00Z')} cron: {d.command()} exit=0 duration={r.randint(2, 90)}s")
    return "\n".join(lines)


def k_payroll_form(d: Doc) -> str:
    r = d.r
    p, manager = d.w.person(d.locale), d.w.person()
    ids = []
    if p.locale == "en_US" and r.random() < 0.7:
        ids.append(f"SSN: {d.pii('US_SSN', d.w.ssn(), p.locale, 'labelled')}")
    if p.locale == "zh_CN":
        ids.append(f"PRC resident ID: {d.pii('CN_RESIDENT_ID', d.w.cn_id(p.dob), p.locale, 'labelled')}")
    fields = [
        f"Surname: {d.family(p, 'form_field')}", f"Given name(s): {d.given(p, 'form_field')}",
        f"Date of birth: {d.dob(p)}", f"Home address: {d.street(p)}, {p.city_line}",
        f"Private phone: {d.phone(p, 'labelled')}", f"Private e-mail: {d.email(p, 'labelled')}",
        f"New bank account (IBAN): {d.iban(p)}", *ids,
        f"Effective from: {d.date()}", f"Employee no.: {d.ident('employee')}",
    ]
    r.shuffle(fields)
    return (f"BANK DETAILS CHANGE — {d.company()} payroll\n" + "\n".join(fields) +
            f"\n\nSigned: {d.name(p, 'role_colon')}    Countersigned: {d.name(manager, 'role_colon')}\n"
            f"Processed in {d.product()} on {d.date()}.")


def k_visitor_log(d: Doc) -> str:
    r = d.r
    rows = []
    for _ in range(r.randint(4, 6)):
        v, host = d.w.person(), d.w.person()
        rows.append(f"{d.time()}  {d.name(v, 'table', r.choice(['full', 'upper_family', 'full']))}  "
                    f"({d.company()})  host: {d.name(host, 'role_colon')}  badge {d.ident('badge')}")
    return (f"Reception — visitor register {d.date()}, {d.city()}\n" + "\n".join(rows) +
            f"\nFire marshal on duty: {d.name(d.w.person(d.locale), 'role_colon')}")


def k_tech_note(d: Doc) -> str:
    r = d.r
    author, rev1, rev2 = d.w.person(d.locale), d.w.person(), d.w.person()
    return (f"{d.section()} Exporting reports as {d.ui('XML', 'JSON', 'SQL')}\n"
            f"Author: {d.name(author, 'role_colon')}    Reviewed by: {d.name(rev1, 'joined_slash')} / {d.name(rev2, 'joined_slash')}\n"
            f"Applies to {d.product()} {d.version()} and later.\n\n"
            f"Open the {d.ui('Functions', 'Reports', 'Settings', 'Index', 'Home')} menu, choose "
            f"{d.ui('Export', 'XML', 'JSON', 'SQL')}, then press {d.ui('Next', 'Submit', 'Return', 'Save Draft')}. "
            f"{d.ui('Prev', 'Return')} goes back a step. The job calls the {d.ui('JSON', 'XML', 'SQL')} endpoint; on failure run {d.command()} and check section {d.section()}. "
            f"Large exports (over {r.randint(2, 50)}k rows) are split as described in {d.section()}.\n"
            f"Release {d.version()} ({d.date()}) fixed the timeout; {d.version()} is end of life on {d.date()}.\n"
            f"Questions to {d.email(author, 'signature')}.")


def k_tenancy(d: Doc) -> str:
    r = d.r
    p, ref = d.w.person(d.locale), d.w.person()
    return (f"Tenancy application {d.ident('lease')}\n\n"
            f"Applicant: {d.name(p, 'role_colon', r.choice(['full', 'full', 'initial']))}, born {d.dob(p, 'born')}\n"
            f"Current address: {d.street(p)}, {p.city_line} (since {d.date()})\n"
            f"Employer: {d.company()}, {d.job()}, net monthly income {d.amount()}\n"
            f"Phone: {d.phone(p, 'labelled')}   E-mail: {d.email(p, 'labelled')}\n"
            f"Deposit to be paid by card: {d.card(p)}\n"
            f"Landlord reference: {d.name(ref)} ({d.phone(ref)})\n\n"
            f"Remarks: {d.given(p)} would like to move in on {d.date()}; "
            f"{p.title} {d.family(p, 'salutation_surname')} has a cat.")


def k_benefits(d: Doc) -> str:
    r = d.r
    emp, hr = d.w.person(d.locale), d.w.person("en_US")
    spouse = d.w.person(r.choice([emp.locale, d.w.locale()]))
    born = emp.dob + timedelta(days=r.randint(20 * 365, 32 * 365))
    child = replace(d.w.person(emp.locale), family=emp.family, dob=min(born, date(2023, 6, 30)))
    ssn = lambda: d.pii("US_SSN", d.w.ssn(), "en_US", "labelled")  # noqa: E731
    return (f"BENEFITS ENROLMENT — plan year starting {d.date()} ({d.company()})\n"
            f"Employee: {d.name(emp, 'role_colon')}    SSN {ssn()}    DOB {d.dob(emp, 'labelled')}\n"
            f"Home: {d.street(emp)}, {emp.city_line}\n"
            f"Dependants:\n"
            f"  Spouse: {d.name(spouse, 'role_colon')}, DOB {d.dob(spouse)}, SSN {ssn()}\n"
            f"  Child: {d.name(child, 'role_colon')}, date of birth {d.dob(child)}\n"
            f"Medical plan: {d.neg('product', r.choice(['PPO 500', 'HDHP Silver', 'HMO Select']))}, premium "
            f"{d.amount()} per pay period, paid by card {d.card(emp)}.\n"
            f"Enrolment checked by {d.name(hr, 'prose')} on {d.date()}; questions to {d.phone(hr)}.")


def k_background_check(d: Doc) -> str:
    r = d.r
    # The candidates hold a US or a PRC identity number (the two national ids the scrubber knows).
    cand = d.w.person("en_US" if r.random() < 0.5 else "zh_CN")
    referee, requester = d.w.person(), d.w.person(d.locale)
    ident = (f"US social security number {d.pii('US_SSN', d.w.ssn(), cand.locale, 'labelled')}"
             if cand.locale == "en_US" else
             f"PRC resident identity card {d.pii('CN_RESIDENT_ID', d.w.cn_id(cand.dob), cand.locale, 'labelled')}")
    return (f"Background check request {d.ident('req')} ({d.company()})\n"
            f"Candidate: {d.name(cand, 'role_colon')}, born {d.dob(cand, 'born')}\n"
            f"Identity document: {ident}\n"
            f"Previous address: {d.street(cand)}, {cand.city_line}\n"
            f"Referee: {d.name(referee, 'role_colon')} ({d.phone(referee)})\n"
            f"Requested by {d.name(requester)} for the {d.job()} opening in {d.dept()}; fee {d.amount()}, "
            f"result due {d.date()}.")


KINDS: list[Callable[[Doc], str]] = [k_background_check, k_benefits, k_hr_letter, k_expense_claim, k_chat_log, k_email_thread,
                                     k_csv_export, k_table, k_approvals, k_minutes, k_access_log,
                                     k_payroll_form, k_visitor_log, k_tech_note, k_tenancy]


# --- Chinese-language documents (issue 21; scored apart) ----------------------------------------


def _zh_person(w: World) -> dict:
    f = w.fakers["zh_CN"]
    dob = f.date_between_dates(date(1965, 1, 1), date(2006, 12, 31))
    return {"name": f.name(), "phone": w.phone("zh_CN", "CN")[0], "id": w.cn_id(dob), "address": f.address(),
            "email": f.free_email(), "dob": dob}


def _zh_dob(d: Doc, p: dict) -> str:
    dob = p["dob"]
    return d.pii("DATE_OF_BIRTH", d.r.choice([f"{dob.year}年{dob.month}月{dob.day}日", dob.isoformat()]), "zh_CN", "labelled")


def _zh_date(d: Doc) -> str:
    x = d.w.work_date()
    return d.neg("date", d.r.choice([f"{x.year}年{x.month}月{x.day}日", x.isoformat()]))


def _zh_amount(d: Doc) -> str:
    return d.neg("amount", f"¥{d.r.randint(20, 9000):,}.{d.r.randint(0, 99):02d}")


def _zh_company(d: Doc) -> str:
    return d.neg("company", d.w.fakers["zh_CN"].company())


def z_onboarding(d: Doc) -> str:
    p, hr = _zh_person(d.w), _zh_person(d.w)
    zp = lambda t, v, ctx="labelled": d.pii(t, v, "zh_CN", ctx)  # noqa: E731
    return (f"员工入职登记表（{_zh_company(d)}）\n姓名：{zp('PERSON', p['name'], 'role_colon')}\n"
            f"出生日期：{_zh_dob(d, p)}\n身份证号码：{zp('CN_RESIDENT_ID', p['id'])}\n"
            f"手机：{zp('PHONE_NUMBER', p['phone'])}\n电子邮箱：{zp('EMAIL_ADDRESS', p['email'])}\n"
            f"家庭住址：{zp('STREET_ADDRESS', p['address'])}\n入职日期：{_zh_date(d)}\n"
            f"部门：财务部    岗位：会计    工号：{d.ident('employee')}\n"
            f"经办人：{zp('PERSON', hr['name'], 'role_colon')}（{d.neg('product', 'SAP Concur')}录入）")


def z_chat(d: Doc) -> str:
    a, b = _zh_person(d.w), _zh_person(d.w)
    zp = lambda t, v, ctx="chat": d.pii(t, v, "zh_CN", ctx)  # noqa: E731
    return (f"[{d.time()}] {zp('PERSON', a['name'], 'chat_speaker')}：{d.neg('product', 'Jenkins')} 构建又失败了，版本 {d.version()}\n"
            f"[{d.time()}] {zp('PERSON', b['name'], 'chat_speaker')}：我看一下，你的手机是 {zp('PHONE_NUMBER', a['phone'])} 吧？\n"
            f"[{d.time()}] {zp('PERSON', a['name'], 'chat_speaker')}：对，或者发邮件到 {zp('EMAIL_ADDRESS', a['email'])}\n"
            f"[{d.time()}] {zp('PERSON', b['name'], 'chat_speaker')}：好的，已建工单 {d.ident('id')}，金额 {_zh_amount(d)} 的报销下周处理。")


def z_expense(d: Doc) -> str:
    p, boss = _zh_person(d.w), _zh_person(d.w)
    zp = lambda t, v, ctx="role_colon": d.pii(t, v, "zh_CN", ctx)  # noqa: E731
    return (f"费用报销单 {d.ident('expense')}\n报销人：{zp('PERSON', p['name'])}\n"
            f"联系电话：{zp('PHONE_NUMBER', p['phone'], 'labelled')}\n"
            f"日期：{_zh_date(d)}  事由：出差（{d.city()}）  金额：{_zh_amount(d)}\n"
            f"收款单位：{_zh_company(d)}\n审批人：{zp('PERSON', boss['name'])}\n"
            f"备注：请{zp('PERSON', boss['name'], 'prose')}在{_zh_date(d)}前审批。")


ZH_KINDS: list[Callable[[Doc], str]] = [z_onboarding, z_chat, z_expense]


# --- writing -------------------------------------------------------------------------------------


def generate(seed: int = SEED, docs_per_kind: int = DOCS_PER_KIND,
             zh_docs_per_kind: int = ZH_DOCS_PER_KIND) -> tuple[list[dict], list[dict]]:
    """Both sets, in memory; the same seed and Faker version give the same rows."""
    world = World(seed)
    rows, zh_rows = [], []
    main_locales = list(LOCALES)
    for kind in KINDS:
        name = kind.__name__[2:]
        for i in range(docs_per_kind):
            locale = main_locales[i % len(main_locales)]  # every kind sees every locale
            doc = Doc(world, name, locale)
            rows.append(doc.render(kind(doc), f"{name}-{i:03d}"))
    for kind in ZH_KINDS:
        name = kind.__name__[2:]
        for i in range(zh_docs_per_kind):
            doc = Doc(world, f"zh_{name}", "zh_CN")
            zh_rows.append(doc.render(kind(doc), f"zh_{name}-{i:03d}"))
    return rows, zh_rows


def dumps(rows: list[dict]) -> str:
    return "".join(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n" for row in rows)


def summary(rows: list[dict]) -> dict:
    from collections import Counter

    return {
        "documents": len(rows),
        "characters": sum(len(r["text"]) for r in rows),
        "entities": dict(sorted(Counter(e["type"] for r in rows for e in r["entities"]).items())),
        "person_locales": dict(sorted(Counter(e["locale"] for r in rows for e in r["entities"]
                                              if e["type"] == "PERSON").items())),
        "hard_negatives": dict(sorted(Counter(n["kind"] for r in rows for n in r["hard_negatives"]).items())),
    }


def main() -> None:
    rows, zh_rows = generate()
    MULTILOCALE.write_text(dumps(rows), encoding="utf-8")
    ZH.write_text(dumps(zh_rows), encoding="utf-8")
    meta = {"seed": SEED, "faker": faker.VERSION, "phonenumbers": phonenumbers.__version__,
            "multilocale": summary(rows), "zh": summary(zh_rows)}
    META.write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {len(rows)} documents to {MULTILOCALE.name}, {len(zh_rows)} to {ZH.name} (Faker {faker.VERSION})")


if __name__ == "__main__":
    main()
