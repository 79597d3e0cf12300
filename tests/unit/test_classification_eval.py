"""Quality floors on the labelled evaluation set: a regression in the lexicons or rules fails here.

Floors sit a few points under what was measured when they were set (dev macro-F1 0.986, holdout 0.839);
on holdout one item is about five points of a label's recall. Raise them when the classifier improves.
"""

from __future__ import annotations

from functools import cache

import pytest

from tests.eval.classification import EVAL_FILE, Outcome, evaluate, load_items, report

pytestmark = pytest.mark.skipif(not EVAL_FILE.is_file(), reason="tests/data/classification/eval.jsonl not there yet")

MACRO_F1_FLOOR = {"dev": 0.95, "holdout": 0.80}
RECALL_FLOOR = {
    "dev": {
        "question": 0.95,
        "complaint": 0.95,
        "idea": 0.95,
        "praise": 0.85,
        "toxic": 0.95,
        "spam": 0.95,
        "sensitive": 0.95,
        "other": 0.90,
    },
    "holdout": {
        "question": 0.90,
        "complaint": 0.60,
        "idea": 0.85,
        "praise": 0.65,
        "toxic": 0.85,
        "spam": 0.80,
        "sensitive": 0.65,
        "other": 0.70,
    },
}
# At-risk comments given another label (no help route): measured 0 on dev and 5 on holdout.
SENSITIVE_MISSED_AT_MOST = {"dev": 1, "holdout": 6}


@cache
def outcomes(split: str) -> tuple[Outcome, ...]:
    return tuple(evaluate(item for item in load_items() if item["split"] == split))


@pytest.mark.parametrize("split", ["dev", "holdout"])
def test_macro_f1_floor(split: str) -> None:
    result = report(outcomes(split))
    assert result.macro_f1 >= MACRO_F1_FLOOR[split], f"{split} macro-F1 {result.macro_f1:.3f}"


@pytest.mark.parametrize("split", ["dev", "holdout"])
def test_recall_floor_per_label(split: str) -> None:
    result = report(outcomes(split))
    below = {
        label: round(result.recall[label], 3)
        for label, floor in RECALL_FLOOR[split].items()
        if result.recall[label] < floor
    }
    assert below == {}, f"{split} recall under the floor"


@pytest.mark.parametrize("split", ["dev", "holdout"])
def test_sensitive_comments_are_rarely_given_another_label(split: str) -> None:
    missed = [
        outcome.id for outcome in outcomes(split) if outcome.truth == "sensitive" and outcome.predicted != "sensitive"
    ]
    assert len(missed) <= SENSITIVE_MISSED_AT_MOST[split], missed


def test_both_languages_are_in_both_splits() -> None:
    for split in ("dev", "holdout"):
        assert {outcome.lang for outcome in outcomes(split)} == {"pl", "en"}
