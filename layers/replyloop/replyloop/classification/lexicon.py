"""The classifier's data files (cues per language, common patterns, rules) loaded and compiled once per container."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from replyloop.classification.obfuscation import Deobfuscator
from replyloop.classification.patterns import PatternSet, normalise_pattern, trie_pattern
from replyloop.data import load_json, override_dir
from replyloop.models.classification import LABELS

__all__ = ["Entry", "Language", "Lexicon", "Special", "current", "load_lexicon"]

COMMON_FILE = "classification/common.json"
LANGUAGE_FILE = "classification/{lang}.json"
# Cues that are not labels: sarcasm markers tip praise into complaint; neutral phrases only shadow shorter cues.
PSEUDO_LABELS = ("sarcasm", "neutral")
_OPENER_LABELS = ("question", "idea", "neutral")
# The thresholds rules.py reads from common.json; a deployment's file must keep every one.
RULE_NAMES = (
    "other_evidence",
    "sensitive_min",
    "complaint_over_praise_min",
    "praise_kept_under_complaint",
    "sarcasm_complaint_bonus",
    "complaint_over_question_min",
    "question_kept_under_complaint",
    "idea_over_question_min",
    "question_kept_under_idea",
    "question_over_praise_min",
    "praise_kept_under_question",
    "toxic_over_rest_min",
    "rest_kept_under_toxic",
    "spam_over_rest_min",
    "rest_kept_under_spam",
    "negated_praise_as_complaint",
)
# Sentence punctuation starts a clause; a comma does only after a greeting ("Hej, jak...") because in
# Polish it also opens relative clauses ("apka, która działa").
_BOUNDARY = r"[.!?;:\n]+"


@dataclass(frozen=True, slots=True)
class Entry:
    """One cue: the label it supports, by how much, and how a reason names it."""

    label: str
    pattern: str
    weight: float
    langs: tuple[str, ...]
    opener: bool = False

    def reason(self, lang: str) -> str:
        """E.g. "pl:complaint:nie dzial*" or "opener:en:how do i", in the text's language when the cue has several."""
        shown = lang if lang in self.langs else self.langs[0]
        return f"opener:{shown}:{self.pattern}" if self.opener else f"{shown}:{self.label}:{self.pattern}"


@dataclass(frozen=True, slots=True)
class Special:
    """A language-independent pattern (URL, phone number...) found on the lower-cased text.

    `needs` (substrings, any of them) and `min_digits` are cheap checks that skip the regex for most
    comments; `inner` is a stronger pattern looked for inside each match (a casino or crypto domain
    inside a link), reported as a special of its own.
    """

    name: str
    regex: re.Pattern[str]
    label: str
    weight: float
    needs: re.Pattern[str] | None = None
    min_digits: int = 0
    inner: Special | None = None

    def present(self, folded: str, digits: int) -> bool:
        if digits < self.min_digits:
            return False
        return self.needs is None or self.needs.search(folded) is not None


def _special(name: str, spec: dict[str, Any]) -> Special:
    inner = dict(spec["inner"]) if spec.get("inner") else None
    return Special(
        name,
        re.compile(spec["regex"]),
        spec["label"],
        float(spec["weight"]),
        re.compile("|".join(re.escape(needed) for needed in spec["needs"])) if spec.get("needs") else None,
        int(spec.get("min_digits", 0)),
        _special(inner.pop("name"), inner) if inner else None,
    )


@dataclass(frozen=True, slots=True)
class Language:
    """What tells a language apart, and its negators."""

    code: str
    stop_words: frozenset[str]
    negators: frozenset[str]


@dataclass(frozen=True)
class Lexicon:
    """Everything the classifier reads, compiled: one regex per kind of cue."""

    cues: PatternSet[Entry]
    openers: PatternSet[Entry]
    languages: dict[str, Language]
    negators: dict[str, frozenset[str]]
    deobfuscator: Deobfuscator
    specials: tuple[Special, ...]
    # Any of the specials' `needs` (None if one has no cheap check): with no digit either, all are skipped.
    special_needs: re.Pattern[str] | None
    emoji: dict[str, str]
    question_mark_weight: float
    emoji_weight: float
    rules: dict[str, float]
    # Filled as comments are read (see normalise.py): each distinct chunk's tokens, and its de-obfuscations.
    chunks: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    resolved: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict, compare=False, repr=False)


def _entries(
    raw: list[Any],
    label: str,
    lang: str,
    into: dict[tuple[str, str], Entry],
    leet: Deobfuscator,
    *,
    opener: bool = False,
) -> None:
    for item in raw:
        pattern, weight = (item, 1.0) if isinstance(item, str) else (item[0], float(item[1]))
        if label not in LABELS and label not in PSEUDO_LABELS:
            raise ValueError(f"{lang}: unknown label {label!r}")
        # The same de-leeting as the text gets, so that "f4f" in a data file matches "f4f" in a comment.
        normal = normalise_pattern(leet.text(normalise_pattern(pattern), []))
        known = into.get((normal, label))
        # The same cue in two languages is one cue (counted once), named by the language of the text.
        langs = (*known.langs, lang) if known and lang not in known.langs else (lang,)
        into[(normal, label)] = Entry(label, normal, max(weight, known.weight if known else 0.0), langs, opener)


def _pattern_set(entries: dict[tuple[str, str], Entry], before: str | None = None) -> PatternSet[Entry]:
    by_pattern: dict[str, list[Entry]] = {}
    for (pattern, _), entry in entries.items():
        by_pattern.setdefault(pattern, []).append(entry)
    return PatternSet(by_pattern) if before is None else PatternSet(by_pattern, before=before)


def _compile(common: dict[str, Any], per_language: dict[str, dict[str, Any]]) -> Lexicon:
    leet = Deobfuscator(str.maketrans(common.get("leet", {})), common.get("wildcards", "*"))
    cues: dict[tuple[str, str], Entry] = {}
    openers: dict[tuple[str, str], Entry] = {}
    fillers: set[str] = set()
    languages: dict[str, Language] = {}
    targets: list[tuple[str, str]] = []
    for lang, data in per_language.items():
        for label, raw in data.get("lexicon", {}).items():
            _entries(raw, label, lang, cues, leet)
        for label in PSEUDO_LABELS:
            _entries(data.get(label, []), label, lang, cues, leet)
        for label, raw in data.get("openers", {}).items():
            if label not in _OPENER_LABELS:
                raise ValueError(f"{lang}: openers may be {_OPENER_LABELS}, not {label!r}")
            _entries(raw, label, lang, openers, leet, opener=True)
        fillers.update(normalise_pattern(filler) for filler in data.get("fillers", []))
        languages[lang] = Language(
            code=lang,
            stop_words=frozenset(normalise_pattern(word) for word in data.get("stop_words", [])),
            negators=frozenset(normalise_pattern(word) for word in data.get("negators", [])),
        )
        targets += [(normalise_pattern(word), lang) for word in data.get("obfuscation_targets", [])]
    # An opener counts at the start of a clause, after greetings and fillers ("Hi, so how do I...").
    before = f"{_BOUNDARY} (?:{trie_pattern(fillers)} (?:,+ )?)*"
    specials = tuple(_special(name, spec) for name, spec in common.get("patterns", {}).items())
    needs = [special.needs.pattern for special in specials if special.needs is not None]
    gated = all(special.needs is not None or special.min_digits for special in specials)
    special_needs = re.compile("|".join(needs) or "(?!)") if gated else None
    emoji = {char: label for label, chars in common.get("emoji", {}).items() for char in chars}
    return Lexicon(
        cues=_pattern_set(cues),
        openers=_pattern_set(openers, before=before),
        languages=languages,
        negators={lang: language.negators for lang, language in languages.items()},
        deobfuscator=Deobfuscator(leet.leet, leet.wildcards, tuple(targets)),
        specials=specials,
        special_needs=special_needs,
        emoji=emoji,
        question_mark_weight=float(common.get("question_mark_weight", 0.8)),
        emoji_weight=float(common.get("emoji_weight", 0.6)),
        rules=_rules(common.get("rules", {})),
    )


def _rules(raw: dict[str, Any]) -> dict[str, float]:
    missing = [name for name in RULE_NAMES if name not in raw]
    if missing:
        raise ValueError(f"{COMMON_FILE}: rules {missing} are missing")
    return {name: float(value) for name, value in raw.items()}


@cache
def load_lexicon(data_dir: str | None = None) -> Lexicon:
    """Compiled once per container per data directory (the packaged files, or a deployment's overrides)."""
    del data_dir  # only the cache key: load_json resolves the override itself
    common = load_json(COMMON_FILE)
    per_language = {lang: load_json(LANGUAGE_FILE.format(lang=lang)) for lang in common.get("languages", ["pl", "en"])}
    return _compile(common, per_language)


def current() -> Lexicon:
    """The lexicon for the data files in force now."""
    return load_lexicon(override_dir())
