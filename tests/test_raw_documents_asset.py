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


def test_a_folder_of_files_that_gives_no_document_fails_the_run(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "report.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500))
    (raw / "scan.pdf").write_bytes(b"%PDF-1.7 truncated")
    result = materialize(
        [raw_documents],
        resources={"paths": PathsResource(raw_dir=str(raw), home=str(tmp_path / "home"))},
        raise_on_error=False,
    )
    assert not result.success
    [failure] = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    message = failure.step_failure_data.error.message
    assert "2 files" in message and "not one document" in message
    reasons = failure.step_failure_data.user_failure_data.metadata["quarantined_by_reason"].value
    assert reasons == {"legacy Word 97-2003 format": 1, "corrupt or unreadable PDF": 1}
