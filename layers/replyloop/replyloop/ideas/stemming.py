"""Stemming-lite for folded Polish and English words: strip inflection suffixes, nothing cleverer.

Polish inflects nouns and adjectives by case ("tryb ciemny", "trybu ciemnego", "w trybie
ciemnym"): the longest known ending is cut while at least four letters of stem remain, so
all of those become "tryb"/"ciemn". English only loses plural and verb endings. Words come
folded (lower case, no diacritics: see `replyloop.text.fold`). Over-stemming costs precision,
so the lists are short and the minimum stem is long; consonant alternations ("paczkomat" ->
"paczkomacie") are left to the synonym lists.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["STEMMERS", "stem_en", "stem_pl"]

# Longest first; all folded. Verb and noun endings that would clip short stems are left out on purpose.
_PL_SUFFIXES = (
    "owaniami",
    "owaniem",
    "owania",
    "owaniu",
    "owanie",
    "aniem",
    "eniem",
    "ami",
    "ach",
    "ego",
    "emu",
    "ymi",
    "imi",
    "iem",
    "owi",
    "om",
    "ow",
    "ej",
    "em",
    "ym",
    "im",
    "ie",
    "a",
    "e",
    "i",
    "o",
    "u",
    "y",
)
_PL_MIN_STEM = 4
_EN_MIN_STEM = 3
_DOUBLE_KEEP = frozenset("lsz")


def stem_pl(word: str) -> str:
    """'ciemnego' -> 'ciemn', 'blikiem' -> 'blik', 'platnosci' -> 'platnosc'; short words stay as they are."""
    if word.isdigit():
        return word
    for suffix in _PL_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _PL_MIN_STEM:
            return word[: -len(suffix)]
    return word


def _undouble(stem: str) -> str:
    """'shipp' -> 'ship', 'logg' -> 'log' (but 'install' stays)."""
    if len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] not in _DOUBLE_KEEP and stem[-1] not in "aeiou":
        return stem[:-1]
    return stem


def stem_en(word: str) -> str:
    """'lockers' -> 'locker', 'shipped'/'shipping'/'ships' -> 'ship', 'categories' -> 'category'."""
    if word.isdigit() or "'" in word or "\u2019" in word:
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= _EN_MIN_STEM:
            return _undouble(word[: -len(suffix)])
    if word.endswith("sses"):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > _EN_MIN_STEM:
        return word[:-1]
    return word


def _identity(word: str) -> str:
    return word


STEMMERS: dict[str, Callable[[str], str]] = {"pl": stem_pl, "en": stem_en, "none": _identity}
