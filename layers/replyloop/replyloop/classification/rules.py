"""Precedence between labels when several fire: at-risk wins, complaints beat sarcastic praise, ideas questions.

The rules work in place on a comment's weights (a list in LABELS order, then "sarcasm"), in this order:

1. complaint over praise: praise words around a complaint are sarcasm or politeness ("super, trzeci raz
   nie działa 👏"); with a sarcasm marker the complaint gains a bonus;
2. complaint over question: a question about a failure reports the failure ("kiedy w końcu oddacie
   moje pieniądze?!");
3. idea over question: "could you add dark mode?" asks for a feature, not for information;
4. question over praise: "thanks in advance", "great app, but how do I...";
5. strong toxic, then strong spam, dampen the rest (a vulgar complaint is toxic, polite spam is spam);
6. sensitive wins: at-risk messages get a help route whatever else they say;
7. "other" gets what "nothing fired" weighs.

Each rule that changes the outcome adds a `rule:` reason. Thresholds live in common.json (`rules`).
"""

from __future__ import annotations

from collections.abc import Mapping

from replyloop.models.classification import LABELS

__all__ = ["RULE_NAMES", "Thresholds", "apply"]

# The thresholds common.json must give (a deployment's file must keep every one).
RULE_NAMES = (
    "other_evidence",
    "sensitive_min",
    "complaint_over_praise_min",
    "praise_kept_under_complaint",
    "sarcasm_complaint_bonus",
    "complaint_over_question_min",
    "question_kept_under_complaint",
    "idea_over_question_min",
    "question_kept_under_idea",
    "question_over_praise_min",
    "praise_kept_under_question",
    "toxic_over_rest_min",
    "rest_kept_under_toxic",
    "spam_over_rest_min",
    "rest_kept_under_spam",
    "negated_praise_as_complaint",
)
_Q, _C, _I, _P, _T, _S, _SEN, _O = range(len(LABELS))
_SARCASM = len(LABELS)
assert LABELS == ("question", "complaint", "idea", "praise", "toxic", "spam", "sensitive", "other")
_BUT_SENSITIVE = tuple(index for index in range(len(LABELS)) if index != _SEN)
# The labels strong toxic or spam dampen.
_DAMPENED = (_C, _P, _Q, _I, _O)
# How far at-risk evidence is lifted above the strongest other label once it is strong enough.
_SENSITIVE_LEAD = 0.5


class Thresholds:
    """The rule thresholds of common.json, read once."""

    __slots__ = RULE_NAMES

    def __init__(self, rules: Mapping[str, float]) -> None:
        missing = [name for name in RULE_NAMES if name not in rules]
        if missing:
            raise ValueError(f"classification/common.json: rules {missing} are missing")
        for name in RULE_NAMES:
            setattr(self, name, float(rules[name]))


def _dampen(weights: list[float], kept: float) -> bool:
    """Complaint, praise, question, idea and other keep `kept` of their weight; whether one had any."""
    changed = False
    for other in _DAMPENED:
        if weights[other]:
            weights[other] *= kept
            changed = True
    return changed


def apply(weights: list[float], limits: Thresholds) -> tuple[list[str], bool]:
    """Apply the rules to `weights` in place: the `rule:` reasons that fired, and whether it was sarcasm."""
    fired: list[str] = []
    sarcastic = False
    if weights[_P] > 0 and weights[_C] >= limits.complaint_over_praise_min:
        weights[_P] *= limits.praise_kept_under_complaint
        if weights[_SARCASM] > 0:
            weights[_C] += limits.sarcasm_complaint_bonus
            fired.append("rule:sarcasm")
            sarcastic = True
        else:
            fired.append("rule:complaint-over-praise")
    question = weights[_Q]
    if question:
        if weights[_C] >= limits.complaint_over_question_min:
            question = weights[_Q] = question * limits.question_kept_under_complaint
            fired.append("rule:complaint-over-question")
        if weights[_I] >= limits.idea_over_question_min:
            question = weights[_Q] = question * limits.question_kept_under_idea
            fired.append("rule:idea-over-question")
        if weights[_P] > 0 and question >= limits.question_over_praise_min:
            weights[_P] *= limits.praise_kept_under_question
            fired.append("rule:question-over-praise")
    if weights[_T] >= limits.toxic_over_rest_min and _dampen(weights, limits.rest_kept_under_toxic):
        fired.append("rule:toxic-over-rest")
    if weights[_S] >= limits.spam_over_rest_min and _dampen(weights, limits.rest_kept_under_spam):
        fired.append("rule:spam-over-rest")
    if weights[_SEN] >= limits.sensitive_min:
        strongest_other = max(map(weights.__getitem__, _BUT_SENSITIVE))
        if strongest_other > 0:
            weights[_SEN] = max(weights[_SEN], strongest_other + _SENSITIVE_LEAD)
            fired.append("rule:sensitive-wins")
    weights[_O] += limits.other_evidence
    return fired, sarcastic
