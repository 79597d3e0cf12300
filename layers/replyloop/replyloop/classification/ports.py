"""What classification needs from the outside world: a second opinion, an idempotency ledger and the bus."""

from __future__ import annotations

from typing import Protocol

from replyloop.models.classification import Classification
from replyloop.ports import Ledger, Publisher

__all__ = ["Ledger", "Publisher", "SecondOpinion"]


class SecondOpinion(Protocol):
    """A slower classifier (Amazon Comprehend, an LLM on Amazon Bedrock) consulted on low-confidence comments."""

    name: str

    def review(self, text: str, lang: str, first: Classification) -> Classification | None:
        """A revised classification (recording `second_opinion`), or None when it has no opinion; may raise."""
