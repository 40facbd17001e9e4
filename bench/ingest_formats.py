"""Ingestion of PDF, Office, OpenDocument, e-mail and scanned files, measured on real files (issue 19).

Reads every file listed in a folder's ``MANIFEST.json`` (see ``tests/data/real_docs/README.md``)
through the project's ingestion, ``read_documents``, one file at a time in a temporary folder of
its own, and checks the expected phrases the manifest lists. The phrases come from an independent
source (the HTML edition of a manual, poppler's ``pdftotext``, the XML inside the file, the raw
message), never from this project's readers. Prints, per format:

- phrase coverage: the phrase occurs in a document's text (NFKC, case-folded, curly quotes as
  straight ones, Markdown backslash escapes dropped, runs of whitespace as one space; a phrase
  with Chinese characters is matched with all whitespace removed);
- location accuracy: of the phrases with an expected location (``page 3``, ``slide 2``,
  ``sheet Budget``), the share found in a section (``llmops.ingest.blocks.sections``) at that
  location; a heading line counts as the start of the section under it;
- heading accuracy: of the phrases with an expected heading, the share found in a section whose
  heading path holds a heading containing it (so "2.1 Debian package building workflow" matches
  "Debian package building workflow");
- time: text-PDF pages per second against the 500 pages/s goal (pages from the document's
  ``pages`` metadata, else pypdfium2's count), and OCR seconds per page for images and scanned
  PDFs;
- peak memory: a PDF of at least 1,000 pages, built by concatenating the folder's text PDFs with
  pypdfium2 (``import_pages``), read in a fresh process; its peak RSS (``ru_maxrss``) and the
  baseline before reading.

Usage::

    .venv/bin/python bench/ingest_formats.py [folder-with-MANIFEST.json] [--skip-ocr] [--skip-memory] [--pages 1000]

The default folder is ``tests/data/real_docs``; ``bench/fetch_real_docs.sh`` downloads a larger
held-out set with a manifest of the same shape. Exits 1 when a phrase is missing.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

DEFAULT_FOLDER = REPO / "tests" / "data" / "real_docs"
OCR_FORMATS = ("png", "jpg", "tiff", "scanned-pdf")
PAGES_GOAL = 500.0  # text-PDF pages per second
_CJK = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00ad": None})
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>])")
_SPACE = re.compile(r"\s+")
_NUMBERING = re.compile(r"^(?:chapter|appendix|第)?\s*[0-9a-z]{0,3}(?:\.[0-9]+)*\.?\s*(?:章)?\s+")


def is_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def normalize(text: str, cjk: bool = False) -> str:
    """The form phrases and texts are compared in (see the module docstring)."""
    text = _ESCAPE.sub(r"\1", unicodedata.normalize("NFKC", text).translate(_QUOTES)).casefold()
    return _SPACE.sub("", text) if cjk else _SPACE.sub(" ", text).strip()


def load_manifest(folder: Path) -> list[dict]:
    return json.loads((Path(folder) / "MANIFEST.json").read_text(encoding="utf-8"))


@dataclass
class PhraseResult:
    text: str
    found: bool
    location: str | None  # expected
    location_ok: bool | None  # None when no location is expected
    heading: str | None
    heading_ok: bool | None
    where: list[str] = field(default_factory=list)  # locations of the sections it was found in


@dataclass
class FileResult:
    file: str
    format: str
    lang: str
    seconds: float
    documents: int
    pages: int
    quarantined: list[str]
    phrases: list[PhraseResult]

    @property
    def coverage(self) -> float:
        return sum(p.found for p in self.phrases) / len(self.phrases) if self.phrases else 1.0


def _heading_matches(expected: str, path: tuple[str, ...], cjk: bool) -> bool:
    want = normalize(expected, cjk)
    for heading in path:
        have = normalize(heading, cjk)
        if want in have or want == normalize(_NUMBERING.sub("", heading.strip().casefold()), cjk):
            return True
    return False


def check_phrases(texts: list[str], phrases: list[dict]) -> list[PhraseResult]:
    """Each expected phrase looked up in the documents' texts and in their sections."""
    from llmops.ingest.blocks import sections

    parts = [(s.location, s.headings, (s.headings[-1] + "\n" if s.headings else "") + s.text) for t in texts for s in sections(t)]
    results = []
    for phrase in phrases:
        cjk = is_cjk(phrase["text"])
        want = normalize(phrase["text"], cjk)
        found = any(want in normalize(t, cjk) for t in texts)
        hits = [(loc, path) for loc, path, body in parts if want in normalize(body, cjk)]
        location, heading = phrase.get("location"), phrase.get("heading")
        location_ok = None if not location else any(_SPACE.sub(" ", loc).strip() == location for loc, _ in hits)
        heading_ok = None if not heading else any(_heading_matches(heading, path, cjk) for _, path in hits)
        results.append(PhraseResult(phrase["text"], found, location, location_ok, heading, heading_ok, sorted({loc for loc, _ in hits})))
    return results


def _pdf_pages(path: Path) -> int:
    try:
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(str(path))
        try:
            return len(pdf)
        finally:
            pdf.close()
    except Exception:  # noqa: BLE001 - an unreadable PDF just has no page count here
        return 0


def evaluate_file(folder: Path, entry: dict) -> FileResult:
    """Read one manifest file alone (copied into a temporary folder) and check its phrases."""
    from llmops.ingest.raw_documents import IngestSettings, read_documents

    source = Path(folder) / entry["file"]
    with tempfile.TemporaryDirectory(prefix="real_doc_") as tmp:
        shutil.copyfile(source, Path(tmp) / source.name)
        start = time.perf_counter()
        try:
            result = read_documents(Path(tmp), IngestSettings())
        except Exception as exc:  # noqa: BLE001 - a reader that crashes is a result too
            result = None
            crash = f"read_documents raised {type(exc).__name__}: {exc}"
        seconds = time.perf_counter() - start
    if result is None:
        return FileResult(entry["file"], entry["format"], entry["lang"], seconds, 0, 0, [crash],
                          check_phrases([], entry["phrases"]))
    texts = [d.text for d in result.documents]
    pages = 0
    for doc in result.documents:
        try:
            pages += int(doc.metadata.get("pages", 0) or 0)
        except (TypeError, ValueError):
            pass
    if not pages:
        pages = _pdf_pages(source) if entry["format"] in ("pdf", "scanned-pdf") else (1 if entry["format"] in OCR_FORMATS else 0)
    return FileResult(
        file=entry["file"],
        format=entry["format"],
        lang=entry["lang"],
        seconds=seconds,
        documents=len(result.documents),
        pages=pages,
        quarantined=[f"{q.source}: {q.reason}" for q in result.quarantined],
        phrases=check_phrases(texts, entry["phrases"]),
    )


_MEMORY_CHILD = r"""
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from llmops.ingest.raw_documents import IngestSettings, read_documents
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
start = time.perf_counter()
result = read_documents(Path(sys.argv[1]), IngestSettings())
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
pages = sum(int(d.metadata.get("pages", 0) or 0) for d in result.documents)
print(json.dumps({"baseline": base, "peak": peak, "seconds": seconds, "documents": len(result.documents),
                  "pages_metadata": pages, "chars": sum(len(d.text) for d in result.documents),
                  "quarantined": [q.reason for q in result.quarantined]}))
"""


def build_big_pdf(sources: list[Path], pages: int, target: Path) -> int:
    """Concatenate real PDFs (cycling through them) into one of at least ``pages`` pages."""
    import pypdfium2 as pdfium

    out = pdfium.PdfDocument.new()
    while len(out) < pages:
        for src in sources:
            pdf = pdfium.PdfDocument(str(src))
            out.import_pages(pdf)
            pdf.close()
            if len(out) >= pages:
                break
    count = len(out)
    out.save(str(target))
    out.close()
    return count


def measure_memory(sources: list[Path], pages: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="big_pdf_") as tmp:
        folder = Path(tmp) / "raw"
        folder.mkdir()
        target = folder / "concatenated.pdf"
        count = build_big_pdf(sources, pages, target)
        size = target.stat().st_size
        proc = subprocess.run([sys.executable, "-c", _MEMORY_CHILD, str(folder), str(REPO)], capture_output=True, text=True)
        if proc.returncode != 0:
            return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"exit {proc.returncode}", "pages": count}
        data = json.loads(proc.stdout.strip().splitlines()[-1])
        data.update(pages=count, file_bytes=size)
        return data


def _pct(num: int, den: int) -> str:
    return f"{num}/{den} ({num / den:.0%})" if den else "-"


def summarize(results: list[FileResult]) -> dict[str, dict]:
    by_format: dict[str, dict] = defaultdict(lambda: defaultdict(float))
    for r in results:
        agg = by_format[r.format]
        agg["files"] += 1
        agg["failed_files"] += bool(r.quarantined and not r.documents)
        agg["phrases"] += len(r.phrases)
        agg["found"] += sum(p.found for p in r.phrases)
        agg["loc_n"] += sum(p.location_ok is not None for p in r.phrases)
        agg["loc_ok"] += sum(bool(p.location_ok) for p in r.phrases)
        agg["head_n"] += sum(p.heading_ok is not None for p in r.phrases)
        agg["head_ok"] += sum(bool(p.heading_ok) for p in r.phrases)
        agg["seconds"] += r.seconds
        agg["pages"] += r.pages
    return by_format


def text_layer_speed(pdfs: list[Path], repeats: int = 3) -> tuple[int, float]:
    """Pages and seconds of whole `read_documents` calls on text PDFs, OCR off, in a process that
    has already read one (imports and pdfium's start-up are not per-file costs), best of
    ``repeats`` per file: the ingestion throughput of text-layer pages, apart from scanned ones."""
    from llmops.ingest.raw_documents import IngestSettings, read_documents
    from llmops.ingest.readers import ReadLimits

    settings = IngestSettings(limits=ReadLimits(ocr=False))
    pages, seconds = 0, 0.0
    with tempfile.TemporaryDirectory(prefix="pdf_speed_") as tmp:
        for source in pdfs:
            folder = Path(tmp, source.stem)
            folder.mkdir()
            shutil.copyfile(source, folder / source.name)
            read_documents(folder, settings)
            times = []
            for _ in range(repeats):
                start = time.perf_counter()
                result = read_documents(folder, settings)
                times.append(time.perf_counter() - start)
            pages += sum(int(d.metadata.get("pages", 0)) for d in result.documents)
            seconds += min(times)
    return pages, seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--skip-ocr", action="store_true", help="leave out images and scanned PDFs")
    parser.add_argument("--skip-memory", action="store_true", help="leave out the 1,000-page PDF")
    parser.add_argument("--pages", type=int, default=1000, help="pages of the concatenated PDF (default 1000)")
    parser.add_argument("--verbose", "-v", action="store_true", help="list every missed phrase and wrong location")
    args = parser.parse_args(argv)

    folder = args.folder
    manifest = load_manifest(folder)
    print(f"# {platform.machine()} {platform.python_implementation()} {platform.python_version()}, folder {folder}, "
          f"{len(manifest)} files, {sum(len(e['phrases']) for e in manifest)} phrases")
    results = []
    for entry in manifest:
        if args.skip_ocr and entry["format"] in OCR_FORMATS:
            continue
        r = evaluate_file(folder, entry)
        results.append(r)
        missed = [p for p in r.phrases if not p.found]
        wrong = [p for p in r.phrases if p.found and p.location_ok is False]
        status = "; ".join(r.quarantined) if r.quarantined and not r.documents else f"{r.documents} doc(s), {r.pages} page(s)"
        print(f"{r.file:55s} {r.seconds:7.2f}s  phrases {_pct(len(r.phrases) - len(missed), len(r.phrases)):>13s}  {status[:120]}")
        if args.verbose:
            for p in missed:
                print(f"    missing: {p.text!r}")
            for p in wrong:
                print(f"    at {p.where} not {p.location}: {p.text!r}")

    print()
    print(f"{'format':12s} {'files':>5s} {'phrases found':>15s} {'location ok':>15s} {'heading ok':>15s} {'seconds':>8s} {'pages':>6s}  speed")
    by_format = summarize(results)
    total = defaultdict(float)
    for fmt, agg in sorted(by_format.items()):
        for key, value in agg.items():
            total[key] += value
        speed = ""
        if fmt == "pdf" and agg["seconds"] and agg["pages"]:
            rate = agg["pages"] / agg["seconds"]
            speed = f"{rate:,.0f} pages/s = {rate / PAGES_GOAL:.2f}x the {PAGES_GOAL:.0f} pages/s goal"
        elif fmt in OCR_FORMATS and agg["pages"]:
            speed = f"{agg['seconds'] / agg['pages']:.1f} s/page OCR"
        failed = f" ({int(agg['failed_files'])} unread)" if agg["failed_files"] else ""
        print(f"{fmt:12s} {int(agg['files']):>5d} {_pct(int(agg['found']), int(agg['phrases'])):>15s} "
              f"{_pct(int(agg['loc_ok']), int(agg['loc_n'])):>15s} {_pct(int(agg['head_ok']), int(agg['head_n'])):>15s} "
              f"{agg['seconds']:8.2f} {int(agg['pages']):>6d}  {speed}{failed}")
    print(f"{'all':12s} {int(total['files']):>5d} {_pct(int(total['found']), int(total['phrases'])):>15s} "
          f"{_pct(int(total['loc_ok']), int(total['loc_n'])):>15s} {_pct(int(total['head_ok']), int(total['head_n'])):>15s} "
          f"{total['seconds']:8.2f}")

    pdfs = [folder / e["file"] for e in manifest if e["format"] == "pdf"]
    if pdfs:
        pages, seconds = text_layer_speed(pdfs)
        rate = pages / seconds
        print(f"text layer, warm, best of 3 per file, OCR off ({len(pdfs)} PDFs, {pages:,} pages): "
              f"{rate:,.0f} pages/s = {rate / PAGES_GOAL:.2f}x the {PAGES_GOAL:.0f} pages/s goal")

    if not args.skip_memory:
        sources = [folder / e["file"] for e in manifest if e["format"] == "pdf"]
        if sources:
            mem = measure_memory(sources, args.pages)
            print()
            if "error" in mem:
                print(f"{mem['pages']}-page PDF: reading failed: {mem['error']}")
            else:
                rate = mem["pages"] / mem["seconds"] if mem["seconds"] else 0.0
                print(f"{mem['pages']:,}-page PDF ({mem['file_bytes'] / 1e6:.1f} MB, concatenated from {len(sources)} real PDFs): "
                      f"{mem['seconds']:.1f} s, {rate:,.0f} pages/s ({rate / PAGES_GOAL:.2f}x goal), "
                      f"peak RSS {mem['peak'] / 2**20:,.0f} MiB (baseline {mem['baseline'] / 2**20:,.0f} MiB), "
                      f"{mem['documents']} doc(s), {mem['chars']:,} chars"
                      + (f", quarantined: {mem['quarantined']}" if mem["quarantined"] else ""))
    print(f"# peak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB")
    return 0 if all(p.found for r in results for p in r.phrases) else 1


if __name__ == "__main__":
    sys.exit(main())
