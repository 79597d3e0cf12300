"""Details of the events the ideas backlog puts on the bus (source `replyloop.ideas`; a contract: see DESIGN.md)."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from replyloop.models.events import CommentReceived, EventDetail, UtcDatetime

__all__ = ["IDEA_STATUSES", "DuplicateMatch", "IdeaOutcome", "IdeaRecorded", "IdeaStatus", "IdeaStatusChanged"]

IdeaStatus = Literal["new", "accepted", "planned", "shipped", "declined"]
IDEA_STATUSES: tuple[IdeaStatus, ...] = ("new", "accepted", "planned", "shipped", "declined")
# new: a new idea was created; vote: the comment joined an existing idea and its author's vote counted;
# repeat: the comment was attached to an idea its author had already voted for (no second vote).
IdeaOutcome = Literal["new", "vote", "repeat"]


class DuplicateMatch(BaseModel):
    """Why a comment joined an existing idea: the near-duplicate score and what made it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    number: int = Field(description="The number of the idea the comment matched (before any merge redirect).")
    score: float = Field(ge=0.0, le=1.0)
    reason: str = Field(description="Shared concepts and the threshold, e.g. 'shared dark, mode; 0.86 >= 0.70'.")


class IdeaRecorded(EventDetail):
    """A comment labelled `idea` was recorded: a new idea, a vote for an existing one, or a repeat."""

    source: ClassVar[str] = "replyloop.ideas"
    detail_type: ClassVar[str] = "IdeaRecorded"

    idea_id: str
    number: int = Field(ge=1, description="The idea's stable, human-friendly backlog number (shown as #number).")
    title: str
    status: IdeaStatus
    outcome: IdeaOutcome
    votes: int = Field(ge=1, description="Distinct authors who voted for the idea, this one included.")
    lang: str = Field(description="The comment's language as classified ('pl', 'en', 'und'...).")
    duplicate_of: DuplicateMatch | None = Field(default=None, description="Set when the comment joined an idea.")
    comment: CommentReceived = Field(description="The comment as received: react thanks its author in its thread.")
    recorded_at: UtcDatetime


class IdeaStatusChanged(EventDetail):
    """The product team moved an idea to another status (admin API or CLI)."""

    source: ClassVar[str] = "replyloop.ideas"
    detail_type: ClassVar[str] = "IdeaStatusChanged"

    idea_id: str
    number: int = Field(ge=1)
    title: str
    lang: str
    from_status: IdeaStatus
    to_status: IdeaStatus
    who: str = Field(description="The caller's IAM identity (user or role ARN).")
    note: str | None = None
    votes: int = Field(ge=0)
    shipped_month: str | None = Field(default=None, description="YYYY-MM in Europe/Warsaw, once shipped.")
    release_notes: dict[str, str] = Field(default_factory=dict, description="Language -> release note.")
    changed_at: UtcDatetime
