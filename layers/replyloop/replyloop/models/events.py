"""Details of the events ingest puts on the bus (a contract: see DESIGN.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, ClassVar, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainSerializer

from replyloop.models.classification import Classification, Label

Platform = Literal["facebook", "instagram", "x", "telegram", "generic"]


def _iso_utc(value: datetime) -> str:
    """ISO 8601 in UTC with a `Z`, the one timestamp form every consumer (and Step Functions) accepts."""
    return value.isoformat(timespec="seconds").replace("+00:00", "Z")


def _whole_seconds_utc(value: datetime) -> datetime:
    """Timestamps are kept to the second in UTC, so that a detail survives a JSON round trip unchanged."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).replace(microsecond=0)


UtcDatetime = Annotated[
    datetime,
    AfterValidator(_whole_seconds_utc),
    PlainSerializer(_iso_utc, return_type=str, when_used="json"),
]


class Author(BaseModel):
    """Who wrote a comment, in the platform's own ids."""

    model_config = ConfigDict(frozen=True)

    id: str
    handle: str | None = None


class EventDetail(BaseModel):
    """Base of every event detail: knows its bus source and detail-type."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: ClassVar[str] = "replyloop.ingest"
    detail_type: ClassVar[str]


class _Comment(EventDetail):
    platform: Platform
    comment_id: str = Field(description="The platform's id; Telegram: '<chat_id>:<message_id>'.")
    thread_id: str = Field(description="The post, media or chat thread the comment belongs to.")
    parent_id: str | None = Field(default=None, description="The comment this one answers, if any.")
    author: Author
    text: str = Field(description="The comment text as written (may be empty for stickers or photos).")
    created_at: UtcDatetime
    received_at: UtcDatetime
    permalink: str | None = None


class CommentReceived(_Comment):
    """A new comment or message by a member of the public."""

    detail_type: ClassVar[str] = "CommentReceived"


class CommentEdited(_Comment):
    """A member of the public changed a comment; `text` is the new text."""

    detail_type: ClassVar[str] = "CommentEdited"


class CommentDeleted(EventDetail):
    """A comment was removed on the platform (by its author or a moderator)."""

    detail_type: ClassVar[str] = "CommentDeleted"

    platform: Platform
    comment_id: str
    thread_id: str | None = None
    author: Author | None = None
    deleted_at: UtcDatetime
    received_at: UtcDatetime


class BrandReplied(_Comment):
    """One of the brand's own accounts answered a comment (`in_reply_to`)."""

    detail_type: ClassVar[str] = "BrandReplied"

    in_reply_to: str


class CommentClassified(EventDetail):
    """A received comment and what the classifier made of it."""

    source: ClassVar[str] = "replyloop.classify"
    detail_type: ClassVar[str] = "CommentClassified"

    comment: CommentReceived
    classification: Classification


ReactionAction = Literal["hide", "faq_answer", "help_route", "idea_thanks", "praise_thanks", "rules_reminder", "none"]
ReactionOutcome = Literal["dry-run", "done", "failed", "rate-limited", "skipped"]


class ReactionPerformed(EventDetail):
    """What the react function decided for a comment and what came of it (also when it did nothing)."""

    source: ClassVar[str] = "replyloop.react"
    detail_type: ClassVar[str] = "ReactionPerformed"

    platform: Platform
    comment_id: str
    thread_id: str
    label: Label
    lang: str
    action: ReactionAction
    template_id: str | None = Field(default=None, description="The reply template or FAQ entry used.")
    mode: Literal["dry-run", "live"]
    outcome: ReactionOutcome
    reason: str | None = Field(default=None, description="Why, in words an operator reads (no comment text).")
    reply_text: str | None = Field(default=None, description="Our own reply, as sent or as it would be sent.")
    reply_id: str | None = Field(default=None, description="The platform's id of our reply, when live.")
    faq_id: str | None = Field(
        default=None, description="The best FAQ entry for a question (answered only when action is faq_answer)."
    )
    faq_score: float | None = Field(default=None, ge=0.0, le=1.0, description="That entry's match score.")
    performed_at: UtcDatetime


@dataclass(frozen=True, slots=True)
class BusEvent:
    """One event to put on the bus, with the key that makes its delivery idempotent.

    `dedup_key` is derived from platform ids only (never text or names): it is
    logged and stored in the idempotency table.
    """

    detail: EventDetail
    dedup_key: str

    @property
    def source(self) -> str:
        return self.detail.source

    @property
    def detail_type(self) -> str:
        return self.detail.detail_type
