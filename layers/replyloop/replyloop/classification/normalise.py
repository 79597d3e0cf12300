"""From a comment to what cues are matched on: folded words, clause marks, special patterns, emoji, de-obfuscation."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from replyloop.classification.lexicon import Lexicon, Special
from replyloop.text import fold

__all__ = ["MAX_CHARS", "Prepared", "prepare"]

# Long posts are judged on their beginning: it bounds the time per comment.
MAX_CHARS = 4000
# Words, and runs of clause punctuation (kept as tokens: openers start after them, phrases never span them).
_TOKEN = re.compile(r"[a-z0-9*]+|[.!?;:,\n]+")
_POLISH_LETTERS = re.compile("[ąćęłńóśźż]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_DIGITS = re.compile(r"\d")
_WORD = re.compile(r"[a-z0-9]")
# Letters typed apart ("K U R W A", "F U C K"): three or more single letters in a row become one word.
_SPACED = re.compile(r" (?:[a-z] ){2,}[a-z](?= |$)")
# Distinct chunks remembered per compiled lexicon; comments are unbounded, so the memory is not.
_MEMO_SIZE = 100_000


@dataclass(slots=True)
class Prepared:
    """The comment as the cue scanners see it."""

    canon: str
    words: bool = True
    specials: list[Special] = field(default_factory=list)
    emoji: list[str] = field(default_factory=list)
    question_marks: int = 0
    polish_letters: int = 0
    deobfuscated: list[tuple[str, str]] = field(default_factory=list)


def _take_out(special: Special, text: str, found: list[Special]) -> str:
    """`text` without the matches of `special` (so their words are not read as cues), noting what was found."""
    matches: list[str] = []
    text = special.regex.sub(lambda match: matches.append(match.group()) or " ", text)
    if matches:
        found.append(special)
        inner = special.inner
        if inner is not None and any(inner.regex.search(match) for match in matches):
            found.append(inner)
    return text


def _analyse(chunk: str, lexicon: Lexicon) -> str:
    """One whitespace-separated chunk as canonical tokens ("Dzięki!" -> "dzieki !"); remembered per lexicon."""
    found: list[tuple[str, str]] = []
    folded = lexicon.deobfuscator.text(fold(chunk), found)
    if found:
        lexicon.resolved[chunk] = tuple(found)
    canonical = " ".join(_TOKEN.findall(folded.replace("'", "").replace("\u2019", "")))
    memo = lexicon.chunks
    if len(memo) >= _MEMO_SIZE:
        memo.clear()
        lexicon.resolved.clear()
    memo[chunk] = canonical
    return canonical


def prepare(text: str, lexicon: Lexicon) -> Prepared:
    """Take out special patterns, then read the comment chunk by chunk (each distinct chunk analysed once)."""
    prepared = Prepared(canon="")
    # Special patterns are looked for before folding, which would squeeze "600 000 144" to "600 0 144".
    lowered = text[:MAX_CHARS].lower()
    digits = len(_DIGITS.findall(lowered)) if _DIGITS.search(lowered) else 0
    if digits or lexicon.special_needs is None or lexicon.special_needs.search(lowered):
        for special in lexicon.specials:
            if special.present(lowered, digits):
                lowered = _take_out(special, lowered, prepared.specials)
    if "\n" in lowered:
        lowered = lowered.replace("\n", " . ")  # a line break ends a clause too
    chunks = lowered.split()
    memo = lexicon.chunks
    parts = [memo.get(chunk) for chunk in chunks]
    if None in parts:
        parts = [
            part if part is not None else _analyse(chunk, lexicon) for part, chunk in zip(parts, chunks, strict=True)
        ]
    canon = ". " + " ".join(filter(None, parts))
    if _SPACED.search(canon):
        canon = _SPACED.sub(lambda match: " " + match.group().replace(" ", ""), canon)
    prepared.canon = canon
    prepared.question_marks = lowered.count("?")
    if not lowered.isascii():
        prepared.polish_letters = len(_POLISH_LETTERS.findall(lowered))
        emoji = lexicon.emoji
        prepared.emoji = [char for char in _NON_ASCII.findall(lowered) if char in emoji]
        prepared.words = _WORD.search(canon) is not None
    if lexicon.resolved and any(char in lowered for char in lexicon.deobfuscator.wildcards):
        resolved = lexicon.resolved
        prepared.deobfuscated = [word for chunk in chunks if chunk in resolved for word in resolved[chunk]]
    return prepared
