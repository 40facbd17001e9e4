"""Office and PDF readers on files made with the libraries people's tools use, the limits that
quarantine a file with a reason, and the cache that skips unchanged files on a rerun.
(Real files nobody here wrote are read in tests/test_real_docs.py.)"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path


from llmops.ingest.blocks import sections
from llmops.ingest.raw_documents import IngestSettings, read_documents
from llmops.ingest.readers import ReadLimits

REAL_PDF = Path(__file__).parent / "data" / "real_docs" / "pdf"


def _docx(path: Path) -> None:
    import docx

    document = docx.Document()
    document.core_properties.title = "Heat pump service guide"
    document.core_properties.author = "Field Service"
    document.add_heading("Installation", level=1)
    document.add_paragraph("Mount the outdoor unit on a level concrete base.")
    document.add_heading("Wiring", level=2)
    document.add_paragraph("Use a dedicated 16 A circuit breaker.", style="List Bullet")
    document.add_paragraph("Check the earth connection twice.", style="List Bullet")
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).text, table.cell(0, 1).text = "Model", "Breaker"
    merged = table.cell(1, 0).merge(table.cell(2, 0))
    merged.text = "HP-9 series"
    table.cell(1, 1).text, table.cell(2, 1).text = "16 A", "20 A"
    document.add_heading("维护", level=1)  # a Chinese heading
    paragraph = document.add_paragraph("每年清洗一次过滤网。")
    document.add_comment(paragraph.runs[0], text="Confirm the interval with engineering.", author="QA")
    document.sections[0].footer.paragraphs[0].text = "Owner: service documentation team"
    document.save(path)


def _pptx(path: Path) -> None:
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    for title, body, notes in (("Quarterly review", "Revenue grew in every region.", "Mention the APAC launch."),
                               ("Next steps", "Hire two support engineers.", "")):
        slide = deck.slides.add_slide(deck.slide_layouts[1])
        slide.shapes.title.text = title
        slide.placeholders[1].text = body
        if notes:
            slide.notes_slide.notes_text_frame.text = notes
    rows = deck.slides[1].shapes.add_table(2, 2, Inches(1), Inches(4), Inches(4), Inches(1)).table
    rows.cell(0, 0).text, rows.cell(0, 1).text = "Role", "Start"
    rows.cell(1, 0).text, rows.cell(1, 1).text = "Support engineer", "March"
    deck.save(path)


def _xlsx(path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Parts"
    sheet.append(["Part number", "Description", "Price"])
    for number in range(95):
        sheet.append([f"P-{number:04d}", f"Filter cartridge size {number}", 12.5 + number])
    notes = book.create_sheet("备注")
    notes["A1"] = "价格不含税"
    book.save(path)


def _read(root: Path, **limits) -> dict:
    result = read_documents(root, IngestSettings(limits=ReadLimits(**limits)))
    assert result.records_seen == len(result.documents) + result.duplicates + len(result.quarantined)
    return {"docs": {d.source: d for d in result.documents},
            "reasons": {q.source: q.reason for q in result.quarantined}, "result": result}


def test_word_headings_lists_merged_cells_comments_and_footer(tmp_path: Path) -> None:
    _docx(tmp_path / "guide.docx")
    doc = _read(tmp_path)["docs"]["guide.docx"]
    assert doc.format == "docx" and doc.title == "Heat pump service guide" and doc.metadata["author"] == "Field Service"
    parts = {s.headings: s.text for s in sections(doc.text)}
    assert "level concrete base" in parts[("Installation",)]
    wiring = parts[("Installation", "Wiring")]
    assert "- Use a dedicated 16 A circuit breaker." in wiring and "- Check the earth connection twice." in wiring
    assert "| HP-9 series | 16 A |" in wiring and "| HP-9 series | 20 A |" in wiring  # merged cell once per row
    maintenance = parts[("维护",)]
    assert "每年清洗一次过滤网。" in maintenance
    assert "Comment (QA): Confirm the interval with engineering." in maintenance
    assert "Footer: Owner: service documentation team" in maintenance


def test_powerpoint_slides_titles_tables_and_speaker_notes(tmp_path: Path) -> None:
    _pptx(tmp_path / "review.pptx")
    doc = _read(tmp_path)["docs"]["review.pptx"]
    parts = [(s.location, s.headings, s.text) for s in sections(doc.text)]
    assert parts[0][:2] == ("slide 1", ("Quarterly review",)) and "Revenue grew in every region." in parts[0][2]
    assert "> Notes: Mention the APAC launch." in parts[0][2]
    assert parts[1][:2] == ("slide 2", ("Next steps",))
    assert "| Support engineer | March |" in parts[1][2]
    assert doc.metadata["pages"] == "2"


def test_excel_every_sheet_with_its_header_repeated(tmp_path: Path) -> None:
    _xlsx(tmp_path / "parts.xlsx")
    doc = _read(tmp_path)["docs"]["parts.xlsx"]
    found = list(sections(doc.text))
    parts = [s for s in found if s.location == "sheet Parts"]
    assert all(s.headings == ("Parts",) for s in parts)
    tables = [t for t in "\n\n".join(s.text for s in parts).split("\n\n") if t.startswith("|")]
    assert len(tables) == 3  # 95 rows in tables of 40, each led by the header row
    assert all(t.startswith("| Part number | Description | Price |") for t in tables)
    assert "| P-0094 | Filter cartridge size 94 | 106.5 |" in tables[-1]
    assert [s.text for s in found if s.location == "sheet 备注"] == ["| 价格不含税 |"]


def test_pdf_pages_and_outline_headings_from_a_real_manual(tmp_path: Path) -> None:
    """Debian's New Maintainers' Guide (PDF made by DBLaTeX): each page is located, the outline
    gives the heading path."""
    (tmp_path / "manuals").mkdir()
    (tmp_path / "manuals" / "guide.pdf").write_bytes((REAL_PDF / "maint-guide.en.pdf").read_bytes())
    doc = _read(tmp_path)["docs"]["manuals/guide.pdf"]
    assert doc.doc_type == "manual" and doc.metadata["pages"] == "63"
    found = list(sections(doc.text))
    assert {s.location for s in found} >= {f"page {n}" for n in range(2, 64)}
    assert sum(1 for s in found if s.headings) > 0.8 * len(found)
    # Every section under a heading sits on or after the page its bookmark points to.
    assert all(s.location.startswith("page ") for s in found)


def test_corrupt_encrypted_and_bomb_files_are_quarantined_with_reasons(tmp_path: Path) -> None:
    _docx(tmp_path / "good.docx")
    (tmp_path / "broken.docx").write_bytes((tmp_path / "good.docx").read_bytes()[:3000])
    (tmp_path / "locked.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * 30_000_000)
    (tmp_path / "bomb.docx").write_bytes(buffer.getvalue())
    (tmp_path / "notes.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    read = _read(tmp_path, max_unpacked_mb=20)
    assert list(read["docs"]) == ["good.docx"]
    reasons = read["reasons"]
    assert reasons["broken.docx"].startswith("corrupt file: not a valid zip container")
    assert reasons["locked.xlsx"].startswith("password-protected (encrypted) or legacy binary Office file")
    assert reasons["bomb.docx"].startswith("unpacks to 30 MB, over the 20 MB allowed (max_unpacked_mb)")
    assert reasons["notes.doc"] == "legacy Word 97-2003 format: save it as .docx"
    stats = read["result"].formats
    assert (stats["docx"].files, stats["docx"].documents, stats["docx"].quarantined) == (3, 1, 2)


def test_page_limit_quarantines_instead_of_cutting(tmp_path: Path) -> None:
    _pptx(tmp_path / "review.pptx")
    assert _read(tmp_path, max_pages=1)["reasons"] == {"review.pptx": "2 slides, over the 1 allowed (max_pages)"}


def test_unchanged_files_come_from_the_cache(tmp_path: Path) -> None:
    raw, cache = tmp_path / "raw", tmp_path / "cache"
    raw.mkdir()
    _docx(raw / "guide.docx")
    _xlsx(raw / "parts.xlsx")
    (raw / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    settings = IngestSettings(cache_dir=cache)
    first = read_documents(raw, settings)
    assert sum(s.from_cache for s in first.formats.values()) == 0
    (raw / "guide.docx").rename(raw / "renamed.docx")
    _pptx(raw / "review.pptx")
    second = read_documents(raw, settings)
    assert {name: s.from_cache for name, s in second.formats.items()} == {"doc": 0, "docx": 1, "pptx": 0, "xlsx": 1}
    assert sorted(d.source for d in second.documents) == ["parts.xlsx", "renamed.docx", "review.pptx"]
    assert [d.text for d in second.documents if d.source == "renamed.docx"] == [
        d.text for d in first.documents if d.source == "guide.docx"]
    assert {q.source: q.reason for q in second.quarantined} == {"old.doc": "legacy Word 97-2003 format: save it as .docx"}
    # Other limits, other cache entries: nothing read under one set of limits is reused under another.
    third = read_documents(raw, IngestSettings(cache_dir=cache, limits=ReadLimits(max_pages=1)))
    assert sum(s.from_cache for s in third.formats.values()) == 0
    assert {q.source for q in third.quarantined} == {"old.doc", "review.pptx", "parts.xlsx"}
    assert json.loads(next(cache.rglob("*.jsonl")).read_text().splitlines()[0])  # plain JSON lines


def test_nothing_ingested_is_reported(tmp_path: Path) -> None:
    (tmp_path / "a.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    assert read_documents(tmp_path).nothing_ingested
    (tmp_path / "empty").mkdir()
    assert not read_documents(tmp_path / "empty").nothing_ingested  # no files, nothing to fail on
