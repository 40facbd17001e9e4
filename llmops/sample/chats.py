"""Support chat transcripts: a timestamped agent/customer exchange per support scenario, the
customer volunteering PII the agent then deflects."""

from __future__ import annotations

from llmops.sample.catalog import PRODUCT_BY_KEY, ans
from llmops.sample.context import Context
from llmops.sample.people import Person
from llmops.sample.scenarios import SCENARIOS, extras_for, lower_first, scenario_slots


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


def _chat_leak(ctx: Context, kind: str, cust: Person) -> tuple[str, str]:
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


def chat(ctx: Context) -> tuple[str, str]:
    """Title and plain-text transcript of one support chat."""
    r, pii = ctx.rng, ctx.pii
    sc = r.choice(SCENARIOS)
    p = PRODUCT_BY_KEY[r.choice(sc.products)]
    slots = scenario_slots(ctx, sc, p)
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
    say(cust_tag, greeting + (lower_first(opener) if greeting == "hi, " else opener),
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
    for kind in extras_for(ctx, sc, cust, n_leaks, ("phone", "card", "address")):
        c_line, a_line = _chat_leak(ctx, kind, cust)
        say(cust_tag, c_line, r.randint(1, 3))
        say(agent_tag, a_line, 1)
    say(cust_tag, r.choice(_CHAT_THANKS), r.randint(1, 4))
    closing = r.choice(_CHAT_CLOSINGS)
    if r.random() < 0.35:
        closing += " For future reference: " + ans("support_hours")
    say(agent_tag, closing, 1)
    title = f"Chat transcript {chat_id}"
    header = (f"Date: {day.isoformat()} | Channel: {r.choice(('web chat', 'in-app chat'))} | "
              f"Topic: {r.choice(sc.subjects).format_map(slots)}")
    text = f"{title}\n{'=' * len(title)}\n{header}\n\n" + "\n".join(lines) + "\n"
    return title, text
