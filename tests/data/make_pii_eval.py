"""Write the labelled PII evaluation sets of the scrubber. Deterministic; run it again after editing:

    .venv/bin/python tests/data/make_pii_eval.py

1. tests/data/pii_eval.jsonl, the "seen" set (this file, below): 384 documents with hand-picked
   names and formats. The scrubber was tuned against it, so it guards against regressions but says
   little about text nobody here wrote. Every row has `entities` (values that must disappear) and
   `hard_negatives` (business strings that must survive verbatim).
2. tests/data/pii_eval/multilocale.jsonl and zh.jsonl, the independent sets of issue 18 (written by
   tests/data/pii_eval/generate.py, which this script runs): Faker people from 16 locales in
   document kinds unlike the sample company's, every value labelled with its type and span. Needs
   the `faker` package; the same Faker version writes the same bytes.

The real no-PII corpus (tests/data/pii_eval/real_no_pii/) is built apart, from Debian packages, by
real_no_pii/make_extract.py. bench/pii.py scores all of them.
"""

from __future__ import annotations

import json
import random
import re
import string
from pathlib import Path
from typing import Callable

OUT = Path(__file__).with_name("pii_eval.jsonl")
SEED = 20261104
DOCS_PER_KIND = 32

# --- personal values -----------------------------------------------------------------------------

GIVEN_FAMILY = {
    "anglo": (["Harriet", "Gordon", "Winifred", "Barnaby", "Imogen", "Rupert", "Delphine", "Cormac"],
              ["Pemberton", "Ashcroft", "Fairweather", "Holloway", "Kingsley", "Thornbury", "Whitlock"]),
    "chinese": (["Yuming", "Shuqin", "Jianguo", "Lihua", "Wenjie", "Mingyu", "Xinyi", "Guoqiang"],
                ["Gao", "Tang", "Luo", "Peng", "Cao", "Xie", "Deng", "Feng", "Jiang"]),
    "indian": (["Venkatesh", "Anjali", "Harpreet", "Suresh", "Divya", "Gurpreet", "Tejaswini"],
               ["Subramanian", "Bhattacharya", "Dhillon", "Chandrasekhar", "Pillai", "Joshi"]),
    "arabic": (["Yasmin", "Bilal", "Rashid", "Dalia", "Mustafa", "Leen", "Zainab"],
               ["Qureshi", "Hamdi", "Al-Amiri", "Tawfiq", "Haddadin", "Kanaan", "Suleiman"]),
    "hispanic": (["Guadalupe", "Rodrigo", "Itziar", "Fernando", "Marisol", "Joaquín"],
                 ["Echeverría", "Villalobos", "Quintana", "Arriaga", "Saavedra", "Zúñiga"]),
    "slavic": (["Bogdan", "Svetlana", "Mirosław", "Zdenka", "Yaroslav", "Ludmila"],
               ["Krawczyk", "Orlova", "Jabłoński", "Hrabal", "Bondarenko", "Stojanović"]),
    "african": (["Chiamaka", "Tendai", "Kwabena", "Folasade", "Nomvula", "Babajide", "Wairimu"],
                ["Nwosu", "Moyo", "Owusu", "Ogunleye", "Dlamini", "Chukwuemeka", "Njoroge"]),
    "korean": (["Min-jun", "Ji-yeon", "Seo-yeon", "Do-hyun", "Hye-jin"],
               ["Kim", "Park", "Choi", "Jung", "Kang", "Yoon"]),
    "japanese": (["Ryota", "Aiko", "Shinji", "Noriko", "Takeshi", "Emiko"],
                 ["Fujimoto", "Matsuda", "Hayashi", "Inoue", "Kimura", "Okada"]),
    "nordic": (["Sigrid", "Henrik", "Astrid", "Ingvar", "Solveig", "Magnus"],
               ["Halvorsen", "Lindqvist", "Bergström", "Johannesson", "Aaltonen"]),
    "persian": (["Dariush", "Shirin", "Kourosh", "Parisa", "Navid"],
                ["Tehrani", "Farahani", "Moradi", "Rostami", "Karimi"]),
    "greek_turkish": (["Dimitris", "Eleni", "Stavros", "Hülya", "Oğuz", "Despina"],
                      ["Papadopoulos", "Karagiannis", "Konstantinou", "Arslan", "Korkmaz"]),
    "filipino_thai": (["Maricel", "Rodel", "Somchai", "Kannika", "Jericho"],
                      ["Dizon", "Bautista", "Wongsakul", "Srisuk", "Macapagal"]),
}
HAN_NAMES = ["王建国", "李秀兰", "陈志强", "刘晓燕", "赵文博", "孙丽娟", "周海涛", "吴春梅"]

MAIL_DOMAINS = ["gmail.com", "outlook.com", "yahoo.co.uk", "163.com", "qq.com", "web.de",
                "orange.fr", "protonmail.ch", "hey.com", "fastmail.fm", "corp.halden-systems.eu",
                "ops.brightwater.io", "staff.nordkyn.no"]


def person(r: random.Random) -> str:
    given, family = GIVEN_FAMILY[r.choice(sorted(GIVEN_FAMILY))]
    first, last = r.choice(given), r.choice(family)
    if first in GIVEN_FAMILY["chinese"][0] and r.random() < 0.5:
        return f"{last} {first}"  # family name first, as many Chinese colleagues write it
    if r.random() < 0.12:
        return f"{first} {r.choice('ABCDEFGJKLMRST')}. {last}"
    return f"{first} {last}"


def email(r: random.Random, name: str | None = None) -> str:
    parts = [p.strip(".").lower() for p in (name or person(r)).split() if len(p) > 2]
    ascii_parts = [p.encode("ascii", "ignore").decode().replace(" ", "") or "user" for p in parts]
    first, last = ascii_parts[0], ascii_parts[-1]
    local = r.choice([f"{first}.{last}", f"{first[0]}{last}", f"{first}_{last}{r.randint(1, 99)}",
                      f"{last}.{first}", f"{first}+orders", f"{first}{last[0]}"])
    return f"{local}@{r.choice(MAIL_DOMAINS)}"


def phone(r: random.Random) -> str:
    d = lambda n: "".join(str(r.randint(0, 9)) for _ in range(n))  # noqa: E731
    cn_mobile = f"1{r.choice('3456789')}{r.randint(0, 9)}{d(8)}"
    us_area = r.choice(["201", "213", "305", "312", "470", "503", "615", "646", "702", "919"])
    us_line = f"555-01{d(2)}"
    return r.choice([
        f"+44 20 7946 0{d(3)}", f"+44 7700 900{d(3)}", f"+44 (0)161 496 0{d(3)}",
        f"07700 900{d(3)}", f"+44 113 496 0{d(3)}",
        f"+86 {cn_mobile[:3]} {cn_mobile[3:7]} {cn_mobile[7:]}", cn_mobile,
        f"{cn_mobile[:3]}-{cn_mobile[3:7]}-{cn_mobile[7:]}", f"+86-10-{d(4)}-{d(4)}",
        f"(+86) {cn_mobile}", f"+8621{d(8)}",
        f"({us_area}) {us_line}", f"{us_area}-{us_line}", f"{us_area}.555.01{d(2)}",
        f"+1 {us_area} 555 01{d(2)}", f"+1 ({us_area}) {us_line}", f"1-{us_area}-{us_line}",
        f"+49 89 {d(7)}", f"+33 6 {d(2)} {d(2)} {d(2)} {d(2)}", f"+91 9{d(4)} {d(5)}",
        f"+61 4{d(2)} {d(3)} {d(3)}",
    ])


_CN_W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def cn_id(r: random.Random) -> str:
    region = r.choice(["320581", "420111", "210102", "530102", "350102", "130104", "610103",
                       "450305", "230102", "510182"])
    body = f"{region}{r.randint(1955, 2004)}{r.randint(1, 12):02d}{r.randint(1, 28):02d}"
    body += f"{r.randint(0, 999):03d}"
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, _CN_W)) % 11]
    value = body + check
    if r.random() < 0.15:
        return f"{value[:6]} {value[6:14]} {value[14:]}"
    return value


def _luhn_complete(prefix: str, length: int, r: random.Random) -> str:
    digits = prefix + "".join(str(r.randint(0, 9)) for _ in range(length - len(prefix) - 1))
    for check in "0123456789":
        candidate = digits + check
        nums = [int(c) for c in candidate]
        total = sum(nums[-1::-2]) + sum(sum(divmod(2 * n, 10)) for n in nums[-2::-2])
        if total % 10 == 0:
            return candidate
    raise AssertionError("unreachable")


def card(r: random.Random) -> str:
    kind = r.choice(["visa", "mc", "mc2", "amex", "discover", "jcb"])
    prefix, length = {"visa": ("4", 16), "mc": (f"5{r.randint(1, 5)}", 16),
                      "mc2": (f"22{r.randint(30, 99)}", 16), "amex": (r.choice(["34", "37"]), 15),
                      "discover": ("6011", 16), "jcb": ("3530", 16)}[kind]
    number = _luhn_complete(prefix, length, r)
    if length == 15:
        groups = [number[:4], number[4:10], number[10:]]
    else:
        groups = [number[i : i + 4] for i in range(0, 16, 4)]
    return r.choice([" ", "-", ""]).join(groups)


IBAN_SHAPES = {"DE": "n18", "GB": "a4n14", "FR": "n23", "ES": "n20", "NL": "a4n10", "IT": "a1n22",
               "CH": "n17", "BE": "n12", "PL": "n24", "AT": "n16", "IE": "a4n14"}


def iban(r: random.Random) -> str:
    country = r.choice(sorted(IBAN_SHAPES))
    bban = ""
    for kind, count in re.findall(r"([an])(\d+)", IBAN_SHAPES[country]):
        pool = string.ascii_uppercase if kind == "a" else string.digits
        bban += "".join(r.choice(pool) for _ in range(int(count)))
    numeric = int("".join(str(int(c, 36)) for c in bban + country + "00"))
    value = f"{country}{98 - numeric % 97:02d}{bban}"
    if r.random() < 0.6:
        return " ".join(value[k : k + 4] for k in range(0, len(value), 4))
    return value


def ssn(r: random.Random) -> str:
    area = r.choice([n for n in range(1, 900) if n != 666])
    value = (f"{area:03d}", f"{r.randint(1, 99):02d}", f"{r.randint(1, 9999):04d}")
    return r.choice(["-", "-", "-", " "]).join(value)


def ip(r: random.Random) -> str:
    h = lambda: f"{r.randint(1, 0xFFFF):x}"  # noqa: E731
    return r.choice([
        f"198.51.100.{r.randint(2, 254)}", f"203.0.113.{r.randint(2, 254)}",
        f"{r.randint(11, 223)}.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}",
        f"10.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}",
        f"172.{r.randint(16, 31)}.{r.randint(0, 255)}.{r.randint(1, 254)}",
        f"2001:db8:{h()}:{h()}::{h()}", f"2a02:{h()}:{h()}:{h()}:{h()}:{h()}:{h()}:{h()}",
        f"fd12:3456:789a:1::{h()}", f"2600:1f18:{h()}:{h()}:{h()}:{h()}:{h()}:{h()}",
    ])


def address(r: random.Random) -> str:
    n = r.randint(2, 9800)
    return r.choice([
        f"{n} {r.choice(['Larkspur', 'Juniper Hollow', 'Briarwood', 'Old Mill', 'Sycamore'])} "
        f"{r.choice(['Avenue', 'Road', 'Street', 'Drive', 'Lane', 'Court', 'Blvd.'])}, "
        f"{r.choice(['Columbus, OH 43215', 'Tucson, AZ 85719', 'Raleigh, NC 27601', 'Boise, ID 83702', 'Madison, WI 53703'])}",
        f"{n} {r.choice(['Quarry Hill', 'Thornbury', 'Abbey Fields', 'Ravensworth'])} "
        f"{r.choice(['Road', 'Close', 'Crescent', 'Gardens'])}, "
        f"{r.choice(['Leicester LE2 7QT', 'Norwich NR3 1QD', 'Cardiff CF10 3AT', 'York YO1 7HH'])}",
        f"Apt {r.randint(1, 40)}{r.choice('ABCD')}, {n} {r.choice(['Magnolia', 'Hawthorne', 'Crestview'])} "
        f"Street, {r.choice(['Denver, CO 80205', 'Albany, NY 12207', 'Omaha, NE 68102'])}",
        f"{r.choice(['Blumenstraße', 'Rosenheimer Str.', 'Mozartweg', 'Am Seeufer', 'Ulmenallee'])} "
        f"{r.randint(1, 140)}{r.choice(['', 'b'])}, {r.choice(['70565 Stuttgart', '01067 Dresden', '90402 Nürnberg', '24103 Kiel'])}",
        f"{r.randint(1, 90)} {r.choice(['avenue des Tilleuls', 'rue du Faubourg Saint-Denis', 'boulevard Gambetta', 'impasse des Acacias'])}, "
        f"{r.choice(['69003 Lyon', '59000 Lille', '67000 Strasbourg', '06000 Nice'])}",
        f"{r.choice(['Calle de Toledo', 'Avenida de América', 'Carrer de Provença'])} {r.randint(1, 300)}, "
        f"{r.choice(['28005 Madrid', '08036 Barcelona', '50001 Zaragoza'])}",
        f"{r.randint(1, 400)} {r.choice(['Dongfang Road', 'Zhangjiang Road', 'Renmin Avenue', 'Xueyuan Road'])}, "
        f"{r.choice(['Pudong New Area, Shanghai 200120', 'Haidian District, Beijing 100083', 'Tianhe District, Guangzhou 510620'])}",
        f"{r.randint(1, 250)} {r.choice(['Banksia', 'Wattlebird', 'Coolabah'])} "
        f"{r.choice(['Crescent', 'Street', 'Parade'])}, {r.choice(['Parramatta NSW 2150', 'Fitzroy VIC 3065', 'Toowong QLD 4066'])}",
        f"{r.choice(['Vondelstraat', 'Kanaalweg', 'Herenstraat'])} {r.randint(1, 200)}, "
        f"{r.choice(['1054 GE Amsterdam', '2511 CV Den Haag', '3581 KP Utrecht'])}",
    ])


MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


def birth_date(r: random.Random) -> str:
    y, m, d = r.randint(1950, 2003), r.randint(1, 12), r.randint(1, 28)
    return r.choice([
        f"{m:02d}/{d:02d}/{y}", f"{d:02d}.{m:02d}.{y}", f"{y}-{m:02d}-{d:02d}",
        f"{d} {MONTHS[m - 1]} {y}", f"{MONTHS[m - 1]} {d}, {y}", f"{d} {MONTHS[m - 1][:3]} {y}",
        f"{d:02d}-{MONTHS[m - 1][:3]}-{y}", f"{y}/{m:02d}/{d:02d}",
    ])


# --- business values that must survive -----------------------------------------------------------

PRODUCTS = ["Halden Switch 24", "Corvid Mesh Node", "Nimbus Vault Pro", "Aurora Dock 2",
            "Tidewater Sensor Hub", "Quillon Badge Reader", "Meridian Edge Gateway", "Sable Cam X"]
COMPANIES = ["Brightwater Analytics", "Nordkyn Freight", "Halden Systems", "Ostrava Components",
             "Pinecrest Logistics", "Veltro Payments"]
CITIES = ["Rotterdam", "Lisbon", "Singapore", "Denver", "Osaka", "Nairobi", "Krakow", "Montreal"]
TEAMS = ["Platform team", "Payments squad", "Field Service", "Warehouse Ops", "Tier 3"]


def business(r: random.Random) -> dict[str, str]:
    """A fresh set of identifiers that look numeric or name-like but are not personal data."""
    d = lambda n: "".join(str(r.randint(0, 9)) for _ in range(n))  # noqa: E731
    hexs = lambda n: "".join(r.choice("0123456789abcdef") for _ in range(n))  # noqa: E731
    return {
        "order": r.choice([f"SO-{d(7)}", f"ORD{d(9)}", f"#{d(6)}", f"PO-{r.randint(2023, 2026)}-{d(5)}"]),
        "ticket": r.choice([f"HD-{d(5)}", f"INC{d(7)}", f"SUP-{d(4)}", f"case {d(8)}"]),
        "invoice": r.choice([f"INV/{r.randint(2023, 2026)}/{d(5)}", f"F-{d(6)}", f"BILL-{d(4)}-{d(3)}"]),
        "sku": r.choice([f"HX-{d(3)}-{r.choice('ABCDK')}", f"SKU {d(8)}", f"P/N 90-{d(5)}-{d(2)}"]),
        "version": r.choice([f"v{r.randint(1, 9)}.{r.randint(0, 30)}.{r.randint(0, 9)}",
                             f"{r.randint(1, 5)}.{r.randint(0, 9)}.{r.randint(0, 9)}-rc{r.randint(1, 4)}",
                             f"build {r.randint(1000, 9999)}.{r.randint(100, 999)}"]),
        "amount": r.choice([f"${r.randint(10, 9999)}.{d(2)}", f"€{r.randint(1, 9)},{d(3)}.{d(2)}",
                            f"GBP {r.randint(10, 999)}.{d(2)}", f"¥{r.randint(100, 99999)}"]),
        "date": r.choice([f"2025-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}",
                          f"{r.randint(1, 28)} {r.choice(MONTHS)} 2025",
                          f"{r.choice(MONTHS)} {r.randint(1, 28)}, 2026",
                          f"{r.randint(1, 28):02d}/{r.randint(1, 12):02d}/2025"]),
        "time": f"{r.randint(0, 23):02d}:{r.randint(0, 59):02d} UTC",
        "timestamp": f"2025-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}T{r.randint(0, 23):02d}:"
                     f"{r.randint(0, 59):02d}:{r.randint(0, 59):02d}Z",
        "commit": hexs(r.choice([7, 12, 40])),
        "uuid": f"{hexs(8)}-{hexs(4)}-4{hexs(3)}-a{hexs(3)}-{hexs(12)}",
        "tracking": r.choice([f"1Z{d(3)}AA1{d(10)}", f"JD{d(18)}", f"{d(12)}", f"LX{d(9)}DE"]),
        "host": r.choice([f"db-{r.choice(['eu', 'us', 'ap'])}-{r.randint(1, 9)}.internal",
                          f"api{r.randint(1, 4)}.halden-systems.eu", f"k8s-node-{d(2)}"]),
        "error": r.choice([f"E{d(4)}", f"ERR_{r.choice(['TIMEOUT', 'AUTH', 'QUOTA'])}_{d(2)}", f"0x{hexs(8)}"]),
        "port": f"port {r.choice([443, 8080, 5432, 6379, 9092, 8443])}",
        "cidr": f"10.{r.randint(0, 200)}.0.0/{r.choice([16, 20, 24])}",
        "product": r.choice(PRODUCTS),
        "company": r.choice(COMPANIES),
        "city": r.choice(CITIES),
        "team": r.choice(TEAMS),
        "qty": f"{r.randint(2, 500)} units",
        "percent": f"{r.randint(1, 99)}.{r.randint(0, 9)}%",
        "bad_card": _bad_luhn(r),
        "url": f"https://docs.halden-systems.eu/kb/{d(4)}",
    }


def _bad_luhn(r: random.Random) -> str:
    number = _luhn_complete("4", 16, r)
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    return " ".join(wrong[i : i + 4] for i in range(0, 16, 4))


# --- documents -----------------------------------------------------------------------------------


class Doc:
    """Accumulates text while recording what must go (entities) and what must stay."""

    def __init__(self, r: random.Random) -> None:
        self.r = r
        self.b = business(r)
        self.entities: list[dict[str, str]] = []
        self.keep: list[str] = []

    def pii(self, entity_type: str, value: str) -> str:
        self.entities.append({"type": entity_type, "value": value})
        return value

    def neg(self, key: str) -> str:
        value = self.b[key]
        self.keep.append(value)
        return value

    def pick(self, *options: Callable[[], str]) -> str:
        """One option, built lazily so that only the chosen one plants values."""
        return self.r.choice(options)()

    def name(self) -> str:
        return self.pii("PERSON", person(self.r))


def k_email(doc: Doc) -> str:
    r, sender = doc.r, doc.name()
    first = doc.pii("PERSON", person(r).split()[0])
    addr = doc.pii("EMAIL_ADDRESS", email(r, sender))
    body = doc.pick(
        lambda: f"the {doc.neg('product')} we bought under order {doc.neg('order')} stopped syncing after "
        f"the {doc.neg('version')} update on {doc.neg('date')}.",
        lambda: f"invoice {doc.neg('invoice')} lists {doc.neg('qty')} but we only received half; the "
        f"difference is {doc.neg('amount')}.",
        lambda: f"our {doc.neg('city')} site still sees {doc.neg('error')} when the badge reader talks to "
        f"{doc.neg('host')} on {doc.neg('port')}.",
    )
    contact = doc.pick(
        lambda: f"You can reach me on {doc.pii('PHONE_NUMBER', phone(r))} until 6pm.",
        lambda: f"My direct line is {doc.pii('PHONE_NUMBER', phone(r))}.",
        lambda: f"If it is easier, text {doc.pii('PHONE_NUMBER', phone(r))}.",
        lambda: "Reply to this thread when you have news.",
    )
    sign = r.choice(["Best,", "Many thanks,", "Kind regards,", "Cheers,", "Thanks in advance,"])
    return (f"From: {sender} <{addr}>\nTo: {doc.neg('company')} Support\n"
            f"Subject: {doc.neg('ticket')} follow-up\n\nHi {first},\n\nQuick follow-up: "
            f"{body} {contact}\n\n{sign}\n{sender}\n{doc.neg('company')}")


def k_ticket(doc: Doc) -> str:
    r, reporter = doc.r, doc.name()
    pii_line = doc.pick(
        lambda: f"Customer says the card ending in the number {doc.pii('CREDIT_CARD', card(r))} was charged twice.",
        lambda: f"Refund should go to {doc.pii('IBAN_CODE', iban(r))} (account holder {reporter}).",
        lambda: f"Caller verified identity with SSN {doc.pii('US_SSN', ssn(r))}.",
        lambda: f"Device last checked in from {doc.pii('IP_ADDRESS', ip(r))} at {doc.neg('time')}.",
        lambda: f"Replacement unit to be sent to {doc.pii('STREET_ADDRESS', address(r))}.",
    )
    assignee = doc.name()
    return (f"Ticket {doc.neg('ticket')} | priority P{r.randint(1, 4)} | product: {doc.neg('product')}\n"
            f"Reported by: {reporter} ({doc.pii('EMAIL_ADDRESS', email(r, reporter))})\n"
            f"Summary: firmware {doc.neg('version')} fails with {doc.neg('error')} after reboot.\n"
            f"Details: {pii_line} Logs attached, see {doc.neg('url')}.\n"
            f"Assigned to {assignee} on {doc.neg('date')}; SLA breach at {doc.neg('time')}.")


def k_hr(doc: Doc) -> str:
    r, emp, manager = doc.r, doc.name(), doc.name()
    rows = [
        f"Employee: {emp}",
        f"Date of birth: {doc.pii('DATE_OF_BIRTH', birth_date(r))}",
        f"Home address: {doc.pii('STREET_ADDRESS', address(r))}",
        f"Personal e-mail: {doc.pii('EMAIL_ADDRESS', email(r, emp))}",
        f"Mobile: {doc.pii('PHONE_NUMBER', phone(r))}",
        doc.pick(lambda: f"SSN: {doc.pii('US_SSN', ssn(r))}",
                  lambda: f"National ID (PRC): {doc.pii('CN_RESIDENT_ID', cn_id(r))}",
                  lambda: f"Salary account: {doc.pii('IBAN_CODE', iban(r))}"),
        f"Line manager: {manager}",
        f"Cost centre: {doc.neg('sku')} / {doc.neg('team')}",
        f"Start date: {doc.neg('date')}",
    ]
    r.shuffle(rows)
    return "NEW STARTER FORM — " + doc.neg("company") + "\n" + "\n".join(rows)


def k_chat(doc: Doc) -> str:
    r, cust, agent = doc.r, doc.name(), doc.name()
    c, a = cust.split()[0], agent.split()[0]
    lines = [
        f"[{doc.neg('time')}] {agent}: Hello, you are chatting with {a} from {doc.neg('team')}.",
        f"[{doc.neg('time')}] {cust}: hi, my {doc.neg('product')} shows {doc.neg('error')} since this morning",
        f"[{doc.neg('time')}] {agent}: Sorry to hear that {c}. Can you confirm the e-mail on the account?",
        f"[{doc.neg('time')}] {cust}: sure it's {doc.pii('EMAIL_ADDRESS', email(r, cust))}",
        doc.pick(
            lambda: f"[{doc.neg('time')}] {cust}: and my number is {doc.pii('PHONE_NUMBER', phone(r))} if you need to call",
            lambda: f"[{doc.neg('time')}] {cust}: my date of birth is {doc.pii('DATE_OF_BIRTH', birth_date(r))}",
            lambda: f"[{doc.neg('time')}] {cust}: the card was {doc.pii('CREDIT_CARD', card(r))}",
            lambda: f"[{doc.neg('time')}] {cust}: 我的身份证号是{doc.pii('CN_RESIDENT_ID', cn_id(r))}",
        ),
        f"[{doc.neg('time')}] {agent}: Thanks. I have opened {doc.neg('ticket')} and upgraded you to {doc.neg('version')}.",
    ]
    return "\n".join(lines)


def k_invoice(doc: Doc) -> str:
    r, buyer = doc.r, doc.name()
    pay = doc.pick(lambda: f"IBAN: {doc.pii('IBAN_CODE', iban(r))}",
                    lambda: f"Paid by card {doc.pii('CREDIT_CARD', card(r))}",
                    lambda: f"Bank transfer to {doc.pii('IBAN_CODE', iban(r))}, reference {doc.neg('invoice')}")
    return (f"{doc.neg('company')}\nINVOICE {doc.neg('invoice') if 'reference' not in pay else 'No. ' + doc.neg('order')}\n"
            f"Bill to: {buyer}\n{doc.pii('STREET_ADDRESS', address(r))}\n"
            f"Item: {doc.neg('product')} ({doc.neg('sku')}) x {doc.neg('qty')}\n"
            f"Total due: {doc.neg('amount')} by {doc.neg('date')}\n{pay}\n"
            f"Questions: {doc.pii('EMAIL_ADDRESS', email(r, buyer))}")


def k_log(doc: Doc) -> str:
    r = doc.r
    user = doc.pii("EMAIL_ADDRESS", email(r))
    src, src2 = doc.pii("IP_ADDRESS", ip(r)), doc.pii("IP_ADDRESS", ip(r))
    return "\n".join([
        f"{doc.neg('timestamp')} INFO  auth: login ok user={user} src={src} session={doc.neg('uuid')}",
        f"{doc.neg('timestamp')} WARN  gateway: upstream {doc.neg('host')} slow on {doc.neg('port')} ({doc.neg('percent')} errors)",
        f"{doc.neg('timestamp')} ERROR billing: {doc.neg('error')} for order {doc.neg('order')} client_ip={src2}",
        f"{doc.neg('timestamp')} DEBUG deploy: rolled out {doc.neg('version')} commit {doc.neg('commit')} to {doc.neg('cidr')}",
    ])


def k_meeting(doc: Doc) -> str:
    r, chair, a, b = doc.r, doc.name(), doc.name(), doc.name()
    return (f"Meeting notes — {doc.neg('team')} weekly, {doc.neg('date')}\n"
            f"Attendees: {chair} (chair), {a}, {b}\n"
            f"1. {a} reported that {doc.neg('company')} wants the {doc.neg('product')} rollout "
            f"moved; churn is at {doc.neg('percent')}.\n"
            f"2. {b.split()[0]} will follow up with the {doc.neg('city')} customer about {doc.neg('ticket')}.\n"
            f"3. Action: {chair} to send the revised quote ({doc.neg('amount')}) and call the buyer "
            f"on {doc.pii('PHONE_NUMBER', phone(r))}.")


def k_cv(doc: Doc) -> str:
    r, cand, ref = doc.r, doc.name(), doc.name()
    return (f"CURRICULUM VITAE\n{cand}\n{doc.pii('STREET_ADDRESS', address(r))}\n"
            f"Tel. {doc.pii('PHONE_NUMBER', phone(r))} · {doc.pii('EMAIL_ADDRESS', email(r, cand))}\n"
            f"Born {doc.pii('DATE_OF_BIRTH', birth_date(r))}\n\n"
            f"Experience: Senior engineer at {doc.neg('company')} ({doc.neg('city')}), shipped "
            f"{doc.neg('product')} {doc.neg('version')} and cut cloud spend by {doc.neg('percent')}.\n"
            f"References: {ref}, {doc.pii('EMAIL_ADDRESS', email(r, ref))}")


def k_shipping(doc: Doc) -> str:
    r, rcpt = doc.r, doc.name()
    return (f"Your parcel is on its way!\nTracking number: {doc.neg('tracking')}\n"
            f"Order {doc.neg('order')} — {doc.neg('qty')} of {doc.neg('product')}\n"
            f"Deliver to:\n{rcpt}\n{doc.pii('STREET_ADDRESS', address(r))}\n"
            f"Courier will call {doc.pii('PHONE_NUMBER', phone(r))} before arrival on {doc.neg('date')}.\n"
            f"Shipped from our {doc.neg('city')} warehouse by {doc.neg('company')}.")


def k_kyc(doc: Doc) -> str:
    r = doc.r
    if r.random() < 0.3:
        holder_han = doc.pii("PERSON", r.choice(HAN_NAMES))
        return (f"开户申请 {doc.neg('order')}\n姓名：{holder_han}\n"
                f"身份证号码：{doc.pii('CN_RESIDENT_ID', cn_id(r))}\n"
                f"手机：{doc.pii('PHONE_NUMBER', phone(r))}\n产品：{doc.neg('product')}，金额 {doc.neg('amount')}")
    holder = doc.name()
    return (f"Account verification — {doc.neg('company')} onboarding {doc.neg('uuid')}\n"
            f"The applicant, {holder}, supplied resident identity card "
            f"{doc.pii('CN_RESIDENT_ID', cn_id(r))} and was born on {doc.pii('DATE_OF_BIRTH', birth_date(r))}.\n"
            f"Funds will be received from {doc.pii('IBAN_CODE', iban(r))}. Risk score {doc.neg('percent')}, "
            f"reviewed {doc.neg('date')}.")


def k_incident(doc: Doc) -> str:
    r, victim, oncall = doc.r, doc.name(), doc.name()
    return (f"Incident {doc.neg('ticket')} — suspicious payment on {doc.neg('date')}\n"
            f"{oncall} (on call) noticed card {doc.pii('CREDIT_CARD', card(r))} used from "
            f"{doc.pii('IP_ADDRESS', ip(r))}, which is not in {doc.neg('cidr')}. The cardholder, "
            f"{victim}, confirmed by phone ({doc.pii('PHONE_NUMBER', phone(r))}) that she did not "
            f"place order {doc.neg('order')}. Test value {doc.neg('bad_card')} from the runbook is "
            f"unrelated. Fix deployed in {doc.neg('commit')}.")


def k_letter(doc: Doc) -> str:
    r, writer = doc.r, doc.name()
    return (f"{doc.pii('STREET_ADDRESS', address(r))}\n{doc.neg('date')}\n\n"
            f"To whom it may concern,\n\nI am writing about the {doc.neg('product')} ({doc.neg('sku')}) "
            f"I ordered from {doc.neg('company')}. My social security number is "
            f"{doc.pii('US_SSN', ssn(r))} and my date of birth {doc.pii('DATE_OF_BIRTH', birth_date(r))}, "
            f"as your form requested. Please refund {doc.neg('amount')} to my card "
            f"{doc.pii('CREDIT_CARD', card(r))}.\n\nYours faithfully,\n{writer}")


KINDS: list[Callable[[Doc], str]] = [k_email, k_ticket, k_hr, k_chat, k_invoice, k_log, k_meeting,
                                     k_cv, k_shipping, k_kyc, k_incident, k_letter]


def main() -> None:
    r = random.Random(SEED)
    rows = []
    for kind in KINDS:
        for i in range(DOCS_PER_KIND):
            doc = Doc(r)
            text = kind(doc)
            entities = [dict(t) for t in {tuple(e.items()) for e in doc.entities}]
            entities.sort(key=lambda e: (e["type"], e["value"]))
            # A negative that happens to contain a planted value cannot be expected to survive.
            keep = [k for k in dict.fromkeys(doc.keep)
                    if k in text and not any(e["value"] in k or k in e["value"] for e in entities)]
            for e in entities:
                assert e["value"] in text, (kind.__name__, e)
            rows.append({"id": f"{kind.__name__[2:]}-{i:03d}", "text": text,
                         "entities": entities, "hard_negatives": keep})
    OUT.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    print(f"wrote {len(rows)} documents to {OUT}")
    _independent_sets().main()


def _independent_sets():
    """tests/data/pii_eval/generate.py, imported by path (tests/data is not a package)."""
    import importlib.util
    import sys

    path = Path(__file__).with_name("pii_eval") / "generate.py"
    spec = importlib.util.spec_from_file_location("pii_eval_generate", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


if __name__ == "__main__":
    main()
