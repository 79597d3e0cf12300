"""Pydantic models shared by every function: the details of the bus events."""

from replyloop.models.events import (
    DETAIL_TYPES,
    Author,
    BrandReplied,
    BusEvent,
    CommentDeleted,
    CommentEdited,
    CommentReceived,
    Platform,
)

__all__ = [
    "DETAIL_TYPES",
    "Author",
    "BrandReplied",
    "BusEvent",
    "CommentDeleted",
    "CommentEdited",
    "CommentReceived",
    "Platform",
]
