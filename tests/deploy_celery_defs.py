"""Cheap assets fanned out by the Celery executor (test_deploy_celery.py); the Celery workers
import this module to rebuild the job, so it lives at module level."""

import os
import time

from dagster import AssetExecutionContext, AssetsDefinition, Definitions, asset, define_asset_job
from dagster_celery import celery_executor

# A queue of the test's own, so a Celery worker of anything else on the broker never takes its steps.
QUEUE = os.environ.get("LLMOPS_CELERY_TEST_QUEUE", "dagster")
BROKER = os.environ.get("LLMOPS_CELERY_BROKER", "pyamqp://guest:guest@127.0.0.1:5672//")
SHARDS = 6


def _shard(index: int) -> AssetsDefinition:
    @asset(name=f"shard_{index}", op_tags={"dagster-celery/queue": QUEUE})
    def shard(context: AssetExecutionContext) -> int:
        """Long enough (1 s) that one worker cannot drain the queue before the other takes a step."""
        time.sleep(1.0)
        context.add_output_metadata({"pid": os.getpid()})
        return index * index

    return shard


shards = [_shard(index) for index in range(SHARDS)]


@asset(deps=[s.key for s in shards], op_tags={"dagster-celery/queue": QUEUE})
def shard_total() -> int:
    return len(shards)


fan_out = define_asset_job(
    "fan_out", executor_def=celery_executor.configured({"broker": BROKER, "backend": "rpc://"}))

defs = Definitions(assets=[*shards, shard_total], jobs=[fan_out])
