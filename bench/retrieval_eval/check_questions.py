#!/usr/bin/env python3
"""Check bench/retrieval_eval/questions.jsonl against the fetched documents.

    python3 bench/retrieval_eval/check_questions.py [/tmp/retrieval_docs]

Uses only the standard library (html.parser); it runs no search or retrieval code. For every
answer it checks that the source file exists, that the evidence phrase occurs exactly once in
the page text (whitespace-normalised, case-insensitive), and that the nearest h1-h6 heading
above that occurrence is the answer's heading (pilcrows of Sphinx permalinks dropped). Also
checks ids, kinds, evidence length (4-12 words), the three-per-section limit, and prints the
counts per kind and package. Exits 1 on any problem.
"""
import collections
import html.parser
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DOCS = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/retrieval_docs")
BLOCK = {"p", "div", "br", "li", "tr", "td", "th", "pre", "dt", "dd", "table", "ul", "ol", "dl",
         "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "title", "section", "hr"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def norm(s):
    return re.sub(r"\s+", " ", s.replace("\u00b6", "")).strip().casefold()


class Page(html.parser.HTMLParser):
    """Page text plus (offset, heading text) for every h1-h6, offsets into the normalised text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.skip, self.heading, self.marks = [], 0, None, []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        if tag in BLOCK:
            self.parts.append(" ")
        if tag in HEADINGS:
            self.heading = (len(self.parts), [])

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1
        if tag in HEADINGS and self.heading:
            self.marks.append((self.heading[0], "".join(self.heading[1])))
            self.heading = None
        if tag in BLOCK:
            self.parts.append(" ")

    def handle_data(self, data):
        if self.skip:
            return
        self.parts.append(data)
        if self.heading:
            self.heading[1].append(data)

    def result(self):
        # normalise piecewise so heading offsets stay valid
        out = norm("".join(self.parts))
        heads = []
        for idx, htext in self.marks:
            prefix = norm("".join(self.parts[:idx]))
            heads.append((len(prefix), norm(htext)))
        return out, heads


_cache = {}


def page(path):
    if path not in _cache:
        p = Page()
        p.feed(path.read_text(encoding="utf-8", errors="replace"))
        _cache[path] = p.result()
    return _cache[path]


def main():
    problems = []
    qs = [json.loads(l) for l in (HERE / "questions.jsonl").read_text().splitlines() if l.strip()]
    us = [json.loads(l) for l in (HERE / "unanswerable.jsonl").read_text().splitlines() if l.strip()]
    ids = [q["id"] for q in qs] + [u["id"] for u in us]
    for i in {x for x in ids if ids.count(x) > 1}:
        problems.append(f"duplicate id {i}")
    per_section = collections.Counter()
    kinds, pkgs = collections.Counter(), collections.Counter()
    for q in qs:
        if q["kind"] not in ("exact", "paraphrase", "howto"):
            problems.append(f"{q['id']}: bad kind {q['kind']}")
        kinds[q["kind"]] += 1
        pkgs[q["answers"][0]["source"].split("/")[0]] += 1
        kinds[(q["answers"][0]["source"].split("/")[0], q["kind"])] += 1
        seen = set()
        for a in q["answers"]:
            src = DOCS / a["source"]
            if not src.is_file():
                problems.append(f"{q['id']}: no file {a['source']}")
                continue
            text, heads = page(src)
            ev = norm(a["evidence"])
            n_words = len(a["evidence"].split())
            if not 4 <= n_words <= 12:
                problems.append(f"{q['id']}: evidence has {n_words} words: {a['evidence']!r}")
            n = text.count(ev)
            if n != 1:
                problems.append(f"{q['id']}: evidence occurs {n} times in {a['source']}: {a['evidence']!r}")
                continue
            at = text.index(ev)
            above = [h for off, h in heads if off <= at]
            nearest = above[-1] if above else None
            if nearest != norm(a["heading"]):
                problems.append(f"{q['id']}: heading {a['heading']!r} but nearest above evidence in "
                                f"{a['source']} is {nearest!r}")
            if ev in norm(a["heading"]):
                problems.append(f"{q['id']}: evidence taken from the heading")
            key = (a["source"], norm(a["heading"]))
            if key not in seen:
                per_section[key] += 1
                seen.add(key)
    for key, n in per_section.items():
        if n > 3:
            problems.append(f"{n} questions answered by section {key}")
    for p in problems:
        print("PROBLEM", p)
    print(f"{len(qs)} questions, {len(us)} unanswerable")
    print("kinds:", {k: v for k, v in kinds.items() if isinstance(k, str)})
    print("packages (first answer):", dict(pkgs))
    for pkg in sorted(pkgs):
        print(f"  {pkg}:", {k: kinds[(pkg, k)] for k in ("exact", "paraphrase", "howto")})
    multi = sum(len(q["answers"]) > 1 for q in qs)
    print(f"questions with more than one answer: {multi}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
