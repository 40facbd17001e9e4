"""Fictional people and the PII values written about them: names by culture, postal addresses,
phones, cards, IBANs, SSNs, resident IDs, IPs (checksum-valid where the real thing has one)."""

from __future__ import annotations

import ipaddress
import random
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Sequence

from llmops.pii.entities import PII_ENTITIES


PII_TYPES: tuple[str, ...] = PII_ENTITIES

_NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "anglo": (
        ("James", "Olivia", "Michael", "Emma", "Daniel", "Charlotte", "Thomas", "Sophie",
         "Matthew", "Hannah", "Ryan", "Grace", "Oliver", "Amelia", "Liam", "Chloe", "Jack",
         "Megan", "Ethan", "Lucy"),
        ("Smith", "Johnson", "Williams", "Brown", "Taylor", "Wilson", "Davies", "Evans",
         "Thompson", "Walker", "Wright", "Robinson", "Hughes", "Clarke", "Hall", "Green",
         "Baker", "Murphy", "O'Connor", "Campbell"),
    ),
    "chinese": (
        ("Wei", "Fang", "Xiaoming", "Jing", "Hao", "Yan", "Lei", "Min", "Jun", "Xiuying",
         "Zhiwei", "Yuxuan", "Haoran", "Meiling", "Jiahui", "Zihan", "Qiang", "Tao"),
        ("Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu",
         "Sun", "Ma", "Zhu", "Hu", "Guo", "Lin", "He"),
    ),
    "indian": (
        ("Priya", "Arjun", "Ananya", "Rahul", "Sneha", "Vikram", "Kavya", "Rohan", "Deepika",
         "Aditya", "Meera", "Sanjay", "Lakshmi", "Karthik", "Pooja", "Nikhil"),
        ("Sharma", "Patel", "Raghunathan", "Iyer", "Reddy", "Nair", "Gupta", "Singh", "Mehta",
         "Krishnan", "Banerjee", "Chatterjee", "Desai", "Rao", "Menon", "Kulkarni"),
    ),
    "arabic": (
        ("Omar", "Fatima", "Ahmed", "Layla", "Youssef", "Mariam", "Khalid", "Noor", "Hassan",
         "Aisha", "Tariq", "Salma", "Karim", "Rania", "Samir", "Huda"),
        ("Al-Farsi", "Haddad", "Khoury", "El-Sayed", "Mansour", "Nasser", "Al-Rashid", "Saleh",
         "Aziz", "Hamdan", "Darwish", "Abboud", "Barakat", "Farouk", "Qasim", "Zaher"),
    ),
    "hispanic": (
        ("José", "María", "Carlos", "Lucía", "Javier", "Sofía", "Diego", "Valentina",
         "Alejandro", "Camila", "Miguel", "Elena", "Andrés", "Isabel", "Pablo", "Ximena"),
        ("García", "Hernández", "López", "Martínez", "Rodríguez", "González", "Pérez",
         "Sánchez", "Ramírez", "Torres", "Flores", "Morales", "Ortiz", "Castillo", "Vargas",
         "Núñez"),
    ),
    "slavic": (
        ("Aleksandr", "Olga", "Dmitri", "Anastasia", "Piotr", "Katarzyna", "Łukasz",
         "Agnieszka", "Ivan", "Natalia", "Tomasz", "Ewa", "Milan", "Jana", "Sergei", "Irina"),
        ("Ivanov", "Kowalski", "Nowak", "Wiśniewski", "Smirnov", "Novák", "Dvořák",
         "Kuznetsov", "Zieliński", "Horvat", "Volkov", "Sokolov", "Kovačević", "Petrović",
         "Mazur", "Lewandowski"),
    ),
    "african": (
        ("Chinedu", "Amara", "Kwame", "Ngozi", "Tunde", "Abena", "Kofi", "Wanjiru",
         "Oluwaseun", "Thandiwe", "Sipho", "Zanele", "Emeka", "Adaeze", "Jabari", "Nia"),
        ("Okafor", "Mensah", "Adeyemi", "Kamau", "Nkosi", "Boateng", "Okonkwo", "Ndlovu",
         "Otieno", "Asante", "Eze", "Mwangi", "Diallo", "Traoré", "Balogun", "Achieng"),
    ),
    "german": (
        ("Lukas", "Anna", "Felix", "Lea", "Jonas", "Marie", "Maximilian", "Laura", "Tobias",
         "Katrin", "Stefan", "Julia", "Florian", "Sabine", "Matthias", "Nina"),
        ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
         "Schulz", "Hoffmann", "Koch", "Richter", "Klein", "Wolf", "Schröder", "Neumann"),
    ),
    "french": (
        ("Camille", "Louis", "Chloé", "Hugo", "Manon", "Théo", "Léa", "Antoine", "Juliette",
         "Mathieu", "Élodie", "Nicolas", "Aurélie", "Julien", "Margaux", "Benoît"),
        ("Martin", "Bernard", "Dubois", "Laurent", "Rousseau", "Girard", "Petit", "Durand",
         "Leroy", "Moreau", "Lefèvre", "Fournier", "Bonnet", "Dupont", "Lambert", "Fontaine"),
    ),
    "japanese": (
        ("Haruto", "Yui", "Sota", "Aoi", "Ren", "Hina", "Takumi", "Sakura", "Kenji", "Yuki",
         "Daiki", "Mei"),
        ("Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura",
         "Kobayashi", "Kato", "Yoshida", "Yamada"),
    ),
    "vietnamese": (
        ("Minh", "Linh", "Anh", "Huong", "Tuan", "Lan", "Duc", "Thao", "Quang", "Mai"),
        ("Nguyen", "Tran", "Pham", "Hoang", "Vu", "Dang", "Bui", "Ngo", "Duong", "Phan"),
    ),
    "turkish": (
        ("Emre", "Elif", "Mehmet", "Zeynep", "Burak", "Ayşe", "Can", "Selin"),
        ("Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Aydın", "Öztürk"),
    ),
}
_CULTURES: tuple[str, ...] = tuple(sorted(_NAMES))
_HOME_COUNTRY: dict[str, tuple[str, ...]] = {
    "anglo": ("GB", "US"), "chinese": ("CN",), "indian": ("IN", "GB"), "arabic": ("DE", "GB"),
    "hispanic": ("ES", "US"), "slavic": ("DE", "NL"), "african": ("GB", "FR"),
    "german": ("DE",), "french": ("FR",), "japanese": ("US", "DE"), "vietnamese": ("FR", "US"),
    "turkish": ("DE", "NL"),
}
_CUSTOMER_COUNTRIES: tuple[str, ...] = ("DE", "GB", "US", "FR", "NL", "ES", "CN", "IN")
_EMAIL_DOMAINS: tuple[str, ...] = (
    "example.com", "example.net", "example.org", "mail.example.com", "inbox.example.net",
    "post.example.org",
)
_ASCII_FIX = str.maketrans({"ł": "l", "Ł": "L", "ı": "i", "ß": "ss", "ø": "o", "đ": "d"})

_US_CITIES = (("Austin", "TX", "787"), ("San Francisco", "CA", "941"), ("Seattle", "WA", "981"),
              ("Denver", "CO", "802"), ("Boston", "MA", "021"), ("Chicago", "IL", "606"),
              ("Portland", "OR", "972"), ("Atlanta", "GA", "303"), ("Brooklyn", "NY", "112"),
              ("Phoenix", "AZ", "850"))
_US_AREAS = ("212", "312", "415", "512", "617", "646", "206", "303", "404", "737", "713", "305")
_US_STREETS = ("Maple", "Oak", "Cedar", "Pine", "Elm", "Washington", "Lincoln", "Lakeview",
               "Hillcrest", "Sunset", "Park", "Ridge", "Willow", "Chestnut", "Barton Springs",
               "Magnolia")
_US_TYPES = ("Street", "Avenue", "Road", "Drive", "Lane", "Boulevard", "Court", "Way")
_GB_CITIES = (("London", ("SW", "SE", "N", "E", "NW", "W")), ("Manchester", ("M",)),
              ("Bristol", ("BS",)), ("Leeds", ("LS",)), ("Edinburgh", ("EH",)),
              ("Cambridge", ("CB",)))
_GB_STREETS = ("Kings Road", "Victoria Street", "Church Lane", "Station Road", "Mill Lane",
               "Park Avenue", "Queen's Drive", "Albert Terrace", "Highfield Road", "Elm Grove")
_DE_CITIES = (("Berlin", 10115, 14199), ("Hamburg", 20095, 22769), ("München", 80331, 81929),
              ("Köln", 50667, 51149), ("Frankfurt am Main", 60306, 60599),
              ("Leipzig", 4103, 4357), ("Stuttgart", 70173, 70629))
_DE_STREETS = ("Hauptstraße", "Lindenstraße", "Bahnhofstraße", "Gartenweg", "Schillerstraße",
               "Goethestraße", "Kastanienallee", "Am Mühlbach", "Friedrichstraße",
               "Bergmannstraße")
_FR_CITIES = (("Paris", tuple(range(75001, 75021))), ("Lyon", tuple(range(69001, 69010))),
              ("Marseille", tuple(range(13001, 13017))),
              ("Toulouse", (31000, 31100, 31200, 31300, 31400, 31500)),
              ("Nantes", (44000, 44100, 44200, 44300)),
              ("Bordeaux", (33000, 33100, 33200, 33300, 33800)))
_FR_STREETS = ("rue de la République", "avenue Jean Jaurès", "rue Victor Hugo",
               "boulevard Voltaire", "rue des Lilas", "place du Marché", "rue Pasteur")
_NL_CITIES = (("Amsterdam", 1011, 1109), ("Rotterdam", 3011, 3089), ("Utrecht", 3511, 3585),
              ("Eindhoven", 5611, 5658))
_NL_STREETS = ("Keizersgracht", "Prinsengracht", "Kerkstraat", "Dorpsstraat", "Molenweg",
               "Lindelaan", "Oudegracht")
_ES_CITIES = (("Madrid", 28001, 28055), ("Barcelona", 8001, 8042), ("Valencia", 46001, 46026),
              ("Sevilla", 41001, 41020))
_ES_STREETS = ("Calle Mayor", "Calle de Alcalá", "Avenida de la Constitución",
               "Carrer de Mallorca", "Calle Serrano", "Paseo de Gracia")
_CN_CITIES = (("Shanghai", ("Pudong", "Xuhui", "Jing'an", "Minhang"), "200"),
              ("Beijing", ("Chaoyang", "Haidian", "Dongcheng"), "100"),
              ("Shenzhen", ("Nanshan", "Futian", "Bao'an"), "518"),
              ("Hangzhou", ("Xihu", "Binjiang"), "310"),
              ("Guangzhou", ("Tianhe", "Yuexiu"), "510"),
              ("Chengdu", ("Wuhou", "Jinjiang"), "610"))
_CN_ROADS = ("Century Avenue", "Huaihai Road", "Keyuan Road", "Jianguo Road", "Wensan Road",
             "Tianfu Avenue", "Shennan Boulevard", "Zhongshan Road")
_CN_MOBILE_PREFIXES = ("130", "131", "132", "135", "136", "137", "138", "139", "150", "151",
                       "152", "155", "158", "159", "177", "186", "187", "188", "189")
_CN_REGIONS = ("110105", "110108", "310104", "310115", "440305", "440304", "440106", "330106",
               "510107", "420106", "320102", "370202", "350203", "610113", "430104", "500103")
_IN_CITIES = (("Bengaluru", ("Indiranagar", "Koramangala", "Whitefield", "Jayanagar"), "560"),
              ("Mumbai", ("Andheri West", "Bandra", "Powai"), "400"),
              ("Pune", ("Kothrud", "Baner"), "411"),
              ("Hyderabad", ("Gachibowli", "Madhapur"), "500"),
              ("Chennai", ("Adyar", "T. Nagar"), "600"))
_IN_ROADS = ("MG Road", "100 Feet Road", "Hill Road", "Link Road", "Main Road", "Church Street")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


@dataclass
class Person:
    """A person's raw attributes; values are recorded as PII only when written."""

    full: str
    given_ascii: str
    family_ascii: str
    culture: str
    country: str


def fold_ascii(text: str) -> str:
    """Lower-case ASCII transliteration (Łódź -> lodz); e-mail local parts and file slugs use it."""
    folded = unicodedata.normalize("NFKD", text.translate(_ASCII_FIX))
    return "".join(c for c in folded if c.isascii()).lower()


def _ascii(text: str) -> str:
    """Fold a name to the lowercase ASCII letters an e-mail local part would use."""
    return "".join(c for c in fold_ascii(text) if c.isalnum())


def _luhn_check_digit(body: str) -> str:
    """Digit that makes ``body + digit`` pass the Luhn check."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def _iban_check_digits(country: str, bban: str) -> str:
    """ISO 13616 mod-97 check digits."""
    digits = "".join(str(int(c, 36)) for c in (bban + country + "00"))
    return f"{98 - int(digits) % 97:02d}"


_CN_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _cn_id_check_char(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of a PRC resident identity number."""
    total = sum(int(c) * w for c, w in zip(first17, _CN_WEIGHTS))
    return "10X98765432"[total % 11]


class PiiFactory:
    """Draws PII from the seeded RNG and remembers what was actually written."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.planted: dict[str, set[str]] = {t: set() for t in PII_TYPES}

    def plant(self, kind: str, value: str) -> str:
        """Record ``value`` as written PII and return it (call at the point of writing)."""
        self.planted[kind].add(value)
        return value

    def snapshot(self) -> dict[str, list[str]]:
        return {k: sorted(self.planted[k]) for k in PII_TYPES}

    # -- people ---------------------------------------------------------------
    def person(self, culture: str | None = None, country: str | None = None) -> Person:
        r = self.rng
        culture = culture or r.choice(_CULTURES)
        givens, families = _NAMES[culture]
        given, family = r.choice(givens), r.choice(families)
        if culture == "chinese" and r.random() < 0.5:
            full = f"{family} {given}"  # family-name-first, as often written in China
        else:
            full = f"{given} {family}"
        if country is None:
            if r.random() < 0.6:
                country = r.choice(_HOME_COUNTRY[culture])
            else:
                country = r.choice(_CUSTOMER_COUNTRIES)
        return Person(full, _ascii(given), _ascii(family), culture, country)

    def name(self, p: Person) -> str:
        return self.plant("PERSON", p.full)

    def email(self, p: Person, domain: str | None = None) -> str:
        r = self.rng
        g, f = p.given_ascii, p.family_ascii
        if domain is not None:
            local = f"{g}.{f}"
        else:
            domain = r.choice(_EMAIL_DOMAINS)
            local = r.choice((
                f"{g}.{f}", f"{g[0]}{f}", f"{g}{f}{r.randint(70, 99)}", f"{f}.{g}",
                f"{g}_{f}", f"{g}{r.randint(1, 999)}", f"{f}{g}{r.randint(10, 99)}",
                f"{g}.{f}{r.randint(1, 9)}",
            ))
        return self.plant("EMAIL_ADDRESS", f"{local}@{domain}")

    # -- phones ---------------------------------------------------------------
    def _digits(self, n: int) -> str:
        return "".join(str(self.rng.randint(0, 9)) for _ in range(n))

    def _sub(self, n: int) -> str:
        """Subscriber digits: real numbering plans never start these with 0."""
        return str(self.rng.randint(1, 9)) + self._digits(n - 1)

    def phone(self, country: str) -> str:
        r, d = self.rng, self._digits
        if country == "US":
            area = r.choice(_US_AREAS)
            if r.random() < 0.5:
                exch, line = "555", f"01{r.randint(0, 99):02d}"  # fictional 555-01xx range
            else:
                exch = f"{r.randint(2, 9)}{r.randint(0, 9)}{r.choice('023456789')}"
                line = d(4)
            value = r.choice((f"({area}) {exch}-{line}", f"+1 {area}-{exch}-{line}",
                              f"{area}-{exch}-{line}", f"+1 ({area}) {exch}-{line}",
                              f"{area}.{exch}.{line}"))
        elif country == "GB":
            kind = r.randint(0, 3)
            if kind == 0:
                value = f"+44 20 7946 0{d(3)}"
            elif kind == 1:
                value = f"+44 161 496 0{d(3)}"
            elif kind == 2:
                value = f"07{r.randint(4, 9)}{d(2)} {d(6)}"
            else:
                value = f"+44 7{r.randint(4, 9)}{d(2)} {d(6)}"
        elif country == "CN":
            pre, a, b = r.choice(_CN_MOBILE_PREFIXES), d(4), d(4)
            value = r.choice((f"+86 {pre} {a} {b}", f"{pre}{a}{b}", f"+86-{pre}-{a}-{b}",
                              f"{pre} {a} {b}", f"+86 {pre}{a}{b}"))
        elif country == "DE":
            s = self._sub
            value = r.choice((f"+49 30 {s(8)}", f"+49 151 {s(8)}", f"030 {s(8)}",
                              f"0171 {s(7)}", f"+49 89 {s(7)}"))
        elif country == "FR":
            pairs = " ".join(d(2) for _ in range(4))
            value = r.choice((f"+33 6 {pairs}", f"06 {pairs}", f"+33 1 {pairs}"))
        elif country == "NL":
            value = r.choice((f"+31 6 {self._sub(8)}", f"06-{self._sub(8)}",
                              f"+31 20 {self._sub(3)} {d(4)}"))
        elif country == "ES":
            value = r.choice((f"+34 6{d(2)} {d(3)} {d(3)}", f"6{d(2)} {d(3)} {d(3)}"))
        else:  # IN
            value = r.choice((f"+91 {r.choice('987')}{d(4)} {d(5)}",
                              f"0{r.choice('987')}{d(4)} {d(5)}"))
        return self.plant("PHONE_NUMBER", value)

    def office_phone(self, office: str) -> str:
        r, d = self.rng, self._digits
        value = {
            "Berlin": lambda: f"+49 30 2284 {self._sub(4)}",
            "London": lambda: f"+44 20 7946 0{d(3)}",
            "Paris": lambda: f"+33 1 {' '.join(d(2) for _ in range(4))}",
            "Austin": lambda: f"+1 512-555-01{r.randint(0, 99):02d}",
            "Shenzhen": lambda: f"+86 755 {d(4)} {d(4)}",
        }[office]()
        return self.plant("PHONE_NUMBER", value)

    # -- financial / national identifiers --------------------------------------
    def card(self) -> str:
        r = self.rng
        brand = r.choice(("visa", "visa", "mastercard", "mastercard", "amex", "discover"))
        if brand == "visa":
            body = "4" + self._digits(14)
        elif brand == "mastercard":
            body = (str(r.randint(51, 55)) if r.random() < 0.8 else str(r.randint(2221, 2720)))
            body += self._digits(15 - len(body))
        elif brand == "amex":
            body = r.choice(("34", "37")) + self._digits(12)
        else:
            body = "6011" + self._digits(11)
        number = body + _luhn_check_digit(body)
        if len(number) == 15:
            groups = [number[:4], number[4:10], number[10:]]
        else:
            groups = [number[i:i + 4] for i in range(0, 16, 4)]
        sep = r.choice((" ", " ", "-", ""))
        return self.plant("CREDIT_CARD", sep.join(groups))

    def iban(self, country: str | None = None) -> str:
        r, d = self.rng, self._digits
        country = country or r.choice(("DE", "GB", "FR", "NL", "ES"))
        if country == "DE":
            bban = d(8) + d(10)
        elif country == "GB":
            bban = r.choice(("NWBK", "BARC", "LOYD", "HBUK", "MIDL")) + d(6) + d(8)
        elif country == "FR":
            bank, branch, account = d(5), d(5), d(11)
            key = 97 - ((89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97)
            bban = f"{bank}{branch}{account}{key:02d}"
        elif country == "NL":
            bban = r.choice(("ABNA", "INGB", "RABO", "TRIO", "SNSB")) + d(10)
        else:  # ES: bank, branch, national check digits, account
            bank, branch, account = d(4), d(4), d(10)
            w = (1, 2, 4, 8, 5, 10, 9, 7, 3, 6)

            def es_dc(s: str) -> int:
                v = 11 - sum(int(c) * k for c, k in zip(s, w)) % 11
                return {10: 1, 11: 0}.get(v, v)

            bban = f"{bank}{branch}{es_dc('00' + bank + branch)}{es_dc(account)}{account}"
        compact = country + _iban_check_digits(country, bban) + bban
        if r.random() < 0.7:
            value = " ".join(compact[i:i + 4] for i in range(0, len(compact), 4))
        else:
            value = compact
        return self.plant("IBAN_CODE", value)

    def ssn(self) -> str:
        r = self.rng
        area = r.randint(1, 899)
        while area == 666:
            area = r.randint(1, 899)
        value = f"{area:03d}-{r.randint(1, 99):02d}-{r.randint(1, 9999):04d}"
        if r.random() < 0.15:
            value = value.replace("-", " ")
        return self.plant("US_SSN", value)

    def birth_date(self, oldest: int = 1950, youngest: int = 2004) -> date:
        start = date(oldest, 1, 1)
        span = (date(youngest, 12, 31) - start).days
        return start + timedelta(days=self.rng.randint(0, span))

    def dob(self, born: date, country: str = "GB") -> str:
        r = self.rng
        fmts = [
            f"{born.day} {_MONTHS[born.month - 1]} {born.year}",
            born.isoformat(),
            f"{born.day:02d}/{born.month:02d}/{born.year}",
            f"{_MONTHS[born.month - 1]} {born.day}, {born.year}",
        ]
        if country == "US":
            fmts[2] = f"{born.month:02d}/{born.day:02d}/{born.year}"
        if country == "DE":
            fmts.append(f"{born.day:02d}.{born.month:02d}.{born.year}")
        return self.plant("DATE_OF_BIRTH", r.choice(fmts))

    def cn_id(self, born: date) -> str:
        first17 = (self.rng.choice(_CN_REGIONS) + born.strftime("%Y%m%d")
                   + f"{self.rng.randint(1, 999):03d}")
        return self.plant("CN_RESIDENT_ID", first17 + _cn_id_check_char(first17))

    # -- network ------------------------------------------------------------
    def ipv4(self) -> str:
        r = self.rng
        kind = r.random()
        if kind < 0.25:
            value = f"192.168.{r.choice((0, 1, 1, 2, 178))}.{r.randint(2, 250)}"
        elif kind < 0.45:
            value = f"{r.choice(('198.51.100', '203.0.113', '192.0.2'))}.{r.randint(2, 250)}"
        else:
            first = r.choice((23, 31, 46, 62, 77, 81, 84, 87, 92, 109, 145, 178, 185, 188, 212,
                              217))
            value = f"{first}.{r.randint(1, 254)}.{r.randint(0, 254)}.{r.randint(2, 253)}"
        return self.plant("IP_ADDRESS", value)

    def ipv6(self) -> str:
        r = self.rng
        prefix = r.choice((0x20010DB8, 0x2A028109, 0x20030000 | r.randint(0, 0xFFFF),
                           0x240E0000 | r.randint(0, 0xFFF), 0x2A0104F8))
        if r.random() < 0.5:
            low = r.getrandbits(64)  # SLAAC-style interface id
            mid = r.getrandbits(32)
        else:
            low = r.randint(1, 0xFFFF)  # short, compressible host part
            mid = r.getrandbits(16) << 16
        value = ipaddress.IPv6Address((prefix << 96) | (mid << 64) | low).compressed
        return self.plant("IP_ADDRESS", value)

    def ip(self) -> str:
        return self.ipv6() if self.rng.random() < 0.3 else self.ipv4()

    # -- addresses ------------------------------------------------------------
    def address(self, country: str, city: str | None = None) -> str:
        """A street address; ``city`` (if it exists for ``country``) pins the city."""
        r = self.rng

        def pick(options: Sequence[tuple]) -> tuple:  # type: ignore[type-arg]
            same = [o for o in options if o[0] == city]
            return same[0] if same else r.choice(options)

        if country == "US":
            city, state, zip3 = pick(_US_CITIES)
            value = (f"{r.randint(10, 9899)} {r.choice(_US_STREETS)} {r.choice(_US_TYPES)}"
                     + (f", Apt {r.randint(1, 24)}{r.choice('ABCD')}" if r.random() < 0.3 else "")
                     + f", {city}, {state} {zip3}{r.randint(1, 99):02d}")
        elif country == "GB":
            city, areas = pick(_GB_CITIES)
            pc = (f"{r.choice(areas)}{r.randint(1, 19)} {r.randint(1, 9)}"
                  f"{r.choice(_POSTCODE_LETTERS)}{r.choice(_POSTCODE_LETTERS)}")
            flat = f"Flat {r.randint(1, 12)}, " if r.random() < 0.3 else ""
            value = f"{flat}{r.randint(1, 240)} {r.choice(_GB_STREETS)}, {city} {pc}"
        elif country == "DE":
            city, lo, hi = pick(_DE_CITIES)
            num = f"{r.randint(1, 140)}{r.choice(('', '', '', 'a', 'b'))}"
            value = f"{r.choice(_DE_STREETS)} {num}, {r.randint(lo, hi):05d} {city}"
        elif country == "FR":
            city, codes = pick(_FR_CITIES)
            value = f"{r.randint(1, 180)} {r.choice(_FR_STREETS)}, {r.choice(codes)} {city}"
        elif country == "NL":
            city, lo, hi = r.choice(_NL_CITIES)
            value = (f"{r.choice(_NL_STREETS)} {r.randint(1, 320)}, {r.randint(lo, hi)} "
                     f"{r.choice('ABCDEGHJKLMNPRST')}{r.choice('ABCDEGHJKLMNPRST')} {city}")
        elif country == "ES":
            city, lo, hi = r.choice(_ES_CITIES)
            value = (f"{r.choice(_ES_STREETS)} {r.randint(1, 160)}, {r.randint(1, 8)}º "
                     f"{r.choice('ABCD')}, {r.randint(lo, hi):05d} {city}")
        elif country == "CN":
            city, districts, post = pick(_CN_CITIES)
            value = (f"Room {r.randint(2, 32)}{r.randint(1, 12):02d}, Building {r.randint(1, 18)}, "
                     f"{r.randint(1, 1999)} {r.choice(_CN_ROADS)}, {r.choice(districts)} District, "
                     f"{city} {post}{r.randint(0, 999):03d}")
        else:  # IN
            city, areas, pin = r.choice(_IN_CITIES)
            value = (f"Flat {r.randint(1, 20)}{r.choice('ABCD')}, {r.randint(1, 400)} "
                     f"{r.choice(_IN_ROADS)}, {r.choice(areas)}, {city} {pin}{r.randint(1, 99):03d}")
        return self.plant("STREET_ADDRESS", value)
