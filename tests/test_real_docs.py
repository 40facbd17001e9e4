"""Ingestion of real files nobody on this project wrote (issue 19): PDF, Office, OpenDocument,
e-mail and scans, each read alone through `read_documents`.

The files and their expected phrases are in ``tests/data/real_docs`` (``MANIFEST.json``; where
they come from and how the phrases were chosen is in its README). Every phrase must be found
(scans: at least 90% per file, OCR may misread a line), and a phrase with an expected location
(``page 3``, ``slide 2``, ``sheet Budget``) must be in a section at that location. Scans are
held to the issue's goal over all scans of a language (90% of phrases), and per file to at most
one misread line in eight, as a file of 8 phrases at 90% could miss none. The matching rules are
those of ``bench/ingest_formats.py``, which prints the same checks as figures. OCR cases are
marked slow: they take seconds a page.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FOLDER = REPO / "tests" / "data" / "real_docs"
OCR_MIN_COVERAGE = 0.9  # over all scans of one language (the goal)
OCR_MIN_FILE_COVERAGE = 0.85  # per scanned file


def _bench():
    spec = importlib.util.spec_from_file_location("bench_ingest_formats", REPO / "bench" / "ingest_formats.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)
    spec.loader.exec_module(module)
    return module


bench = _bench()
MANIFEST = bench.load_manifest(FOLDER)


_RESULTS: dict[str, object] = {}


def _evaluate(entry: dict):
    """Each file read once per session: the per-language scan test reuses the per-file results."""
    if entry["file"] not in _RESULTS:
        _RESULTS[entry["file"]] = bench.evaluate_file(FOLDER, entry)
    return _RESULTS[entry["file"]]


def _param(entry: dict):
    marks = [pytest.mark.slow] if entry["format"] in bench.OCR_FORMATS else []
    return pytest.param(entry, id=entry["file"], marks=marks)


def test_manifest_is_complete() -> None:
    files = {p.relative_to(FOLDER).as_posix() for p in FOLDER.rglob("*") if p.is_file()} - {"MANIFEST.json", "README.md"}
    assert files == {e["file"] for e in MANIFEST}
    for entry in MANIFEST:
        assert entry["phrases"] and entry["origin"] and entry["licence"], entry["file"]
        for phrase in entry["phrases"]:
            location = phrase["location"]
            assert location is None or location.split(" ", 1)[0] in ("page", "slide", "sheet"), phrase


@pytest.mark.parametrize("entry", [_param(e) for e in MANIFEST])
def test_real_document(entry: dict) -> None:
    result = _evaluate(entry)
    assert result.documents, f"{entry['file']} was not read: {result.quarantined}"
    missing = [p.text for p in result.phrases if not p.found]
    if entry["format"] in bench.OCR_FORMATS:
        assert result.coverage >= OCR_MIN_FILE_COVERAGE, f"OCR coverage {result.coverage:.0%}, missing {missing}"
    else:
        assert not missing, f"phrases not found in {entry['file']}: {missing}"
    misplaced = [(p.text, p.location, p.where) for p in result.phrases if p.found and p.location_ok is False]
    assert not misplaced, f"phrases at the wrong location (phrase, expected, found at): {misplaced}"


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_scans_of_each_language_reach_the_goal(lang: str) -> None:
    scans = [e for e in MANIFEST if e["format"] in bench.OCR_FORMATS and e["lang"] in (lang, "mixed")]
    phrases = [p for entry in scans for p in _evaluate(entry).phrases
               if bench.is_cjk(p.text) == (lang == "zh")]
    assert len(phrases) >= 15
    found = sum(p.found for p in phrases) / len(phrases)
    assert found >= OCR_MIN_COVERAGE, f"{lang} scans: {found:.1%} of {len(phrases)} phrases"
