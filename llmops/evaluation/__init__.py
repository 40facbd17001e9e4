"""Candidate, base and champion measured on the same frozen test items: offline text metrics and
their directions (`metrics`), the answer evaluation with ground truth (`answers`: correctness,
faithfulness, contradictions and refusal, of the model's own text and of what serving sends), the
evaluation report with the PII-leak probe and its MLflow logging (`report`).

May import: llmops.settings, llmops.train, llmops.pii.probe, llmops.grounding, llmops.retrieval.search
"""
