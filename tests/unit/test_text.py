"""Shared text folding: the fast `fold` gives exactly what the original per-character version gave."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from replyloop.text import fold, tokens

_SPECIAL = str.maketrans({"ł": "l", "Ł": "l", "ø": "o", "ß": "ss", "đ": "d"})
_ELONGATED = re.compile(r"(\w)\1{2,}")


def reference_fold(text: str) -> str:
    """The first implementation of `fold` (slow, obviously right): the behaviour other modules rely on."""
    text = text.translate(_SPECIAL).lower()
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return _ELONGATED.sub(r"\1", text)


@settings(max_examples=3000, deadline=None)
@given(
    st.text(max_size=80)
    | st.text(alphabet="ąćęłńóśźżĄĆĘŁŃÓŚŹŻaeiouxyz İıÅﬁ①é\u0301\u0328😀👏ØøßẞĐđ\u2019'!?", max_size=60)
)
def test_fold_is_the_reference_fold(text: str) -> None:
    assert fold(text) == reference_fold(text)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Dziękuję", "dziekuje"),
        ("ZAŻÓŁĆ GĘŚLĄ JAŹŃ", "zazolc gesla jazn"),
        ("suuuper!!!", "super!!!"),
        ("Łódź 😍", "lodz 😍"),
        ("nie dziala", "nie dziala"),
    ],
)
def test_fold_examples(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_tokens_are_the_folded_words() -> None:
    assert tokens("Nie działa, don\u2019t know why 👏") == ["nie", "dziala", "don\u2019t", "know", "why"]
