"""The scrub engine: Presidio analysis with the project's recognizers, then typed pseudonyms (or mask,
hash, encrypt). Built once from a `ScrubberConfig`; `scrub` for one text, `scrub_many` for batches.
A text of any length: one longer than `segment_chars` is analyzed as overlapping windows
(`segments`) and then anonymized whole, so its pseudonym numbers are those of one text.

The scrubber is tuned for enterprise support data: it must remove personal data (names, contact
details, national ids, payment data, addresses, birth dates) while leaving the business content
that the fine-tune learns from (order/ticket ids, SKUs, versions, amounts, release dates, commit
hashes, product names) intact.
"""

from __future__ import annotations

import os
import multiprocessing
import re
import warnings
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Hashable, Iterator, NamedTuple, Sequence

from presidio_analyzer import AnalyzerEngine, BatchAnalyzerEngine, RecognizerRegistry, RecognizerResult
from presidio_analyzer.nlp_engine import NlpEngineProvider
from presidio_anonymizer import AnonymizerEngine, DeanonymizeEngine
from presidio_anonymizer.entities import OperatorConfig, OperatorResult
from presidio_anonymizer.operators import Operator, OperatorType
from presidio_anonymizer.operators.aes_cipher import AESCipher

from llmops.pii.config import DENY_LIST_ENTITY, SUPPORTED_ENTITIES, ScrubberConfig
from llmops.pii.names import joined_names, looks_like_name, name_lists, organisation_spans
from llmops.pii.recognizers import PERSON_NER_NAME, SPACY_LABELS_IGNORED, build_recognizers
from llmops.pii.segments import segment
from llmops.pii.vocabulary import CorpusVocabulary, code_spans


class PiiSpan(NamedTuple):
    """One replaced entity, with offsets into the original text."""

    entity_type: str
    start: int
    end: int
    score: float


@dataclass
class ScrubResult:
    """Scrubbed text plus what was removed from it."""

    text: str
    entities: dict[str, int]
    spans: list[PiiSpan]


class _Pseudonymize(Operator):
    """Anonymize operator that looks up the per-document typed pseudonym of a value."""

    def operate(self, text: str = "", params: dict | None = None) -> str:
        """Return the <TYPE_n> assigned to this (type, value) before anonymization."""
        assert params is not None
        return params["pseudonyms"][(params["entity_type"], _pseudonym_key(text))]

    def validate(self, params: dict | None = None) -> None:
        """Require the pseudonym table."""
        if not params or "pseudonyms" not in params:
            raise ValueError("placeholder operator needs a 'pseudonyms' table")

    def operator_name(self) -> str:
        """Name used in OperatorConfig."""
        return "placeholder"

    def operator_type(self) -> OperatorType:
        """An anonymizer (not a deanonymizer)."""
        return OperatorType.Anonymize


def _pseudonym_key(value: str) -> str:
    """Values that differ only in case or spacing are the same person/number."""
    return " ".join(value.split()).casefold()


# spaCy pipes whose output nothing here reads: the dependency parse, and the attribute ruler's
# coarse POS (the NER check reads the tagger's fine tags, NNP/NNPS). Together about a third of the
# spaCy time; without POS the lemmatizer lower-cases, which is all the context words need.
_UNUSED_PIPES = ("parser", "attribute_ruler")
# ...which the lemmatizer reports once per text (W108): expected here, and it would flood the logs.
warnings.filterwarnings("ignore", message=r"\[W108\]", category=UserWarning)


class Scrubber:
    """Analyzer + anonymizer built once; scrub() per text, scrub_many() for batches."""

    def __init__(self, config: ScrubberConfig | None = None) -> None:
        self.config = config or ScrubberConfig()
        nlp_engine = NlpEngineProvider(
            nlp_configuration={
                "nlp_engine_name": "spacy",
                "models": [
                    {"lang_code": self.config.language, "model_name": self.config.spacy_model}
                ],
                "ner_model_configuration": {
                    "model_to_presidio_entity_mapping": {"PERSON": "PERSON", "PER": "PERSON"},
                    "labels_to_ignore": SPACY_LABELS_IGNORED,
                },
            }
        ).create_engine()
        registry = RecognizerRegistry(
            recognizers=build_recognizers(self.config),
            supported_languages=[self.config.language],
        )
        self._analyzer = AnalyzerEngine(
            registry=registry,
            nlp_engine=nlp_engine,
            supported_languages=[self.config.language],
            default_score_threshold=self.config.score_threshold,
        )
        nlp = self._analyzer.nlp_engine.get_nlp(self.config.language)
        for unused in _UNUSED_PIPES:
            if unused in nlp.pipe_names:
                nlp.disable_pipe(unused)
        if self.config.segment_chars > nlp.max_length:
            raise ValueError(f"segment_chars {self.config.segment_chars} exceeds spaCy's max_length {nlp.max_length}")
        self._batch_analyzer = BatchAnalyzerEngine(self._analyzer)
        self._anonymizer = AnonymizerEngine()
        self._anonymizer.add_anonymizer(_Pseudonymize)
        self._deanonymizer = DeanonymizeEngine()
        self.entities = list(self.config.entities or SUPPORTED_ENTITIES)
        if self.config.deny_list and DENY_LIST_ENTITY not in self.entities:
            self.entities.append(DENY_LIST_ENTITY)

    def scrub(self, text: str) -> ScrubResult:
        """Scrub one text (API path)."""
        results = self._refine(text, self._analyze_segmented([text], self._analyze_each)[0], CorpusVocabulary())
        return self._anonymize(text, _with_repeats(text, results, _detected_values(text, results, CorpusVocabulary())))

    def scrub_many(
        self, texts: Sequence[str], groups: Sequence[Hashable] | None = None
    ) -> list[ScrubResult]:
        """Scrub many texts with spaCy batching (nlp.pipe); same output as scrub() per text.

        Large inputs are analyzed in n_process forked workers (spaCy and the recognizers both
        run there, not only the NLP step); overlap resolution and anonymization stay here.
        Texts sharing a group id (the title, body and metadata fields of one document) share
        what was detected: a name found in the body is also removed from a title that gave the
        recognizers no context. Pseudonym numbering still restarts for every text. The windows of
        long texts are batched (and spread over workers) like texts of their own.
        """
        texts = list(texts)
        groups = list(groups) if groups is not None else list(range(len(texts)))
        analyzed = self._analyze_segmented(texts, self._analyze_pieces)
        vocabulary = (CorpusVocabulary.learn(texts, groups, self.config.vocabulary_min_documents)
                      if self.config.learn_vocabulary else CorpusVocabulary())
        analyzed = [self._refine(text, results, vocabulary) for text, results in zip(texts, analyzed)]
        detected: dict[Hashable, dict[str, RecognizerResult]] = {}
        for group, text, results in zip(groups, texts, analyzed):
            detected.setdefault(group, {}).update(_detected_values(text, results, vocabulary))
        return [
            self._anonymize(text, _with_repeats(text, results, detected[group]))
            for group, text, results in zip(groups, texts, analyzed)
        ]

    def _analyze_segmented(
        self, texts: list[str], analyze: Callable[[list[str]], list[list[RecognizerResult]]]
    ) -> list[list[RecognizerResult]]:
        """Detections per text in whole-text offsets. A text over segment_chars goes to `analyze` as
        overlapping windows (see segments.py), each detection kept from the one window whose core
        holds its start; the text is then anonymized whole, so pseudonym numbers span the windows."""
        size, overlap = self.config.segment_chars, self.config.segment_overlap_chars
        windows = [segment(text, size, overlap) for text in texts]
        pieces = [text[w.start : w.end] if len(ws) > 1 else text for text, ws in zip(texts, windows) for w in ws]
        analyzed = iter(analyze(pieces))
        results = []
        for ws in windows:
            if len(ws) == 1:
                results.append(next(analyzed))
                continue
            found = []
            for window in ws:
                for r in next(analyzed):
                    r.start, r.end = r.start + window.start, r.end + window.start
                    if window.core_start <= r.start < window.core_end:
                        found.append(r)
            results.append(found)
        return results

    def _analyze_each(self, texts: list[str]) -> list[list[RecognizerResult]]:
        """One analyzer call per text (scrub's path: no nlp.pipe for a single text)."""
        return [self._analyzer.analyze(text, **self._analyze_kwargs()) for text in texts]

    def _analyze_pieces(self, texts: list[str]) -> list[list[RecognizerResult]]:
        """Analyze in forked workers when there are enough texts to pay for the fork, else batched here."""
        workers = min(self._workers(), len(texts) // max(self.config.parallel_min_texts // 2, 1))
        if workers > 1 and len(texts) >= self.config.parallel_min_texts:
            return self._analyze_in_workers(texts, workers)
        return self._analyze_batch(texts)

    def _allowed(self, value: str) -> bool:
        entries = self.config.allow_list
        if self.config.allow_list_match == "regex":
            return any(re.search(entry, value, re.IGNORECASE) for entry in entries)
        return value in entries

    def _refine(self, text: str, results: list[RecognizerResult], vocabulary: CorpusVocabulary) -> list[RecognizerResult]:
        """Detections minus allow-listed names, the NER's guesses at terms and headings and the
        guesses in code (`_code_guess`), plus the names listed beside a detected one."""
        code = code_spans(text)
        results = [r for r in self._drop_allow_listed_names(text, results)
                   if not _term_guess(text, r, vocabulary) and not (_code_guess(r) and _overlaps(r, code))]
        people = [(r.start, r.end) for r in results if r.entity_type == "PERSON" and not _weak_guess(text, r)]
        return results + [
            RecognizerResult("PERSON", start, end, _JOINED_SCORE,
                             recognition_metadata={RecognizerResult.RECOGNIZER_NAME_KEY: "JoinedNames"})
            for start, end in joined_names(text, people)
            if not any(self._allowed(w) for w in text[start:end].split())
        ]

    def _drop_allow_listed_names(self, text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
        """Presidio checks the allow list against a whole detection; a multi-word PERSON guess with an
        allow-listed word in it ("Explained Lumora") is the NER misreading a brand, not a name, and
        would otherwise spread the brand's removal to every mention through the name-part repeats."""
        if not self.config.allow_list:
            return results
        return [r for r in results
                if r.entity_type != "PERSON" or not any(self._allowed(w) for w in text[r.start : r.end].split())]

    def _analyze_batch(self, texts: list[str]) -> list[list[RecognizerResult]]:
        return list(
            self._batch_analyzer.analyze_iterator(
                texts, batch_size=self.config.batch_size, **self._analyze_kwargs()
            )
        )

    def _workers(self) -> int:
        """Processes to use: fork only (workers inherit the loaded models), never from a
        daemonic process (which may not have children)."""
        if (
            "fork" not in multiprocessing.get_all_start_methods()
            or multiprocessing.current_process().daemon
        ):
            return 1
        return self.config.n_process or len(os.sched_getaffinity(0))

    def _analyze_in_workers(self, texts: list[str], workers: int) -> list[list[RecognizerResult]]:
        """Analyze contiguous chunks in forked processes; results come back in input order."""
        global _WORKER_SCRUBBER
        chunk = -(-len(texts) // (workers * 4))  # a few chunks per worker evens out long texts
        chunks = [texts[i : i + chunk] for i in range(0, len(texts), chunk)]
        _WORKER_SCRUBBER = self
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                try:
                    parts = pool.map(_analyze_chunk, chunks)
                finally:
                    # Let the workers exit on their own before the pool is left, a text that raised
                    # included: leaving it terminates them with SIGTERM, which a process can inherit
                    # as ignored (Dagster maps SIGTERM to SIGINT's handler, ignored in background
                    # jobs), and then the join never returns.
                    pool.close()
                    pool.join()
            return [r for part in parts for r in part]
        finally:
            _WORKER_SCRUBBER = None

    def decrypt(self, text: str) -> str:
        """Re-identify text scrubbed with operator='encrypt' (authorized use only)."""
        key = self.config.encryption_key
        if not key:
            raise ValueError("decrypt needs the encryption_key used to scrub")
        tokens = [
            OperatorResult(m.start(), m.end(), "ENCRYPTED")
            for m in _CIPHERTEXT_RE.finditer(text)
            if _decrypts(key, m.group())
        ]
        return self._deanonymizer.deanonymize(
            text, tokens, {"DEFAULT": OperatorConfig("decrypt", {"key": key})}
        ).text

    def _analyze_kwargs(self) -> dict:
        return {
            "language": self.config.language,
            "entities": self.entities,
            "allow_list": self.config.allow_list or None,
            "allow_list_match": self.config.allow_list_match,
        }

    def _anonymize(self, text: str, results: list[RecognizerResult]) -> ScrubResult:
        """Resolve overlaps with Presidio, then apply the configured operator to what is left.
        A person's name inside a company name ("Tyczka i syn s.c.") is the company's: kept."""
        organisations = organisation_spans(text)
        results = [r for r in results if not (r.entity_type == "PERSON" and _overlaps(r, organisations))]
        # Pass 1 ("keep" leaves the text as is) yields Presidio's whitespace merging in original
        # offsets, so pseudonym numbers follow the final spans. Overlaps are resolved first: Presidio
        # leaves two overlapping types both in place, and "keep" then repeats the shared text.
        kept = self._anonymizer.anonymize(text, _without_overlaps(results), {"DEFAULT": OperatorConfig("keep")})
        spans = sorted(
            (PiiSpan(i.entity_type, i.start, i.end, i.score) for i in kept.items),
            key=lambda s: s.start,
        )
        resolved = [RecognizerResult(s.entity_type, s.start, s.end, s.score) for s in spans]
        scrubbed = self._anonymizer.anonymize(text, resolved, self._operators(text, spans))
        return ScrubResult(
            text=scrubbed.text,
            entities=dict(Counter(s.entity_type for s in spans)),
            spans=spans,
        )

    def _operators(self, text: str, spans: list[PiiSpan]) -> dict[str, OperatorConfig]:
        operator = self.config.operator
        if operator == "mask":
            params = {"masking_char": "*", "chars_to_mask": len(text), "from_end": False}
        elif operator == "hash":
            params = {"hash_type": "sha256"}
            if self.config.hash_salt:
                params["salt"] = self.config.hash_salt
        elif operator == "encrypt":
            params = {"key": self.config.encryption_key}
        else:
            params = {"pseudonyms": _number_pseudonyms(text, spans)}
        return {"DEFAULT": OperatorConfig(operator, params)}


# The Scrubber a forked worker inherits from the parent process (set only around the fork).
_WORKER_SCRUBBER: Scrubber | None = None


def _analyze_chunk(texts: list[str]) -> list[list[RecognizerResult]]:
    """Worker side of Scrubber._analyze_in_workers."""
    assert _WORKER_SCRUBBER is not None, "only called in workers forked by scrub_many"
    return _WORKER_SCRUBBER._analyze_batch(texts)


# Names found only by being listed beside a detected one ("A B / C D"): sure enough to replace.
_JOINED_SCORE = 0.6
# Shorter detected values (initials, "Li") are not propagated to other mentions: too ambiguous.
_MIN_REPEAT_CHARS = 3


def _detected_values(text: str, results: list[RecognizerResult], vocabulary: CorpusVocabulary) -> dict[str, RecognizerResult]:
    """Detected value -> its result, for the values worth looking for elsewhere.

    The parts of a full name are looked for too: once "Astrid T. Lindqvist" is known, a later
    "thanks Astrid" is the same person. Not propagated: very short values, and one-word spaCy
    PERSON guesses, the model's most frequent misfire (a brand like "Lumora" would otherwise
    vanish from a whole document), and name parts that are corpus terms ("Perl" of "Perl Golf").
    """
    values: dict[str, RecognizerResult] = {}
    for r in results:
        value = text[r.start : r.end]
        words = value.split()
        if len(value) < _MIN_REPEAT_CHARS or _weak_guess(text, r):
            continue
        values[value] = r
        if r.entity_type == "PERSON" and len(words) > 1:
            for word in words:
                if (len(word) >= _MIN_REPEAT_CHARS and looks_like_name(word) and "." not in word
                        and not vocabulary.is_term(word)):
                    values.setdefault(word, r)
    return values


def _overlaps(result: RecognizerResult, spans: list[tuple[int, int]]) -> bool:
    return any(start < result.end and result.start < end for start, end in spans)


def _without_overlaps(results: list[RecognizerResult]) -> list[RecognizerResult]:
    """One result per stretch of text. Overlapping results of one type are joined; of different types
    the one holding the other wins, else the surer one (the longer on a tie): Presidio's rules, which
    it applies to containment only, leaving partial overlaps that "keep" would repeat."""
    merged: list[RecognizerResult] = []
    for r in sorted(results, key=lambda r: (r.entity_type, r.start)):
        last = merged[-1] if merged else None
        if last and last.entity_type == r.entity_type and r.start < last.end:
            last.end, last.score = max(last.end, r.end), max(last.score, r.score)
        else:
            merged.append(RecognizerResult(r.entity_type, r.start, r.end, r.score,
                                           recognition_metadata=r.recognition_metadata))
    kept: list[RecognizerResult] = []
    cluster: list[RecognizerResult] = []
    cluster_end = -1
    for r in [*sorted(merged, key=lambda r: r.start), None]:
        if r is not None and r.start < cluster_end:
            cluster.append(r)
            cluster_end = max(cluster_end, r.end)
            continue
        chosen: list[RecognizerResult] = []
        for c in sorted(cluster, key=lambda c: (c.start - c.end, -c.score)):
            rivals = [k for k in chosen if c.start < k.end and k.start < c.end]
            if not rivals or all(not (k.start <= c.start and c.end <= k.end) and c.score > k.score for k in rivals):
                chosen = [k for k in chosen if k not in rivals] + [c]
        kept.extend(chosen)
        cluster, cluster_end = ([r], r.end) if r is not None else ([], -1)
    return sorted(kept, key=lambda r: r.start)


# In code, only structure says that a value is personal. That is a label ("Maintainer: Josip Rodin
# <...>", "BDAY:"), a position ("-- Name <e-mail>") or the name lists. The NER's guesses in code, and
# street or date shapes without a label, are identifiers and sample values ("class Person", "Main
# Street" in a test fixture). E-mail, keys, IPs and phone numbers count in code as anywhere. A value
# that is also found in prose is still replaced in code, through the repeats.
_GUESS_IN_CODE = {"PERSON": {PERSON_NER_NAME}, "STREET_ADDRESS": {"StreetAddressRecognizer"},
                  "DATE_OF_BIRTH": {"DateOfBirthRecognizer"}}


def _recognizer(result: RecognizerResult) -> str | None:
    """The recognizer that found a result (None for the repeats this module adds)."""
    return (result.recognition_metadata or {}).get(RecognizerResult.RECOGNIZER_NAME_KEY)


def _code_guess(result: RecognizerResult) -> bool:
    return _recognizer(result) in _GUESS_IN_CODE.get(result.entity_type, ())


def _weak_guess(text: str, result: RecognizerResult) -> bool:
    """A one-word spaCy PERSON: the model's most frequent misfire, too weak to spread from."""
    return (
        len(text[result.start : result.end].split()) == 1
        and _recognizer(result) == PERSON_NER_NAME
    )


_HEADING_LINE = re.compile(r"^[ \t]*#{1,6}[ \t]", re.MULTILINE)
_WORD_EDGES = ".,;:!?()[]{}\"'’"


def _term_guess(text: str, result: RecognizerResult, vocabulary: CorpusVocabulary) -> bool:
    """A spaCy PERSON made only of corpus terms ("Debian", "File Format"), or one in a heading line:
    the NER reading a manual's vocabulary. A name in a heading that is found elsewhere by stronger
    evidence is still replaced there, through the repeats."""
    if _recognizer(result) != PERSON_NER_NAME:
        return False
    line_start = text.rfind("\n", 0, result.start) + 1
    if _HEADING_LINE.match(text, line_start):
        return True
    words = [w.strip(_WORD_EDGES) for w in text[result.start : result.end].split()]
    words = [w for w in words if len(w.rstrip(".")) > 1]  # initials ("X. X", "C Library") say nothing
    # A name does not open with a corpus term ("Debian Stretch", "Perl Golf") unless the lists know
    # the whole of it ("Mark Twain").
    return all(vocabulary.is_term(w) for w in words) or (
        bool(words) and vocabulary.is_term(words[0]) and not name_lists().full_name(words))


def _with_repeats(
    text: str, results: list[RecognizerResult], detected: dict[str, RecognizerResult]
) -> list[RecognizerResult]:
    """Add every other occurrence of a detected value: NER is not consistent across mentions.

    Overlaps with existing results are left to the anonymizer's conflict resolution.
    """
    repeats = [
        RecognizerResult(found.entity_type, start, start + len(value), found.score)
        for value, found in detected.items()
        for start in _word_occurrences(value, text)
    ]
    return results + repeats


def _word_occurrences(value: str, text: str) -> Iterator[int]:
    """Starts of ``value`` not glued to a word character, as re.finditer(r"(?<!\w)value(?!\w)") finds
    them. A substring search is far faster on a long text: the regex, led by a lookbehind, tries
    every position of the text for every value."""
    start = text.find(value)
    while start >= 0:
        end = start + len(value)
        if (start == 0 or not _is_word_char(text[start - 1])) and (end == len(text) or not _is_word_char(text[end])):
            yield start
            start = text.find(value, end)
        else:
            start = text.find(value, start + 1)


def _is_word_char(char: str) -> bool:
    """What \\w matches in a str pattern."""
    return char.isalnum() or char == "_"


def _number_pseudonyms(text: str, spans: list[PiiSpan]) -> dict[tuple[str, str], str]:
    """<TYPE_n> per distinct value, numbered by first appearance; restarts for every text."""
    pseudonyms: dict[tuple[str, str], str] = {}
    per_type: Counter[str] = Counter()
    for span in spans:
        key = (span.entity_type, _pseudonym_key(text[span.start : span.end]))
        if key not in pseudonyms:
            per_type[span.entity_type] += 1
            pseudonyms[key] = f"<{span.entity_type}_{per_type[span.entity_type]}>"
    return pseudonyms


# Presidio's encrypt output: url-safe base64 of a 16-byte IV plus at least one AES block.
_CIPHERTEXT_RE = re.compile(r"(?<![\w=-])[A-Za-z0-9_-]{43,}={0,2}(?![\w=-])")


def _decrypts(key: str, token: str) -> bool:
    """Whether token is ciphertext under key (other long tokens in the text are left alone)."""
    try:
        AESCipher.decrypt(key.encode(), token)
    except (ValueError, UnicodeDecodeError):
        return False
    return True
