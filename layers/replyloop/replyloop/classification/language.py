"""Which language a comment is in (pl, en or und), from Polish letters, stop words and language-specific cues."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from replyloop.classification.lexicon import Lexicon, current
from replyloop.classification.normalise import prepare

__all__ = ["UNDETERMINED", "decide_language", "detect_language"]

UNDETERMINED = "und"
# Polish letters are the strongest cue, but a name with one "ł" in an English comment must not decide it.
_LETTER_WEIGHT = 1.5
_LETTER_CAP = 4


def decide_language(words: Iterable[str], polish_letters: int, cue_votes: Mapping[str, int], lexicon: Lexicon) -> str:
    """The language with the most evidence; 'und' when there is none or a tie."""
    unique = set(words)
    best, best_score, tied = UNDETERMINED, 0.0, False
    for code, language in lexicon.languages.items():
        score = len(unique & language.stop_words) + cue_votes.get(code, 0)
        if code == "pl":
            score += _LETTER_WEIGHT * min(polish_letters, _LETTER_CAP)
        if score > best_score:
            best, best_score, tied = code, score, False
        elif score == best_score and score > 0:
            tied = True
    return UNDETERMINED if tied else best


def detect_language(text: str) -> str:
    """The language of `text` from stop words and letters alone ('pl', 'en' or 'und')."""
    lexicon = current()
    prepared = prepare(text, lexicon)
    return decide_language(prepared.canon.split(), prepared.polish_letters, {}, lexicon)
