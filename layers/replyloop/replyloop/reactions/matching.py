"""Comparable terms of a comment: folded words, function words removed, crude stems, and phrase lookup."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from replyloop.text import tokens

__all__ = ["PhraseMatcher", "stem", "terms"]

_ENGLISH_SUFFIXES = ("ing", "ed", "es", "s")
_VOWELS = "aeiouy"
STEM_LENGTH = 5


def stem(token: str) -> str:
    """A prefix stem good enough for Polish inflection and English plurals.

    "wypłata", "wypłaty", "wypłatę" -> "wypla"; "deposits", "deposited" -> "depos";
    "hasło", "hasła" -> "hasl". Paraphrases in the FAQ cover what this misses.
    """
    for suffix in _ENGLISH_SUFFIXES:
        if token.endswith(suffix) and len(token) - len(suffix) >= 4:
            token = token[: -len(suffix)]
            break
    # Short words keep their vowels: "logo" is not "log".
    bare = token.rstrip(_VOWELS)
    if len(token) >= 5 and len(bare) >= 3:
        token = bare
    return token[:STEM_LENGTH]


def terms(text: str, stop_words: frozenset[str] = frozenset()) -> list[str]:
    """Stems of the folded words of `text` that are not function words (`stop_words` are folded words)."""
    return [stem(token) for token in tokens(text) if token not in stop_words and not token.isdigit()]


@dataclass(frozen=True, slots=True)
class _Phrase:
    words: tuple[str, ...]
    prefix: bool
    group: str

    def found_in(self, words: list[str]) -> bool:
        size = len(self.words)
        for start in range(len(words) - size + 1):
            window = words[start : start + size]
            head_ok = window[:-1] == list(self.words[:-1])
            last, wanted = window[-1], self.words[-1]
            if head_ok and (last.startswith(wanted) if self.prefix else last == wanted):
                return True
        return False


class PhraseMatcher:
    """Finds configured phrases in folded text, word by word; `prawnik*` also matches "prawnikiem".

    Phrases come in named groups (e.g. "legal", "press") so that a caller can report
    which group fired without repeating the comment's words.
    """

    def __init__(self, groups: Mapping[str, Iterable[str]]) -> None:
        self._phrases: list[_Phrase] = []
        for group, phrases in groups.items():
            for phrase in phrases:
                prefix = phrase.endswith("*")
                words = tuple(tokens(phrase.rstrip("*")))
                if words:
                    self._phrases.append(_Phrase(words, prefix, group))

    def __len__(self) -> int:
        return len(self._phrases)

    def first_group(self, text: str) -> str | None:
        """The group of the first phrase found in `text`, or None."""
        words = tokens(text)
        for phrase in self._phrases:
            if phrase.found_in(words):
                return phrase.group
        return None

    def groups_in(self, text: str) -> list[str]:
        """Every group with at least one phrase in `text`, in configuration order."""
        words = tokens(text)
        found: list[str] = []
        for phrase in self._phrases:
            if phrase.group not in found and phrase.found_in(words):
                found.append(phrase.group)
        return found
