"""Which second-opinion backend a deployment uses (CLASSIFIER_SECOND_OPINION): none, Comprehend or Bedrock."""

from __future__ import annotations

from replyloop.adapters.bedrock import DEFAULT_MODEL_ID, BedrockSecondOpinion
from replyloop.adapters.comprehend import ComprehendSecondOpinion
from replyloop.classification.ports import SecondOpinion

__all__ = ["make_second_opinion"]


def make_second_opinion(backend: str, *, bedrock_model_id: str | None = None) -> SecondOpinion | None:
    """The backend named by `backend` ('off', 'comprehend' or 'bedrock'); clients are made on first use."""
    if backend == "off":
        return None
    if backend == "comprehend":
        return ComprehendSecondOpinion()
    if backend == "bedrock":
        return BedrockSecondOpinion(bedrock_model_id or DEFAULT_MODEL_ID)
    raise ValueError(f"unknown second-opinion backend {backend!r}: use off, comprehend or bedrock")
