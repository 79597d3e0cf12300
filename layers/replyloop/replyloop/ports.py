"""Ports every flow shares: the event bus, and the idempotency ledger that makes redeliveries do nothing twice.

Each flow re-exports the ones it uses next to those only it needs (its `ports` module; ingest's `intake`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from replyloop.models.events import BusEvent

__all__ = ["Ledger", "Publisher"]


class Ledger(Protocol):
    """Remembers which events or changes were handled, so a redelivery does nothing twice."""

    def claim(self, key: str) -> bool:
        """True if the key is new and now ours; False if it was already done or is being done."""

    def complete(self, key: str) -> None:
        """Mark the claim done: a redelivery of the same key is now a duplicate."""

    def release(self, key: str) -> None:
        """Forget a claim whose work did not happen (e.g. its event did not reach the bus), so a retry goes through."""


class Publisher(Protocol):
    def publish(self, events: Sequence[BusEvent]) -> list[BusEvent]:
        """Put events on the bus; return those that still failed after retries."""
