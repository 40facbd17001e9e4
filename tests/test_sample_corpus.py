"""Tests for the seeded sample-corpus generator.

The ingestion stage counts documents by a fixed rule (jsonl line / csv row /
one md-txt-html or office file / one e-mail plus its attachments), so the tests
re-count by that rule independently of the generator, re-validate every planted
checksum-bearing PII value, and read the corpus with the ingestion readers.
"""

from __future__ import annotations

import csv
import json
import re
import zipfile
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest

from llmops.ingest.files import QUESTIONS_FILE
from llmops.ingest.raw_documents import IngestResult, normalize_text, read_documents
from llmops.sample.catalog import FACTS, CorpusManifest, load_manifest, write_manifest
from llmops.sample.corpus import generate_corpus
from llmops.sample.office import FIXED_TIME
from llmops.sample.office_docs import OFFICE_MIN_DOCS
from llmops.sample.people import PII_TYPES
from llmops.sample.tickets import TICKET_FIELDS

RECORD_FIELDS = ["doc_id", "title", "doc_type", "text"]
OFFICE_SUFFIXES = (".docx", ".xlsx", ".pptx", ".pdf", ".eml")


def count_docs(root: Path) -> dict[str, int]:
    """Count documents per top-level folder by the ingestion rule, validating structure."""
    counts: dict[str, int] = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p != root / QUESTIONS_FILE):
        top = path.relative_to(root).parts[0]
        suffix = path.suffix
        if suffix == ".jsonl":
            n = 0
            for line in path.read_text(encoding="utf-8").split("\n"):
                if not line:
                    continue
                rec = json.loads(line)
                expected = list(TICKET_FIELDS) if top == "tickets" else RECORD_FIELDS
                assert list(rec) == expected, path
                assert all(isinstance(v, str) and v for v in rec.values()), path
                n += 1
        elif suffix == ".csv":
            with path.open(encoding="utf-8", newline="") as fh:
                reader = csv.DictReader(fh)
                assert reader.fieldnames == list(TICKET_FIELDS), path
                rows = list(reader)
            assert all(all(row.values()) for row in rows), path
            n = len(rows)
        elif suffix in (".md", ".txt", ".html", ".docx", ".xlsx", ".pptx", ".pdf"):
            n = 1
        elif suffix == ".eml":
            message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
            n = 1 + len(list(message.iter_attachments()))
        else:
            raise AssertionError(f"unexpected file {path}")
        counts[top] = counts.get(top, 0) + n
    return counts


def all_text(result: IngestResult) -> str:
    """Every document's text as ingestion reads it (office files through their readers)."""
    return "\n".join(d.text for d in result.documents)


def luhn_ok(value: str) -> bool:
    digits = [int(c) for c in value if c.isdigit()]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return len(digits) in (15, 16) and total % 10 == 0


def iban_ok(value: str) -> bool:
    compact = value.replace(" ", "")
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}", compact):
        return False
    expected_len = {"DE": 22, "GB": 22, "FR": 27, "NL": 18, "ES": 24}[compact[:2]]
    rearranged = compact[4:] + compact[:4]
    return len(compact) == expected_len and int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


def cn_id_ok(value: str) -> bool:
    if not re.fullmatch(r"\d{17}[\dX]", value):
        return False
    weights = [2 ** (17 - i) % 11 for i in range(17)]
    check = "10X98765432"[sum(int(c) * w for c, w in zip(value[:17], weights)) % 11]
    year, month, day = int(value[6:10]), int(value[10:12]), int(value[12:14])
    return check == value[17] and 1900 < year < 2010 and 1 <= month <= 12 and 1 <= day <= 31


def ssn_ok(value: str) -> bool:
    m = re.fullmatch(r"(\d{3})[- ](\d{2})[- ](\d{4})", value)
    if not m:
        return False
    area, group, serial = (int(x) for x in m.groups())
    return 0 < area < 900 and area != 666 and group > 0 and serial > 0


@pytest.fixture(scope="module")
def corpus180(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, CorpusManifest]:
    out = tmp_path_factory.mktemp("c180")
    return out, generate_corpus(out, n_docs=180, seed=7)


@pytest.fixture(scope="module")
def ingested180(corpus180: tuple[Path, CorpusManifest]) -> IngestResult:
    return read_documents(corpus180[0])


@pytest.mark.parametrize("n", [0, 1, 7, 50, 180, 2000])
def test_counts_are_exact(tmp_path: Path, n: int) -> None:
    manifest = generate_corpus(tmp_path, n_docs=n, seed=3)
    counts = count_docs(tmp_path)
    assert sum(counts.values()) == n
    assert manifest.n_docs == n
    assert sum(manifest.doc_counts.values()) == n
    on_disk = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert sorted(manifest.files + [QUESTIONS_FILE]) == on_disk  # the question set is not a document
    office = [f for f in on_disk if f.endswith(OFFICE_SUFFIXES)]
    assert len(office) == (5 if n >= OFFICE_MIN_DOCS else 0)


def test_kind_shares_180(corpus180: tuple[Path, CorpusManifest]) -> None:
    root, _ = corpus180
    assert count_docs(root) == {"faq": 36, "tickets": 54, "manuals": 36, "policies": 27, "chats": 27}


def test_deterministic_bytes(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    ma = generate_corpus(a, n_docs=120, seed=11)
    mb = generate_corpus(b, n_docs=120, seed=11)
    assert ma.to_json() == mb.to_json()
    for rel in ma.files:
        assert (a / rel).read_bytes() == (b / rel).read_bytes(), rel
    mc = generate_corpus(tmp_path / "c", n_docs=120, seed=12)
    assert mc.planted_pii != ma.planted_pii


def test_office_files_carry_no_time_of_generation(corpus180: tuple[Path, CorpusManifest]) -> None:
    """The libraries stamp the current time; the generator resets every stamp to FIXED_TIME."""
    root, manifest = corpus180
    zipped = [root / f for f in manifest.files if f.endswith((".docx", ".xlsx", ".pptx"))]
    assert len(zipped) == 3
    for path in zipped:
        with zipfile.ZipFile(path) as archive:
            assert {info.date_time for info in archive.infolist()} == {FIXED_TIME.timetuple()[:6]}
            core = archive.read("docProps/core.xml").decode()
        assert re.findall(r"<dcterms:\w+[^>]*>([^<]*)<", core) == ["2024-12-02T09:30:00Z"] * 2, path.name
    [pdf] = [root / f for f in manifest.files if f.endswith(".pdf")]
    assert set(re.findall(rb"/CreationDate\(D:(\d{14})", pdf.read_bytes())) == {b"20241202093000"}


def test_checksums_of_planted_pii(corpus180: tuple[Path, CorpusManifest], tmp_path: Path) -> None:
    manifests = [corpus180[1], generate_corpus(tmp_path, n_docs=2000, seed=5)]
    for m in manifests:
        assert set(m.planted_pii) == set(PII_TYPES)
        assert all(m.planted_pii[t] for t in PII_TYPES), {t: len(v) for t, v in m.planted_pii.items()}
        assert all(luhn_ok(v) for v in m.planted_pii["CREDIT_CARD"])
        assert all(iban_ok(v) for v in m.planted_pii["IBAN_CODE"])
        assert all(cn_id_ok(v) for v in m.planted_pii["CN_RESIDENT_ID"])
        assert all(ssn_ok(v) for v in m.planted_pii["US_SSN"])
    big = manifests[1].planted_pii
    # values are drawn from the RNG, not a short fixed list
    assert len(big["CREDIT_CARD"]) > 100 and len(big["EMAIL_ADDRESS"]) > 500


def test_planted_values_and_facts_are_written(corpus180: tuple[Path, CorpusManifest],
                                               ingested180: IngestResult) -> None:
    _, manifest = corpus180
    text = all_text(ingested180)
    for kind, values in manifest.planted_pii.items():
        # as ingestion normalizes it: NFKC turns the Spanish "2º C" into "2o C"
        missing = [v for v in values if normalize_text(v) not in text]
        assert not missing, (kind, missing[:5])
    missing_facts = [a for _, a in manifest.facts if a not in text]
    assert not missing_facts
    assert len(manifest.facts) == len(FACTS) >= 40


def test_hard_negatives_present(ingested180: IngestResult) -> None:
    text = all_text(ingested180)
    for pattern in (r"ORD-20\d\d-\d{6}", r"TCK-\d{6}", r"LM-[A-Z]{3}-[A-Z0-9]+",
                    r"firmware \d+\.\d+\.\d+", r"LM-PN-\d{4}-\d\d[A-Z]", r"\b[0-9a-f]{40}\b",
                    r"EUR \d[\d,]*\.\d\d"):
        assert re.search(pattern, text), pattern


def test_format_conventions(corpus180: tuple[Path, CorpusManifest]) -> None:
    root, manifest = corpus180
    for rel in manifest.files:
        path = root / rel
        if rel.endswith(OFFICE_SUFFIXES):
            continue  # binary: read through the ingestion readers in test_office_documents_read
        body = path.read_text(encoding="utf-8")
        assert "\r" not in body
        lines = body.split("\n")
        if rel.startswith("faq/") and rel.endswith(".md"):
            assert lines[0].startswith("# ")
            heads = [ln for ln in lines if ln.startswith("## ")]
            assert len(heads) >= 3 and all(h.endswith("?") for h in heads)
        elif rel.startswith("faq/") and rel.endswith(".html"):
            assert "<h1>" in body and "<h2>" in body and "<script" in body
            assert all(q.endswith("?") for q in re.findall(r"<h2>(.*?)</h2>", body))
        elif rel.startswith("manuals/") and rel.endswith(".md"):
            assert re.fullmatch(r"# .+ manual: .+", lines[0])
        elif rel.endswith(".txt"):
            assert lines[1] and set(lines[1]) == {"="} and len(lines[1]) == len(lines[0])
            if rel.startswith("manuals/"):
                assert " manual: " in lines[0]
            if rel.startswith("policies/"):
                assert any(ln.startswith("## ") for ln in lines)
            if rel.startswith("chats/"):
                turns = [ln for ln in lines if ln.startswith("[")]
                assert len(turns) >= 6
                assert all(re.fullmatch(r"\[\d\d:\d\d\] (Customer|Agent) \([^)]+\): .+", t)
                           for t in turns)
        elif rel.startswith("policies/") and rel.endswith(".html"):
            assert "<h1>" in body and "<h2>" in body
        assert 200 <= len(body) or rel.endswith((".jsonl", ".csv")), rel


def test_office_documents_read(corpus180: tuple[Path, CorpusManifest], ingested180: IngestResult) -> None:
    """Every office file reads with its structure: headings, lists, merged cells, footer, sheets
    split into tables, slides with notes, PDF pages with outline headings, a mail and its attachment."""
    _, manifest = corpus180
    assert ingested180.quarantined == [] and ingested180.duplicates == 0
    assert len(ingested180.documents) == 180 == sum(manifest.doc_counts.values())
    by_file = {d.format + ("+attachment" if "#attachment " in d.source else ""): d
               for d in ingested180.documents if d.format in ("docx", "xlsx", "pptx", "pdf", "eml")}
    assert sorted(by_file) == ["docx", "docx+attachment", "eml", "pdf", "pptx", "xlsx"]
    types = {d.source.split("/")[0]: d.doc_type for d in by_file.values()}
    assert types == {"policies": "policy", "faq": "faq", "manuals": "manual", "tickets": "ticket"}

    word = by_file["docx"].text
    assert word.startswith("# Business travel and expenses handbook\n") and "\n## Limits at a glance\n" in word
    assert "\n- Attach a receipt per item.\n" in word
    assert "| Expense limits from 2024-04-01 |\n| Expense | Limit | Receipt |" in word  # merged title row, once
    assert re.search(r"^> Footer: Document owner: .+@lumora\.example", word, re.M)
    sheets = by_file["xlsx"].text
    assert sheets.count("<!-- sheet ") == 2 and sheets.count("| Installer | Company |") == 2  # 42 rows: 40 + 2
    slides = by_file["pptx"].text
    assert slides.count("<!-- slide ") == 4 and slides.count("> Notes: ") == 4 and "| Topic |" in slides
    guide = by_file["pdf"].text
    assert guide.count("<!-- page ") == 3 and "\n## Commissioning record\n" in guide
    assert by_file["eml"].text.startswith("# Re: [TCK-") and "\nFrom: " in by_file["eml"].text
    assert by_file["docx+attachment"].title == "Lumora return form"

    planted = [v for values in manifest.planted_pii.values() for v in values]
    for name, doc in by_file.items():
        assert any(v in doc.text for v in planted), name
        assert any(v in doc.text for v in manifest.planted_pii["PERSON"]), name


def test_manifest_roundtrip_and_not_in_corpus(corpus180: tuple[Path, CorpusManifest],
                                               tmp_path: Path) -> None:
    root, manifest = corpus180
    assert not any("manifest" in p.name for p in root.rglob("*"))
    path = write_manifest(manifest, tmp_path / "meta" / "manifest.json")
    assert load_manifest(path) == manifest


def test_rerun_replaces_previous_output(tmp_path: Path) -> None:
    generate_corpus(tmp_path, n_docs=300, seed=1)
    keep = tmp_path / "incoming_bad" / "note.txt"
    keep.parent.mkdir()
    keep.write_text("hand-made\n", encoding="utf-8")
    manifest = generate_corpus(tmp_path, n_docs=40, seed=1)
    counts = count_docs(tmp_path)
    assert counts.pop("incoming_bad") == 1
    assert sum(counts.values()) == 40 == manifest.n_docs
    assert keep.read_text(encoding="utf-8") == "hand-made\n"


def test_large_corpus_stays_compact(tmp_path: Path) -> None:
    manifest = generate_corpus(tmp_path, n_docs=20000, seed=7)
    assert sum(manifest.doc_counts.values()) == 20000
    assert len(manifest.files) < 250
    assert sum(count_docs(tmp_path).values()) == 20000
