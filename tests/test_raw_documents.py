import hashlib
import json
import tracemalloc
from pathlib import Path

import pytest

from llmops.ingest.encoding import SAMPLE_BYTES
from llmops.ingest.raw_documents import IngestSettings, content_id, normalize_text, read_documents, write_quarantine


def _write(root: Path, rel: str, data: str | bytes) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "raw"
    good = {"ticket_id": "TCK-1", "subject": "Fan noise", "description": "Loud fan.", "resolution": "Clean the filter."}
    _write(root, "tickets/a.jsonl", "\n".join([json.dumps(good), '{"ticket_id": "TCK-2", "subj', json.dumps(good), "", json.dumps({"ticket_id": "TCK-3"})]) + "\n")
    _write(root, "tickets/b.csv", "ticket_id,subject,resolution\nTCK-9,Screen dark,Hold power for 10 s\nTCK-10,only two\n")
    _write(root, "faq/page.html", "<html><head><title>Help</title><script>var x=1;</script></head><body><nav>Home</nav>"
           "<h1>Help centre</h1><h2>How do I pair?</h2><p>Open the app and tap <b>Add</b>.</p><ul><li>Step one</li></ul></body></html>")
    _write(root, "manuals/m.md", "# Manual: Install\n\n\n\nMount   the unit.\r\nThen wire it.\x07")
    _write(root, "policies/p.txt", b"\xff\xfe\x00garbage\x80")
    _write(root, "policies/empty.html", "<html><body><script>1</script></body></html>")
    _write(root, "misc/report.pdf", b"%PDF-1.4")
    _write(root, "misc/old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 legacy")
    _write(root, "notes.txt", "Mount the unit.")  # same text as nothing else: kept
    return root


def test_formats_normalization_and_counts(corpus: Path) -> None:
    result = read_documents(corpus)
    docs = {d.source: d for d in result.documents}
    # counts add up: every record is a document, a duplicate or quarantined
    assert result.records_seen == len(result.documents) + result.duplicates + len(result.quarantined)
    assert result.duplicates == 1  # the repeated ticket line
    assert set(docs) == {"tickets/a.jsonl#L1", "tickets/b.csv#row2", "faq/page.html", "manuals/m.md", "notes.txt"}
    ticket = docs["tickets/a.jsonl#L1"]
    assert ticket.doc_type == "ticket" and ticket.title == "Fan noise"
    assert "Resolution: Clean the filter." in ticket.text and ticket.metadata["ticket_id"] == "TCK-1"
    html = docs["faq/page.html"]
    assert html.title == "Help" and "var x" not in html.text and "Home" not in html.text
    assert "## How do I pair?" in html.text and "- Step one" in html.text
    manual = docs["manuals/m.md"]
    assert manual.text == "# Manual: Install\n\nMount the unit.\nThen wire it."
    assert manual.doc_id == content_id(manual.text)
    assert docs["notes.txt"].doc_type == "document"


def test_bad_input_is_quarantined_with_reason(corpus: Path, tmp_path: Path) -> None:
    result = read_documents(corpus)
    reasons = {q.source: q.reason for q in result.quarantined}
    assert "invalid JSON on line 2" in reasons["tickets/a.jsonl#L2"]
    assert "record has no text" in reasons["tickets/a.jsonl#L5"]
    assert "has 2 fields, header has 3" in reasons["tickets/b.csv#row3"]
    assert "not valid UTF-8" in reasons["policies/p.txt"]
    assert "no text content" in reasons["policies/empty.html"]
    assert "corrupt or unreadable PDF" in reasons["misc/report.pdf"]
    assert "legacy Word 97-2003 format: save it as .docx" in reasons["misc/old.doc"]
    target = write_quarantine(result, tmp_path / "q")
    lines = [json.loads(line) for line in (target / "reasons.jsonl").read_text().splitlines()]
    assert len(lines) == len(result.quarantined)
    assert not (target / "files").exists()  # reasons and hashes only: the raw folder keeps the files
    pdf = next(r for r in lines if r["source"] == "misc/report.pdf")
    assert pdf["size"] == 8 and pdf["sha256"] == hashlib.sha256(b"%PDF-1.4").hexdigest()
    assert next(r for r in lines if r["source"] == "tickets/a.jsonl#L2")["content"].startswith('{"ticket_id": "TCK-2"')


def test_missing_directory_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="does not exist"):
        read_documents(tmp_path / "nope")


def test_normalize_text() -> None:
    assert normalize_text("ﬁle\u00a0 name\t\tx\r\n\n\n\nnext") == "file name x\n\nnext"


def test_shipped_sample_corpus_reads_and_quarantines_bad_files() -> None:
    from tests.conftest import SAMPLE_DIR

    result = read_documents(SAMPLE_DIR)
    assert len(result.documents) >= 150
    assert result.records_seen == len(result.documents) + result.duplicates + len(result.quarantined)
    assert {q.source.split("#")[0] for q in result.quarantined} >= {
        "incoming_bad/tickets_export_truncated.jsonl", "incoming_bad/scanned_policy.txt", "incoming_bad/empty_page.html"}
    assert {"faq", "ticket", "manual", "policy", "chat"} <= {d.doc_type for d in result.documents}
    assert {"jsonl", "csv", "md", "txt", "html", "docx", "xlsx", "pptx", "pdf", "eml"} <= {d.format for d in result.documents}
    assert all(q.source.startswith("incoming_bad/") for q in result.quarantined)  # the office files read


def test_files_over_the_size_limit_are_quarantined_unread(tmp_path: Path) -> None:
    root = tmp_path / "raw"
    line = json.dumps({"ticket_id": "TCK-1", "text": "The pump hums after the update. " * 30}) + "\n"
    _write(root, "tickets/export.jsonl", line * (1_500_000 // len(line) + 1))
    _write(root, "notes.txt", "Replace the filter every month.")
    result = read_documents(root, IngestSettings(max_file_mb=1))
    assert [d.source for d in result.documents] == ["notes.txt"]
    [big] = result.quarantined
    assert big.source == "tickets/export.jsonl"
    assert big.reason == "file is 1.5 MB, over the 1 MB limit set by max_file_mb"
    assert result.records_seen == 2
    target = write_quarantine(result, tmp_path / "q")
    [record] = [json.loads(line) for line in (target / "reasons.jsonl").read_text().splitlines()]
    assert record["size"] == (root / "tickets" / "export.jsonl").stat().st_size
    assert len(read_documents(root).documents) == 2  # under the default limit it is read


@pytest.mark.parametrize("name", ["export.jsonl", "export.csv"])
def test_structured_files_are_streamed_not_loaded_whole(tmp_path: Path, name: str) -> None:
    """Python allocations while reading a 7 MB export stay near the encoding-detection sample (the
    first 512 KiB, held a few times over), whatever the file's size."""
    root = tmp_path / "raw"
    body = "The pump hums after the firmware update; the technician replaced the filter. " * 12
    if name.endswith(".jsonl"):
        rows = (json.dumps({"ticket_id": "TCK-1", "text": body}) + "\n") * 8_000
    else:
        rows = "ticket_id,text\n" + f"TCK-1,{body}\n" * 8_000
    _write(root, name, rows)
    size = (root / name).stat().st_size
    tracemalloc.start()
    try:
        result = read_documents(root)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert size > 7_000_000 and peak < 4 * SAMPLE_BYTES, f"peak {peak} bytes for a {size}-byte file"
    assert len(result.documents) == 1 and result.duplicates == 7_999 and result.quarantined == []


def test_html_navigation_permalinks_and_generated_contents_are_not_text() -> None:
    """What documentation generators repeat on every page (Sphinx and DocBook navigation, heading
    permalinks, the table of contents) would match questions without answering them."""
    from llmops.ingest.text import html_to_text

    page = ('<?xml version="1.0"?><html><body><div class="navheader">Prev Chapter 2 Next</div>'
            '<div role="navigation" class="related"><ul><li>index</li><li>next |</li></ul></div>'
            '<div class="toc"><p>Table of Contents</p><dl><dt>2.1. Basics</dt><dt>2.2. Tools</dt></dl></div>'
            '<h1>2. Package management<a class="headerlink" href="#pm">¶</a></h1><p>APT reads its sources.</p>'
            '<h2>2.1. Basics</h2><p>Run apt update first.</p><div class="sphinxsidebar">Quick search</div>'
            '<div class="navfooter">Prev Up Next</div></body></html>')
    text, _ = html_to_text(page)
    assert "# 2. Package management\n" in text and "## 2.1. Basics" in text and "Run apt update first." in text
    assert not any(word in text for word in ("¶", "Prev", "next |", "Table of Contents", "2.2. Tools", "Quick search"))
    contents_only = '<html><body><div class="toctree-wrapper"><ul><li>Introduction</li><li>Install</li></ul></div></body></html>'
    assert "Install" in html_to_text(contents_only)[0]  # a page that is only contents keeps them
