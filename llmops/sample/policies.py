"""HR and IT policies per office (plain text and intranet HTML), naming staff contacts and
carrying worked-example employee records full of PII."""

from __future__ import annotations

from datetime import date

from llmops.sample.catalog import ans
from llmops.sample.context import OFFICES, Context
from llmops.sample.markup import Block, blocks_text, esc


_Section = tuple[str, list[Block]]


def _contact_line(ctx: Context, office: str, role: str) -> str:
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


def _employee_record(ctx: Context, office: str, country: str) -> list[str]:
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


def _pol_leave(ctx: Context, office: str, country: str) -> tuple[str, list[_Section]]:
    return "Annual leave and absence policy", [
        ("Purpose", [("p", "This policy explains how much time off you have and how to request "
                           "it in the HR portal. It applies to all permanent employees.")]),
        ("Vacation", [("p", ans("vacation")),
                      ("p", "Request leave at least two weeks in advance for periods longer "
                            "than five days.")]),
        ("Sick leave", [("p", "Tell your manager before 10:00 on the first day of absence. "
                              + ans("sick_leave"))]),
        ("Parental leave", [("p", ans("parental_leave"))]),
        ("Contacts", [("p", _contact_line(ctx, office, "hr"))]),
    ]


def _pol_travel(ctx: Context, office: str, country: str) -> tuple[str, list[_Section]]:
    return "Travel and expense policy", [
        ("Scope", [("p", "Applies to all business travel booked by or for Lumora employees and "
                         "contractors.")]),
        ("Meals", [("p", ans("expense_meals"))]),
        ("Accommodation", [("p", ans("expense_hotel")),
                           ("p", "Book through the travel portal so the negotiated rates apply.")]),
        ("Submitting claims", [("p", ans("expense_deadline")),
                               ("bullets", ["Attach a receipt per item.",
                                            "Add the project code, for example PRJ-2024-031.",
                                            "Mileage is paid at EUR 0.30 per km."])]),
        ("Contacts", [("p", _contact_line(ctx, office, "finance"))]),
    ]


def _pol_remote(ctx: Context, office: str, country: str) -> tuple[str, list[_Section]]:
    return "Remote and hybrid work policy", [
        ("Eligibility", [("p", ans("remote_work"))]),
        ("Security at home", [("p", ans("vpn")), ("p", ans("usb"))]),
        ("Equipment", [("p", "You may order a monitor, keyboard and chair for your home office "
                             "once, up to EUR 600, through the IT portal.")]),
        ("Contacts", [("p", _contact_line(ctx, office, "hr"))]),
    ]


def _pol_it(ctx: Context, office: str, country: str) -> tuple[str, list[_Section]]:
    return "IT acceptable use policy", [
        ("Accounts and authentication", [("p", ans("mfa")), ("p", ans("password"))]),
        ("Network access", [("p", ans("vpn"))]),
        ("Removable media", [("p", ans("usb"))]),
        ("Lost or stolen devices", [("p", ans("lost_laptop"))]),
        ("Getting help", [("p", ans("service_desk")),
                          ("p", _contact_line(ctx, office, "it"))]),
    ]


def _pol_incident(ctx: Context, office: str, country: str) -> tuple[str, list[_Section]]:
    return "Information security incident procedure", [
        ("What counts as an incident", [("bullets", [
            "Phishing e-mails you clicked or replied to.",
            "Customer data sent to the wrong recipient.",
            "Malware warnings on a company device.",
            "Lost or stolen laptops, phones or badges."])]),
        ("Reporting", [("p", ans("incident"))]),
        ("Lost devices", [("p", ans("lost_laptop"))]),
        ("Contacts", [("p", _contact_line(ctx, office, "it"))]),
    ]


def _pol_payroll(ctx: Context, office: str, country: str) -> tuple[str, list[_Section]]:
    return "Payroll and benefits guide", [
        ("Pay dates", [("p", ans("payroll_day") + " Payslips are published in the HR portal two "
                                                  "working days before payment.")]),
        ("Bank details", [("p", "Salaries are paid by bank transfer to an account in your name. "
                                "Update your bank details in the HR portal before the 10th so "
                                "the change applies to the same month.")]),
        ("Worked example", [("p", f"The record below belongs to an employee in our {office} "
                                  "office and shows which fields payroll needs:"),
                            ("bullets", _employee_record(ctx, office, country))]),
        ("Learning budget", [("p", ans("learning_budget"))]),
        ("Contacts", [("p", _contact_line(ctx, office, "hr"))]),
    ]


def _pol_onboarding(ctx: Context, office: str, country: str) -> tuple[str, list[_Section]]:
    pii = ctx.pii
    emergency = pii.person(country=country)
    record = _employee_record(ctx, office, country)
    record.append(f"Emergency contact: {pii.name(emergency)}, {pii.phone(country)}")
    return "New starter onboarding guide", [
        ("Before day one", [("p", "IT ships your laptop to your home address a week before you "
                                  "start. " + ans("mfa"))]),
        ("Probation", [("p", ans("probation"))]),
        ("Your first week", [("bullets", ["Meet your buddy and your HR partner.",
                                          "Complete the security training (about 45 minutes).",
                                          "Read the IT acceptable use policy."]),
                             ("p", ans("vpn"))]),
        ("New starter record", [("p", "HR fills in this record for every new starter; example:"),
                                ("bullets", record)]),
        ("Contacts", [("p", _contact_line(ctx, office, "hr"))]),
    ]


def _pol_parental(ctx: Context, office: str, country: str) -> tuple[str, list[_Section]]:
    return "Parental leave guide", [
        ("Entitlement", [("p", ans("parental_leave"))]),
        ("Planning your leave", [("p", "Tell your manager and HR partner at least 8 weeks before "
                                       "your leave starts.")]),
        ("Pay during leave", [("p", ans("payroll_day"))]),
        ("Returning to work", [("p", ans("remote_work"))]),
        ("Contacts", [("p", _contact_line(ctx, office, "hr"))]),
    ]


_POLICIES = (_pol_leave, _pol_it, _pol_payroll, _pol_travel, _pol_incident, _pol_remote,
             _pol_onboarding, _pol_parental)


def policy(ctx: Context, idx: int) -> tuple[str, str, list[_Section]]:
    """(title, meta line, sections) for the idx-th policy document."""
    r = ctx.rng
    office, country, _ = OFFICES[r.randrange(len(OFFICES))]
    title, sections = _POLICIES[idx % len(_POLICIES)](ctx, office, country)
    if idx >= len(_POLICIES) or r.random() < 0.3:
        title = f"{title} ({office})"
    meta = (f"Policy owner: {'IT' if 'IT' in title or 'security' in title else 'People team'} · "
            f"Version {r.randint(1, 5)}.{r.randint(0, 9)} · Effective "
            f"{date(2024, r.randint(1, 12), 1).isoformat()}")
    return title, meta, sections


def policy_txt(title: str, meta: str, sections: list[_Section]) -> str:
    body = "\n\n".join(f"## {h}\n\n{blocks_text(b, '{i}. {s}')}" for h, b in sections)
    return f"{title}\n{'=' * len(title)}\n\n{meta}\n\n{body}\n"


def _html_blocks(blocks: list[Block]) -> list[str]:
    out = []
    for kind, value in blocks:
        if kind == "p":
            out.append(f"<p>{esc(str(value))}</p>")
        elif kind in ("bullets", "steps"):
            tag = "ol" if kind == "steps" else "ul"
            out.append(f"<{tag}>" + "".join(f"<li>{esc(s)}</li>" for s in value)  # type: ignore[union-attr]
                       + f"</{tag}>")
    return out


def policy_html(ctx: Context, title: str, meta: str, sections: list[_Section]) -> str:
    lines = ["<!DOCTYPE html>", '<html lang="en">',
             f"<head><meta charset=\"utf-8\"><title>{esc(title)} - Lumora intranet</title>",
             f"<script>var _paq=_paq||[];_paq.push(['trackPageView']);_paq.push(['setSiteId','"
             f"{ctx.rng.randint(2, 9)}']);</script>",
             "</head>", "<body>",
             '<div class="intranet-nav">People · IT · Finance · <a href="/search">Search</a> · '
             '<a href="/logout">Log out</a></div>',
             f"<h1>{esc(title)}</h1>", f'<p class="meta">{esc(meta)}</p>']
    for heading, blocks in sections:
        lines.append(f"<h2>{esc(heading)}</h2>")
        lines.extend(_html_blocks(blocks))
    lines += ["<footer>Internal - do not forward outside Lumora.</footer>", "</body>", "</html>"]
    return "\n".join(lines) + "\n"
