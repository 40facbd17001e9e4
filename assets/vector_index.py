"""Asset: the LanceDB retrieval index over the scrubbed corpus, updated incrementally."""

from dataclasses import replace

import pandas as pd
from dagster import AssetExecutionContext, Output, asset

from llmops.retrieval.embedder import Embedder

from llmops.retrieval.index import IndexSettings, build_index
from orchestration.config import IndexConfig, to_settings
from orchestration.resources import LanceDBResource
from orchestration.k8s import k8s_op_tags


@asset(group_name="retrieval", kinds={"lancedb"}, op_tags=k8s_op_tags("vector_index"))
def vector_index(
    context: AssetExecutionContext, config: IndexConfig, lancedb: LanceDBResource, scrubbed_corpus: pd.DataFrame
) -> Output[dict]:
    """Chunks of the scrubbed corpus embedded with all-MiniLM-L6-v2 (only scrubbed text is indexed).
    Only new or changed documents are embedded again; `version` is the LanceDB table version the
    registered model is tagged with."""
    settings = replace(to_settings(config, IndexSettings), table=lancedb.table)
    stats = build_index(scrubbed_corpus, lancedb.uri, Embedder(), settings)
    context.log.info(f"index {stats['table']} v{stats['version']}: {stats['added']} added, {stats['updated']} updated, "
                     f"{stats['removed']} removed, {stats['unchanged']} unchanged ({stats['embedded_chunks']} chunks embedded)")
    return Output({**stats, "uri": lancedb.uri}, metadata={**stats, "uri": lancedb.uri})
