"""Seeded generator for the Lumora Systems sample enterprise corpus.

The pipeline needs raw inputs that look like one real company's exports
(help-centre pages, helpdesk tickets, product manuals, HR/IT policies and
chat logs) with two kinds of ground truth attached:

* ``planted_pii`` - every personal value we wrote, so scrubbing recall can be
  measured instead of eyeballed;
* ``facts`` - the company facts the documents teach, always worded exactly the
  same way, so a fine-tuned model's answers can be scored against them.

Everything comes from one ``random.Random(seed)``: the same seed gives a
byte-identical corpus. The text kinds need only the standard library, so small
corpora generate anywhere (CI, a laptop without the ML stack); corpora of
``OFFICE_MIN_DOCS`` documents or more also get a few office files, written with
the ingestion readers' own libraries.

Document counting rule shared with ingestion: every line of a ``.jsonl`` file
and every data row of a ``.csv`` file is one document; every ``.md``,
``.txt``, ``.html``, ``.docx``, ``.xlsx``, ``.pptx`` and ``.pdf`` file is one
document; an ``.eml`` file is one document plus one per attachment.

This module lays the documents out on disk and returns the manifest; the
sibling modules write their content (``faq``, ``tickets``, ``chats``,
``manuals``, ``policies``, ``office_docs``).
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Sequence

from llmops.ingest.files import QUESTIONS_FILE
from llmops.sample.catalog import FACTS, UNANSWERED, CorpusManifest
from llmops.sample.chats import chat
from llmops.sample.context import Context
from llmops.sample.faq import faq_html, faq_markdown, faq_page
from llmops.sample.manuals import MANUAL_COMBOS, manual_markdown, manual_section, manual_txt
from llmops.sample.office_docs import OFFICE_DOCS, OFFICE_MIN_DOCS, office_doc_counts
from llmops.sample.people import fold_ascii
from llmops.sample.policies import policy, policy_html, policy_txt
from llmops.sample.tickets import TICKET_FIELDS, ticket


#: Share (percent) of documents per kind; allocated by largest remainder.
KIND_SHARES: tuple[tuple[str, int], ...] = (
    ("faq", 20),
    ("ticket", 30),
    ("manual", 20),
    ("policy", 15),
    ("chat", 15),
)
KIND_DIRS: dict[str, str] = {
    "faq": "faq",
    "ticket": "tickets",
    "manual": "manuals",
    "policy": "policies",
    "chat": "chats",
}
#: Above this many standalone files per kind, further docs become jsonl records
#: (keeps a 20k-doc corpus at a few hundred files instead of thousands).
MAX_FILES_PER_KIND = 24
#: Max documents (lines / rows) per jsonl or csv file.
ROWS_PER_FILE = 500
#: Fields of every overflow jsonl record (ticket files use ``TICKET_FIELDS`` instead).
RECORD_FIELDS: tuple[str, ...] = ("doc_id", "title", "doc_type", "text")

_GENERATED_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*-\d{4}\.(md|html|txt|jsonl|csv|docx|xlsx|pptx|pdf|eml)$")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold_ascii(text)).strip("-")


class _Writer:
    """Writes files with explicit UTF-8 / LF and counts documents per kind and format."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files: list[str] = []
        self.doc_counts: dict[str, int] = {}

    def _count(self, kind: str, fmt: str, n: int) -> None:
        key = f"{kind}/{fmt}"
        self.doc_counts[key] = self.doc_counts.get(key, 0) + n

    def text(self, kind: str, name: str, content: str) -> None:
        self.binary(kind, name, content.encode("utf-8"), 1)

    def binary(self, kind: str, name: str, data: bytes, n_docs: int) -> None:
        rel = f"{KIND_DIRS[kind]}/{name}"
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.files.append(rel)
        self._count(kind, name.rsplit(".", 1)[1], n_docs)

    def jsonl(self, kind: str, name: str, records: Sequence[dict[str, str]]) -> None:
        content = "".join(json.dumps(rec, ensure_ascii=False) + "\n" for rec in records)
        rel = f"{KIND_DIRS[kind]}/{name}"
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8"))
        self.files.append(rel)
        self._count(kind, "jsonl", len(records))

    def csv(self, kind: str, name: str, rows: Sequence[dict[str, str]]) -> None:
        buf = io.StringIO(newline="")
        writer = csv.DictWriter(buf, fieldnames=list(TICKET_FIELDS), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        rel = f"{KIND_DIRS[kind]}/{name}"
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(buf.getvalue().encode("utf-8"))
        self.files.append(rel)
        self._count(kind, "csv", len(rows))


def _chunks(items: list[dict[str, str]], size: int) -> list[list[dict[str, str]]]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def _allocate(n_docs: int) -> dict[str, int]:
    """Split n_docs over kinds by KIND_SHARES (largest remainder, exact total)."""
    total = sum(w for _, w in KIND_SHARES)
    counts = {k: n_docs * w // total for k, w in KIND_SHARES}
    rest = n_docs - sum(counts.values())
    order = sorted(range(len(KIND_SHARES)),
                   key=lambda i: (-(n_docs * KIND_SHARES[i][1] % total), i))
    for i in order[:rest]:
        counts[KIND_SHARES[i][0]] += 1
    return counts


def _remove_stale_outputs(out_dir: Path) -> None:
    """Delete files a previous run generated, so re-running never leaves extra documents.

    Only files directly inside the kind folders and matching the generator's own
    ``<slug>-NNNN.<ext>`` naming are touched; anything else (e.g. hand-made
    ``incoming_bad/`` samples) survives.
    """
    for sub in sorted(set(KIND_DIRS.values())):
        folder = out_dir / sub
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if path.is_file() and _GENERATED_NAME.match(path.name):
                path.unlink()


def _record(doc_id: str, title: str, doc_type: str, text: str) -> dict[str, str]:
    return dict(zip(RECORD_FIELDS, (doc_id, title, doc_type, text)))


def _write_faqs(ctx: Context, w: _Writer, count: int) -> None:
    n_files = min(count, MAX_FILES_PER_KIND)
    records = []
    for i in range(count):
        title, qas = faq_page(ctx, i)
        if i < n_files:
            fmt = "html" if i % 3 == 2 else "md"
            body = faq_html(ctx, title, qas) if fmt == "html" else faq_markdown(title, qas)
            w.text("faq", f"{_slug(title)}-{i + 1:04d}.{fmt}", body)
        else:
            records.append(_record(f"FAQ-{i + 1:06d}", title, "faq", faq_markdown(title, qas)))
    for k, chunk in enumerate(_chunks(records, ROWS_PER_FILE)):
        w.jsonl("faq", f"faq-archive-{k + 1:04d}.jsonl", chunk)


def _write_tickets(ctx: Context, w: _Writer, count: int) -> None:
    tickets = [ticket(ctx) for _ in range(count)]
    n_csv = count * 2 // 5
    as_jsonl, as_csv = tickets[: count - n_csv], tickets[count - n_csv:]
    for k, chunk in enumerate(_chunks(as_jsonl, ROWS_PER_FILE)):
        w.jsonl("ticket", f"tickets-2024-part-{k + 1:04d}.jsonl", chunk)
    for k, chunk in enumerate(_chunks(as_csv, ROWS_PER_FILE)):
        w.csv("ticket", f"helpdesk-export-{k + 1:04d}.csv", chunk)


def _write_manuals(ctx: Context, w: _Writer, count: int) -> None:
    n_files = min(count, MAX_FILES_PER_KIND)
    order = list(MANUAL_COMBOS)
    ctx.rng.shuffle(order)
    records = []
    for i in range(count):
        product, section, blocks = manual_section(ctx, order, i)
        md = manual_markdown(product, section, blocks)
        if i < n_files:
            slug = _slug(f"{product} {section}")
            if i % 2:
                w.text("manual", f"{slug}-{i + 1:04d}.txt", manual_txt(product, section, blocks))
            else:
                w.text("manual", f"{slug}-{i + 1:04d}.md", md)
        else:
            records.append(_record(f"MAN-{i + 1:06d}", f"{product} manual: {section}", "manual",
                                   md))
    for k, chunk in enumerate(_chunks(records, ROWS_PER_FILE)):
        w.jsonl("manual", f"manuals-archive-{k + 1:04d}.jsonl", chunk)


def _write_policies(ctx: Context, w: _Writer, count: int) -> None:
    n_files = min(count, MAX_FILES_PER_KIND)
    records = []
    for i in range(count):
        title, meta, sections = policy(ctx, i)
        if i < n_files:
            slug = _slug(title)
            if i % 5 in (1, 3):
                w.text("policy", f"{slug}-{i + 1:04d}.html",
                       policy_html(ctx, title, meta, sections))
            else:
                w.text("policy", f"{slug}-{i + 1:04d}.txt", policy_txt(title, meta, sections))
        else:
            records.append(_record(f"POL-{i + 1:06d}", title, "policy",
                                   policy_txt(title, meta, sections)))
    for k, chunk in enumerate(_chunks(records, ROWS_PER_FILE)):
        w.jsonl("policy", f"policies-archive-{k + 1:04d}.jsonl", chunk)


def _write_chats(ctx: Context, w: _Writer, count: int) -> None:
    n_files = min(count, MAX_FILES_PER_KIND)
    records = []
    for i in range(count):
        title, text = chat(ctx)
        if i < n_files:
            w.text("chat", f"chat-{i + 1:04d}.txt", text)
        else:
            records.append(_record(title.rsplit(" ", 1)[1], title, "chat", text))
    for k, chunk in enumerate(_chunks(records, ROWS_PER_FILE)):
        w.jsonl("chat", f"chats-archive-{k + 1:04d}.jsonl", chunk)


def _write_office(ctx: Context, w: _Writer) -> None:
    for doc in OFFICE_DOCS:
        w.binary(doc.kind, doc.name, doc.build(ctx), doc.n_docs)


def write_questions(path: Path) -> Path:
    """The evaluation questions: every company fact, asked in each of its wordings, is answered by a
    passage that states the fact's canonical answer, and a correct answer states its key facts;
    the ``UNANSWERED`` questions are answered by no document."""
    records = [{"id": f"{fact.key}-{n}", "question": question, "answers": [{"evidence": fact.answer}],
                **({"facts": list(fact.key_facts)} if fact.key_facts else {}),
                **({"yes_no": fact.yes_no} if fact.yes_no and n == 0 else {})}
               for fact in FACTS for n, question in enumerate((fact.question, *fact.variants))]
    records += [{"id": f"unanswered-{n}", "question": question, "answerable": False}
                for n, question in enumerate(UNANSWERED)]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8", newline="\n")
    return path


def generate_corpus(out_dir: Path, n_docs: int = 180, seed: int = 7) -> CorpusManifest:
    """Write a seeded Lumora Systems corpus of exactly ``n_docs`` documents into ``out_dir``.

    Layout: ``faq/`` (.md, .html, overflow .jsonl), ``tickets/`` (.jsonl, .csv),
    ``manuals/`` (.md, .txt, overflow .jsonl), ``policies/`` (.txt, .html,
    overflow .jsonl), ``chats/`` (.txt, overflow .jsonl). From ``OFFICE_MIN_DOCS``
    documents on, six of them are office files instead (.xlsx in ``faq/``, .eml
    with an attachment in ``tickets/``, .pptx and .pdf in ``manuals/``, .docx in
    ``policies/``), and ``questions.jsonl`` for the retrieval evaluation. Files from an earlier run are replaced; unrelated files are
    left alone. The manifest is returned,
    never written into ``out_dir`` (that folder is ingested as raw data); use
    :func:`write_manifest` to store it elsewhere.
    """
    if n_docs < 0:
        raise ValueError("n_docs must be >= 0")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    _remove_stale_outputs(out_dir)
    ctx = Context(seed)
    writer = _Writer(out_dir)
    counts = _allocate(n_docs)
    with_office = n_docs >= OFFICE_MIN_DOCS
    if with_office:
        for kind, n in office_doc_counts().items():
            counts[kind] -= n
    _write_faqs(ctx, writer, counts["faq"])
    _write_tickets(ctx, writer, counts["ticket"])
    _write_manuals(ctx, writer, counts["manual"])
    _write_policies(ctx, writer, counts["policy"])
    _write_chats(ctx, writer, counts["chat"])
    if with_office:
        _write_office(ctx, writer)
    write_questions(out_dir / QUESTIONS_FILE)
    return CorpusManifest(
        n_docs=n_docs,
        files=sorted(writer.files),
        planted_pii=ctx.pii.snapshot(),
        facts=[(f.question, f.answer) for f in FACTS],
        seed=seed,
        doc_counts=dict(sorted(writer.doc_counts.items())),
    )
