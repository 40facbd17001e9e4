"""Product-manual sections (installation, pairing, reset, troubleshooting, specs, ...), one
section per document, as Markdown or plain text."""

from __future__ import annotations

from typing import Callable

from llmops.sample.catalog import FACT_BY_KEY, PRODUCT_BY_KEY, PRODUCTS, Product, ans
from llmops.sample.context import Context
from llmops.sample.markup import Block, blocks_text


def _m_install(ctx: Context, p: Product) -> list[Block]:
    pair = FACT_BY_KEY["pairing"].answer
    if p.key in ("meter", "gateway", "battery"):
        steps = ["Switch off the main breaker and confirm the circuit is dead with a tester.",
                 f"Mount the {p.short} using the supplied hardware ({p.parts[-1][0]}).",
                 "Connect the conductors as shown on the terminal label and torque to 2.5 Nm.",
                 "Restore power and wait until the status light pulses blue.",
                 pair]
        return [("p", ans("electrician")), ("steps", steps),
                ("p", f"Record the serial number (for example {ctx.serial(p)}) in the "
                      "commissioning report.")]
    if p.key == "thermostat":
        return [("p", "Switch off the heating system at the breaker before removing your old "
                      "thermostat."),
                ("steps", ["Label the existing wires and remove the old unit.",
                           "Fit the wall plate LM-PN-3300-18W and connect the wires to the "
                           "matching terminals.",
                           ans("thermostat_cwire"),
                           "Clip the Thermostat T3 onto the wall plate and restore power.",
                           pair])]
    if p.key == "plug":
        return [("p", f"The {p.name} fits Type F sockets out of the box; a Type G insert "
                      "(LM-PN-2210-11G) is available for UK sockets."),
                ("steps", ["Plug the SmartPlug into a wall socket, not into an extension lead.",
                           "Wait for the LED to blink blue.", pair]),
                ("p", ans("plug_load"))]
    return [("p", "Place the hub centrally in your home, at least 1 m above the floor and away "
                  "from large metal objects."),
            ("steps", [f"Connect the 12 V adapter ({p.parts[0][0]}) and, optionally, an Ethernet "
                       "cable.", "Wait until the ring light pulses blue.", pair]),
            ("p", ans("hub_capacity"))]


def _m_pairing(ctx: Context, p: Product) -> list[Block]:
    blocks: list[Block] = [("p", f"Before pairing, update the Lumora app and keep your phone "
                                 f"close to the {p.short}."),
                           ("steps", list(FACT_BY_KEY["pairing"].steps)),
                           ("p", ans("pairing")),
                           ("p", ans("wifi"))]
    if p.key == "hub":
        blocks.append(("p", ans("hub_capacity")))
    elif p.key != "battery":
        blocks.append(("p", ans("e101")))
    return blocks


def _m_reset(ctx: Context, p: Product) -> list[Block]:
    key = {"hub": "hub_reset", "plug": "plug_reset", "thermostat": "thermostat_reset"}[p.key]
    fact = FACT_BY_KEY[key]
    return [("p", "A factory reset removes the device from your account and erases schedules, "
                  "automations and Wi-Fi credentials. Firmware is not downgraded."),
            ("p", fact.answer),
            ("steps", list(fact.steps)),
            ("p", "After the reset, add the device again. " + ans("pairing"))]


def _m_troubleshooting(ctx: Context, p: Product) -> list[Block]:
    codes = {"hub": ["e204"], "plug": ["e101", "e204"], "thermostat": ["e101", "e310", "e204"],
             "meter": ["e101", "e402", "e204"], "gateway": ["e515", "e204"],
             "battery": ["e620", "e204"]}[p.key]
    blocks: list[Block] = [("p", f"The {p.short} reports problems in the Lumora app under "
                                 "Device > Diagnostics. The most common codes are:")]
    blocks.append(("steps", [FACT_BY_KEY[c].answer for c in codes]))
    blocks.append(("p", "If a code persists, note it together with the firmware version "
                        f"(currently {p.firmware}) and contact support. " + ans("support_hours")))
    return blocks


def _m_firmware(ctx: Context, p: Product) -> list[Block]:
    r = ctx.rng
    notes = r.sample(["Improved Wi-Fi reconnection after router restarts.",
                      "Fixed a rare crash when a schedule was edited offline.",
                      "Reduced standby power consumption.",
                      "Added support for Thread 1.3 border routers.",
                      "Faster pairing with the Lumora app.",
                      "Security fixes (no user action required).",
                      "More accurate energy totals after daylight saving changes."], 3)
    return [("p", ans("firmware_window")),
            ("p", f"Release notes for firmware {p.firmware} (build {ctx.commit()}, released "
                  f"{ctx.random_day().isoformat()}), replacing {p.previous_firmware}:"),
            ("steps", notes),
            ("p", ans("e204")),
            ("p", f"Full commit: {ctx.commit(long=True)}.")]


def _m_specs(ctx: Context, p: Product) -> list[Block]:
    rows = [("SKU", p.sku), ("Price", f"{p.price} (EU store)"), ("Firmware", p.firmware),
            ("Launched", p.release_date)] + list(p.specs)
    parts = [(pn, desc) for pn, desc in p.parts]
    blocks: list[Block] = [("specs", rows), ("p", "Spare parts:"),
                           ("steps", [f"{pn}: {desc}" for pn, desc in parts])]
    extra = {"battery": "battery_spec", "meter": "meter_sampling", "plug": "plug_load",
             "hub": "hub_capacity", "thermostat": "thermostat_cwire", "gateway": "e515"}[p.key]
    blocks.append(("p", ans(extra)))
    return blocks


def _m_safety(ctx: Context, p: Product) -> list[Block]:
    lines = ["Read these instructions before installing or using the device and keep them for "
             "future reference.",
             "Do not open the housing; there are no user-serviceable parts inside.",
             "Use the device indoors only unless the enclosure rating says otherwise."]
    if p.key == "battery":
        lines.append("Keep at least 20 cm of clearance around the unit and do not cover the "
                     "vents. " + ans("e620"))
    if p.key == "plug":
        lines.append("Do not plug SmartPlugs into each other or into extension leads. "
                     + ans("plug_load"))
    if p.key in ("meter", "gateway", "battery"):
        lines.append(ans("electrician"))
    return [("steps", lines)]


def _m_warranty(ctx: Context, p: Product) -> list[Block]:
    blocks: list[Block] = [("p", ans("warranty")), ("p", ans("advance_replacement")),
                           ("p", ans("lumora_care"))]
    if p.key in ("meter", "gateway", "battery"):
        blocks.append(("p", ans("electrician")))
    blocks.append(("p", f"Have the SKU ({p.sku}) and your order number ready when you contact "
                        "support."))
    return blocks


def _m_measurement(ctx: Context, p: Product) -> list[Block]:
    return [("p", ans("meter_sampling")),
            ("p", "The display cycles through live power, today's import and today's export. "
                  "Long-press the button to show the firmware version."),
            ("p", ans("data_retention")),
            ("p", ans("e402"))]


def _m_backup(ctx: Context, p: Product) -> list[Block]:
    return [("p", ans("battery_spec")), ("p", ans("battery_backup")),
            ("steps", ["Choose which circuits to back up during installation.",
                       "Set the backup reserve (default 20 %) in the app under Storage > "
                       "Backup reserve.",
                       "Test the switchover once a year with your installer."]),
            ("p", ans("e515"))]


def _m_offline(ctx: Context, p: Product) -> list[Block]:
    return [("p", ans("hub_offline")),
            ("p", "Remote access from the app and firmware updates need the internet and resume "
                  "automatically when the connection returns."),
            ("p", ans("firmware_window"))]


_MANUAL_SECTIONS: dict[str, tuple[tuple[str, Callable[[Context, Product], list[Block]]], ...]] = {
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
MANUAL_COMBOS: tuple[tuple[str, int], ...] = tuple(
    (p.key, i) for p in PRODUCTS for i in range(len(_MANUAL_SECTIONS[p.key])))


def manual_section(ctx: Context, order: list[tuple[str, int]], idx: int
                   ) -> tuple[str, str, list[Block]]:
    """(product name, section title, blocks) for the idx-th manual document."""
    r = ctx.rng
    pkey, si = order[idx % len(order)]
    p = PRODUCT_BY_KEY[pkey]
    section, fn = _MANUAL_SECTIONS[pkey][si]
    meta = (f"Document LM-DOC-{p.serial_prefix}-{si + 1:02d}, revision {r.choice('ABCDEF')}"
            f"{'' if idx < len(order) else str(idx // len(order))}. Applies to {p.name} "
            f"({p.sku}) with firmware {p.firmware} or later.")
    return p.name, section, [("p", meta)] + fn(ctx, p)


def manual_markdown(product: str, section: str, blocks: list[Block]) -> str:
    return f"# {product} manual: {section}\n\n{blocks_text(blocks, '{i}. {s}')}\n"


def manual_txt(product: str, section: str, blocks: list[Block]) -> str:
    title = f"{product} manual: {section}"
    return f"{title}\n{'=' * len(title)}\n\n{blocks_text(blocks, '{i}) {s}')}\n"
