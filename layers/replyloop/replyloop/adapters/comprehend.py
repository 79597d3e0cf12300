"""Amazon Comprehend as a second opinion: toxic content and sentiment for English comments."""

from __future__ import annotations

from typing import Any

from replyloop.adapters.aws import LazyClient
from replyloop.classification.second_opinion import relabel
from replyloop.models.classification import Classification

__all__ = ["ComprehendSecondOpinion"]

# DetectToxicContent takes English only (its LanguageCode list is longer, but the model is English).
LANGUAGES = frozenset({"en"})
# DetectToxicContent: at most 1 KB per segment. DetectSentiment: 5 KB.
_SEGMENT_BYTES = 1000
_SENTIMENT_BYTES = 4900


def _cut(text: str, limit: int) -> str:
    return text.encode("utf-8")[:limit].decode("utf-8", errors="ignore")


class ComprehendSecondOpinion:
    """The domain's SecondOpinion port: toxicity wins first; then sentiment confirms or corrects praise/complaint."""

    name = "comprehend"
    client = LazyClient("comprehend", quick=True)

    def __init__(
        self, *, client: Any = None, toxicity_threshold: float = 0.5, sentiment_threshold: float = 0.75
    ) -> None:
        self._client = client
        self._toxicity = toxicity_threshold
        self._sentiment = sentiment_threshold

    def review(self, text: str, lang: str, first: Classification) -> Classification | None:
        if lang not in LANGUAGES or not text.strip():
            return None
        toxic = self.client.detect_toxic_content(TextSegments=[{"Text": _cut(text, _SEGMENT_BYTES)}], LanguageCode=lang)
        toxicity = float(toxic["ResultList"][0]["Toxicity"])
        if toxicity >= self._toxicity:
            return relabel(
                first, "toxic", backend=self.name, confidence=toxicity, reason=f"comprehend:toxicity:{toxicity:.2f}"
            )
        answer = self.client.detect_sentiment(Text=_cut(text, _SENTIMENT_BYTES), LanguageCode=lang)
        sentiment = answer["Sentiment"]
        score = float(answer["SentimentScore"].get(sentiment.capitalize(), 0.0))
        if score < self._sentiment:
            return None
        reason = f"comprehend:sentiment:{sentiment.lower()}:{score:.2f}"
        # Negative sentiment turns chit-chat or (sarcastic) praise into a complaint; positive only confirms praise
        # or lifts chit-chat, never cancels a complaint.
        if sentiment == "NEGATIVE" and first.label in ("other", "praise", "complaint"):
            return relabel(first, "complaint", backend=self.name, confidence=score, reason=reason)
        if sentiment == "POSITIVE" and first.label in ("other", "praise"):
            return relabel(first, "praise", backend=self.name, confidence=score, reason=reason)
        return None
