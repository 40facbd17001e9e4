"""Support scenarios shared by helpdesk tickets and chat transcripts: the problem, the resolution
that states the canonical facts, and which PII a customer may leak along the way."""

from __future__ import annotations

from dataclasses import dataclass

from llmops.sample.catalog import PRODUCTS, Product, ans
from llmops.sample.context import Context
from llmops.sample.people import Person


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
SCENARIOS: tuple[_Scenario, ...] = (
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
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")


def scenario_slots(ctx: Context, sc: _Scenario, p: Product) -> dict[str, str]:
    r = ctx.rng
    return {
        "product": p.name, "short": p.short, "sku": p.sku, "fw": p.firmware,
        "prev_fw": p.previous_firmware, "order": ctx.order_number(), "serial": ctx.serial(p),
        "n": str(r.randint(3, 14)), "days": str(r.randint(4, 26)),
        "months": str(r.randint(3, 22)), "price": p.price, "weekday": r.choice(_WEEKDAYS),
        "month": r.choice(_MONTH_ABBR), "commit": ctx.commit(), "answer": ans(*sc.facts),
    }


def extras_for(ctx: Context, sc: _Scenario, cust: Person, limit: int,
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


def lower_first(text: str) -> str:
    """Lower-case the first letter after a greeting, except the pronoun "I"."""
    if text.startswith(("I ", "I'")):
        return text
    return text[:1].lower() + text[1:]
