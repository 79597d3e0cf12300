"""What the admin API answers and `replyloop ideas ... --json` prints: one JSON shape per idea, page and merge."""

from __future__ import annotations

from typing import Any

from replyloop.ideas.backlog import IdeaDetails
from replyloop.ideas.idea import Idea
from replyloop.ideas.ports import MergeOutcome, Page
from replyloop.ideas.status import allowed_next

__all__ = ["details_view", "idea_view", "merge_view", "page_view"]


def idea_view(idea: Idea) -> dict[str, Any]:
    """The idea as the product team sees it in a list (no comment texts, no author ids)."""
    rank = idea.priority
    asked = idea.model_dump(mode="json", include={"first_asked", "last_asked"})
    return {
        "number": idea.number,
        "ref": idea.ref,
        "id": idea.id,
        "title": idea.title,
        "lang": idea.lang,
        "status": idea.status,
        "next": allowed_next(idea.status),
        "votes": idea.votes,
        "impact": idea.impact,
        "cost": idea.cost,
        "priority": rank.label if rank else None,
        "priority_score": rank.score if rank else 0,
        "first_asked": asked["first_asked"],
        "last_asked": asked["last_asked"],
        "shipped_month": idea.shipped_month,
        "release_notes": dict(idea.release_notes),
        "merged_into": idea.merged_into,
    }


def page_view(page: Page) -> dict[str, Any]:
    return {"items": [idea_view(idea) for idea in page.items], "cursor": page.cursor}


def details_view(details: IdeaDetails) -> dict[str, Any]:
    """One idea with the comments that asked for it, its voters and its history."""
    view = idea_view(details.idea)
    view["comments"] = [comment.model_dump(mode="json") for comment in details.comments]
    view["voters"] = [voter.model_dump(mode="json") for voter in details.voters]
    view["history"] = [entry.model_dump(mode="json") for entry in details.history]
    if details.asked_as is not None:
        view["redirected_from"] = details.asked_as
    return view


def merge_view(outcome: MergeOutcome) -> dict[str, Any]:
    return {
        "merged": outcome.source.number,
        "into": idea_view(outcome.target),
        "moved_votes": outcome.moved_votes,
        "shared_voters": outcome.shared_voters,
        "moved_comments": outcome.moved_comments,
        "resumed": outcome.resumed,
    }
