"""Quality of the near-duplicate decision on tests/data/ideas/pairs.jsonl: precision, recall, F1 and confusion.

Run: `python -m tests.eval.ideas` (add `--errors` to list the wrong *dev* decisions; holdout pairs are only
ever counted, never shown, so that nobody tunes on them). "Positive" means "merge as the same idea".
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from replyloop.ideas.policy import load_policy
from replyloop.ideas.similarity import Matcher, Verdict

PAIRS_FILE = Path(__file__).resolve().parents[1] / "data" / "ideas" / "pairs.jsonl"
SPLITS = ("dev", "holdout")


@dataclass(frozen=True)
class Outcome:
    id: str
    lang: str
    split: str
    truth: bool
    verdict: Verdict


@dataclass(frozen=True)
class Report:
    true_positive: int
    false_positive: int
    false_negative: int
    true_negative: int

    @property
    def total(self) -> int:
        return self.true_positive + self.false_positive + self.false_negative + self.true_negative

    @property
    def precision(self) -> float:
        merged = self.true_positive + self.false_positive
        return self.true_positive / merged if merged else 1.0

    @property
    def recall(self) -> float:
        duplicates = self.true_positive + self.false_negative
        return self.true_positive / duplicates if duplicates else 1.0

    @property
    def f1(self) -> float:
        both = self.precision + self.recall
        return 2 * self.precision * self.recall / both if both else 0.0


def load_pairs(path: Path = PAIRS_FILE) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def evaluate(pairs: Iterable[dict[str, Any]], matcher: Matcher | None = None) -> list[Outcome]:
    """The production decision for every pair, in the pair's language."""
    matcher = matcher or Matcher(load_policy())
    return [
        Outcome(p["id"], p["lang"], p["split"], bool(p["duplicate"]), matcher.compare_texts(p["a"], p["b"], p["lang"]))
        for p in pairs
    ]


def report(outcomes: Sequence[Outcome]) -> Report:
    def count(truth: bool, merged: bool) -> int:
        return sum(1 for o in outcomes if o.truth is truth and o.verdict.duplicate is merged)

    return Report(count(True, True), count(False, True), count(True, False), count(False, False))


def render(title: str, result: Report) -> str:
    return (
        f"{title:14s} pairs {result.total:3d}  precision {result.precision:.3f}  recall {result.recall:.3f}  "
        f"F1 {result.f1:.3f}  (TP {result.true_positive}, FP {result.false_positive}, "
        f"FN {result.false_negative}, TN {result.true_negative})"
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--errors", action="store_true", help="list wrong dev decisions (never holdout)")
    args = parser.parse_args(argv)
    pairs = load_pairs()
    outcomes = evaluate(pairs)
    print(f"merge threshold {load_policy().threshold:.2f}; positive = merged as the same idea")
    for split in SPLITS:
        chosen = [o for o in outcomes if o.split == split]
        print(render(split, report(chosen)))
        for lang in ("pl", "en"):
            print(render(f"  {split}/{lang}", report([o for o in chosen if o.lang == lang])))
    print(render("overall", report(outcomes)))
    if args.errors:
        texts = {p["id"]: (p["a"], p["b"]) for p in pairs if p["split"] == "dev"}
        print("\nwrong dev decisions (FP = merged two different ideas, FN = missed a duplicate):")
        for o in outcomes:
            if o.split == "dev" and o.truth is not o.verdict.duplicate:
                kind = "FN" if o.truth else "FP"
                print(f"{o.id} {kind} {o.verdict.score:.2f} {texts[o.id]!r} -- {o.verdict.reason}")


if __name__ == "__main__":
    main()
