"""Idea statuses, the transitions allowed between them (as data), and the history entry that records each change.

    new -> accepted -> planned -> shipped
      \\        \\          \\-> accepted (unplanned again)
       \\        \\-> declined
        \\-> declined -> new (reopened)

`shipped` is final: what shipped stays in the monthly summaries.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from replyloop.ideas.errors import InvalidTransition
from replyloop.models.events import UtcDatetime
from replyloop.models.ideas import IDEA_STATUSES, IdeaStatus

__all__ = [
    "IDEA_STATUSES",
    "TRANSITIONS",
    "HistoryEntry",
    "HistoryKind",
    "IdeaStatus",
    "allowed_next",
    "check_transition",
]

TRANSITIONS: dict[IdeaStatus, tuple[IdeaStatus, ...]] = {
    "new": ("accepted", "declined"),
    "accepted": ("planned", "declined"),
    "planned": ("shipped", "accepted", "declined"),
    "declined": ("new",),
    "shipped": (),
}

HistoryKind = Literal["created", "status", "merged_into", "merged_from", "edited"]


def allowed_next(current: IdeaStatus) -> list[IdeaStatus]:
    return list(TRANSITIONS[current])


def check_transition(number: int, current: IdeaStatus, target: IdeaStatus) -> None:
    """Raise InvalidTransition unless `current -> target` is allowed (staying put is not a change)."""
    if target not in TRANSITIONS[current]:
        raise InvalidTransition(number, current, target, allowed_next(current))


class HistoryEntry(BaseModel):
    """One change of an idea: who (an IAM identity, or the service), when, what, and why."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    at: UtcDatetime
    who: str
    kind: HistoryKind
    from_status: IdeaStatus | None = None
    to_status: IdeaStatus | None = None
    note: str | None = Field(default=None, max_length=1000)
