"""What reading Chinese names with Baidu's LAC costs the scrubber: the pipeline scrubber on the blind
Chinese set (tests/data/pii_eval/zh_heldout.jsonl), with its LAC tagger and, in the same process,
without it (the position rules alone). One process (``n_process=1``) so the figure is per core.

    .venv/bin/python bench/zh_names.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import replace
from pathlib import Path

from llmops.pii.config import pipeline_config
from llmops.pii.scrubber import Scrubber

SET = Path(__file__).resolve().parents[1] / "tests" / "data" / "pii_eval" / "zh_heldout.jsonl"


def _rate(scrubber: Scrubber, texts: list[str], rounds: int) -> float:
    """Documents per second, best of ``rounds`` (after a warm-up that loads every model)."""
    scrubber.scrub_many(texts[:5])
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        scrubber.scrub_many(texts)
        best = min(best, time.perf_counter() - start)
    return len(texts) / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    texts = [json.loads(line)["text"] for line in SET.read_text(encoding="utf-8").splitlines() if line.strip()]
    chars = sum(map(len, texts))
    config = replace(pipeline_config(), n_process=1)
    with_lac = Scrubber(config)
    without = Scrubber(config)
    without._analyzer.registry.remove_recognizer("ChineseNameTagger")  # the baseline: position rules only
    rate_with, rate_without = _rate(with_lac, texts, args.rounds), _rate(without, texts, args.rounds)
    print(f"{len(texts)} documents, {chars:,} characters (zh_heldout), one process")
    print(f"with LAC      {rate_with:7.1f} docs/s  {rate_with * chars / len(texts):9,.0f} chars/s")
    print(f"without LAC   {rate_without:7.1f} docs/s  {rate_without * chars / len(texts):9,.0f} chars/s")
    print(f"ratio with/without (time per document): {rate_without / rate_with:.2f}x")


if __name__ == "__main__":
    main()
