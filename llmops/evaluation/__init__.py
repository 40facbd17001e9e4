"""Candidate, base and champion measured on the same frozen test items: offline text metrics and
their directions (`metrics`), the evaluation report with the PII-leak probe and its MLflow logging
(`report`).

May import: llmops.settings, llmops.train, llmops.pii.probe
"""
