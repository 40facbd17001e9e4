"""Helpdesk tickets: one row of ``TICKET_FIELDS`` per support scenario, the description
sometimes leaking the customer's PII."""

from __future__ import annotations

from datetime import date, timedelta

from llmops.sample.catalog import PRODUCT_BY_KEY
from llmops.sample.context import Context
from llmops.sample.people import Person
from llmops.sample.scenarios import SCENARIOS, extras_for, lower_first, scenario_slots


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


def _ticket_extra(ctx: Context, kind: str, cust: Person) -> str:
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


def ticket(ctx: Context) -> dict[str, str]:
    r, pii = ctx.rng, ctx.pii
    sc = r.choice(SCENARIOS)
    p = PRODUCT_BY_KEY[r.choice(sc.products)]
    slots = scenario_slots(ctx, sc, p)
    cust = pii.person()
    ctx.ticket_no += r.randint(1, 41)
    ctx.ticket_day = min(ctx.ticket_day + timedelta(days=r.choice((0, 0, 0, 1))),
                         date(2024, 12, 30))
    description = r.choice(sc.problems).format_map(slots)
    roll = r.random()
    n_extra = 0 if roll < 0.25 else (1 if roll < 0.7 else 2)
    for kind in extras_for(ctx, sc, cust, n_extra):
        description += " " + _ticket_extra(ctx, kind, cust)
    if r.random() < 0.4:
        description = r.choice(("Hello,", "Hi team,", "Hi,", "Good morning,")) + " " + \
            lower_first(description)
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
