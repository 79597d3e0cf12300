"""Near-duplicate ideas: the same request in other words, letter case, diacritics or inflection, in one language.

A comment becomes a *signature*: the sorted concepts of its text (see `Lexicon`). Two
signatures are compared with a weighted Dice coefficient,

    score = 2 * W(shared) / (W(a) + W(b)),   W = sum of weights: a concept 1.0 unless the lexicon says
                                             less; a word the lexicon does not know `unknown_weight`,

and are the same idea only when all of these hold (precision first: merging two different
ideas is worse than missing a duplicate):

1. no contrast group is split: if each side names a member of a group the other does not
   (BLIK vs Apple Pay, deposits vs withdrawals, app vs website), they are different requests;
2. the shared weight is at least `min_shared_weight` (one full concept, not just "app");
3. the score is at least `threshold` (policy.json; tuned on the dev split of tests/data/ideas).

Words outside the lexicon weigh less because they are mostly the comment's own colour
("wreszcie", "my eyes would thank you"), while the concepts name the product.

Every verdict carries its reason in words an operator can check.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from replyloop.ideas.lexicon import Lexicon, load_lexicon
from replyloop.ideas.policy import IdeasPolicy

__all__ = ["Candidate", "Match", "Matcher", "Verdict", "compare"]

Signature = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Verdict:
    """The comparison of two signatures."""

    duplicate: bool
    score: float
    reason: str
    shared: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Candidate:
    """An existing idea as the matcher sees it: its number and the signatures it can be matched on."""

    idea_id: str
    number: int
    votes: int
    signatures: tuple[Signature, ...]


@dataclass(frozen=True, slots=True)
class Match:
    candidate: Candidate
    verdict: Verdict


def _split_contrast(lexicon: Lexicon, a: frozenset[str], b: frozenset[str]) -> str | None:
    for group, members in lexicon.contrasts.items():
        only_a, only_b = (a - b) & members, (b - a) & members
        if only_a and only_b:
            return f"different {group.replace('_', ' ')}: {', '.join(sorted(only_a))} vs {', '.join(sorted(only_b))}"
    return None


def compare(a: Iterable[str], b: Iterable[str], lexicon: Lexicon, policy: IdeasPolicy) -> Verdict:
    """Are two signatures the same idea? The score is reported even when a rule vetoes the merge."""
    left, right = frozenset(a), frozenset(b)
    if not left or not right:
        return Verdict(False, 0.0, "nothing to compare: no content words")
    shared = left & right

    def weigh(concepts: frozenset[str]) -> float:
        return sum(lexicon.weight(concept, policy.unknown_weight) for concept in concepts)

    total = weigh(left) + weigh(right)
    shared_weight = weigh(shared)
    score = round(2 * shared_weight / total, 3)
    names = ", ".join(sorted(shared)) or "nothing"
    contrast = _split_contrast(lexicon, left, right)
    if contrast is not None:
        return Verdict(False, score, contrast, tuple(sorted(shared)))
    if shared_weight < policy.min_shared_weight:
        return Verdict(False, score, f"shared {names}: too little in common", tuple(sorted(shared)))
    if score < policy.threshold:
        return Verdict(False, score, f"shared {names}; {score:.2f} < {policy.threshold:.2f}", tuple(sorted(shared)))
    return Verdict(True, score, f"shared {names}; {score:.2f} >= {policy.threshold:.2f}", tuple(sorted(shared)))


class Matcher:
    """Signatures and the best existing idea for a new comment, with one policy and per-language lexicons."""

    def __init__(self, policy: IdeasPolicy) -> None:
        self.policy = policy

    def signature(self, text: str, lang: str) -> Signature:
        return tuple(sorted(load_lexicon(lang).concepts(text)))

    def compare_texts(self, a: str, b: str, lang: str) -> Verdict:
        lexicon = load_lexicon(lang)
        return compare(lexicon.concepts(a), lexicon.concepts(b), lexicon, self.policy)

    def best(self, signature: Signature, candidates: Sequence[Candidate], lang: str) -> Match | None:
        """The most similar candidate that is a duplicate (ties: more votes, then the older idea), or None."""
        lexicon = load_lexicon(lang)
        found: list[tuple[float, int, int, Match]] = []
        for candidate in candidates:
            verdicts = [compare(signature, other, lexicon, self.policy) for other in candidate.signatures]
            duplicates = [verdict for verdict in verdicts if verdict.duplicate]
            if duplicates:
                verdict = max(duplicates, key=lambda v: v.score)
                found.append((verdict.score, candidate.votes, -candidate.number, Match(candidate, verdict)))
        if not found:
            return None
        return max(found, key=lambda entry: entry[:3])[3]
