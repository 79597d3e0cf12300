"""In-memory fakes of the reactions' ports, and a builder of CommentClassified details for tests."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from replyloop.models.classification import LABELS, Classification, Label
from replyloop.models.events import Author, BusEvent, CommentClassified, CommentReceived, Platform
from replyloop.reactions.actions import CommentRef, FailedAction, PlatformError
from replyloop.reactions.ports import Slot

__all__ = [
    "NOW",
    "MemoryDeadLetters",
    "MemoryRateLimiter",
    "MemorySlowModes",
    "RecordingPlatform",
    "classified",
    "details",
]

NOW = datetime(2026, 1, 12, 9, 30, tzinfo=UTC)


def classified(
    label: Label,
    text: str,
    *,
    lang: str = "pl",
    platform: Platform = "facebook",
    comment_id: str = "2002_3101",
    thread_id: str = "1001_2002",
    author_id: str = "4101",
    created_at: datetime = NOW,
    parent_id: str | None = None,
) -> CommentClassified:
    comment = CommentReceived(
        platform=platform,
        comment_id=comment_id,
        thread_id=thread_id,
        parent_id=parent_id,
        author=Author(id=author_id, handle="someone"),
        text=text,
        created_at=created_at,
        received_at=created_at,
    )
    classification = Classification(
        label=label,
        scores={other: (0.9 if other == label else 0.01) for other in LABELS},
        confidence=0.9,
        lang=lang,
        reasons=["test"],
        needs_response=label in ("question", "complaint", "sensitive"),
        priority="normal",
        team="support",
    )
    return CommentClassified(comment=comment, classification=classification)


@dataclass
class MemoryRateLimiter:
    """Fixed windows like the DynamoDB adapter; all-or-nothing across slots."""

    hits: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def acquire(self, slots: Sequence[Slot], now: datetime) -> Slot | None:
        epoch = int(now.timestamp())
        keys = [f"{slot.key}#{epoch - epoch % slot.window_seconds}" for slot in slots]
        for slot, key in zip(slots, keys, strict=True):
            if self.hits[key] >= slot.limit:
                return slot
        for key in keys:
            self.hits[key] += 1
        return None


@dataclass
class MemorySlowModes:
    toxic: dict[str, list[datetime]] = field(default_factory=lambda: defaultdict(list))
    until: dict[str, datetime] = field(default_factory=dict)
    reminded: set[str] = field(default_factory=set)

    def record_toxic(self, thread: str, now: datetime, window_seconds: int) -> int:
        self.toxic[thread].append(now)
        return sum(1 for at in self.toxic[thread] if (now - at).total_seconds() < window_seconds)

    def start(self, thread: str, now: datetime, duration_seconds: int) -> bool:
        active = thread in self.until and self.until[thread] > now
        self.until[thread] = now + timedelta(seconds=duration_seconds)
        if not active:
            self.reminded.discard(thread)
        return not active

    def claim_reminder(self, thread: str, now: datetime) -> bool:
        if thread in self.reminded or self.until.get(thread, now) <= now:
            return False
        self.reminded.add(thread)
        return True


@dataclass
class RecordingPlatform:
    """Records calls as (method, comment id, text); raises `error` for the methods in `failing`."""

    calls: list[tuple[str, str, str | None]] = field(default_factory=list)
    failing: set[str] = field(default_factory=set)
    error: PlatformError = field(default_factory=lambda: PlatformError("meta reply: HTTP 500 after 3 attempts"))

    def _record(self, method: str, comment: CommentRef, text: str | None) -> None:
        self.calls.append((method, comment.comment_id, text))
        if method in self.failing:
            raise self.error

    def reply(self, comment: CommentRef, text: str) -> str:
        self._record("reply", comment, text)
        return f"reply-to-{comment.comment_id}"

    def hide(self, comment: CommentRef) -> None:
        self._record("hide", comment, None)

    def post_to_thread(self, comment: CommentRef, text: str) -> str:
        self._record("post_to_thread", comment, text)
        return f"post-in-{comment.thread_id}"


@dataclass
class MemoryDeadLetters:
    actions: list[FailedAction] = field(default_factory=list)
    events: list[BusEvent] = field(default_factory=list)
    explode: Exception | None = None

    def failed_action(self, failed: FailedAction) -> None:
        if self.explode is not None:
            raise self.explode
        self.actions.append(failed)

    def unpublished(self, events: Sequence[BusEvent]) -> None:
        self.events.extend(events)


def details(events: Sequence[Any]) -> list[tuple[str, str]]:
    """(action, outcome) of each ReactionPerformed, the shape most assertions want."""
    return [(event.action, event.outcome) for event in events]
