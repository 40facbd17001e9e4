#!/usr/bin/env python3
"""Consistency check of bench/answer_eval/debian.jsonl against the fetched pages.

Usage: python3 bench/answer_eval/check_debian.py [folder]

folder is where bench/fetch_retrieval_docs.sh put the HTML pages (default
/tmp/retrieval_docs). Standard library only; runs no code of this project.

Checks:
  * every line is a JSON object, ids are unique;
  * answerable items ("d..."): question, kind, answers and facts are well formed,
    yes/no items carry "yes_no", every answer source exists, every evidence
    phrase occurs in the visible text of its page, and every fact (or, for a
    list of alternatives, at least one of them) occurs in the text of at least
    one of the item's answer pages;
  * unanswerable items ("n..."): have a question and "answerable": false, and
    none of the key terms listed for them in ABSENT below occurs in any page.
Text is compared after NFKC normalisation, casefolding and collapsing every
run of whitespace to one space. Prints every failure; exits 1 if there is any.
"""
import html.parser
import json
import os
import re
import sys
import unicodedata
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
KINDS = {"command", "number", "yesno", "name", "step", "definition"}
# Key terms of the unanswerable questions; none may occur in any fetched page.
ABSENT = {
    "n001": ["wireguard"],
    "n002": ["git lfs", "git-lfs", "large file storage"],
    "n003": ["kubernetes"],
    "n004": ["secure boot"],
    "n005": ["let's encrypt", "let\u2019s encrypt", "letsencrypt", "certbot"],
    "n006": ["cargo"],
    "n007": ["streaming replication", "pg_basebackup", "primary_conninfo"],
    "n008": ["two-factor", "two factor"],
    "n009": ["livepatch", "live patch", "live-patch", "kpatch"],
    "n010": ["podman", "rootless"],
    "n011": ["dh-python", "pybuild"],
    "n012": ["raspberry"],
    "n013": ["git-crypt"],
    "n014": ["ansible"],
    "n015": ["salsa ci", "salsa-ci", "gitlab-ci", "gitlab ci"],
}
BLOCK = {"p", "div", "br", "tr", "td", "th", "li", "dt", "dd", "pre", "table",
         "h1", "h2", "h3", "h4", "h5", "h6", "title", "blockquote", "ul", "ol", "dl"}


class _Text(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script"):
            self.skip += 1
        elif tag in BLOCK:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self.skip = max(0, self.skip - 1)
        elif tag in BLOCK:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def norm(s):
    s = unicodedata.normalize("NFKC", s).casefold()
    return re.sub(r"\s+", " ", s).strip()


_cache = {}


def page_text(folder, source):
    if source not in _cache:
        path = os.path.join(folder, source)
        if not os.path.isfile(path):
            _cache[source] = None
        else:
            p = _Text()
            with open(path, encoding="utf-8", errors="replace") as f:
                p.feed(f.read())
            p.close()
            _cache[source] = norm("".join(p.parts))
    return _cache[source]


def all_pages(folder):
    out = []
    for dp, dn, fn in os.walk(folder):
        for f in fn:
            if f.endswith(".html"):
                out.append(os.path.relpath(os.path.join(dp, f), folder))
    return sorted(out)


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else "/tmp/retrieval_docs"
    path = os.path.join(HERE, "debian.jsonl")
    if not os.path.isdir(folder) or not all_pages(folder):
        print(f"FAIL no HTML pages under {folder}; run bench/fetch_retrieval_docs.sh first")
        sys.exit(1)
    errors = []
    ids = Counter()
    kinds = Counter()
    n_ans = n_unans = n_facts = 0
    with open(path, encoding="utf-8") as f:
        lines = f.readlines()
    for ln, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
        except json.JSONDecodeError as e:
            errors.append(f"line {ln}: invalid JSON: {e}")
            continue
        if not isinstance(d, dict) or not isinstance(d.get("id"), str):
            errors.append(f"line {ln}: not an object with a string id")
            continue
        qid = d["id"]
        ids[qid] += 1
        if not isinstance(d.get("question"), str) or not d["question"].strip():
            errors.append(f"{qid}: missing question")
        if d.get("answerable") is False:
            n_unans += 1
            if not qid.startswith("n"):
                errors.append(f"{qid}: unanswerable ids start with 'n'")
            terms = ABSENT.get(qid)
            if terms is None:
                errors.append(f"{qid}: no key terms listed in ABSENT")
            else:
                for src in all_pages(folder):
                    t = page_text(folder, src)
                    for term in terms:
                        if norm(term) in t:
                            errors.append(f"{qid}: key term {term!r} occurs in {src}")
            extra = set(d) - {"id", "question", "answerable"}
            if extra:
                errors.append(f"{qid}: unexpected fields for an unanswerable item: {sorted(extra)}")
            continue
        n_ans += 1
        if not qid.startswith("d"):
            errors.append(f"{qid}: answerable ids start with 'd'")
        kind = d.get("kind")
        kinds[kind] += 1
        if kind not in KINDS:
            errors.append(f"{qid}: bad kind {kind!r}")
        if kind == "yesno":
            if d.get("yes_no") not in ("yes", "no"):
                errors.append(f"{qid}: yes/no question without yes_no 'yes'|'no'")
        elif "yes_no" in d:
            errors.append(f"{qid}: yes_no given on a {kind} question")
        answers = d.get("answers")
        if not isinstance(answers, list) or not answers:
            errors.append(f"{qid}: no answers")
            answers = []
        texts = []
        for a in answers:
            src, ev = a.get("source"), a.get("evidence")
            if not isinstance(src, str) or not isinstance(ev, str):
                errors.append(f"{qid}: answer without source/evidence: {a}")
                continue
            t = page_text(folder, src)
            if t is None:
                errors.append(f"{qid}: source not found: {src}")
                continue
            texts.append(t)
            nw = len(ev.split())
            if not 3 <= nw <= 12:
                errors.append(f"{qid}: evidence has {nw} words (3-12): {ev!r}")
            if norm(ev) not in t:
                errors.append(f"{qid}: evidence not in {src}: {ev!r}")
        facts = d.get("facts")
        if not isinstance(facts, list):
            errors.append(f"{qid}: facts is not a list")
            facts = []
        if not facts and kind != "yesno":
            errors.append(f"{qid}: no facts (only yes/no questions may have none)")
        for fact in facts:
            alts = fact if isinstance(fact, list) else [fact]
            if not alts or not all(isinstance(x, str) and x.strip() for x in alts):
                errors.append(f"{qid}: bad fact {fact!r}")
                continue
            n_facts += 1
            if texts and not any(norm(x) in t for x in alts for t in texts):
                errors.append(f"{qid}: fact not in any answer page: {fact!r}")
    for qid, c in ids.items():
        if c > 1:
            errors.append(f"{qid}: id used {c} times")
    for e in errors:
        print("FAIL", e)
    print(f"{n_ans} answerable ({', '.join(f'{k} {v}' for k, v in sorted(kinds.items(), key=str))}), "
          f"{n_unans} unanswerable, {n_facts} facts, {len(errors)} failures")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
