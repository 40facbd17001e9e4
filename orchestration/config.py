"""Run configuration the data team edits in the launchpad; defaults mirror the llmops settings."""

from __future__ import annotations

from dataclasses import fields, replace
from pathlib import Path

from dagster import Config
from pydantic import Field

from llmops.ingest.raw_documents import IngestSettings
from llmops.ingest.readers import ReadLimits
from llmops.monitor.automation import RegressionPolicy
from llmops.pii.scrubbed_corpus import MAX_TEXT_CHARS, MIN_TEXT_CHARS
from llmops.monitor.drift import DriftSettings
from llmops.evaluation.report import EvalSettings
from llmops.train.lora_adapter import TrainSettings
from llmops.registry.promotion import PromotionPolicy
from llmops.train.sft_dataset import SFTSettings
from llmops.ingest.files import QUESTIONS_FILE
from llmops.retrieval.evaluation import METRICS, IndexGate
from llmops.retrieval.index import IndexSettings
from llmops.retrieval.search import MODES, SearchSettings

_TRAIN, _SFT, _EVAL, _INDEX, _PROMO = TrainSettings(), SFTSettings(), EvalSettings(), IndexSettings(), PromotionPolicy()


def to_settings(config: Config, cls: type):
    """Build an llmops settings dataclass from the matching fields of a Dagster config."""
    values = config.model_dump()
    return cls(**{f.name: tuple(values[f.name]) if isinstance(values[f.name], list) else values[f.name]
                  for f in fields(cls) if f.name in values})


_INGEST, _LIMITS = IngestSettings(), ReadLimits()


class RawDocumentsConfig(Config):
    """What ingestion accepts and what one file may cost; a file over a limit is quarantined with the
    limit's name in its reason, never cut short."""

    max_file_mb: float = Field(_INGEST.max_file_mb, gt=0, description="larger files are quarantined unread "
                               "(MB of 10^6 bytes; .jsonl/.csv are streamed, a .txt/.md/.html document is read whole: "
                               "about twice its size in memory)")
    follow_symlinks: bool = Field(_INGEST.follow_symlinks, description="read symbolic links whose target stays "
                                  "inside the raw folder (off: every link is quarantined unread)")
    max_pages: int = Field(_LIMITS.max_pages, gt=0, description="pages, slides or sheets of one file")
    max_unpacked_mb: float = Field(_LIMITS.max_unpacked_mb, gt=0, description="decompressed size of an Office or "
                                   "OpenDocument file (a zip inside): more is treated as a zip bomb")
    max_nesting: int = Field(_LIMITS.max_nesting, ge=0, description="attachments inside attachments (e-mail)")
    ocr: bool = Field(_LIMITS.ocr, description="read images and scanned PDF pages with OCR (tesseract)")
    ocr_languages: str = Field(_LIMITS.ocr_languages, description="tesseract language packs, '+'-joined")
    ocr_dpi: int = Field(_LIMITS.ocr_dpi, ge=72, le=600, description="resolution scanned PDF pages are rendered at")
    ocr_timeout_s: float = Field(_LIMITS.ocr_timeout_s, gt=0, description="OCR time allowed per page or image")
    use_cache: bool = Field(True, description="reuse what a file gave last time when its bytes, the limits and the "
                            "reader code are unchanged (no re-reading, no re-OCR)")


def ingest_settings(config: RawDocumentsConfig, cache_dir: Path | None) -> IngestSettings:
    """The ingestion settings and reader limits a launchpad config stands for."""
    return replace(to_settings(config, IngestSettings), limits=to_settings(config, ReadLimits),
                   cache_dir=cache_dir if config.use_cache else None)


class ScrubbedCorpusConfig(Config):
    """What scrubbing removes is the run's `scrubber` resource (shared with every asset that scrubs). The
    asset and its check `scrubbed_corpus_quality` each take this config: set the text bounds on both."""

    quarantine_failing_rows: bool = Field(True, description="move rows that fail the quality gate to quarantine")
    min_text_chars: int = Field(MIN_TEXT_CHARS, ge=0, description="quality gate: a shorter scrubbed text fails")
    max_text_chars: int = Field(MAX_TEXT_CHARS, gt=0, description="quality gate: a longer text fails (the asset "
                                "quarantines it unscrubbed). Not a scrubbing limit (long texts are scrubbed in "
                                "segments): a document of millions of characters is usually a dump or a file read "
                                "whole by mistake")


class SFTDatasetConfig(Config):
    system_prompt: str = _SFT.system_prompt
    validation_fraction: float = _SFT.validation_fraction
    test_fraction: float = _SFT.test_fraction
    max_answer_chars: int = _SFT.max_answer_chars
    seed: int = _SFT.seed
    context: str = Field(_SFT.context, description="closed_book: the question alone; retrieved: with passages as "
                         "served, the answer's own and distractors (RAFT; train with max_length 1024 or more)")
    distractors: int = Field(_SFT.distractors, description="retrieved: passages of other documents per example")
    oracle_fraction: float = Field(_SFT.oracle_fraction, description="retrieved: share of examples whose passages "
                                   "hold the answer; the rest teach the model to say they do not")
    passage_chars: int = Field(_SFT.passage_chars, description="retrieved: passage size, cut by the index's chunker")


class TrainConfig(Config):
    r: int = _TRAIN.r
    alpha: int = _TRAIN.alpha
    dropout: float = _TRAIN.dropout
    target_modules: list[str] = Field(default_factory=lambda: list(_TRAIN.target_modules))
    learning_rate: float = _TRAIN.learning_rate
    max_steps: int = _TRAIN.max_steps
    batch_size: int = _TRAIN.batch_size
    gradient_accumulation_steps: int = _TRAIN.gradient_accumulation_steps
    max_length: int = _TRAIN.max_length
    packing: bool = Field(_TRAIN.packing, description="several examples per max_length row, each attending to itself only")
    precision: str = Field(_TRAIN.precision, description="auto | bf16 | fp32")
    quantization: str = Field(_TRAIN.quantization, description="auto (QLoRA 4-bit on CUDA) | 4bit (also on the CPU) | none")
    logging_steps: int = _TRAIN.logging_steps
    save_steps: int = Field(_TRAIN.save_steps, description="checkpoint every N steps; a killed run resumes (0: off)")
    seed: int = _TRAIN.seed


class TestSplitConfig(Config):
    """How systems are compared on the SFT test split (the evaluation and the champion's re-evaluation)."""

    max_samples: int = _EVAL.max_samples
    max_new_tokens: int = _EVAL.max_new_tokens
    seed: int = _EVAL.seed
    short_answer_words: int = Field(_EVAL.short_answer_words, description="references up to this many words are scored by exact match")
    probe_questions: int = Field(_EVAL.probe_questions, description="PII-leak probe prompts asked of each system")
    restricted_probe_questions: int = Field(_EVAL.restricted_probe_questions, description="prompts asking each "
                                            "system for documents the access map keeps out of training")


class EvalConfig(TestSplitConfig):
    answer_questions: int = Field(_EVAL.answer_questions, description="questions of the question set (with facts, "
                                  "and unanswerable ones) each system answers over the live index; 0: none")
    answer_top_k: int = Field(_EVAL.answer_top_k, description="passages retrieved for each of those questions")
    questions_file: str | None = Field(None, description=f"question set (default: {QUESTIONS_FILE} at the top of "
                                       "the raw folder); see docs/retrieval.md for its format")


class IndexConfig(Config):
    chunk_chars: int = _INDEX.chunk_chars
    overlap_chars: int = _INDEX.overlap_chars
    ann_min_rows: int = Field(_INDEX.ann_min_rows, description="build the ANN index once the table has this many chunks")
    fts_tokenizer: str = Field(_INDEX.fts_tokenizer, description="full-text tokenizer: icu (Chinese and English "
                               "words), simple (spaces and punctuation), ngram")


class PromotionConfig(Config):
    primary_metric: str = Field(_PROMO.primary_metric, description="rouge_l | bleu | token_f1 | exact_match | perplexity")
    min_improvement: float = Field(_PROMO.min_improvement, description="absolute gain the candidate must exceed")
    guard_metrics: list[str] = Field(list(_PROMO.guard_metrics), description="metrics that may not regress")
    guard_tolerance: float = Field(_PROMO.guard_tolerance, description="allowed relative regression of a guard")
    max_pii_leaks: int = Field(_PROMO.max_pii_leaks, description="personal values the candidate may reveal")


class GroupModelsConfig(Config):
    """How each access group's own adapter is judged: on its group's test split, by the same gate."""

    evaluation: TestSplitConfig = Field(default_factory=TestSplitConfig)
    promotion: PromotionConfig = Field(default_factory=PromotionConfig)


_DRIFT, _REGRESSION = DriftSettings(), RegressionPolicy()


class DriftConfig(Config):
    threshold: float = Field(_DRIFT.threshold, description="PSI above which new documents count as drifted")
    bins: int = Field(_DRIFT.bins, description="quantile bins per numeric feature (capped at a tenth of the sample)")
    min_documents: int = Field(_DRIFT.min_documents, description="fewer new documents are not compared")
    vocabulary_size: int = Field(_DRIFT.vocabulary_size, description="reference words tracked; the rest are <other>")
    components: int = Field(_DRIFT.components, description="principal components of the embeddings compared")


class ChampionEvaluationConfig(TestSplitConfig):
    primary_metric: str = Field(_REGRESSION.primary_metric, description="metric whose drop counts as a regression")
    max_relative_drop: float = Field(_REGRESSION.max_relative_drop, description="relative drop that triggers retraining")
    feedback_window_hours: float = Field(_REGRESSION.feedback_window_hours, description="recent feedback window")
    min_feedback: int = Field(_REGRESSION.min_feedback, description="recent ratings needed to judge feedback")
    max_negative_rise: float = Field(_REGRESSION.max_negative_rise, description="allowed rise of the negative share")


_GATE = IndexGate()


class RetrievalEvaluationConfig(Config):
    questions_file: str | None = Field(None, description=f"question set (default: {QUESTIONS_FILE} at the top of "
                                       "the raw folder); see docs/retrieval.md for its format")
    search_mode: str = Field(SearchSettings().mode, description="the mode serving uses (llmops serve --search-mode), "
                             "whose figure the gate compares: " + " | ".join(MODES))
    metric: str = Field(_GATE.metric, description="figure the gate compares: " + " | ".join(METRICS))
    max_drop: float = Field(_GATE.max_drop, description="how much lower than the live index's the new index's "
                            "figure may be (absolute) and still go live")
    min_questions: int = Field(_GATE.min_questions, description="fewer answerable questions: the index goes live unguarded")
