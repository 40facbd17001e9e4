"""The raw_documents asset passes its launchpad config to ingestion and reports what it quarantined."""

from pathlib import Path

import pytest
from dagster import materialize

from assets.raw_documents import raw_documents
from orchestration.resources import PathsResource

pytestmark = pytest.mark.slow  # a Dagster run (see tests/conftest.py)


def test_asset_config_reaches_ingestion(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "notes.txt").write_bytes("Réunion à Genève : le café est prêt.\n".encode("cp1252"))
    (raw / "export.txt").write_text("The pump hums after the update.\n" * 40_000)  # 1.3 MB
    (raw / "leak.txt").symlink_to(raw / "notes.txt")
    result = materialize(
        [raw_documents],
        resources={"paths": PathsResource(raw_dir=str(raw), home=str(tmp_path / "home"))},
        run_config={"ops": {"raw_documents": {"config": {"max_file_mb": 1, "follow_symlinks": True}}}},
    )
    meta = result.asset_materializations_for_node("raw_documents")[0].metadata
    assert meta["documents"].value == 1 and meta["duplicates"].value == 1  # the link was followed
    assert meta["by_encoding"].value == {"cp1252": 1}
    assert "file is 1.3 MB, over the 1 MB limit set by max_file_mb" in meta["quarantine_reasons"].value
