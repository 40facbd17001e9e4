"""Answering users: the HTTP API (OpenAI-compatible chat with cited sources, search, feedback,
admin, metrics and health; `app` assembles it from one router module per concern), the generation
engines and the batching that lets concurrent requests share passes (`backends`,
`batched_generation`, `batching`), and the hot swap of registry versions while serving (`models`).

It uses llmops.ops for API keys, the audit log and the answers feedback may rate, llmops.pii to scrub prompts and answers, llmops.grounding to hold answers to the passages they
cite, and llmops.train for the chat model and its weight precision.

May import: llmops.ops, llmops.ingest.language, llmops.pii, llmops.retrieval, llmops.grounding, llmops.registry, llmops.train.chat_model, llmops.train.base_model, llmops.monitor.feedback
"""
