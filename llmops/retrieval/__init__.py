"""The searchable index: chunking, MiniLM embeddings (PyTorch, or ONNX Runtime for queries), the
LanceDB table kept in step with the corpus by content hash, its ANN index, and the retriever with
metadata filters.

May import: llmops.settings
"""
