"""The state one generation run shares across document kinds: the seeded RNG, the PII factory,
the staff rosters and the running ticket, chat and order numbers."""

from __future__ import annotations

import random
from datetime import date, timedelta

from llmops.sample.catalog import COMPANY_DOMAIN, Product
from llmops.sample.people import PiiFactory, Person


OFFICES: tuple[tuple[str, str, str], ...] = (
    # office, country for addresses/IBANs, staff culture bias
    ("Berlin", "DE", "german"),
    ("London", "GB", "anglo"),
    ("Paris", "FR", "french"),
    ("Austin", "US", "hispanic"),
    ("Shenzhen", "CN", "chinese"),
)


class Context:
    """Shared state for one generation run."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.pii = PiiFactory(self.rng)
        r = self.rng
        self.agents = [self.pii.person(country="DE") for _ in range(12)]
        self.hr_partners = {o: self.pii.person(culture=c if r.random() < 0.6 else None, country=k)
                            for o, k, c in OFFICES}
        self.it_contacts = [self.pii.person() for _ in range(4)]
        self.finance_contacts = [self.pii.person() for _ in range(3)]
        self.ticket_no = 104000 + r.randint(0, 999)
        self.chat_no = 58000 + r.randint(0, 999)
        self.orders: set[str] = set()
        self.ticket_day = date(2024, 1, 2)

    def order_number(self) -> str:
        while True:
            value = f"ORD-{self.rng.choice((2023, 2024, 2024, 2024))}-{self.rng.randint(100000, 199999)}"
            if value not in self.orders:
                self.orders.add(value)
                return value

    def serial(self, p: Product) -> str:
        r = self.rng
        return f"{p.serial_prefix}{r.choice('ABCDEFGH')}{r.randint(10000, 99999)}{r.choice('KMRTWX')}"

    def commit(self, long: bool = False) -> str:
        return f"{self.rng.getrandbits(160 if long else 28):0{40 if long else 7}x}"

    def staff_contact(self, p: Person, office: str) -> str:
        """'Name (email, phone)' with all three recorded as PII."""
        return (f"{self.pii.name(p)} ({self.pii.email(p, COMPANY_DOMAIN)}, "
                f"{self.pii.office_phone(office)})")

    def random_day(self) -> date:
        return date(2024, 1, 1) + timedelta(days=self.rng.randint(0, 364))
