"""Text folding shared by the classifier and the FAQ matcher: one way to compare Polish and English words."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold", "tokens"]

# Letters that NFKD does not decompose into a base letter plus a mark.
_SPECIAL = str.maketrans({"ł": "l", "Ł": "l", "ø": "o", "ß": "ss", "đ": "d"})
_ELONGATED = re.compile(r"(\w)\1{2,}")
_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")


def fold(text: str) -> str:
    """Lower case, no diacritics ("Dziękuję" -> "dziekuje"), elongations squeezed ("suuuper" -> "super")."""
    text = text.translate(_SPECIAL).lower()
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return _ELONGATED.sub(r"\1", text)


def tokens(text: str) -> list[str]:
    """Words of the folded text."""
    return _WORD.findall(fold(text))
