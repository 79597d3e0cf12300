"""What classification needs from the outside world: a second opinion, an idempotency ledger and the bus."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from replyloop.models.classification import Classification
from replyloop.models.events import BusEvent

__all__ = ["Ledger", "Publisher", "SecondOpinion"]


class SecondOpinion(Protocol):
    """A slower classifier (Amazon Comprehend, an LLM on Amazon Bedrock) consulted on low-confidence comments."""

    name: str

    def review(self, text: str, lang: str, first: Classification) -> Classification | None:
        """A revised classification (recording `second_opinion`), or None when it has no opinion; may raise."""


class Ledger(Protocol):
    """Remembers which comments were classified, so a redelivered event puts nothing twice."""

    def claim(self, key: str) -> bool:
        """True if the key is new and now ours; False if it was already done or is being done."""

    def complete(self, key: str) -> None: ...

    def release(self, key: str) -> None:
        """Give the key back after a failure, so that the retry goes through."""


class Publisher(Protocol):
    def publish(self, events: Sequence[BusEvent]) -> list[BusEvent]:
        """Put events on the bus; return those that still failed after retries."""
