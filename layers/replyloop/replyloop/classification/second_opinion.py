"""When and how a second opinion changes a classification: only below a confidence, never away from 'sensitive'."""

from __future__ import annotations

from dataclasses import dataclass

from replyloop.classification.ports import SecondOpinion
from replyloop.classification.routing import route
from replyloop.models.classification import Classification, Label

__all__ = ["Reviewed", "relabel", "review_if_unsure"]


@dataclass(frozen=True, slots=True)
class Reviewed:
    """The classification to use, whether a backend gave an opinion, and why it failed if it did."""

    classification: Classification
    consulted: bool = False
    failure: str | None = None


def relabel(first: Classification, label: Label, *, backend: str, confidence: float, reason: str) -> Classification:
    """`first` with the backend's label (or its agreement): re-routed, the label's score the highest, reason added."""
    scores = dict(first.scores)
    strongest_other = max((score for name, score in scores.items() if name != label), default=0.0)
    scores[label] = round(min(1.0, max(scores[label], confidence, strongest_other)), 3)
    target = route(label)
    return first.model_copy(
        update={
            "label": label,
            "scores": scores,
            "confidence": round(max(first.confidence if label == first.label else 0.0, confidence), 3),
            "reasons": [*first.reasons, reason],
            "needs_response": target.needs_response,
            "priority": target.priority,
            "team": target.team,
            "second_opinion": backend,
        }
    )


def review_if_unsure(text: str, first: Classification, backend: SecondOpinion | None, *, below: float) -> Reviewed:
    """Ask `backend` about `first` only when its confidence is under `below`; a failing backend changes nothing.

    An at-risk comment keeps its help route whatever the backend says: 'sensitive' is never reviewed.
    """
    if backend is None or first.confidence >= below or first.label == "sensitive":
        return Reviewed(first)
    try:
        second = backend.review(text, first.lang, first)
    except Exception as error:  # any backend failure keeps the first opinion
        return Reviewed(first, failure=f"{type(error).__name__}: {error}"[:300])
    if second is None:
        return Reviewed(first)
    return Reviewed(second, consulted=True)
