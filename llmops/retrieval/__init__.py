"""The searchable index: chunking by the documents' structure (`chunking`: every chunk keeps its
page, slide or sheet and its heading path, read with llmops.ingest.blocks), MiniLM embeddings
(PyTorch, or ONNX Runtime for queries), the LanceDB table kept in step with the corpus by content
hash, its ANN index, and the retriever with metadata filters.

May import: llmops.settings, llmops.ingest.blocks, llmops.ingest.language, llmops.ingest.access
"""
