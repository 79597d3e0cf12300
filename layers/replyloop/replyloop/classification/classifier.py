"""The rule-based classifier: one comment in, one explained `Classification` out, with no network call."""

from __future__ import annotations

import math

from replyloop.classification.features import gather
from replyloop.classification.language import decide_language
from replyloop.classification.lexicon import load_lexicon
from replyloop.classification.normalise import prepare
from replyloop.classification.routing import load_routes
from replyloop.classification.rules import apply_rules
from replyloop.data import override_dir
from replyloop.models.classification import LABELS, Classification, Label

__all__ = ["PRECEDENCE", "classify", "confidence_of", "score_of"]

# Tie-break order: the label that needs the most care first.
PRECEDENCE: tuple[Label, ...] = ("sensitive", "toxic", "spam", "complaint", "idea", "question", "praise", "other")
NO_EVIDENCE = "rule:no-evidence"
_NO_SCORES: dict[Label, float] = dict.fromkeys(LABELS, 0.0)
_MAX_REASONS = 16


def score_of(weight: float) -> float:
    """Evidence adds up with diminishing returns: 1 cue of weight 1 -> 0.63, two -> 0.86."""
    return round(1.0 - math.exp(-weight), 3) if weight > 0 else 0.0


def confidence_of(scores: dict[Label, float]) -> float:
    """The top score, discounted by half the runner-up: a clear margin is confident, a close call is not."""
    top, second = sorted(scores.values(), reverse=True)[:2]
    return round(max(0.0, top - second / 2), 3)


def classify(text: str, *, lang: str | None = None) -> Classification:
    """Label `text` (Polish or English); `lang` overrides language detection."""
    data_dir = override_dir()
    lexicon = load_lexicon(data_dir)
    prepared = prepare(text, lexicon)
    evidence = gather(prepared, lexicon)
    language = lang.strip().lower() if lang else None
    if not language:
        language = decide_language(prepared.canon.split(), prepared.polish_letters, evidence.votes, lexicon)
    apply_rules(evidence, lexicon.rules)
    scores = dict(_NO_SCORES)
    for name, weight in evidence.weights.items():
        if weight > 0 and name in scores:
            scores[name] = score_of(weight)  # type: ignore[index]
    label = max(PRECEDENCE, key=scores.__getitem__)
    route = load_routes(data_dir)[label]
    reasons = list(dict.fromkeys(evidence.reasons(language)))[:_MAX_REASONS] or [NO_EVIDENCE]
    # Validated on the way out: pydantic's validator is also faster than `model_construct` here.
    return Classification(
        label=label,
        scores=scores,
        confidence=confidence_of(scores),
        lang=language,
        reasons=reasons,
        needs_response=route.needs_response,
        priority=route.priority,
        team=route.team,
    )
