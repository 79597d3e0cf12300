"""The classifier's data files (cues per language, common patterns, rules) loaded and compiled once per container."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from replyloop.classification.obfuscation import Deobfuscator
from replyloop.classification.patterns import CueIndex, Globs, normalise_pattern, variants
from replyloop.classification.rules import Thresholds
from replyloop.data import load_json, override_dir
from replyloop.models.classification import LABELS

__all__ = ["Entry", "Language", "Lexicon", "Special", "current", "load_lexicon"]

COMMON_FILE = "classification/common.json"
LANGUAGE_FILE = "classification/{lang}.json"
# Cues that are not labels: sarcasm markers tip praise into complaint; neutral phrases only shadow shorter cues.
PSEUDO_LABELS = ("sarcasm", "neutral")
UNDETERMINED = "und"
_OPENER_LABELS = ("question", "idea", "neutral")


@dataclass(frozen=True, slots=True)
class Entry:
    """One cue: the label it supports, by how much, and how a reason names it."""

    label: str
    pattern: str
    weight: float
    langs: tuple[str, ...]
    opener: bool = False
    # Filled at compile time: the negators of the cue's languages, and its reason in each language.
    negators: frozenset[str] = frozenset()
    named: Mapping[str, str] = field(default_factory=dict, compare=False)
    slot: int = -1  # where its label is in a weight vector (-1: neutral)

    def reason(self, lang: str) -> str:
        """E.g. "pl:complaint:nie dzial*" or "opener:en:how do i", in the text's language when the cue has several."""
        named = self.named.get(lang)
        if named is not None:
            return named
        shown = lang if lang in self.langs else self.langs[0]
        return f"opener:{shown}:{self.pattern}" if self.opener else f"{shown}:{self.label}:{self.pattern}"


class Needs:
    """Substrings, any of which a text must hold: checked as a few literal searches, which skip along the text.

    One regex alternation of them all would try every position of the text; grouped by their first
    character, each group is a search for that character (a literal prefix the regex engine jumps to).
    """

    def __init__(self, needs: Iterable[str]) -> None:
        groups: dict[str, set[str]] = {}
        for need in needs:
            if need:
                groups.setdefault(need[0], set()).add(need)
        plain: list[str] = []
        regexes: list[re.Pattern[str]] = []
        for first, group in groups.items():
            if first in group or len(group) == 1:
                plain.append(first if first in group else next(iter(group)))
            else:
                rests = sorted((need[1:] for need in group), key=len, reverse=True)
                regexes.append(re.compile(re.escape(first) + "(?:" + "|".join(map(re.escape, rests)) + ")"))
        self.plain = tuple(plain)
        self.regexes = tuple(regexes)
        self.pattern = "|".join(map(re.escape, sorted({need for group in groups.values() for need in group})))

    def found_in(self, text: str) -> bool:
        for need in self.plain:
            if need in text:
                return True
        return any(regex.search(text) for regex in self.regexes)


@dataclass(frozen=True, slots=True, eq=False)
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
    needs: Needs | None = None
    min_digits: int = 0
    inner: Special | None = None
    # Never matches whitespace: looked for word by word, once per distinct word.
    local: bool = False
    reason: str = ""  # "pattern:url"
    slot: int = -1  # where its label is in a weight vector


def _special(name: str, spec: dict[str, Any]) -> Special:
    if spec["label"] not in LABELS:
        raise ValueError(f"{COMMON_FILE}: pattern {name!r} has an unknown label {spec['label']!r}")
    inner = dict(spec["inner"]) if spec.get("inner") else None
    return Special(
        name,
        re.compile(spec["regex"]),
        spec["label"],
        float(spec["weight"]),
        Needs(spec["needs"]) if spec.get("needs") else None,
        int(spec.get("min_digits", 0)),
        _special(inner.pop("name"), inner) if inner else None,
        bool(spec.get("local", False)),
        f"pattern:{name}",
        LABELS.index(spec["label"]),
    )


class Cue:
    """What a lexicon match stands for, worked out once: its weights as a vector (labels, sarcasm, a vote for
    its language), the cues its reasons name, and whether a negator before it may turn praise around."""

    __slots__ = ("entries", "named", "praise", "preference", "reasons", "sarcasm", "vector")

    def __init__(
        self,
        entries: tuple[Entry, ...],
        preference: tuple[int, ...] | None,
        slots: Mapping[str, int],
        langs: Iterable[str] = (),
    ) -> None:
        self.entries = entries
        self.preference = preference
        vector = [0.0] * len(slots)
        for entry in entries:
            if entry.label in slots:
                vector[slots[entry.label]] += entry.weight
        # A cue that exists in one language only also votes for that language.
        if len(entries[0].langs) == 1 and entries[0].langs[0] in slots:
            vector[slots[entries[0].langs[0]]] += 1.0
        self.vector = tuple(vector)
        self.named = tuple(("", entry) for entry in entries if entry.label not in PSEUDO_LABELS)
        # Its reasons in each language of the lexicon (and "und"), ready to be listed.
        self.reasons = {lang: tuple(entry.reason(lang) for _, entry in self.named) for lang in langs}
        self.sarcasm = tuple(entry for entry in entries if entry.label == "sarcasm")
        self.praise = any(entry.label == "praise" for entry in entries)


@dataclass(frozen=True, slots=True)
class Language:
    """What tells a language apart, and its negators."""

    code: str
    stop_words: frozenset[str]
    negators: frozenset[str]


@dataclass(frozen=True)
class Lexicon:
    """Everything the classifier reads, compiled: the cue index, clause openers and fillers as tries."""

    cues: CueIndex[Cue]
    # Clause openers and fillers (literal words) as tries: {token: (values, children)}.
    opener_heads: dict[str, Any]
    filler_heads: dict[str, Any]
    # Where a label (or "sarcasm", or a language's vote) is in a weight vector.
    slot_of: dict[str, int]
    languages: dict[str, Language]
    all_negators: frozenset[str]
    # The praise weight a negated praise cue gives complaint instead ("nie jest super").
    negated_share: float
    thresholds: Thresholds
    deobfuscator: Deobfuscator
    # What a cue's vector holds, by position: the labels, "sarcasm", then a vote per language.
    slots: tuple[str, ...]
    # Special patterns looked for word by word (`local`, first), then those looked for in the whole text.
    local_specials: tuple[Special, ...]
    text_specials: tuple[Special, ...]
    # Every special and inner pattern, in the order their reasons are given.
    special_order: tuple[Special, ...]
    emoji: dict[str, str]
    question_mark_weight: float
    emoji_weight: float


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
        langs = (*known.langs, lang) if known and lang not in known.langs else (known.langs if known else (lang,))
        into[(normal, label)] = Entry(label, normal, max(weight, known.weight if known else 0.0), langs, opener)


def _finished(entry: Entry, languages: dict[str, Language], slot_of: Mapping[str, int]) -> Entry:
    """`entry` with its negators, its slot and its reason named in every language (no string is built per
    comment)."""
    negators = frozenset().union(*(languages[lang].negators for lang in entry.langs))
    bare = replace(entry, negators=negators, slot=slot_of.get(entry.label, -1))
    named = {lang: bare.reason(lang) for lang in (*languages, UNDETERMINED)}
    return replace(bare, named=named)


def _by_pattern(
    entries: dict[tuple[str, str], Entry], languages: dict[str, Language], slot_of: Mapping[str, int]
) -> dict[str, list[Entry]]:
    by_pattern: dict[str, list[Entry]] = {}
    for (pattern, _), entry in entries.items():
        by_pattern.setdefault(pattern, []).append(_finished(entry, languages, slot_of))
    return by_pattern


def _literal_trie(values_by_pattern: Mapping[str, Sequence[Any]]) -> dict[str, Any]:
    """Phrases of literal words as nested {token: (values, children)} (clause openers and fillers)."""
    root: dict[str, Any] = {}
    for pattern, values in values_by_pattern.items():
        if "*" in pattern:
            raise ValueError(f"openers and fillers are words, not stems: {pattern!r}")
        for key in variants(pattern):
            children, node = root, None
            for word in key.split(" "):
                node = children.get(word)
                if node is None:
                    node = children[word] = [(), {}]
                children = node[1]
            node[0] = (*node[0], *values)  # type: ignore[index]
    return _frozen(root)


def _frozen(trie: dict[str, Any]) -> dict[str, Any]:
    return {word: (tuple(node[0]), _frozen(node[1]) if node[1] else None) for word, node in trie.items()}


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
    thresholds = Thresholds(common.get("rules", {}))
    globs = Globs()
    slots = (*LABELS, "sarcasm", *languages)
    if len(set(slots)) != len(slots):
        raise ValueError(f"a language code may not be a label: {list(languages)}")
    slot_of = {name: position for position, name in enumerate(slots)}
    specials = tuple(_special(name, spec) for name, spec in common.get("patterns", {}).items())
    for special in specials:
        if special.local and special.min_digits:
            raise ValueError(f"{COMMON_FILE}: pattern {special.name!r} is local: it may not need digits")
    emoji = {char: label for label, chars in common.get("emoji", {}).items() for char in chars}
    return Lexicon(
        cues=CueIndex(
            _by_pattern(cues, languages, slot_of),
            globs,
            lambda entries, preference: Cue(entries, preference, slot_of, (*languages, UNDETERMINED)),
        ),
        slots=slots,
        opener_heads=_literal_trie(_by_pattern(openers, languages, slot_of)),
        filler_heads=_literal_trie(dict.fromkeys(fillers, (True,))),
        slot_of=slot_of,
        languages=languages,
        all_negators=frozenset().union(*(language.negators for language in languages.values())),
        negated_share=thresholds.negated_praise_as_complaint,
        thresholds=thresholds,
        deobfuscator=Deobfuscator(leet.leet, leet.wildcards, tuple(targets)),
        local_specials=tuple(special for special in specials if special.local),
        text_specials=tuple(special for special in specials if not special.local),
        special_order=tuple(
            found
            for special in (*(s for s in specials if s.local), *(s for s in specials if not s.local))
            for found in (special, special.inner)
            if found is not None
        ),
        emoji=emoji,
        question_mark_weight=float(common.get("question_mark_weight", 0.8)),
        emoji_weight=float(common.get("emoji_weight", 0.6)),
    )


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
