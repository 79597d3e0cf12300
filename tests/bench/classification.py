"""Classifier throughput on one core: comments per second for ~200-character comments, and the cold start.

Run: `python -m tests.bench.classification` (or `make bench`).

The comments are *dev* texts of the evaluation set joined in random combinations and orders and cut at a
word boundary to about 200 characters: every measured comment is a distinct string, so nothing the
classifier remembers about a whole comment could help (it remembers words and their analysis, bounded:
that is what a stream of real comments benefits from too). Figures:

- throughput: the median of several timed passes over the batch after one warm-up pass, in CPU time of
  this process (one thread, one core), with the slowest and fastest pass;
- first pass: the same comments right after the classifier's memories are emptied (every distinct word
  is analysed for the first time during the pass), the figure for a container's first minutes;
- cold start: importing the classifier and classifying a first comment (data files read and compiled),
  in a fresh interpreter;
- a reference loop, so that figures from different machines compare.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import subprocess
import sys
import time
import timeit
from collections.abc import Sequence

from tests.eval.classification import load_items

TARGET_CHARS = 200
# A reference loop, to compare machines: the same interpreter work everywhere.
_REFERENCE = "sum(range(1000))"
_LAPTOP_REFERENCE_US = 7.0
_COLD = (
    "import time; t = time.perf_counter(); "
    "from replyloop.classification import classify; imported = time.perf_counter(); "
    "classify('nie działa mi logowanie, co robić?'); done = time.perf_counter(); "
    "print(imported - t, done - imported)"
)


def comments(count: int, seed: int = 2024) -> list[str]:
    """`count` distinct comments of about TARGET_CHARS characters, made of dev texts only."""
    texts = [item["text"] for item in load_items() if item["split"] == "dev"]
    draw = random.Random(seed)
    made: dict[str, None] = {}
    while len(made) < count:
        parts: list[str] = []
        while sum(len(part) + 1 for part in parts) < TARGET_CHARS:
            parts.append(draw.choice(texts))
        comment = " ".join(parts)
        if len(comment) > TARGET_CHARS:
            comment = comment[: TARGET_CHARS + 1].rsplit(" ", 1)[0]
        made[comment] = None
    return list(made)


def cold_start() -> tuple[float, float]:
    """Seconds to import the classifier, and to classify the first comment (loads and compiles the data)."""
    output = subprocess.run([sys.executable, "-c", _COLD], capture_output=True, text=True, check=True).stdout
    imported, first = (float(value) for value in output.split())
    return imported, first


def _rate(classify: object, batch: Sequence[str]) -> float:
    started = time.process_time()
    for text in batch:
        classify(text)  # type: ignore[operator]
    return len(batch) / (time.process_time() - started)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--comments", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)

    imported, first = cold_start()
    print(
        f"cold start: import {imported * 1000:.0f} ms, first classification (data load + compile) {first * 1000:.0f} ms"
    )

    from replyloop.classification import classify, clear_caches

    batch = comments(args.comments)
    assert len(set(batch)) == len(batch), "every measured comment must be a distinct string"
    mean_chars = sum(len(text) for text in batch) / len(batch)
    for text in batch:  # warm-up: compiled data, words met
        classify(text)
    gc.collect()
    rates = [_rate(classify, batch) for _ in range(args.runs)]
    reference_us = min(timeit.repeat(_REFERENCE, timer=time.process_time, number=2000, repeat=5)) / 2000 * 1e6
    median = statistics.median(rates)
    print(
        f"throughput: median {median:,.0f} comments/s on one core (min {min(rates):,.0f}, max {max(rates):,.0f}) "
        f"over {args.runs} runs of {len(batch)} distinct comments, {mean_chars:.0f} characters on average"
    )
    clear_caches()
    classify("dzień dobry")  # the data compiled again, but no word of the batch met yet
    gc.collect()
    print(f"first pass with empty memories: {_rate(classify, batch):,.0f} comments/s")
    scaled = median * reference_us / _LAPTOP_REFERENCE_US
    print(
        f"machine reference: `{_REFERENCE}` takes {reference_us:.1f} µs here; scaled to a machine where it takes "
        f"{_LAPTOP_REFERENCE_US:.0f} µs (a recent laptop): about {scaled:,.0f} comments/s"
    )


if __name__ == "__main__":
    main()
