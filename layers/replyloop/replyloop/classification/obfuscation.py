"""Undoing obfuscated spelling: leet digits and symbols ("1d10ta", "sp13rdalaj") and wildcards ("k*rwa", "f**k")."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Deobfuscator", "wildcard_match"]

_OBFUSCATION = "0-9@$!|*#%"
# Digits or symbols inside a word ("k*rwa", "sh1t", "b!tch") or a word starting with one ("1d10ta", "@ss"),
# but not the common "super!" or "10:30".
_SUSPECT = f"[a-z][{_OBFUSCATION}]+[a-z0-9]|(?<![a-z0-9])[0-9@$|][a-z]"
_SUSPECT_RE = re.compile(_SUSPECT)
_CHUNK_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789@$!|*#%")
_CHUNK_REST = re.compile(f"[a-z{_OBFUSCATION}]*+")
_EDGES = "!|*#%."


def wildcard_match(chunk: str, wildcards: str, word: str) -> bool:
    """Whether `chunk` could be `word` typed with wildcards: a run of n of them stands for 1 to n+1 letters."""
    parts: list[str] = []
    runs: list[int] = []
    current, run = "", 0
    for char in chunk:
        if char in wildcards:
            run += 1
            continue
        if run:
            parts.append(current)
            runs.append(run)
            current, run = "", 0
        current += char
    parts.append(current)
    if run:
        runs.append(run)
    fixed = sum(len(part) for part in parts)
    if not (fixed + len(runs) <= len(word) <= fixed + sum(runs) + len(runs)):
        return False
    if not word.startswith(parts[0]) or not word.endswith(parts[-1]):
        return False
    position = len(parts[0])
    for part in parts[1:-1]:
        found = word.find(part, position + 1)
        if found < 0:
            return False
        position = found + len(part)
    return True


@dataclass(frozen=True)
class Deobfuscator:
    """The leet map, the wildcard characters and the words a wildcard spelling may stand for."""

    leet: dict[int, str]
    wildcards: str
    targets: tuple[tuple[str, str], ...] = ()
    _by_initial: dict[str, tuple[tuple[str, str], ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_initial: dict[str, list[tuple[str, str]]] = {}
        for word, lang in self.targets:
            by_initial.setdefault(word[0], []).append((word, lang))
        object.__setattr__(self, "_by_initial", {initial: tuple(words) for initial, words in by_initial.items()})

    def _candidates(self, plain: str) -> tuple[tuple[str, str], ...]:
        # "k*rwa" can only be a word starting with "k"; "*uck" could be any.
        return self.targets if plain[0] in self.wildcards else self._by_initial.get(plain[0], ())

    def _word(self, chunk: str, found: list[tuple[str, str]]) -> str:
        core = chunk.strip(_EDGES)
        if sum(char.isalpha() for char in core) < 2 or core.isalpha():
            return chunk
        lead = chunk.find(core)
        head, tail = chunk[:lead], chunk[lead + len(core) :]
        # Wildcards are not in the leet map, so they survive the translation.
        plain = core.translate(self.leet)
        if any(char in self.wildcards for char in plain):
            for word, lang in self._candidates(plain):
                if wildcard_match(plain, self.wildcards, word):
                    found.append((word, lang))
                    return f"{head} {word} {tail}"
            return chunk
        return f"{head} {plain} {tail}" if plain.isalpha() else chunk

    def text(self, folded: str, found: list[tuple[str, str]]) -> str:
        """`folded` with obfuscated words spelled out; wildcard words resolved are appended to `found`."""
        pieces: list[str] = []
        done = 0
        for match in _SUSPECT_RE.finditer(folded):
            if match.start() < done:
                continue
            # Widen the suspicious spot to its whole chunk ("sp13rdalaj", not just "p13r").
            start = match.start()
            while start > done and folded[start - 1] in _CHUNK_CHARS:
                start -= 1
            end = _CHUNK_REST.match(folded, match.start()).end()  # type: ignore[union-attr]
            pieces += (folded[done:start], self._word(folded[start:end], found))
            done = end
        if not pieces:
            return folded
        pieces.append(folded[done:])
        return "".join(pieces)
