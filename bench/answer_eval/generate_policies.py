#!/usr/bin/env python3
"""Seeded generator of fictional company documents and answer-level QA questions.

Purpose
-------
An independent ANSWER evaluation set for a retrieval-augmented QA system: it checks that
the generated answer states the right fact, not only that the right chunk was retrieved.
Several fictional companies (names, cities, addresses and people from Faker in different
locales, all document text in English) each get a set of internal Markdown documents
(travel policy, expense policy, IT security policy, leave policy, onboarding guide,
product spec sheet, office facilities guide). Every document has headings (#, ##),
prose and bullet lists, and states concrete facts:

* numbers with units (amounts with currency, days, hours, percentages, limits, versions,
  dates, times, phone extensions),
* yes/no rules with explicit negation or permission ("may not", "is not reimbursed",
  "are allowed to", "must be approved by"),
* names (responsible person and role, tools and systems),
* short procedures ("open X, choose Y, then select Z").

Each fact is written with one of several templates so the text is not formulaic, and
most facts have distractors: a sibling fact with another number (hotel cap in one city
vs. all others, domestic vs. international per diem, Standard vs. Pro model, two
offices, several phone extensions, a version and effective date on every document), as
well as the same kinds of facts with other values at the other companies. Numbers of the
same unit group within one company are chosen, where the value ranges allow, so that none
is a substring of another (no 5 next to 15 days): a substring match of a fact is then not
satisfied by an answer that states the distractor instead.

Output (``--out FOLDER``)
-------------------------
``<out>/<company-slug>/<doc>.md``  the documents, e.g. ``acme-ltd/travel-policy.md``.

``<out>/companies.json``  slug, name, Faker locale, currency and documents of each company.

``<out>/questions.jsonl``  one JSON object per line. Answerable questions::

    {"id": "<company-slug>-<n>", "question": "...", "answerable": true,
     "answers": [{"source": "<company-slug>/<doc>.md", "heading": "<## heading>",
                  "evidence": "<verbatim phrase of 3-12 words of that file>"}],
     "facts": ["literal", ["alternative", "alternative"], ...],
     "kind": "number" | "yesno" | "name" | "step",
     "yes_no": "yes" | "no"}            # yes_no only for kind == "yesno"

``facts`` lists what a correct answer must state; each entry is a literal string or a
list of alternatives, matched case-insensitively as substrings of the answer. For
yes/no questions the facts are the key condition (e.g. the threshold) or empty.
About 8 answerable questions per company: 3 number, 3 yes/no (at least 2 "no" and 1
"yes"), 1 name, 1 step, each from a different rule, spread over the documents.

Unanswerable questions (2 per company)::

    {"id": "<company-slug>-u<n>", "question": "...", "answerable": false,
     "absent_terms": ["sabbatical", ...]}

Their topic is never stated by the generator: none of ``absent_terms`` occurs (as a word,
case-insensitively) in any generated document; ``check_policies.py`` verifies this.

Notes for scoring
-----------------
* A fact alternative that the question itself contains is dropped (an answer that only
  repeats the question must not pass), so e.g. a tool named in the question is not a fact.
* Facts about people list the full name, the last name (5+ letters) and the role
  ("Finance Controller"): a pipeline that replaces person names by placeholders can still
  pass by naming the role.
* Amounts list the usual spellings (``EUR 150``, ``€150``, ``150 EUR``, with and without a
  thousands comma), times the 24-hour and am/pm forms, dates three formats.

Determinism
-----------
``Faker.seed(seed)`` and ``random.Random(seed)``: the same seed and company count give
byte-identical output. Usage::

    python generate_policies.py --out /tmp/policies --seed 1 --companies 6
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from faker import Faker

# locale -> currency code, symbol, symbol written after the number, rough scale vs. EUR,
# regex a Faker company name must match (None: any), regex it must not match
LOCALES = {
    "en_GB": ("GBP", "£", False, 1, None, None),
    "en_US": ("USD", "$", False, 1, None, None),
    "de_DE": ("EUR", "€", False, 1, r"\b(GmbH|AG|KG|KGaA|OHG)$", r"Stiftung"),
    "fr_FR": ("EUR", "€", False, 1, r"\b(SARL|S\.A\.R\.L\.|S\.A\.S\.|SA|SAS|S\.A\.)$", None),
    "es_ES": ("EUR", "€", False, 1, r"\b(S\.A\.|S\.L\.)$", r"Banco|Supermercados|Familia"),
    "it_IT": ("EUR", "€", False, 1, None, None),
    "nl_NL": ("EUR", "€", False, 1, r"\b(BV|NV|B\.V\.|N\.V\.)$", r"Stichting|Royal|Koninklijke"),
    "pl_PL": ("PLN", "zł", True, 4, r"(Sp\. z o\.o\.|S\.A\.)$", r"Stowarzyszenie|Spółdzielnia|Fundacja"),
    "pt_BR": ("BRL", "R$", False, 5, r"\b(S\.A\.|Ltda\.)$", None),
    "sv_SE": ("SEK", "kr", True, 10, None, None),
}
LEGAL_SUFFIX = {"de_DE": "GmbH", "fr_FR": "SAS", "es_ES": "S.L.", "nl_NL": "B.V.",
                "pl_PL": "Sp. z o.o.", "pt_BR": "Ltda."}

# Topics no document ever states; two per company become unanswerable questions.
UNANSWERABLE = [
    (["How many weeks of parental leave does {co} offer?",
      "What is the maternity and paternity leave policy at {co}?"],
     ["parental", "maternity", "paternity"]),
    (["Am I eligible for a company car at {co}?",
      "Does {co} give staff a car allowance or a lease car?"],
     ["company car", "car allowance", "lease car"]),
    (["Can I take a sabbatical at {co}, and how long can it be?"], ["sabbatical"]),
    (["What relocation package does {co} offer to new hires moving from abroad?"],
     ["relocation", "relocate"]),
    (["How does the vesting schedule for stock options work at {co}?"],
     ["stock option", "vesting", "equity"]),
    (["Does {co} subsidise a gym membership?", "Is there a fitness benefit at {co}?"],
     ["gym", "fitness"]),
    (["Will {co} pay the tuition for a part-time master's degree?"],
     ["tuition", "degree", "study leave"]),
    (["Can I bring my dog to the {co} office?", "What is the pet policy at {co}'s offices?"],
     ["dog", "pet"]),
    (["How much does {co} contribute to my pension?"], ["pension", "retirement"]),
    (["Does {co} cover dental treatment for employees?"], ["dental", "dentist"]),
    (["When is the annual bonus paid out at {co}?", "How is the yearly bonus calculated at {co}?"],
     ["bonus"]),
    (["Is overtime paid extra at {co}?", "How is overtime compensated at {co}?"],
     ["overtime", "time off in lieu"]),
    (["Is there a dress code at the {co} office?"], ["dress code"]),
    (["On which day of the month are salaries paid at {co}?"], ["salary", "salaries", "payday", "payroll"]),
    (["Is there a staff canteen at the {co} office?"], ["canteen", "cafeteria"]),
    (["Does {co} offer a childcare subsidy?"], ["childcare", "daycare", "crèche", "nursery"]),
]

TOOL_PREFIXES = ["Aster", "Brisk", "Cobalt", "Delta", "Ember", "Fjord", "Granite", "Harbor",
                 "Indigo", "Juniper", "Kestrel", "Lattice", "Marlin", "Nova", "Onyx", "Pike",
                 "Quartz", "Raven", "Sable", "Tundra", "Umber", "Vale", "Willow", "Zephyr",
                 "Beacon", "Cedar", "Drift", "Falcon", "Glacier", "Heron", "Kelp", "Larch",
                 "Mosaic", "Nimbus", "Orchid", "Pebble", "Ridge", "Spruce", "Tidal", "Yarrow"]
TOOL_SUFFIXES = {
    "travel": ["Trips", "Travel", "Journeys", "Go"],
    "expense": ["Spend", "Claims", "Expense", "Ledger"],
    "pm": ["Vault", "Keys", "Keychain", "Safe"],
    "vpn": ["Connect", "Tunnel", "Gate", "Link"],
    "mdm": ["Fleet", "Devices", "Guard", "Manager"],
    "hr": ["People", "HR", "Hub", "Time"],
    "sso": ["ID", "Login", "Access", "Sign-In"],
    "ticket": ["Desk", "Service", "Helpdesk", "Tickets"],
    "rooms": ["Rooms", "Spaces", "Book", "Reserve"],
}
BRANDS = ["Halcyon", "Corvid", "Tessel", "Quillon", "Brio", "Vantage", "Meridian", "Pylon",
          "Strata", "Kinetic", "Solace", "Aurel", "Cirrus", "Talon", "Orbis", "Fathom",
          "Verity", "Lodestar", "Sextant", "Calyx"]
PRODUCTS = [
    ("portable air quality monitor", "measures CO2, fine dust and humidity in offices and classrooms"),
    ("handheld barcode scanner", "reads one- and two-dimensional codes in warehouses and shops"),
    ("conference speakerphone", "brings clear audio to meeting rooms of up to twelve people"),
    ("smart thermostat", "controls heating and cooling in small commercial buildings"),
    ("rugged field tablet", "is built for engineers and inspectors who work outdoors"),
    ("label printer", "prints shipping and shelf labels from a phone or a PC"),
    ("asset tracker", "reports the location of tools, trailers and containers"),
    ("digital voice recorder", "records interviews and meetings with built-in noise reduction"),
]
ROOM_NAMES = ["Atlas", "Orion", "Lyra", "Vega", "Juno", "Polaris", "Cassini", "Kepler", "Hubble",
              "Tycho", "Galileo", "Halley"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]

MARK = re.compile(r"⟦(.+?)⟧")


# ---------------------------------------------------------------- formatting helpers

def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def strip_marks(text: str) -> str:
    return text.replace("⟦", "").replace("⟧", "")


def evidence_of(text: str, i: int = 0) -> str:
    found = MARK.findall(text)
    if len(found) <= i:
        raise ValueError(f"no evidence mark {i} in {text!r}")
    return found[i]


def alts_days(n, *extra):
    return [f"{n} days", f"{n} working days", f"{n} calendar days", f"{n} business days",
            f"{n}-day", f"{n} paid days"] + [f"{n} {w} days" for w in extra]


def alts_hours(n):
    return [f"{n} hours", f"{n}-hour", f"{n} hrs", f"{n} h"]


def alts_minutes(n):
    return [f"{n} minutes", f"{n}-minute", f"{n} min"]


def alts_weeks(n):
    return [f"{n} weeks", f"{n}-week"]


def alts_months(n):
    return [f"{n} months", f"{n}-month"]


def alts_seconds(n):
    return [f"{n} seconds", f"{n}-second", f"{n} s"]


def alts_percent(n):
    return [f"{n}%", f"{n} %", f"{n} percent", f"{n} per cent"]


def fmt_time(h: int, m: int) -> str:
    return f"{h:02d}:{m:02d}"


def alts_time(h: int, m: int):
    """Spellings of a clock time; no unpadded 24h form ("9:00" would match "19:00")."""
    h12, ap = (h % 12 or 12), ("am" if h < 12 else "pm")
    out = [fmt_time(h, m)]
    if m == 0:
        out += [f"{h12} {ap}", f"{h12}{ap}", f"{h12}:00 {ap}", f"{h12}:00{ap}", f"{h12} {ap[0]}.m."]
    else:
        out += [f"{h12}:{m:02d} {ap}", f"{h12}:{m:02d}{ap}", f"{h12}.{m:02d} {ap}",
                f"{h12}:{m:02d} {ap[0]}.m."]
    return out


def spoken_time(h: int, m: int, rng: random.Random) -> str:
    if rng.random() < 0.5:
        return fmt_time(h, m)
    h12, ap = (h % 12 or 12), ("am" if h < 12 else "pm")
    return f"{h12}:{m:02d} {ap}" if m else f"{h12} {ap}"


def fmt_date(d: date, style: int) -> str:
    if style == 0:
        return f"{d.day} {MONTHS[d.month - 1]} {d.year}"
    if style == 1:
        return f"{MONTHS[d.month - 1]} {d.day}, {d.year}"
    return d.isoformat()


def alts_date(d: date):
    return [fmt_date(d, 0), fmt_date(d, 1), fmt_date(d, 2), f"{d.day:02d}.{d.month:02d}.{d.year}"]


def fmt_num(cents: int, comma: bool = True) -> str:
    if cents % 100 == 0:
        return f"{cents // 100:,}" if comma else str(cents // 100)
    return f"{cents / 100:,.2f}" if comma else f"{cents / 100:.2f}"


def slang(s: str) -> str:
    """Lower-case the first letter (for a phrase inside a sentence) unless it is an acronym."""
    return s if (len(s) > 1 and s[1].isupper()) else s[:1].lower() + s[1:]


# ---------------------------------------------------------------- data classes

@dataclass
class Person:
    full: str
    last: str
    role: str

    def alts(self):
        out = [self.full]
        if len(self.last) >= 5:
            out.append(self.last)
        out.append(self.role)
        return out


@dataclass
class Cand:
    kind: str
    source: str
    heading: str
    evidence: str
    facts: list
    questions: list
    yes_no: str | None
    group: str
    rule: str = ""


@dataclass
class Doc:
    company: "Company"
    key: str
    title: str
    lines: list = field(default_factory=list)
    heading: str = ""
    cands: list = field(default_factory=list)

    def __post_init__(self):
        self.lines = [f"# {self.title}", ""]

    @property
    def source(self):
        return f"{self.company.slug}/{self.key}.md"

    def h2(self, title):
        self.lines += [f"## {title}", ""]
        self.heading = title

    def h3(self, title):
        self.lines += [f"### {title}", ""]

    def para(self, *sentences):
        self.lines += [strip_marks(" ".join(s for s in sentences if s)), ""]

    def bullets(self, items, numbered=False):
        for i, item in enumerate(items, 1):
            self.lines.append(f"{i}. {strip_marks(item)}" if numbered else f"- {strip_marks(item)}")
        self.lines.append("")

    def ask(self, kind, text, facts, questions, yes_no=None, group=None, mark=0):
        """Register a question candidate whose evidence is the mark-th ⟦...⟧ span of text."""
        ev = evidence_of(text, mark)
        n = len(ev.split())
        if not 3 <= n <= 12:
            raise ValueError(f"evidence of {n} words: {ev!r}")
        qs = [re.sub(r"\.\.(?=\s|$)", ".", q.format(co=self.company.name)) for q in questions]
        self.cands.append(Cand(kind, self.source, self.heading, ev, facts, qs, yes_no,
                               group or f"{self.key}:{len(self.cands)}",
                               f"{self.key}|{kind}|{yes_no}|{questions[0]}"))

    def text(self):
        return "\n".join(self.lines).rstrip() + "\n"


# ---------------------------------------------------------------- companies

class Company:
    def __init__(self, locale: str, rng: random.Random, taken_slugs: set):
        self.locale = locale
        self.rng = rng
        (self.code, self.sym, self.sym_after, self.scale, accept, reject) = LOCALES[locale]
        self.fake = Faker(locale)
        for provider in self.fake.providers:
            # some Faker locales (it_IT) build their city list from a set: its order depends
            # on the string hash seed, so sort it to stay deterministic across processes
            if isinstance(getattr(provider, "cities", None), list):
                provider.cities = sorted(provider.cities)
        self.used = defaultdict(list)
        self.name = self._company_name(accept, reject, taken_slugs)
        self.slug = slugify(self.name)
        taken_slugs.add(self.slug)
        cities = []
        while len(cities) < 3:
            c = self.fake.city()
            if c not in cities and len(c.split()) <= 2:
                cities.append(c)
        self.hq, self.second, self.big = cities
        self.address = self.fake.street_address().replace("\n", ", ")
        self.people = {}
        for key, role in [("ops", "Head of Operations"), ("travel", "Travel Manager"),
                          ("finance", "Finance Controller"), ("ciso", "Head of Information Security"),
                          ("hr", "HR Business Partner"), ("people", "People Operations Lead"),
                          ("buddy", "Onboarding Coordinator"), ("office", "Office Manager"),
                          ("product", "Product Manager")]:
            self.people[key] = self._person(role)
        prefixes = rng.sample(TOOL_PREFIXES, len(TOOL_SUFFIXES))
        self.tools = {}
        for (key, suffixes), prefix in zip(TOOL_SUFFIXES.items(), prefixes):
            suffix = rng.choice(suffixes)
            self.tools[key] = rng.choice([f"{prefix}{suffix}", f"{prefix} {suffix}"]) \
                if "-" not in suffix else f"{prefix} {suffix}"
        brand = rng.choice(BRANDS)
        self.product = f"{brand} {rng.choice('ACDEKMQRSTVX')}{rng.randint(2, 9)}"
        self.product_type, self.product_desc = rng.choice(PRODUCTS)
        self.app = f"{brand} {rng.choice(['Companion', 'Setup', 'Control', 'Studio'])}"

    def _company_name(self, accept, reject, taken):
        for _ in range(60):
            name = self.fake.company()
            if accept and not re.search(accept, name):
                continue
            if reject and re.search(reject, name):
                continue
            if len(name.split()) > 5 or slugify(name) in taken or not slugify(name):
                continue
            return name
        while True:
            name = f"{self.fake.last_name()} {LEGAL_SUFFIX.get(self.locale, 'Ltd')}"
            if slugify(name) not in taken:
                return name

    def _person(self, role):
        taken = [p.last.lower() for p in self.people.values()]
        for _ in range(200):
            first, last = self.fake.first_name(), self.fake.last_name()
            low = last.lower()
            if len(f"{first} {last}".split()) > 3:
                continue
            if any(low in t or t in low for t in taken) or low in self.name.lower():
                continue
            if any(low in c.lower() for c in (self.hq, self.second, self.big)):
                continue
            return Person(f"{first} {last}", last, role)
        raise RuntimeError("could not draw a distinct person")

    # -- numbers: within one unit no value is a substring of another
    def pick(self, unit, values, key=str):
        used = self.used[unit]
        free = [v for v in values if all(key(v) not in u and u not in key(v) for u in used)]
        if not free:
            free = [v for v in values if key(v) not in used] or list(values)
        v = self.rng.choice(free)
        used.append(key(v))
        return v

    def pick_money(self, lo, hi, step):
        """An amount in cents between lo and hi EUR (scaled to the local currency)."""
        s = self.scale
        values = list(range(int(round(lo * 100 * s)), int(round(hi * 100 * s)) + 1, int(round(step * 100 * s))))
        return self.pick("money", values, key=lambda c: fmt_num(c, comma=False))

    def money(self, cents, style=None):
        style = self.rng.randrange(3) if style is None else style
        n = fmt_num(cents)
        if style == 0:
            return f"{self.code} {n}"
        if style == 1:
            return f"{n} {self.sym}" if self.sym_after else f"{self.sym}{n}"
        return f"{n} {self.code}"

    def money_alts(self, cents):
        out = []
        for n in dict.fromkeys([fmt_num(cents), fmt_num(cents, comma=False)]):
            out += [f"{self.code} {n}", f"{n} {self.code}", f"{self.sym}{n}", f"{self.sym} {n}",
                    f"{n} {self.sym}", f"{n}{self.sym}"]
        return list(dict.fromkeys(out))

    def pick_date(self, y0=2023, y1=2025):
        values = [date(y, m, d) for y in range(y0, y1 + 1) for m in range(1, 13) for d in (1, 4, 8, 12, 15, 20, 24, 28)]
        return self.pick("date", values, key=lambda d: d.isoformat())

    def pick_version(self):
        values = [f"{a}.{b}" for a in range(1, 7) for b in range(0, 10)]
        return self.pick("version", values)

    def pick_ext(self):
        return self.pick("ext", list(range(2100, 7990, 7)))


# ---------------------------------------------------------------- documents

def meta(d: Doc, label: str, owners):
    c, r = d.company, d.company.rng
    v, when = c.pick_version(), c.pick_date()
    ds = fmt_date(when, r.randrange(3))
    owner = r.choice(owners)
    t = r.choice([
        f"_⟦Version {v}, effective {ds}⟧. Owner: {owner}._",
        f"⟦Document version {v} · in force since {ds}⟧ · maintained by {owner}",
        f"Maintained by {owner}. ⟦This is version {v}, valid from {ds}⟧.",
    ])
    d.para(t)
    d.ask("number", t, [alts_date(when)], [
        f"When did the current {label} of {{co}} take effect?",
        f"Since what date is {{co}}'s {label} in force?",
    ], group="meta")
    d.ask("number", t, [[v]], [
        f"Which version of the {{co}} {label} is the current one?",
        f"What's the version number of the {label} at {{co}}?",
    ], group="meta")


FILLER = {
    "travel-policy": [
        "Choose the most economical option that still lets you work effectively.",
        "Combine trips where possible and consider a video call before booking.",
        "Keep your booking confirmations until the trip has been settled.",
        "Cancel unused tickets and hotel nights as soon as your plans change.",
        "Share your itinerary with your team before you leave.",
    ],
    "expense-policy": [
        "Claims are checked by Finance before payment; incomplete claims are returned.",
        "Personal and business expenses must not be mixed on one claim.",
        "If a receipt is lost, add a short written explanation to the claim.",
        "Corporate cards are issued on request to employees who travel often.",
        "Costs that are not covered here need the written agreement of Finance in advance.",
    ],
    "it-security-policy": [
        "Lock your laptop whenever you leave your desk, even for a short time.",
        "Never install software from unknown sources.",
        "Security updates install automatically; restart your laptop when asked.",
        "Report lost or stolen devices immediately.",
        "Customer data is stored only in approved systems.",
    ],
    "leave-policy": [
        "Plan your holidays with your team so that cover is arranged.",
        "Public holidays are not deducted from your annual leave.",
        "Your current balance is always visible in the HR portal.",
        "Leave for part-time employees is calculated in proportion to their contract.",
    ],
    "onboarding-guide": [
        "Your manager will agree goals with you during the first weeks.",
        "Ask questions: everyone was new once.",
        "A tour of the office is part of your first morning.",
        "Team introductions are scheduled in your calendar before you arrive.",
    ],
    "product-spec": [
        "Every unit ships with a quick start guide and a charging cable.",
        "Spare parts remain available for at least five years after launch.",
        "Specifications may change with future hardware revisions.",
        "Accessories are sold separately through authorised resellers.",
    ],
    "office-facilities": [
        "Please keep desks clear at the end of the day.",
        "Quiet zones are marked on every floor.",
        "Printers are located next to the kitchen on every floor.",
        "Fire exits and assembly points are shown on the floor plans at each lift.",
    ],
}


def notes(d: Doc):
    """A closing section of general prose (no facts that questions ask about)."""
    r = d.company.rng
    pool = FILLER[d.key]
    d.h2(r.choice(["General notes", "Further information", "Notes"]))
    picked = r.sample(pool, 3)
    if r.random() < 0.5:
        d.para(*picked)
    else:
        d.bullets(picked)
    closing = ["This document is reviewed once a year.", "Suggestions for improving this document are welcome."]
    if d.key.endswith("-policy"):
        closing.append("Where local law is more generous, local law applies.")
    d.para(r.choice(closing))


def travel_policy(c: Company) -> Doc:
    r, co, tool = c.rng, c.name, c.tools["travel"]
    d = Doc(c, "travel-policy", r.choice([f"{co} Travel Policy", f"Business Travel Policy — {co}",
                                          f"{co}: Policy on Business Travel"]))
    meta(d, "travel policy", ["Operations", "Finance"])
    d.h2(r.choice(["Purpose and scope", "Who this policy applies to", "Scope"]))
    if r.random() < 0.5:
        t = r.choice([f"⟦Contractors may not book travel through {tool}⟧; their travel is arranged and invoiced by their agency.",
                      f"⟦{tool} is not available to contractors⟧, who must ask their agency to arrange any travel."])
        yn, facts = "no", []
    else:
        t = r.choice([f"⟦Contractors are allowed to book travel through {tool}⟧ once their engagement manager has approved the trip.",
                      f"Contractors may use {tool} as well: ⟦contractors are allowed to book their own trips⟧ after their engagement manager approves them."])
        yn, facts = "yes", [["engagement manager"]]
    d.para(f"This policy explains how employees of {co} plan, book and claim business travel.",
           r.choice([f"It applies to every trip paid for by {co}, whether it starts at the {c.hq} office or anywhere else.",
                     "It covers flights, trains, hotels, daily allowances and what to do when plans change."]),
           t)
    d.ask("yesno", t, facts, [
        f"I'm a contractor working for {{co}}. Am I allowed to book my trips myself in {tool}?",
        f"Can contractors at {{co}} use {tool} to book their own business travel?",
        f"At {{co}}, are external contractors permitted to book travel in {tool}?"], yes_no=yn, group="contractor-travel")

    d.h2(r.choice(["Approval", "Getting a trip approved", "Who approves travel"]))
    p = c.people["ops"]
    t = r.choice([
        f"Domestic trips only need your line manager's approval. ⟦International trips must be approved by {p.full}⟧ ({p.role}) before anything is booked.",
        f"Your line manager approves domestic travel. For any trip abroad, ⟦approval from {p.full} is required⟧; {p.full} is our {p.role}.",
        f"⟦All international travel requires sign-off from {p.full}⟧, {p.role}; domestic trips are approved by the traveller's line manager.",
    ])
    d.para(t, r.choice(["Trips that are not approved in advance will not be reimbursed.",
                        "Approval is recorded in the booking tool, so keep the request up to date."]))
    d.ask("name", t, [p.alts()], [
        "Who has to approve an international business trip at {co}?",
        "At {co}, whose sign-off do I need before booking travel abroad?",
        "Who authorises trips outside the country for {co} staff?"])

    d.h2(r.choice(["Booking", "How to book", "Booking travel"]))
    n = c.pick("days", range(10, 29))
    t_adv = r.choice([
        f"⟦Flights must be booked at least {n} days before departure⟧ so that negotiated fares are still available.",
        f"Please book early: ⟦the minimum booking lead time for flights is {n} days⟧.",
        f"⟦Book flights no later than {n} days ahead of travel⟧; later bookings need a written justification.",
    ])
    t_tool = r.choice([f"⟦All flights, trains and hotels are booked in {tool}⟧, the company's travel platform.",
                       f"⟦We use {tool} for all travel bookings⟧, including rail and hotels."])
    d.para(t_tool, t_adv)
    d.ask("number", t_adv, [alts_days(n)], [
        "How many days in advance do I have to book a flight at {co}?",
        "What's the minimum lead time for booking flights under the {co} travel policy?",
        "{co} staff: how early must flights be booked?"])
    d.ask("name", t_tool, [[tool]], [
        "Which booking tool should I use for business trips at {co}?",
        "What system does {co} use to book flights and hotels?"], group="travel-tool")
    m1, m2 = r.choice(["New Trip", "Plan a Trip", "Create Booking"]), r.choice(["Flights and Hotels", "Trip Details", "Itinerary"])
    if r.random() < 0.5:
        t = f"To book a trip, ⟦open {tool}, choose {m1}, then select {m2}⟧ and add your cost centre before submitting."
        d.para(t)
    else:
        d.para("To book a trip:")
        t = f"⟦Open {tool} and choose {m1}⟧."
        d.bullets([t, f"Select {m2} and enter your destination and dates.",
                   "Add your cost centre and submit the request for approval."], numbered=True)
    d.ask("step", t, [[tool], [m1], [m2]], [
        "How do I book a business trip at {co}? What are the steps?",
        f"What's the procedure for booking travel in {tool} at {{co}}?",
        "Walk me through booking a trip at {co}."], group="travel-tool")

    d.h2(r.choice(["Flights and rail", "Class of travel", "Air and train travel"]))
    h = c.pick("hours", range(5, 10))
    t = r.choice([
        f"⟦Business class is permitted only for flights longer than {h} hours⟧; all shorter flights are booked in economy.",
        f"Economy class is the default. ⟦Flights of more than {h} hours may be booked in business class⟧.",
        f"⟦Employees may not fly business class unless the flight exceeds {h} hours⟧.",
    ])
    if r.random() < 0.5:
        rail_h = c.pick("hours", range(2, 5))
        t_rail = f"⟦First-class rail travel is allowed for journeys over {rail_h} hours⟧; shorter journeys are booked in standard class."
        rail_yn = "yes"
    else:
        rail_h = None
        t_rail = r.choice(["⟦First-class rail tickets are not reimbursed⟧, regardless of the length of the journey.",
                           "Train travel is booked in standard class; ⟦first class is not reimbursed⟧."])
        rail_yn = "no"
    d.bullets([t, t_rail, r.choice(["Seat reservations and one piece of checked luggage are covered.",
                                    "Fees for changing a booking are covered when the change is caused by work."])])
    k = r.randint(2, 4)
    d.ask("yesno", t, [alts_hours(h)], [
        f"At {{co}}, may I book business class for a {h + k}-hour flight?",
        f"My flight for {{co}} is {h + k} hours long. Am I allowed to fly business class?"], yes_no="yes", group="business-class")
    k = r.randint(2, 3)
    d.ask("yesno", t, [alts_hours(h)], [
        f"Can I book business class for a {h - k}-hour flight on {{co}} business?",
        f"I'm flying {h - k} hours for a {{co}} customer meeting. Is business class allowed?"], yes_no="no", group="business-class")
    if rail_yn == "yes":
        d.ask("yesno", t_rail, [alts_hours(rail_h)], [
            f"Can I take a first-class train for a {rail_h + 2}-hour journey on {{co}} business?",
            f"My train trip for {{co}} takes {rail_h + 2} hours. Is first class OK?"], yes_no="yes", group="rail")
    else:
        d.ask("yesno", t_rail, [], [
            "Will {co} pay for a first-class train ticket?",
            "Can I travel first class by train on a {co} business trip?"], yes_no="no", group="rail")

    d.h2(r.choice(["Accommodation", "Hotels", "Where to stay"]))
    a1 = c.pick_money(160, 300, 10)
    a2 = c.pick_money(90, 150, 10)
    m_a1, m_a2 = c.money(a1), c.money(a2)
    style = r.randrange(3)
    if style == 0:
        t1 = f"⟦Hotels in {c.big} may cost up to {m_a1} a night⟧."
        t2 = f"⟦For all other destinations the nightly limit is {m_a2}⟧."
        d.para(t1, t2, "Breakfast may be included if it stays within the limit.")
    elif style == 1:
        t2 = f"⟦The nightly hotel cap is {m_a2} for most destinations⟧."
        t1 = f"Because prices are higher there, ⟦the cap for {c.big} is {m_a1}⟧ per night."
        d.para(t2, t1, "The caps include taxes and breakfast.")
    else:
        d.para("The following limits per night apply, including taxes:")
        t1 = f"⟦Hotels in {c.big}: up to {m_a1} per night⟧"
        t2 = f"⟦Hotels everywhere else: up to {m_a2} per night⟧"
        d.bullets([t1, t2])
    d.ask("number", t1, [c.money_alts(a1)], [
        f"What's the maximum I can spend per night on a hotel in {c.big} on {{co}} business?",
        f"At {{co}}, what is the hotel limit per night for a stay in {c.big}?",
        f"How much can a hotel in {c.big} cost per night under {{co}}'s travel rules?"], group="hotel")
    d.ask("number", t2, [c.money_alts(a2)], [
        f"I'm travelling to {c.second} for {{co}}. What's the nightly hotel limit there?",
        f"What's {{co}}'s per-night hotel cap for a trip to {c.second}?"], group="hotel")
    if r.random() < 0.5:
        t = r.choice(["⟦Private holiday rentals are not reimbursed⟧; please stay in hotels offered by the booking tool.",
                      "⟦Employees may not book private apartments or holiday rentals⟧ for business trips."])
        yn = "no"
    else:
        t = "⟦Private apartment rentals are allowed⟧ if the total cost stays below the hotel limit for the destination."
        yn = "yes"
    d.para(t)
    d.ask("yesno", t, [], [
        "Can I stay in a holiday apartment instead of a hotel on a {co} business trip?",
        "At {co}, is it OK to book a private rental apartment for a work trip?"], yes_no=yn, group="rental")

    d.h2(r.choice(["Daily allowances", "Per diems", "Meals while travelling"]))
    p1 = c.pick_money(25, 50, 5)
    p2 = c.pick_money(55, 95, 5)
    style = r.randrange(3)
    if style == 0:
        t1 = f"⟦The daily allowance for domestic trips is {c.money(p1)}⟧."
        t2 = f"⟦For trips abroad the daily allowance is {c.money(p2)}⟧."
        d.para("Meals are covered by a fixed daily allowance instead of receipts.", t1, t2)
    elif style == 1:
        t1 = f"⟦Domestic per diem: {c.money(p1)} per day⟧"
        t2 = f"⟦International per diem: {c.money(p2)} per day⟧"
        d.bullets([t1, t2, "Days with a meal paid by a host or customer are reduced by a third."])
    else:
        t1 = f"⟦Domestic trips carry a per diem of {c.money(p1)}⟧"
        t2 = f"⟦international trips carry a per diem of {c.money(p2)}⟧"
        d.para(f"{t1}, while {t2}.", "No receipts are needed for the per diem.")
    d.ask("number", t1, [c.money_alts(p1)], [
        "What's the daily meal allowance on a domestic business trip at {co}?",
        "How much per diem do I get per day for a trip within the country at {co}?"], group="per-diem")
    d.ask("number", t2, [c.money_alts(p2)], [
        "What per diem does {co} pay per day for international travel?",
        "For a trip abroad with {co}, how much is the daily allowance?"], group="per-diem")

    d.h2(r.choice(["Help during a trip", "Emergencies and changes", "Support while travelling"]))
    ext = c.pick_ext()
    t = r.choice([f"⟦The travel desk can be reached on extension {ext}⟧ during office hours.",
                  f"If a flight is cancelled, ⟦call the travel desk on extension {ext}⟧."])
    d.para(t, f"All travellers are covered by the company's travel insurance; the certificate is stored in {tool}.")
    d.ask("number", t, [[str(ext)]], [
        "What's the phone extension of the {co} travel desk?",
        "My flight got cancelled. Which extension do I call at {co} to reach the travel desk?"])
    notes(d)
    return d


def expense_policy(c: Company) -> Doc:
    r, co, tool = c.rng, c.name, c.tools["expense"]
    d = Doc(c, "expense-policy", r.choice([f"{co} Expense Policy", f"Expenses and Reimbursement — {co}",
                                           f"{co}: Claiming Business Expenses"]))
    meta(d, "expense policy", ["Finance"])
    d.h2(r.choice(["General principles", "Basics", "Before you spend"]))
    n = c.pick("days", range(20, 91))
    t_dead = r.choice([f"⟦Claims must be submitted within {n} days of the expense⟧.",
                       f"⟦Submit every claim no later than {n} days after you paid⟧.",
                       f"⟦Expenses older than {n} days are not reimbursed⟧."])
    rc = c.pick_money(10, 50, 5)
    t_rc = r.choice([f"⟦An itemised receipt is required for every expense above {c.money(rc)}⟧.",
                     f"⟦Receipts are mandatory for amounts over {c.money(rc)}⟧; below that a short note is enough."])
    t_tool = r.choice([f"⟦Expense claims are filed in {tool}⟧.", f"⟦All claims go through {tool}⟧, our expense system."])
    d.para(f"{co} reimburses reasonable costs that employees incur on company business.", t_tool, t_dead, t_rc)
    d.ask("number", t_dead, [alts_days(n)], [
        "How long do I have to submit an expense claim at {co}?",
        "What's the deadline for filing expenses at {co}?",
        "Within how many days must {co} expense claims be submitted?"])
    d.ask("number", t_rc, [c.money_alts(rc)], [
        "Above what amount do I need a receipt for an expense at {co}?",
        "At {co}, from what amount is a receipt required for a claim?"])
    d.ask("name", t_tool, [[tool]], [
        "Which system do I use for expense claims at {co}?",
        "Where do I file my expenses at {co}?"], group="expense-tool")

    d.h2(r.choice(["Meals and entertainment", "Business meals", "Food and drink"]))
    m1 = c.pick_money(45, 120, 5)
    m2 = c.pick_money(20, 40, 5)
    if r.random() < 0.5:
        t1 = f"⟦Client meals are reimbursed up to {c.money(m1)} per person⟧."
        t2 = f"⟦Internal team meals are capped at {c.money(m2)} per person⟧."
        d.para(t1, t2)
    else:
        t1 = f"⟦Business meals with clients: {c.money(m1)} per head⟧"
        t2 = f"⟦Team lunches and dinners: {c.money(m2)} per head⟧"
        d.bullets([t1, t2])
    d.ask("number", t1, [c.money_alts(m1)], [
        "How much can I spend per person when I take a client to dinner at {co}?",
        "What's the per-head limit for client meals at {co}?"], group="meals")
    d.ask("number", t2, [c.money_alts(m2)], [
        "What's the maximum per person for a team dinner paid by {co}?",
        "At {co}, what is the per-person cap on internal team meals?"], group="meals")
    if r.random() < 0.5:
        t = r.choice(["⟦Alcohol is not reimbursed⟧, including at client dinners.",
                      "⟦Alcoholic drinks are never reimbursed⟧, even when a client is present."])
        d.para(t)
        d.ask("yesno", t, [], [
            "Can I expense the wine at a client dinner for {co}?",
            "Does {co} reimburse beer or wine ordered at a business meal with a customer?"], yes_no="no", group="alcohol")
    else:
        t = "⟦Alcohol is reimbursed at client dinners⟧ when a client is present; ⟦it is not reimbursed at internal team events⟧."
        d.para(t)
        d.ask("yesno", t, [], [
            "Can I expense the wine at a dinner with a client at {co}?",
            "Does {co} reimburse alcohol ordered during a customer dinner?"], yes_no="yes", group="alcohol")
        d.ask("yesno", t, [], [
            "Can I claim the drinks from our internal team dinner at {co}?",
            "At {co}, is beer at an internal team event reimbursed?"], yes_no="no", group="alcohol", mark=1)
    pct = c.pick("percent", range(5, 16))
    t = r.choice([f"⟦Tips are reimbursed up to {pct}% of the bill⟧.",
                  f"⟦Gratuities of up to {pct}% of the total are reimbursed⟧; anything above is personal."])
    d.para(t)
    d.ask("number", t, [alts_percent(pct)], [
        "How much tip can I claim on a business meal at {co}?",
        "What's the maximum tip percentage {co} reimburses?"])

    d.h2(r.choice(["Local transport", "Taxis and mileage", "Getting around"]))
    th, eh = r.choice([20, 21, 22]), r.choice([5, 6])
    t_taxi = r.choice([
        f"⟦Taxi fares are reimbursed only for journeys starting after {fmt_time(th, 0)}⟧ or before {fmt_time(eh, 0)}; at other times please use public transport.",
        f"⟦Taxis are reimbursed only between {fmt_time(th, 0)} and {fmt_time(eh, 0)}⟧; during the day, use public transport.",
    ])
    rate = c.pick_money(0.25, 0.45, 0.05)
    t_km = r.choice([f"⟦Private car journeys are reimbursed at {c.money(rate)} per kilometre⟧.",
                     f"⟦The mileage rate for private cars is {c.money(rate)} per km⟧."])
    d.bullets([t_taxi, t_km, "Parking and tolls are reimbursed with a receipt."])
    late_h, late_m = th + r.choice([1, 1, 2]) if th < 22 else 23, r.choice([0, 15, 30, 45])
    early_h, early_m = r.choice([15, 16, 17, 18]), r.choice([0, 30])
    d.ask("yesno", t_taxi, [alts_time(th, 0)], [
        f"I'm leaving the {{co}} office at {spoken_time(late_h, late_m, r)} after a late meeting. Can I claim a taxi home?",
        f"Can I expense a taxi I take at {spoken_time(late_h, late_m, r)} on a workday at {{co}}?"], yes_no="yes", group="taxi")
    d.ask("yesno", t_taxi, [alts_time(th, 0)], [
        f"Can I expense a taxi from the {{co}} office at {spoken_time(early_h, early_m, r)}?",
        f"At {{co}}, will a taxi at {spoken_time(early_h, early_m, r)} on a weekday be reimbursed?"], yes_no="no", group="taxi")
    d.ask("number", t_km, [c.money_alts(rate)], [
        "What's the mileage rate at {co} if I drive my own car for work?",
        "How much does {co} reimburse per kilometre for private car use?"])

    d.h2(r.choice(["Home office", "Working from home", "Equipment at home"]))
    if r.random() < 0.5:
        t = r.choice(["⟦Home office furniture is not reimbursed⟧; the company provides a laptop, a headset and a monitor.",
                      "⟦Employees may not claim desks or chairs for home⟧; the company provides a laptop, a headset and a monitor."])
        d.para(t)
        d.ask("yesno", t, [], [
            "Can I get a new desk chair for my home office reimbursed by {co}?",
            "Does {co} pay for furniture for working from home?"], yes_no="no", group="home-office")
    else:
        amt = c.pick_money(150, 400, 50)
        years = r.choice([2, 3])
        t = f"⟦Employees may claim up to {c.money(amt)} for home office furniture⟧ once every {years} years."
        d.para(t, "Laptops, headsets and monitors are provided by IT and are not claimed as expenses.")
        d.ask("yesno", t, [c.money_alts(amt)], [
            "Can I get a new desk chair for my home office reimbursed by {co}?",
            "Does {co} pay for furniture for working from home?"], yes_no="yes", group="home-office")

    d.h2(r.choice(["Approval", "Who approves claims", "Approval and contractors"]))
    p = c.people["finance"]
    big = c.pick_money(500, 2000, 100)
    t = r.choice([
        f"Your line manager approves claims up to {c.money(big)}. ⟦Claims above {c.money(big)} must be approved by {p.full}⟧, {p.role}.",
        f"⟦Any claim over {c.money(big)} needs approval from {p.full}⟧ ({p.role}) in addition to your line manager.",
    ])
    d.para(t)
    d.ask("name", t, [p.alts()], [
        "Who approves large expense claims at {co}?",
        f"My expense claim at {{co}} is over {c.money(big)}. Who has to approve it?"], group="approval")
    d.ask("number", t, [c.money_alts(big)], [
        "Above what amount does an expense claim at {co} need more than my line manager's approval?",
        "From which amount do {co} expense claims need extra approval?"], group="approval")
    if r.random() < 0.5:
        t = f"⟦Contractors may not submit expense claims in {tool}⟧; they invoice their costs through their agency."
        yn = "no"
    else:
        t = f"⟦Contractors are allowed to submit claims in {tool}⟧ using their contractor ID."
        yn = "yes"
    d.para(t)
    d.ask("yesno", t, [], [
        f"I'm a contractor at {{co}}. Can I submit my expenses in {tool}?",
        "Are contractors at {co} allowed to file expense claims themselves?"], yes_no=yn, group="contractor-expense")

    d.h2(r.choice(["How to submit a claim", "Submitting a claim", "Claiming step by step"]))
    m1 = r.choice(["New Claim", "New Expense Report", "Add Expense"])
    if r.random() < 0.5:
        t = f"⟦Open {tool}, choose {m1}, then attach the receipt⟧ as a photo and submit the claim to your line manager."
        d.para(t, "Claims are paid with the next monthly transfer.")
    else:
        t = f"⟦Open {tool} and choose {m1}⟧."
        d.bullets([t, "Attach a photo or scan of each receipt.",
                   "Select the cost centre and submit the claim to your manager."], numbered=True)
    d.ask("step", t, [[tool], [m1], ["receipt"]], [
        "How do I submit an expense claim at {co}?",
        "What are the steps to claim back expenses at {co}?"], group="expense-tool")
    notes(d)
    return d


def it_security_policy(c: Company) -> Doc:
    r, co = c.rng, c.name
    pm, vpn, mdm = c.tools["pm"], c.tools["vpn"], c.tools["mdm"]
    d = Doc(c, "it-security-policy", r.choice([f"{co} IT Security Policy", f"Information Security Policy — {co}",
                                               f"{co}: Rules for Using IT Safely"]))
    meta(d, "IT security policy", ["IT", "Information Security"])
    d.para(f"This policy protects the information of {co}, its customers and its employees.",
           "Everyone with a company account must follow it, including contractors and temporary staff.")
    d.h2(r.choice(["Passwords and sign-in", "Accounts and passwords", "Signing in"]))
    L = c.pick("chars", range(12, 17))
    L2 = c.pick("chars", range(20, 33))
    if r.random() < 0.5:
        t1 = f"⟦Passwords must be at least {L} characters long⟧."
        t2 = f"⟦Service account passwords need at least {L2} characters⟧."
        d.para(t1, t2, "Multi-factor authentication is required for every account.")
    else:
        t1 = f"⟦Minimum password length: {L} characters⟧"
        t2 = f"⟦Minimum length for service accounts: {L2} characters⟧"
        d.bullets([t1, t2, "Multi-factor authentication: required for every account"])
    d.ask("number", t1, [[f"{L} characters", f"{L} chars"]], [
        "How long does my password need to be at {co}?",
        "What's the minimum password length for a normal user account at {co}?"], group="pw-len")
    d.ask("number", t2, [[f"{L2} characters", f"{L2} chars"]], [
        "How many characters must a service account password have at {co}?"], group="pw-len")
    t_pm = r.choice([f"⟦Store all passwords in {pm}⟧, the company password manager.",
                     f"⟦The company password manager is {pm}⟧; do not keep passwords in files or notes."])
    t_share = r.choice(["⟦Passwords may not be shared⟧, not even with IT staff.",
                        "⟦You must not share your password with anyone⟧, including IT support."])
    S = c.pick("minutes", range(2, 11))
    t_lock = r.choice([f"⟦Screens lock automatically after {S} minutes of inactivity⟧.",
                       f"Lock your screen when you leave; ⟦devices auto-lock after {S} minutes⟧."])
    d.para(t_pm, t_share, t_lock)
    d.ask("name", t_pm, [[pm]], [
        "Which password manager are we supposed to use at {co}?",
        "What tool does {co} use for storing passwords?"])
    d.ask("yesno", t_share, [], [
        "Is it OK to share my password with a colleague from IT at {co}?",
        "Can I give my {co} password to IT support if they ask for it?"], yes_no="no")
    d.ask("number", t_lock, [alts_minutes(S)], [
        "After how many minutes does my {co} laptop lock itself?",
        "What's the automatic screen-lock time at {co}?"])

    d.h2(r.choice(["Devices", "Laptops and phones", "Company devices"]))
    if r.random() < 0.5:
        t_usb = r.choice(["⟦USB storage devices may not be used⟧ on company laptops.",
                          "⟦Employees may not use USB sticks⟧ or external hard drives on company devices."])
        usb_yn, usb_f = "no", []
    else:
        t_usb = f"⟦USB sticks are allowed only if they are encrypted⟧ and registered in {mdm}."
        usb_yn, usb_f = "yes", [["encrypted", "encryption"]]
    if r.random() < 0.5:
        t_byod = "⟦Contractors may not connect personal devices to the company network⟧."
        byod_yn, byod_f = "no", []
    else:
        t_byod = f"⟦Contractors are allowed to connect personal laptops⟧ once they are enrolled in {mdm}."
        byod_yn, byod_f = "yes", [[mdm]]
    os_name = r.choice(["macOS", "Windows 11", "Ubuntu"])
    os_v = c.pick("osver", {"macOS": ["13.6", "14.4", "14.6", "15.1", "15.3"],
                            "Windows 11": ["22H2", "23H2", "24H2"],
                            "Ubuntu": ["22.04", "24.04"]}[os_name])
    t_os = r.choice([f"⟦All laptops must run {os_name} {os_v} or later⟧.",
                     f"⟦The minimum supported version is {os_name} {os_v}⟧; older systems are blocked from email."])
    t_mdm = r.choice([f"⟦Every laptop and phone must be enrolled in {mdm}⟧.",
                      f"⟦Company devices are managed with {mdm}⟧, which installs updates automatically."])
    d.bullets([t_mdm, t_os, t_usb, t_byod])
    d.ask("name", t_mdm, [[mdm]], [
        "Which device management system does my work phone have to be enrolled in at {co}?",
        "What MDM tool does {co} use for laptops and phones?"])
    d.ask("number", t_os, [[os_v]], [
        f"What's the minimum {os_name} version required on {{co}} laptops?",
        f"Which {os_name} version do I need at least on my {{co}} work laptop?"])
    d.ask("yesno", t_usb, usb_f, [
        "Can I use a USB stick on my {co} laptop?",
        "Are USB drives allowed on {co} devices?"], yes_no=usb_yn)
    d.ask("yesno", t_byod, byod_f, [
        "As a contractor at {co}, can I connect my own laptop to the company network?",
        "Are contractors at {co} allowed to use their personal laptop on the network?"], yes_no=byod_yn)

    d.h2(r.choice(["Remote access", "Working outside the office", "VPN and email"]))
    vv = c.pick_version()
    t_vpn = r.choice([f"⟦Use {vpn} version {vv} or later⟧ whenever you work outside the office.",
                      f"Outside the office, ⟦connect through {vpn} (version {vv} or newer)⟧."])
    t_wifi = r.choice(["⟦Employees may not use public Wi-Fi without the VPN⟧.",
                       "⟦Public Wi-Fi must not be used without the VPN⟧, for example in hotels or trains."])
    t_fwd = r.choice(["⟦Forwarding work email to private addresses is not allowed⟧.",
                      "⟦Work email may not be forwarded to personal mailboxes⟧."])
    d.para(t_vpn, t_wifi, t_fwd)
    d.ask("name", t_vpn, [[vpn]], [
        "Which VPN client does {co} use?",
        "What VPN software should I use when working remotely for {co}?"], group="vpn")
    d.ask("number", t_vpn, [[vv]], [
        f"What's the minimum version of the {vpn} client at {{co}}?",
        f"Which version of {vpn} do I need at least at {{co}}?"], group="vpn")
    d.ask("yesno", t_wifi, [], [
        "Can I work on hotel Wi-Fi at {co} without turning on the VPN?",
        "Is it OK to use public Wi-Fi for {co} work without the VPN?"], yes_no="no")
    d.ask("yesno", t_fwd, [], [
        "Can I auto-forward my {co} work email to my private Gmail account?",
        "Am I allowed to forward {co} emails to my personal address?"], yes_no="no")

    d.h2(r.choice(["Security incidents", "Reporting incidents", "If something goes wrong"]))
    p = c.people["ciso"]
    H = c.pick("hours-incident", [1, 2, 4, 12, 24, 48])
    t = r.choice([
        f"⟦Security incidents must be reported to {p.full}⟧ ({p.role}) ⟦within {H} hours of discovery⟧.",
        f"⟦Report every suspected incident to {p.full}⟧, our {p.role}, and do so ⟦within {H} hours of discovery⟧.",
    ])
    ext = c.pick_ext()
    t_ext = f"⟦The security hotline is extension {ext}⟧, available around the clock."
    d.para(t, t_ext)
    d.ask("name", t, [p.alts()], [
        "Who do I report a security incident to at {co}?",
        "Who is responsible for information security at {co}?"])
    d.ask("number", t, [alts_hours(H)], [
        "How quickly do I have to report a security incident at {co}?",
        "What's the deadline for reporting a suspected breach at {co}?"], mark=1)
    d.ask("number", t_ext, [[str(ext)]], [
        "What number do I call to reach the security hotline at {co}?",
        "Which extension is the {co} security hotline?"])
    btn, opt = r.choice([("Report Message", "Junk or Phishing"), ("Report Suspicious", "Phishing Attempt"),
                         ("Report Phishing", "Send to Security")])
    if r.random() < 0.5:
        t = f"To report a phishing email, ⟦select the message, click {btn}, then choose {opt}⟧. Do not forward it."
        d.para(t)
    else:
        d.para("To report a phishing email:")
        t = f"⟦Select the message and click {btn}⟧."
        d.bullets([t, f"Choose {opt}.", "Delete the message from your inbox."], numbered=True)
    d.ask("step", t, [[btn], [opt]], [
        "How do I report a phishing email at {co}?",
        "I got a suspicious email at {co}. What are the steps to report it?"])
    notes(d)
    return d


def leave_policy(c: Company) -> Doc:
    r, co, hr = c.rng, c.name, c.tools["hr"]
    d = Doc(c, "leave-policy", r.choice([f"{co} Leave Policy", f"Holidays and Absence — {co}",
                                         f"{co}: Annual Leave and Absence Policy"]))
    meta(d, "leave policy", ["People & Culture", "HR"])
    d.h2(r.choice(["Annual leave", "Holiday entitlement", "Paid holidays"]))
    E = c.pick("days", range(20, 31))
    C = c.pick("days-leave", range(3, 11))
    dl_month = r.choice([3, 4, 6])
    dl_day = {3: 31, 4: 30, 6: 30}[dl_month]
    dl = f"{dl_day} {MONTHS[dl_month - 1]}"
    t_e = r.choice([f"⟦Full-time employees receive {E} days of paid annual leave⟧ per calendar year.",
                    f"⟦The annual leave entitlement is {E} working days⟧ for full-time staff; part-time staff receive a pro-rata share."])
    if r.random() < 0.5:
        t_c = f"⟦Up to {C} unused days may be carried over⟧ into the next year; ⟦carried-over days must be taken by {dl}⟧."
    else:
        t_c = f"⟦You can carry over a maximum of {C} days⟧. ⟦Carried-over leave expires on {dl}⟧."
    d.para(t_e, t_c)
    d.ask("number", t_e, [alts_days(E)], [
        "How many days of annual leave do I get at {co}?",
        "What's the holiday entitlement for full-time staff at {co}?"])
    d.ask("number", t_c, [alts_days(C, "unused")], [
        "How many unused vacation days can I carry over at {co}?",
        "What's the maximum number of leave days I can take into next year at {co}?"], group="carry")
    k = r.randint(2, 5)
    d.ask("yesno", t_c, [alts_days(C, "unused")], [
        f"Can I carry {C + k} unused holiday days over into next year at {{co}}?",
        f"At {{co}}, is it possible to move {C + k} days of leave to next year?"], yes_no="no", group="carry")
    if C > 2:
        d.ask("yesno", t_c, [alts_days(C, "unused")], [
            f"Can I carry {max(C - 2, 2)} days of unused leave over to next year at {{co}}?",
            f"I have {max(C - 2, 2)} holiday days left at {{co}}. May I take them into next year?"], yes_no="yes", group="carry")
    d.ask("number", t_c, [[dl, f"{MONTHS[dl_month - 1]} {dl_day}"]], [
        "By when do I have to use carried-over leave at {co}?",
        "When do carried-over holiday days expire at {co}?"], group="carry", mark=1)

    d.h2(r.choice(["Sick leave", "Illness", "When you are ill"]))
    S = c.pick("days-leave", range(2, 7))
    th, tm = r.choice([(8, 0), (8, 30), (9, 0), (9, 30), (10, 0)])
    t_s = r.choice([f"⟦You can self-certify sickness for up to {S} days⟧; after that a doctor's note is required.",
                    f"⟦No doctor's note is needed for up to {S} days⟧ of absence."])
    t_t = r.choice([f"⟦Tell your manager before {fmt_time(th, tm)} on the first day⟧ of absence.",
                    f"⟦Report your absence to your manager by {fmt_time(th, tm)}⟧ on the first day."])
    d.para(t_t, t_s, "Sick days do not reduce your annual leave.")
    d.ask("number", t_s, [alts_days(S)], [
        "How many days can I be off sick at {co} without a doctor's note?",
        "At {co}, for how long can I self-certify an illness?"])
    d.ask("number", t_t, [alts_time(th, tm)], [
        "By what time do I have to call in sick at {co}?",
        "What's the latest time to tell my manager I'm ill at {co}?"])

    d.h2(r.choice(["Other paid leave", "Special leave", "Other reasons for time off"]))
    B = c.pick("days-leave", range(2, 11))
    V = c.pick("days-leave", range(2, 9))
    W = c.pick("days-leave", range(2, 9))
    t_b = f"⟦Bereavement leave: {B} days⟧ for the loss of a close family member"
    t_v = f"⟦Volunteering: {V} paid days per year⟧ for charity work"
    t_w = f"⟦Your own wedding: {W} days of paid leave⟧"
    items = [t_b, t_v, t_w]
    r.shuffle(items)
    d.para("In addition to annual leave, the following paid leave is available:")
    d.bullets(items)
    d.ask("number", t_b, [alts_days(B)], [
        "How many days off do I get at {co} if a close relative dies?",
        "What's the bereavement leave at {co}?"], group="other-leave")
    d.ask("number", t_v, [alts_days(V)], [
        "How many paid volunteering days does {co} offer per year?"], group="other-leave")
    d.ask("number", t_w, [alts_days(W)], [
        "How much paid leave does {co} give me for my own wedding?"], group="other-leave")
    if r.random() < 0.5:
        U = c.pick("weeks", range(2, 13))
        t_u = f"⟦Unpaid leave of up to {U} weeks may be granted⟧ with the approval of your line manager and HR."
        d.para(t_u)
        d.ask("yesno", t_u, [alts_weeks(U)], [
            "Can I take unpaid leave at {co}?",
            "Is unpaid leave an option for {co} employees?"], yes_no="yes")
    else:
        t_u = r.choice(["⟦Unpaid leave is not offered⟧, except where the law requires it.",
                        "⟦Employees may not take unpaid leave⟧ unless the law requires it."])
        d.para(t_u)
        d.ask("yesno", t_u, [], [
            "Can I take unpaid leave at {co}?",
            "Is unpaid leave an option for {co} employees?"], yes_no="no")
    P = c.pick("days-leave", range(3, 10))
    t_p = r.choice([f"⟦During probation, employees may not take more than {P} days of leave⟧.",
                    f"⟦New employees on probation are limited to {P} days of leave⟧."])
    d.para(t_p)
    d.ask("yesno", t_p, [alts_days(P)], [
        f"I'm still on probation at {{co}}. Can I take {P + r.randint(3, 6)} days off?",
        f"At {{co}}, may I take {P + r.randint(3, 6)} days of holiday during my probation period?"], yes_no="no", group="probation-leave")
    if P > 2:
        d.ask("yesno", t_p, [alts_days(P)], [
            f"I'm on probation at {{co}}. Am I allowed to take {P - 1} days of leave?"], yes_no="yes", group="probation-leave")

    d.h2(r.choice(["Requesting leave", "How to book time off", "Booking leave"]))
    m1, m2 = r.choice(["Time Off", "Absence", "My Leave"]), r.choice(["New Request", "Request Leave", "Book Absence"])
    if r.random() < 0.5:
        t = f"To book holiday, ⟦open {hr}, choose {m1}, then select {m2}⟧ and pick your dates."
        d.para(t, "Your line manager approves the request in the same tool.")
    else:
        d.para("To book holiday:")
        t = f"⟦Open {hr} and choose {m1}⟧."
        d.bullets([t, f"Select {m2} and pick your dates.", "Your line manager approves the request."], numbered=True)
    d.ask("step", t, [[hr], [m1], [m2]], [
        "How do I request time off at {co}?",
        "What are the steps to book a holiday at {co}?"], group="hr-tool")
    d.ask("name", t, [[hr]], [
        "Which system do I use to request leave at {co}?",
        "Where do I book my holidays at {co}?"], group="hr-tool")
    Lmin = r.choice([3, 4, 5])
    N = c.pick("weeks", range(2, 7))
    t_n = r.choice([f"⟦Leave longer than {Lmin} days must be requested {N} weeks in advance⟧.",
                    f"For absences of more than {Lmin} days, ⟦submit the request at least {N} weeks ahead⟧."])
    p = c.people["hr"]
    t_hr = r.choice([f"⟦Questions about leave go to {p.full}⟧, {p.role}.",
                     f"⟦{p.full} ({p.role}) answers questions about leave⟧ and balances."])
    d.para(t_n, t_hr)
    d.ask("number", t_n, [alts_weeks(N)], [
        "How far ahead do I have to request a two-week holiday at {co}?",
        "At {co}, how much notice do I need to give for a long holiday?"])
    d.ask("name", t_hr, [p.alts()], [
        "Who can I ask about my leave balance at {co}?",
        "Who in HR handles questions about holidays at {co}?"])
    notes(d)
    return d


def onboarding_guide(c: Company) -> Doc:
    r, co, sso, ticket = c.rng, c.name, c.tools["sso"], c.tools["ticket"]
    d = Doc(c, "onboarding-guide", r.choice([f"Welcome to {co}: Onboarding Guide", f"{co} Onboarding Guide",
                                             f"Your First Weeks at {co}"]))
    meta(d, "onboarding guide", ["People & Culture", "HR"])
    d.para(f"Welcome to {co}! This guide explains what happens in your first weeks and who can help you.")
    d.h2(r.choice(["Your first day", "Day one", "Arriving on your first day"]))
    ah, am = r.choice([(8, 30), (8, 45), (9, 0), (9, 15), (9, 30), (10, 0)])
    t_a = r.choice([f"⟦Please arrive at {fmt_time(ah, am)} on your first day⟧ at the {c.hq} office, {c.address}.",
                    f"⟦Your first day starts at {fmt_time(ah, am)}⟧ at reception in our {c.hq} office ({c.address})."])
    p = c.people["people"]
    t_w = r.choice([f"⟦The welcome session is hosted by {p.full}⟧, {p.role}.",
                    f"In the morning, ⟦{p.full} runs the welcome session⟧ for all new starters; {p.full} is our {p.role}."])
    d.para(t_a, "Bring a photo ID; reception will issue your badge.", t_w)
    d.ask("number", t_a, [alts_time(ah, am)], [
        "What time should I arrive on my first day at {co}?",
        "When does the first day start for new joiners at {co}?"])
    d.ask("name", t_w, [p.alts()], [
        "Who runs the welcome session for new starters at {co}?",
        "Who hosts the onboarding welcome session at {co}?"])

    d.h2(r.choice(["Accounts and equipment", "Getting set up", "Your laptop and accounts"]))
    m1 = r.choice(["Activate Account", "First Login", "Set Up Account"])
    if r.random() < 0.5:
        t = f"Your laptop is handed over on day one. To activate your accounts, ⟦open {sso}, choose {m1}, then enrol your authenticator app⟧."
        d.para(t)
    else:
        d.para("Your laptop is handed over on day one. To activate your accounts:")
        t = f"⟦Open {sso} and choose {m1}⟧."
        d.bullets([t, "Set a new password.", "Enrol your authenticator app for multi-factor sign-in."], numbered=True)
    d.ask("step", t, [[sso], [m1], ["authenticator"]], [
        "How do I activate my accounts as a new hire at {co}?",
        "What are the first steps to set up my login at {co}?"])

    d.h2(r.choice(["Mandatory training", "Training in your first month", "Courses to complete"]))
    T1 = c.pick("days", range(10, 31))
    T2 = c.pick("days", range(11, 61))
    t1 = r.choice([f"⟦Complete the security awareness course within {T1} days⟧ of joining.",
                   f"⟦The security awareness course is due within {T1} days⟧ of your start date."])
    t2 = r.choice([f"⟦The data protection course must be finished within {T2} days⟧.",
                   f"⟦You have {T2} days to complete the data protection course⟧."])
    d.bullets([t1, t2, "Both courses are assigned automatically and take about an hour each."])
    d.ask("number", t1, [alts_days(T1)], [
        "How long do new hires at {co} have to finish the security awareness training?",
        "By when must I complete the security awareness course after joining {co}?"], group="training")
    d.ask("number", t2, [alts_days(T2)], [
        "How many days do I have to complete the data protection course at {co}?"], group="training")

    d.h2(r.choice(["Probation and working arrangements", "Your first months", "Probation"]))
    M = c.pick("months", range(3, 7))
    t_m = r.choice([f"⟦The probation period is {M} months⟧.", f"⟦New employees serve a probation period of {M} months⟧."])
    if r.random() < 0.5:
        Wk = c.pick("weeks", range(2, 7))
        t_r = f"⟦New hires may not work remotely during their first {Wk} weeks⟧, so that they can meet the team."
        r_yn, r_f = "no", [alts_weeks(Wk)]
    else:
        t_r = "⟦New hires are allowed to work remotely from their first week⟧, once their laptop is set up."
        r_yn, r_f = "yes", []
    pb = c.people["buddy"]
    t_b = r.choice([f"⟦Buddies are assigned by {pb.full}⟧, {pb.role}.",
                    f"Every new hire gets a buddy; ⟦{pb.full} assigns the buddies⟧ as {pb.role}."])
    d.para(t_m, t_r, t_b)
    d.ask("number", t_m, [alts_months(M)], [
        "How long is the probation period at {co}?",
        "How many months of probation do new employees at {co} have?"])
    d.ask("yesno", t_r, r_f, [
        "Can I work from home during my first week at {co}?",
        "As a new starter at {co}, am I allowed to work remotely right away?"], yes_no=r_yn)
    d.ask("name", t_b, [pb.alts()], [
        "Who assigns onboarding buddies at {co}?",
        "Who do I talk to about getting an onboarding buddy at {co}?"])

    d.h2(r.choice(["Useful contacts", "Who to call", "Getting help"]))
    e1, e2 = c.pick_ext(), c.pick_ext()
    t1 = f"⟦IT helpdesk: extension {e1}⟧"
    t2 = f"⟦HR service desk: extension {e2}⟧"
    t3 = f"⟦IT requests are raised in {ticket}⟧"
    d.bullets([t1, t2, t3])
    d.ask("number", t1, [[str(e1)]], [
        "What's the IT helpdesk extension at {co}?",
        "Which extension do I dial for IT support at {co}?"], group="contacts")
    d.ask("number", t2, [[str(e2)]], [
        "Which extension do I dial for the HR service desk at {co}?"], group="contacts")
    d.ask("name", t3, [[ticket]], [
        "Where do I raise an IT ticket at {co}?",
        "Which tool do I use for IT requests at {co}?"])
    notes(d)
    return d


def product_spec(c: Company) -> Doc:
    r, co, prod, app = c.rng, c.name, c.product, c.app
    d = Doc(c, "product-spec", r.choice([f"{prod} — Product Specification", f"{co} {prod} Spec Sheet",
                                         f"Product Sheet: {prod}"]))
    meta(d, f"{prod} spec sheet", ["Product Management"])
    d.h2(r.choice(["Overview", "About the product", "Product overview"]))
    p = c.people["product"]
    launch = c.pick_date(2022, 2025)
    t_l = f"⟦The {prod} launched on {fmt_date(launch, r.randrange(3))}⟧."
    t_p = r.choice([f"⟦Product owner: {p.full}⟧ ({p.role}).", f"⟦{p.full} is the {p.role}⟧ responsible for the {prod}."])
    article = "an" if c.product_type[0] in "aeiou" else "a"
    d.para(f"The {prod} from {co} is {article} {c.product_type} that {c.product_desc}.",
           "It comes in two models, Standard and Pro.", t_l, t_p)
    d.ask("number", t_l, [alts_date(launch)], [
        f"When was {{co}}'s {prod} launched?", f"What's the launch date of the {prod} from {{co}}?"])
    d.ask("name", t_p, [p.alts()], [
        f"Who is the product manager for the {prod} at {{co}}?",
        f"Who owns the {prod} product at {{co}}?"])

    d.h2(r.choice(["Technical specifications", "Specifications", "Key figures"]))
    b1 = c.pick("hours-battery", range(8, 25))
    b2 = c.pick("hours-battery", range(30, 61))
    g1 = c.pick("grams", range(180, 400, 5))
    g2 = c.pick("grams", range(g1 + 40, g1 + 125, 5))
    chg = c.pick("minutes", range(35, 91, 5))
    ip_s, ip_p = r.choice([("IP54", "IP67"), ("IP52", "IP65"), ("IP44", "IP68"), ("IP53", "IP66")])
    lo, hi = c.pick("temp", range(-20, -4, 5)), c.pick("temp", range(40, 56, 5))
    fw = f"{r.randint(1, 5)}.{r.randint(0, 9)}.{r.randint(1, 9)}"
    if r.random() < 0.5:
        tb1 = f"⟦Battery life (Standard): up to {b1} hours⟧"
        tb2 = f"⟦Battery life (Pro): up to {b2} hours⟧"
        tg1 = f"⟦Weight (Standard): {g1} g⟧ without accessories"
        tg2 = f"⟦Weight (Pro): {g2} g⟧ without accessories"
        specs = [tb1, tb2, tg1, tg2]
    else:
        tb = f"⟦The Standard model runs for up to {b1} hours⟧ on one charge, while ⟦the Pro model lasts up to {b2} hours⟧"
        tg = f"⟦The Standard model weighs {g1} g⟧ and ⟦the Pro weighs {g2} g⟧"
        tb1, tb2, tg1, tg2 = tb, tb, tg, tg
        specs = [tb, tg]
    t_ch = f"⟦Charges to 80% in {chg} minutes⟧ with the supplied adapter"
    t_ip = f"⟦Ingress protection: {ip_s} (Standard), {ip_p} (Pro)⟧"
    t_tmp = f"⟦Operating temperature: {lo} °C to {hi} °C⟧"
    t_fw = f"⟦Current firmware: version {fw}⟧"
    specs += [t_ch, t_ip, t_tmp, t_fw]
    d.bullets(specs)
    two = tb1 == tb2
    d.ask("number", tb2, [alts_hours(b2)], [
        f"What's the battery life of the {prod} Pro from {{co}}?",
        f"How many hours does {{co}}'s {prod} Pro run on one charge?"], group="battery", mark=1 if two else 0)
    d.ask("number", tb1, [alts_hours(b1)], [
        f"How long does the battery of the Standard {prod} from {{co}} last?"], group="battery")
    d.ask("number", tg2, [[f"{g2} g", f"{g2} grams", f"{g2}g"]], [
        f"How heavy is the {prod} Pro made by {{co}}?"], group="weight", mark=1 if two else 0)
    d.ask("number", tg1, [[f"{g1} g", f"{g1} grams", f"{g1}g"]], [
        f"What does the Standard {prod} from {{co}} weigh?"], group="weight")
    d.ask("number", t_ch, [alts_minutes(chg)], [
        f"How fast does {{co}}'s {prod} charge to 80%?"])
    d.ask("number", t_ip, [[ip_p]], [
        f"What IP rating does the {prod} Pro from {{co}} have?"], group="ip")
    d.ask("number", t_tmp, [[f"{lo}", f"minus {-lo}", f"\u2212{-lo}"], [f"{hi} °C", f"{hi}°C", f"{hi} C", f"{hi} degrees", f"to {hi}"]], [
        f"In what temperature range can {{co}}'s {prod} be operated?"])
    d.ask("number", t_fw, [[fw]], [
        f"What's the current firmware version of the {prod} ({{co}})?"])
    W1 = c.pick("months", [12, 24])
    W2 = c.pick("months", [36, 48, 60])
    t_w = r.choice([f"⟦The {prod} comes with a {W1}-month warranty⟧; ⟦business customers get {W2} months⟧.",
                    f"⟦Standard warranty: {W1} months⟧. ⟦Business customers get {W2} months⟧ of warranty."])
    d.para(t_w)
    d.ask("number", t_w, [alts_months(W1)], [
        f"How long is the standard warranty on {{co}}'s {prod}?"], group="warranty")
    d.ask("number", t_w, [alts_months(W2)], [
        f"What warranty do business customers get on the {prod} from {{co}}?"], group="warranty", mark=1)

    d.h2(r.choice(["Connectivity and compatibility", "Compatibility", "Setup and connectivity"]))
    t_app = r.choice([f"⟦The {app} app is used to set up the device⟧.", f"⟦Setup is done in the {app} app⟧ for iOS and Android."])
    feats = [
        ("wifi", f"⟦The {prod} supports 5 GHz Wi-Fi⟧ as well as 2.4 GHz.",
         f"⟦The {prod} does not support 5 GHz Wi-Fi⟧; it connects over 2.4 GHz only.",
         [f"Does the {prod} from {{co}} work with 5 GHz Wi-Fi?", f"Can {{co}}'s {prod} connect to a 5 GHz network?"]),
        ("battery", "⟦The battery is user-replaceable⟧ without tools.",
         "⟦The battery cannot be replaced by the user⟧; replacements are done by service partners.",
         [f"Can customers replace the battery of {{co}}'s {prod} themselves?"]),
        ("offline", "⟦The device keeps working without an internet connection⟧ and syncs later.",
         "⟦The device does not work without an internet connection⟧.",
         [f"Does the {prod} by {{co}} work offline?", f"Can the {{co}} {prod} be used without internet access?"]),
        ("mount", "⟦The device can be wall-mounted⟧ with the included bracket.",
         "⟦The device is not designed for wall mounting⟧.",
         [f"Can I mount {{co}}'s {prod} on a wall?"]),
    ]
    chosen = r.sample(feats, 2)
    lines = [t_app]
    for key, yes_t, no_t, qs in chosen:
        yn = r.choice(["yes", "no"])
        t = yes_t if yn == "yes" else no_t
        lines.append(t)
        d.ask("yesno", t, [], qs, yes_no=yn, group=f"feature-{key}")
    d.para(*lines)
    d.ask("name", t_app, [[app]], [
        f"Which app do I need to set up the {prod} from {{co}}?",
        f"What's the name of the setup app for {{co}}'s {prod}?"])

    d.h2(r.choice(["Pricing", "Prices and discounts", "Price list"]))
    pr1 = c.pick_money(150, 400, 10)
    pr2 = c.pick_money(pr1 / 100 / c.scale + 100, pr1 / 100 / c.scale + 260, 10)
    disc = c.pick("percent", range(10, 31, 5))
    t1 = f"⟦List price of the Standard model: {c.money(pr1)}⟧"
    t2 = f"⟦List price of the Pro model: {c.money(pr2)}⟧"
    t3 = f"⟦Employees get a {disc}% discount⟧ on both models"
    d.bullets([t1, t2, t3])
    t_resell = r.choice(["⟦Employees may not resell devices bought with the staff discount⟧.",
                         "⟦Devices bought with the employee discount must not be resold⟧."])
    d.para(t_resell)
    d.ask("number", t2, [c.money_alts(pr2)], [
        f"What's the list price of the {prod} Pro from {{co}}?"], group="price")
    d.ask("number", t1, [c.money_alts(pr1)], [
        f"How much does the Standard {prod} cost at {{co}}?"], group="price")
    d.ask("number", t3, [alts_percent(disc)], [
        f"What employee discount do {{co}} staff get on the {prod}?"])
    d.ask("yesno", t_resell, [], [
        f"Can I resell a {prod} I bought with my {{co}} employee discount?"], yes_no="no")

    d.h2(r.choice(["Factory reset", "Resetting the device", "Troubleshooting"]))
    secs = c.pick("seconds", range(5, 16))
    btn = r.choice(["Reset", "OK", "the volume-down key"])
    if r.random() < 0.5:
        t = f"To restore factory settings, ⟦hold the power button for {secs} seconds, then press {btn}⟧."
        d.para(t, "All settings and stored data are erased.")
    else:
        d.para("To restore factory settings:")
        t = f"⟦Hold the power button for {secs} seconds⟧."
        d.bullets([t, f"When the light blinks, press {btn}.", "Wait until the device restarts."], numbered=True)
    d.ask("step", t, [alts_seconds(secs), [btn]], [
        f"How do I factory reset the {prod} from {{co}}?",
        f"What are the steps to restore factory settings on {{co}}'s {prod}?"])
    notes(d)
    return d


def office_facilities(c: Company) -> Doc:
    r, co, rooms = c.rng, c.name, c.tools["rooms"]
    d = Doc(c, "office-facilities", r.choice([f"{co} Office Facilities Guide", f"Our Offices — {co}",
                                              f"{co}: Workplace and Facilities"]))
    meta(d, "office facilities guide", ["Workplace", "Facilities"])
    d.h2(r.choice(["Our offices", "Locations and opening hours", "Opening hours"]))
    o1h, o1m = r.choice([(7, 0), (7, 30), (8, 0)])
    c1h = r.choice([18, 19, 20])
    o2h, o2m = r.choice([(8, 30), (9, 0), (9, 30)])
    c2h, c2m = r.choice([(17, 0), (17, 30), (16, 30)])
    if r.random() < 0.5:
        t1 = f"⟦The {c.hq} office is open from {fmt_time(o1h, o1m)} to {fmt_time(c1h, 0)}⟧ on weekdays."
        t2 = f"⟦The {c.second} office opens at {fmt_time(o2h, o2m)} and closes at {fmt_time(c2h, c2m)}⟧."
        d.para(f"{co} has its headquarters at {c.address}, {c.hq}, and a smaller office in {c.second}.", t1, t2)
    else:
        d.para(f"{co} has its headquarters at {c.address}, {c.hq}, and a smaller office in {c.second}.")
        t1 = f"⟦{c.hq} office: open {fmt_time(o1h, o1m)} to {fmt_time(c1h, 0)}, Monday to Friday⟧"
        t2 = f"⟦{c.second} office: open {fmt_time(o2h, o2m)} to {fmt_time(c2h, c2m)}, Monday to Friday⟧"
        d.bullets([t1, t2])
    d.ask("number", t2, [alts_time(o2h, o2m)], [
        f"What time does the {{co}} office in {c.second} open?",
        f"When does {{co}}'s {c.second} office open in the morning?"], group="hours")
    d.ask("number", t1, [alts_time(c1h, 0)], [
        f"When does the {c.hq} office of {{co}} close in the evening?",
        f"Until what time is {{co}}'s {c.hq} office open?"], group="hours")
    if r.random() < 0.5:
        t = "⟦The offices are closed at weekends⟧ and badges do not work on Saturdays or Sundays."
        yn = "no"
    else:
        t = "⟦Weekend access is allowed with your badge⟧, but reception is not staffed."
        yn = "yes"
    d.para(t)
    d.ask("yesno", t, [], [
        "Can I get into the {co} office on a Saturday?",
        "Is the {co} office accessible at weekends?"], yes_no=yn)

    d.h2(r.choice(["Reception and contacts", "Who to contact", "Building contacts"]))
    p = c.people["office"]
    e1, e2 = c.pick_ext(), c.pick_ext()
    t_rec = r.choice([f"⟦Reception can be reached on extension {e1}⟧.", f"⟦Call reception on extension {e1}⟧ for deliveries and visitors."])
    t_sec = f"⟦Building security: extension {e2}⟧"
    t_p = r.choice([f"⟦{p.full} is our {p.role}⟧ and looks after the building, desks and furniture.",
                    f"For broken furniture or building issues, ⟦contact {p.full}, the {p.role}⟧."])
    d.para(t_rec, t_p)
    d.bullets([t_sec, "Lost property: ask at reception"])
    d.ask("number", t_rec, [[str(e1)]], [
        "What's the extension for reception at {co}?",
        "Which number do I call to reach reception at {co}?"], group="office-ext")
    d.ask("number", t_sec, [[str(e2)]], [
        "Which extension reaches building security at {co}?"], group="office-ext")
    d.ask("name", t_p, [p.alts()], [
        "Who is the office manager at {co}?",
        "Who should I contact about a broken desk in the {co} office?"])

    d.h2(r.choice(["Meeting rooms", "Booking rooms", "Rooms and desks"]))
    m1 = r.choice(["Find a Room", "Book a Room", "Reserve Space"])
    H = c.pick("hours", range(2, 5))
    room = r.choice(ROOM_NAMES)
    seats = c.pick("seats", range(12, 41))
    if r.random() < 0.5:
        t = f"To book a room, ⟦open {rooms}, choose {m1}, then pick a slot⟧ and add the attendees."
        d.para(t)
    else:
        d.para("To book a meeting room:")
        t = f"⟦Open {rooms} and choose {m1}⟧."
        d.bullets([t, "Pick the floor and a free time slot.", "Add the attendees and confirm."], numbered=True)
    t_h = r.choice([f"⟦Rooms may be booked for at most {H} hours at a time⟧.",
                    f"⟦A single booking may not exceed {H} hours⟧."])
    t_room = f"⟦The largest room, {room}, seats {seats} people⟧."
    d.para(t_h, t_room)
    d.ask("step", t, [[rooms], [m1]], [
        "How do I book a meeting room at {co}?",
        "What are the steps to reserve a meeting room at {co}?"], group="rooms")
    d.ask("name", t, [[rooms]], [
        "Which tool do I use to book meeting rooms at {co}?"], group="rooms")
    d.ask("number", t_h, [alts_hours(H)], [
        "What's the longest I can book a meeting room for at {co}?",
        "For how many hours at most can I reserve a room at {co}?"])
    d.ask("number", t_room, [[f"{seats} people", f"{seats} seats", f"{seats} persons", f"seats {seats}"]], [
        "How many people fit in the largest meeting room at {co}?"])

    d.h2(r.choice(["Visitors", "Guests", "Hosting visitors"]))
    t = r.choice(["⟦Visitors may not move around the building unaccompanied⟧.",
                  "⟦Guests are not allowed to walk around unescorted⟧; collect them at reception."])
    d.para("Register visitors with reception a day in advance.", t)
    d.ask("yesno", t, [], [
        "Can my visitor walk around the {co} office on their own?",
        "At {co}, may guests move through the building without an escort?"], yes_no="no")

    d.h2(r.choice(["Parking and charging", "Getting to the office", "Parking"]))
    park = c.pick_money(4, 20, 1)
    t_park = r.choice([f"⟦Parking in the garage costs {c.money(park)} per day⟧.",
                       f"⟦A day in the staff car park costs {c.money(park)}⟧."])
    if r.random() < 0.5:
        t_ev = "⟦Employees may charge electric cars for free⟧ at the marked bays."
        ev_yn = "yes"
    else:
        t_ev = "⟦Charging private electric cars is not allowed⟧ in the garage."
        ev_yn = "no"
    d.para(t_park, t_ev)
    d.ask("number", t_park, [c.money_alts(park)], [
        "How much does parking at the {co} office cost per day?",
        "What's the daily parking fee at {co}'s office?"])
    d.ask("yesno", t_ev, [], [
        "Can I charge my electric car at the {co} office?",
        "Does {co} let employees charge their EVs in the office garage?"], yes_no=ev_yn)
    notes(d)
    return d


DOCS = [travel_policy, expense_policy, it_security_policy, leave_policy,
        onboarding_guide, product_spec, office_facilities]


# ---------------------------------------------------------------- questions

def absent(term: str, text: str) -> bool:
    return re.search(r"\b" + re.escape(term) + r"(s|es)?\b", text, re.IGNORECASE) is None


NEEDS = [("number", None)] * 3 + [("yesno", "no")] * 2 + [("yesno", "yes"), ("name", None), ("step", None)]


def select(cands, rng, seen: Counter):
    """Pick the questions of one company: NEEDS kinds, one per group, spread over the
    documents, preferring rules that earlier companies did not use (seen)."""
    cands = list(cands)
    rng.shuffle(cands)
    used_groups, per_doc, chosen = set(), Counter(), []
    for kind, yn in NEEDS:
        pool = [x for x in cands if x.kind == kind and (yn is None or x.yes_no == yn)
                and x.group not in used_groups]
        if not pool:
            raise RuntimeError(f"no candidate for {kind}/{yn}")
        best = min(pool, key=lambda x: (per_doc[x.source] + seen[x.rule]))
        seen[best.rule] += 1
        chosen.append(best)
        used_groups.add(best.group)
        per_doc[best.source] += 1
    rng.shuffle(chosen)
    return chosen


def not_echoed(alts, question):
    """Alternatives the question itself does not contain (a fact the question already states
    would be matched by an answer that merely repeats the question)."""
    q = question.lower()
    return [a for a in alts if a.lower() not in q]


def fact_json(alts):
    alts = list(dict.fromkeys(alts))
    return alts[0] if len(alts) == 1 else alts


def generate(out: Path, seed: int = 1, companies: int = 6):
    Faker.seed(seed)
    rng = random.Random(seed)
    locales = list(LOCALES)
    chosen_locales = rng.sample(locales, min(companies, len(locales)))
    while len(chosen_locales) < companies:
        chosen_locales.append(rng.choice(locales))
    out.mkdir(parents=True, exist_ok=True)
    taken, all_text, per_company, seen = set(), [], [], Counter()
    for loc in chosen_locales:
        c = Company(loc, rng, taken)
        docs = [make(c) for make in DOCS]
        per_company.append((c, docs))
        all_text += [d.text() for d in docs]
    corpus = "\n".join(all_text)
    records = []
    for c, docs in per_company:
        folder = out / c.slug
        folder.mkdir(parents=True, exist_ok=True)
        cands = []
        for d in docs:
            text = d.text()
            (folder / f"{d.key}.md").write_text(text, encoding="utf-8")
            for x in d.cands:
                if x.evidence not in text:
                    raise AssertionError(f"evidence not in {d.source}: {x.evidence!r}")
            cands += d.cands
        for n, x in enumerate(select(cands, rng, seen), 1):
            question = rng.choice(x.questions)
            facts = [fact_json(f) for f in (not_echoed(f, question) for f in x.facts) if f]
            if x.kind != "yesno" and not facts:
                raise AssertionError(f"all facts echoed by the question: {question!r}")
            rec = {"id": f"{c.slug}-{n}", "question": question, "answerable": True,
                   "answers": [{"source": x.source, "heading": x.heading, "evidence": x.evidence}],
                   "facts": facts, "kind": x.kind}
            if x.kind == "yesno":
                rec["yes_no"] = x.yes_no
            records.append(rec)
        topics = [t for t in UNANSWERABLE if all(absent(term, corpus) for term in t[1])]
        for n, (qs, terms) in enumerate(rng.sample(topics, 2), 1):
            records.append({"id": f"{c.slug}-u{n}", "question": rng.choice(qs).format(co=c.name),
                            "answerable": False, "absent_terms": terms})
    manifest = [{"slug": c.slug, "name": c.name, "locale": c.locale, "currency": c.code,
                 "documents": [f"{c.slug}/{d.key}.md" for d in docs]} for c, docs in per_company]
    (out / "companies.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    with open(out / "questions.jsonl", "w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return records


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, type=Path, help="output folder")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--companies", type=int, default=6)
    args = ap.parse_args(argv)
    records = generate(args.out, args.seed, args.companies)
    kinds = Counter(r.get("kind", "unanswerable") for r in records)
    print(f"wrote {len(records)} questions for {args.companies} companies to {args.out}: "
          + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
