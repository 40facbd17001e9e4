"""Lumora's company knowledge (products and the facts every document quotes) and the manifest
that records a generated corpus's ground truth."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path


COMPANY = "Lumora Systems"
COMPANY_LEGAL = "Lumora Systems GmbH"
COMPANY_DOMAIN = "lumora.example"


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
PRODUCT_BY_KEY: dict[str, Product] = {p.key: p for p in PRODUCTS}


_KEY_VALUE = re.compile(
    r"(?<![\w-])(?:EUR )?\d(?:[\d.,:]*\d)?(?: ?(?:°C|kWh|kW|kg|ms|GHz|A|V|W|business days|days|years|months|hours|"
    r"minutes|seconds|cycles|mm)\b)?|#[\w-]+|\bLM-[A-Z0-9-]+\b|"
    r"\b[A-Z][\w-]*(?: [A-Z][\w-]*)* > [A-Z][\w ]*?(?: > [A-Z][\w ]*?)*(?=[,.;]| to| on| and)")
# Sample questions the documents do not answer: the answer evaluation expects a refusal.
UNANSWERED: tuple[str, ...] = (
    "Does Lumora offer a student discount?", "Can I pay for my Lumora order with Bitcoin?",
    "Does the Lumora Thermostat T3 work with Apple HomeKit?", "What is the password of the guest Wi-Fi in the office?",
    "How many parking spaces are there at the Lumora headquarters?", "Does Lumora sell chargers for electric cars?",
    "What was Lumora's annual revenue last year?", "Can I buy a Lumora gift card for a friend?",
    "Is there a Lumora store in Tokyo?", "How do I join the company football team?",
    "What is the dress code in the Lumora offices?", "Do Lumora employees get stock options?",
    "Is there a referral bonus for recommending Lumora to a friend?", "How do I collect Lumora loyalty points?",
)


@dataclass(frozen=True)
class Fact:
    """A company fact; ``answer`` is the canonical wording used everywhere."""

    key: str
    topic: str
    question: str
    answer: str
    variants: tuple[str, ...] = ()
    steps: tuple[str, ...] = ()
    facts: tuple[str, ...] = ()  # what a correct answer states, when ``key_facts`` cannot read it off ``answer``
    yes_no: str = ""  # the expected answer to ``question`` (not its variants) when it is a yes/no question

    @property
    def key_facts(self) -> tuple[str, ...]:
        """What a correct answer must state (the answer evaluation's ``facts``): ``facts``, else the
        answer's figures with their units, channels, menu paths and product codes."""
        return self.facts or tuple(dict.fromkeys(m.group(0).strip() for m in _KEY_VALUE.finditer(self.answer)))


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
         ("Do I need an electrician to install my Lumora energy devices?",),
         facts=("certified electrician",), yes_no="no"),
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
         ("How do I share large files with a colleague?",), facts=("blocked", "LumoraDrive"), yes_no="no"),
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
FACT_BY_KEY: dict[str, Fact] = {f.key: f for f in FACTS}


def ans(*keys: str) -> str:
    """Canonical answers joined into one passage."""
    return " ".join(FACT_BY_KEY[k].answer for k in keys)


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
