"""The ports of the reactions use case: what it needs from storage, the bus and the platforms."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from replyloop.models.events import BusEvent
from replyloop.ports import Ledger, Publisher
from replyloop.reactions.actions import CommentRef, FailedAction

__all__ = ["DeadLetters", "Ledger", "PlatformClient", "Publisher", "RateLimiter", "Slot", "SlowModeStore"]


@dataclass(frozen=True, slots=True)
class Slot:
    """One frequency limit as it applies to one author or thread: `key` names the counter."""

    name: str
    key: str
    limit: int
    window_seconds: int


class RateLimiter(Protocol):
    def acquire(self, slots: Sequence[Slot], now: datetime) -> Slot | None:
        """Count one reply in every slot, all or nothing; return the first full slot (nothing counted) or None."""


class SlowModeStore(Protocol):
    """Per-thread moderation state; `thread` is '<platform>#<thread id>'."""

    def record_toxic(self, thread: str, now: datetime, window_seconds: int) -> int:
        """Note one toxic comment; return how many the thread had in the last `window_seconds`, this one included."""

    def start(self, thread: str, now: datetime, duration_seconds: int) -> bool:
        """Put the thread in slow mode until now + duration; True only if this call began a new period."""

    def claim_reminder(self, thread: str, now: datetime) -> bool:
        """True exactly once per slow-mode period: the caller then posts the rules reminder."""


class PlatformClient(Protocol):
    """A platform's comment API; every method raises PlatformError when the call failed for good."""

    def reply(self, comment: CommentRef, text: str) -> str:
        """Answer under the comment; return the platform's id of the reply."""

    def hide(self, comment: CommentRef) -> None:
        """Hide the comment from the public (Telegram: delete it)."""

    def post_to_thread(self, comment: CommentRef, text: str) -> str:
        """Post to the thread the comment belongs to (not under the comment); return the post's id."""


class DeadLetters(Protocol):
    """Where work that failed is kept for an operator to redrive; raises if it cannot keep it."""

    def failed_action(self, failed: FailedAction) -> None: ...

    def unpublished(self, events: Sequence[BusEvent]) -> None: ...
