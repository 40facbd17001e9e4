"""Seeded generator for the Lumora Systems sample enterprise corpus.

The pipeline needs raw inputs that look like one real company's exports
(help-centre pages, helpdesk tickets, product manuals, HR/IT policies and
chat logs) with two kinds of ground truth attached:

* ``planted_pii`` - every personal value we wrote, so scrubbing recall can be
  measured instead of eyeballed;
* ``facts`` - the company facts the documents teach, always worded exactly the
  same way, so a fine-tuned model's answers can be scored against them.

Everything comes from one ``random.Random(seed)``: the same seed gives a
byte-identical corpus. Pure standard library on purpose, so the generator runs
anywhere (CI, a laptop without the ML stack).

Document counting rule shared with ingestion: every line of a ``.jsonl`` file
and every data row of a ``.csv`` file is one document; every ``.md``,
``.txt`` and ``.html`` file is one document.
"""

from __future__ import annotations

import csv
import html
import io
import ipaddress
import json
import random
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Callable, Sequence

from llmops.pii_entities import PII_ENTITIES

# ---------------------------------------------------------------------------
# Public constants
# ---------------------------------------------------------------------------

COMPANY = "Lumora Systems"
COMPANY_LEGAL = "Lumora Systems GmbH"
COMPANY_DOMAIN = "lumora.example"

PII_TYPES: tuple[str, ...] = PII_ENTITIES

#: Share (percent) of documents per kind; allocated by largest remainder.
KIND_SHARES: tuple[tuple[str, int], ...] = (
    ("faq", 20),
    ("ticket", 30),
    ("manual", 20),
    ("policy", 15),
    ("chat", 15),
)
KIND_DIRS: dict[str, str] = {
    "faq": "faq",
    "ticket": "tickets",
    "manual": "manuals",
    "policy": "policies",
    "chat": "chats",
}
#: Above this many standalone files per kind, further docs become jsonl records
#: (keeps a 20k-doc corpus at a few hundred files instead of thousands).
MAX_FILES_PER_KIND = 24
#: Max documents (lines / rows) per jsonl or csv file.
ROWS_PER_FILE = 500

TICKET_FIELDS: tuple[str, ...] = (
    "ticket_id",
    "created",
    "customer_name",
    "customer_email",
    "customer_phone",
    "product",
    "order_number",
    "subject",
    "description",
    "resolution",
    "agent",
)
RECORD_FIELDS: tuple[str, ...] = ("doc_id", "title", "doc_type", "text")

_GENERATED_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*-\d{4}\.(md|html|txt|jsonl|csv)$")


# ---------------------------------------------------------------------------
# Company knowledge: products and facts
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Product:
    """One product line; every document quotes these exact values."""

    key: str
    name: str
    short: str
    sku: str
    price: str
    warranty_years: int
    firmware: str
    previous_firmware: str
    release_date: str
    serial_prefix: str
    parts: tuple[tuple[str, str], ...]
    specs: tuple[tuple[str, str], ...]


PRODUCTS: tuple[Product, ...] = (
    Product(
        "hub", "Lumora Hub H2", "Hub H2", "LM-HUB-H2", "EUR 129.00", 2, "4.2.1", "4.1.7",
        "2023-03-14", "LH2",
        (("LM-PN-4410-21B", "12 V power adapter"), ("LM-PN-4410-35A", "wall mount bracket"),
         ("LM-PN-4410-52C", "Ethernet cable, 1 m")),
        (("Dimensions", "110 x 110 x 32 mm"), ("Weight", "240 g"),
         ("Power", "12 V DC, 1 A via adapter LM-PN-4410-21B"),
         ("Radios", "Wi-Fi 2.4 GHz 802.11 b/g/n, Zigbee 3.0, Thread 1.3, Bluetooth LE 5.0"),
         ("Wired network", "Ethernet 10/100"), ("Paired devices", "up to 64"),
         ("Operating temperature", "0 to 40 °C")),
    ),
    Product(
        "plug", "Lumora SmartPlug P1", "SmartPlug P1", "LM-PLG-P1", "EUR 24.90", 2, "2.8.3",
        "2.8.0", "2022-09-06", "LP1",
        (("LM-PN-2210-04F", "Type F socket insert"), ("LM-PN-2210-11G", "Type G socket insert")),
        (("Rated load", "16 A / 3,680 W continuous"), ("Supply", "230 V AC, 50 Hz"),
         ("Standby consumption", "below 0.5 W"), ("Radio", "Wi-Fi 2.4 GHz, Zigbee 3.0 repeater"),
         ("Dimensions", "52 x 52 x 75 mm"), ("Operating temperature", "0 to 35 °C")),
    ),
    Product(
        "thermostat", "Lumora Thermostat T3", "Thermostat T3", "LM-THM-T3", "EUR 199.00", 2,
        "3.1.0", "3.0.4", "2023-10-02", "LT3",
        (("LM-PN-3300-18W", "wall plate"), ("LM-PAK-24", "24 V power adapter kit"),
         ("LM-PN-3300-27S", "remote temperature sensor")),
        (("Power", "24 V AC via C-wire, or power adapter kit LM-PAK-24"),
         ("Display", "2.4 inch colour, 320 x 240"), ("Sensor accuracy", "±0.2 °C"),
         ("Radios", "Wi-Fi 2.4 GHz, Thread 1.3"), ("Terminals", "R, W1, W2, Y, G, C, S1, S2"),
         ("Dimensions", "88 x 88 x 24 mm")),
    ),
    Product(
        "meter", "Lumora Energy Meter M5", "Energy Meter M5", "LM-MTR-M5", "EUR 149.00", 2,
        "1.9.4", "1.9.1", "2022-05-17", "LM5",
        (("LM-PN-5120-63A", "CT clamp 100 A"), ("LM-PN-5120-64A", "CT clamp 200 A"),
         ("LM-PN-5120-70D", "DIN rail adapter")),
        (("Phases", "1 or 3 phases"), ("Current clamps", "up to 200 A per phase"),
         ("Sampling", "every 2 seconds"), ("Cloud upload", "every 60 seconds"),
         ("Mounting", "DIN rail, 4 modules"), ("Accuracy", "class 1")),
    ),
    Product(
        "gateway", "Lumora Solar Gateway S2", "Solar Gateway S2", "LM-SGW-S2", "EUR 349.00", 2,
        "5.0.2", "4.9.8", "2024-02-20", "LS2",
        (("LM-PN-6200-11R", "RS-485 cable set"), ("LM-PN-6200-19X", "antenna extension")),
        (("Max PV power", "10 kW"), ("Grid voltage window", "207 to 253 V"),
         ("Interfaces", "RS-485, Modbus TCP, Ethernet, Wi-Fi 2.4 GHz"),
         ("Enclosure", "IP65"), ("Operating temperature", "-20 to 55 °C")),
    ),
    Product(
        "battery", "Lumora Battery B10", "Battery B10", "LM-BAT-B10", "EUR 4,990.00", 10,
        "2.3.7", "2.3.5", "2024-06-11", "LB10",
        (("LM-PN-7100-02S", "floor stand"), ("LM-PN-7100-09D", "DC isolator")),
        (("Usable capacity", "10 kWh"), ("Continuous power", "5 kW"),
         ("Peak power", "7.5 kW for 10 seconds"), ("Chemistry", "LFP"),
         ("Cycle life", "6,000 cycles"), ("Weight", "98 kg"), ("Enclosure", "IP55"),
         ("Backup switchover", "under 20 ms with Solar Gateway S2")),
    ),
)
_PRODUCT_BY_KEY: dict[str, Product] = {p.key: p for p in PRODUCTS}


@dataclass(frozen=True)
class Fact:
    """A company fact; ``answer`` is the canonical wording used everywhere."""

    key: str
    topic: str
    question: str
    answer: str
    variants: tuple[str, ...] = ()
    steps: tuple[str, ...] = ()


_BASE_FACTS: tuple[Fact, ...] = (
    # --- customer support ---------------------------------------------------
    Fact("support_hours", "support", "What are Lumora's customer support hours?",
         "Lumora customer support is available Monday to Friday from 08:00 to 20:00 CET and on "
         "Saturdays from 09:00 to 14:00 CET.",
         ("When is Lumora support open?", "Can I reach Lumora support at the weekend?")),
    Fact("support_contact", "support", "How do I contact Lumora support?",
         "Open the Lumora app and tap Help > Contact support to chat with an agent or open a "
         "ticket; please have your order number ready.",
         ("What is the fastest way to reach customer support?",)),
    Fact("return_window", "support", "How long do I have to return a Lumora device?",
         "You can return any Lumora device within 30 days of delivery for a full refund, as long "
         "as it comes back with all accessories and the original packaging.",
         ("What is Lumora's return policy?", "Can I send back a device I no longer need?")),
    Fact("refund_time", "support", "How long does a refund take?",
         "Refunds are paid to the original payment method within 5 business days after the "
         "refund is approved.",
         ("When will I get my money back?",)),
    Fact("shipping", "support", "How long does shipping take?",
         "Standard shipping is free on orders over EUR 49 and takes 3 to 5 business days; express "
         "shipping costs EUR 9.90 and takes 1 to 2 business days.",
         ("How much does delivery cost?", "When will my order arrive?")),
    Fact("warranty", "support", "What warranty do Lumora devices have?",
         "Every Lumora device comes with a 2-year limited warranty, except the Lumora Battery B10, "
         "which is covered for 10 years or 6,000 cycles, whichever comes first.",
         ("How long is the warranty on Lumora products?", "Is my device still under warranty?")),
    Fact("advance_replacement", "support", "How does a warranty replacement work?",
         "For approved warranty claims Lumora ships an advance replacement within 2 business "
         "days, and you send the faulty unit back within 14 days using the prepaid label.",
         ("Do I have to send my broken device back before I get a new one?",)),
    Fact("lumora_care", "support", "What is Lumora Care?",
         "Lumora Care extends the warranty on all your Lumora devices to 5 years for EUR 4.99 per "
         "month and can be cancelled at any time.",
         ("Can I extend my warranty?", "How much does Lumora Care cost?")),
    Fact("data_retention", "support", "How long does Lumora keep my energy data?",
         "Energy usage history is stored in the Lumora cloud for 24 months and then deleted; you "
         "can export it at any time under Settings > Privacy > Export data.",
         ("Can I download my energy history?",)),
    Fact("account_delete", "support", "How do I delete my Lumora account?",
         "Delete your account in the app under Settings > Privacy > Delete account; all personal "
         "data is erased within 30 days.",
         ("How can I have my personal data removed?",)),
    # --- devices ------------------------------------------------------------
    Fact("pairing", "devices", "How do I add a new device to the Lumora app?",
         "Open the Lumora app, tap Add device and scan the QR code on the device label within 5 "
         "minutes of powering the device on.",
         ("How do I pair a Lumora device?", "How do I set up a new device?"),
         ("Power on the device and wait for the status light to pulse blue.",
          "Open the Lumora app and tap Add device.",
          "Scan the QR code on the device label within 5 minutes.",
          "Choose a room for the device and confirm.")),
    Fact("wifi", "devices", "Which Wi-Fi networks do Lumora devices support?",
         "Lumora devices connect only to 2.4 GHz Wi-Fi networks secured with WPA2 or WPA3; 5 "
         "GHz-only networks are not supported.",
         ("Why can't my device find my 5 GHz network?", "Does Lumora work with 5 GHz Wi-Fi?")),
    Fact("firmware_window", "devices", "When are firmware updates installed?",
         "Firmware updates install automatically between 02:00 and 04:00 local time, and you can "
         "postpone an update for up to 7 days under Settings > Firmware.",
         ("Can I choose when my device updates?",)),
    Fact("hub_capacity", "devices", "How many devices can one Lumora Hub H2 handle?",
         "One Lumora Hub H2 supports up to 64 paired devices; for larger homes, add a second hub "
         "and link both to the same account.",
         ("Is there a limit on devices per hub?",)),
    Fact("hub_offline", "devices", "Does the Lumora Hub H2 work without internet?",
         "Without an internet connection the Lumora Hub H2 keeps running schedules and "
         "automations locally for up to 72 hours.",
         ("What happens to my automations if the internet goes down?",)),
    Fact("hub_reset", "devices", "How do I factory-reset the Lumora Hub H2?",
         "To factory-reset the Lumora Hub H2, hold the recessed reset button on the back for 15 "
         "seconds until the ring light blinks amber three times.",
         ("How do I reset my hub?",),
         ("Keep the hub connected to power.",
          "Press and hold the recessed reset button on the back with a paper clip.",
          "Release it after 15 seconds, when the ring light blinks amber three times.",
          "Add the hub again in the Lumora app.")),
    Fact("plug_reset", "devices", "How do I reset the Lumora SmartPlug P1?",
         "To reset the Lumora SmartPlug P1, press and hold the power button for 10 seconds until "
         "the LED flashes red and blue alternately.",
         ("My SmartPlug P1 won't pair, how do I reset it?",),
         ("Leave the plug in the wall socket.",
          "Press and hold the power button for 10 seconds.",
          "Release it when the LED flashes red and blue alternately.",
          "Pair the plug again from the Lumora app.")),
    Fact("plug_load", "devices", "What is the maximum load of the Lumora SmartPlug P1?",
         "The Lumora SmartPlug P1 supports a maximum continuous load of 16 A (3,680 W) and "
         "switches off automatically if the load is exceeded.",
         ("Can I use the SmartPlug P1 with a heater?",)),
    Fact("thermostat_reset", "devices", "How do I reset the Lumora Thermostat T3?",
         "To reset the Lumora Thermostat T3, open Settings > System > Factory reset on the device "
         "and confirm by pressing the dial for 3 seconds.",
         ("How do I wipe my thermostat before moving house?",),
         ("Press the dial to open the menu.", "Go to Settings > System > Factory reset.",
          "Press and hold the dial for 3 seconds to confirm.",
          "Wait for the welcome screen before setting it up again.")),
    Fact("thermostat_cwire", "devices", "Does the Lumora Thermostat T3 need a C-wire?",
         "The Lumora Thermostat T3 needs a 24 V common wire (C-wire); if your heating system has "
         "none, use the power adapter kit LM-PAK-24 that ships in the box.",
         ("My old thermostat has only two wires, can I install the T3?",)),
    Fact("meter_sampling", "devices", "How often does the Lumora Energy Meter M5 measure power?",
         "The Lumora Energy Meter M5 samples power every 2 seconds and uploads the readings to "
         "the Lumora cloud every 60 seconds.",
         ("Why does the app lag behind the meter display?",)),
    Fact("electrician", "devices",
         "Can I install the Energy Meter M5, Solar Gateway S2 or Battery B10 myself?",
         "The Energy Meter M5, Solar Gateway S2 and Battery B10 must be installed by a certified "
         "electrician; self-installation voids the warranty.",
         ("Do I need an electrician to install my Lumora energy devices?",)),
    Fact("battery_spec", "devices", "How much energy does the Lumora Battery B10 store?",
         "The Lumora Battery B10 stores 10 kWh of usable energy and delivers up to 5 kW of "
         "continuous power.",
         ("What is the capacity of the Battery B10?",)),
    Fact("battery_backup", "devices",
         "Does the Lumora Battery B10 provide backup power during an outage?",
         "When paired with a Solar Gateway S2, the Lumora Battery B10 switches to backup power "
         "within 20 milliseconds of a grid outage.",
         ("Will the Battery B10 keep my lights on during a power cut?",)),
    # --- error codes --------------------------------------------------------
    Fact("e101", "errors", "What does error E101 mean?",
         "Error E101 means the device cannot reach the hub; move it within 10 metres of the "
         "Lumora Hub H2 or add a SmartPlug P1 as a repeater.",
         ("My device shows E101, what should I do?",)),
    Fact("e204", "errors", "What does error E204 mean?",
         "Error E204 means a firmware update failed verification; the device rolls back to the "
         "previous version automatically and retries after 24 hours.",
         ("The app says my update failed with E204. Is my device broken?",)),
    Fact("e310", "errors", "What does error E310 on the Thermostat T3 mean?",
         "Error E310 means the Thermostat T3 temperature sensor reading is out of range; check "
         "that the sensor cable is firmly seated in terminal S1.",
         ("My thermostat shows E310, how do I fix it?",)),
    Fact("e402", "errors", "What does error E402 on the Energy Meter M5 mean?",
         "Error E402 means a CT clamp on the Energy Meter M5 is installed backwards; turn the "
         "clamp around so the arrow points towards the load.",
         ("Why does my Energy Meter M5 show negative consumption?",)),
    Fact("e515", "errors", "What does error E515 on the Solar Gateway S2 mean?",
         "Error E515 means the grid voltage is outside 207 to 253 V; the Solar Gateway S2 pauses "
         "export and resumes automatically once the voltage has been stable for 5 minutes.",
         ("Why does my Solar Gateway S2 stop exporting at midday?",)),
    Fact("e620", "errors", "What does error E620 on the Battery B10 mean?",
         "Error E620 means the Battery B10 cell temperature is above 55 °C; charging pauses until "
         "it cools down, so keep at least 20 cm of clearance around the unit.",
         ("Why does my Battery B10 stop charging on hot days?",)),
    # --- HR -----------------------------------------------------------------
    Fact("vacation", "hr", "How many vacation days do Lumora employees get?",
         "Full-time employees get 28 days of paid vacation per year plus public holidays, and up "
         "to 5 unused days can be carried over until 31 March of the following year.",
         ("Can I carry over unused vacation days?",)),
    Fact("sick_leave", "hr", "When do I need a doctor's note for sick leave?",
         "A doctor's note is required for sick leave of more than 3 consecutive calendar days.",
         ("Do I need a medical certificate when I am ill?",)),
    Fact("parental_leave", "hr", "How much parental leave does Lumora offer?",
         "Lumora offers 20 weeks of fully paid parental leave to every parent, to be taken within "
         "18 months of the birth or adoption.",
         ("Is parental leave paid at Lumora?",)),
    Fact("remote_work", "hr", "How many days per week can I work remotely?",
         "Employees may work remotely up to 3 days per week with their manager's approval, and "
         "from abroad for up to 20 working days per year.",
         ("Can I work from another country for a while?",)),
    Fact("payroll_day", "hr", "When are salaries paid?",
         "Salaries are paid on the 25th of each month, or on the last working day before the 25th "
         "if it falls on a weekend or public holiday.",
         ("What is the payroll date?",)),
    Fact("learning_budget", "hr", "How big is the annual learning budget?",
         "Every employee has an annual learning budget of EUR 1,500 for courses, conferences and "
         "books, approved by their manager.",
         ("Can Lumora pay for a course or conference?",)),
    Fact("probation", "hr", "How long is the probation period?",
         "New employees have a probation period of 6 months, during which the notice period is 2 "
         "weeks.",
         ("What is the notice period during probation?",)),
    Fact("expense_meals", "expenses", "How much can I spend on meals when travelling for work?",
         "Meals on business trips are reimbursed up to EUR 60 per day, and a receipt is required "
         "for every item above EUR 25.",
         ("What is the daily meal allowance?",)),
    Fact("expense_hotel", "expenses", "What is the hotel limit for business travel?",
         "Hotel stays are reimbursed up to EUR 180 per night, or EUR 250 per night in London, "
         "Paris and New York.",
         ("How much can I spend on a hotel?",)),
    Fact("expense_deadline", "expenses", "When do I have to submit expense claims?",
         "Expense claims must be submitted in Expensa within 30 days of the expense date; later "
         "claims need approval from Finance.",
         ("Is there a deadline for expense claims?",)),
    # --- IT -----------------------------------------------------------------
    Fact("vpn", "it", "When do I have to use the VPN?",
         "The LumoraConnect VPN is mandatory whenever you work outside a Lumora office network, "
         "and split tunnelling is disabled.",
         ("Do I need the VPN when working from home?",)),
    Fact("mfa", "it", "Which multi-factor authentication methods are allowed?",
         "All Lumora accounts require multi-factor authentication with the Lumora Authenticator "
         "app; SMS codes are not accepted.",
         ("Can I use SMS codes for two-factor login?",)),
    Fact("password", "it", "What are the password rules at Lumora?",
         "Passwords must be at least 14 characters long and are only changed after a suspected "
         "compromise, not on a fixed schedule.",
         ("How often do I have to change my password?",)),
    Fact("lost_laptop", "it", "What should I do if my laptop is lost or stolen?",
         "Report a lost or stolen laptop to the IT service desk within 1 hour so it can be locked "
         "and remotely wiped.",
         ("I left my work laptop on the train, what now?",)),
    Fact("usb", "it", "Can I use USB sticks on my work laptop?",
         "USB storage devices are blocked on company laptops; share files through LumoraDrive "
         "instead.",
         ("How do I share large files with a colleague?",)),
    Fact("incident", "it", "How do I report a security incident?",
         "Report any suspected security incident immediately in the #sec-incident Slack channel "
         "or through the IT service desk portal; never try to investigate it yourself.",
         ("I clicked a suspicious link, who do I tell?",)),
    Fact("service_desk", "it", "When is the IT service desk available?",
         "The IT service desk is staffed Monday to Friday from 07:00 to 19:00 CET and can be "
         "reached on internal extension 4357.",
         ("How do I reach IT support?",)),
)


def _price_facts() -> tuple[Fact, ...]:
    """One price fact per product, derived so prices can never drift apart."""
    return tuple(
        Fact(f"price_{p.key}", "products", f"How much does the {p.name} cost?",
             f"The {p.name} (SKU {p.sku}) costs {p.price} including VAT.",
             (f"What is the price of the {p.name}?",))
        for p in PRODUCTS
    )


FACTS: tuple[Fact, ...] = _BASE_FACTS + _price_facts()
_FACT_BY_KEY: dict[str, Fact] = {f.key: f for f in FACTS}


def _ans(*keys: str) -> str:
    """Canonical answers joined into one passage."""
    return " ".join(_FACT_BY_KEY[k].answer for k in keys)


# ---------------------------------------------------------------------------
# Manifest
# ---------------------------------------------------------------------------


@dataclass
class CorpusManifest:
    """Ground truth for a generated corpus (kept outside the corpus dir)."""

    n_docs: int
    files: list[str]
    planted_pii: dict[str, list[str]]
    facts: list[tuple[str, str]]
    seed: int = 7
    doc_counts: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> str:
        """Stable, human-diffable JSON (UTF-8 kept readable)."""
        return json.dumps(asdict(self), ensure_ascii=False, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> "CorpusManifest":
        """Inverse of :meth:`to_json` (facts come back as tuples)."""
        raw = json.loads(text)
        return cls(
            n_docs=int(raw["n_docs"]),
            files=list(raw["files"]),
            planted_pii={k: list(v) for k, v in raw["planted_pii"].items()},
            facts=[(q, a) for q, a in raw["facts"]],
            seed=int(raw.get("seed", 7)),
            doc_counts=dict(raw.get("doc_counts", {})),
        )


def write_manifest(manifest: CorpusManifest, path: Path) -> Path:
    """Write the manifest somewhere that is NOT ingested (e.g. next to the corpus dir)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(manifest.to_json().encode("utf-8"))
    return path


def load_manifest(path: Path) -> CorpusManifest:
    """Read a manifest written by :func:`write_manifest`."""
    return CorpusManifest.from_json(Path(path).read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------
# PII generation (checksum-valid where the real thing has a checksum)
# ---------------------------------------------------------------------------

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
class _Person:
    """A person's raw attributes; values are recorded as PII only when written."""

    full: str
    given_ascii: str
    family_ascii: str
    culture: str
    country: str


def _ascii(text: str) -> str:
    """Fold a name to the lowercase ASCII letters an e-mail local part would use."""
    folded = unicodedata.normalize("NFKD", text.translate(_ASCII_FIX))
    return "".join(c for c in folded if c.isascii() and c.isalnum()).lower()


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


class _PiiFactory:
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
    def person(self, culture: str | None = None, country: str | None = None) -> _Person:
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
        return _Person(full, _ascii(given), _ascii(family), culture, country)

    def name(self, p: _Person) -> str:
        return self.plant("PERSON", p.full)

    def email(self, p: _Person, domain: str | None = None) -> str:
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


# ---------------------------------------------------------------------------
# Generation context: RNG, PII, staff rosters, id counters
# ---------------------------------------------------------------------------

_OFFICES: tuple[tuple[str, str, str], ...] = (
    # office, country for addresses/IBANs, staff culture bias
    ("Berlin", "DE", "german"),
    ("London", "GB", "anglo"),
    ("Paris", "FR", "french"),
    ("Austin", "US", "hispanic"),
    ("Shenzhen", "CN", "chinese"),
)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")


class _Context:
    """Shared state for one generation run."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.pii = _PiiFactory(self.rng)
        r = self.rng
        self.agents = [self.pii.person(country="DE") for _ in range(12)]
        self.hr_partners = {o: self.pii.person(culture=c if r.random() < 0.6 else None, country=k)
                            for o, k, c in _OFFICES}
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

    def staff_contact(self, p: _Person, office: str) -> str:
        """'Name (email, phone)' with all three recorded as PII."""
        return (f"{self.pii.name(p)} ({self.pii.email(p, COMPANY_DOMAIN)}, "
                f"{self.pii.office_phone(office)})")

    def random_day(self) -> date:
        return date(2024, 1, 1) + timedelta(days=self.rng.randint(0, 364))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", _ascii_keep_space(text)).strip("-")


def _ascii_keep_space(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.translate(_ASCII_FIX))
    return "".join(c for c in folded if c.isascii()).lower()


def _lower_first(text: str) -> str:
    """Lower-case the first letter after a greeting, except the pronoun "I"."""
    if text.startswith(("I ", "I'")):
        return text
    return text[:1].lower() + text[1:]


def _esc(text: str) -> str:
    """HTML-escape text nodes without touching quotes, so PII literals stay greppable."""
    return html.escape(text, quote=False)


# ---------------------------------------------------------------------------
# FAQ pages
# ---------------------------------------------------------------------------

_FAQ_GROUPS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("Orders, shipping and returns", "Shipping and returns", "Buying from Lumora"),
     ("shipping", "return_window", "refund_time", "support_hours", "support_contact")),
    (("Warranty and Lumora Care", "Warranty, repairs and replacements"),
     ("warranty", "advance_replacement", "lumora_care", "electrician", "return_window")),
    (("Getting started with Lumora devices", "Setup and pairing"),
     ("pairing", "wifi", "hub_capacity", "firmware_window", "hub_offline")),
    (("Lumora Hub H2 help", "Hub H2: common questions"),
     ("hub_reset", "hub_capacity", "hub_offline", "e101", "price_hub", "wifi")),
    (("Lumora SmartPlug P1 help", "SmartPlug P1: common questions"),
     ("plug_reset", "plug_load", "e101", "price_plug", "pairing")),
    (("Lumora Thermostat T3 help", "Thermostat T3: common questions"),
     ("thermostat_reset", "thermostat_cwire", "e310", "price_thermostat", "firmware_window")),
    (("Lumora Energy Meter M5 help", "Energy Meter M5: common questions"),
     ("meter_sampling", "e402", "electrician", "price_meter", "data_retention")),
    (("Solar Gateway S2 and Battery B10 help", "Solar and storage questions"),
     ("battery_spec", "battery_backup", "e515", "e620", "electrician", "price_gateway",
      "price_battery")),
    (("Error codes explained", "What does this error code mean?"),
     ("e101", "e204", "e310", "e402", "e515", "e620")),
    (("Account, data and privacy", "Your Lumora account"),
     ("data_retention", "account_delete", "support_contact", "firmware_window")),
    (("Lumora product prices", "Prices and SKUs"),
     ("price_hub", "price_plug", "price_thermostat", "price_meter", "price_gateway",
      "price_battery", "shipping")),
    (("IT service desk FAQ", "IT help: accounts, VPN and devices"),
     ("vpn", "mfa", "password", "lost_laptop", "usb", "incident", "service_desk")),
    (("People team FAQ", "HR questions and answers"),
     ("vacation", "sick_leave", "parental_leave", "remote_work", "payroll_day",
      "learning_budget", "probation")),
    (("Travel and expenses FAQ", "Business travel questions"),
     ("expense_meals", "expense_hotel", "expense_deadline", "remote_work")),
)
_FAQ_FOLLOWUPS: dict[str, tuple[str, ...]] = {
    "support": ("If you still need help, contact us from the app under Help > Contact support.",
                "Please keep your order number handy when you get in touch.", "", ""),
    "devices": ("Make sure the Lumora app is up to date before you start.",
                "The SKU and serial number are printed on the label on the back of the device.",
                "", ""),
    "errors": ("The current error is also shown in the app under Device > Diagnostics.",
               "If the error comes back after these steps, open a ticket from the app and "
               "include the error code.", ""),
    "products": ("Prices are for the EU store; UK and US prices are listed in the local shop.",
                 "Check the product page for current bundle offers.", ""),
    "hr": ("Your contract or local works agreement may add to this; ask your HR partner if in "
           "doubt.", "The full rules are in the People policies on the intranet.", ""),
    "expenses": ("Upload receipts as photos or PDFs; paper originals are not needed.", ""),
    "it": ("The IT service desk can help if anything is unclear.",
           "See the IT acceptable use policy for the full rules.", ""),
}


def _faq_page(ctx: _Context, idx: int) -> tuple[str, list[tuple[str, str, tuple[str, ...]]]]:
    """Title and (question, answer, steps) triples for the idx-th FAQ page."""
    r = ctx.rng
    titles, keys = _FAQ_GROUPS[idx % len(_FAQ_GROUPS)]
    if idx < len(_FAQ_GROUPS):  # first pass shows every fact of the group
        chosen = list(keys)
    else:
        chosen = r.sample(keys, r.randint(3, min(5, len(keys))))
    title = r.choice(titles)
    if r.random() < 0.3:
        title = r.choice(("FAQ: ", "Help: ")) + title
    qas = []
    used: set[str] = set()
    for key in chosen:
        fact = _FACT_BY_KEY[key]
        question = r.choice((fact.question,) * 2 + fact.variants)
        follow = r.choice(_FAQ_FOLLOWUPS[fact.topic])
        if follow in used or key == "support_contact":
            follow = ""
        used.add(follow)
        answer = fact.answer + (" " + follow if follow else "")
        qas.append((question, answer, fact.steps))
    return title, qas


def _faq_markdown(title: str, qas: list[tuple[str, str, tuple[str, ...]]]) -> str:
    parts = [f"# {title}\n"]
    for q, a, _steps in qas:
        parts.append(f"\n## {q}\n\n{a}\n")
    return "".join(parts)


def _faq_html(ctx: _Context, title: str, qas: list[tuple[str, str, tuple[str, ...]]]) -> str:
    r = ctx.rng
    lines = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        f"<head><meta charset=\"utf-8\"><title>{_esc(title)} | Lumora Help Center</title>",
        "<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments);}"
        f"gtag('js',new Date());gtag('config','G-{ctx.commit().upper()}');</script>",
        "<style>body{font-family:Inter,sans-serif;max-width:760px;margin:auto}</style>",
        "</head>",
        "<body>",
        '<nav class="top-nav"><a href="/">Home</a> | <a href="/help">Help Center</a> | '
        '<a href="/shop">Shop</a> | <a href="/account">Sign in</a></nav>',
        '<div class="cookie-banner">We use cookies to improve your experience. '
        "<button>Accept all</button></div>",
        f"<h1>{_esc(title)}</h1>",
    ]
    for q, a, steps in qas:
        lines.append(f"<h2>{_esc(q)}</h2>")
        lines.append(f"<p>{_esc(a)}</p>")
        if steps and r.random() < 0.8:
            lines.append("<ul>" + "".join(f"<li>{_esc(s)}</li>" for s in steps) + "</ul>")
    if r.random() < 0.5:
        reviewer = ctx.pii.name(r.choice(ctx.agents))
        lines.append(f"<footer>© 2024 {COMPANY_LEGAL} · <a href=\"/privacy\">Privacy</a> · "
                     f"Last reviewed by {_esc(reviewer)} on {ctx.random_day().isoformat()}</footer>")
    else:
        lines.append(f"<footer>© 2024 {COMPANY_LEGAL} · <a href=\"/privacy\">Privacy</a> · "
                     f"<a href=\"/imprint\">Imprint</a></footer>")
    lines.append(f'<script src="/static/js/chat-widget.min.js?v={ctx.commit()}"></script>')
    lines.append("</body>")
    lines.append("</html>")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------
# Support scenarios shared by tickets and chats
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Scenario:
    """A support situation; its resolution teaches the listed facts verbatim."""

    key: str
    facts: tuple[str, ...]
    products: tuple[str, ...]
    subjects: tuple[str, ...]
    problems: tuple[str, ...]
    resolutions: tuple[str, ...]
    extras: tuple[str, ...] = ("phone", "ip", "address")


_ALL = tuple(p.key for p in PRODUCTS)
_SCENARIOS: tuple[_Scenario, ...] = (
    _Scenario("hub_reset", ("hub_reset",), ("hub",),
              ("Hub H2 offline after router swap", "How to factory reset the hub?",
               "Hub ring light stuck on white"),
              ("I replaced my router on {weekday} and since then my {product} shows as offline in "
               "the app. I already power-cycled it twice. Serial {serial}, order {order}.",
               "The ring light on my {product} has been solid white for {n} hours and none of my "
               "devices respond. It is on firmware {fw}. How do I reset it without losing the "
               "warranty?"),
              ("The hub still held the old Wi-Fi credentials. {answer} Customer re-added the hub "
               "with Add device and confirmed all {n} devices came back online.",
               "Explained the reset procedure: {answer} The hub rejoined the network on firmware "
               "{fw}; closing as solved."),
              ("ip", "phone", "address")),
    _Scenario("plug_reset", ("plug_reset",), ("plug",),
              ("SmartPlug not responding", "Plug P1 stuck in pairing mode", "Reset SmartPlug P1"),
              ("One of my {n} SmartPlugs stopped responding after a power cut and the app says "
               "'device unavailable'. It is the one behind the washing machine. Order {order}.",
               "My {product} ({sku}) keeps blinking blue and never finishes pairing. I bought it "
               "{days} days ago."),
              ("{answer} After the reset the plug paired again on the first attempt.",
               "Asked the customer to reset the plug and pair it again. {answer} Confirmed working "
               "on firmware {fw}.")),
    _Scenario("thermostat_reset", ("thermostat_reset",), ("thermostat",),
              ("Thermostat T3 schedule lost", "Reset thermostat before moving house",
               "Thermostat frozen on setup screen"),
              ("We are moving out on {weekday} and I want to leave the {product} for the new "
               "owners without my schedules and account. How do I wipe it?",
               "The {product} froze on the 'Connecting' screen after the update to {fw}. The dial "
               "still turns but nothing happens."),
              ("{answer} Customer removed the device from their account afterwards.",
               "Guided the customer through a reset. {answer} The thermostat restarted and "
               "completed setup."),
              ("address", "phone")),
    _Scenario("e101", ("e101",), ("plug", "thermostat", "meter"),
              ("Error E101 in the app", "{short} keeps losing connection", "E101 on {short}"),
              ("My {product} in the garage shows error E101 several times a day. The hub is in "
               "the living room on the other side of the house. Order {order}.",
               "Since I moved the {product} to the upstairs office the app shows E101 and no data "
               "comes through."),
              ("Checked the signal log: the device is at the edge of the mesh. {answer} Customer "
               "will add a plug in the hallway.",
               "{answer} Customer moved the hub to the hallway and the error cleared."),
              ("ip", "phone")),
    _Scenario("e204", ("e204", "firmware_window"), _ALL,
              ("Firmware update failed (E204)", "Update to {fw} keeps failing",
               "E204 after overnight update"),
              ("This morning the app said the update to {fw} failed with E204. The {product} is "
               "still on {prev_fw}. Is it broken?",
               "My {product} shows E204 since last night. I did not touch anything. Serial number "
               "{serial}."),
              ("Reassured the customer that nothing is broken. {answer}",
               "{answer} Device logs show the update to {fw} (build {commit}) completed the "
               "following night."),
              ("ip", "phone")),
    _Scenario("e310", ("e310",), ("thermostat",),
              ("Thermostat shows E310", "Heating not starting, error E310"),
              ("It is cold in the house and the {product} only shows E310. It was installed by my "
               "electrician in {month}.",
               "Error E310 appeared right after I repainted the hallway and took the {product} off "
               "the wall."),
              ("{answer} Customer reseated the cable and the reading is back to normal.",
               "The sensor cable most likely came loose when the unit was removed. {answer}"),
              ("address", "phone")),
    _Scenario("e402", ("e402",), ("meter",),
              ("Energy Meter shows negative consumption", "E402 on M5"),
              ("My {product} reports negative consumption in the evening when the solar panels "
               "are not producing, and the app shows E402.",
               "After my electrician installed the {product} yesterday the app shows E402 on "
               "phase 2. Order {order}."),
              ("{answer} The electrician flipped the clamp on phase 2 and readings are correct "
               "now.",
               "{answer} Asked the customer to have the installer check the clamp orientation.")),
    _Scenario("e515", ("e515",), ("gateway",),
              ("Solar Gateway stops exporting (E515)", "E515 at midday"),
              ("On sunny days around noon my {product} shows E515 and stops feeding into the grid "
               "for a while.",
               "The gateway log shows E515 several times today; firmware {fw}. Is my inverter "
               "damaged?"),
              ("{answer} Recommended asking the grid operator to check the local voltage if it "
               "happens daily.",
               "No fault on the gateway. {answer}"),
              ("ip", "address")),
    _Scenario("e620", ("e620",), ("battery",),
              ("Battery stops charging in summer", "E620 on Battery B10"),
              ("The {product} in my garage stops charging in the afternoon and shows E620.",
               "We installed the {product} in a utility cupboard and now get E620 warnings every "
               "day. Serial {serial}."),
              ("{answer} Customer will move the shelving to give the unit more space.",
               "The battery temperature log confirms it. {answer}"),
              ("address", "phone")),
    _Scenario("wifi", ("wifi", "pairing"), ("hub", "plug", "thermostat"),
              ("Can't connect during setup", "Device doesn't find my Wi-Fi",
               "Setup fails at network step"),
              ("During setup of my {product} the app never shows my home network. My router is "
               "new, a mesh system from my ISP.",
               "Trying to set up the {product} but it fails at the Wi-Fi step every time. I tried "
               "{n} times."),
              ("The customer's router was broadcasting a 5 GHz-only network. {answer}",
               "{answer} Customer enabled the 2.4 GHz band and setup completed."),
              ("ip", "phone")),
    _Scenario("return", ("return_window", "refund_time"), _ALL,
              ("Return request {order}", "I want to return my {short}", "Return and refund"),
              ("I bought the {product} {days} days ago but it doesn't fit our setup. I would like "
               "to return it. Order {order}, paid {price}.",
               "Please arrange a return for order {order}; the {product} is unused and still in "
               "the box."),
              ("Return approved and prepaid label sent. {answer}",
               "{answer} RMA created for {order}."),
              ("address", "iban", "card")),
    _Scenario("double_charge", ("refund_time",), _ALL,
              ("Charged twice for order {order}", "Double payment", "Billing issue"),
              ("My bank statement shows two payments of {price} for order {order}. Please refund "
               "one of them.",
               "I was charged twice when the checkout page timed out. Order {order}, amount "
               "{price}."),
              ("Confirmed the duplicate capture with the payments team and voided the second "
               "charge. {answer}",
               "Duplicate payment refunded. {answer}"),
              ("card", "address", "iban")),
    _Scenario("warranty", ("warranty", "advance_replacement"), _ALL,
              ("Warranty claim {short}", "Device dead after {months} months",
               "Replacement under warranty"),
              ("My {product} stopped working completely after {months} months, no lights at "
               "all. Order {order}.",
               "The {product} started clicking and then died. Is this covered under warranty? "
               "Serial {serial}."),
              ("Warranty claim approved. {answer}",
               "{answer} Advance replacement shipped for serial {serial}."),
              ("address", "phone")),
    _Scenario("shipping", ("shipping",), _ALL,
              ("Where is my order?", "Order {order} not delivered", "Delivery time"),
              ("I ordered the {product} {days} days ago and haven't received any tracking "
               "update. Order {order}.",
               "How long does delivery usually take? I need the {product} before the electrician "
               "comes on {weekday}."),
              ("The order was delayed at the warehouse and has shipped now. {answer}",
               "{answer} Tracking link sent to the customer."),
              ("address", "phone")),
    _Scenario("care", ("lumora_care", "warranty"), _ALL,
              ("Question about Lumora Care", "Extend warranty", "Lumora Care sign-up failed"),
              ("Can I extend the warranty on my {product}? It is {months} months old.",
               "I tried to sign up for Lumora Care in the app and the payment failed."),
              ("{answer} Customer subscribed in the app.",
               "Explained Lumora Care: {answer}"),
              ("dob", "card", "address")),
    _Scenario("electrician", ("electrician",), ("meter", "gateway", "battery"),
              ("Can I install the {short} myself?", "Installation question"),
              ("I am quite handy and would like to install the {product} myself this weekend. Is "
               "there anything special?",
               "My electrician is not available until next month. Can I connect the {product} "
               "myself in the meantime?"),
              ("{answer} Sent the customer the list of certified installers in their area.",
               "Advised against self-installation. {answer}"),
              ("address", "phone")),
    _Scenario("battery_sizing", ("battery_spec", "battery_backup"), ("battery",),
              ("Battery B10 sizing question", "Backup power with Battery B10"),
              ("We are considering the {product} for our house. How much can it store and will it "
               "keep the lights on during an outage?",
               "Our area has frequent power cuts. Would the {product} cover our fridge and "
               "heating pump? Quote reference {order}."),
              ("{answer} Sent the sizing worksheet.",
               "Explained capacity and backup behaviour: {answer}"),
              ("ssn", "dob", "address")),
    _Scenario("data", ("data_retention", "account_delete"), ("hub", "meter"),
              ("Delete my account", "GDPR request", "How long do you keep my data?"),
              ("Please delete my Lumora account and all my data. The account is registered with "
               "this email address.",
               "How long do you store my energy history? I want to download it before I switch "
               "energy providers."),
              ("Identity verified. {answer}", "{answer}"),
              ("ip", "dob")),
    _Scenario("hub_capacity", ("hub_capacity",), ("hub",),
              ("Can't add more devices", "Hub limit reached"),
              ("I cannot add any more devices, the app says 'hub limit reached'. We have plugs in "
               "every room.",
               "Adding a new thermostat fails with 'too many devices' on my {product}."),
              ("{answer} Customer ordered a second hub.", "{answer}")),
    _Scenario("hub_offline", ("hub_offline",), ("hub",),
              ("Internet outage question", "Will automations run offline?"),
              ("Our internet will be down for two days while the provider replaces the line. "
               "Will my heating schedule still run on the {product}?",
               "During yesterday's internet outage my lights still switched on schedule. How long "
               "does that work?"),
              ("{answer}", "Confirmed local operation: {answer}")),
    _Scenario("plug_load", ("plug_load",), ("plug",),
              ("SmartPlug switches off", "Plug turns off with heater"),
              ("My {product} switches off every time I run the electric heater in the garage.",
               "Can I connect my dryer to the {product}? It cuts out after a few minutes."),
              ("{answer} Advised connecting the heater directly to the wall socket.",
               "{answer}")),
    _Scenario("thermostat_cwire", ("thermostat_cwire",), ("thermostat",),
              ("C-wire question", "Thermostat T3 installation"),
              ("The installation guide mentions a C-wire. My old thermostat only has two wires. "
               "Can I still use the {product}?",
               "The {product} keeps rebooting. My installer said there is no common wire."),
              ("{answer}", "{answer} Customer fitted the adapter kit and the reboots stopped.")),
    _Scenario("meter_sampling", ("meter_sampling",), ("meter",),
              ("App data lagging", "Update interval of Energy Meter M5"),
              ("The live view in the app seems to lag behind what my {product} shows. How often is "
               "the data updated?",
               "For my home automation I need to know how often the {product} measures."),
              ("{answer}", "Explained the measurement cycle: {answer}"),
              ("ip",)),
    _Scenario("support_hours", ("support_hours", "support_contact"), _ALL,
              ("Nobody answered my call", "Support opening times"),
              ("I tried to reach you on Sunday about my {product} and nobody answered.",
               "When can I talk to someone about order {order}?"),
              ("Apologised for the wait. {answer}", "{answer}"),
              ("phone",)),
)
_MONTH_ABBR = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November")


def _scenario_slots(ctx: _Context, sc: _Scenario, p: Product) -> dict[str, str]:
    r = ctx.rng
    return {
        "product": p.name, "short": p.short, "sku": p.sku, "fw": p.firmware,
        "prev_fw": p.previous_firmware, "order": ctx.order_number(), "serial": ctx.serial(p),
        "n": str(r.randint(3, 14)), "days": str(r.randint(4, 26)),
        "months": str(r.randint(3, 22)), "price": p.price, "weekday": r.choice(_WEEKDAYS),
        "month": r.choice(_MONTH_ABBR), "commit": ctx.commit(), "answer": _ans(*sc.facts),
    }


def _ticket_extra(ctx: _Context, kind: str, cust: _Person) -> str:
    """One customer sentence that leaks a PII value (recorded)."""
    r, pii = ctx.rng, ctx.pii
    if kind == "address":
        return r.choice(("My address is {}.", "Please send anything to {}.",
                         "Delivery address on the order is {}.")).format(pii.address(cust.country))
    if kind == "card":
        return r.choice(("I paid with the card {} and was charged twice.",
                         "The card on the order is {}, exp {}/{}.", "It was charged to {}."
                         )).format(pii.card(), f"{r.randint(1, 12):02d}", r.randint(25, 30))
    if kind == "ip":
        return r.choice(("My router shows the device at {}.",
                         "My public IP is {} if that helps with the logs.",
                         "The app log shows the connection from {}.")).format(pii.ip())
    if kind == "phone":
        return r.choice(("You can also call me on {}.", "Better to reach me on my mobile {}.",
                         "Call me at {} if easier.")).format(pii.phone(cust.country))
    if kind == "dob":
        return r.choice(("For verification, my date of birth is {}.",
                         "The account holder is me, born {}.")).format(
            pii.dob(pii.birth_date(), cust.country))
    if kind == "iban":
        return r.choice(("Please refund to my bank account instead: {}.",
                         "IBAN for the refund: {}.")).format(pii.iban())
    if kind == "ssn":
        return ("I already submitted the financing form with my SSN {}, if you need it."
                ).format(pii.ssn())
    if kind == "cn_id":
        return "For the fapiao please use my resident ID {}.".format(
            pii.cn_id(pii.birth_date(1960, 2003)))
    raise ValueError(kind)


def _extras_for(ctx: _Context, sc: _Scenario, cust: _Person, limit: int,
                extra_pool: tuple[str, ...] = ()) -> list[str]:
    """Pick up to ``limit`` leak kinds that make sense for this customer."""
    r = ctx.rng
    kinds = sorted(set(sc.extras) | set(extra_pool))
    pool = [k for k in kinds if k != "ssn" or cust.country == "US"]
    if "card" not in pool and r.random() < 0.2:
        pool.append("card")
    if "iban" not in pool and cust.country in ("DE", "FR", "NL", "ES", "GB") and r.random() < 0.1:
        pool.append("iban")
    if cust.country == "CN" and r.random() < 0.7:
        pool.append("cn_id")
    if cust.country == "US" and "ssn" not in pool and r.random() < 0.35:
        pool.append("ssn")
    if "dob" not in pool and r.random() < 0.15:
        pool.append("dob")
    r.shuffle(pool)
    pool.sort(key=lambda k: k not in ("ssn", "cn_id"))  # rare kinds first, else rarely seen
    return pool[:limit]


def _ticket(ctx: _Context) -> dict[str, str]:
    r, pii = ctx.rng, ctx.pii
    sc = r.choice(_SCENARIOS)
    p = _PRODUCT_BY_KEY[r.choice(sc.products)]
    slots = _scenario_slots(ctx, sc, p)
    cust = pii.person()
    ctx.ticket_no += r.randint(1, 41)
    ctx.ticket_day = min(ctx.ticket_day + timedelta(days=r.choice((0, 0, 0, 1))),
                         date(2024, 12, 30))
    description = r.choice(sc.problems).format_map(slots)
    roll = r.random()
    n_extra = 0 if roll < 0.25 else (1 if roll < 0.7 else 2)
    for kind in _extras_for(ctx, sc, cust, n_extra):
        description += " " + _ticket_extra(ctx, kind, cust)
    if r.random() < 0.4:
        description = r.choice(("Hello,", "Hi team,", "Hi,", "Good morning,")) + " " + \
            _lower_first(description)
    if r.random() < 0.5:
        description += " " + r.choice(("Thanks.", "Thank you in advance.", "Regards",
                                       "Please help, this is urgent."))
    return {
        "ticket_id": f"TCK-{ctx.ticket_no}",
        "created": ctx.ticket_day.isoformat(),
        "customer_name": pii.name(cust),
        "customer_email": pii.email(cust),
        "customer_phone": pii.phone(cust.country),
        "product": p.name,
        "order_number": slots["order"],
        "subject": r.choice(sc.subjects).format_map(slots),
        "description": description,
        "resolution": r.choice(sc.resolutions).format_map(slots),
        "agent": pii.name(r.choice(ctx.agents)),
    }


# ---------------------------------------------------------------------------
# Chat transcripts
# ---------------------------------------------------------------------------

_CHAT_GREETINGS = ("Hi, thanks for contacting Lumora support. How can I help you today?",
                   "Welcome to Lumora support! What can I do for you?",
                   "Hello and thanks for waiting. How can I help?")
_CHAT_ASK_ID = ("Sorry to hear that. Could you give me your order number or the e-mail address "
                "on your account?",
                "I can help with that. Can I have the order number and the e-mail on the account?",
                "Let me look into it. Which e-mail address is your Lumora account under?")
_CHAT_THANKS = ("Great, that worked. Thanks!", "Perfect, thank you so much.",
                "OK, I'll try that tonight. Thanks for your help.", "Thanks, that's clear.")
_CHAT_CLOSINGS = ("You're welcome! Have a great day.",
                  "Happy to help. Is there anything else I can do for you?",
                  "Glad I could help. You can reopen this chat any time from the app.")


def _chat_leak(ctx: _Context, kind: str, cust: _Person) -> tuple[str, str]:
    """(customer line, agent reply) leaking one PII value."""
    r, pii = ctx.rng, ctx.pii
    if kind == "phone":
        return (r.choice(("If we get cut off, my number is {}.", "You can call me back on {}.")
                         ).format(pii.phone(cust.country)),
                "Noted, I've added the number to your case.")
    if kind == "card":
        return (r.choice(("Also, can you charge Lumora Care to my card {}, expiry {}?",
                          "I tried paying with {} (exp {}) but the app declined it.")
                         ).format(pii.card(), f"{r.randint(1, 12):02d}/{r.randint(25, 30)}"),
                "For your security please don't share card details in chat; I've masked them. "
                "You can add a card in the app under Settings > Payments.")
    if kind == "address":
        return ("And my address changed, it's now {}.".format(pii.address(cust.country)),
                "Thanks, I've updated the address on your account.")
    if kind == "ip":
        return ("The app says the device IP is {}, does that help?".format(pii.ip()),
                "Thanks, that looks normal, so the network itself is fine.")
    if kind == "iban":
        return ("If you need to refund anything, my IBAN is {}.".format(pii.iban()),
                "Refunds always go back to the original payment method, so there's no need to "
                "send bank details.")
    if kind == "dob":
        return ("Do you need my date of birth for verification? It's {}.".format(
                    pii.dob(pii.birth_date(), cust.country)),
                "No need, the order number is enough to verify you.")
    if kind == "ssn":
        return ("The financing form asked for my SSN, it's {}. Do you need it as well?".format(
                    pii.ssn()),
                "No, please never share your SSN in chat. Our financing partner collects it "
                "through their secure form.")
    if kind == "cn_id":
        return ("For the fapiao, please put my resident ID {} on the invoice.".format(
                    pii.cn_id(pii.birth_date(1960, 2003))),
                "I've passed this to our billing team for the invoice.")
    raise ValueError(kind)


def _chat(ctx: _Context) -> tuple[str, str]:
    """Title and plain-text transcript of one support chat."""
    r, pii = ctx.rng, ctx.pii
    sc = r.choice(_SCENARIOS)
    p = _PRODUCT_BY_KEY[r.choice(sc.products)]
    slots = _scenario_slots(ctx, sc, p)
    cust = pii.person()
    agent = r.choice(ctx.agents)
    ctx.chat_no += r.randint(1, 29)
    chat_id = f"CHT-{ctx.chat_no}"
    day = ctx.random_day()
    cust_tag = f"Customer ({pii.name(cust)})"
    agent_tag = f"Agent ({pii.name(agent)})"
    minute = r.randint(8 * 60, 19 * 60)
    lines: list[str] = []

    def say(who: str, text: str, gap: int = 1) -> None:
        nonlocal minute
        minute += gap
        lines.append(f"[{minute // 60 % 24:02d}:{minute % 60:02d}] {who}: {text}")

    say(agent_tag, r.choice(_CHAT_GREETINGS), 0)
    opener = r.choice(sc.problems).format_map(slots)
    greeting = r.choice(("hi, ", "Hello. ", "", ""))
    say(cust_tag, greeting + (_lower_first(opener) if greeting == "hi, " else opener),
        r.randint(0, 2))
    say(agent_tag, r.choice(_CHAT_ASK_ID), 1)
    email = pii.email(cust)
    say(cust_tag, r.choice(("Sure, it's {order} and my email is {email}",
                            "Order {order}. The account email is {email}",
                            "{email}, order number {order}")).format(order=slots["order"],
                                                                     email=email),
        r.randint(1, 2))
    say(agent_tag, r.choice(("Thanks, I found the order with the {product}.",
                             "Thank you. I can see your {product} ({sku}) on firmware {fw}.",
                             "Thanks for confirming. One moment while I check the {short}."
                             )).format_map(slots), r.randint(1, 2))
    say(agent_tag, r.choice(("Here's what to do: ", "", "OK, so: ", "Good news, this is easy to "
                             "fix. ")) + slots["answer"], r.randint(1, 3))
    roll = r.random()
    n_leaks = 1 if roll < 0.4 else (2 if roll < 0.85 else 3)
    for kind in _extras_for(ctx, sc, cust, n_leaks, ("phone", "card", "address")):
        c_line, a_line = _chat_leak(ctx, kind, cust)
        say(cust_tag, c_line, r.randint(1, 3))
        say(agent_tag, a_line, 1)
    say(cust_tag, r.choice(_CHAT_THANKS), r.randint(1, 4))
    closing = r.choice(_CHAT_CLOSINGS)
    if r.random() < 0.35:
        closing += " For future reference: " + _ans("support_hours")
    say(agent_tag, closing, 1)
    title = f"Chat transcript {chat_id}"
    header = (f"Date: {day.isoformat()} | Channel: {r.choice(('web chat', 'in-app chat'))} | "
              f"Topic: {r.choice(sc.subjects).format_map(slots)}")
    text = f"{title}\n{'=' * len(title)}\n{header}\n\n" + "\n".join(lines) + "\n"
    return title, text


# ---------------------------------------------------------------------------
# Manual sections
# ---------------------------------------------------------------------------

_Block = tuple[str, object]  # ("p", str) | ("steps", list[str]) | ("specs", list[(k, v)])


def _m_install(ctx: _Context, p: Product) -> list[_Block]:
    pair = _FACT_BY_KEY["pairing"].answer
    if p.key in ("meter", "gateway", "battery"):
        steps = ["Switch off the main breaker and confirm the circuit is dead with a tester.",
                 f"Mount the {p.short} using the supplied hardware ({p.parts[-1][0]}).",
                 "Connect the conductors as shown on the terminal label and torque to 2.5 Nm.",
                 "Restore power and wait until the status light pulses blue.",
                 pair]
        return [("p", _ans("electrician")), ("steps", steps),
                ("p", f"Record the serial number (for example {ctx.serial(p)}) in the "
                      "commissioning report.")]
    if p.key == "thermostat":
        return [("p", "Switch off the heating system at the breaker before removing your old "
                      "thermostat."),
                ("steps", ["Label the existing wires and remove the old unit.",
                           "Fit the wall plate LM-PN-3300-18W and connect the wires to the "
                           "matching terminals.",
                           _ans("thermostat_cwire"),
                           "Clip the Thermostat T3 onto the wall plate and restore power.",
                           pair])]
    if p.key == "plug":
        return [("p", f"The {p.name} fits Type F sockets out of the box; a Type G insert "
                      "(LM-PN-2210-11G) is available for UK sockets."),
                ("steps", ["Plug the SmartPlug into a wall socket, not into an extension lead.",
                           "Wait for the LED to blink blue.", pair]),
                ("p", _ans("plug_load"))]
    return [("p", "Place the hub centrally in your home, at least 1 m above the floor and away "
                  "from large metal objects."),
            ("steps", [f"Connect the 12 V adapter ({p.parts[0][0]}) and, optionally, an Ethernet "
                       "cable.", "Wait until the ring light pulses blue.", pair]),
            ("p", _ans("hub_capacity"))]


def _m_pairing(ctx: _Context, p: Product) -> list[_Block]:
    blocks: list[_Block] = [("p", f"Before pairing, update the Lumora app and keep your phone "
                                  f"close to the {p.short}."),
                            ("steps", list(_FACT_BY_KEY["pairing"].steps)),
                            ("p", _ans("pairing")),
                            ("p", _ans("wifi"))]
    if p.key == "hub":
        blocks.append(("p", _ans("hub_capacity")))
    elif p.key != "battery":
        blocks.append(("p", _ans("e101")))
    return blocks


def _m_reset(ctx: _Context, p: Product) -> list[_Block]:
    key = {"hub": "hub_reset", "plug": "plug_reset", "thermostat": "thermostat_reset"}[p.key]
    fact = _FACT_BY_KEY[key]
    return [("p", "A factory reset removes the device from your account and erases schedules, "
                  "automations and Wi-Fi credentials. Firmware is not downgraded."),
            ("p", fact.answer),
            ("steps", list(fact.steps)),
            ("p", "After the reset, add the device again. " + _ans("pairing"))]


def _m_troubleshooting(ctx: _Context, p: Product) -> list[_Block]:
    codes = {"hub": ["e204"], "plug": ["e101", "e204"], "thermostat": ["e101", "e310", "e204"],
             "meter": ["e101", "e402", "e204"], "gateway": ["e515", "e204"],
             "battery": ["e620", "e204"]}[p.key]
    blocks: list[_Block] = [("p", f"The {p.short} reports problems in the Lumora app under "
                                  "Device > Diagnostics. The most common codes are:")]
    blocks.append(("steps", [_FACT_BY_KEY[c].answer for c in codes]))
    blocks.append(("p", "If a code persists, note it together with the firmware version "
                        f"(currently {p.firmware}) and contact support. " + _ans("support_hours")))
    return blocks


def _m_firmware(ctx: _Context, p: Product) -> list[_Block]:
    r = ctx.rng
    notes = r.sample(["Improved Wi-Fi reconnection after router restarts.",
                      "Fixed a rare crash when a schedule was edited offline.",
                      "Reduced standby power consumption.",
                      "Added support for Thread 1.3 border routers.",
                      "Faster pairing with the Lumora app.",
                      "Security fixes (no user action required).",
                      "More accurate energy totals after daylight saving changes."], 3)
    return [("p", _ans("firmware_window")),
            ("p", f"Release notes for firmware {p.firmware} (build {ctx.commit()}, released "
                  f"{ctx.random_day().isoformat()}), replacing {p.previous_firmware}:"),
            ("steps", notes),
            ("p", _ans("e204")),
            ("p", f"Full commit: {ctx.commit(long=True)}.")]


def _m_specs(ctx: _Context, p: Product) -> list[_Block]:
    rows = [("SKU", p.sku), ("Price", f"{p.price} (EU store)"), ("Firmware", p.firmware),
            ("Launched", p.release_date)] + list(p.specs)
    parts = [(pn, desc) for pn, desc in p.parts]
    blocks: list[_Block] = [("specs", rows), ("p", "Spare parts:"),
                            ("steps", [f"{pn}: {desc}" for pn, desc in parts])]
    extra = {"battery": "battery_spec", "meter": "meter_sampling", "plug": "plug_load",
             "hub": "hub_capacity", "thermostat": "thermostat_cwire", "gateway": "e515"}[p.key]
    blocks.append(("p", _ans(extra)))
    return blocks


def _m_safety(ctx: _Context, p: Product) -> list[_Block]:
    lines = ["Read these instructions before installing or using the device and keep them for "
             "future reference.",
             "Do not open the housing; there are no user-serviceable parts inside.",
             "Use the device indoors only unless the enclosure rating says otherwise."]
    if p.key == "battery":
        lines.append("Keep at least 20 cm of clearance around the unit and do not cover the "
                     "vents. " + _ans("e620"))
    if p.key == "plug":
        lines.append("Do not plug SmartPlugs into each other or into extension leads. "
                     + _ans("plug_load"))
    if p.key in ("meter", "gateway", "battery"):
        lines.append(_ans("electrician"))
    return [("steps", lines)]


def _m_warranty(ctx: _Context, p: Product) -> list[_Block]:
    blocks: list[_Block] = [("p", _ans("warranty")), ("p", _ans("advance_replacement")),
                            ("p", _ans("lumora_care"))]
    if p.key in ("meter", "gateway", "battery"):
        blocks.append(("p", _ans("electrician")))
    blocks.append(("p", f"Have the SKU ({p.sku}) and your order number ready when you contact "
                        "support."))
    return blocks


def _m_measurement(ctx: _Context, p: Product) -> list[_Block]:
    return [("p", _ans("meter_sampling")),
            ("p", "The display cycles through live power, today's import and today's export. "
                  "Long-press the button to show the firmware version."),
            ("p", _ans("data_retention")),
            ("p", _ans("e402"))]


def _m_backup(ctx: _Context, p: Product) -> list[_Block]:
    return [("p", _ans("battery_spec")), ("p", _ans("battery_backup")),
            ("steps", ["Choose which circuits to back up during installation.",
                       "Set the backup reserve (default 20 %) in the app under Storage > "
                       "Backup reserve.",
                       "Test the switchover once a year with your installer."]),
            ("p", _ans("e515"))]


def _m_offline(ctx: _Context, p: Product) -> list[_Block]:
    return [("p", _ans("hub_offline")),
            ("p", "Remote access from the app and firmware updates need the internet and resume "
                  "automatically when the connection returns."),
            ("p", _ans("firmware_window"))]


_MANUAL_SECTIONS: dict[str, tuple[tuple[str, Callable[[_Context, Product], list[_Block]]], ...]] = {
    "hub": (("Installation", _m_install), ("Pairing with the Lumora app", _m_pairing),
            ("Factory reset", _m_reset), ("Offline operation", _m_offline),
            ("Troubleshooting and error codes", _m_troubleshooting),
            ("Firmware updates", _m_firmware), ("Technical specifications", _m_specs),
            ("Warranty and service", _m_warranty)),
    "plug": (("Getting started", _m_install), ("Pairing with the Lumora app", _m_pairing),
             ("Factory reset", _m_reset), ("Troubleshooting and error codes", _m_troubleshooting),
             ("Technical specifications", _m_specs), ("Safety information", _m_safety)),
    "thermostat": (("Installation", _m_install), ("Pairing with the Lumora app", _m_pairing),
                   ("Factory reset", _m_reset),
                   ("Troubleshooting and error codes", _m_troubleshooting),
                   ("Firmware updates", _m_firmware), ("Technical specifications", _m_specs)),
    "meter": (("Installation", _m_install), ("Measurement and data", _m_measurement),
              ("Troubleshooting and error codes", _m_troubleshooting),
              ("Technical specifications", _m_specs), ("Safety information", _m_safety),
              ("Warranty and service", _m_warranty)),
    "gateway": (("Installation", _m_install), ("Backup and storage", _m_backup),
                ("Troubleshooting and error codes", _m_troubleshooting),
                ("Firmware updates", _m_firmware), ("Technical specifications", _m_specs)),
    "battery": (("Installation", _m_install), ("Backup power", _m_backup),
                ("Troubleshooting and error codes", _m_troubleshooting),
                ("Safety information", _m_safety), ("Technical specifications", _m_specs),
                ("Warranty and service", _m_warranty)),
}
_MANUAL_COMBOS: tuple[tuple[str, int], ...] = tuple(
    (p.key, i) for p in PRODUCTS for i in range(len(_MANUAL_SECTIONS[p.key])))


def _manual_section(ctx: _Context, order: list[tuple[str, int]], idx: int
                    ) -> tuple[str, str, list[_Block]]:
    """(product name, section title, blocks) for the idx-th manual document."""
    r = ctx.rng
    pkey, si = order[idx % len(order)]
    p = _PRODUCT_BY_KEY[pkey]
    section, fn = _MANUAL_SECTIONS[pkey][si]
    meta = (f"Document LM-DOC-{p.serial_prefix}-{si + 1:02d}, revision {r.choice('ABCDEF')}"
            f"{'' if idx < len(order) else str(idx // len(order))}. Applies to {p.name} "
            f"({p.sku}) with firmware {p.firmware} or later.")
    return p.name, section, [("p", meta)] + fn(ctx, p)


def _blocks_text(blocks: list[_Block], numbered: str) -> str:
    """Markdown/plain rendering of manual or policy blocks."""
    out = []
    for kind, value in blocks:
        if kind == "p":
            out.append(str(value))
        elif kind == "steps":
            out.append("\n".join(numbered.format(i=i + 1, s=s) for i, s in enumerate(value)))  # type: ignore[arg-type]
        elif kind == "bullets":
            out.append("\n".join(f"- {s}" for s in value))  # type: ignore[union-attr]
        elif kind == "specs":
            out.append("\n".join(f"- {k}: {v}" for k, v in value))  # type: ignore[misc]
    return "\n\n".join(out)


def _manual_markdown(product: str, section: str, blocks: list[_Block]) -> str:
    return f"# {product} manual: {section}\n\n{_blocks_text(blocks, '{i}. {s}')}\n"


def _manual_txt(product: str, section: str, blocks: list[_Block]) -> str:
    title = f"{product} manual: {section}"
    return f"{title}\n{'=' * len(title)}\n\n{_blocks_text(blocks, '{i}) {s}')}\n"


# ---------------------------------------------------------------------------
# HR / IT policies
# ---------------------------------------------------------------------------

_Section = tuple[str, list[_Block]]


def _contact_line(ctx: _Context, office: str, role: str) -> str:
    if role == "hr":
        p = ctx.hr_partners[office]
        who = f"the HR partner for {office}"
    elif role == "it":
        p = ctx.rng.choice(ctx.it_contacts)
        who = "the IT security lead"
    else:
        p = ctx.rng.choice(ctx.finance_contacts)
        who = "the travel and expenses coordinator"
    template = ctx.rng.choice(("Contact {who}, {contact}.", "Questions? Ask {who}: {contact}.",
                               "Your contact is {who}, {contact}."))
    return template.format(who=who, contact=ctx.staff_contact(p, office))


def _employee_record(ctx: _Context, office: str, country: str) -> list[str]:
    """Worked-example payroll record; every value planted."""
    r, pii = ctx.rng, ctx.pii
    emp = pii.person(country=country)
    born = pii.birth_date(1962, 2002)
    rows = [f"Employee: {pii.name(emp)} (employee no. E-{r.randint(10000, 39999)})",
            f"Date of birth: {pii.dob(born, country)}",
            f"Home address: {pii.address(country, office if r.random() < 0.7 else None)}",
            f"Mobile: {pii.phone(country)}"]
    if country == "US":
        rows.append(f"Social Security number: {pii.ssn()}")
        if r.random() < 0.5:  # seconded staff keep a euro salary account
            rows.append(f"Salary account (IBAN, secondment to Berlin): {pii.iban('DE')}")
    elif country == "CN":
        rows.append(f"Resident identity card: {pii.cn_id(born)}")
    else:
        rows.append(f"Salary account (IBAN): {pii.iban(country)}")
        if r.random() < 0.25:
            rows.append(f"US Social Security number (US citizen, for IRS filing): {pii.ssn()}")
    rows.append(f"Personal e-mail for payslips: {pii.email(emp)}")
    return rows


def _pol_leave(ctx: _Context, office: str, country: str) -> tuple[str, list[_Section]]:
    return "Annual leave and absence policy", [
        ("Purpose", [("p", "This policy explains how much time off you have and how to request "
                           "it in the HR portal. It applies to all permanent employees.")]),
        ("Vacation", [("p", _ans("vacation")),
                      ("p", "Request leave at least two weeks in advance for periods longer "
                            "than five days.")]),
        ("Sick leave", [("p", "Tell your manager before 10:00 on the first day of absence. "
                              + _ans("sick_leave"))]),
        ("Parental leave", [("p", _ans("parental_leave"))]),
        ("Contacts", [("p", _contact_line(ctx, office, "hr"))]),
    ]


def _pol_travel(ctx: _Context, office: str, country: str) -> tuple[str, list[_Section]]:
    return "Travel and expense policy", [
        ("Scope", [("p", "Applies to all business travel booked by or for Lumora employees and "
                         "contractors.")]),
        ("Meals", [("p", _ans("expense_meals"))]),
        ("Accommodation", [("p", _ans("expense_hotel")),
                           ("p", "Book through the travel portal so the negotiated rates apply.")]),
        ("Submitting claims", [("p", _ans("expense_deadline")),
                               ("bullets", ["Attach a receipt per item.",
                                            "Add the project code, for example PRJ-2024-031.",
                                            "Mileage is paid at EUR 0.30 per km."])]),
        ("Contacts", [("p", _contact_line(ctx, office, "finance"))]),
    ]


def _pol_remote(ctx: _Context, office: str, country: str) -> tuple[str, list[_Section]]:
    return "Remote and hybrid work policy", [
        ("Eligibility", [("p", _ans("remote_work"))]),
        ("Security at home", [("p", _ans("vpn")), ("p", _ans("usb"))]),
        ("Equipment", [("p", "You may order a monitor, keyboard and chair for your home office "
                             "once, up to EUR 600, through the IT portal.")]),
        ("Contacts", [("p", _contact_line(ctx, office, "hr"))]),
    ]


def _pol_it(ctx: _Context, office: str, country: str) -> tuple[str, list[_Section]]:
    return "IT acceptable use policy", [
        ("Accounts and authentication", [("p", _ans("mfa")), ("p", _ans("password"))]),
        ("Network access", [("p", _ans("vpn"))]),
        ("Removable media", [("p", _ans("usb"))]),
        ("Lost or stolen devices", [("p", _ans("lost_laptop"))]),
        ("Getting help", [("p", _ans("service_desk")),
                          ("p", _contact_line(ctx, office, "it"))]),
    ]


def _pol_incident(ctx: _Context, office: str, country: str) -> tuple[str, list[_Section]]:
    return "Information security incident procedure", [
        ("What counts as an incident", [("bullets", [
            "Phishing e-mails you clicked or replied to.",
            "Customer data sent to the wrong recipient.",
            "Malware warnings on a company device.",
            "Lost or stolen laptops, phones or badges."])]),
        ("Reporting", [("p", _ans("incident"))]),
        ("Lost devices", [("p", _ans("lost_laptop"))]),
        ("Contacts", [("p", _contact_line(ctx, office, "it"))]),
    ]


def _pol_payroll(ctx: _Context, office: str, country: str) -> tuple[str, list[_Section]]:
    return "Payroll and benefits guide", [
        ("Pay dates", [("p", _ans("payroll_day") + " Payslips are published in the HR portal two "
                                                   "working days before payment.")]),
        ("Bank details", [("p", "Salaries are paid by bank transfer to an account in your name. "
                                "Update your bank details in the HR portal before the 10th so "
                                "the change applies to the same month.")]),
        ("Worked example", [("p", f"The record below belongs to an employee in our {office} "
                                  "office and shows which fields payroll needs:"),
                            ("bullets", _employee_record(ctx, office, country))]),
        ("Learning budget", [("p", _ans("learning_budget"))]),
        ("Contacts", [("p", _contact_line(ctx, office, "hr"))]),
    ]


def _pol_onboarding(ctx: _Context, office: str, country: str) -> tuple[str, list[_Section]]:
    r, pii = ctx.rng, ctx.pii
    emergency = pii.person(country=country)
    record = _employee_record(ctx, office, country)
    record.append(f"Emergency contact: {pii.name(emergency)}, {pii.phone(country)}")
    return "New starter onboarding guide", [
        ("Before day one", [("p", "IT ships your laptop to your home address a week before you "
                                  "start. " + _ans("mfa"))]),
        ("Probation", [("p", _ans("probation"))]),
        ("Your first week", [("bullets", ["Meet your buddy and your HR partner.",
                                          "Complete the security training (about 45 minutes).",
                                          "Read the IT acceptable use policy."]),
                             ("p", _ans("vpn"))]),
        ("New starter record", [("p", "HR fills in this record for every new starter; example:"),
                                ("bullets", record)]),
        ("Contacts", [("p", _contact_line(ctx, office, "hr"))]),
    ]


def _pol_parental(ctx: _Context, office: str, country: str) -> tuple[str, list[_Section]]:
    return "Parental leave guide", [
        ("Entitlement", [("p", _ans("parental_leave"))]),
        ("Planning your leave", [("p", "Tell your manager and HR partner at least 8 weeks before "
                                       "your leave starts.")]),
        ("Pay during leave", [("p", _ans("payroll_day"))]),
        ("Returning to work", [("p", _ans("remote_work"))]),
        ("Contacts", [("p", _contact_line(ctx, office, "hr"))]),
    ]


_POLICIES = (_pol_leave, _pol_it, _pol_payroll, _pol_travel, _pol_incident, _pol_remote,
             _pol_onboarding, _pol_parental)


def _policy(ctx: _Context, idx: int) -> tuple[str, str, list[_Section]]:
    """(title, meta line, sections) for the idx-th policy document."""
    r = ctx.rng
    office, country, _ = _OFFICES[r.randrange(len(_OFFICES))]
    title, sections = _POLICIES[idx % len(_POLICIES)](ctx, office, country)
    if idx >= len(_POLICIES) or r.random() < 0.3:
        title = f"{title} ({office})"
    meta = (f"Policy owner: {'IT' if 'IT' in title or 'security' in title else 'People team'} · "
            f"Version {r.randint(1, 5)}.{r.randint(0, 9)} · Effective "
            f"{date(2024, r.randint(1, 12), 1).isoformat()}")
    return title, meta, sections


def _policy_txt(title: str, meta: str, sections: list[_Section]) -> str:
    body = "\n\n".join(f"## {h}\n\n{_blocks_text(b, '{i}. {s}')}" for h, b in sections)
    return f"{title}\n{'=' * len(title)}\n\n{meta}\n\n{body}\n"


def _html_blocks(blocks: list[_Block]) -> list[str]:
    out = []
    for kind, value in blocks:
        if kind == "p":
            out.append(f"<p>{_esc(str(value))}</p>")
        elif kind in ("bullets", "steps"):
            tag = "ol" if kind == "steps" else "ul"
            out.append(f"<{tag}>" + "".join(f"<li>{_esc(s)}</li>" for s in value)  # type: ignore[union-attr]
                       + f"</{tag}>")
    return out


def _policy_html(ctx: _Context, title: str, meta: str, sections: list[_Section]) -> str:
    lines = ["<!DOCTYPE html>", '<html lang="en">',
             f"<head><meta charset=\"utf-8\"><title>{_esc(title)} - Lumora intranet</title>",
             f"<script>var _paq=_paq||[];_paq.push(['trackPageView']);_paq.push(['setSiteId','"
             f"{ctx.rng.randint(2, 9)}']);</script>",
             "</head>", "<body>",
             '<div class="intranet-nav">People · IT · Finance · <a href="/search">Search</a> · '
             '<a href="/logout">Log out</a></div>',
             f"<h1>{_esc(title)}</h1>", f'<p class="meta">{_esc(meta)}</p>']
    for heading, blocks in sections:
        lines.append(f"<h2>{_esc(heading)}</h2>")
        lines.extend(_html_blocks(blocks))
    lines += ["<footer>Internal - do not forward outside Lumora.</footer>", "</body>", "</html>"]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------


class _Writer:
    """Writes files with explicit UTF-8 / LF and counts documents per kind and format."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files: list[str] = []
        self.doc_counts: dict[str, int] = {}

    def _count(self, kind: str, fmt: str, n: int) -> None:
        key = f"{kind}/{fmt}"
        self.doc_counts[key] = self.doc_counts.get(key, 0) + n

    def text(self, kind: str, name: str, content: str) -> None:
        rel = f"{KIND_DIRS[kind]}/{name}"
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8"))
        self.files.append(rel)
        self._count(kind, name.rsplit(".", 1)[1], 1)

    def jsonl(self, kind: str, name: str, records: Sequence[dict[str, str]]) -> None:
        content = "".join(json.dumps(rec, ensure_ascii=False) + "\n" for rec in records)
        rel = f"{KIND_DIRS[kind]}/{name}"
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8"))
        self.files.append(rel)
        self._count(kind, "jsonl", len(records))

    def csv(self, kind: str, name: str, rows: Sequence[dict[str, str]]) -> None:
        buf = io.StringIO(newline="")
        writer = csv.DictWriter(buf, fieldnames=list(TICKET_FIELDS), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        rel = f"{KIND_DIRS[kind]}/{name}"
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(buf.getvalue().encode("utf-8"))
        self.files.append(rel)
        self._count(kind, "csv", len(rows))


def _chunks(items: list[dict[str, str]], size: int) -> list[list[dict[str, str]]]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def _allocate(n_docs: int) -> dict[str, int]:
    """Split n_docs over kinds by KIND_SHARES (largest remainder, exact total)."""
    total = sum(w for _, w in KIND_SHARES)
    counts = {k: n_docs * w // total for k, w in KIND_SHARES}
    rest = n_docs - sum(counts.values())
    order = sorted(range(len(KIND_SHARES)),
                   key=lambda i: (-(n_docs * KIND_SHARES[i][1] % total), i))
    for i in order[:rest]:
        counts[KIND_SHARES[i][0]] += 1
    return counts


def _remove_stale_outputs(out_dir: Path) -> None:
    """Delete files a previous run generated, so re-running never leaves extra documents.

    Only files directly inside the kind folders and matching the generator's own
    ``<slug>-NNNN.<ext>`` naming are touched; anything else (e.g. hand-made
    ``incoming_bad/`` samples) survives.
    """
    for sub in sorted(set(KIND_DIRS.values())):
        folder = out_dir / sub
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if path.is_file() and _GENERATED_NAME.match(path.name):
                path.unlink()


def _record(doc_id: str, title: str, doc_type: str, text: str) -> dict[str, str]:
    return {"doc_id": doc_id, "title": title, "doc_type": doc_type, "text": text}


def _write_faqs(ctx: _Context, w: _Writer, count: int) -> None:
    n_files = min(count, MAX_FILES_PER_KIND)
    records = []
    for i in range(count):
        title, qas = _faq_page(ctx, i)
        if i < n_files:
            fmt = "html" if i % 3 == 2 else "md"
            body = _faq_html(ctx, title, qas) if fmt == "html" else _faq_markdown(title, qas)
            w.text("faq", f"{_slug(title)}-{i + 1:04d}.{fmt}", body)
        else:
            records.append(_record(f"FAQ-{i + 1:06d}", title, "faq", _faq_markdown(title, qas)))
    for k, chunk in enumerate(_chunks(records, ROWS_PER_FILE)):
        w.jsonl("faq", f"faq-archive-{k + 1:04d}.jsonl", chunk)


def _write_tickets(ctx: _Context, w: _Writer, count: int) -> None:
    tickets = [_ticket(ctx) for _ in range(count)]
    n_csv = count * 2 // 5
    as_jsonl, as_csv = tickets[: count - n_csv], tickets[count - n_csv:]
    for k, chunk in enumerate(_chunks(as_jsonl, ROWS_PER_FILE)):
        w.jsonl("ticket", f"tickets-2024-part-{k + 1:04d}.jsonl", chunk)
    for k, chunk in enumerate(_chunks(as_csv, ROWS_PER_FILE)):
        w.csv("ticket", f"helpdesk-export-{k + 1:04d}.csv", chunk)


def _write_manuals(ctx: _Context, w: _Writer, count: int) -> None:
    n_files = min(count, MAX_FILES_PER_KIND)
    order = list(_MANUAL_COMBOS)
    ctx.rng.shuffle(order)
    records = []
    for i in range(count):
        product, section, blocks = _manual_section(ctx, order, i)
        md = _manual_markdown(product, section, blocks)
        if i < n_files:
            slug = _slug(f"{product} {section}")
            if i % 2:
                w.text("manual", f"{slug}-{i + 1:04d}.txt", _manual_txt(product, section, blocks))
            else:
                w.text("manual", f"{slug}-{i + 1:04d}.md", md)
        else:
            records.append(_record(f"MAN-{i + 1:06d}", f"{product} manual: {section}", "manual",
                                   md))
    for k, chunk in enumerate(_chunks(records, ROWS_PER_FILE)):
        w.jsonl("manual", f"manuals-archive-{k + 1:04d}.jsonl", chunk)


def _write_policies(ctx: _Context, w: _Writer, count: int) -> None:
    n_files = min(count, MAX_FILES_PER_KIND)
    records = []
    for i in range(count):
        title, meta, sections = _policy(ctx, i)
        if i < n_files:
            slug = _slug(title)
            if i % 5 in (1, 3):
                w.text("policy", f"{slug}-{i + 1:04d}.html",
                       _policy_html(ctx, title, meta, sections))
            else:
                w.text("policy", f"{slug}-{i + 1:04d}.txt", _policy_txt(title, meta, sections))
        else:
            records.append(_record(f"POL-{i + 1:06d}", title, "policy",
                                   _policy_txt(title, meta, sections)))
    for k, chunk in enumerate(_chunks(records, ROWS_PER_FILE)):
        w.jsonl("policy", f"policies-archive-{k + 1:04d}.jsonl", chunk)


def _write_chats(ctx: _Context, w: _Writer, count: int) -> None:
    n_files = min(count, MAX_FILES_PER_KIND)
    records = []
    for i in range(count):
        title, text = _chat(ctx)
        if i < n_files:
            w.text("chat", f"chat-{i + 1:04d}.txt", text)
        else:
            records.append(_record(title.rsplit(" ", 1)[1], title, "chat", text))
    for k, chunk in enumerate(_chunks(records, ROWS_PER_FILE)):
        w.jsonl("chat", f"chats-archive-{k + 1:04d}.jsonl", chunk)


def generate_corpus(out_dir: Path, n_docs: int = 180, seed: int = 7) -> CorpusManifest:
    """Write a seeded Lumora Systems corpus of exactly ``n_docs`` documents into ``out_dir``.

    Layout: ``faq/`` (.md, .html, overflow .jsonl), ``tickets/`` (.jsonl, .csv),
    ``manuals/`` (.md, .txt, overflow .jsonl), ``policies/`` (.txt, .html,
    overflow .jsonl), ``chats/`` (.txt, overflow .jsonl). Files from an earlier
    run are replaced; unrelated files are left alone. The manifest is returned,
    never written into ``out_dir`` (that folder is ingested as raw data); use
    :func:`write_manifest` to store it elsewhere.
    """
    if n_docs < 0:
        raise ValueError("n_docs must be >= 0")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    _remove_stale_outputs(out_dir)
    ctx = _Context(seed)
    writer = _Writer(out_dir)
    counts = _allocate(n_docs)
    _write_faqs(ctx, writer, counts["faq"])
    _write_tickets(ctx, writer, counts["ticket"])
    _write_manuals(ctx, writer, counts["manual"])
    _write_policies(ctx, writer, counts["policy"])
    _write_chats(ctx, writer, counts["chat"])
    return CorpusManifest(
        n_docs=n_docs,
        files=sorted(writer.files),
        planted_pii=ctx.pii.snapshot(),
        facts=[(f.question, f.answer) for f in FACTS],
        seed=seed,
        doc_counts=dict(sorted(writer.doc_counts.items())),
    )
