"""Pydantic models shared by every function: the details of the bus events."""

from typing import Any

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


def __getattr__(name: str) -> Any:
    # The registry imports every model module (cases, ideas, KPIs, summary...): only on demand, so that a
    # handler importing one model does not build them all (tests/bench/cold_start.py).
    if name == "DETAIL_TYPES":
        from replyloop.models.registry import DETAIL_TYPES

        return DETAIL_TYPES
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
