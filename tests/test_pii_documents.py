"""The scrubber's rules for documents nobody here wrote (issue 18): fields and tables, lists of names,
name lists, letter address blocks, company names, corpus vocabulary, impersonal addresses, and the
agreement between scrubber and quality gate. Real Presidio + spaCy, no mocks."""

from __future__ import annotations

import pytest

from llmops.pii.config import pipeline_config
from llmops.pii.fields import field_entity
from llmops.pii.impersonal import impersonal_email
from llmops.pii.names import joined_names, listed_names, looks_like_name, name_lists, organisation_spans
from llmops.pii.residual import find_residual_pii
from llmops.pii.scrubber import Scrubber
from llmops.pii.vocabulary import CorpusVocabulary


@pytest.fixture(scope="module")
def scrubber() -> Scrubber:
    return Scrubber(pipeline_config())


def _removed(scrubber: Scrubber, text: str, values: list[str]) -> None:
    out = scrubber.scrub(text).text
    for value in values:
        assert value not in out, f"{value!r} survived in {out!r}"


@pytest.mark.parametrize(
    ("label", "entity"),
    [
        ("Given name(s)", "PERSON"), ("family_name", "PERSON"), ("Beneficiary", "PERSON"),
        ("Emergency contact", "PERSON"), ("display_name", "PERSON"), ("host", "PERSON"),
        ("Date of birth", "DATE_OF_BIRTH"), ("birthDate", "DATE_OF_BIRTH"), ("出生日期", "DATE_OF_BIRTH"),
        ("Private phone", "PHONE_NUMBER"), ("M", "PHONE_NUMBER"), ("手机", "PHONE_NUMBER"),
        ("Home address", "STREET_ADDRESS"), ("Mailing address", "STREET_ADDRESS"),
        ("IP address", None), ("E-mail address", None), ("Product name", None), ("Host name", None),
        ("Note from Anna", None), ("Role", None), ("Department", None), ("Version", None),
    ],
)
def test_field_labels_type_their_values(label: str, entity: str | None) -> None:
    assert field_entity(label) == entity


def test_labelled_fields_and_form_lines(scrubber: Scrubber) -> None:
    form = (
        "ADDRESS CHANGE\n"
        "Surname: Okonkwo    Given name: Chidinma\n"
        "Birth date: 03.11.1988\n"
        "Mobile: 0803 611 2049\n"
        "Home address: Rua das Flores 221, 4050-265 Porto\n"
        "Witnesses: Tomasz Wrzesniewski / Aiyana Redcloud & Kwame Mensah-Bonsu\n"
        "Product name: Borealis Pump 7\n"
    )
    out = scrubber.scrub(form).text
    for value in ["Okonkwo", "Chidinma", "03.11.1988", "0803 611 2049", "Rua das Flores 221",
                  "Tomasz Wrzesniewski", "Aiyana Redcloud", "Kwame Mensah-Bonsu"]:
        assert value not in out
    assert "Borealis Pump 7" in out and "ADDRESS CHANGE" in out


def test_csv_and_pipe_table_columns(scrubber: Scrubber) -> None:
    csv_text = (
        "ref;last_name;first_name;dob;mobile;plan\n"
        "A-17;Haraldsdóttir;Sigrún;1979-06-30;+354 661 2270;Gold\n"
        'A-18;"Nakamura, Jr.";Hiroko;12/02/1990;0044 7911 123456;Basic\n'
    )
    out = scrubber.scrub(csv_text).text
    for value in ["Haraldsdóttir", "Sigrún", "1979-06-30", "Hiroko", "12/02/1990", "+354 661 2270"]:
        assert value not in out
    assert "Gold" in out and "A-17" in out
    table = (
        "| Week | Engineer | Backup |\n|---|---|---|\n"
        "| 14 | Ngozi Adeyemi | Lars-Erik Holmqvist |\n| 15 | Paulo Figueiredo | Chioma Eze |\n"
    )
    out = scrubber.scrub(table).text
    for value in ["Ngozi Adeyemi", "Lars-Erik Holmqvist", "Paulo Figueiredo", "Chioma Eze"]:
        assert value not in out


def test_joined_names_follow_a_known_one() -> None:
    text = "Sign-off: Ines Castellano -> Bogdan Marinescu -> Yusuf Demirci; Ines & Bogdan agree"
    start = text.index("Ines Castellano")
    found = {text[a:b] for a, b in joined_names(text, [(start, start + len("Ines Castellano"))])}
    assert found == {"Bogdan Marinescu", "Yusuf Demirci"}
    text = "Present: Ada Quist, Ben Oduya and Support"
    start = text.index("Ben Oduya")
    assert {text[a:b] for a, b in joined_names(text, [(start, start + 9)])} == {"Ada Quist"}


def test_name_lists_find_given_name_and_surname_pairs() -> None:
    text = "The audit was run by Katarzyna Wojciechowska with Oluwaseun Adebayo; Free Software stays."
    assert {text[a:b] for a, b in listed_names(text, name_lists())} == {
        "Katarzyna Wojciechowska", "Oluwaseun Adebayo"}
    assert not list(listed_names("Grant Access, Return Policy, Born September 4", name_lists()))
    text = "Please bring Nidia's booklet; Debian's policy and New York's office are unchanged."
    assert [text[a:b] for a, b in listed_names(text, name_lists())] == ["Nidia"]


def test_company_names_are_not_people(scrubber: Scrubber) -> None:
    text = "Supplier: Brandt & Söhne KG, invoiced via Okafor, Lindqvist and Moreau; see Bianchi e figli."
    spans = {text[a:b] for a, b in organisation_spans(text)}
    assert {"Brandt & Söhne KG", "Okafor, Lindqvist and Moreau", "Bianchi e figli"} <= spans
    out = scrubber.scrub(text).text
    assert "Okafor, Lindqvist and Moreau" in out and "Bianchi e figli" in out


def test_letter_address_block_and_signature(scrubber: Scrubber) -> None:
    letter = (
        "Henrike Vosskamp\nLindenallee 14b\n50968 Köln\n\n12 May 2026\n\nDear Ms Vosskamp,\n\n"
        "your contract is renewed.\n\nYours sincerely,\n\nTeodora Ilieva\nHR Partner\n"
        "Tel.: 0221 9876 5432\nKaiserstraße 8, 60311 Frankfurt\n"
    )
    _removed(scrubber, letter, ["Henrike", "Lindenallee 14b", "Teodora Ilieva", "0221 9876 5432", "Kaiserstraße 8"])


def test_corpus_vocabulary_keeps_terms_and_names_apart() -> None:
    texts = ["Run git log in the repo.", "Git keeps history.", "See the Git book.",
             "Ask Priscilla Nwosu.", "Priscilla Nwosu approved it.", "Thanks Priscilla Nwosu!"]
    vocabulary = CorpusVocabulary.learn(texts, list(range(len(texts))))
    assert vocabulary.is_term("Git")
    assert not vocabulary.is_term("Priscilla") and not vocabulary.is_term("Nwosu")


def test_manual_terms_headings_and_code_words_survive(scrubber: Scrubber) -> None:
    manual = [
        f"## {n}.1. Configuring Perl modules\n\nPerl reads @INC. Install with perl -MCPAN. "
        f"Debian ships Perl {n}. Contact the maintainer Olusegun Bamidele for help.\n"
        for n in range(5, 10)
    ]
    results = scrubber.scrub_many(manual)
    for text, result in zip(manual, results):
        assert result.text.splitlines()[0] == text.splitlines()[0]  # the heading
        assert "Perl reads" in result.text and "Debian ships Perl" in result.text
        assert "Olusegun Bamidele" not in result.text
    assert not looks_like_name("Makefile.in") and not looks_like_name("OptionLong OptionPurpose")
    assert looks_like_name("LaToya McDonald")


@pytest.mark.parametrize(
    ("address", "impersonal"),
    [
        ("support@northwind.example", True), ("debian-devel@lists.debian.org", True),
        ("user@host.dom", True), ("postmaster@corp.local", True), ("git-users+help@googlegroups.com", True),
        ("maria.keller@example.com", False), ("t.nakamura@northwind.co.jp", False), ("ops.lead@corp.local", False),
    ],
)
def test_impersonal_email_rule(address: str, impersonal: bool) -> None:
    assert impersonal_email(address) is impersonal


def test_scrubber_and_quality_gate_agree_on_example_values(scrubber: Scrubber) -> None:
    """One rule for example values: those that name someone are scrubbed (and the gate then finds
    nothing left), those that reach a role or no one are kept (and the gate does not flag them)."""
    page = ("Call 555-0142-1234? No: call (555) 014-2231 or 555.014.2232, write to jane.roe@example.com, "
            "or to support@example.com and the list docs-users@lists.example.org.")
    out = scrubber.scrub(page).text
    assert find_residual_pii(out) == {}
    assert "support@example.com" in out and "docs-users@lists.example.org" in out
    assert "jane.roe@example.com" not in out and "(555) 014-2231" not in out and "555.014.2232" not in out


def test_infrastructure_addresses_are_not_personal(scrubber: Scrubber) -> None:
    text = ("PING mirror.example.net (198.51.100.23): 56 data bytes\nnameserver 10.0.0.53\n"
            "ff02::1 ip6-allnodes\nUser login from 81.2.69.142 failed.")
    out = scrubber.scrub(text).text
    assert "198.51.100.23" in out and "10.0.0.53" in out and "ff02::1" in out
    assert "81.2.69.142" not in out


def test_overlapping_types_leave_the_text_intact(scrubber: Scrubber) -> None:
    """A name guess overlapping a date must not duplicate text (Presidio's keep repeats it)."""
    text = "Born September 8, 1957 in Lagos; applicant Chukwuemeka Obi."
    out = scrubber.scrub(text).text
    assert out.count("September") <= 1 and "1957" not in out and "Chukwuemeka" not in out


def test_code_keeps_guesses_but_not_labelled_names_or_addresses(scrubber: Scrubber) -> None:
    """In code only structure says a value is personal (a label, a position, the name lists); the
    NER's guesses and unlabelled street shapes are sample values. A name found in prose is still
    replaced in code."""
    text = ("Escalate to Radomir Kovalenko.\n\n```\nMaintainer: Josip Rodin <joy-mg@debian.org>\n"
            "INSERT INTO staff VALUES ('9 Elm Road, Leeds LS6 2AB', 'b.lefebvre@corp.org', 'Radomir Kovalenko');\n```\n"
            "Then run `Git Blame` again.")
    out = scrubber.scrub(text).text
    assert "9 Elm Road" in out and "`Git Blame`" in out
    for value in ["Radomir Kovalenko", "Josip Rodin", "joy-mg@debian.org", "b.lefebvre@corp.org"]:
        assert value not in out, out


def test_company_ampersand_in_a_batch_does_not_break_it(scrubber: Scrubber) -> None:
    """A joined-name result once had no recognizer metadata: "X & Cie." crashed the whole batch."""
    texts = ["Invoice from Schuler Keller & Cie. to Anna Berg & Jonas Lind.", "Holst & Søn A/S shipped it."]
    first, second = scrubber.scrub_many(texts)
    assert "Schuler Keller & Cie." in first.text and "Anna Berg" not in first.text and "Jonas Lind" not in first.text
    assert second.text == texts[1]


@pytest.mark.parametrize(
    ("text", "gone", "kept"),
    [
        ("Patient name ....... HELGA BRANDSTÄTTER\nDate of birth ...... 18. 3. 1994\nOwner: IT OPS",
         ["HELGA BRANDSTÄTTER", "18. 3. 1994"], ["IT OPS"]),
        ("BEGIN:VCARD\nFN:Liene Ozola\nTEL;TYPE=cell:+371 21 216 077\nBDAY:19710410\nEND:VCARD",
         ["Liene Ozola", "+371 21 216 077", "19710410"], ["BEGIN:VCARD"]),
        ('{"user": "u123", "real_name": "Priit Nuut", "team": "Platform"}', ["Priit Nuut"], ["u123", "Platform"]),
        ("Vorname: Jürgen  Nachname: Habermas  Geburtsdatum: 08DEC2012  Abteilung: Einkauf",
         ["Jürgen", "Habermas", "08DEC2012"], ["Nachname", "Einkauf"]),
        ("1. NUUT/PRIIT MR  seat 12A\nuse TCP/IP MR flag", ["NUUT/PRIIT"], ["TCP/IP"]),
        ("[00:00:05] [GELU SUCIU]: Morning everyone", ["GELU SUCIU"], ["Morning everyone"]),
        ("admin_allowlist:\n  - 194.162.139.125/32   # home office\n  - 10.20.0.0/16", ["194.162.139.125"],
         ["10.20.0.0/16"]),
        ("Clinician .......... A. Albu, Registered Nurse\nWhen: 01.11.2027 15:30", ["Albu"],
         ["Registered Nurse", "01.11.2027 15:30"]),
    ],
)
def test_forms_exports_and_capitals(scrubber: Scrubber, text: str, gone: list[str], kept: list[str]) -> None:
    out = scrubber.scrub(text).text
    for value in gone:
        assert value not in out, out
    for value in kept:
        assert value in out, out
