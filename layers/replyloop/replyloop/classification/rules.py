"""Precedence between labels when several fire: at-risk wins, complaints beat sarcastic praise, ideas questions."""

from __future__ import annotations

from collections.abc import Mapping

from replyloop.classification.features import Evidence
from replyloop.models.classification import LABELS

__all__ = ["apply_rules"]

_BUT_SENSITIVE = tuple(label for label in LABELS if label != "sensitive")
_UNDER_SPAM = ("complaint", "praise", "question", "idea", "other")
_UNDER_TOXIC = ("complaint", "praise", "question", "idea", "other")
# How far at-risk evidence is lifted above the strongest other label once it is strong enough.
_SENSITIVE_LEAD = 0.5


# (winner, its minimum weight, loser, the share of the loser's weight kept, reason), applied in this order.
_PAIRS = (
    # "kiedy w końcu oddacie moje pieniądze?!": a question about a failure reports the failure.
    (
        "complaint",
        "complaint_over_question_min",
        "question",
        "question_kept_under_complaint",
        "complaint-over-question",
    ),
    # "could you add dark mode?" asks for a feature, not for information.
    ("idea", "idea_over_question_min", "question", "question_kept_under_idea", "idea-over-question"),
    # "thanks in advance" and "great app, but how do I..." are questions.
    ("question", "question_over_praise_min", "praise", "praise_kept_under_question", "question-over-praise"),
)
# (label, its minimum weight, the labels it dampens, the share they keep, reason).
_DOMINANT = (
    # Strong vulgarity makes a comment toxic even when it is also a complaint.
    ("toxic", "toxic_over_rest_min", _UNDER_TOXIC, "rest_kept_under_toxic", "toxic-over-rest"),
    # Spam stays spam when it is polite or praises the brand.
    ("spam", "spam_over_rest_min", _UNDER_SPAM, "rest_kept_under_spam", "spam-over-rest"),
)


def _complaint_over_praise(evidence: Evidence, rules: Mapping[str, float]) -> None:
    """ "super, trzeci raz nie działa 👏": praise words around a complaint are sarcasm or politeness."""
    weights = evidence.weights
    if weights["complaint"] >= rules["complaint_over_praise_min"] and weights["praise"] > 0:
        weights["praise"] *= rules["praise_kept_under_complaint"]
        if weights["sarcasm"] > 0:
            weights["complaint"] += rules["sarcasm_complaint_bonus"]
            evidence.rules.append("rule:sarcasm")
            evidence.sarcastic = True
        else:
            evidence.rules.append("rule:complaint-over-praise")


def _sensitive_wins(evidence: Evidence, rules: Mapping[str, float]) -> None:
    """At-risk messages get a help route whatever else they say."""
    weights = evidence.weights
    if weights["sensitive"] >= rules["sensitive_min"]:
        strongest_other = max(weights[label] for label in _BUT_SENSITIVE)
        if strongest_other > 0:
            weights["sensitive"] = max(weights["sensitive"], strongest_other + _SENSITIVE_LEAD)
            evidence.rules.append("rule:sensitive-wins")


def apply_rules(evidence: Evidence, rules: Mapping[str, float]) -> None:
    """Adjust the weights in place, each rule adding a `rule:` reason when it changes the outcome."""
    weights = evidence.weights
    _complaint_over_praise(evidence, rules)
    for winner, minimum, loser, kept, reason in _PAIRS:
        if weights[winner] >= rules[minimum] and weights[loser] > 0:
            weights[loser] *= rules[kept]
            evidence.rules.append(f"rule:{reason}")
    for label, minimum, dampened, kept, reason in _DOMINANT:
        if weights[label] >= rules[minimum]:
            for other in dampened:
                weights[other] *= rules[kept]
            if any(weights[other] for other in dampened):
                evidence.rules.append(f"rule:{reason}")
    _sensitive_wins(evidence, rules)
    weights["other"] += rules["other_evidence"]
