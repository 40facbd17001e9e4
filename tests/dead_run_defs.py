"""A job whose one op waits, for the dead-run tests: its run worker is killed while it runs."""

import time

from dagster import job, op


@op
def wait_for_kill() -> None:
    time.sleep(300)


@job
def waits() -> None:
    wait_for_kill()
