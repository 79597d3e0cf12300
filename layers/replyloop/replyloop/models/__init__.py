"""Pydantic models shared by every function: the details of the bus events."""

from replyloop.models.classification import LABELS, Classification, Label
from replyloop.models.events import (
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
from replyloop.models.registry import DETAIL_TYPES

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
