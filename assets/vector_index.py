"""Asset: the LanceDB retrieval index over the scrubbed corpus."""

import pandas as pd
from dagster import Output, asset

from llmops.vector_index import Embedder, IndexSettings, build_index
from orchestration.config import IndexConfig
from orchestration.resources import LanceDBResource


@asset(group_name="retrieval", kinds={"lancedb"})
def vector_index(config: IndexConfig, lancedb: LanceDBResource, scrubbed_corpus: pd.DataFrame) -> Output[dict]:
    """Chunks of the scrubbed corpus embedded with all-MiniLM-L6-v2 (only scrubbed text is indexed)."""
    settings = IndexSettings(chunk_chars=config.chunk_chars, overlap_chars=config.overlap_chars, table=lancedb.table)
    stats = build_index(scrubbed_corpus, lancedb.uri, Embedder(), settings)
    return Output({**stats, "uri": lancedb.uri}, metadata={**stats, "uri": lancedb.uri})
