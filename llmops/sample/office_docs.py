"""The office documents of the sample corpus: a Word handbook, an Excel workbook, a PowerPoint
deck, a PDF guide and a support e-mail with a Word attachment.

They show the ingestion readers working on the formats enterprises keep most of their knowledge
in. Like the text kinds, they quote the company facts word for word and plant PII recorded in the
manifest (a footer contact, an installer directory, a presenter, a commissioning record, a
customer's mail and return form). A corpus gets them once it has `OFFICE_MIN_DOCS` documents;
each file counts as one document, an e-mail as one plus one per attachment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable

from llmops.sample.catalog import COMPANY_LEGAL, FACT_BY_KEY, PRODUCT_BY_KEY, PRODUCTS, ans
from llmops.sample.context import Context
from llmops.sample.office import Slide, docx_bytes, eml_bytes, pdf_bytes, pptx_bytes, xlsx_bytes

#: Smaller corpora (unit tests, quick demos) stay plain text.
OFFICE_MIN_DOCS = 100

_INSTALLER_ROWS = 42  # over the readers' 40 rows per table, so the sheet splits
_FIRMS = ("Voltaris", "Sunwise", "Helioform", "GridPoint", "Ampera", "Brightline", "Nordlicht",
          "Solvana", "Kraftwerk", "EcoWatt", "Lumenfield", "Stromkraft")
_FIRM_FORMS = {"DE": "Elektrotechnik GmbH", "GB": "Electrical Ltd", "FR": "Énergie SARL",
               "NL": "Installatietechniek B.V.", "ES": "Instalaciones S.L.", "US": "Electric LLC"}


def _travel_handbook(ctx: Context) -> bytes:
    """Policy handbook: Heading 1/2, a bulleted list, a table with a merged title row, a contact
    in the body and the document owner in the footer."""
    coordinator, owner = ctx.finance_contacts[0], ctx.finance_contacts[1]
    title = "Business travel and expenses handbook"
    blocks = [
        ("h1", title),
        ("p", "Policy owner: Finance · Version 3.0 · Effective 2024-04-01"),
        ("h2", "Scope"),
        ("p", "This handbook applies to all business travel booked by or for Lumora employees and "
              "contractors, in every office."),
        ("h2", "Meals"), ("p", ans("expense_meals")),
        ("h2", "Accommodation"), ("p", ans("expense_hotel")),
        ("p", "Book through the travel portal so the negotiated rates apply."),
        ("h2", "Submitting claims"), ("p", ans("expense_deadline")),
        ("bullets", ["Attach a receipt per item.", "Add the project code, for example PRJ-2024-031.",
                     "Mileage is paid at EUR 0.30 per km."]),
        ("h2", "Limits at a glance"),
        ("table", [["Expense limits from 2024-04-01", None, None],
                   ["Expense", "Limit", "Receipt"],
                   ["Meals", "EUR 60 per day", "for every item above EUR 25"],
                   ["Hotel", "EUR 180 per night", "always"],
                   ["Hotel in London, Paris or New York", "EUR 250 per night", "always"],
                   ["Mileage", "EUR 0.30 per km", "logbook entry"]]),
        ("h2", "Contacts"),
        ("p", f"Questions? Ask the travel and expenses coordinator: "
              f"{ctx.staff_contact(coordinator, 'Berlin')}."),
    ]
    footer = (f"Document owner: {ctx.staff_contact(owner, 'London')} · Internal - do not forward "
              "outside Lumora.")
    return docx_bytes(blocks, title=title, author="Lumora Finance", header=COMPANY_LEGAL,
                      footer=footer)


def _installer_workbook(ctx: Context) -> bytes:
    """Price list and a directory of certified installers (long enough to split into tables)."""
    r, pii = ctx.rng, ctx.pii
    prices = [["SKU", "Product", "Price incl. VAT", "Warranty", "Current firmware", "Released"]]
    prices += [[p.sku, p.name, p.price, f"{p.warranty_years} years", p.firmware, p.release_date]
               for p in PRODUCTS]
    installers = [["Installer", "Company", "Country", "Address", "Phone", "E-mail",
                   "Certified for", "Certificate"]]
    countries = tuple(_FIRM_FORMS)
    for i in range(_INSTALLER_ROWS):
        country = countries[i % len(countries)]
        person = pii.person(country=country)
        installers.append([
            pii.name(person), f"{r.choice(_FIRMS)} {_FIRM_FORMS[country]}", country,
            pii.address(country), pii.phone(country), pii.email(person),
            r.choice(("Energy Meter M5", "Energy Meter M5, Solar Gateway S2",
                      "Solar Gateway S2, Battery B10", "Energy Meter M5, Solar Gateway S2, Battery B10")),
            f"LM-CI-{r.randint(1000, 9999)}",
        ])
    return xlsx_bytes([("Price list", prices), ("Certified installers", installers)],
                      title="Lumora price list and certified installers", author="Lumora Sales Operations")


def _hub_training_deck(ctx: Context) -> bytes:
    """Support training: title slide, two bulleted slides, a table slide; facts in the notes."""
    presenter, lead = ctx.agents[0], ctx.agents[1]
    pairing, reset = FACT_BY_KEY["pairing"].steps, FACT_BY_KEY["hub_reset"].steps
    slides = [
        Slide("Lumora Hub H2: support training",
              subtitle=f"Customer support onboarding, module 2\nPresenter: {ctx.pii.name(presenter)}",
              notes=ans("support_hours", "support_contact")),
        Slide("Pairing a new device",
              bullets=[(0, pairing[0]), (0, pairing[1]), (0, pairing[2]),
                       (1, "The label is on the underside of the hub."), (0, pairing[3])],
              notes=ans("pairing", "wifi")),
        Slide("Factory reset", bullets=[(0, step) for step in reset], notes=ans("hub_reset")),
        Slide("Facts to quote exactly",
              table=[["Topic", "What to tell the customer"], ["Capacity", ans("hub_capacity")],
                     ["No internet", ans("hub_offline")], ["Firmware updates", ans("firmware_window")],
                     ["Warranty", ans("warranty")]],
              notes=f"Escalate unresolved cases to the second-level team lead, "
                    f"{ctx.staff_contact(lead, 'Berlin')}."),
    ]
    return pptx_bytes(slides, title="Lumora Hub H2: support training", author="Lumora Customer Support")


def _battery_guide(ctx: Context) -> bytes:
    """Three-page PDF guide; the commissioning record on the last page names an installer
    (German names and addresses, which Helvetica's character set can show)."""
    pii, p = ctx.pii, PRODUCT_BY_KEY["battery"]
    installer = pii.person(culture="german", country="DE")
    steps = ["Switch off the main breaker and confirm the circuit is dead with a tester.",
             "Fix the floor stand LM-PN-7100-02S and lift the battery onto it with two people.",
             "Connect the DC cables through the DC isolator LM-PN-7100-09D and torque to 2.5 Nm.",
             "Restore power and wait until the status light pulses blue.",
             FACT_BY_KEY["pairing"].answer]
    pages = [
        [("title", f"{p.name} quick installation guide"),
         ("line", f"Document LM-DOC-LB10-QIG-03 · For firmware {p.firmware} · Issued {p.release_date}"),
         ("h", "Before you start"), ("p", ans("electrician")), ("p", ans("battery_spec")),
         ("p", "Check the delivery: battery module, floor stand LM-PN-7100-02S and DC isolator "
               "LM-PN-7100-09D."),
         ("h", "Technical data"), *[("line", f"{key}: {value}") for key, value in p.specs]],
        [("h", "Installation steps"), *[("p", f"{i}. {step}") for i, step in enumerate(steps, 1)],
         ("h", "Backup operation"), ("p", ans("battery_backup")),
         ("h", "Warranty and service"), ("p", ans("warranty")), ("p", ans("e620"))],
        [("h", "Commissioning record"),
         ("p", "The installer fills in this record at commissioning; keep a copy with the unit."),
         ("line", f"Installer: {pii.name(installer)}"),
         ("line", f"Phone: {pii.phone('DE')}"),
         ("line", f"E-mail: {pii.email(installer)}"),
         ("line", f"Site address: {pii.address('DE')}"),
         ("line", f"Serial number: {ctx.serial(p)}"),
         ("line", f"Firmware: {p.firmware}"),
         ("line", f"Commissioned: {ctx.random_day().isoformat()}")],
    ]
    return pdf_bytes(pages, author="Lumora Technical Documentation")


def _return_mail(ctx: Context) -> bytes:
    """A customer's reply to a support agent, with the filled-in return form attached."""
    r, pii, p = ctx.rng, ctx.pii, PRODUCT_BY_KEY["plug"]
    customer, agent = pii.person(), r.choice(ctx.agents)
    ctx.ticket_no += r.randint(1, 41)
    ticket_id, order, serial = f"TCK-{ctx.ticket_no}", ctx.order_number(), ctx.serial(p)
    name, email, phone = pii.name(customer), pii.email(customer), pii.phone(customer.country)
    address, iban, agent_name = pii.address(customer.country), pii.iban(), pii.name(agent)
    day = ctx.random_day()
    sent = datetime(day.year, day.month, day.day, 19, 42, tzinfo=timezone(timedelta(hours=1)))
    form = docx_bytes(
        [("h1", "Lumora return form"), ("p", ans("return_window")),
         ("table", [["Return request", None], ["Ticket", ticket_id], ["Order number", order],
                    ["Product", f"{p.name} ({p.sku})"], ["Serial number", serial], ["Customer", name],
                    ["E-mail", email], ["Phone", phone], ["Pickup address", address],
                    ["Reason", "No longer needed"], ["Refund to (IBAN)", iban]])],
        title="Lumora return form", author="Lumora Returns", footer=f"{COMPANY_LEGAL} · Returns · Form LM-RET-02")
    body = (f"Dear Lumora support team,\n\n"
            f"thank you for the quick reply. I have filled in the return form for order {order} "
            f"(attached) and packed the plug with both socket inserts.\n\n"
            f"Please refund the money to my bank account instead of the card: {iban}.\n"
            f"If the courier needs anything, call me on {phone}.\n\n"
            f"Best regards,\n{name}\n{address}\n\n"
            f"On {(sent - timedelta(days=1)).strftime('%d %b %Y')}, {agent_name} (Lumora Support) wrote:\n"
            f"> Thank you for contacting Lumora support.\n"
            f"> {ans('return_window')}\n"
            f"> {ans('refund_time')}\n"
            f"> Please fill in the attached return form and reply to this e-mail.\n")
    return eml_bytes(sender=f"{name} <{email}>", to="Lumora Support <support@lumora.example>",
                     subject=f"Re: [{ticket_id}] Return of my {p.name} ({order})", sent=sent,
                     message_id=f"<{ctx.commit(long=True)}@{email.split('@')[1]}>", body=body,
                     attachments=[(f"return-form-{order}.docx", form)])


@dataclass(frozen=True)
class OfficeDoc:
    """One office file: its kind folder, file name, documents ingestion reads from it, builder."""

    kind: str
    name: str
    n_docs: int
    build: Callable[[Context], bytes]


OFFICE_DOCS: tuple[OfficeDoc, ...] = (
    OfficeDoc("policy", "business-travel-and-expenses-handbook-0001.docx", 1, _travel_handbook),
    OfficeDoc("faq", "price-list-and-certified-installers-0001.xlsx", 1, _installer_workbook),
    OfficeDoc("manual", "lumora-hub-h2-support-training-0001.pptx", 1, _hub_training_deck),
    OfficeDoc("manual", "lumora-battery-b10-quick-installation-guide-0001.pdf", 1, _battery_guide),
    OfficeDoc("ticket", "support-mail-return-request-0001.eml", 2, _return_mail),
)


def office_doc_counts() -> dict[str, int]:
    """Documents the office files add per kind (taken out of that kind's text documents)."""
    counts: dict[str, int] = {}
    for doc in OFFICE_DOCS:
        counts[doc.kind] = counts.get(doc.kind, 0) + doc.n_docs
    return counts
