"""An idea of the backlog, the comments that asked for it and the authors who voted for it (domain objects)."""

from __future__ import annotations

import hashlib
from datetime import datetime
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field

from replyloop.ideas.priority import Priority, priority
from replyloop.models.events import CommentReceived, Platform, UtcDatetime
from replyloop.models.ideas import IdeaStatus

__all__ = ["MONTH_PATTERN", "Idea", "IdeaComment", "Voter", "idea_id_for", "month_of"]

MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"


def idea_id_for(platform: str, comment_id: str) -> str:
    """An idea's id, derived from the comment that first asked for it: a redelivery cannot create a second one."""
    return hashlib.sha256(f"{platform}:{comment_id}".encode()).hexdigest()[:20]


def month_of(moment: datetime, zone: ZoneInfo) -> str:
    """'YYYY-MM' of a moment in the brand's time zone (a month begins at local midnight)."""
    return moment.astimezone(zone).strftime("%Y-%m")


class Idea(BaseModel):
    """One idea; `number` never changes once given, `votes` counts distinct authors."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    number: int = Field(ge=1)
    title: str
    lang: str
    status: IdeaStatus = "new"
    impact: int | None = Field(default=None, ge=1, le=5)
    cost: int | None = Field(default=None, ge=1, le=5)
    votes: int = Field(default=0, ge=0)
    first_asked: UtcDatetime
    last_asked: UtcDatetime
    shipped_month: str | None = Field(default=None, pattern=MONTH_PATTERN)
    release_notes: dict[str, str] = Field(default_factory=dict, description="Language -> release note.")
    merged_into: int | None = Field(default=None, description="The number this idea was merged into.")
    merged_into_id: str | None = None
    signature: tuple[str, ...] = Field(default=(), description="Concepts of the first comment (duplicate detection).")
    title_signature: tuple[str, ...] = Field(default=(), description="Concepts of a title the team edited.")
    created_at: UtcDatetime
    updated_at: UtcDatetime

    @property
    def ref(self) -> str:
        return f"#{self.number}"

    @property
    def priority(self) -> Priority | None:
        return priority(self.impact, self.cost)

    @property
    def signatures(self) -> tuple[tuple[str, ...], ...]:
        return tuple(s for s in (self.signature, self.title_signature) if s)


class IdeaComment(BaseModel):
    """A comment that asked for an idea; `voted` says whether it added its author's vote."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    platform: Platform
    comment_id: str
    thread_id: str
    permalink: str | None = None
    lang: str
    author_id: str
    author_handle: str | None = None
    asked_at: UtcDatetime
    text: str
    voted: bool

    @classmethod
    def of(cls, comment: CommentReceived, lang: str, *, voted: bool) -> IdeaComment:
        return cls(
            platform=comment.platform,
            comment_id=comment.comment_id,
            thread_id=comment.thread_id,
            permalink=comment.permalink,
            lang=lang,
            author_id=comment.author.id,
            author_handle=comment.author.handle,
            asked_at=comment.created_at,
            text=comment.text,
            voted=voted,
        )


class Voter(BaseModel):
    """One author's single vote for an idea (authors are per platform: ids are the platform's own)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    platform: Platform
    author_id: str
    handle: str | None = None
    voted_at: UtcDatetime
    comment_id: str = Field(description="The comment that gave the vote.")

    @property
    def key(self) -> str:
        return f"{self.platform}#{self.author_id}"

    @classmethod
    def of(cls, comment: CommentReceived) -> Voter:
        return cls(
            platform=comment.platform,
            author_id=comment.author.id,
            handle=comment.author.handle,
            voted_at=comment.created_at,
            comment_id=comment.comment_id,
        )
