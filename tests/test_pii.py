"""Scrubber tests on the real Presidio + spaCy stack (no mocks)."""

from __future__ import annotations

import itertools
import re
import subprocess
import sys

import pytest

from llmops.pii.checksums import cn_resident_id_valid, iban_valid, luhn_valid
from llmops.pii.config import PLACEHOLDER_RE, ScrubberConfig, SUPPORTED_ENTITIES
from llmops.pii.residual import find_residual_pii
from llmops.pii.scrubber import Scrubber
from llmops.pii.segments import Segment, segment
from tests.conftest import REPO

AES_KEY = "k3y-for-tests-32-bytes-long-abcd"  # 32 chars -> AES-256

# Business content that must survive scrubbing untouched.
HARD_NEGATIVES = [
    "Order ORD-2024-118734 shipped; ticket TCK-104233 closed. SKU LM-H2-100 is back in stock.",
    "Firmware v3.10.0 replaces 4.2.1 (build 3.10.0.2207), released 2024-03-15, due 2024-04-14.",
    "Total $1,249.00 plus shipping EUR 89.90; tax 8.875%, terms Net 30, PO number 4500123456.",
    "Fixed in commit 3f786850e387550fdab836ed7e6dc57b0f5d3e2a; part PN-77812-A replaces "
    "KP-X4-2210-A, invoice INV-88213409, serial 20231115.",
    "To reset the Kestrel Pro X4, hold Reset for 10 seconds until the LED turns amber. "
    "The Lumen Router H2 supports Wi-Fi 6E on channel 149.",
    "Dear Customer,\nThank you for contacting Lumen Support. Case CASE-77120 was escalated "
    "to Tier 2.\nBest regards,\nThe Lumen Support Team",
    "DHCP hands out 10.0.0.0/8 leases; the admin UI listens on 127.0.0.1 port 8443.",
]


@pytest.fixture(scope="module")
def scrubber() -> Scrubber:
    return Scrubber()


def _detected(scrubber: Scrubber, text: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for span in scrubber.scrub(text).spans:
        found.setdefault(span.entity_type, []).append(text[span.start : span.end])
    return found


@pytest.mark.parametrize(
    ("text", "entity", "value"),
    [
        ("WeChat me at +86 138 0013 8000 after 6pm.", "PHONE_NUMBER", "+86 138 0013 8000"),
        ("我的手机号是 13800138000，谢谢。", "PHONE_NUMBER", "13800138000"),
        ("Call the store at (415) 555-0132 tomorrow.", "PHONE_NUMBER", "(415) 555-0132"),
        ("My number is 415-555-0132.", "PHONE_NUMBER", "415-555-0132"),
        ("Reach me on +1 415 555 0132 anytime.", "PHONE_NUMBER", "+1 415 555 0132"),
        ("London desk: +44 20 7946 0958.", "PHONE_NUMBER", "+44 20 7946 0958"),
        ("Mobile +44 7911 123456 works best.", "PHONE_NUMBER", "+44 7911 123456"),
        ("Paris office +33 1 42 68 53 00.", "PHONE_NUMBER", "+33 1 42 68 53 00"),
        ("Berlin +49 30 901820 is closed.", "PHONE_NUMBER", "+49 30 901820"),
        ("Ring Anil on +91 98765 43210.", "PHONE_NUMBER", "+91 98765 43210"),
        ("Phone: 0803 555 0199", "PHONE_NUMBER", "0803 555 0199"),
        ("Call me at 616 503 966 if easier.", "PHONE_NUMBER", "616 503 966"),
        ("Resident ID 11010519491231002X on file.", "CN_RESIDENT_ID", "11010519491231002X"),
        ("身份证号 440308199901010012 已核验。", "CN_RESIDENT_ID", "440308199901010012"),
        ("Refund to IBAN DE89 3704 0044 0532 0130 00 please.", "IBAN_CODE",
         "DE89 3704 0044 0532 0130 00"),
        ("Wire it to GB82WEST12345698765432 today.", "IBAN_CODE", "GB82WEST12345698765432"),
        ("Charge card 4111 1111 1111 1111 again.", "CREDIT_CARD", "4111 1111 1111 1111"),
        ("Mastercard 5555-5555-5555-4444 exp 12/27.", "CREDIT_CARD", "5555-5555-5555-4444"),
        ("Amex 3782 822463 10005 was declined.", "CREDIT_CARD", "3782 822463 10005"),
        ("It was charged to 2221 0000 0000 0009.", "CREDIT_CARD", "2221 0000 0000 0009"),
        ("Her SSN is 536-22-8410.", "US_SSN", "536-22-8410"),
        ("Payroll record 536-22-8410 updated.", "US_SSN", "536-22-8410"),
        ("Customer router WAN IP 203.0.113.42 is blocked.", "IP_ADDRESS", "203.0.113.42"),
        ("Client came from 2001:db8:85a3::8a2e:370:7334 twice.", "IP_ADDRESS",
         "2001:db8:85a3::8a2e:370:7334"),
        ("Link-local fe80::1ff:fe23:4567:890a answered.", "IP_ADDRESS", "fe80::1ff:fe23:4567:890a"),
        ("Write to wei.zhang@example.com with the logs.", "EMAIL_ADDRESS", "wei.zhang@example.com"),
        ("Ping jack.clarke@lumora.internal for VPN access.", "EMAIL_ADDRESS",
         "jack.clarke@lumora.internal"),
        ("I live at 221B Baker Street, London NW1 6XE.", "STREET_ADDRESS",
         "221B Baker Street, London NW1 6XE"),
        ("Ship to 1600 Amphitheatre Parkway, Mountain View, CA 94043 by Friday.", "STREET_ADDRESS",
         "1600 Amphitheatre Parkway, Mountain View, CA 94043"),
        ("Please deliver to 48 Wattle Road on Monday.", "STREET_ADDRESS", "48 Wattle Road"),
        ("Home address: Flat 10, 50 Elm Grove, Edinburgh EH12 4RY", "STREET_ADDRESS",
         "Flat 10, 50 Elm Grove, Edinburgh EH12 4RY"),
        ("Please send it to Bahnhofstraße 71a, 13800 Berlin.", "STREET_ADDRESS",
         "Bahnhofstraße 71a, 13800 Berlin"),
        ("Mon adresse : 47 rue de la République, 31500 Toulouse.", "STREET_ADDRESS",
         "47 rue de la République, 31500 Toulouse"),
        ("Delivery address is Dorpsstraat 78, 5635 PR Eindhoven.", "STREET_ADDRESS",
         "Dorpsstraat 78, 5635 PR Eindhoven"),
        ("Envíelo a Calle de Alcalá 123, 4º B, 28009 Madrid, gracias.", "STREET_ADDRESS",
         "Calle de Alcalá 123, 4º B, 28009 Madrid"),
        ("Ship to Room 1203, Building 5, 1999 Keyuan Road, Nanshan District, Shenzhen 518000.",
         "STREET_ADDRESS",
         "Room 1203, Building 5, 1999 Keyuan Road, Nanshan District, Shenzhen 518000"),
        ("I was born on 12/03/1985 in Lagos.", "DATE_OF_BIRTH", "12/03/1985"),
        ("DOB: 1985-03-12", "DATE_OF_BIRTH", "1985-03-12"),
        ("Date of birth: March 12, 1985.", "DATE_OF_BIRTH", "March 12, 1985"),
        ("Do you need my date of birth for verification? It's 28.08.1956.", "DATE_OF_BIRTH",
         "28.08.1956"),
    ],
)
def test_recognizers_find_pii(scrubber: Scrubber, text: str, entity: str, value: str) -> None:
    result = scrubber.scrub(text)
    assert value in _detected(scrubber, text).get(entity, [])
    assert value not in result.text
    assert result.entities[entity] >= 1


@pytest.mark.parametrize(
    "text",
    [
        "Resident ID 110105194912310021 has a wrong check digit.",  # CN id, bad MOD 11-2
        "Old IBAN GB82 WEST 1234 5698 7654 33 fails mod 97.",
        "Test card 4111 1111 1111 1112 has a bad check digit.",
        "Not SSNs: 000-12-3456 and 666-45-1234.",
        "Firmware released 2024-03-15, born-on-date of the batch 2023-11-02.",
        "We shipped 2 Lumen Drive units last week.",
        "Loopback ::1 and 127.0.0.1 are local only.",
    ],
)
def test_invalid_or_lookalike_values_survive(scrubber: Scrubber, text: str) -> None:
    assert scrubber.scrub(text).text == text


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Customer (Siddharth Venkataraman): my router keeps rebooting.", "Siddharth Venkataraman"),
        ("Agent (Xiao Li): can you send a photo of the LED?", "Xiao Li"),
        ("Customer (Oluwaseun Adebayo): still broken.", "Oluwaseun Adebayo"),
        ("Name: Ngozi Okonkwo-Eze", "Ngozi Okonkwo-Eze"),
        ("Assigned agent: Thandiwe Mokoena", "Thandiwe Mokoena"),
        ("Ms. Björk Guðmundsdóttir called about her order.", "Björk Guðmundsdóttir"),
        ("Please contact Joao Pereira in billing.", "Joao Pereira"),
        ("Escalated to Anh Nguyen for a callback.", "Anh Nguyen"),
        ("My name is Aarav Sharma and I need help.", "Aarav Sharma"),
        ("Hi Thandiwe,\nyour unit ships today.", "Thandiwe"),
        ("Thanks for your patience.\nKind regards,\nBartholomew Nkemelu\nSupport Lead",
         "Bartholomew Nkemelu"),
        ("好的，张伟先生，我们会尽快联系您。", "张伟"),
        ("Questions? Ask Sun Jiahui (jiahui.sun@corp.example).", "Sun Jiahui"),
        ("Emergency contact: Nia Kamau, 617-555-0197", "Nia Kamau"),
    ],
)
def test_names_in_typical_positions(scrubber: Scrubber, text: str, name: str) -> None:
    result = scrubber.scrub(text)
    assert name not in result.text
    assert "<PERSON_1>" in result.text


@pytest.mark.parametrize("text", HARD_NEGATIVES)
def test_hard_negatives_survive(scrubber: Scrubber, text: str) -> None:
    result = scrubber.scrub(text)
    assert result.text == text
    assert result.spans == [] and result.entities == {}


def test_pseudonyms_are_consistent_within_a_text(scrubber: Scrubber) -> None:
    chat = (
        "Customer (Wei Zhang): my phone is +86 138 0013 8000.\n"
        "Agent (Priya Raghunathan): thanks, I will call +86 138 0013 8000 now.\n"
        "Customer (Wei Zhang): or email wei.zhang@example.com.\n"
        "Agent (Priya Raghunathan): noted, Wei Zhang's case is with Dr. Kowalczyk."
    )
    result = scrubber.scrub(chat)
    assert result.text == (
        "Customer (<PERSON_1>): my phone is <PHONE_NUMBER_1>.\n"
        "Agent (<PERSON_2>): thanks, I will call <PHONE_NUMBER_1> now.\n"
        "Customer (<PERSON_1>): or email <EMAIL_ADDRESS_1>.\n"
        "Agent (<PERSON_2>): noted, <PERSON_1>'s case is with Dr. <PERSON_3>."
    )
    assert result.entities == {"PERSON": 6, "PHONE_NUMBER": 2, "EMAIL_ADDRESS": 1}
    # Numbering restarts for every text.
    again = scrubber.scrub("Customer (Priya Raghunathan): hello")
    assert again.text == "Customer (<PERSON_1>): hello"


@pytest.mark.parametrize(
    "text",
    [
        "Agent (Xiao Li): call +1 415 555 0132 or 415-555-0132, then +1 415 555 0132 again.",
        "Server 192.168.10.24 and 2001:db8:85a3::8a2e:370:7334 belong to wei.zhang@example.com.",
        "Phone: +44 7911 123456 (mobile +44 7911 123456), DOB: 1985-03-12, SSN 536-22-8410.",
        "Mr. Tanaka Hiroshi, Ms. Fatima Al-Sayed and Mr. Tanaka Hiroshi met at 42 Wallaby Way, "
        "Sydney NSW 2000.",
    ],
)
def test_placeholder_numbers_follow_resolved_spans(scrubber: Scrubber, text: str) -> None:
    """Overlaps are resolved before numbering: per type, 1..n in order of first appearance."""
    result = scrubber.scrub(text)
    placeholders = PLACEHOLDER_RE.findall(result.text)
    assert len(placeholders) == len(result.spans) > 0
    first_seen: dict[str, list[int]] = {}
    for placeholder in dict.fromkeys(placeholders):
        entity, number = re.fullmatch(r"<([A-Z_]+)_(\d+)>", placeholder).groups()
        first_seen.setdefault(entity, []).append(int(number))
    for numbers in first_seen.values():
        assert numbers == list(range(1, len(numbers) + 1))
    starts = [s.start for s in result.spans]
    assert starts == sorted(starts)
    assert all(a.end <= b.start for a, b in zip(result.spans, result.spans[1:]))


def test_numbering_skips_results_dropped_in_conflicts() -> None:
    """'Wei' (deny list) lies inside the PERSON 'Wei Zhang' and is dropped: it takes no number."""
    custom = Scrubber(ScrubberConfig(deny_list=["Wei", "BLUEBIRD-7"]))
    result = custom.scrub("Customer (Wei Zhang) joined codename BLUEBIRD-7.")
    assert result.text == "Customer (<PERSON_1>) joined codename <CUSTOM_1>."
    assert [s.entity_type for s in result.spans] == ["PERSON", "CUSTOM"]


def test_scrubbing_is_idempotent(scrubber: Scrubber) -> None:
    text = "Customer (Wei Zhang) at +86 138 0013 8000, card 4111 1111 1111 1111."
    once = scrubber.scrub(text).text
    assert scrubber.scrub(once).text == once


def test_groups_share_detections_across_texts(scrubber: Scrubber) -> None:
    """A name with no context in a title is removed when the body of the same doc reveals it."""
    title = "Router reboot loop - Siddharth Venkataraman"
    body = "Customer (Siddharth Venkataraman): it reboots hourly."
    ungrouped = scrubber.scrub_many([title, body])
    grouped = scrubber.scrub_many([title, body, title], groups=["doc-1", "doc-1", "doc-2"])
    assert ungrouped[0].text == title
    assert grouped[0].text == "Router reboot loop - <PERSON_1>"
    assert grouped[1].text == ungrouped[1].text == "Customer (<PERSON_1>): it reboots hourly."
    assert grouped[2].text == title  # another document learns nothing from doc-1


def test_scrub_many_equals_scrub(scrubber: Scrubber) -> None:
    texts = HARD_NEGATIVES[:3] + [
        "Customer (Wei Zhang): +86 138 0013 8000, wei.zhang@example.com",
        "",
        "Agent (Xiao Li): IBAN DE89 3704 0044 0532 0130 00, DOB: 1985-03-12",
        "Kind regards,\nOluwaseun Adebayo",
    ]
    assert scrubber.scrub_many(texts) == [scrubber.scrub(t) for t in texts]


def test_mask_operator() -> None:
    masker = Scrubber(ScrubberConfig(operator="mask"))
    text = "Card 4111 1111 1111 1111, mail wei.zhang@example.com."
    result = masker.scrub(text)
    assert result.text == "Card " + "*" * 19 + ", mail " + "*" * 21 + "."
    assert result.entities == {"CREDIT_CARD": 1, "EMAIL_ADDRESS": 1}


def test_hash_operator_with_salt_is_deterministic() -> None:
    hasher = Scrubber(ScrubberConfig(operator="hash", hash_salt="pepper-pepper-pepper"))
    first = hasher.scrub("Mail wei.zhang@example.com or wei.zhang@example.com.").text
    digests = re.findall(r"[0-9a-f]{64}", first)
    assert len(digests) == 2 and digests[0] == digests[1]
    assert "wei.zhang" not in first
    assert digests[0] in hasher.scrub("Contact: wei.zhang@example.com").text


def test_encrypt_and_decrypt_round_trip() -> None:
    crypto = Scrubber(ScrubberConfig(operator="encrypt", encryption_key=AES_KEY))
    text = (
        "Customer (Wei Zhang) paid with 4111 1111 1111 1111; release sha256 "
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 unchanged."
    )
    scrubbed = crypto.scrub(text)
    assert "Wei Zhang" not in scrubbed.text and "4111" not in scrubbed.text
    assert crypto.decrypt(scrubbed.text) == text
    with pytest.raises(ValueError):
        Scrubber(ScrubberConfig()).decrypt(scrubbed.text)


@pytest.mark.parametrize(
    "config",
    [
        {"operator": "encrypt"},
        {"operator": "encrypt", "encryption_key": "too-short"},
        {"operator": "redact"},
        {"entities": ["DATE_TIME"]},
        {"operator": "hash", "hash_salt": "short"},
        {"allow_list_match": "fuzzy"},
        {"segment_chars": 800, "segment_overlap_chars": 200},  # no window left between the overlaps
        {"segment_overlap_chars": 0},  # a value across a cut would be cut in half
    ],
)
def test_invalid_config_is_rejected(config: dict) -> None:
    with pytest.raises(ValueError):
        ScrubberConfig(**config)


def test_allow_and_deny_lists() -> None:
    custom = Scrubber(
        ScrubberConfig(allow_list=["Jordan"], deny_list=["Project Nightingale", "ACME-INTERNAL"])
    )
    text = "Jordan mode ships with Project Nightingale (acme-internal) for Mr. Tanaka Hiroshi."
    result = custom.scrub(text)
    assert result.text == "Jordan mode ships with <CUSTOM_1> (<CUSTOM_2>) for Mr. <PERSON_1>."
    assert result.entities == {"CUSTOM": 2, "PERSON": 1}


def test_regex_allow_list() -> None:
    keep_tanaka = Scrubber(ScrubberConfig(allow_list=[r"^Tanaka\b"], allow_list_match="regex"))
    text = "Mr. Tanaka Hiroshi and Ms. Fatima Al-Sayed signed."
    assert keep_tanaka.scrub(text).text == "Mr. Tanaka Hiroshi and Ms. <PERSON_1> signed."


def test_entity_subset() -> None:
    emails_only = Scrubber(ScrubberConfig(entities=["EMAIL_ADDRESS"]))
    text = "Customer (Wei Zhang): wei.zhang@example.com, +86 138 0013 8000"
    assert emails_only.scrub(text).text == (
        "Customer (Wei Zhang): <EMAIL_ADDRESS_1>, +86 138 0013 8000"
    )
    assert set(Scrubber().entities) == set(SUPPORTED_ENTITIES)


def test_checksums() -> None:
    assert cn_resident_id_valid("11010519491231002X")
    assert cn_resident_id_valid("11010519491231002x")
    assert not cn_resident_id_valid("110105194912310021")
    assert luhn_valid("4111-1111-1111-1111") and not luhn_valid("4111 1111 1111 1112")
    assert iban_valid("DE89 3704 0044 0532 0130 00")
    assert not iban_valid("DE88 3704 0044 0532 0130 00")


def test_find_residual_pii_flags_each_type() -> None:
    text = (
        "mail wei.zhang@example.com, call +86 138 0013 8000 or (415) 555-0132 or 13800138000, "
        "card 5555-5555-5555-4444, IBAN GB82 WEST 1234 5698 7654 32, SSN 536-22-8410, "
        "id 11010519491231002X"
    )
    assert find_residual_pii(text) == {
        "EMAIL_ADDRESS": ["wei.zhang@example.com"],
        "PHONE_NUMBER": ["+86 138 0013 8000", "(415) 555-0132", "13800138000"],
        "CREDIT_CARD": ["5555-5555-5555-4444"],
        "IBAN_CODE": ["GB82 WEST 1234 5698 7654 32"],
        "US_SSN": ["536-22-8410"],
        "CN_RESIDENT_ID": ["11010519491231002X"],
    }


@pytest.mark.parametrize(
    "text",
    HARD_NEGATIVES
    + [
        "Customer (<PERSON_1>): call <PHONE_NUMBER_1> or mail <EMAIL_ADDRESS_2>, "
        "card <CREDIT_CARD_1>.",
        "Invalid lookalikes: 110105194912310021, GB82 WEST 1234 5698 7654 33, 4111 1111 1111 1112, "
        "000-12-3456, 666-45-1234.",
        "sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855, "
        "epoch 1710460800123, tracking 1Z999AA10123456784.",
    ],
)
def test_find_residual_pii_ignores_placeholders_and_hard_negatives(text: str) -> None:
    assert find_residual_pii(text) == {}


@pytest.mark.parametrize(
    ("text", "entity", "value"),
    [
        ("DOB: 18-Oct-1971 (verified)", "DATE_OF_BIRTH", "18-Oct-1971"),
        ("出生日期：1990年5月12日", "DATE_OF_BIRTH", "1990年5月12日"),
        ("ID card 510182 19990124 192X checked.", "CN_RESIDENT_ID", "510182 19990124 192X"),
        ("Reach me on (+86) 15481858224 please.", "PHONE_NUMBER", "(+86) 15481858224"),
        ("and my number is +44 7700 900781 if you need to call", "PHONE_NUMBER",
         "+44 7700 900781"),
        ("Courier: +61 412 345 678, Sydney depot.", "PHONE_NUMBER", "+61 412 345 678"),
        ("Sent to 43 Banksia Parade, Parramatta NSW 2150 yesterday.", "STREET_ADDRESS",
         "43 Banksia Parade, Parramatta NSW 2150"),
    ],
)
def test_more_formats_are_found(scrubber: Scrubber, text: str, entity: str, value: str) -> None:
    assert value in _detected(scrubber, text).get(entity, [])
    assert value not in scrubber.scrub(text).text


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("[09:14 UTC] Tendai Moyo: my dock is dead\n[09:15 UTC] Agent: sorry!", ["Tendai Moyo"]),
        ("Attendees: Hye-jin Kang (chair), Bogdan Krawczyk, Navid Rostami\n1. Budget.",
         ["Hye-jin Kang", "Bogdan Krawczyk", "Navid Rostami"]),
        ("Deliver to:\nFolasade Ogunleye\nFlat 2, 9 Quarry Close, York YO1 7HH", ["Folasade Ogunleye"]),
        ("CURRICULUM VITAE\nMingyu Feng\nUlmenallee 12, 24103 Kiel", ["Mingyu Feng"]),
        ("Solveig Aaltonen (on call) paged the team.", ["Solveig Aaltonen"]),
        ("The applicant, Wairimu Njoroge, sent her papers.", ["Wairimu Njoroge"]),
        ("References: Leen A. Al-Amiri, leen@hey.com", ["Leen A. Al-Amiri"]),
        ("Reported by Rodel Bautista after the outage.", ["Rodel Bautista"]),
        ("姓名：刘晓燕\n手机：13912345678", ["刘晓燕"]),
        ("- Employee: Elena Torres (employee no. E-24284)\n2) Approver: Tomasz Wiśniewski",
         ["Elena Torres", "Tomasz Wiśniewski"]),
    ],
)
def test_names_in_more_positions(scrubber: Scrubber, text: str, names: list[str]) -> None:
    scrubbed = scrubber.scrub(text).text
    assert [n for n in names if n in scrubbed] == []


def test_name_parts_follow_the_full_name(scrubber: Scrubber) -> None:
    """Once "Astrid T. Lindqvist" is found, a bare "Astrid" later is the same person."""
    text = "Assigned agent: Astrid T. Lindqvist\nCustomer thanked Astrid for the quick fix."
    scrubbed = scrubber.scrub(text).text
    assert "Astrid" not in scrubbed and "Lindqvist" not in scrubbed


@pytest.mark.parametrize(
    "text",
    [
        "Veltro Payments\nINVOICE F-035240\nItem: Corvid Mesh Node (HX-931-B) x 373 units",
        "Meeting notes — Warehouse Ops weekly, 25/08/2025",
        "Test value 4954 4595 5734 8106 from the runbook is unrelated.",
        "Subject: case 08806954 follow-up",
        "Bill to: Nordkyn Freight",
    ],
)
def test_companies_products_and_lookalike_numbers_survive(scrubber: Scrubber, text: str) -> None:
    assert scrubber.scrub(text).text == text


def test_parallel_scrub_many_equals_scrub(scrubber: Scrubber) -> None:
    """Forked workers give exactly what one-by-one scrub() gives, in order, groups included."""
    parallel = Scrubber(ScrubberConfig(n_process=2, parallel_min_texts=4))
    texts = HARD_NEGATIVES + [
        "Customer (Wei Zhang): +86 138 0013 8000, wei.zhang@example.com",
        "Kind regards,\nOluwaseun Adebayo",
        "Router reboot loop - Siddharth Venkataraman",
        "Customer (Siddharth Venkataraman): it reboots hourly.",
    ]
    assert parallel.scrub_many(texts) == [scrubber.scrub(t) for t in texts]
    groups = list(range(len(texts) - 1)) + [len(texts) - 2]
    assert parallel.scrub_many(texts, groups=groups) == scrubber.scrub_many(texts, groups=groups)
    assert parallel.scrub_many(texts, groups=groups)[-2].text == "Router reboot loop - <PERSON_1>"


def test_parallel_scrub_finishes_when_sigterm_is_ignored() -> None:
    """Under Dagster in a background job SIGTERM is ignored (Dagster gives it SIGINT's handler);
    the worker pool must not rely on terminating its workers with it, or scrubbing never returns."""
    script = (
        "import signal; signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
        "from llmops.pii.scrubber import Scrubber, ScrubberConfig\n"
        "scrubber = Scrubber(ScrubberConfig(n_process=2, parallel_min_texts=4))\n"
        "print(scrubber.scrub_many(['Call John Smith at +1 415 555 0100'] * 8)[7].text)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().endswith("Call <PERSON_1> at <PHONE_NUMBER_1>")


def test_brand_in_a_misread_name_is_not_removed_everywhere() -> None:
    """spaCy reads "Explained Lumora" as a PERSON; its allow-listed word keeps the brand in every mention."""
    text = ("Subject: Lumora Care sign-up failed\nResolution: Explained Lumora Care: Lumora Care extends the "
            "warranty on all your Lumora devices to 5 years. Agent: Olga Dvořák")
    scrubbed = Scrubber(ScrubberConfig(allow_list=[r"^Lumora\b"], allow_list_match="regex")).scrub(text).text
    assert scrubbed.count("Lumora") == 4 and "Olga" not in scrubbed and "Dvořák" not in scrubbed


@pytest.mark.parametrize("text", ["Tell Priya Raman at the front desk that I'm late.",
                                  "Please remind Tomasz Kovačević about the invoice."])
def test_names_after_addressing_verbs_are_removed(text: str) -> None:
    scrubbed = Scrubber().scrub(text).text
    assert "<PERSON_1>" in scrubbed and "Raman" not in scrubbed and "Kovačević" not in scrubbed


def test_addressing_verbs_keep_teams_and_products() -> None:
    text = "Call Customer Service on weekdays or email Support Team."
    assert Scrubber().scrub(text).text == text


SEGMENT, OVERLAP = 2_000, 200
PARTS = ["bracket", "hinge", "washer", "gasket", "spring", "bolt", "sleeve", "cable", "fuse", "relay"]
PROSE = ("The replacement unit ships from the central warehouse once the technician confirms the fault. "
         "Firmware 4.2.1 fixes the pairing bug; older units need the reset described in the manual.\n\n")


def test_segments_tile_the_text_and_cut_at_boundaries() -> None:
    paragraphs = PROSE * 60
    one_line = " ".join(itertools.islice(itertools.cycle(PARTS), 2_000))
    no_whitespace = "x" * 7_000
    assert segment(paragraphs[:SEGMENT], SEGMENT, OVERLAP) == [Segment(0, SEGMENT, 0, SEGMENT)]
    for text in (paragraphs, one_line, no_whitespace):
        windows = segment(text, SEGMENT, OVERLAP)
        assert len(windows) > 3 and windows[0].core_start == 0 and windows[-1].core_end == len(text)
        for window, following in zip(windows, windows[1:]):
            assert window.core_end == following.core_start
            cut = window.core_end
            if text is paragraphs:
                assert text[cut - 2 : cut] == "\n\n"
            elif text is one_line:
                assert text[cut - 1] == " " and text[cut] != " "
        for window in windows:
            assert window.end - window.start <= SEGMENT
            assert window.start <= max(window.core_start - OVERLAP, 0)
            assert window.end >= min(window.core_end + OVERLAP, len(text))


def _across_a_cut(text: str, filler: list[str], value: str, after: str) -> str:
    """text + as many filler pieces as put a window cut inside value (5+ characters from either end),
    then value + after."""
    for n in range(1, 1_000):
        grown = text + "".join(itertools.islice(itertools.cycle(filler), n))
        tail = " tail" * SEGMENT  # only so that the text goes on past the cut
        cuts = [w.core_start for w in segment(grown + value + after + tail, SEGMENT, OVERLAP)]
        if any(len(grown) + 4 < cut < len(grown) + len(value) - 4 for cut in cuts):
            return grown + value + after
    raise AssertionError(f"no filler length puts a cut inside {value!r}")


def test_segmented_scrub_equals_whole_text_with_values_across_cuts(scrubber: Scrubber) -> None:
    """A text just under the default segment size, scrubbed whole, and the same text in 2,000-char
    windows: same output, and a name, a phone number and an e-mail each cut in two by a window
    boundary (at whitespace inside the name and the number; a hard cut inside the e-mail, which sits
    in a stretch with no whitespace at all) are replaced whole."""
    name, phone, email = "Astrid Lindqvist", "+1 415 555 0132", "astrid.lindqvist@example.se"
    text = "Parts on the pallet for the customer: "
    text = _across_a_cut(text, [f"{p}, " for p in PARTS], "checked and signed by customer " + name, ", call back on ")
    text = _across_a_cut(text, [f"{p}, " for p in PARTS], phone, " about the order. Track: https://track.example.com/?")
    text = _across_a_cut(text, [f"part={p};" for p in PARTS], "mailto:" + email, " for any question.\n\n")
    while len(text) + len(PROSE) <= scrubber.config.segment_chars:
        text += PROSE
    assert scrubber.config.segment_chars - len(PROSE) < len(text) <= scrubber.config.segment_chars

    segmented = Scrubber(ScrubberConfig(segment_chars=SEGMENT, segment_overlap_chars=OVERLAP))
    result = segmented.scrub(text)
    assert result == scrubber.scrub(text) == segmented.scrub_many([text])[0]
    assert result.entities == {"PERSON": 1, "PHONE_NUMBER": 1, "EMAIL_ADDRESS": 1}
    assert "customer <PERSON_1>, call" in result.text and "<PHONE_NUMBER_1> about" in result.text
    assert "mailto:<EMAIL_ADDRESS_1> for" in result.text
    cuts = [w.core_start for w in segment(text, SEGMENT, OVERLAP)]
    for value in (name, phone, email):
        start = text.index(value)
        cut = next(c for c in cuts if start < c < start + len(value))
        for fragment in (value, text[start:cut].strip(), text[cut : start + len(value)].strip()):
            assert fragment not in result.text, fragment


def test_pseudonyms_are_numbered_across_windows() -> None:
    """The text is anonymized whole after windowed analysis: one value, one pseudonym, in any window."""
    text = ("Call Astrid Lindqvist on +1 415 555 0132.\n\n" + PROSE * 40 + "Ask Jonas Berg, not Astrid Lindqvist.\n\n"
            + PROSE * 40 + "Astrid Lindqvist will call back on +1 415 555 0132.")
    segmented = Scrubber(ScrubberConfig(segment_chars=SEGMENT, segment_overlap_chars=OVERLAP))
    assert len(segment(text, SEGMENT, OVERLAP)) > 4
    result = segmented.scrub_many([text])[0]
    assert result.text.startswith("Call <PERSON_1> on <PHONE_NUMBER_1>.")
    assert "Ask <PERSON_2>, not <PERSON_1>." in result.text
    assert result.text.endswith("<PERSON_1> will call back on <PHONE_NUMBER_1>.")


@pytest.mark.parametrize("text", [
    "Checked against the policy, section 19.8.6.6.",
    "#### 5.6.12.1. Epochs should be used sparingly",
    "9.3.3.2 Running init scripts",
    "Upgrade the billing system to 4.4.7.18 on Monday.",
    "Release 2.14.1.3 fixes the export.",
    "See 1.2.3.4.5 in the appendix.",
])
def test_section_and_version_numbers_are_not_ip_addresses(scrubber: Scrubber, text: str) -> None:
    assert scrubber.scrub(text).text == text


@pytest.mark.parametrize("text", [
    "Requests came from 23.45.67.89 all night.",
    "Her laptop (81.2.69.160) logged in twice.",
    "ssh to 10.20.30.40 and restart it",
    "Blocked 203.0.113.77 after the scan.",
])
def test_host_addresses_are_still_scrubbed(scrubber: Scrubber, text: str) -> None:
    assert "<IP_ADDRESS_1>" in scrubber.scrub(text).text


def test_a_lone_all_capitals_word_is_not_a_person(scrubber: Scrubber) -> None:
    text = "Store the payload as JSON in a BLOB column and add the folder to PATH."
    assert scrubber.scrub(text).text == text
