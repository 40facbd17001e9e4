#!/usr/bin/env python3
"""Consistency check of generate_policies.py: regenerate and verify the questions.

For each seed, runs the generator (with this Python, which needs faker) into a temporary
folder, twice, and asserts:

* the two runs are byte-identical (deterministic for a seed);
* ids are unique; each company has the expected documents and ≥ 8 answerable questions
  covering number, yesno, name and step, with ≥ 2 yes/no answered "no" and ≥ 1 "yes",
  plus 2 unanswerable ones; every question names its company;
* every evidence is 3-12 words and occurs verbatim in its source file;
* every fact (a string, or a list of alternatives) occurs, case-insensitively, in the file
  of its answer; for number and name questions every fact also occurs in the evidence,
  for step questions at least one does; no fact alternative is already in the question;
* no absent_term of an unanswerable question occurs (as a word) in any document.

Prints the counts per kind. Exit status 0 when everything holds.

Usage: python check_policies.py [--seed 1 2] [--companies 6] [--keep DIR]
"""
from __future__ import annotations

import argparse
import filecmp
import json
import re
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
GENERATOR = HERE / "generate_policies.py"
DOC_KEYS = ["travel-policy", "expense-policy", "it-security-policy", "leave-policy",
            "onboarding-guide", "product-spec", "office-facilities"]


def generate(out: Path, seed: int, companies: int):
    subprocess.run([sys.executable, str(GENERATOR), "--out", str(out), "--seed", str(seed),
                    "--companies", str(companies)], check=True, stdout=subprocess.DEVNULL)


def same_tree(a: Path, b: Path) -> bool:
    fa = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    fb = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    if fa != fb:
        return False
    match, mismatch, errors = filecmp.cmpfiles(a, b, [str(p) for p in fa], shallow=False)
    return not mismatch and not errors


def alternatives(fact):
    return [fact] if isinstance(fact, str) else list(fact)


def has(text: str, fact) -> bool:
    low = text.lower()
    return any(a.lower() in low for a in alternatives(fact))


def check(out: Path, companies: int) -> Counter:
    errors = []
    manifest = json.loads((out / "companies.json").read_text(encoding="utf-8"))
    assert len(manifest) == companies, f"{len(manifest)} companies in companies.json"
    names = {c["slug"]: c["name"] for c in manifest}
    texts = {}
    for c in manifest:
        for key in DOC_KEYS:
            src = f"{c['slug']}/{key}.md"
            path = out / src
            if not path.is_file():
                errors.append(f"missing document {src}")
                continue
            text = path.read_text(encoding="utf-8")
            if not text.startswith("# ") or "\n## " not in text:
                errors.append(f"{src}: no # / ## headings")
            texts[src] = text
    corpus = "\n".join(texts.values())

    records = [json.loads(line) for line in (out / "questions.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    ids = Counter(r["id"] for r in records)
    errors += [f"duplicate id {i}" for i, n in ids.items() if n > 1]
    kinds, per_company = Counter(), defaultdict(Counter)
    for r in records:
        rid, q = r["id"], r["question"]
        slug = next((s for s in names if rid.startswith(s + "-")), None)
        if slug is None:
            errors.append(f"{rid}: id does not start with a company slug")
            continue
        if names[slug] not in q:
            errors.append(f"{rid}: question does not name {names[slug]!r}: {q!r}")
        if not r.get("answerable", True):
            kinds["unanswerable"] += 1
            per_company[slug]["unanswerable"] += 1
            if not re.fullmatch(re.escape(slug) + r"-u\d+", rid):
                errors.append(f"{rid}: unanswerable id should be <company>-u<n>")
            for term in r.get("absent_terms", []):
                if re.search(r"\b" + re.escape(term) + r"(s|es)?\b", corpus, re.IGNORECASE):
                    errors.append(f"{rid}: absent term {term!r} occurs in the documents")
            continue
        kind = r["kind"]
        kinds[kind] += 1
        per_company[slug][kind] += 1
        if kind not in ("number", "yesno", "name", "step"):
            errors.append(f"{rid}: unknown kind {kind!r}")
        if kind == "yesno":
            if r.get("yes_no") not in ("yes", "no"):
                errors.append(f"{rid}: yes_no missing")
            else:
                per_company[slug]["yesno-" + r["yes_no"]] += 1
        elif "yes_no" in r:
            errors.append(f"{rid}: yes_no on a {kind} question")
        if kind != "yesno" and not r["facts"]:
            errors.append(f"{rid}: no facts")
        if not r.get("answers"):
            errors.append(f"{rid}: no answers")
        for ans in r.get("answers", []):
            src, ev = ans["source"], ans["evidence"]
            if not src.startswith(slug + "/"):
                errors.append(f"{rid}: answer in another company's folder: {src}")
            text = texts.get(src)
            if text is None:
                errors.append(f"{rid}: unknown source {src}")
                continue
            if not 3 <= len(ev.split()) <= 12:
                errors.append(f"{rid}: evidence of {len(ev.split())} words: {ev!r}")
            if ev not in text:
                errors.append(f"{rid}: evidence not verbatim in {src}: {ev!r}")
            if ans.get("heading") and f"## {ans['heading']}\n" not in text:
                errors.append(f"{rid}: heading {ans['heading']!r} not in {src}")
            for fact in r["facts"]:
                if not has(text, fact):
                    errors.append(f"{rid}: fact {fact!r} not in {src}")
                for a in alternatives(fact):
                    if a.lower() in q.lower():
                        errors.append(f"{rid}: fact alternative {a!r} already in the question")
            in_ev = [has(ev, f) for f in r["facts"]]
            if kind in ("number", "name") and not all(in_ev):
                errors.append(f"{rid}: a fact is not in the evidence {ev!r}: {r['facts']}")
            if kind == "step" and not any(in_ev):
                errors.append(f"{rid}: no fact in the evidence {ev!r}")
    for slug, cnt in per_company.items():
        for kind in ("number", "yesno", "name", "step"):
            if not cnt[kind]:
                errors.append(f"{slug}: no {kind} question")
        answerable = sum(cnt[k] for k in ("number", "yesno", "name", "step"))
        if answerable < 8:
            errors.append(f"{slug}: only {answerable} answerable questions")
        if cnt["yesno-no"] < 2 or cnt["yesno-yes"] < 1:
            errors.append(f"{slug}: yes/no answers {cnt['yesno-no']} no, {cnt['yesno-yes']} yes")
        if cnt["unanswerable"] != 2:
            errors.append(f"{slug}: {cnt['unanswerable']} unanswerable questions")
    if len(per_company) != companies:
        errors.append(f"questions for {len(per_company)} companies, expected {companies}")
    if errors:
        raise AssertionError("\n".join(errors))
    yn = Counter(r.get("yes_no") for r in records if r.get("kind") == "yesno")
    kinds["yesno(no)"], kinds["yesno(yes)"] = yn["no"], yn["yes"]
    return kinds


def main(argv=None):
    ap = argparse.ArgumentParser(description="regenerate the policy documents and check the questions")
    ap.add_argument("--seed", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--companies", type=int, default=6)
    ap.add_argument("--keep", type=Path, help="also leave the generated set of the first seed here")
    args = ap.parse_args(argv)
    failed = False
    for seed in args.seed:
        with tempfile.TemporaryDirectory(prefix=f"policies-{seed}-") as tmp:
            a, b = Path(tmp) / "a", Path(tmp) / "b"
            try:
                generate(a, seed, args.companies)
                generate(b, seed, args.companies)
            except subprocess.CalledProcessError as exc:
                print(f"seed {seed}: FAILED, the generator exited with {exc.returncode}")
                failed = True
                continue
            try:
                if not same_tree(a, b):
                    raise AssertionError("two runs with the same seed differ")
                kinds = check(a, args.companies)
            except AssertionError as exc:
                print(f"seed {seed}: FAILED\n{exc}")
                failed = True
                continue
            docs = len(list(a.glob("*/*.md")))
            total = sum(v for k, v in kinds.items() if "(" not in k)
            print(f"seed {seed}: OK  {args.companies} companies, {docs} documents, {total} questions: "
                  + ", ".join(f"{k} {kinds[k]}" for k in ("number", "yesno", "yesno(no)", "yesno(yes)",
                                                           "name", "step", "unanswerable")))
            if args.keep and seed == args.seed[0]:
                subprocess.run(["cp", "-r", str(a), str(args.keep)], check=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
