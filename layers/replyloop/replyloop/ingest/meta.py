"""Meta webhooks: Facebook Page `feed` comments and Instagram `comments`, one model per documented shape."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from replyloop.ingest.credentials import BrandAccounts
from replyloop.ingest.normalised import Normalised, from_epoch
from replyloop.models.events import (
    Author,
    BrandReplied,
    BusEvent,
    CommentDeleted,
    CommentEdited,
    CommentReceived,
)

__all__ = ["MetaWebhook", "normalise_meta"]


class _Lenient(BaseModel):
    # Meta adds fields without notice; we read what we need and keep the rest out.
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class MetaChange(_Lenient):
    field: str
    value: dict[str, Any]


class MetaEntry(_Lenient):
    id: str
    time: int
    changes: list[MetaChange] = Field(default_factory=list)
    # Instagram-login apps may put one change straight on the entry.
    field: str | None = None
    value: dict[str, Any] | None = None

    def all_changes(self) -> list[MetaChange]:
        if self.field is not None and self.value is not None:
            return [*self.changes, MetaChange(field=self.field, value=self.value)]
        return self.changes


class MetaWebhook(_Lenient):
    object: Literal["page", "instagram"]
    entry: list[MetaEntry]


class _From(_Lenient):
    id: str
    name: str | None = None
    username: str | None = None


class _FeedComment(_Lenient):
    item: Literal["comment"]
    verb: str
    comment_id: str
    post_id: str
    parent_id: str | None = None
    from_: _From | None = Field(default=None, alias="from")
    sender_id: str | None = None
    sender_name: str | None = None
    message: str | None = None
    created_time: int | None = None

    def author(self) -> Author:
        if self.from_ is not None:
            return Author(id=self.from_.id, handle=self.from_.name)
        if self.sender_id is not None:
            return Author(id=self.sender_id, handle=self.sender_name)
        raise ValueError("comment without from or sender_id")


class _Media(_Lenient):
    id: str
    media_product_type: str | None = None


class _InstagramComment(_Lenient):
    id: str
    text: str | None = None
    from_: _From = Field(alias="from")
    media: _Media | None = None
    parent_id: str | None = None


def _facebook_permalink(post_id: str, comment_id: str) -> str:
    page, _, post = post_id.partition("_")
    comment = comment_id.rpartition("_")[2]
    return f"https://www.facebook.com/{page}/posts/{post}?comment_id={comment}"


def _feed(
    entry: MetaEntry, value: dict[str, Any], brand: BrandAccounts, received_at: datetime, out: Normalised
) -> None:
    if value.get("item") != "comment":
        out.ignore(f"feed/{value.get('item', 'unknown')}")
        return
    change = _FeedComment.model_validate(value)
    verb = "edited" if change.verb == "edit" else change.verb
    author = change.author()
    is_brand = author.id == entry.id or author.id in brand.meta_page_ids
    top_level = change.parent_id in (None, change.post_id)
    fields = {
        "platform": "facebook",
        "comment_id": change.comment_id,
        "thread_id": change.post_id,
        "parent_id": None if top_level else change.parent_id,
        "author": author,
        "text": change.message or "",
        "created_at": from_epoch(change.created_time or entry.time),
        "received_at": received_at,
        "permalink": _facebook_permalink(change.post_id, change.comment_id),
    }
    key = f"facebook:{change.comment_id}:{verb}"
    if verb == "remove":
        detail = CommentDeleted(
            platform="facebook",
            comment_id=change.comment_id,
            thread_id=change.post_id,
            author=author,
            deleted_at=from_epoch(entry.time),
            received_at=received_at,
        )
        out.events.append(BusEvent(detail, key))
    elif is_brand:
        if verb == "add" and not top_level:
            out.events.append(BusEvent(BrandReplied(**fields, in_reply_to=change.parent_id), key))
        else:
            out.ignore(f"feed/comment/brand-{verb}")
    elif verb == "add":
        out.events.append(BusEvent(CommentReceived(**fields), key))
    elif verb == "edited":
        # Every edit is its own change; the entry time tells redeliveries of one edit from the next edit.
        out.events.append(BusEvent(CommentEdited(**fields), f"{key}:{entry.time}"))
    else:
        out.ignore(f"feed/comment/{verb}")


def _instagram(
    entry: MetaEntry, value: dict[str, Any], brand: BrandAccounts, received_at: datetime, out: Normalised
) -> None:
    change = _InstagramComment.model_validate(value)
    username = (change.from_.username or "").lower()
    is_brand = (
        change.from_.id == entry.id or change.from_.id in brand.meta_page_ids or username in brand.instagram_usernames
    )
    fields = {
        "platform": "instagram",
        "comment_id": change.id,
        "thread_id": change.media.id if change.media else entry.id,
        "parent_id": change.parent_id,
        "author": Author(id=change.from_.id, handle=change.from_.username),
        "text": change.text or "",
        # Instagram sends no comment time: the entry time is the closest we have.
        "created_at": from_epoch(entry.time),
        "received_at": received_at,
        "permalink": None,
    }
    key = f"instagram:{change.id}"
    if is_brand:
        if change.parent_id:
            out.events.append(BusEvent(BrandReplied(**fields, in_reply_to=change.parent_id), key))
        else:
            out.ignore("comments/brand-top-level")
    else:
        out.events.append(BusEvent(CommentReceived(**fields), key))


def normalise_meta(payload: dict[str, Any], brand: BrandAccounts, received_at: datetime) -> Normalised:
    """Every change of every entry; raises pydantic's ValidationError when a comment lacks its ids."""
    webhook = MetaWebhook.model_validate(payload)
    out = Normalised()
    for entry in webhook.entry:
        for change in entry.all_changes():
            if webhook.object == "page" and change.field == "feed":
                _feed(entry, change.value, brand, received_at, out)
            elif webhook.object == "instagram" and change.field in ("comments", "live_comments"):
                _instagram(entry, change.value, brand, received_at, out)
            else:
                out.ignore(f"{webhook.object}/{change.field}")
    return out
