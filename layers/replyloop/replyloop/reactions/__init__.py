"""Reactions: what Replyloop does with a classified comment (hide, answer, help route, thanks), as policy data."""

from replyloop.reactions.actions import ActionRequest, CommentRef, FailedAction, PlatformError
from replyloop.reactions.decision import Decider, Plan
from replyloop.reactions.ports import (
    DeadLetters,
    Ledger,
    PlatformClient,
    Publisher,
    RateLimiter,
    Slot,
    SlowModeStore,
)
from replyloop.reactions.reactor import Mode, Reacted, Reactor

__all__ = [
    "ActionRequest",
    "CommentRef",
    "DeadLetters",
    "Decider",
    "FailedAction",
    "Ledger",
    "Mode",
    "Plan",
    "PlatformClient",
    "PlatformError",
    "Publisher",
    "RateLimiter",
    "Reacted",
    "Reactor",
    "Slot",
    "SlowModeStore",
]
