"""The demo's classification view: labels and reactions counted from the bus events, one line per comment."""

from __future__ import annotations

import io
from typing import Any

from infra.local.demo_comments import labels, print_comments, reactions
from infra.local.report import DemoRun
from tests.support.events import load_event


def _run(*events: dict[str, Any]) -> DemoRun:
    return DemoRun(stack=None, rows=[], events=list(events), dead_letters={})  # type: ignore[arg-type]


def _reaction(classified: dict[str, Any], action: str) -> dict[str, Any]:
    comment = classified["detail"]["comment"]
    detail = {
        "platform": comment["platform"],
        "comment_id": comment["comment_id"],
        "action": action,
        "outcome": "dry-run",
        "template_id": "t1",
    }
    return {"detail-type": "ReactionPerformed", "detail": detail}


def test_labels_and_reactions_are_counted_from_the_bus() -> None:
    classified = load_event("bus/CommentClassified.json")
    label = classified["detail"]["classification"]["label"]
    run = _run(classified, classified, _reaction(classified, "hide"), load_event("bus/CommentReceived.json"))
    assert labels(run) == {label: 2}
    assert reactions(run) == {"hide": 1}


def test_each_comment_shows_its_label_reasons_and_reaction() -> None:
    classified = load_event("bus/CommentClassified.json")
    out = io.StringIO()
    print_comments(_run(classified, _reaction(classified, "faq_answer")), out)
    text = out.getvalue()
    assert classified["detail"]["classification"]["label"] in text
    assert classified["detail"]["classification"]["reasons"][0] in text
    assert "faq_answer [t1] (dry-run)" in text
