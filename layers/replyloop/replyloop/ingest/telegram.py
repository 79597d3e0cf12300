"""Telegram Bot API updates: comments are messages in a channel's linked discussion group."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from replyloop.ingest.credentials import BrandAccounts
from replyloop.ingest.normalised import Normalised, from_epoch
from replyloop.models.events import Author, BrandReplied, BusEvent, CommentEdited, CommentReceived

__all__ = ["Update", "normalise_telegram"]

_GROUPS = ("group", "supergroup")


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class _User(_Lenient):
    id: int
    is_bot: bool = False
    username: str | None = None


class _Chat(_Lenient):
    id: int
    type: str
    username: str | None = None


class _Replied(_Lenient):
    message_id: int
    message_thread_id: int | None = None
    is_automatic_forward: bool = False


class _Message(_Lenient):
    message_id: int
    message_thread_id: int | None = None
    from_: _User | None = Field(default=None, alias="from")
    sender_chat: _Chat | None = None
    chat: _Chat
    date: int
    edit_date: int | None = None
    text: str | None = None
    caption: str | None = None
    reply_to_message: _Replied | None = None
    is_automatic_forward: bool = False


class Update(_Lenient):
    update_id: int
    message: _Message | None = None
    edited_message: _Message | None = None


def _permalink(chat: _Chat, message_id: int) -> str:
    if chat.username:
        return f"https://t.me/{chat.username}/{message_id}"
    # Private supergroups: t.me/c/<id without the -100 prefix>/<message>, visible to members.
    internal = str(chat.id).removeprefix("-100").lstrip("-")
    return f"https://t.me/c/{internal}/{message_id}"


def _thread_id(message: _Message) -> str:
    chat = message.chat.id
    replied = message.reply_to_message
    if message.message_thread_id is not None:
        return f"{chat}:{message.message_thread_id}"
    if replied is not None and replied.is_automatic_forward:
        return f"{chat}:{replied.message_id}"
    if replied is not None and replied.message_thread_id is not None:
        return f"{chat}:{replied.message_thread_id}"
    return str(chat)


def _is_brand(message: _Message, brand: BrandAccounts) -> bool:
    if message.sender_chat is not None and str(message.sender_chat.id) in brand.telegram_channel_ids:
        return True
    return message.from_ is not None and str(message.from_.id) in brand.telegram_bot_ids


def _message(message: _Message, brand: BrandAccounts, received_at: datetime, out: Normalised, *, edited: bool) -> None:
    if message.chat.type not in _GROUPS:
        out.ignore(f"telegram/{message.chat.type}-chat")
        return
    if message.is_automatic_forward:
        out.ignore("telegram/channel-forward")
        return
    chat = message.chat.id
    # A reply to the channel's forward is a top-level comment on that post.
    replied = message.reply_to_message
    parent = f"{chat}:{replied.message_id}" if replied and not replied.is_automatic_forward else None
    # Someone writing as a chat (an admin posting as the channel) is that chat, not the placeholder user.
    sender = message.sender_chat or message.from_
    if sender is None:
        raise ValueError("message without a sender")
    fields = {
        "platform": "telegram",
        "comment_id": f"{chat}:{message.message_id}",
        "thread_id": _thread_id(message),
        "parent_id": parent,
        "author": Author(id=str(sender.id), handle=sender.username),
        "text": message.text or message.caption or "",
        "created_at": from_epoch(message.date),
        "received_at": received_at,
        "permalink": _permalink(message.chat, message.message_id),
    }
    key = f"telegram:{chat}:{message.message_id}"
    if _is_brand(message, brand):
        if parent and not edited:
            out.events.append(BusEvent(BrandReplied(**fields, in_reply_to=parent), key))
        else:
            out.ignore("telegram/brand-message")
    elif edited:
        out.events.append(BusEvent(CommentEdited(**fields), f"{key}:edit:{message.edit_date or message.date}"))
    else:
        out.events.append(BusEvent(CommentReceived(**fields), key))


def normalise_telegram(payload: dict[str, Any], brand: BrandAccounts, received_at: datetime) -> Normalised:
    """One update: a comment, an edit, or something acknowledged and counted (deletions never arrive)."""
    update = Update.model_validate(payload)
    out = Normalised()
    if update.message is not None:
        _message(update.message, brand, received_at, out, edited=False)
    elif update.edited_message is not None:
        _message(update.edited_message, brand, received_at, out, edited=True)
    else:
        kinds = sorted(set(payload) - {"update_id"})
        out.ignore(f"telegram/{kinds[0] if kinds else 'empty'}")
    return out
