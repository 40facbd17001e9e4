"""The MLflow side of the chain: the tracking store and the project's experiment (`tracking`), the
registered model with its aliases and URIs (`models`, the only place that spells ``models:/``),
the promotion gate, manual promotion and rollback (`promotion`), and exports of a version as
merged safetensors and a llama.cpp GGUF file (`export`).

May import: llmops.settings, llmops.evaluation.metrics, llmops.train.base_model
"""
