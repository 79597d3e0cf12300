"""The quick-answer library (reactions/faq/<lang>.json) and its matcher: a score in [0, 1] per entry.

The score is explainable: how much of the best-fitting paraphrase (or keyword
phrase) of an entry the comment says (recall), and how much of what the comment
says belongs to that entry's vocabulary (precision), combined as their geometric
mean. Words are folded, function words dropped and stems compared. Precision
weighs each stem by how few entries use it, so "konto" counts less than
"faktura", and words the library never uses count against a match.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict, Field, model_validator

from replyloop.data import load_json
from replyloop.reactions.matching import terms
from replyloop.text import fold

__all__ = ["FaqEntry", "FaqLibrary", "FaqMatch", "tracked_link"]

UTM_MEDIUM = "social"
UTM_CAMPAIGN = "replyloop-faq"
# A one-word phrase proves at most 3/4 of a match on its own.
MIN_PHRASE_TERMS = 4 / 3
# Words the library never uses still count in the comment, a little less than the library's rarest words.
UNKNOWN_WORD_WEIGHT = 0.7


class FaqEntry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z]{2}-[a-z0-9-]+$")
    language: str
    questions: tuple[str, ...] = Field(min_length=2, description="Paraphrases of the question.")
    keywords: tuple[str, ...] = Field(default=(), description="Distinctive words or phrases of the topic.")
    answer: str = Field(min_length=20)
    link: str = Field(pattern=r"^https://")


class _FaqFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    language: str
    stop_words: tuple[str, ...] = ()
    entries: tuple[FaqEntry, ...]

    @model_validator(mode="after")
    def _consistent(self) -> _FaqFile:
        wrong = [e.id for e in self.entries if e.language != self.language or not e.id.startswith(self.language)]
        if wrong:
            raise ValueError(f"entries not in {self.language}: {wrong}")
        ids = [e.id for e in self.entries]
        if len(ids) != len(set(ids)):
            raise ValueError("FAQ ids must be unique")
        return self


@dataclass(frozen=True, slots=True)
class FaqMatch:
    entry: FaqEntry
    score: float


def tracked_link(link: str, *, platform: str, faq_id: str) -> str:
    """The entry's link with UTM parameters, so help-page visits count per platform and per entry."""
    parts = urlsplit(link)
    query = [(k, v) for k, v in parse_qsl(parts.query) if not k.startswith("utm_")]
    query += [
        ("utm_source", platform),
        ("utm_medium", UTM_MEDIUM),
        ("utm_campaign", UTM_CAMPAIGN),
        ("utm_content", faq_id),
    ]
    return urlunsplit(parts._replace(query=urlencode(query)))


@dataclass(frozen=True, slots=True)
class _Indexed:
    entry: FaqEntry
    phrases: tuple[frozenset[str], ...]
    vocabulary: frozenset[str]


class _Language:
    """One language's entries, indexed once per container."""

    def __init__(self, entries: Iterable[FaqEntry], stop_words: Iterable[str]) -> None:
        self.stop_words = frozenset(fold(word) for word in stop_words)
        self.entries: list[_Indexed] = []
        for entry in entries:
            phrases = [frozenset(terms(text, self.stop_words)) for text in (*entry.questions, *entry.keywords)]
            phrases = [phrase for phrase in phrases if phrase]
            vocabulary = frozenset().union(*phrases)
            self.entries.append(_Indexed(entry, tuple(phrases), vocabulary))
        self.df = Counter(term for indexed in self.entries for term in indexed.vocabulary)

    def weight(self, term: str) -> float:
        df = self.df.get(term)
        return UNKNOWN_WORD_WEIGHT if df is None else 1.0 / (1.0 + math.log(df))

    def total(self, words: Iterable[str]) -> float:
        return sum(self.weight(term) for term in words)

    def best(self, text: str) -> FaqMatch | None:
        query = frozenset(terms(text, self.stop_words))
        query_weight = self.total(query)
        if not query_weight:
            return None
        ranked: list[tuple[float, float, FaqEntry]] = []
        for indexed in self.entries:
            shared = query & indexed.vocabulary
            if not shared:
                continue
            precision = self.total(shared) / query_weight
            recalls = [len(query & phrase) / max(len(phrase), MIN_PHRASE_TERMS) for phrase in indexed.phrases]
            score = round(math.sqrt(precision * max(recalls)), 3)
            # Ties go to the entry whose paraphrases agree more often with the comment.
            ranked.append((score, sum(recalls) / len(recalls), indexed.entry))
        if not ranked:
            return None
        score, _, entry = max(ranked, key=lambda item: item[:2])
        return FaqMatch(entry, score)


class FaqLibrary:
    """Entries per language; `best` returns the top candidate with its score, the caller applies the threshold."""

    def __init__(self, files: Mapping[str, _FaqFile]) -> None:
        self._languages = {lang: _Language(file.entries, file.stop_words) for lang, file in files.items()}

    @classmethod
    def load(cls, languages: Iterable[str]) -> FaqLibrary:
        return cls({lang: _FaqFile.model_validate(load_json(f"reactions/faq/{lang}.json")) for lang in languages})

    @property
    def languages(self) -> list[str]:
        return list(self._languages)

    def entries(self, lang: str) -> list[FaqEntry]:
        return [indexed.entry for indexed in self._languages[lang].entries]

    def best(self, text: str, languages: Iterable[str]) -> FaqMatch | None:
        """The best-scoring entry over `languages` (unknown languages are skipped), or None without overlap."""
        candidates = [self._languages[lang].best(text) for lang in languages if lang in self._languages]
        found = [match for match in candidates if match is not None]
        return max(found, key=lambda match: match.score, default=None)
