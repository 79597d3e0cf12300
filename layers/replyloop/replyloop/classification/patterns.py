"""Lexicon patterns: the normal form they share with the text, and one trie-shaped regex that finds them all."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Generic, TypeVar

from replyloop.text import fold

__all__ = ["PatternSet", "normalise_pattern", "trie_pattern", "variants"]

T = TypeVar("T")

WORD = "a-z0-9"
_NOT_WORD = re.compile(r"[^a-z0-9*]+")
_DOUBLE = re.compile(r"([a-z])\1")
_MAX_DOUBLES = 3
# Inflected forms met so far and the stem each belongs to; bounded, as comments are unbounded.
_MEMO_SIZE = 50_000


def normalise_pattern(raw: str) -> str:
    """The form a pattern is matched in: folded, apostrophes dropped, words split by one space, `*` kept.

    The text goes through the same folding, so data authors may write "nie działa*" or "don't".
    """
    folded = fold(raw).replace("'", "").replace("\u2019", "")
    normal = _NOT_WORD.sub(" ", folded).strip()
    if not normal.replace("*", "").strip():
        raise ValueError(f"pattern {raw!r} has no letters or digits")
    return normal


def variants(pattern: str) -> set[str]:
    """The pattern plus its forms with doubled letters single: folding squeezes "goooood" to "god".

    Stems (with `*`) are left alone: "nig*" from "nigg*" would match "night".
    """
    if "*" in pattern:
        return {pattern}
    doubles = [m.start() for m in _DOUBLE.finditer(pattern)][:_MAX_DOUBLES]
    found = {pattern}
    for chosen in itertools.chain.from_iterable(itertools.combinations(doubles, n) for n in range(1, len(doubles) + 1)):
        chars = list(pattern)
        for index in chosen:
            chars[index] = ""
        found.add("".join(chars))
    return found


def _trie(keys: Iterable[str]) -> dict[str, dict]:
    root: dict[str, dict] = {}
    for key in keys:
        node = root
        for char in key:
            node = node.setdefault(char, {})
        node[""] = {}
    return root


def _symbol(char: str, child: Mapping[str, Mapping]) -> str:
    if char != "*":
        return re.escape(char)
    # Possessive when only a space or the end of the word can follow: the same matches, no backtracking
    # (a leading "*" as in "* dni temu" would otherwise be retried at every word).
    return f"[{WORD}]*+" if set(child) <= {" ", ""} else f"[{WORD}]*"


def _emit(node: Mapping[str, Mapping]) -> str:
    """Continuations before ends, and literal letters before a wildcard: the longest, most specific cue wins."""
    chars = sorted(char for char in node if char and char != "*") + (["*"] if "*" in node else [])
    alternatives = [_symbol(char, node[char]) + _emit(node[char]) for char in chars]
    if "" in node:
        alternatives.append(f"(?![{WORD}])")
    if len(alternatives) == 1:
        return alternatives[0]
    return "(?:" + "|".join(alternatives) + ")"


def trie_pattern(patterns: Iterable[str]) -> str:
    """A regex (without groups) matching any of `patterns` or their variants, longest first at each position."""
    keys = [key for pattern in patterns for key in variants(pattern)]
    return _emit(_trie(keys)) if keys else "(?!)"


class PatternSet(Generic[T]):
    """Many patterns as one compiled regex (a trie of alternatives), and the values each match stands for.

    `before` is what must precede a match. The default, one space, suits text laid out as space-separated
    tokens behind a leading mark (". word word"): a literal first character lets the regex engine skip
    straight from space to space, several times faster than a look-behind word boundary.
    """

    def __init__(self, values_by_pattern: Mapping[str, Sequence[T]], *, before: str = " ") -> None:
        self._memo: dict[str, list[T]] = {}
        self._exact: dict[str, list[T]] = {}
        self._wild: dict[str, list[tuple[re.Pattern[str], list[T]]]] = {}
        keys: list[str] = []
        for pattern, values in values_by_pattern.items():
            for key in variants(pattern):
                keys.append(key)
                if "*" not in key:
                    self._exact.setdefault(key, []).extend(values)
                    continue
                literal = key.split("*", 1)[0]
                exact = re.compile(re.escape(key).replace(r"\*", f"[{WORD}]*"))
                self._wild.setdefault(literal, []).append((exact, list(values)))
        body = _emit(_trie(keys)) if keys else "(?!)"
        # Group 1 is the cue itself (after what must come before it).
        self.regex = re.compile(f"{before}({body})")

    def lookup(self, matched: str) -> list[T]:
        """The values of the pattern that matched `matched` (the exact one, else the longest-stemmed wildcard)."""
        values = self._exact.get(matched)
        if values is None:
            values = self._memo.get(matched)
            if values is None:
                values = self._wild_lookup(matched)
                if len(self._memo) >= _MEMO_SIZE:
                    self._memo.clear()
                self._memo[matched] = values
        return values

    def _wild_lookup(self, matched: str) -> list[T]:
        for end in range(len(matched), -1, -1):
            for exact, candidates in self._wild.get(matched[:end], ()):
                if exact.fullmatch(matched):
                    return candidates
        return []
