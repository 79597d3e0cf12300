"""An idea's first title, made from the comment that asked for it: one clean sentence, cut at a word."""

from __future__ import annotations

import re

__all__ = ["UNTITLED", "derive_title"]

UNTITLED = "Untitled idea"
_URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
_MENTION = re.compile(r"(?<!\w)@\w+")
_HASHTAG = re.compile(r"(?<!\w)#(\w+)")
# Emoji, pictographs and other symbols; letters of every script stay.
_SYMBOLS = re.compile("[^\\w\\s.,;:!?()'\"\u201e\u201d\u201c\u2019%&/+-]", re.UNICODE)
_SPACES = re.compile(r"\s+")
_GREETING = re.compile(
    r"^(dzie[nń] dobry|witam|witajcie|cze[sś][cć]|hej(ka)?|siema|hi( there)?|hello|hey( there)?|dear team|"
    r"dear \w+)\b[\s,!.:-]*",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_REPEATED_PUNCT = re.compile(r"([!?.])\1+")
_ELLIPSIS = "…"


def derive_title(text: str, max_chars: int = 80) -> str:
    """'Hej! Fajnie by było mieć tryb ciemny 🌙 https://x.y' -> 'Fajnie by było mieć tryb ciemny'."""
    clean = _URL.sub(" ", text)
    clean = _MENTION.sub(" ", clean)
    clean = _HASHTAG.sub(r"\1", clean)
    clean = _SYMBOLS.sub(" ", clean)
    clean = _REPEATED_PUNCT.sub(r"\1", _SPACES.sub(" ", clean)).strip(" -,;:")
    clean = _GREETING.sub("", clean).strip(" -,;:")
    sentences = [s for s in _SENTENCE_END.split(clean) if s.strip()]
    # The first sentence when it says enough; a bare "Mam pomysł!" is followed by the idea itself.
    title = next((s for s in sentences if len(s.split()) >= 3), sentences[0] if sentences else "")
    title = title.strip().rstrip(".!,;: ")
    if not title:
        return UNTITLED
    title = title[0].upper() + title[1:]
    if len(title) <= max_chars:
        return title
    cut = title[: max_chars - 1].rsplit(" ", 1)[0] if " " in title[: max_chars - 1] else title[: max_chars - 1]
    return cut.rstrip(" ,;:-") + _ELLIPSIS
