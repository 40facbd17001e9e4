"""OpenDocument reader on real files from odfpy's and odfdo's test suites (tests/data/odf/README.md;
expected text read from each file's content.xml and styles.xml), on files written with odfpy,
and on encrypted, corrupt and crafted files derived from them."""

from __future__ import annotations

import io
import os
import re
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from odf.dc import Creator
from odf.draw import Frame, G, Page, TextBox
from odf.meta import InitialCreator
from odf.office import Annotation
from odf.opendocument import OpenDocument, OpenDocumentPresentation, OpenDocumentSpreadsheet, OpenDocumentText
from odf.presentation import Notes
from odf.style import MasterPage, PageLayout
from odf.table import Table, TableCell, TableRow
from odf.text import H, List, ListItem, P

from llmops.ingest.blocks import Block, render
from llmops.ingest.formats import read_file
from llmops.ingest.blocks import ROWS_PER_TABLE
from llmops.ingest.readers import Extracted, IngestError, ReadContext, ReadLimits

DATA = Path(__file__).parent / "data" / "odf"


def _read(name: str, payload: bytes | None = None, limits: ReadLimits = ReadLimits()) -> Extracted:
    data = (DATA / name).read_bytes() if payload is None else payload
    (item,) = read_file(name, io.BytesIO(data), ReadContext(limits))
    return item


def _saved(document: OpenDocument) -> bytes:
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


def _rewritten(name: str, change: Callable[[str, bytes], bytes | None]) -> bytes:
    """A copy of a real fixture with some members changed (None drops one)."""
    out = io.BytesIO()
    with zipfile.ZipFile(DATA / name) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if (data := change(info.filename, source.read(info))) is not None:
                target.writestr(info.filename, data)
    return out.getvalue()


def _kinds(item: Extracted) -> list[tuple[str, str]]:
    return [(block.kind, block.text) for block in item.blocks]


# --- text ----------------------------------------------------------------------------------------


def test_heading_and_page_style_header_footer():
    item = _read("headerfooter.odt")
    assert _kinds(item) == [("heading", "Lorem ipsum"), ("note", "Header: Header\t1\tTest"),
                            ("note", "Footer: Footer\t1\tBottom")]
    assert item.blocks[0].level == 1
    assert item.metadata == {"author": "Søren Roug", "created": "2008-03-20T22:39:17",
                             "modified": "2008-03-20T22:42:26", "last_modified_by": "Søren Roug", "format": "odt"}


def test_nested_list_is_one_list_block():
    assert _kinds(_read("twolevellist.odt")) == [
        ("paragraph", "Line 1"),
        ("list", "Item A\nItem B\nSubitem B.1\nSubitem B.2 (bold)\nItem C"),
        ("paragraph", "Line 4")]


def test_footnote_endnote_and_comment_follow_their_paragraph():
    assert _kinds(_read("note.odt")) == [
        ("paragraph", "Un paragraphe d'apparence banale."),
        ("note", "Footnote 1: C'est-à-dire l'élément « text:p »."),
        ("note", "Endnote i: Les apparences sont trompeuses !"),
        ("note", "Comment (Auteur inconnu): Sauf qu'il est commenté !")]


def test_deleted_changes_and_table_of_contents_are_left_out():
    assert render(_read("tracked_changes.odt").blocks) == "Bonjour  los bonitos amigos  ça va ?"
    toc = _read("toc.odt")
    assert toc.title == "Lpod TOC test"
    assert [(b.kind, b.level, b.text) for b in toc.blocks][:4] == [
        ("heading", 1, "Level 1 title 1"), ("heading", 2, "Level 2 title 1"), ("heading", 1, "Level 1 title 2"),
        ("heading", 3, "Level 3 title 1")]
    assert all(block.kind == "heading" for block in toc.blocks)  # the index lines are not repeated


def test_tables_under_headings_with_a_note_in_a_cell():
    item = _read("table.odt")
    assert [block.kind for block in item.blocks] == ["heading", "table", "heading", "table", "note"]
    first = item.blocks[1].text.splitlines()
    assert first[0] == "| a | b | c | d |"
    assert first[-1] == "| 100 | 200 | 300 | 400 |"
    assert "| 1.234 | a | bb | 2024-12-25 | -2 |" in item.blocks[3].text
    assert item.blocks[4].text == "Footnote 1: Note in a cell"


def test_generated_text_document_with_chinese_comment_and_metadata():
    document = OpenDocumentText()
    document.meta.addElement(InitialCreator(text="王芳"))
    document.meta.addElement(Creator(text="李伟"))
    document.text.addElement(H(outlinelevel=2, text="项目概述"))
    paragraph = P(text="本项目预计于六月上线。")
    comment = Annotation()
    comment.addElement(Creator(text="张三"))
    comment.addElement(P(text="请确认日期"))
    paragraph.addElement(comment)
    document.text.addElement(paragraph)
    steps = List()
    for step in ("需求", "开发"):
        entry = ListItem()
        entry.addElement(P(text=step))
        steps.addElement(entry)
    document.text.addElement(steps)
    item = _read("plan.odt", _saved(document))
    assert [(b.kind, b.level, b.text) for b in item.blocks] == [
        ("heading", 2, "项目概述"), ("paragraph", 0, "本项目预计于六月上线。"),
        ("note", 0, "Comment (张三): 请确认日期"), ("list", 0, "需求\n开发")]
    assert item.metadata["author"] == "王芳" and item.metadata["last_modified_by"] == "李伟"


# --- spreadsheets --------------------------------------------------------------------------------


def test_chinese_sheet_with_repeated_cell():
    item = _read("chinese_spreadsheet.ods")
    assert item.blocks == [Block("heading", "工作表1", level=1, location="sheet 工作表1"),
                           Block("table", "| test | test | test |", location="sheet 工作表1")]
    assert item.pages == 1


def test_libreoffice_sheet_of_full_width_rows_reads_only_its_cells():
    started = time.perf_counter()
    item = _read("test_col_cell.ods")
    assert time.perf_counter() - started < 5  # 16,384 columns x 1,048,576 rows are never written out
    (heading, table) = item.blocks
    assert heading.text == "Sheet1" and table.location == "sheet Sheet1"
    assert table.text.splitlines() == ["| r |", "| s |", "| a | b | c | d |", "| e | f |", "|  |  |  |  |  | x |"]


def test_rows_inside_a_row_group():
    assert _read("rowgroup.ods").blocks[1].text == "| a2 | b2 |\n| a3 | b3 |"


def _sheet(name: str, rows: list[list[tuple[str, int]]]) -> Table:
    """A sheet whose rows are lists of (text, columns repeated)."""
    table = Table(name=name)
    for cells in rows:
        row = TableRow()
        for text, repeat in cells:
            cell = TableCell(numbercolumnsrepeated=repeat) if repeat > 1 else TableCell()
            if text:
                cell.addElement(P(text=text))
            row.addElement(cell)
        table.addElement(row)
    return table


def test_generated_workbook_sheets_tables_and_comment():
    workbook = OpenDocumentSpreadsheet()
    rows = [[("Region", 1), ("Owner", 1)]] + [[(f"R{n}", 1), (f"Owner {n}", 1)] for n in range(ROWS_PER_TABLE + 5)]
    workbook.spreadsheet.addElement(_sheet("Sales 2024", rows))
    notes = _sheet("备注", [[("预算", 1), ("", 3), ("批准", 2)]])
    comment = Annotation()
    comment.addElement(Creator(text="Li"))
    comment.addElement(P(text="Check totals"))
    notes.childNodes[0].childNodes[0].addElement(comment)
    workbook.spreadsheet.addElement(notes)
    item = _read("book.ods", _saved(workbook))
    assert item.pages == 2
    assert [(b.kind, b.location) for b in item.blocks] == [
        ("heading", "sheet Sales 2024"), ("table", "sheet Sales 2024"), ("table", "sheet Sales 2024"),
        ("heading", "sheet 备注"), ("table", "sheet 备注"), ("note", "sheet 备注")]
    first, second = item.blocks[1].text.splitlines(), item.blocks[2].text.splitlines()
    assert first[0] == second[0] == "| Region | Owner |"  # every table repeats the header row
    last = ROWS_PER_TABLE + 4
    assert len(first) == ROWS_PER_TABLE + 1 and second[-1] == f"| R{last} | Owner {last} |"
    assert item.blocks[4].text == "| 预算 |  |  |  | 批准 | 批准 |"
    assert item.blocks[5].text == "Comment (Li): Check totals"


def test_crafted_repeats_are_bounded():
    workbook = OpenDocumentSpreadsheet()
    workbook.spreadsheet.addElement(_sheet("Tail", [[("a", 1), ("", 2_000_000_000)]] * 3))
    started = time.perf_counter()
    assert _read("tail.ods", _saved(workbook)).blocks[1].text == "| a |\n| a |\n| a |"
    assert time.perf_counter() - started < 5

    workbook = OpenDocumentSpreadsheet()
    workbook.spreadsheet.addElement(_sheet("Wide", [[("a", 1), ("", 2_000_000_000), ("b", 1)]]))
    with pytest.raises(IngestError, match="more than 16,384 columns"):
        _read("wide.ods", _saved(workbook))


def test_sheet_count_is_limited():
    workbook = OpenDocumentSpreadsheet()
    for n in range(3):
        workbook.spreadsheet.addElement(_sheet(f"S{n}", [[("x", 1)]]))
    with pytest.raises(IngestError, match="3 sheets, over the 2 allowed"):
        _read("many.ods", _saved(workbook), ReadLimits(max_pages=2))


# --- presentations -------------------------------------------------------------------------------


def test_outline_slide_from_libreoffice():
    item = _read("ol.odp")
    assert item.pages == 1 and item.title == "PowerPoint Presentation"
    outline = ["Eins", "Tsvey", "Dray", "Fir", "Finf", "Zeks", "Zibn", "Akht", "Nayn", "Tsen", "Elf", "Tsvelf",
               "Draytsn", "fertsn"]
    assert _kinds(item) == [("heading", "OL"), ("list", "\n".join(outline))]
    assert {block.location for block in item.blocks} == {"slide 1"}


def _frame(x: str, y: str, text: str, **attributes: str) -> Frame:
    frame = Frame(x=x, y=y, width="10cm", height="2cm", **attributes)
    box = TextBox()
    box.addElement(P(text=text))
    frame.addElement(box)
    return frame


def test_generated_deck_reading_order_notes_comment_and_untitled_slide():
    deck = OpenDocumentPresentation()
    layout = PageLayout(name="PL")
    deck.automaticstyles.addElement(layout)
    master = MasterPage(name="Default", pagelayoutname=layout)
    deck.masterstyles.addElement(master)
    first = Page(masterpagename=master, name="p1")
    first.addElement(_frame("2cm", "9cm", "Bottom text"))
    first.addElement(_frame("2cm", "1cm", "季度回顾", **{"class": "title"}))
    group = G()
    group.addElement(_frame("12cm", "4cm", "Right in group"))
    group.addElement(_frame("1cm", "4cm", "Left in group"))
    first.addElement(group)
    comment = Annotation()
    comment.addElement(Creator(text="Li"))
    comment.addElement(P(text="Check the figures"))
    first.addElement(comment, check_grammar=False)  # a slide comment: ODF 1.3, newer than odfpy's grammar
    notes = Notes()
    notes.addElement(_frame("1cm", "1cm", "Mention the budget", **{"class": "notes"}))
    first.addElement(notes)
    second = Page(masterpagename=master, name="p2")
    second.addElement(_frame("1cm", "1cm", "Only a text box"))
    deck.presentation.addElement(first)
    deck.presentation.addElement(second)
    item = _read("review.odp", _saved(deck))
    assert item.pages == 2
    assert [(b.kind, b.text, b.location) for b in item.blocks] == [
        ("heading", "季度回顾", "slide 1"), ("paragraph", "Left in group", "slide 1"),
        ("paragraph", "Right in group", "slide 1"), ("paragraph", "Bottom text", "slide 1"),
        ("note", "Notes: Mention the budget", "slide 1"), ("note", "Comment (Li): Check the figures", "slide 1"),
        ("heading", "Slide 2", "slide 2"), ("paragraph", "Only a text box", "slide 2")]


# --- files that cannot be read -------------------------------------------------------------------


def test_encrypted_file_is_rejected():
    encryption = (b'<manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="x">'
                  b'<manifest:algorithm manifest:algorithm-name="Blowfish CFB" manifest:initialisation-vector="y"/>'
                  b'<manifest:key-derivation manifest:key-derivation-name="PBKDF2" manifest:iteration-count="1024" '
                  b'manifest:salt="z"/></manifest:encryption-data></manifest:file-entry>')

    def encrypt(name: str, data: bytes) -> bytes:
        if name == "content.xml":
            return os.urandom(len(data))
        if name == "META-INF/manifest.xml":
            data, found = re.subn(rb'(<manifest:file-entry [^>]*manifest:full-path="content.xml"[^>]*)/>',
                                  rb"\1>" + encryption, data)
            assert found == 1
            return data
        return data

    with pytest.raises(IngestError, match="password-protected"):
        _read("secret.odt", _rewritten("note.odt", encrypt))


def test_corrupt_files_are_rejected_with_the_reason():
    with pytest.raises(IngestError, match="corrupt OpenDocument file: XMLSyntaxError"):
        _read("cut.odt", _rewritten("note.odt", lambda name, data: data[:-200] if name == "content.xml" else data))
    with pytest.raises(IngestError, match="no content.xml"):
        _read("empty.odt", _rewritten("note.odt", lambda name, data: None if name == "content.xml" else data))
    with pytest.raises(IngestError, match="not a valid zip container"):
        _read("half.ods", (DATA / "rowgroup.ods").read_bytes()[:4000])


def test_external_entity_is_never_resolved(tmp_path, monkeypatch):
    (tmp_path / "examples").mkdir()
    (tmp_path / "examples" / "externalcontent.txt").write_text("SECRET FROM DISK")  # what nasty.odt asks for
    monkeypatch.chdir(tmp_path)
    assert _kinds(_read("nasty.odt")) == [("paragraph", "Test:")]


def test_absurdly_deep_nesting_is_rejected_not_crashing():
    def deepen(name: str, data: bytes) -> bytes:
        if name != "content.xml":
            return data
        return data.replace(b"banale", b"<text:span>" * 50_000 + b"banale" + b"</text:span>" * 50_000)

    with pytest.raises(IngestError, match="corrupt OpenDocument file: XMLSyntaxError: Excessive depth"):
        _read("deep.odt", _rewritten("note.odt", deepen))
