"""Per-language word lists of the duplicate detector (ideas/<lang>.json): stop words, concepts, weights, contrasts.

A *concept* is what a word or phrase means for an idea: "tryb", "motyw" and "theme" are all
`mode`; "apple pay" is `applepay`. Variants are written in their natural forms and stemmed
when the file is loaded, so every inflected form a stemmer produces finds its concept. A
variant may stand for more than one concept ("standing order+transfer"). *Contrasts* are
groups of concepts that exclude each other as requests (BLIK or Apple Pay, PDF or CSV,
deposits or withdrawals): two comments that each name a different member are different ideas.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache

from pydantic import BaseModel, ConfigDict, Field

from replyloop.data import data_path, load_json, override_dir
from replyloop.ideas.stemming import STEMMERS
from replyloop.text import tokens

__all__ = ["Lexicon", "LexiconFile", "load_lexicon"]

MAX_PHRASE_WORDS = 5


class LexiconFile(BaseModel):
    """The JSON file as written."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    stemmer: str = Field(pattern="^(pl|en|none)$")
    stop_words: tuple[str, ...] = ()
    concepts: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    weights: dict[str, float] = Field(default_factory=dict)
    contrasts: dict[str, tuple[str, ...]] = Field(default_factory=dict)


@dataclass(frozen=True)
class Lexicon:
    """One language's compiled lists: what `concepts()` needs to turn text into a set of concepts."""

    lang: str
    stem: Callable[[str], str]
    stop: frozenset[str] = frozenset()
    phrases: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)
    weights: dict[str, float] = field(default_factory=dict)
    contrasts: dict[str, frozenset[str]] = field(default_factory=dict)
    known: frozenset[str] = frozenset()

    @classmethod
    def compile(cls, lang: str, raw: LexiconFile) -> Lexicon:
        stem = STEMMERS[raw.stemmer]
        phrases: dict[tuple[str, ...], tuple[str, ...]] = {}
        for concept, variants in raw.concepts.items():
            for variant in variants:
                words, _, extra = variant.partition("+")
                key = tuple(stem(word) for word in tokens(words))
                if key and len(key) <= MAX_PHRASE_WORDS:
                    phrases.setdefault(key, (concept, *filter(None, extra.split("+"))))
        unknown = {c for group in raw.contrasts.values() for c in group} - set(raw.concepts)
        if unknown:
            raise ValueError(f"ideas/{lang}.json: contrasts name unknown concepts {sorted(unknown)}")
        return cls(
            lang=lang,
            stem=stem,
            stop=frozenset(stem(word) for text in raw.stop_words for word in tokens(text)),
            phrases=phrases,
            weights=dict(raw.weights),
            contrasts={group: frozenset(members) for group, members in raw.contrasts.items()},
            known=frozenset(raw.concepts),
        )

    def weight(self, concept: str, unknown: float = 1.0) -> float:
        """The lexicon's weight for a concept (1.0 by default); a word it has no concept for weighs `unknown`."""
        if concept in self.weights:
            return self.weights[concept]
        return 1.0 if concept in self.known or not self.known else unknown

    def concepts(self, text: str) -> frozenset[str]:
        """The concepts of a text: phrases first (longest wins), then single words; stop words dropped."""
        stems = [self.stem(word) for word in tokens(text)]
        return frozenset(self._walk(stems))

    def _walk(self, stems: Sequence[str]) -> Iterator[str]:
        i = 0
        while i < len(stems):
            for size in range(min(MAX_PHRASE_WORDS, len(stems) - i), 0, -1):
                meaning = self.phrases.get(tuple(stems[i : i + size]))
                if meaning is not None:
                    yield from meaning
                    i += size
                    break
            else:
                if stems[i] not in self.stop and len(stems[i]) > 1:
                    yield stems[i]
                i += 1


@cache
def _load(lang: str, override: str | None) -> Lexicon:
    relative = f"ideas/{lang}.json"
    if not data_path(relative).is_file():
        # A language without a file still matches identical wordings (folded, case and diacritics aside).
        return Lexicon(lang=lang, stem=STEMMERS["none"])
    return Lexicon.compile(lang, LexiconFile.model_validate(load_json(relative)))


def load_lexicon(lang: str) -> Lexicon:
    """The compiled lexicon of `lang`, once per container (per data override directory)."""
    return _load(lang if lang.isalpha() else "und", override_dir())
