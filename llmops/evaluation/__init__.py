"""Candidate, base and champion measured on the same frozen test items: offline text metrics, their
directions and the one loader of the metric modules (`metrics`), the answer evaluation with ground
truth (`answers`: correctness, faithfulness, contradictions and refusal, of the model's own text and
of what serving sends), the evaluation report with the PII-leak probe and its MLflow logging
(`report`). Every metric is a Hugging Face `evaluate` module kept here (`modules/<name>/<name>.py`:
`rouge_l`, `bleu`, `token_f1`, `exact_match`, `answer_quality`), loaded by path, offline, and
computed through it, so the report and any team using `evaluate.load(path)` get the same numbers.

May import: llmops.settings, llmops.ingest.language, llmops.train, llmops.pii.probe, llmops.grounding, llmops.retrieval.search, llmops.retrieval.evaluation
"""
