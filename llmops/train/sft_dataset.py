"""Instruction pairs for supervised fine-tuning, mined from the structure of scrubbed documents.

Pairs come from structure any enterprise corpus has, not from one company's wording:
question headings followed by an answer (FAQ pages), ``Subject/Description`` + ``Resolution``
fields (support tickets), ``Customer``/``Agent`` turns (chat logs), and titled sections
(manuals, policies). Splits are by source document so no document leaks across splits.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from llmops.ingest.blocks import plain_text
from llmops.train.raft import PassageLibrary, check_context, retrieval_example

DEFAULT_SYSTEM_PROMPT = (
    "You are the company's internal assistant. Answer questions about our products, "
    "support procedures and policies accurately and concisely."
)
SPLITS = ("train", "validation", "test")

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*$")
_FIELD = re.compile(r"^([A-Z][A-Za-z ]{1,30}):\s*(.*)$")
_CHAT_TURN = re.compile(r"^(?:\[[^\]]*\]\s*)?(customer|user|client|agent|support|assistant)\b[^:]*:\s*(.+)$", re.I)
_CUSTOMER_ROLES = {"customer", "user", "client"}
# Fields that make up a record's question or answer, not facts about it.
_PROBLEM_FIELDS = {"subject", "question", "description", "resolution", "answer", "solution"}
# References of at most this many words count as short answers (scored by exact match).
SHORT_ANSWER_WORDS = 6


@dataclass(frozen=True)
class Pair:
    question: str
    answer: str
    doc_id: str
    kind: str


@dataclass(frozen=True)
class SFTSettings:
    system_prompt: str = DEFAULT_SYSTEM_PROMPT
    validation_fraction: float = 0.1
    test_fraction: float = 0.1
    max_answer_chars: int = 700
    min_answer_chars: int = 12
    seed: int = 13
    # "closed_book": the question alone; "retrieved": with passages as served (`llmops.train.raft`)
    context: str = "closed_book"
    distractors: int = 2
    # 0.8 and 500-character passages made a 135M adapter refuse a third of answerable questions;
    # 0.9 and the index's own chunk size, 4% (bench/RESULTS.md)
    oracle_fraction: float = 0.9
    passage_chars: int = 800


def _sections(text: str) -> list[tuple[int, str, str]]:
    """(level, heading, body) for each markdown heading; body runs to the next heading."""
    sections: list[tuple[int, str, list[str]]] = []
    for line in text.split("\n"):
        match = _HEADING.match(line)
        if match:
            sections.append((len(match.group(1)), match.group(2), []))
        elif sections:
            sections[-1][2].append(line)
    return [(level, head, "\n".join(body).strip()) for level, head, body in sections]


def _underlined_title(text: str) -> str | None:
    """Plain-text documents underline their title with ``===``."""
    lines = text.split("\n")
    if len(lines) > 1 and re.fullmatch(r"[=\-]{3,}", lines[1].strip()):
        return lines[0].strip()
    return None


def _clip(answer: str, limit: int) -> str:
    """Cut at a sentence end under ``limit`` so answers stay whole sentences."""
    answer = answer.strip()
    if len(answer) <= limit:
        return answer
    cut = answer[:limit]
    end = max(cut.rfind(". "), cut.rfind(".\n"), cut.rfind("\n"))
    return (cut[: end + 1] if end > limit // 3 else cut).strip()


def _faq_pairs(text: str, doc_id: str) -> list[Pair]:
    return [
        Pair(head.strip(), body, doc_id, "faq")
        for _, head, body in _sections(text)
        if head.strip().endswith("?") and body
    ]


def _field_pairs(text: str, doc_id: str) -> list[Pair]:
    """Ticket-like records: the problem fields become the question, ``Resolution`` the answer."""
    fields: dict[str, str] = {}
    for line in text.split("\n"):
        match = _FIELD.match(line)
        if match:
            fields[match.group(1).strip().lower()] = match.group(2).strip()
    answer = fields.get("resolution") or fields.get("answer") or fields.get("solution")
    question = " ".join(
        part for part in (fields.get("subject") or fields.get("question"), fields.get("description")) if part
    )
    short = _short_answer_pairs(fields, question, doc_id)  # before the product prefix gives it away
    product = fields.get("product")
    if product and question and product.lower() not in question.lower():
        question = f"[{product}] {question}"
    return ([Pair(question, answer, doc_id, "ticket")] if answer and question else []) + short


def _short_answer_pairs(fields: dict[str, str], problem: str, doc_id: str) -> list[Pair]:
    """Extractive short answers: a short record field (e.g. ``Product``) that the problem text itself
    mentions becomes "which <field> is this about?". These are the items exact match is scored on."""
    pairs = []
    for name, value in fields.items():
        if name in _PROBLEM_FIELDS or "<" in value or not value or len(value.split()) > SHORT_ANSWER_WORDS:
            continue
        if problem and re.search(rf"(?<!\w){re.escape(value)}(?!\w)", problem, re.I):
            question = f"{problem}\n\nWhich {name} is this about? Answer with the {name} only."
            pairs.append(Pair(question, value, doc_id, "short"))
    return pairs


def _chat_pairs(text: str, doc_id: str) -> list[Pair]:
    """Each customer turn answered by the following agent turn(s)."""
    pairs: list[Pair] = []
    question: list[str] = []
    answer: list[str] = []
    for line in text.split("\n"):
        match = _CHAT_TURN.match(line.strip())
        if not match:
            continue
        is_customer = match.group(1).lower() in _CUSTOMER_ROLES
        if is_customer and answer:
            pairs.append(Pair(" ".join(question), " ".join(answer), doc_id, "chat"))
            question, answer = [], []
        (question if is_customer and not answer else answer).append(match.group(2).strip())
    if question and answer:
        pairs.append(Pair(" ".join(question), " ".join(answer), doc_id, "chat"))
    return [p for p in pairs if p.question]


def _section_pairs(text: str, title: str, doc_id: str, kind: str) -> list[Pair]:
    """Titled sections become 'what does <title> say about <section>' questions."""
    sections = [(h, b) for _, h, b in _sections(text) if b and not h.endswith("?")]
    doc_title = title.strip()
    if not sections:
        heading = _underlined_title(text)
        if heading:
            body = "\n".join(text.split("\n")[2:]).strip()
            sections = [(heading, body)] if body else []
    pairs = []
    for heading, body in sections:
        if heading == doc_title or heading.lower() in doc_title.lower():
            question = f"What does the {doc_title} say?" if kind != "manual" else f"Explain: {doc_title}."
        else:
            question = f"{doc_title}: what does it say about {heading}?"
        pairs.append(Pair(question, body, doc_id, kind))
    return pairs


def extract_pairs(doc_id: str, doc_type: str, title: str, text: str) -> list[Pair]:
    """All instruction pairs one document yields, by its structure. Location marker lines
    (``<!-- page 12 -->``) are for citations: the model is not taught to write them."""
    text = plain_text(text)
    pairs = _faq_pairs(text, doc_id) + _field_pairs(text, doc_id)
    if doc_type == "chat" or not pairs:
        pairs += _chat_pairs(text, doc_id)
    if not pairs:
        pairs += _section_pairs(text, title, doc_id, doc_type if doc_type in ("manual", "policy") else "section")
    return pairs


def split_for(doc_id: str, settings: SFTSettings) -> str:
    """Deterministic split from a hash of the document id (no leakage between splits)."""
    bucket = int(hashlib.sha256(f"{settings.seed}:{doc_id}".encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    if bucket < settings.test_fraction:
        return "test"
    if bucket < settings.test_fraction + settings.validation_fraction:
        return "validation"
    return "train"


def to_example(pair: Pair, system_prompt: str) -> dict:
    """Conversational prompt/completion example: trl trains on the completion tokens only."""
    return {
        "prompt": [
            {"role": "system", "content": system_prompt},
            {"role": "user", "content": pair.question},
        ],
        "completion": [{"role": "assistant", "content": pair.answer}],
        "doc_id": pair.doc_id,
        "kind": pair.kind,
    }


@dataclass
class SFTBuild:
    examples: dict[str, list[dict]]
    documents_used: int
    documents_without_pairs: int
    duplicates_dropped: int
    version: str
    without_passage: int = 0  # retrieved context: pairs left out because no passage holds their answer
    refusals: int = 0  # retrieved context: examples whose passages do not hold the answer

    def context_counts(self) -> dict[str, int]:
        return {"pairs_without_passage": self.without_passage, "refusal_examples": self.refusals}

    def counts(self) -> dict[str, int]:
        return {split: len(rows) for split, rows in self.examples.items()}

    def kinds(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for rows in self.examples.values():
            for row in rows:
                counts[row["kind"]] = counts.get(row["kind"], 0) + 1
        return dict(sorted(counts.items()))


def build_examples(corpus: pd.DataFrame, settings: SFTSettings = SFTSettings(),
                   extra_train: Iterable[Pair] = ()) -> SFTBuild:
    """Pairs from every document, de-duplicated, split by document, versioned by content hash.

    ``extra_train`` (user corrections from serving) only ever go to train: held-out splits stay
    document-derived, so evaluations remain comparable between dataset versions. With the
    retrieved context, document pairs are shown with passages (`llmops.train.raft`); corrections
    have no source passage and stay closed-book."""
    check_context(settings.context, settings.distractors, settings.oracle_fraction)
    library = (PassageLibrary(corpus, settings.passage_chars, settings.passage_chars * 3 // 20)
               if settings.context == "retrieved" else None)
    examples: dict[str, list[dict]] = {split: [] for split in SPLITS}
    seen: set[str] = set()
    used = without = dropped = without_passage = refusals = 0

    def add(pair: Pair, split: str, framed: bool = True) -> None:
        nonlocal dropped, without_passage, refusals
        key = hashlib.sha256(f"{pair.question.lower()}\x00{pair.answer.lower()}".encode()).hexdigest()
        if key in seen:
            dropped += 1
            return
        seen.add(key)
        example = to_example(pair, settings.system_prompt)
        if library is not None and framed:
            shown = library.frame(pair.question, pair.answer, pair.doc_id, settings.distractors, settings.oracle_fraction)
            if shown is None:
                without_passage += 1
                return
            refusals += not shown.has_oracle
            example.update(retrieval_example(pair.question, shown, settings.system_prompt))
        examples[split].append(example)

    for row in corpus.sort_values("doc_id").itertuples(index=False):
        pairs = [
            Pair(p.question.strip(), _clip(p.answer, settings.max_answer_chars), p.doc_id, p.kind)
            for p in extract_pairs(row.doc_id, row.doc_type, row.title, row.text)
        ]
        pairs = [p for p in pairs
                 if p.question and (p.kind == "short" or len(p.answer) >= settings.min_answer_chars)]
        if not pairs:
            without += 1
            continue
        used += 1
        split = split_for(row.doc_id, settings)
        for pair in pairs:
            add(pair, split)
    for pair in extra_train:
        add(pair, "train", framed=False)
    digest = hashlib.sha256(json.dumps(examples, sort_keys=True).encode()).hexdigest()[:16]
    return SFTBuild(examples, used, without, dropped, digest, without_passage, refusals)


def save_dataset(build: SFTBuild, path: Path):
    """Write the splits as a ``datasets.DatasetDict`` on disk and return it."""
    from datasets import Dataset, DatasetDict

    dataset = DatasetDict({split: Dataset.from_list(rows) for split, rows in build.examples.items() if rows})
    dataset.save_to_disk(str(path))
    (Path(path) / "VERSION").write_text(build.version + "\n")
    return dataset


def load_split(path: Path, split: str):
    from datasets import load_from_disk

    return load_from_disk(str(path))[split]


def source_documents(path: Path, counts: dict[str, int]) -> set[str]:
    """The documents a saved dataset's examples came from (``counts``: its examples per split)."""
    return {doc for split in SPLITS if counts.get(split) for doc in load_split(path, split)["doc_id"]}


def iter_pairs(examples: Iterable[dict]) -> Iterable[tuple[list[dict], str]]:
    """(prompt messages, reference answer) for each example."""
    for example in examples:
        yield example["prompt"], example["completion"][0]["content"]
