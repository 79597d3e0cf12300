"""Pydantic models shared by every function: the details of the bus events."""

from replyloop.models.classification import LABELS, Classification, Label
from replyloop.models.events import (
    DETAIL_TYPES,
    Author,
    BrandReplied,
    BusEvent,
    CommentClassified,
    CommentDeleted,
    CommentEdited,
    CommentReceived,
    Platform,
    ReactionPerformed,
)

__all__ = [
    "DETAIL_TYPES",
    "LABELS",
    "Author",
    "BrandReplied",
    "BusEvent",
    "Classification",
    "CommentClassified",
    "CommentDeleted",
    "CommentEdited",
    "CommentReceived",
    "Label",
    "Platform",
    "ReactionPerformed",
]
