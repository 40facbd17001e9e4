"""Answers held to the passages they cite: the claims a sentence makes (`claims`: numbers, negation,
named items, content words, in English and Chinese), the check of every generated sentence against
the cited passages (`verify`), the extractive answer quoted from the best passages and the "not in
the documents" decision (`extract`), and the policy that picks the mode an answer is sent in
(`answer`). Serving and the answer evaluation use the same code, so what is measured is what is sent.

May import: llmops.retrieval, llmops.ingest.language
"""
