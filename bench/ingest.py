"""Ingestion memory and time on one large raw file: streamed JSON lines, or one whole text document.

Writes a file of ``--mb`` megabytes (10^6 bytes; default 500) into a temporary folder, as JSON lines
(a ticket per line, every line distinct, ``--line-chars`` of text each) or as one plain-text
document, then ingests the folder with ``read_documents``. Prints the file size, the time and
throughput, the process's peak resident memory (``ru_maxrss``) and the baseline it had before
ingesting (same process: interpreter, imports, the file written), the peak's growth over that
baseline divided by the file size, and what ingestion kept. ``--max-file-mb`` below the file's size
shows the other way out: the file quarantined with its size reason, unread. Exits 1 when the peak
reaches 1 GB (the goal of the ingestion robustness issue). Usage:

    .venv/bin/python bench/ingest.py [--mb 500] [--format jsonl|txt] [--line-chars 2000] [--max-file-mb 512]
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from llmops.ingest.raw_documents import MB, IngestSettings, read_documents  # noqa: E402

GOAL_BYTES = 1 << 30
WORDS = ("pump valve filter firmware update technician replaced the customer reported noise after warranty "
         "order invoice refund shipment delayed router reboot loop screen dark battery charger manual step "
         "install mount wire check reset support ticket closed escalated resolved within hours days").split()


def _peak_rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux


def _sentence(rng: random.Random, chars: int) -> str:
    words = rng.choices(WORDS, k=chars // 6)
    return " ".join(words).capitalize() + "."


def write_file(folder: Path, fmt: str, size: int, line_chars: int) -> Path:
    """A file of about ``size`` bytes, written a line at a time (the generator holds one line)."""
    rng = random.Random(0)
    path = folder / ("tickets" if fmt == "jsonl" else "manuals") / f"bench.{fmt}"
    path.parent.mkdir(parents=True)
    written = number = 0
    with path.open("w", encoding="utf-8") as out:
        while written < size:
            number += 1
            text = f"{number}: {_sentence(rng, line_chars)}"
            line = json.dumps({"ticket_id": f"TCK-{number}", "text": text}) + "\n" if fmt == "jsonl" else text + "\n"
            written += out.write(line)
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=500, help="file size in MB (10^6 bytes)")
    parser.add_argument("--format", choices=["jsonl", "txt"], default="jsonl")
    parser.add_argument("--line-chars", type=int, default=2000, help="text per JSON line / per text line")
    parser.add_argument("--max-file-mb", type=float, default=IngestSettings().max_file_mb)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="llmops-bench-ingest-") as tmp:
        started = time.perf_counter()
        path = write_file(Path(tmp), args.format, int(args.mb * MB), args.line_chars)
        size = path.stat().st_size
        print(f"{platform.machine()}, Python {platform.python_version()}; wrote {path.name}: {size / MB:,.1f} MB "
              f"in {time.perf_counter() - started:.1f} s")
        baseline = _peak_rss()
        started = time.perf_counter()
        result = read_documents(Path(tmp), IngestSettings(max_file_mb=args.max_file_mb))
        elapsed = time.perf_counter() - started
        peak = _peak_rss()
    kept = sum(len(d.text) for d in result.documents)
    print(f"ingested in {elapsed:.1f} s ({size / MB / elapsed:,.1f} MB/s): {len(result.documents):,} documents "
          f"({kept / MB:,.1f} M characters kept), {result.duplicates} duplicates, {len(result.quarantined)} quarantined")
    for item in result.quarantined:
        print(f"  quarantined {item.source}: {item.reason}")
    print(f"baseline RSS {baseline / MB:,.0f} MB, peak RSS {peak / MB:,.0f} MB, "
          f"growth {(peak - baseline) / MB:,.0f} MB = {(peak - baseline) / size:.2f}x the file, "
          f"peak = {peak / size:.2f}x the file")
    if peak >= GOAL_BYTES:
        print(f"TARGET MISSED: peak RSS {peak / MB:,.0f} MB >= 1 GB ({GOAL_BYTES / MB:,.0f} MB)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
