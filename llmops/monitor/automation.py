"""The decisions behind unattended retraining: which raw files are new, whether the champion has
regressed, and where failed runs are reported. Plain Python; the Dagster sensors only call these.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

from llmops.evaluation.metrics import METRIC_DIRECTIONS
from llmops.ingest.files import RawFile, file_sha256, walk
from llmops.monitor.feedback import FeedbackRecord
from llmops.ops.jsonl import JsonLinesFile

HASH_CHARS = 20  # content-hash prefix kept in sensor cursors: unique enough, and keeps cursors small
# Run tags that say, in the Dagster UI, why an automatic run was launched.
TRIGGER_TAG, REASON_TAG = "llmops/trigger", "llmops/reason"


@dataclass(frozen=True)
class AutomationSettings:
    """Schedule and reporting settings that must exist before any run (hence environment, not launchpad)."""

    retrain_cron: str = "0 2 * * *"
    evaluation_cron: str = "0 1 * * *"
    timezone: str = "UTC"
    failure_webhook: str | None = None
    new_file_settle_s: float = 10.0
    retrain_run_config: dict = field(default_factory=dict)  # launchpad-style run config of automatic retrains

    @classmethod
    def from_env(cls) -> AutomationSettings:
        default = cls()
        return cls(
            retrain_cron=os.environ.get("LLMOPS_RETRAIN_CRON", default.retrain_cron),
            evaluation_cron=os.environ.get("LLMOPS_EVALUATION_CRON", default.evaluation_cron),
            timezone=os.environ.get("LLMOPS_SCHEDULE_TIMEZONE", default.timezone),
            failure_webhook=os.environ.get("LLMOPS_FAILURE_WEBHOOK") or None,
            new_file_settle_s=float(os.environ.get("LLMOPS_NEW_FILE_SETTLE_S", default.new_file_settle_s)),
            retrain_run_config=load_run_config(os.environ.get("LLMOPS_RETRAIN_RUN_CONFIG")),
        )


def load_run_config(path: str | None) -> dict:
    """The YAML run config (as in the launchpad) that automatic retrains use; none means the defaults."""
    if not path:
        return {}
    import yaml

    config = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    if not isinstance(config, dict):
        raise ValueError(f"{path}: a run config must be a mapping (ops: ...), got {type(config).__name__}")
    return config


# --- new raw data -------------------------------------------------------------------------------

def file_hashes(root: Path, settle_s: float = 0.0, now: float | None = None, follow_symlinks: bool = False,
                also: Iterable[Path] = ()) -> dict[str, str]:
    """Content hash of every file ingestion would read under ``root`` (the same confinement rules:
    no link out of the root, no special file), skipping files modified in the last ``settle_s``
    seconds: a file still being copied is not yet new. Files in ``also`` (the access map: a change
    relabels documents) are hashed too, under their path."""
    root = Path(root)
    if not root.is_dir():
        raise FileNotFoundError(f"raw data directory {root} does not exist")
    now = time.time() if now is None else now
    hashes: dict[str, str] = {}
    for item in walk(root, follow_symlinks):
        if not isinstance(item, RawFile) or now - item.path.stat().st_mtime < settle_s:
            continue
        try:
            hashes[item.rel] = file_sha256(item.path)[:HASH_CHARS]
        except OSError:  # replaced or removed since the walk: ingestion will say why, not the sensor
            continue
    for path in also:
        if path.is_file():
            hashes[str(path)] = file_sha256(path)[:HASH_CHARS]
    return hashes


@dataclass(frozen=True)
class NewFiles:
    """Files whose content has not been seen before, and files that only repeat seen content."""

    new: dict[str, str]
    repeated: list[str]

    @property
    def run_key(self) -> str:
        """The same new content always gives the same key, so Dagster never launches it twice."""
        return "new-data-" + hashlib.sha256("\n".join(sorted(set(self.new.values()))).encode()).hexdigest()[:16]


def detect_new_files(current: Mapping[str, str], seen: Iterable[str]) -> NewFiles:
    """Split ``current`` (path -> hash) into new content and content already seen (any path)."""
    seen = set(seen)
    new: dict[str, str] = {}
    repeated: list[str] = []
    for path, digest in sorted(current.items()):
        if digest in seen or digest in new.values():
            repeated.append(path)
        else:
            new[path] = digest
    return NewFiles(new, repeated)


# --- champion regression ------------------------------------------------------------------------

@dataclass(frozen=True)
class RegressionPolicy:
    """Retrain when the champion's primary metric on fresh data falls more than
    ``max_relative_drop`` below its score at promotion, or when the share of negative ratings in
    the last ``feedback_window_hours`` rises more than ``max_negative_rise`` above the earlier
    share (with at least ``min_feedback`` recent ratings, so a few votes decide nothing)."""

    primary_metric: str = "rouge_l"
    max_relative_drop: float = 0.05
    feedback_window_hours: float = 24.0
    min_feedback: int = 20
    max_negative_rise: float = 0.10


@dataclass(frozen=True)
class FeedbackRates:
    recent_count: int
    recent_negative_rate: float | None
    earlier_count: int
    earlier_negative_rate: float | None


NO_FEEDBACK = FeedbackRates(0, None, 0, None)


def feedback_rates(records: Iterable[FeedbackRecord], now: float, window_hours: float) -> FeedbackRates:
    """Share of negative ratings inside the window and before it."""
    start = now - window_hours * 3600
    records = list(records)
    recent = [r.rating for r in records if r.created_at >= start]
    earlier = [r.rating for r in records if r.created_at < start]

    def rate(ratings: list[int]) -> float | None:
        return sum(1 for r in ratings if r < 0) / len(ratings) if ratings else None

    return FeedbackRates(len(recent), rate(recent), len(earlier), rate(earlier))


def feedback_rates_by_version(records: Iterable[FeedbackRecord], now: float,
                              window_hours: float) -> dict[str, FeedbackRates]:
    """``feedback_rates`` per model version that answered (``model_version`` of each record), so
    ratings of an earlier champion never count against the current one."""
    by_version: dict[str, list[FeedbackRecord]] = {}
    for record in records:
        by_version.setdefault(record.model_version, []).append(record)
    return {version: feedback_rates(rated, now, window_hours) for version, rated in sorted(by_version.items())}


@dataclass
class RegressionVerdict:
    regressed: bool
    reason: str
    figures: dict[str, float | int | str | None] = field(default_factory=dict)

    def summary(self) -> dict[str, float | int | str | bool]:
        """Verdict, reason and the figures that exist (asset metadata the regression sensor reads)."""
        return {"regressed": self.regressed, "reason": self.reason,
                **{key: value for key, value in self.figures.items() if value is not None}}


def assess_regression(promoted_score: float | None, fresh_score: float, rates: FeedbackRates,
                      policy: RegressionPolicy = RegressionPolicy(), feedback_version: str | None = None) -> RegressionVerdict:
    """Compare the champion now with the champion at promotion time, and its recent feedback with
    its earlier feedback (``rates`` of ``feedback_version``, the champion as serving names it)."""
    metric = policy.primary_metric
    if metric not in METRIC_DIRECTIONS:
        raise ValueError(f"unknown metric {metric!r}; one of {sorted(METRIC_DIRECTIONS)}")
    findings: list[str] = []
    drop = None
    if promoted_score:
        drop = (promoted_score - fresh_score) * METRIC_DIRECTIONS[metric] / abs(promoted_score)
        statement = (f"{metric} {fresh_score:.4f} on fresh data vs {promoted_score:.4f} at promotion "
                     f"(relative drop {drop:+.1%}, limit {policy.max_relative_drop:.1%})")
        findings.append(statement)
    else:
        findings.append(f"{metric} {fresh_score:.4f} on fresh data; no score recorded at promotion to compare with")
    rise = None
    of = f" of {feedback_version}" if feedback_version else ""
    if rates.recent_count < policy.min_feedback:
        findings.append(f"{rates.recent_count} recent rating(s){of}: below the {policy.min_feedback} needed to judge feedback")
    elif rates.earlier_negative_rate is None:
        findings.append(f"{rates.recent_count} recent rating(s){of}, none earlier to compare with")
    else:
        rise = rates.recent_negative_rate - rates.earlier_negative_rate
        findings.append(f"negative feedback{of} {rates.recent_negative_rate:.1%} of {rates.recent_count} recent ratings "
                        f"vs {rates.earlier_negative_rate:.1%} before (rise {rise:+.1%}, limit {policy.max_negative_rise:.1%})")
    metric_regressed = drop is not None and drop > policy.max_relative_drop
    feedback_regressed = rise is not None and rise > policy.max_negative_rise
    regressed = metric_regressed or feedback_regressed
    causes = [name for name, hit in (("metric drop", metric_regressed), ("negative feedback", feedback_regressed)) if hit]
    head = f"regression ({' and '.join(causes)})" if regressed else "no regression"
    figures = {"primary_metric": metric, "fresh_score": fresh_score, "promoted_score": promoted_score,
               "relative_drop": drop, "feedback_version": feedback_version, "recent_ratings": rates.recent_count,
               "recent_negative_rate": rates.recent_negative_rate, "earlier_ratings": rates.earlier_count,
               "earlier_negative_rate": rates.earlier_negative_rate, "negative_rise": rise}
    return RegressionVerdict(regressed, f"{head}: " + "; ".join(findings), figures)


# --- failed runs --------------------------------------------------------------------------------

@dataclass(frozen=True)
class FailureRecord:
    run_id: str
    job_name: str
    failed_at: float
    message: str
    trigger: str | None = None
    failed_steps: list[str] = field(default_factory=list)


def report_failure(record: FailureRecord, log_path: Path, webhook: str | None = None, timeout_s: float = 10.0) -> str | None:
    """Append the failure to a JSON-lines log and POST it to ``webhook`` if one is set.

    Returns the webhook error (if any) instead of raising: a broken webhook must not hide the
    failure it was meant to report, and the log line is already written."""
    payload = asdict(record)
    JsonLinesFile(Path(log_path)).append(json.dumps(payload, ensure_ascii=False))
    if not webhook:
        return None
    import httpx

    try:
        httpx.post(webhook, json=payload, timeout=timeout_s).raise_for_status()
    except httpx.HTTPError as exc:
        return f"webhook {webhook} failed: {exc}"
    return None
