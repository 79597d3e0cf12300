"""Text folding shared by the classifier and the FAQ matcher: one way to compare Polish and English words."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold", "tokens"]

# Letters that NFKD does not decompose into a base letter plus a mark (replaced one by one: a translate
# table is slow on non-ASCII text).
_SPECIAL = (("ł", "l"), ("Ł", "l"), ("ø", "o"), ("ß", "ss"), ("đ", "d"))
# The marks of Polish and most Latin letters; any other combining mark is caught by the slower pass after.
_COMMON_MARKS = re.compile("[\u0300-\u036f]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_TRIPLE = re.compile(r"(.)\1\1")
_ELONGATED = re.compile(r"(\w)\1{2,}")
_WORD = re.compile(r"[a-z0-9]+(?:['\u2019][a-z]+)?")


def fold(text: str) -> str:
    """Lower case, no diacritics ("Dziękuję" -> "dziekuje"), elongations squeezed ("suuuper" -> "super")."""
    if not text.isascii():
        for letter, plain in _SPECIAL:
            if letter in text:
                text = text.replace(letter, plain)
        text = _COMMON_MARKS.sub("", unicodedata.normalize("NFKD", text.lower()))
        if not text.isascii():
            # Emoji and other symbols stay; only combining marks go (checked once per distinct character).
            for mark in {char for char in _NON_ASCII.findall(text) if unicodedata.combining(char)}:
                text = text.replace(mark, "")
    else:
        text = text.lower()
    # A cheap search first: most comments have no run of three equal characters.
    return _ELONGATED.sub(r"\1", text) if _TRIPLE.search(text) else text


def tokens(text: str) -> list[str]:
    """Words of the folded text."""
    return _WORD.findall(fold(text))
