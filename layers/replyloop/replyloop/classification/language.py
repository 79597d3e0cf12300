"""Which language a comment is in (pl, en or und), from Polish letters, stop words and language-specific cues."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from replyloop.classification.lexicon import UNDETERMINED, Lexicon

__all__ = ["UNDETERMINED", "decide_language", "detect_language"]

# Polish letters are the strongest cue, but a name with one "ł" in an English comment must not decide it.
LETTER_WEIGHT = 1.5
LETTER_CAP = 4


def decide_language(
    tokens: Sequence[str], polish_letters: int, cue_votes: Mapping[str, float], lexicon: Lexicon
) -> str:
    """The language with the most evidence (distinct stop words, Polish letters for pl, and the votes of cues
    that exist in one language only); 'und' when there is none or a tie. engine.py does the same inline."""
    best, best_score, tied = UNDETERMINED, 0.0, False
    for code, language in lexicon.languages.items():
        score = len(language.stop_words.intersection(tokens)) + cue_votes.get(code, 0)
        if polish_letters and code == "pl":
            score += LETTER_WEIGHT * min(polish_letters, LETTER_CAP)
        if score > best_score:
            best, best_score, tied = code, score, False
        elif score == best_score and score > 0:
            tied = True
    return UNDETERMINED if tied else best


def detect_language(text: str) -> str:
    """The language of `text` from stop words and letters alone ('pl', 'en' or 'und')."""
    from replyloop.classification.classifier import current_engine

    tokens, polish = current_engine().words(text)
    return decide_language(tokens, polish, {}, current_engine().lexicon)
