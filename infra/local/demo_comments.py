"""The demo's view of classification and reactions: each comment's label, reasons and reaction."""

from __future__ import annotations

import sys
from collections import Counter
from typing import Any, TextIO

from infra.local.report import DemoRun, section

__all__ = ["print_comments"]

_SNIPPET = 36


def _of(run: DemoRun, detail_type: str) -> list[dict[str, Any]]:
    return [event for event in run.events if event.get("detail-type") == detail_type]


def _reactions_by_comment(run: DemoRun) -> dict[tuple[str, str], list[dict[str, Any]]]:
    found: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for event in _of(run, "ReactionPerformed"):
        detail = event["detail"]
        found.setdefault((detail["platform"], detail["comment_id"]), []).append(detail)
    return found


def _reaction_text(reactions: list[dict[str, Any]], label: str) -> str:
    if not reactions:
        return "deferred to IdeaRecorded" if label == "idea" else "-"
    parts = []
    for reaction in reactions:
        template = f" [{reaction['template_id']}]" if reaction.get("template_id") else ""
        parts.append(f"{reaction['action']}{template} ({reaction['outcome']})")
    return ", ".join(parts)


def print_comments(run: DemoRun, out: TextIO = sys.stdout) -> None:
    """One line per classified comment, in the order they reached the bus (demo data only: text is shown)."""
    reactions = _reactions_by_comment(run)
    print("\nClassification and reactions (dry-run: decided and recorded, no platform called)", file=out)
    for event in _of(run, "CommentClassified"):
        comment, verdict = event["detail"]["comment"], event["detail"]["classification"]
        text = " ".join(comment["text"].split())
        snippet = text if len(text) <= _SNIPPET else text[: _SNIPPET - 1] + "…"
        reasons = ", ".join(verdict["reasons"][:3]) or "nothing fired"
        key = (comment["platform"], comment["comment_id"])
        print(
            f"  {comment['platform']:<9} {verdict['lang']:<3} {verdict['label']:<9} {verdict['confidence']:.2f}  "
            f"{snippet:<{_SNIPPET}}  reasons: {reasons}\n"
            f"  {'':<9} {'':<3} -> {_reaction_text(reactions.get(key, []), verdict['label'])}",
            file=out,
        )


@section("labels")
def labels(run: DemoRun) -> dict[str, int]:
    """Comments counted by the label the classifier gave them."""
    return dict(Counter(e["detail"]["classification"]["label"] for e in _of(run, "CommentClassified")).most_common())


@section("reactions")
def reactions(run: DemoRun) -> dict[str, int]:
    """Reactions counted by action (including `none`, decisions to leave a comment to people)."""
    return dict(Counter(e["detail"]["action"] for e in _of(run, "ReactionPerformed")).most_common())
