"""Automation logic without a Dagster instance: PSI, new-file detection, regression rule, failure
reports (against a real local HTTP server), the schedule tick and the new-data sensor's cursor."""

from __future__ import annotations

import json
import os
import shutil
import threading
from datetime import datetime
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from dagster import build_schedule_context, build_sensor_context

from llmops.monitor.automation import (NO_FEEDBACK, REASON_TAG, TRIGGER_TAG, AutomationSettings, FailureRecord, FeedbackRates,
                               RegressionPolicy, assess_regression, detect_new_files, feedback_rates,
                               feedback_rates_by_version, file_hashes, report_failure)
from llmops.monitor.drift import numeric_psi, psi, vocabulary_shares, words
from llmops.monitor.feedback import FeedbackRecord, FeedbackStore, served_model_id
from orchestration.resources import PathsResource
from sensors.data import build_new_data_sensor
from sensors.schedules import build_schedules
from tests.conftest import SAMPLE_DIR


def test_psi_is_zero_for_the_same_distribution_and_grows_with_shift() -> None:
    rng = np.random.default_rng(0)
    reference = rng.normal(0, 1, 5000)
    assert psi([10, 20, 30], [1, 2, 3]) == pytest.approx(0.0)
    assert numeric_psi(reference, rng.normal(0, 1, 5000), 10) < 0.02
    small, large = numeric_psi(reference, rng.normal(0.3, 1, 5000), 10), numeric_psi(reference, rng.normal(1.0, 1, 5000), 10)
    assert 0.02 < small < 0.2 < large


def test_vocabulary_ignores_scrubber_placeholders_and_pools_unknown_words() -> None:
    assert words("Call <PERSON_1> at <PHONE_NUMBER> about the Thermostat's reset") == \
        ["call", "at", "about", "the", "thermostat's", "reset"]
    shares = vocabulary_shares(["reset the hub", "reset it"], ["reset", "hub"])
    assert shares.tolist() == pytest.approx([2 / 5, 1 / 5, 2 / 5])


def test_new_files_by_content_hash(tmp_path: Path) -> None:
    (tmp_path / "faq").mkdir()
    (tmp_path / "faq" / "a.md").write_text("# A\n\nalpha")
    (tmp_path / "b.txt").write_text("beta")
    (tmp_path / ".partial.txt").write_text("hidden files are not read by ingestion")
    first = file_hashes(tmp_path)
    assert sorted(first) == ["b.txt", "faq/a.md"]
    found = detect_new_files(first, [])
    assert sorted(found.new) == ["b.txt", "faq/a.md"] and found.repeated == []
    assert found.run_key == detect_new_files(dict(reversed(list(first.items()))), []).run_key

    shutil.copy(tmp_path / "b.txt", tmp_path / "copy-of-b.txt")  # same content, new name
    (tmp_path / "faq" / "a.md").write_text("# A\n\nalpha, edited")  # same name, new content
    second = detect_new_files(file_hashes(tmp_path), first.values())
    assert list(second.new) == ["faq/a.md"] and sorted(second.repeated) == ["b.txt", "copy-of-b.txt"]
    assert second.run_key != found.run_key

    recent = tmp_path / "still-copying.txt"
    recent.write_text("half a file")
    assert "still-copying.txt" not in file_hashes(tmp_path, settle_s=60)
    os.utime(recent, (recent.stat().st_atime - 120, recent.stat().st_mtime - 120))
    assert "still-copying.txt" in file_hashes(tmp_path, settle_s=60)
    with pytest.raises(FileNotFoundError, match="does not exist"):
        file_hashes(tmp_path / "missing")


def test_regression_rule_metric_drop_and_feedback_rise() -> None:
    quiet = FeedbackRates(3, 0.0, 10, 0.1)
    policy = RegressionPolicy(max_relative_drop=0.05)
    slight = assess_regression(0.30, 0.29, quiet, policy)  # -3.3 %
    assert not slight.regressed and "no regression" in slight.reason and "below the 20 needed" in slight.reason
    drop = assess_regression(0.30, 0.27, quiet, policy)  # -10 %
    assert drop.regressed and "metric drop" in drop.reason and drop.figures["relative_drop"] == pytest.approx(0.10)
    # perplexity: lower is better, so a rise is the regression
    assert assess_regression(10.0, 11.0, quiet, RegressionPolicy(primary_metric="perplexity")).regressed
    assert not assess_regression(10.0, 9.0, quiet, RegressionPolicy(primary_metric="perplexity")).regressed
    assert not assess_regression(None, 0.1, quiet, policy).regressed

    now = 1_000_000.0
    records = [FeedbackRecord(f"r{i}", -1 if i % 2 else 1, "q", "a", "m:1", now - 3600) for i in range(30)]
    records += [FeedbackRecord(f"old{i}", -1 if i % 10 == 0 else 1, "q", "a", "m:1", now - 10 * 86400) for i in range(50)]
    rates = feedback_rates(records, now, window_hours=24)
    assert (rates.recent_count, rates.earlier_count) == (30, 50)
    assert rates.recent_negative_rate == pytest.approx(0.5) and rates.earlier_negative_rate == pytest.approx(0.1)
    verdict = assess_regression(0.30, 0.30, rates, policy)
    assert verdict.regressed and "negative feedback" in verdict.reason and "rise +40.0%" in verdict.reason
    with pytest.raises(ValueError, match="unknown metric"):
        assess_regression(0.3, 0.3, rates, RegressionPolicy(primary_metric="accuracy"))


def test_feedback_rates_are_per_model_version(tmp_path: Path) -> None:
    """Ratings of an earlier champion do not count against the current one (stored, then read back)."""
    now = 1_000_000.0
    old, new = served_model_id("assistant", 1), served_model_id("assistant", 2)
    store = FeedbackStore(tmp_path / "feedback.jsonl")
    for i in range(40):  # the old champion: 10 % negative before the window, 60 % in it
        store.append(FeedbackRecord(f"o{i}", -1 if i % 10 == 0 or (i >= 20 and i % 5 < 3) else 1, "q", "a", old,
                                    now - (3 * 86400 if i < 20 else 600)))
    for i in range(25):  # the new champion: 8 % negative, recent only
        store.append(FeedbackRecord(f"n{i}", -1 if i < 2 else 1, "q", "a", new, now - 600))
    by_version = feedback_rates_by_version(store.read().records, now, window_hours=24)
    assert by_version[old] == FeedbackRates(20, pytest.approx(0.6), 20, pytest.approx(0.1))
    assert by_version[new] == FeedbackRates(25, pytest.approx(0.08), 0, None)
    pooled = feedback_rates(store.read().records, now, window_hours=24)
    assert assess_regression(0.3, 0.3, pooled).regressed  # pooled, the old champion's ratings would retrain
    verdict = assess_regression(0.3, 0.3, by_version[new], feedback_version=new)
    assert not verdict.regressed and f"25 recent rating(s) of {new}, none earlier to compare with" in verdict.reason
    assert verdict.summary()["feedback_version"] == new and verdict.summary()["recent_ratings"] == 25
    assert assess_regression(0.3, 0.3, by_version[old], feedback_version=old).regressed
    unrated = assess_regression(0.3, 0.3, by_version.get(served_model_id("assistant", 3), NO_FEEDBACK))
    assert not unrated.regressed and "0 recent rating(s): below the 20 needed" in unrated.reason


class _Hook(BaseHTTPRequestHandler):
    received: list[dict] = []

    def do_POST(self) -> None:  # noqa: N802 (http.server naming)
        _Hook.received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def webhook():
    server = HTTPServer(("127.0.0.1", 0), _Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Hook.received = []
    yield f"http://127.0.0.1:{server.server_port}/hook", _Hook.received
    server.shutdown()


def test_failure_report_logs_and_posts(tmp_path: Path, webhook) -> None:
    url, received = webhook
    record = FailureRecord("run-1", "full_pipeline", 1.0, "step failed", "drift", ["lora_adapter"])
    log = tmp_path / "failures.jsonl"
    assert report_failure(record, log, url) is None
    assert received == [json.loads(log.read_text())] and received[0]["failed_steps"] == ["lora_adapter"]
    # an unreachable webhook is reported back, and the failure is still in the log
    error = report_failure(record, log, "http://127.0.0.1:9/unreachable", timeout_s=2)
    assert error and "unreachable" in error and len(log.read_text().splitlines()) == 2


def test_schedule_settings_from_env_and_tick(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("LLMOPS_RETRAIN_CRON", "30 3 * * 1-5")
    monkeypatch.setenv("LLMOPS_SCHEDULE_TIMEZONE", "Europe/Berlin")
    monkeypatch.setenv("LLMOPS_FAILURE_WEBHOOK", "")
    (tmp_path / "retrain.yaml").write_text("ops:\n  lora_adapter:\n    config:\n      max_steps: 8\n")
    monkeypatch.setenv("LLMOPS_RETRAIN_RUN_CONFIG", str(tmp_path / "retrain.yaml"))
    settings = AutomationSettings.from_env()
    assert (settings.retrain_cron, settings.timezone, settings.failure_webhook) == ("30 3 * * 1-5", "Europe/Berlin", None)
    nightly, evaluation = build_schedules(settings)
    assert (nightly.name, nightly.cron_schedule, nightly.execution_timezone, nightly.job_name) == \
        ("nightly_retrain", "30 3 * * 1-5", "Europe/Berlin", "full_pipeline")
    assert evaluation.job_name == "evaluate_champion" and evaluation.cron_schedule == "0 1 * * *"
    tick = datetime(2026, 11, 27, 3, 30, tzinfo=ZoneInfo("Europe/Berlin"))
    (request,) = nightly.evaluate_tick(build_schedule_context(scheduled_execution_time=tick)).run_requests
    assert request.run_key == "nightly-2026-11-27T03:30:00+01:00"
    assert request.tags[TRIGGER_TAG] == "schedule" and "2026-11-27 03:30 CET" in request.tags[REASON_TAG]
    assert request.run_config == {"ops": {"lora_adapter": {"config": {"max_steps": 8}}}}
    (tmp_path / "bad.yaml").write_text("- just\n- a list\n")
    monkeypatch.setenv("LLMOPS_RETRAIN_RUN_CONFIG", str(tmp_path / "bad.yaml"))
    with pytest.raises(ValueError, match="must be a mapping"):
        AutomationSettings.from_env()


def test_new_data_sensor_cursor_gives_one_run_per_content(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(SAMPLE_DIR / "faq", raw / "faq")
    sensor = build_new_data_sensor(settle_s=0)
    paths = PathsResource(raw_dir=str(raw), home=str(tmp_path / "home"))

    def tick(cursor: str | None):
        return sensor.evaluate_tick(build_sensor_context(cursor=cursor, resources={"paths": paths}))

    first = tick(None)
    (request,) = first.run_requests
    assert request.run_key.startswith("new-data-") and request.tags[TRIGGER_TAG] == "new_data"
    assert request.tags[REASON_TAG].startswith(f"{len(list((raw / 'faq').iterdir()))} new or changed file(s)")
    assert tick(None).run_requests[0].run_key == request.run_key  # same content, same key: Dagster runs it once

    shutil.copy(raw / "faq" / "buying-from-lumora-0001.md", raw / "faq" / "duplicate.md")
    second = tick(first.cursor)
    assert not second.run_requests and "already ingested" in second.skip_message

    (raw / "faq" / "new.md").write_text("# New page\n\n## Is this new?\n\nYes, this page is new.\n")
    third = tick(first.cursor)
    (request3,) = third.run_requests
    assert request3.run_key != request.run_key and "faq/new.md" in request3.tags[REASON_TAG]
    assert not tick(third.cursor).run_requests

    # an edited access map relabels documents: it is new content too, though it is not a document
    (raw / "access.yaml").write_text("rules:\n  - {path: 'faq/*', groups: [support]}\n")
    fourth = tick(third.cursor)
    (request4,) = fourth.run_requests
    assert "access.yaml" in request4.tags[REASON_TAG]
    assert not tick(fourth.cursor).run_requests

    missing = build_new_data_sensor(0).evaluate_tick(build_sensor_context(resources={"paths": PathsResource(
        raw_dir=str(tmp_path / "nowhere"), home=str(tmp_path / "home"))}))
    assert "does not exist" in missing.skip_message


def test_new_file_detection_follows_the_ingestion_confinement(tmp_path: Path) -> None:
    """The sensor hashes what ingestion reads: no link out of the raw folder, no FIFO (never opened)."""
    raw, outside = tmp_path / "raw", tmp_path / "host"
    raw.mkdir()
    outside.mkdir()
    (outside / "passwd").write_text("root:x:0:0")
    (raw / "leak.txt").symlink_to(outside / "passwd")
    (raw / "linked-folder").symlink_to(outside, target_is_directory=True)
    os.mkfifo(raw / "pipe.txt")
    (raw / "note.txt").write_text("a real note")
    assert sorted(file_hashes(raw)) == ["note.txt"]
