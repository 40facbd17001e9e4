"""Which version of the chunk table serving reads: the one the ``live`` tag names.

Every index update writes a new table version; the retrieval evaluation moves the tag to it only
when it retrieves at least as well as the live one (`llmops.retrieval.evaluation`). A table that
has never been evaluated has no tag, and readers use its latest version.

Old versions are removed when the table is optimized, but never the live one or anything newer,
so a held-back update cannot delete the files the server is reading.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

LIVE_TAG = "live"
# Versions older than this (and older than the live version) are removed when the table is optimized.
KEEP_VERSIONS_FOR = timedelta(days=7)


def live_version(table) -> int | None:
    """The table version serving reads, or None when no index has been evaluated yet."""
    tag = table.tags.list().get(LIVE_TAG)
    return int(tag["version"]) if tag else None


def go_live(table, version: int) -> None:
    """Point the live tag at ``version``: servers switch to it at their next check."""
    if live_version(table) is None:
        table.tags.create(LIVE_TAG, version)
    else:
        table.tags.update(LIVE_TAG, version)


def retention(table) -> timedelta:
    """How old a version must be to be removed: ``KEEP_VERSIONS_FOR``, or longer when the live version is older."""
    live = live_version(table)
    if live is None:
        return KEEP_VERSIONS_FOR
    made = next((v["timestamp"] for v in table.list_versions() if v["version"] == live), None)
    if made is None:
        return KEEP_VERSIONS_FOR
    made = made if made.tzinfo else made.astimezone()  # Lance reports local naive times
    age = datetime.now(timezone.utc) - made
    return max(KEEP_VERSIONS_FOR, age + timedelta(hours=1))
