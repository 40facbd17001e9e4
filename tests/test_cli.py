"""The `llmops` console script, run as a user runs it (a subprocess of the installed entry point)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO


def _llmops(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "llmops.cli", *args], cwd=REPO, capture_output=True, text=True, timeout=300)


def test_scrub_keeps_fields_counts_entities_and_rejects_bad_lines(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join([
        json.dumps({"id": "a", "text": "Mail jana.novak@example.com or call +44 20 7946 0958.", "lang": "en"}),
        "{not json",
        json.dumps({"id": "b", "body": "no text field"}),
        json.dumps({"id": "c", "text": "Order ORD-2024-118734 shipped with firmware 4.2.1."}),
    ]) + "\n")
    out = tmp_path / "out.jsonl"
    proc = _llmops("scrub", str(source), str(out))
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in rows] == ["a", "c"] and rows[0]["lang"] == "en"
    assert "jana.novak@example.com" not in rows[0]["text"] and "<EMAIL_ADDRESS_1>" in rows[0]["text"]
    assert rows[1]["text"] == "Order ORD-2024-118734 shipped with firmware 4.2.1."
    assert "EMAIL_ADDRESS: 1" in proc.stdout and "PHONE_NUMBER: 1" in proc.stdout
    assert "scrubbed 2 lines, rejected 2" in proc.stdout
    rejects = [json.loads(line) for line in Path(f"{out}.rejects.jsonl").read_text().splitlines()]
    assert [(r["line"], r["reason"].split(":")[0]) for r in rejects] == [(2, "invalid JSON"), (3, "missing string field 'text'")]
    assert "line 2: invalid JSON" in proc.stderr


def test_generate_corpus_writes_documents_and_manifest(tmp_path: Path) -> None:
    proc = _llmops("generate-corpus", "--docs", "40", "--out", str(tmp_path / "corpus"), "--manifest", str(tmp_path / "m.json"))
    assert proc.returncode == 0, proc.stderr
    assert "wrote 40 documents" in proc.stdout
    manifest = json.loads((tmp_path / "m.json").read_text())
    assert manifest["n_docs"] == 40 and manifest["planted_pii"]["EMAIL_ADDRESS"]


@pytest.mark.slow  # starts `llmops serve`, which loads the registry and the models
def test_errors_are_clear_and_exit_nonzero(tmp_path: Path) -> None:
    proc = _llmops("scrub", str(tmp_path / "missing.jsonl"), str(tmp_path / "o.jsonl"))
    assert proc.returncode == 2 and "llmops scrub: error:" in proc.stderr and "missing.jsonl" in proc.stderr
    proc = subprocess.run([sys.executable, "-m", "llmops.cli", "serve"], cwd=REPO, capture_output=True, text=True, timeout=300,
                          env={**__import__("os").environ, "LLMOPS_HOME": str(tmp_path / "home"),
                               "MLFLOW_TRACKING_URI": f"sqlite:///{tmp_path}/mlflow.db"})
    assert proc.returncode == 2 and "has no 'champion' alias" in proc.stderr


def test_scrub_matches_the_pipeline_on_the_same_input(tmp_path: Path) -> None:
    """One scrub configuration: the command and the `scrubbed_corpus` asset (default `scrubber`
    resource) give the same text, the shipped allow-list included (brand names are kept by both)."""
    from dagster import materialize

    from assets.raw_documents import raw_documents
    from assets.scrubbed_corpus import scrubbed_corpus
    from orchestration.resources import PathsResource, ScrubberResource

    texts = [
        "Support note\nCustomer Amelia Hartmann (amelia.hartmann@example.org, +49 30 901820) asked about the "
        "Lumora Aura thermostat; Kenji Watanabe called back on 0151 2345 6789.",
        "Support note\nThe Lumora Gridbox battery must be installed by a certified electrician. Contact: "
        "Priya Raghunathan, 221B Baker Street, London NW1 6XE.",
        "Support note\nFirmware 4.2.1 fixes the pairing bug reported in ORD-2024-118734 by Lars Øberg.",
    ]
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "notes.jsonl").write_text("".join(json.dumps({"id": f"n{i}", "text": t}) + "\n" for i, t in enumerate(texts)))
    result = materialize([raw_documents, scrubbed_corpus], resources={
        "paths": PathsResource(raw_dir=str(raw), home=str(tmp_path / "home")), "scrubber": ScrubberResource()})
    assert result.success
    raw_frame = result.output_for_node("raw_documents")
    pipeline = dict(zip(result.output_for_node("scrubbed_corpus")["doc_id"], result.output_for_node("scrubbed_corpus")["text"]))

    source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text("".join(json.dumps({"doc_id": d, "text": t}) + "\n" for d, t in zip(raw_frame["doc_id"], raw_frame["text"])))
    proc = _llmops("scrub", str(source), str(out))
    assert proc.returncode == 0, proc.stderr
    command = {row["doc_id"]: row["text"] for row in map(json.loads, out.read_text().splitlines())}
    assert command == pipeline and len(command) == 3
    joined = " ".join(command.values())
    assert "Lumora Aura" in joined and "Lumora Gridbox" in joined and "Hartmann" not in joined and "Kenji" not in joined
