"""What fires in a comment: lexicon cues, clause openers, special patterns, emoji, question marks and negation."""

from __future__ import annotations

from dataclasses import dataclass, field

from replyloop.classification.lexicon import Entry, Lexicon
from replyloop.classification.normalise import Prepared
from replyloop.models.classification import LABELS

__all__ = ["Evidence", "gather"]

# How far back a negator still turns praise around ("nie jest super", "not very good").
_NEGATION_WINDOW = 2
_ZERO = dict.fromkeys((*LABELS, "sarcasm", "neutral"), 0.0)
_NEGATED = "negated:"


@dataclass(slots=True)
class Evidence:
    """Weight per label (plus 'sarcasm'), and what fired: cues to be named in the comment's language, notes and rules.

    Cues are named only once the language is known (a cue in both lexicons is reported in the comment's).
    """

    weights: dict[str, float]
    cues: list[tuple[str, Entry]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    sarcasm: list[Entry] = field(default_factory=list)
    sarcasm_notes: list[str] = field(default_factory=list)
    sarcastic: bool = False
    votes: dict[str, int] = field(default_factory=dict)

    def reasons(self, lang: str) -> list[str]:
        """Every reason in firing order (cues, openers, patterns, emoji, punctuation), then the rules."""
        named = [prefix + entry.reason(lang) for prefix, entry in self.cues]
        sarcasm = [entry.reason(lang) for entry in self.sarcasm] + self.sarcasm_notes if self.sarcastic else []
        return named + self.notes + self.rules + sarcasm


def _negated(canon: str, start: int, entry: Entry, lexicon: Lexicon) -> bool:
    before = canon[max(0, start - 40) : start].split()[-_NEGATION_WINDOW:]
    for word in reversed(before):
        if not word[0].isalnum():
            return False  # clause punctuation: the negation belongs to another clause
        if any(word in lexicon.negators[lang] for lang in entry.langs):
            return True
    return False


def gather(prepared: Prepared, lexicon: Lexicon) -> Evidence:
    """One regex pass for cues and one for clause openers, then patterns, emoji and punctuation, as weights.

    A cue that exists in one language only also votes for that language.
    """
    canon = prepared.canon
    weights = _ZERO.copy()
    evidence = Evidence(weights)
    cues, votes = evidence.cues, evidence.votes
    lookup = lexicon.cues.lookup
    for match in lexicon.cues.regex.finditer(canon):
        entries = lookup(match.group(1))
        if not entries:
            continue
        if len(entries[0].langs) == 1:
            votes[entries[0].langs[0]] = votes.get(entries[0].langs[0], 0) + 1
        for entry in entries:
            label = entry.label
            if label == "praise" and _negated(canon, match.start(1), entry, lexicon):
                weights["complaint"] += entry.weight * lexicon.rules.get("negated_praise_as_complaint", 0.8)
                cues.append((_NEGATED, entry))
                continue
            weights[label] += entry.weight
            if label == "sarcasm":
                evidence.sarcasm.append(entry)
            elif label != "neutral":
                cues.append(("", entry))
    lookup = lexicon.openers.lookup
    for match in lexicon.openers.regex.finditer(canon):
        for entry in lookup(match.group(1)):
            if entry.label != "neutral":
                weights[entry.label] += entry.weight
                cues.append(("", entry))
    _gather_notes(prepared, lexicon, evidence)
    return evidence


def _gather_notes(prepared: Prepared, lexicon: Lexicon, evidence: Evidence) -> None:
    weights, notes = evidence.weights, evidence.notes
    for special in prepared.specials:
        weights[special.label] += special.weight
        notes.append(f"pattern:{special.name}")
    if prepared.emoji:
        if not prepared.words:
            notes.append("rule:emoji-only")  # whatever the emoji, a reaction without words is chit-chat
        else:
            for char in prepared.emoji:
                label = lexicon.emoji[char]
                weights[label] += lexicon.emoji_weight
                (evidence.sarcasm_notes if label == "sarcasm" else notes).append(f"emoji:{label}:{char}")
    if prepared.question_marks:
        weights["question"] += lexicon.question_mark_weight
        notes.append("punct:question-mark")
    notes.extend(f"deobfuscated:{lang}:{word}" for word, lang in prepared.deobfuscated)
