"""Platform calls as data (what to reply, hide or post, and where) and how such a call fails."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from replyloop.models.events import CommentReceived, Platform, ReactionAction, UtcDatetime

__all__ = ["ActionRequest", "CommentRef", "FailedAction", "PlatformError", "hide_refusal"]

# Telegram has no hide: the bot deletes instead, and only messages younger than this.
TELEGRAM_DELETE_WINDOW = timedelta(hours=48)


class CommentRef(BaseModel):
    """Where a comment lives on its platform: the ids a client needs, never the text or the author."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    platform: Platform
    comment_id: str
    thread_id: str
    parent_id: str | None = None
    created_at: UtcDatetime

    @classmethod
    def of(cls, comment: CommentReceived) -> CommentRef:
        return cls(
            platform=comment.platform,
            comment_id=comment.comment_id,
            thread_id=comment.thread_id,
            parent_id=comment.parent_id,
            created_at=comment.created_at,
        )


class ActionRequest(BaseModel):
    """One platform call: reply under the comment, hide it, or post to its thread (the rules reminder)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["reply", "hide", "thread_post"]
    action: ReactionAction
    target: CommentRef
    lang: str
    text: str | None = Field(default=None, description="Our own words; None for hide.")
    template_id: str | None = None


class FailedAction(BaseModel):
    """The message put on the reactions dead-letter queue: enough to redo the call, nothing secret."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: Literal[1] = 1
    request: ActionRequest
    error: str
    retryable: bool = Field(description="False when redoing it as is cannot succeed (refused, not found).")
    failed_at: UtcDatetime


class PlatformError(Exception):
    """A platform call that failed for good (after retries).

    The message names the platform, the operation and the platform's error, never
    a token, a URL or comment text: it goes into events, logs and the dead-letter queue.
    """

    def __init__(self, message: str, *, status: int | None = None, retryable: bool = False) -> None:
        super().__init__(message)
        self.status = status
        self.retryable = retryable


def hide_refusal(target: CommentRef, now: datetime) -> str | None:
    """Why a hide cannot be done on this platform now, or None when it can."""
    if target.platform == "telegram" and now - target.created_at >= TELEGRAM_DELETE_WINDOW:
        return "Telegram can only delete messages younger than 48 h"
    if target.platform == "generic":
        return "generic comments come from our own forms: moderate them there"
    return None
