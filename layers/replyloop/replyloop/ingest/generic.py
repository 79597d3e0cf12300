"""The generic source: one comment per delivery from website forms, polls and AMA question boxes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from replyloop.ingest.credentials import BrandAccounts
from replyloop.ingest.normalised import Normalised
from replyloop.models.events import Author, BusEvent, CommentReceived

__all__ = ["GenericComment", "normalise_generic"]


class GenericComment(BaseModel):
    """The documented body; strict, since we define it ourselves."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, max_length=256)
    thread_id: str = Field(min_length=1, max_length=256)
    parent_id: str | None = None
    author: Author
    text: str
    created_at: datetime
    permalink: str | None = None


def normalise_generic(payload: dict[str, Any], brand: BrandAccounts, received_at: datetime) -> Normalised:
    del brand  # the generic source carries only the public's comments
    comment = GenericComment.model_validate(payload)
    created = comment.created_at if comment.created_at.tzinfo else comment.created_at.replace(tzinfo=UTC)
    detail = CommentReceived(
        platform="generic",
        comment_id=comment.id,
        thread_id=comment.thread_id,
        parent_id=comment.parent_id,
        author=comment.author,
        text=comment.text,
        created_at=created,
        received_at=received_at,
        permalink=comment.permalink,
    )
    return Normalised(events=[BusEvent(detail, f"generic:{comment.id}")])
