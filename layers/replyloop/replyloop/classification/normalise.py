"""From a comment to what cues are matched on: folded tokens, clause marks, special patterns, emoji, de-obfuscation.

`tokenise` turns one chunk (a whitespace-separated piece of a comment) into tokens; `prepare` reads a whole
comment the plain way - special patterns taken out of the whole text in order, then every chunk tokenised -
and is what the engine's faster reading (engine.py: chunk by chunk, remembered) must agree with.
"""

from __future__ import annotations

import re

from replyloop.classification.lexicon import Lexicon, Special
from replyloop.text import fold

__all__ = ["MAX_CHARS", "Prepared", "joined_letters", "prepare", "take_out", "tokenise"]

# Long posts are judged on their beginning: it bounds the time per comment.
MAX_CHARS = 4000
# Words, and runs of clause punctuation (kept as tokens: openers start after them, phrases never span them).
# Stars inside a word stay (an unresolved "k*rwx"); stars around it go ("kurw**", "*great*").
_TOKEN = re.compile(r"[a-z0-9]+(?:\*+[a-z0-9]+)*|[.!?;:,\n]+")
_DIGIT = re.compile(r"\d")
_WORD = re.compile(r"[a-z0-9]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# Letters typed apart ("K U R W A", "F U C K"): three or more single letters in a row become one word.
_SPACED = re.compile(r"(?:^| )(?:[a-z] ){2,}[a-z](?= |$)")
_POLISH = frozenset("ąćęłńóśźż")
_PUNCTUATION = frozenset(".!?;:,\n")


class Prepared:
    """A comment as the cue scanners see it: its tokens (words and clause punctuation) and what else it holds."""

    __slots__ = ("deobfuscated", "emoji", "polish_letters", "question", "specials", "tokens", "words")

    def __init__(self, tokens: list[str], *, question: bool = False) -> None:
        self.tokens = tokens
        self.question = question  # a "?" outside links
        self.words = True
        self.specials: list[Special] = []
        self.emoji: list[str] = []
        self.polish_letters = 0
        self.deobfuscated: list[tuple[str, str]] = []


def take_out(special: Special, text: str, found: list[Special]) -> str:
    """`text` without the matches of `special` (so their words are not read as cues), noting what was found."""
    matches: list[str] = []
    text = special.regex.sub(lambda match: matches.append(match.group()) or " ", text)
    if matches:
        found.append(special)
        inner = special.inner
        if inner is not None and any(inner.regex.search(match) for match in matches):
            found.append(inner)
    return text


def tokenise(text: str, lexicon: Lexicon) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """A chunk's tokens ("dzięki!" -> ("dzieki", "!")), and the wildcard spellings it resolved ("k*rwa")."""
    found: list[tuple[str, str]] = []
    folded = lexicon.deobfuscator.text(fold(text), found)
    tokens = tuple(_TOKEN.findall(folded.replace("'", "").replace("\u2019", "")))
    if any(token[0] in _PUNCTUATION and len(token) > 2 for token in tokens):
        # A run of punctuation as its first and last mark ("?!!!!" -> "?!"): all that is read of it (where
        # a clause ends, whether it is commas), and a bounded set of tokens.
        tokens = tuple(
            token[0] + token[-1] if token[0] in _PUNCTUATION and len(token) > 2 else token for token in tokens
        )
    return tokens, tuple(found)


def joined_letters(tokens: list[str]) -> list[str]:
    """Runs of three or more single letters ("k u r w a") as one word."""
    canon = " ".join(tokens)
    if not _SPACED.search(canon):
        return tokens
    return _SPACED.sub(lambda match: " " + match.group().replace(" ", "") + " ", canon).split()


def prepare(text: str, lexicon: Lexicon) -> Prepared:
    """Special patterns taken out of the lower-cased text (local ones, then the others, each in what the
    previous ones left), then every chunk tokenised."""
    # Special patterns are looked for before folding, which would squeeze "600 000 144" to "600 0 144".
    lowered = text[:MAX_CHARS].lower()
    digits = len(_DIGIT.findall(lowered))
    found: list[Special] = []
    rest = lowered
    for special in (*lexicon.local_specials, *lexicon.text_specials):
        if digits >= special.min_digits and (special.needs is None or special.needs.found_in(rest)):
            rest = take_out(special, rest, found)
    if any(special in found for special in lexicon.text_specials):
        # What the whole-text ones left may hold local ones they hid ("www.x.com600-000-144").
        for special in lexicon.local_specials:
            if special.needs is None or special.needs.found_in(rest):
                rest = take_out(special, rest, found)
    rest = rest.replace("\n", " . ")  # a line break ends a clause too
    tokens: list[str] = []
    resolved: list[tuple[str, str]] = []
    for chunk in rest.split():
        chunk_tokens, chunk_resolved = tokenise(chunk, lexicon)
        tokens += chunk_tokens
        resolved += chunk_resolved
    prepared = Prepared(joined_letters(tokens), question="?" in rest)
    prepared.specials = [special for special in lexicon.special_order if special in found]
    prepared.deobfuscated = resolved
    chars = _NON_ASCII.findall(rest)
    prepared.polish_letters = sum(char in _POLISH for char in chars)
    prepared.emoji = [char for char in chars if char in lexicon.emoji]
    prepared.words = _WORD.search(" ".join(prepared.tokens)) is not None
    return prepared
