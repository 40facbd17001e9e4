"""Contact values that identify no one: one rule for the scrubber and the quality gate alike.

Manuals and mail show addresses that reach a role, a list or nobody: ``support@``, ``postmaster@``,
``debian-devel@lists.debian.org``, placeholders such as ``user@host.dom`` or ``you@example.com``.
They are not personal data, so the scrubber keeps them and the residual scan of the quality gate
does not count them (it would otherwise quarantine a page for what the scrubber rightly left).
Example values that do name someone (``maria.keller@example.com``, a 555 number) are scrubbed like
real ones: the documentation ranges are where test data and demo companies live too.
"""

from __future__ import annotations

import re

# Mailboxes of a function, not a person (RFC 2142 and common practice).
_ROLE_MAILBOXES = frozenset(
    "abuse admin administrator billing contact feedback help helpdesk hostmaster info enquiries "
    "inquiries listmaster mailer-daemon marketing news newsletter noc no-reply noreply office "
    "orders postmaster press privacy root sales security service servicedesk support team "
    "webmaster www jobs careers hr accounts accounting legal dpo compliance it ops devnull "
    "bugs submit control request owner announce".split()
)
# Mailing-list names: "debian-devel", "git-users", "foo-announce", "bar-request".
_LIST_SUFFIX = re.compile(
    r"-(?:devel|dev|users?|announce|mentors|policy|request|bugs?|admin|owner|commits?|discuss|help|"
    r"l|list|general|project|private|i18n|doc|docs|qa|release|security|changes|maint|maintainers)$"
)
# Stand-ins documentation writes for "your address here".
_PLACEHOLDER_MAILBOXES = frozenset(
    "user username user1 user2 foo bar baz qux someone somebody anyone you me name email yourname "
    "your.name your-name your_name first.last firstname.lastname firstname lastname nobody example "
    "test tester author committer sender recipient address mail".split()
)
_PLACEHOLDER_TLDS = frozenset("dom ext tld domain invalid test localhost example local-part".split())


def impersonal_email(address: str) -> bool:
    """Whether an e-mail address reaches a role, a mailing list or no one (see the module doc)."""
    mailbox, _, domain = address.lower().rpartition("@")
    mailbox = mailbox.split("+", 1)[0]
    tld = domain.rsplit(".", 1)[-1]
    return (
        mailbox in _ROLE_MAILBOXES
        or mailbox in _PLACEHOLDER_MAILBOXES
        or bool(_LIST_SUFFIX.search(mailbox))
        or domain.startswith(("lists.", "bugs."))
        or tld in _PLACEHOLDER_TLDS
    )
