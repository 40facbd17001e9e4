"""The Lumora Systems sample company: a seeded generator of a fake enterprise corpus with its
planted PII and company facts, for demos and tests only. Its documents are not evidence for any
quality figure.

May import: llmops.pii.entities, llmops.ingest.files
"""
