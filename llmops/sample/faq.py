"""Help-centre FAQ pages (Markdown and HTML with analytics, nav and cookie-banner junk), each
answering from the canonical facts."""

from __future__ import annotations

from llmops.sample.catalog import COMPANY_LEGAL, FACT_BY_KEY
from llmops.sample.context import Context
from llmops.sample.markup import esc


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


def faq_page(ctx: Context, idx: int) -> tuple[str, list[tuple[str, str, tuple[str, ...]]]]:
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
        fact = FACT_BY_KEY[key]
        question = r.choice((fact.question,) * 2 + fact.variants)
        follow = r.choice(_FAQ_FOLLOWUPS[fact.topic])
        if follow in used or key == "support_contact":
            follow = ""
        used.add(follow)
        answer = fact.answer + (" " + follow if follow else "")
        qas.append((question, answer, fact.steps))
    return title, qas


def faq_markdown(title: str, qas: list[tuple[str, str, tuple[str, ...]]]) -> str:
    parts = [f"# {title}\n"]
    for q, a, _steps in qas:
        parts.append(f"\n## {q}\n\n{a}\n")
    return "".join(parts)


def faq_html(ctx: Context, title: str, qas: list[tuple[str, str, tuple[str, ...]]]) -> str:
    r = ctx.rng
    lines = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        f"<head><meta charset=\"utf-8\"><title>{esc(title)} | Lumora Help Center</title>",
        "<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments);}"
        f"gtag('js',new Date());gtag('config','G-{ctx.commit().upper()}');</script>",
        "<style>body{font-family:Inter,sans-serif;max-width:760px;margin:auto}</style>",
        "</head>",
        "<body>",
        '<nav class="top-nav"><a href="/">Home</a> | <a href="/help">Help Center</a> | '
        '<a href="/shop">Shop</a> | <a href="/account">Sign in</a></nav>',
        '<div class="cookie-banner">We use cookies to improve your experience. '
        "<button>Accept all</button></div>",
        f"<h1>{esc(title)}</h1>",
    ]
    for q, a, steps in qas:
        lines.append(f"<h2>{esc(q)}</h2>")
        lines.append(f"<p>{esc(a)}</p>")
        if steps and r.random() < 0.8:
            lines.append("<ul>" + "".join(f"<li>{esc(s)}</li>" for s in steps) + "</ul>")
    if r.random() < 0.5:
        reviewer = ctx.pii.name(r.choice(ctx.agents))
        lines.append(f"<footer>© 2024 {COMPANY_LEGAL} · <a href=\"/privacy\">Privacy</a> · "
                     f"Last reviewed by {esc(reviewer)} on {ctx.random_day().isoformat()}</footer>")
    else:
        lines.append(f"<footer>© 2024 {COMPANY_LEGAL} · <a href=\"/privacy\">Privacy</a> · "
                     f"<a href=\"/imprint\">Imprint</a></footer>")
    lines.append(f'<script src="/static/js/chat-widget.min.js?v={ctx.commit()}"></script>')
    lines.append("</body>")
    lines.append("</html>")
    return "\n".join(lines) + "\n"
