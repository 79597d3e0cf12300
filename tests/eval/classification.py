"""Classifier quality on tests/data/classification/eval.jsonl: per-label P/R/F1, macro-F1, accuracy, confusion.

Run: `python -m tests.eval.classification` (add `--errors` to list the misclassified *dev* items; holdout
items are only ever counted, never shown, so that nobody tunes on them).
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from replyloop.classification import classify
from replyloop.models.classification import LABELS

EVAL_FILE = Path(__file__).resolve().parents[1] / "data" / "classification" / "eval.jsonl"
SPLITS = ("dev", "holdout")


@dataclass(frozen=True)
class Outcome:
    """One evaluated item: what it is and what the classifier said."""

    id: str
    lang: str
    split: str
    tags: tuple[str, ...]
    truth: str
    predicted: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Report:
    """Metrics over a set of outcomes."""

    support: dict[str, int]
    precision: dict[str, float]
    recall: dict[str, float]
    f1: dict[str, float]
    macro_f1: float
    accuracy: float
    confusion: dict[str, Counter[str]]
    total: int


def load_items(path: Path = EVAL_FILE) -> list[dict[str, Any]]:
    """Every labelled item (both splits)."""
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def evaluate(items: Iterable[dict[str, Any]]) -> list[Outcome]:
    """Classify each item with the language left to detection, as in production."""
    outcomes = []
    for item in items:
        result = classify(item["text"])
        outcomes.append(
            Outcome(
                item["id"],
                item["lang"],
                item["split"],
                tuple(item.get("tags", ())),
                item["label"],
                result.label,
                tuple(result.reasons),
            )
        )
    return outcomes


def report(outcomes: Sequence[Outcome]) -> Report:
    """Precision, recall and F1 per label (0 when undefined), their macro mean, accuracy and the confusion matrix."""
    confusion: dict[str, Counter[str]] = {label: Counter() for label in LABELS}
    for outcome in outcomes:
        confusion[outcome.truth][outcome.predicted] += 1
    support = {label: sum(confusion[label].values()) for label in LABELS}
    predicted = {label: sum(confusion[truth][label] for truth in LABELS) for label in LABELS}
    precision, recall, f1 = {}, {}, {}
    for label in LABELS:
        hit = confusion[label][label]
        precision[label] = hit / predicted[label] if predicted[label] else 0.0
        recall[label] = hit / support[label] if support[label] else 0.0
        both = precision[label] + recall[label]
        f1[label] = 2 * precision[label] * recall[label] / both if both else 0.0
    present = [label for label in LABELS if support[label]]
    macro = sum(f1[label] for label in present) / len(present) if present else 0.0
    correct = sum(confusion[label][label] for label in LABELS)
    return Report(
        support, precision, recall, f1, macro, correct / len(outcomes) if outcomes else 0.0, confusion, len(outcomes)
    )


def render(title: str, result: Report) -> str:
    """A plain-text table: metrics per label, then the confusion matrix (rows true, columns predicted)."""
    lines = [f"== {title}: {result.total} items, macro-F1 {result.macro_f1:.3f}, accuracy {result.accuracy:.3f}"]
    lines.append(f"{'label':10s} {'prec':>6s} {'recall':>6s} {'f1':>6s} {'support':>7s}")
    for label in LABELS:
        lines.append(
            f"{label:10s} {result.precision[label]:6.3f} {result.recall[label]:6.3f} "
            f"{result.f1[label]:6.3f} {result.support[label]:7d}"
        )
    short = [label[:5] for label in LABELS]
    lines.append("confusion (rows true, columns predicted)")
    lines.append(f"{'':10s} " + " ".join(f"{name:>5s}" for name in short))
    for truth in LABELS:
        lines.append(f"{truth:10s} " + " ".join(f"{result.confusion[truth][label]:5d}" for label in LABELS))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--errors", action="store_true", help="list misclassified dev items (never holdout)")
    parser.add_argument("--split", choices=SPLITS, help="report one split only")
    args = parser.parse_args(argv)
    items = load_items()
    texts = {item["id"]: item["text"] for item in items if item["split"] == "dev"}
    outcomes = evaluate(item for item in items if args.split in (None, item["split"]))
    for split in SPLITS:
        chosen = [outcome for outcome in outcomes if outcome.split == split]
        if not chosen:
            continue
        print(render(split, report(chosen)), end="\n\n")
        for lang in ("pl", "en"):
            per_lang = report([outcome for outcome in chosen if outcome.lang == lang])
            print(f"   {split}/{lang}: macro-F1 {per_lang.macro_f1:.3f}, accuracy {per_lang.accuracy:.3f}")
        print()
    if args.split is None:
        print(render("overall", report(outcomes)))
    if args.errors:
        print("\nmisclassified dev items:")
        for outcome in outcomes:
            if outcome.split == "dev" and outcome.truth != outcome.predicted:
                print(
                    f"{outcome.id} {outcome.truth}->{outcome.predicted} {texts[outcome.id]!r} {list(outcome.reasons)}"
                )


if __name__ == "__main__":
    main()
