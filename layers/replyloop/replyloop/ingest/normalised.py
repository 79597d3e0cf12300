"""What normalising one delivery yields, and small conversions every platform needs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from replyloop.models.events import BusEvent


@dataclass(slots=True)
class Normalised:
    """The events of one delivery, plus the kinds of change we acknowledged but do not handle."""

    events: list[BusEvent] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    def ignore(self, kind: str) -> None:
        """Record an unhandled change by kind only (e.g. `feed/reaction`): no ids, no text."""
        self.ignored.append(kind)


def from_epoch(seconds: float) -> datetime:
    """A platform's Unix time; out of datetime's range is a malformed body (ValueError), not a crash."""
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError) as error:
        raise ValueError(f"timestamp {seconds} is out of range") from error
