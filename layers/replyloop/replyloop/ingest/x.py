"""X webhooks: Account Activity (`tweet_create_events`) and the X Activity API (`post.*.create`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from replyloop.ingest.credentials import BrandAccounts
from replyloop.ingest.normalised import Normalised, from_epoch
from replyloop.models.events import Author, BrandReplied, BusEvent, CommentDeleted, CommentReceived

__all__ = ["normalise_x"]

_AAA_TIME = "%a %b %d %H:%M:%S %z %Y"
_XAA_COMMENT_EVENTS = ("post.reply.create", "post.mention.create")


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="ignore")


class _User(_Lenient):
    id_str: str
    screen_name: str | None = None


class _ExtendedTweet(_Lenient):
    full_text: str


class _Tweet(_Lenient):
    id_str: str
    created_at: str
    text: str = ""
    extended_tweet: _ExtendedTweet | None = None
    in_reply_to_status_id_str: str | None = None
    user: _User
    retweeted_status: dict[str, Any] | None = None


class _DeletedStatus(_Lenient):
    id: str
    user_id: str


class _Deletion(_Lenient):
    status: _DeletedStatus
    timestamp_ms: str | None = None


class AccountActivity(_Lenient):
    for_user_id: str
    tweet_create_events: list[_Tweet] = Field(default_factory=list)
    tweet_delete_events: list[_Deletion] = Field(default_factory=list)


class _Reference(_Lenient):
    type: str
    id: str


class _Post(_Lenient):
    id: str
    text: str = ""
    author_id: str
    created_at: datetime
    conversation_id: str | None = None
    referenced_tweets: list[_Reference] = Field(default_factory=list)


class _XaaUser(_Lenient):
    id: str
    username: str | None = None


class _Includes(_Lenient):
    users: list[_XaaUser] = Field(default_factory=list)


class _Filter(_Lenient):
    user_id: str | None = None


class _ActivityEvent(_Lenient):
    event_type: str
    filter: _Filter = Field(default_factory=_Filter)
    payload: dict[str, Any] = Field(default_factory=dict)
    includes: _Includes = Field(default_factory=_Includes)


def _permalink(handle: str | None, post_id: str) -> str:
    return f"https://x.com/{handle or 'i'}/status/{post_id}"


def _comment_or_reply(
    *,
    post_id: str,
    thread_id: str,
    parent_id: str | None,
    author: Author,
    text: str,
    created_at: datetime,
    received_at: datetime,
    is_brand: bool,
    out: Normalised,
) -> None:
    fields = {
        "platform": "x",
        "comment_id": post_id,
        "thread_id": thread_id,
        "parent_id": parent_id,
        "author": author,
        "text": text,
        "created_at": created_at,
        "received_at": received_at,
        "permalink": _permalink(author.handle, post_id),
    }
    # AAA and XAA may both deliver one post: the key is the post id, so it lands once.
    key = f"x:{post_id}"
    if not is_brand:
        out.events.append(BusEvent(CommentReceived(**fields), key))
    elif parent_id:
        out.events.append(BusEvent(BrandReplied(**fields, in_reply_to=parent_id), key))
    else:
        out.ignore("x/brand-post")


def _account_activity(body: dict[str, Any], brand: BrandAccounts, received_at: datetime, out: Normalised) -> None:
    activity = AccountActivity.model_validate(body)
    ours = brand.x_user_ids | {activity.for_user_id}
    for tweet in activity.tweet_create_events:
        if tweet.retweeted_status is not None:
            out.ignore("x/retweet")
            continue
        _comment_or_reply(
            post_id=tweet.id_str,
            # AAA carries no conversation id: the post answered is the closest thread we know.
            thread_id=tweet.in_reply_to_status_id_str or tweet.id_str,
            parent_id=tweet.in_reply_to_status_id_str,
            author=Author(id=tweet.user.id_str, handle=tweet.user.screen_name),
            text=tweet.extended_tweet.full_text if tweet.extended_tweet else tweet.text,
            created_at=datetime.strptime(tweet.created_at, _AAA_TIME),
            received_at=received_at,
            is_brand=tweet.user.id_str in ours,
            out=out,
        )
    for deletion in activity.tweet_delete_events:
        if deletion.status.user_id in ours:
            out.ignore("x/brand-delete")
            continue
        deleted_at = from_epoch(int(deletion.timestamp_ms) / 1000) if deletion.timestamp_ms else received_at
        out.events.append(
            BusEvent(
                CommentDeleted(
                    platform="x",
                    comment_id=deletion.status.id,
                    author=Author(id=deletion.status.user_id),
                    deleted_at=deleted_at,
                    received_at=received_at,
                ),
                f"x:{deletion.status.id}:delete",
            )
        )
    known = {"for_user_id", "tweet_create_events", "tweet_delete_events", "user_has_blocked", "source"}
    for other in sorted(set(body) - known):
        out.ignore(f"x/{other}")


def _activity(event: _ActivityEvent, brand: BrandAccounts, received_at: datetime, out: Normalised) -> None:
    if event.event_type not in _XAA_COMMENT_EVENTS:
        out.ignore(f"x/{event.event_type}")
        return
    post = _Post.model_validate(event.payload)
    handles = {user.id: user.username for user in event.includes.users}
    replied_to = next((ref.id for ref in post.referenced_tweets if ref.type == "replied_to"), None)
    ours = brand.x_user_ids | ({event.filter.user_id} if event.filter.user_id else set())
    _comment_or_reply(
        post_id=post.id,
        thread_id=post.conversation_id or post.id,
        parent_id=replied_to,
        author=Author(id=post.author_id, handle=handles.get(post.author_id)),
        text=post.text,
        created_at=post.created_at,
        received_at=received_at,
        is_brand=post.author_id in ours,
        out=out,
    )


def normalise_x(payload: dict[str, Any], brand: BrandAccounts, received_at: datetime) -> Normalised:
    """Both formats; raises ValueError (pydantic's included) for a body that is neither."""
    out = Normalised()
    if "for_user_id" in payload:
        _account_activity(payload, brand, received_at, out)
        return out
    data = payload.get("data")
    if data is None:
        raise ValueError("neither an Account Activity nor an X Activity delivery")
    for item in data if isinstance(data, list) else [data]:
        _activity(_ActivityEvent.model_validate(item), brand, received_at, out)
    return out
