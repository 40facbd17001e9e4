"""Watching the champion after promotion: drift of new documents against its training corpus
(`drift`), the ratings and corrections serving stores (`feedback`), and the automation rules the
sensors and schedules apply (`automation`: new files by content hash, regressions, failure reports).

May import: llmops.settings, llmops.evaluation.metrics, llmops.ingest.files, llmops.train.sft_dataset, llmops.ops.jsonl
"""
