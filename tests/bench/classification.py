"""Classifier throughput on one core: comments per second for ~200-character comments, and the cold start.

Run: `python -m tests.bench.classification`. The comments are *dev* texts of the evaluation set joined
until each is about 200 characters long; the figure is the median of several timed runs (CPU time, one
core) after a warm-up, also scaled by a reference loop so that figures from different machines compare.
"""

from __future__ import annotations

import argparse
import gc
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


def comments(count: int) -> list[str]:
    """`count` comments of about TARGET_CHARS characters, made of dev texts only."""
    texts = [item["text"] for item in load_items() if item["split"] == "dev"]
    made: list[str] = []
    index = 0
    while len(made) < count:
        parts = [texts[index % len(texts)]]
        index += 1
        while sum(len(part) + 1 for part in parts) < TARGET_CHARS:
            parts.append(texts[index % len(texts)])
            index += 1
        made.append(" ".join(parts)[: TARGET_CHARS + 20])
        index += 1
    return made


def cold_start() -> tuple[float, float]:
    """Seconds to import the classifier, and to classify the first comment (loads and compiles the data)."""
    output = subprocess.run([sys.executable, "-c", _COLD], capture_output=True, text=True, check=True).stdout
    imported, first = (float(value) for value in output.split())
    return imported, first


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--comments", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)

    imported, first = cold_start()
    print(
        f"cold start: import {imported * 1000:.0f} ms, first classification (data load + compile) {first * 1000:.0f} ms"
    )

    from replyloop.classification import classify

    batch = comments(args.comments)
    mean_chars = sum(len(text) for text in batch) / len(batch)
    for text in batch:  # warm-up: compiled data, memoised stems
        classify(text)
    gc.collect()
    rates = []
    for _ in range(args.runs):
        # CPU time of this process: one core's work, not what other processes on the machine take from it.
        started = time.process_time()
        for text in batch:
            classify(text)
        rates.append(len(batch) / (time.process_time() - started))
    reference_us = min(timeit.repeat(_REFERENCE, timer=time.process_time, number=2000, repeat=5)) / 2000 * 1e6
    median = statistics.median(rates)
    print(
        f"throughput: median {median:,.0f} comments/s on one core (min {min(rates):,.0f}, max {max(rates):,.0f}) "
        f"over {args.runs} runs of {len(batch)} comments, {mean_chars:.0f} characters on average"
    )
    scaled = median * reference_us / _LAPTOP_REFERENCE_US
    print(
        f"machine reference: `{_REFERENCE}` takes {reference_us:.1f} µs here; scaled to a machine where it takes "
        f"{_LAPTOP_REFERENCE_US:.0f} µs (a recent laptop): about {scaled:,.0f} comments/s"
    )


if __name__ == "__main__":
    main()
