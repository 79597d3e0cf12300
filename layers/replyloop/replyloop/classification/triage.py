"""The classify use case: one received comment -> one CommentClassified on the bus, exactly once."""

from __future__ import annotations

from dataclasses import dataclass

from replyloop.classification.classifier import classify
from replyloop.classification.ports import Ledger, Publisher, SecondOpinion
from replyloop.classification.second_opinion import Reviewed, review_if_unsure
from replyloop.models.events import BusEvent, CommentClassified, CommentReceived

__all__ = ["PublishFailed", "Triage", "Triaged", "dedup_key"]


class PublishFailed(RuntimeError):
    """The CommentClassified event could not be put on the bus (the invocation fails and is retried)."""


def dedup_key(comment: CommentReceived) -> str:
    """Platform ids only: logged and stored in the idempotency table, never text."""
    return f"{comment.platform}:{comment.comment_id}"


@dataclass(frozen=True, slots=True)
class Triaged:
    """What happened to one comment: nothing (a duplicate), or its event and how the second opinion went."""

    key: str
    detail: CommentClassified | None = None
    review: Reviewed | None = None

    @property
    def duplicate(self) -> bool:
        return self.detail is None


@dataclass(frozen=True)
class Triage:
    """Classify, ask for a second opinion when unsure, publish; claimed in the ledger so redeliveries do nothing."""

    ledger: Ledger
    publisher: Publisher
    second_opinion: SecondOpinion | None = None
    second_opinion_below: float = 0.55

    def handle(self, comment: CommentReceived) -> Triaged:
        key = dedup_key(comment)
        if not self.ledger.claim(key):
            return Triaged(key)
        try:
            review = review_if_unsure(
                comment.text, classify(comment.text), self.second_opinion, below=self.second_opinion_below
            )
            detail = CommentClassified(comment=comment, classification=review.classification)
            if self.publisher.publish([BusEvent(detail, key)]):
                raise PublishFailed(f"CommentClassified {key} was not put on the bus")
        except BaseException:
            self.ledger.release(key)
            raise
        self.ledger.complete(key)
        return Triaged(key, detail, review)
