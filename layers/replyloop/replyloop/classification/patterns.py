"""Lexicon patterns: the normal form they share with the text, and an index that finds them word by word.

A pattern is a phrase of word globs: a literal word ("dziala"), a stem ("dzial*"), a glob with a star
inside ("chcial*bym", "*day") or a lone "*" (any one word). Every glob gets an integer id, and a token is
matched against all of them once (the caller remembers what a token is, see engine.TokenInfo). A phrase is
found from a pair of adjacent words (a link): each token knows the phrases it starts a link of, by the
literal word that must follow it, or by the literal word that must precede it (when the second word of
the link is a stem), so a comment's links are looked up with a `map` over its tokens.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Mapping, Sequence
from itertools import compress
from operator import itemgetter
from typing import Any, Generic, TypeVar

from replyloop.text import fold

__all__ = ["ANY", "EMPTY", "CueIndex", "Globs", "Phrase", "normalise_pattern", "variants"]

T = TypeVar("T")

WORD = "a-z0-9"
_NOT_WORD = re.compile(r"[^a-z0-9*]+")
_DOUBLE = re.compile(r"([a-z])\1")
_MAX_DOUBLES = 3
# Tokens met so far and the globs each matches; bounded, as comments are unbounded.
_MEMO_SIZE = 50_000
ANY = 0  # the id of a lone "*": any one word
EMPTY: Mapping[str, Any] = {}  # a token that links no phrase (shared, never changed)


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


class Globs:
    """Word globs by id, and which of them a token matches: the literal word first, then the longer stems."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {"*": ANY}
        self._literal: dict[str, int] = {}
        # Globs with a star, by the literal text before their first star.
        self._wild: dict[str, list[tuple[re.Pattern[str], int]]] = {}
        self._longest_prefix = 0
        self._memo: dict[str, tuple[int, ...]] = {}

    def add(self, word: str) -> int:
        """The id of `word` (a literal word or a glob), registered on first sight."""
        known = self._ids.get(word)
        if known is not None:
            return known
        gid = self._ids[word] = len(self._ids)
        if "*" in word:
            prefix = word.split("*", 1)[0]
            exact = re.compile(re.escape(word).replace(r"\*", f"[{WORD}]*"))
            self._wild.setdefault(prefix, []).append((exact, gid))
            self._longest_prefix = max(self._longest_prefix, len(prefix))
        else:
            self._literal[word] = gid
        return gid

    def of(self, token: str) -> tuple[int, ...]:
        """The ids of the globs `token` matches, most specific first (a lone "*" last); none for punctuation."""
        found = self._memo.get(token)
        if found is None:
            found = self._match(token)
            if len(self._memo) >= _MEMO_SIZE:
                self._memo.clear()
            self._memo[token] = found
        return found

    def _match(self, token: str) -> tuple[int, ...]:
        if not token.isalnum():
            return ()  # punctuation, or a wildcard spelling that was not resolved ("k*rwx")
        found = []
        literal = self._literal.get(token)
        if literal is not None:
            found.append(literal)
        wild = self._wild
        for end in range(min(len(token), self._longest_prefix), -1, -1):
            for exact, gid in wild.get(token[:end], ()):
                if exact.fullmatch(token):
                    found.append(gid)
        found.append(ANY)
        return tuple(found)


class Phrase(Generic[T]):
    """A pattern of two or more words, found from its link: the pair of words at `link`, `link` + 1."""

    __slots__ = ("cue", "gids", "link", "literals", "preference", "rest", "size")

    def __init__(self, words: Sequence[str], gids: tuple[int, ...], link: int, cue: T) -> None:
        self.gids = gids
        self.size = len(gids)
        self.link = link
        # Per word: the literal token it must be, or None for a glob (checked through the token's globs).
        self.literals = tuple(None if "*" in word else word for word in words)
        # A phrase of literal words is preferred over any glob at every word: its preference is fixed.
        self.preference = (0,) * self.size + (_END,) if None not in self.literals else None
        # The words still to check once the link matched.
        self.rest = tuple(
            (offset, self.literals[offset], gid) for offset, gid in enumerate(gids) if offset not in (link, link + 1)
        )
        self.cue = cue


# A match's preference: per word, the rank of its glob among those the token matches (0 = the most
# specific), then _END: at one position the regex trie of the first classifier took the more specific glob
# first, and went on to a longer phrase before ending; this keeps its choices.
_END = 1 << 20
_START_AND_PREFERENCE = itemgetter(0, 1)


class CueIndex(Generic[T]):
    """Cues of one or more words, and for each token what it is and links (see `about`).

    What a cue stands for is `wrap(values, preference)`, made once per cue.
    """

    def __init__(
        self,
        values_by_pattern: Mapping[str, Sequence[Any]],
        globs: Globs,
        wrap: Callable[[tuple[Any, ...], tuple[int, ...] | None], T],
    ) -> None:
        self.globs = globs
        self._wrap = wrap
        self._single: dict[int, tuple[Any, ...]] = {}
        # By the glob of a link's first word: the literal second word -> phrases; by the glob of a link's
        # second word (a stem): the literal first word -> phrases.
        self._next: dict[int, dict[str, list[Phrase[T]]]] = {}
        self._previous: dict[int, dict[str, list[Phrase[T]]]] = {}
        # Phrases whose adjacent words are all stems ("tryb* ciemn*"), by the glob of their first word.
        self._stemmed: dict[int, list[Phrase[T]]] = {}
        quiet: set[int] = set()
        self._firsts: set[int] = set()  # the globs phrases start with
        by_key: dict[str, tuple[Any, ...]] = {}
        for pattern, values in values_by_pattern.items():
            for key in variants(pattern):
                by_key[key] = (*by_key.get(key, ()), *values)
        for key, values in by_key.items():
            words = key.split(" ")
            gids = tuple(globs.add(word) for word in words)
            if len(gids) == 1:
                self._single[gids[0]] = values
                if all(getattr(value, "label", None) == "neutral" for value in values):
                    quiet.add(gids[0])  # a lone neutral word shadows nothing: it need not be looked at
                continue
            self._firsts.add(gids[0])
            cue = wrap(values, None)
            pairs = range(len(words) - 1)
            after = [at for at in pairs if "*" not in words[at + 1]]
            before = [at for at in pairs if "*" not in words[at] and words[at + 1] != "*"]
            if after:
                link = min(after, key=lambda at: (words[at] == "*", at))
                self._next.setdefault(gids[link], {}).setdefault(words[link + 1], []).append(
                    Phrase(words, gids, link, cue)
                )
            elif before:
                link = before[0]
                self._previous.setdefault(gids[link + 1], {}).setdefault(words[link], []).append(
                    Phrase(words, gids, link, cue)
                )
            elif words[0] != "*":
                self._stemmed.setdefault(gids[0], []).append(Phrase(words, gids, 0, cue))
            else:
                raise ValueError(f"pattern {key!r} has no word to find it by")
        self._quiet = frozenset(quiet)
        self._wrapped: dict[tuple[int, int], T] = {}

    def about(self, token: str) -> tuple[T | int, Mapping[str, Any], Mapping[str, Any], tuple[Phrase[T], ...] | int]:
        """`token`'s own cue (or 0); the phrases it links by the next word, by the previous word ({word: Link};
        EMPTY if none); the phrases of stems only it starts (or 0)."""
        single: T | int = 0
        gids = self.globs.of(token)
        nexts: list[Mapping[str, list[Phrase[T]]]] = []
        previous: list[Mapping[str, list[Phrase[T]]]] = []
        stemmed: list[Phrase[T]] = []
        for position, gid in enumerate(gids):
            # A lone neutral word only matters when it shadows a phrase starting on the same token.
            if (
                not single
                and gid in self._single
                and (gid not in self._quiet or any(other in self._firsts for other in gids[position + 1 :]))
            ):
                values = self._single[gid]
                known = self._wrapped.get((id(values), position))
                if known is None:
                    known = self._wrapped[(id(values), position)] = self._wrap(values, (position, _END))
                single = known
            if gid in self._next:
                nexts.append(self._next[gid])
            if gid in self._previous:
                previous.append(self._previous[gid])
            stemmed += self._stemmed.get(gid, ())
        return single, _merged(nexts), _merged(previous), tuple(stemmed) or 0

    def _preference(self, phrase: Phrase[T], tokens: Sequence[str], start: int) -> tuple[int, ...]:
        globs_of = self.globs.of
        ranks = [globs_of(tokens[start + offset]).index(gid) for offset, gid in enumerate(phrase.gids)]
        return (*ranks, _END)

    def linked(self, tokens: Sequence[str], links: Sequence[Any]) -> list[Any]:
        """The phrases of `tokens` linked by each pair of adjacent tokens (`links[i]`: the Link of the pair
        starting at `i`, or None): (start, preference, end, cue), unordered."""
        found: list[Any] = []
        count = len(tokens)
        last = count - 2
        for at in compress(range(len(links)), links):
            link = links[at]
            for preference, cue in link.pairs:
                found.append((at, preference, at + 2, cue))
            if link.rest:
                self._longer(link.rest, tokens, at, found)
            if link.after is not EMPTY and at < last and tokens[at + 2] in link.after:
                self._longer(link.after[tokens[at + 2]], tokens, at, found)
            if link.before is not EMPTY and at and tokens[at - 1] in link.before:
                self._longer(link.before[tokens[at - 1]], tokens, at, found)
        return found

    def _longer(self, phrases: Sequence[Phrase[T]], tokens: Sequence[str], at: int, found: list[Any]) -> None:
        """The phrases of `phrases` (linked at `at`) whose other words match, appended to `found`."""
        count = len(tokens)
        globs_of = self.globs.of
        for phrase in phrases:
            start = at - phrase.link
            end = start + phrase.size
            if start < 0 or end > count:
                continue
            for offset, literal, gid in phrase.rest:
                token = tokens[start + offset]
                if token != literal and (literal is not None or gid not in globs_of(token)):
                    break
            else:
                found.append((start, phrase.preference or self._preference(phrase, tokens, start), end, phrase.cue))

    def stemmed(self, tokens: Sequence[str], starts: Sequence[Any]) -> list[Any]:
        """The phrases of stems only starting at each token (`starts`): (start, preference, end, cue)."""
        found: list[Any] = []
        count = len(tokens)
        globs_of = self.globs.of
        for start in compress(range(count), starts):
            for phrase in starts[start]:
                end = start + phrase.size
                if end > count:
                    continue
                for offset, gid in enumerate(phrase.gids):
                    if gid not in globs_of(tokens[start + offset]):
                        break
                else:
                    found.append((start, self._preference(phrase, tokens, start), end, phrase.cue))
        return found

    @staticmethod
    def choose(found: list[tuple[int, tuple[int, ...], int, T]], singles: list[Any]) -> list[Any]:
        """Phrases and single-word cues as a left-to-right scan takes them: per token, the cue starting there
        (or 0). At each position the preferred match wins (see `_END`); a match hides what starts inside it."""
        if len(found) > 1:
            found.sort(key=_START_AND_PREFERENCE)
        chosen = singles.copy()
        done = 0
        for start, preference, end, cue in found:
            if start < done:
                continue
            single = chosen[start]
            if single and single.preference < preference:
                done = start + 1
                continue
            chosen[start] = cue
            if end - start == 2:
                chosen[start + 1] = 0
            elif end - start > 2:
                chosen[start + 1 : end] = [0] * (end - start - 1)
            done = end
        return chosen


def _merged(tables: list[Mapping[str, list[Phrase[T]]]]) -> Mapping[str, Link[T]]:
    """One {word: Link} from the tables of the globs a token matches (most specific first)."""
    if not tables:
        return EMPTY
    merged: dict[str, list[Phrase[T]]] = {}
    for table in tables:
        for word, phrases in table.items():
            merged.setdefault(word, []).extend(phrases)
    return {word: Link(phrases) for word, phrases in merged.items()}


class Link(Generic[T]):
    """The phrases one pair of adjacent words may be part of: those that are just the pair's two literal words
    (as preference and cue), and the longer ones, by the literal word after the pair, or before it, else all
    to check."""

    __slots__ = ("after", "before", "pairs", "rest")

    def __init__(self, phrases: Sequence[Phrase[T]]) -> None:
        self.pairs = tuple((phrase.preference, phrase.cue) for phrase in phrases if _is_pair(phrase))
        after: dict[str, list[Phrase[T]]] = {}
        before: dict[str, list[Phrase[T]]] = {}
        rest: list[Phrase[T]] = []
        for phrase in phrases:
            if _is_pair(phrase):
                continue
            link = phrase.link
            if link + 2 < phrase.size and phrase.literals[link + 2] is not None:
                after.setdefault(phrase.literals[link + 2], []).append(phrase)  # type: ignore[arg-type]
            elif link and phrase.literals[link - 1] is not None:
                before.setdefault(phrase.literals[link - 1], []).append(phrase)  # type: ignore[arg-type]
            else:
                rest.append(phrase)
        self.after = {word: tuple(found) for word, found in after.items()} or EMPTY
        self.before = {word: tuple(found) for word, found in before.items()} or EMPTY
        self.rest = tuple(rest)


def _is_pair(phrase: Phrase[Any]) -> bool:
    return phrase.size == 2 and phrase.preference is not None
