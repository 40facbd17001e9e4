"""Build corpus.jsonl: real documentation nobody here wrote, with no personal data to find (issue 18,
item 4b). See README.md beside this file for the packages, versions and licences.

The HTML pages of a few Debian documentation packages are read with the project's own ingestion
(`llmops.ingest.raw_documents.read_documents`, as the ``raw_documents`` asset reads them), and
each document is cut at heading lines into parts of at most ``MAX_PART_CHARS`` characters (a
page of the index, roughly). Each row records:

- ``headings``: ``[start, end]`` of every heading (an HTML ``<h1>``-``<h6>``, which the reader
  writes as a ``# ...`` line) in ``text``, so that the benchmark counts headings a scrubber
  altered;
- ``real_pii``: the few real personal data in the pages (authors, maintainers, contributors named
  in the text and their e-mail addresses), found by reviewing every PERSON and EMAIL_ADDRESS that
  the project's scrubber and out-of-the-box Presidio detected and by searching for
  author/copyright/thanks passages. A placeholder over one of these is not counted; every other
  placeholder is a false positive.

Needs network access to the Debian archive (``apt-get download``) or a folder of the .deb files:

    .venv/bin/python tests/data/pii_eval/real_no_pii/make_extract.py [--debs DIR]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[3]
sys.path.insert(0, str(REPO))

OUT = HERE / "corpus.jsonl"
MAX_PART_CHARS = 20_000

# package -> (version the extract was built from, licence, pages: globs relative to the package root)
PACKAGES: dict[str, tuple[str, str, list[str]]] = {
    "debian-reference-en": ("2.100", "GPL-2+", [
        f"usr/share/debian-reference/{name}.en.html"
        for name in ("ch01", "ch02", "ch05", "ch06", "ch09", "ch10", "ch12")]),
    "maint-guide": ("1.2.53", "GPL-2+ (text); MIT (stylesheet, not included)", [
        f"usr/share/doc/maint-guide/html/{name}.en.html"
        for name in ("index", "start", "first", "modify", "dreq", "dother", "build", "checkit",
                     "upload", "update", "advanced")]),
    "debian-policy": ("4.6.2.0", "GPL-2+ and other free licences (see its copyright file)", [
        f"usr/share/doc/debian-policy/policy.html/{name}.html"
        for name in ("ch-controlfields", "ch-files", "ch-opersys", "ch-sharedlibs", "ch-source",
                     "ch-relationships", "upgrading-checklist")]),
    "sqlite3-doc": ("3.40.1-2+deb12u2", "public domain", [
        f"usr/share/doc/sqlite3/{name}.html"
        for name in ("lang_corefunc", "lang_datefunc", "lang_aggfunc", "lang_mathfunc", "json1",
                     "lang_select", "lang_expr", "datatype3", "cli", "quirks", "lang_returning",
                     "lang_upsert")]),
    "git-doc": ("1:2.39.5-0+deb12u3", "GPL-2", [
        f"usr/share/doc/git-doc/{name}.html"
        for name in ("git-commit", "git-rebase", "gitglossary", "git-bisect", "gitfaq", "git-blame")]),
}

# Real people named in these pages (reviewed by hand, see the module docstring), labelled wherever
# they occur as whole words (a line break may stand for a space): authors, translators and
# copyright holders of the manuals, Debian project leaders (debian-reference's awk example),
# people cited (Git's maintainer, Linus Torvalds, Kernighan & Ritchie, Bram Moolenaar, Tom Lord)
# and people in eponyms (Postel's law, Euler's number, Lempel-Ziv, Burrows-Wheeler, Huffman,
# Markov). Fictional example names (A U Thor, Alice, Foo Bar) are not labelled.
REAL_PERSONS: list[str] = [
    "Josip Rodin", "Osamu Aoki", "Craig Small", "Raphaël Hertzog", "Jaldhar Vyas", "Will Lowe",
    "Emil Brink", "Johan Hanson", "Ian Murdock", "Bruce Perens", "Ian Jackson", "Wichert Akkerman",
    "Ben Collins", "Bdale Garbee", "Martin Michlmayr", "Tom Lord", "Bram Moolenaar",
    "Linus Torvalds", "Junio C Hamano", "Kernighan", "Ritchie", "Postel", "Euler", "Lempel", "Ziv",
    "Markov", "Burrows", "Wheeler", "Huffman", "Perens", "Ian",
]
# Personal addresses (mailing lists and example.org addresses are not personal); the Git message
# id names its author's own domain.
REAL_EMAILS: list[str] = ["joy-mg@debian.org", "osamu@debian.org", "emil@obsession.se", "johan@tiq.com",
                          "20200207132152.GC2868@szeder.dev"]

_HEADING = re.compile(r"^#{1,6} .*$", re.MULTILINE)


def fetch(debs: Path) -> dict[str, Path]:
    """The .deb of each package, downloaded into ``debs`` unless already there."""
    found = {}
    for package in PACKAGES:
        matches = sorted(debs.glob(f"{package}_*.deb"))
        if not matches:
            subprocess.run(["apt-get", "download", package], cwd=debs, check=True)
            matches = sorted(debs.glob(f"{package}_*.deb"))
        found[package] = matches[-1]
    return found


def deb_version(deb: Path) -> str:
    return subprocess.run(["dpkg-deb", "-f", str(deb), "Version"], check=True, capture_output=True,
                          text=True).stdout.strip()


def split_parts(text: str, limit: int = MAX_PART_CHARS) -> list[str]:
    """Cut before heading lines into parts of at most ``limit`` characters (a section longer than
    that is cut at blank lines)."""
    starts = [m.start() for m in _HEADING.finditer(text)]
    sections = [text[a:b] for a, b in zip([0] + starts, starts + [len(text)]) if text[a:b]]
    pieces: list[str] = []
    for section in sections:
        while len(section) > limit:
            cut = section.rfind("\n\n", 0, limit)
            cut = cut + 2 if cut > limit // 4 else limit
            pieces.append(section[:cut])
            section = section[cut:]
        pieces.append(section)
    parts, current = [], ""
    for piece in pieces:
        if current and len(current) + len(piece) > limit:
            parts.append(current)
            current = ""
        current += piece
    if current.strip():
        parts.append(current)
    return parts


def heading_spans(text: str, html: str) -> list[list[int]]:
    """Where the page's <h1>-<h6> are in the reader's text (html_to_text writes them as "# ..."
    lines; a shell prompt "# cmd" in an example is not a heading)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "lxml")
    for junk in soup(["script", "style", "nav", "header", "footer", "noscript", "form", "iframe"]):
        junk.decompose()
    spans, pos = [], 0
    for tag in soup.find_all(re.compile(r"^h[1-6]$")):
        words = tag.get_text("").split()
        if not words:
            continue
        # Code in a heading is written in backticks ("## The `debian/control` file").
        pattern = "#" * int(tag.name[1]) + r" [ \t]*" + r"\s+".join(f"`?{re.escape(w)}`?" for w in words)
        m = re.compile(rf"^{pattern}", re.MULTILINE).search(text, pos)
        if m:
            spans.append([m.start(), m.end()])
            pos = m.end()
    return spans


def label(text: str, headings: list[list[int]]) -> list[dict]:
    """The real names and e-mail addresses in ``text`` (REAL_PERSONS, REAL_EMAILS)."""
    real = []
    for kind, values in (("PERSON", REAL_PERSONS), ("EMAIL_ADDRESS", REAL_EMAILS)):
        for value in values:
            pattern = r"\s+".join(map(re.escape, value.split()))
            for m in re.finditer(rf"(?<![\w@.]){pattern}(?![\w@])", text):
                real.append({"type": kind, "start": m.start(), "end": m.end(), "value": m.group()})
    real.sort(key=lambda x: (x["start"], x["end"]))
    return real


def build(debs: Path) -> list[dict]:
    from llmops.ingest.raw_documents import read_documents

    rows = []
    with tempfile.TemporaryDirectory(prefix="pii_real_") as tmp:
        raw = Path(tmp) / "raw"
        for package, deb in fetch(debs).items():
            version, _licence, globs = PACKAGES[package]
            if deb_version(deb) != version:
                print(f"note: {package} is {deb_version(deb)}, the extract was built from {version}")
            root = Path(tmp) / "x" / package
            root.mkdir(parents=True)
            subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
            for pattern in globs:
                for path in sorted(root.glob(pattern)):
                    target = raw / package / path.relative_to(root)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(path, target)
        result = read_documents(raw)
        documents = result.documents.values() if isinstance(result.documents, dict) else result.documents
        for doc in sorted(documents, key=lambda d: d.source):
            package = doc.source.split("/", 1)[0]
            html = (raw / doc.source).read_text(encoding="utf-8", errors="replace")
            headings = heading_spans(doc.text, html)
            offset = 0
            for i, part in enumerate(split_parts(doc.text)):
                assert doc.text[offset:offset + len(part)] == part
                inside = [[a - offset, b - offset] for a, b in headings if offset <= a and b <= offset + len(part)]
                rows.append({"id": f"{doc.source}#{i}", "package": package,
                             "version": PACKAGES[package][0], "title": doc.title, "text": part,
                             "headings": inside, "real_pii": label(part, inside)})
                offset += len(part)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--debs", type=Path, help="folder holding (or to receive) the .deb files")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pii_debs_") as tmp:
        debs = args.debs or Path(tmp)
        debs.mkdir(parents=True, exist_ok=True)
        rows = build(debs)
    OUT.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    chars = sum(len(r["text"]) for r in rows)
    print(f"wrote {len(rows)} parts, {chars:,} characters, {sum(len(r['headings']) for r in rows)} headings, "
          f"{sum(len(r['real_pii']) for r in rows)} real-PII labels to {OUT}")


if __name__ == "__main__":
    main()
