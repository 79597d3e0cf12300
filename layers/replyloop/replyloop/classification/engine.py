"""The classifier's hot path: one comment in, one `Classification` out, in a few passes over lists.

A comment is split on whitespace into chunks; each distinct chunk is analysed once (lower-cased, links,
e-mails and mentions taken out, folded, de-obfuscated, split into tokens, its digits, Polish letters and
emoji counted) and remembered, bounded. Each distinct token is looked up once: the cue it is on its own,
the phrases it links to its neighbours (see patterns.CueIndex). A comment then mostly costs a split and a
few `map`, `filter` and `zip` passes in C, with Python only for the words that matter; the special
patterns' regexes run only on chunks never seen before, or on a comment that holds what they need (digits
for a phone number, "#" for hashtags).

Special patterns spanning chunks (phone numbers, money rates, hashtags) are looked for in the whole text
only when the chunks hold what they need (digits, a currency, "#"); when one is there, it is taken out and
the rest read chunk by chunk again. normalise.prepare reads a comment the plain way (the whole text first):
tests check that both give the same tokens.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Sequence
from functools import partial, reduce
from itertools import chain, compress, islice
from operator import attrgetter, is_, itemgetter, or_
from typing import Any

from replyloop.classification.language import LETTER_CAP as _LETTER_CAP
from replyloop.classification.language import LETTER_WEIGHT as _LETTER_WEIGHT
from replyloop.classification.lexicon import UNDETERMINED, Cue, Entry, Lexicon, Special
from replyloop.classification.normalise import MAX_CHARS, joined_letters, take_out, tokenise
from replyloop.classification.routing import Route
from replyloop.classification.rules import apply as apply_rules
from replyloop.data import OVERRIDE_ENV, override_dir
from replyloop.models.classification import LABELS, Classification, Label

__all__ = ["NO_EVIDENCE", "PRECEDENCE", "Engine", "data_dir", "score_of"]

# Tie-break order: the label that needs the most care first.
PRECEDENCE: tuple[Label, ...] = ("sensitive", "toxic", "spam", "complaint", "idea", "question", "praise", "other")
NO_EVIDENCE = "rule:no-evidence"
_MAX_REASONS = 16
# Distinct chunks and scores remembered; comments are unbounded, so the memory is not.
_MEMO_SIZE = 100_000
# How far back a negator still turns praise around ("nie jest super", "not very good").
_NEGATION_WINDOW = 2
_NEGATED = "negated:"

_Q, _C, _I, _P, _T, _S, _SEN, _O = (LABELS.index(label) for label in LABELS)
_LABEL_COUNT = len(LABELS)
_BY_PRECEDENCE = tuple(LABELS.index(label) for label in PRECEDENCE)
_POLISH = "ąćęłńóśźż"
_CLAUSE_END = frozenset(".!?;:\n")
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz")
_WORD = re.compile(r"[a-z0-9]")
_CHUNK = re.compile(r"\S+")

_FIRST = itemgetter(0)
_VECTOR = attrgetter("vector")
_NAMED = attrgetter("named")
_SARCASM_ENTRIES = attrgetter("sarcasm")
_IS_PRAISE = attrgetter("praise")
_REASONS = attrgetter("reasons")
_DIGITS = attrgetter("digits")
_LETTER_COUNT = attrgetter("letters")
_RARE = attrgetter("rare")
_NEEDS = attrgetter("needs")
_MISSING = partial(is_, None)

_new = object.__new__
_set = object.__setattr__
_FIELDS = frozenset(Classification.model_fields) - {"second_opinion"}


def score_of(weight: float) -> float:
    """Evidence adds up with diminishing returns: 1 cue of weight 1 -> 0.63, two -> 0.86."""
    return round(1.0 - math.exp(-weight), 3) if weight > 0 else 0.0


# ---------------------------------------------------------------------------- the data directory


def _environment() -> tuple[Any, Any, Any] | None:
    """os.environ's own mapping, the key and the decoder, to read REPLYLOOP_DATA_DIR without the exception
    `os.environ.get` raises and catches when it is unset (a tenth of a comment's time); None if this
    Python's os.environ is not built that way, and override_dir() is used."""
    try:
        found = (os.environ._data, os.environ.encodekey(OVERRIDE_ENV), os.environ.decodevalue)  # type: ignore[attr-defined]
    except (AttributeError, TypeError):  # pragma: no cover - another os.environ
        return None
    return found if isinstance(found[0], dict) else None


_ENVIRON = _environment()


def data_dir() -> str | None:
    """What replyloop.data.override_dir() says, read without its cost."""
    if _ENVIRON is None:  # pragma: no cover
        return override_dir()
    raw = _ENVIRON[0].get(_ENVIRON[1])
    return (_ENVIRON[2](raw) or None) if raw is not None else None


# ---------------------------------------------------------------------------- chunks


class Note:
    """What is unusual about a chunk: digits, special patterns, emoji, single letters, de-obfuscations."""

    __slots__ = ("digits", "emoji", "letters", "needs", "rare", "resolved", "specials", "stripped")

    def __init__(self) -> None:
        self.rare = False  # specials, emoji or de-obfuscations (not only digits or single letters)
        self.digits = 0
        self.needs = 0  # the whole-text specials (bits, see Engine.needed) whose needs the chunk holds
        self.specials: tuple[Special, ...] = ()
        self.stripped = ""  # the chunk without its specials (when it has some)
        self.emoji: tuple[str, ...] = ()
        self.letters = 0  # single-letter tokens ("K U R W A")
        self.resolved: tuple[tuple[str, str], ...] = ()


# What a token is to the classifier, worked out once per distinct token, as a tuple (a comment's tokens are
# read as columns with one `zip`): the token; its Cue as a word on its own (or 0); the phrases it links by the
# next word and by the previous word ({word: Link}, see patterns.CueIndex); the phrases of stems only it
# starts (or 0); whether it ends a clause; whether a clause filler (True) or opener (False) may start with it
# (None: neither).
TokenInfo = tuple[str, Any, Any, Any, Any, bool, "bool | None"]
# A chunk as the classifier reads it: its tokens' TokenInfo, its Polish letters, and what is unusual about it.
Chunk = tuple[tuple[TokenInfo, ...], int, "Note | None"]


def _analyse(chunk: str, lexicon: Lexicon, info_of: Any, needed: Sequence[tuple[int, Any]]) -> Chunk:
    """A chunk lower-cased, its local specials taken out, folded, de-obfuscated and split into tokens."""
    lowered = chunk.lower()
    note = Note()
    note.digits = sum(map(str.isdecimal, lowered)) if not lowered.isalpha() else 0
    text = lowered
    specials: list[Special] = []
    for special in lexicon.local_specials:
        if special.needs is None or special.needs.found_in(text):
            text = take_out(special, text, specials)
    if specials:
        note.specials = tuple(specials)
        note.stripped = text
    note.needs = sum(bit for bit, needs in needed if needs.found_in(text))
    tokens, resolved = tokenise(text, lexicon)
    note.resolved = resolved
    note.letters = sum(len(token) == 1 and token in _LETTERS for token in tokens)
    polish = 0
    if not text.isascii():
        polish = sum(map(text.count, _POLISH))
        emoji = lexicon.emoji
        note.emoji = tuple(char for char in text if char in emoji)
    note.rare = bool(note.specials or note.emoji or note.resolved)
    unusual = note.digits or note.letters or note.rare or note.needs
    return tuple(map(info_of, tokens)), polish, note if unusual else None


# ---------------------------------------------------------------------------- the engine


# What `Engine.read` gives: token infos, Polish letters, specials, emoji, a question mark, de-obfuscations,
# and whether there are words besides the emoji (True when there is no emoji).
Read = tuple[list["TokenInfo"], int, Sequence[Special], Sequence[str], bool, Sequence[tuple[str, str]], bool]


class Engine:
    """A compiled lexicon and routing table, and the memos of what was read with them."""

    def __init__(self, lexicon: Lexicon, routes: dict[Label, Route]) -> None:
        self.lexicon = lexicon
        self.routes = {label: (route.needs_response, route.priority, route.team) for label, route in routes.items()}
        self.chunks: dict[str, Chunk] = {}
        self.infos: dict[str, TokenInfo] = {}
        self.scores: dict[float, float] = {0.0: 0.0}
        self.slot_count = len(lexicon.slots)
        self.zeros = [0.0] * self.slot_count
        self.languages = tuple(
            (code, language.stop_words, lexicon.slots.index(code)) for code, language in lexicon.languages.items()
        )
        self.reasons_in = {lang: itemgetter(lang) for lang in (*lexicon.languages, UNDETERMINED)}
        self.thresholds = lexicon.thresholds
        self.index = lexicon.cues

        self.all_negators = lexicon.all_negators
        self.negated_share = lexicon.negated_share
        self.question_mark_weight = lexicon.question_mark_weight
        # Clause openers and fillers by their first word, for one look-up per clause.
        self.heads = {**dict.fromkeys(lexicon.opener_heads, False), **dict.fromkeys(lexicon.filler_heads, True)}
        # Each local special's chunk without it ("see: http://x.pl" -> "see: "), lower-cased.
        self.stripped: dict[str, str] = {}
        # Whole-text specials (phone numbers, hashtags, money rates), each a bit: those whose needs cannot span
        # whitespace are looked for once per chunk (`needed`); the others (`always`) whenever digits allow.
        self.needed = tuple(
            (1 << position, special.needs)
            for position, special in enumerate(lexicon.text_specials)
            if special.needs is not None and not any(map(str.isspace, special.needs.pattern))
        )
        self.always = sum(1 << position for position in range(len(lexicon.text_specials))) - sum(
            bit for bit, _ in self.needed
        )
        # The fewest digits one of the `always` specials needs (a comment with fewer skips them all).
        self.always_digits = min(
            (
                special.min_digits
                for position, special in enumerate(lexicon.text_specials)
                if self.always >> position & 1
            ),
            default=1 << 30,
        )

    # ------------------------------------------------------------------------ reading

    def info_of(self, token: str) -> TokenInfo:
        """The TokenInfo of `token` (made once per distinct token)."""
        info = self.infos.get(token)
        if info is None:
            end = token[-1] in _CLAUSE_END and not token[0].isalnum()
            info = self.infos[token] = (token, *self.index.about(token), end, self.heads.get(token))
        return info

    def _learn(self, chunks: list[str], infos: list[Chunk | None]) -> list[Chunk]:
        memo = self.chunks
        if len(memo) >= _MEMO_SIZE:
            memo.clear()
            self.stripped.clear()
            self.infos.clear()
            infos = [None] * len(infos)  # the comment's chunks read so far must be in the memos again
        lexicon = self.lexicon
        for position in compress(range(len(infos)), map(_MISSING, infos)):
            chunk = chunks[position]
            known = memo.get(chunk)
            if known is None:
                known = memo[chunk] = _analyse(chunk, lexicon, self.info_of, self.needed)
                if known[2] is not None and known[2].specials:
                    self.stripped[chunk] = known[2].stripped
            infos[position] = known
        return infos  # type: ignore[return-value]

    def read(self, text: str, *, whole: bool = True) -> Read:
        """Tokens (as TokenInfo), Polish letters, specials, emoji, a question mark, de-obfuscations and whether
        there are words. `whole`: look for the specials that span chunks (not again in what is left of them)."""
        if len(text) > MAX_CHARS:
            text = text[:MAX_CHARS]
        chunks = text.replace("\n", " . ").split() if "\n" in text else text.split()
        infos = list(map(self.chunks.get, chunks))
        if None in infos:
            infos = self._learn(chunks, infos)
        if not infos:
            return [], 0, (), (), "?" in text, (), True
        per_chunk, polishes, notes = zip(*infos, strict=True)
        tokens = list(chain.from_iterable(per_chunk))
        polish = 0 if text.isascii() else sum(polishes)
        notes = list(filter(None, notes))
        if not notes:
            if whole and not self.always_digits and self._whole_text(text, 0, self.always, None):
                return self._reread(text, 0, None, set())
            return tokens, polish, (), (), "?" in text, (), True
        specials: Sequence[Special] = ()
        found, emoji, resolved = _rare(notes)
        digits = sum(map(_DIGITS, notes))
        needed = reduce(or_, map(_NEEDS, notes), 0)
        if whole and (needed or digits >= self.always_digits):
            needed |= self.always
            stripped = self._stripped(text) if found else None
            if self._whole_text(text, digits, needed, stripped):
                return self._reread(text, digits, stripped, found)
        question = "?" in text
        if found:
            specials = [special for special in self.lexicon.special_order if special in found]
            if question:  # a "?" inside a link is not a question
                question = "?" in " ".join(map(self.stripped.get, chunks, chunks))
        if sum(map(_LETTER_COUNT, notes)) >= 3:
            joined = joined_letters(list(map(_FIRST, tokens)))
            if len(joined) != len(tokens):
                tokens = list(map(self.info_of, joined))
        words = not emoji or _WORD.search(" ".join(map(_FIRST, tokens))) is not None
        return tokens, polish, specials, emoji, question, resolved, words

    def _stripped(self, text: str) -> str:
        """`text` lower-cased without its local specials, its whitespace kept (phone numbers and hashtags are
        looked for in it: they do not run across a line break)."""
        get = self.stripped.get
        return _CHUNK.sub(lambda match: get(match.group(), match.group().lower()), text)

    def _whole_text(self, text: str, digits: int, needed: int, stripped: str | None) -> bool:
        """Whether a whole-text special (phone, hashtags, money) is in the text: its digits and needs (`needed`,
        bits), then its regex on the text without the local specials."""
        rest = None
        for position, special in enumerate(self.lexicon.text_specials):
            if digits < special.min_digits or not needed >> position & 1:
                continue
            if rest is None:
                rest = stripped if stripped is not None else text.lower()
            if (special.needs is None or special.needs.found_in(rest)) and special.regex.search(rest):
                return True
        return False

    def _reread(self, text: str, digits: int, stripped: str | None, found: set[Special]) -> Read:
        """A comment with whole-text specials: taken out in order of common.json (each looked for in what the
        previous ones left), the rest read chunk by chunk again."""
        rest = stripped if stripped is not None else text.lower()
        taken: list[Special] = []
        for special in self.lexicon.text_specials:
            if digits >= special.min_digits and (special.needs is None or special.needs.found_in(rest)):
                rest = take_out(special, rest, taken)
        read = self.read(rest, whole=False)
        # What is left may hold local specials that the whole-text ones hid ("www.x.com600-000-144").
        found = found | set(taken) | set(read[2])
        specials = [special for special in self.lexicon.special_order if special in found]
        return read[0], read[1], specials, read[3], read[4], read[5], read[6]

    def words(self, text: str) -> tuple[list[str], int]:
        """The tokens of `text` and its Polish letters, as the classifier reads them."""
        read = self.read(text)
        return list(map(_FIRST, read[0])), read[1]

    # ------------------------------------------------------------------------ judging

    def classify(self, text: str, lang: str | None = None) -> Classification:
        return self.judge(self.read(text), lang)

    def judge(self, read: Read, lang: str | None) -> Classification:
        """The classification of a comment read by `read`."""
        infos, polish = read[0], read[1]
        if infos:
            columns = tuple(zip(*infos, strict=True))
            tokens = columns[0]
            cues, named, weights = self._cues(columns)
            openers = _openers(columns, self.lexicon, weights)
        else:
            tokens, cues, named, weights, openers = (), [], None, self.zeros.copy(), None
        notes, sarcasm_notes = self._notes(weights, read)
        language = lang.strip().lower() if lang else None
        if not language:
            language = self._language(tokens, polish, weights)
        rules, sarcastic = apply_rules(weights, self.thresholds)
        # The reasons, in firing order: cues, openers, patterns, emoji, punctuation, then the rules.
        if named is not None:
            reasons = [prefix + entry.reason(language) for prefix, entry in named]
        elif language in self.reasons_in:
            reasons = list(chain.from_iterable(map(self.reasons_in[language], map(_REASONS, cues))))
        else:
            reasons = [entry.reason(language) for cue in cues for _, entry in cue.named]
        if openers:
            reasons += [entry.reason(language) for entry in openers]
        reasons += notes
        if rules:
            reasons += rules
            if sarcastic:
                reasons += [entry.reason(language) for entry in chain.from_iterable(map(_SARCASM_ENTRIES, cues))]
                reasons += sarcasm_notes
        return self._outcome(weights, language, reasons)

    def _cues(self, columns: tuple[tuple[Any, ...], ...]) -> tuple[list[Cue], Any, list[float]]:
        """The lexicon cues: single words from what each token is, phrases by their links, chosen as a
        left-to-right scan would (see patterns.CueIndex); with negated praise turned into complaint."""
        index = self.index
        tokens, singles, nexts, previous, stemmed = columns[:5]
        found = None
        if len(tokens) > 1:
            # For each pair of adjacent tokens, the phrases it may be part of (mostly none).
            ahead = list(map(dict.get, nexts, islice(tokens, 1, None)))
            if any(ahead):
                found = index.linked(tokens, ahead)
            behind = list(map(dict.get, islice(previous, 1, None), tokens))
            if any(behind):
                found = (found or []) + index.linked(tokens, behind)
        if any(stemmed):
            found = (found or []) + index.stemmed(tokens, stemmed)
        if found:
            singles = index.choose(found, list(singles))
        cues = list(filter(None, singles))
        if not cues:
            return cues, None, self.zeros.copy()
        vectors = list(map(_VECTOR, cues))
        named = None
        if not self.all_negators.isdisjoint(tokens) and any(map(_IS_PRAISE, cues)):
            starts = list(compress(range(len(tokens)), singles))
            named = _turn_negated_praise(cues, starts, tokens, vectors, self.negated_share)
        return cues, named, list(map(sum, zip(*vectors, strict=True)))

    def _notes(self, weights: list[float], read: Read) -> tuple[list[str], list[str]]:
        """Special patterns, emoji, the question mark and de-obfuscations: weights, and their reasons (those of
        sarcastic emoji apart)."""
        _, _, specials, emoji, question, resolved, words = read
        notes: list[str] = []
        sarcasm_notes: list[str] = []
        for special in specials:
            weights[special.slot] += special.weight
            notes.append(special.reason)
        if emoji:
            if not words:
                notes.append("rule:emoji-only")  # whatever the emoji, a reaction without words is chit-chat
            else:
                lexicon = self.lexicon
                for char in emoji:
                    label = lexicon.emoji[char]
                    weights[lexicon.slot_of[label]] += lexicon.emoji_weight
                    (sarcasm_notes if label == "sarcasm" else notes).append(f"emoji:{label}:{char}")
        if question:
            weights[_Q] += self.question_mark_weight
            notes.append("punct:question-mark")
        if resolved:
            notes += [f"deobfuscated:{where}:{word}" for word, where in resolved]
        return notes, sarcasm_notes

    def _language(self, tokens: list[str], polish: int, weights: list[float]) -> str:
        """As language.decide_language: distinct stop words, Polish letters, votes of one-language cues."""
        language, best, tied = UNDETERMINED, 0.0, False
        for code, stop_words, slot in self.languages:
            score = len(stop_words.intersection(tokens)) + weights[slot]
            if polish and code == "pl":
                score += _LETTER_WEIGHT * (polish if polish < _LETTER_CAP else _LETTER_CAP)
            if score > best:
                language, best, tied = code, score, False
            elif score == best and score:
                tied = True
        return UNDETERMINED if tied else language

    def _outcome(self, weights: list[float], language: str, reasons: list[str]) -> Classification:
        """Scores, the label (PRECEDENCE breaks ties), the confidence and the route, as a Classification.

        Built as pydantic's `model_construct` builds a model, without its per-field loop: the values are valid
        by construction (labels from LABELS, scores and confidence rounded into [0, 1], routes validated when
        the routing table was loaded); tests check that validation gives the same model.
        """
        memo = self.scores
        scores = list(map(memo.get, weights[:_LABEL_COUNT]))
        if None in scores:
            if len(memo) >= _MEMO_SIZE:
                memo.clear()
            for position, score in enumerate(scores):
                if score is None:
                    scores[position] = memo[weights[position]] = score_of(weights[position])
        top = max(scores)
        label = PRECEDENCE[list(map(scores.__getitem__, _BY_PRECEDENCE)).index(top)]
        if not reasons:
            reasons = [NO_EVIDENCE]
        elif len(reasons) > 1:
            reasons = list(dict.fromkeys(reasons))
            del reasons[_MAX_REASONS:]
        needs_response, priority, team = self.routes[label]
        made = _new(Classification)
        _set(
            made,
            "__dict__",
            {
                "label": label,
                "scores": dict(zip(LABELS, scores, strict=True)),
                # The top score discounted by half the runner-up: a clear margin is confident, a close call not.
                "confidence": round(top - sorted(scores)[-2] / 2, 3),
                "lang": language,
                "reasons": reasons,
                "needs_response": needs_response,
                "priority": priority,
                "team": team,
                "second_opinion": None,
            },
        )
        _set(made, "__pydantic_fields_set__", set(_FIELDS))
        _set(made, "__pydantic_extra__", None)
        _set(made, "__pydantic_private__", None)
        return made


def _rare(notes: list[Note]) -> tuple[set[Special], list[str], list[tuple[str, str]]]:
    """The local specials, emoji and de-obfuscations the notes of a comment's chunks hold."""
    found: set[Special] = set()
    emoji: list[str] = []
    resolved: list[tuple[str, str]] = []
    for note in filter(_RARE, notes):
        if note.specials:
            found.update(note.specials)
        if note.emoji:
            emoji += note.emoji
        if note.resolved:
            resolved += note.resolved
    return found, emoji, resolved


def _negated(tokens: list[str], start: int, entry: Entry) -> bool:
    for index in range(start - 1, max(-1, start - 1 - _NEGATION_WINDOW), -1):
        word = tokens[index]
        if not word[0].isalnum():
            return False  # clause punctuation: the negation belongs to another clause
        if word in entry.negators:
            return True
    return False


def _turn_negated_praise(
    cues: list[Cue], starts: list[int], tokens: list[str], vectors: list[tuple[float, ...]], share: float
) -> list[tuple[str, Entry]] | None:
    """Praise right after a negator ("nie jest super", "not impressed") counts for complaint instead.

    Changes `vectors` in place; returns the cues as reasons name them, or None when nothing was negated.
    """
    named: list[tuple[str, Entry]] | None = None
    for position, cue in enumerate(cues):
        negated: tuple[Entry, ...] = ()
        if cue.praise and starts[position]:
            start = starts[position]
            negated = tuple(
                entry for entry in cue.entries if entry.label == "praise" and _negated(tokens, start, entry)
            )
        if negated:
            if named is None:
                named = list(chain.from_iterable(map(_NAMED, cues[:position])))
            vector = list(vectors[position])
            for entry in negated:
                vector[_P] -= entry.weight
                vector[_C] += entry.weight * share
            vectors[position] = tuple(vector)
            named += [(_NEGATED if entry in negated else "", entry) for _, entry in cue.named]
        elif named is not None:
            named += cue.named
    return named


def _openers(columns: tuple[tuple[Any, ...], ...], lexicon: Lexicon, weights: list[float]) -> list[Entry] | None:
    """Clause openers ("jak", "how do", "could you"): at the start of a clause, after greetings and fillers
    ("Hi, so how do I..."). Sentence punctuation starts a clause; a comma does only after a greeting
    ("Hej, jak...") because in Polish it also opens relative clauses ("apka, która działa")."""
    tokens, ends, heads = columns[0], columns[5], columns[6]
    found: list[Entry] | None = None
    clauses = [0]
    # `ends[i]` says token i ends a clause; paired with range(1, ...) it selects i + 1, where the next begins.
    clauses += compress(range(1, len(tokens)), ends)
    for clause in clauses:
        filler = heads[clause]
        if filler is None:
            continue
        match = _after_fillers(tokens, clause, lexicon) if filler else _longest(lexicon.opener_heads, tokens, clause)
        if match:
            for entry in match:
                if entry.slot >= 0:
                    weights[entry.slot] += entry.weight
                    if found is None:
                        found = [entry]
                    else:
                        found.append(entry)
    return found


def _longest(root: dict[str, Any], tokens: list[str], at: int) -> Any:
    """The values of the longest phrase of a literal trie (nested {token: (values, children)}) at `at`."""
    best = None
    node = root.get(tokens[at])
    count = len(tokens)
    while node is not None:
        at += 1
        if node[0]:
            best = (at, node[0])
        if not node[1] or at >= count:
            break
        node = node[1].get(tokens[at])
    return best[1] if best is not None else None


def _longest_end(root: dict[str, Any], tokens: list[str], at: int) -> int:
    """Where the longest phrase of a literal trie at `at` ends, or -1."""
    end = -1
    node = root.get(tokens[at])
    count = len(tokens)
    while node is not None:
        at += 1
        if node[0]:
            end = at
        if not node[1] or at >= count:
            break
        node = node[1].get(tokens[at])
    return end


def _after_fillers(tokens: list[str], clause: int, lexicon: Lexicon) -> Any:
    """Greetings and fillers first, as many as there are; then the opener, backing off filler by filler."""
    count = len(tokens)
    positions = [clause]
    at = clause
    while at < count:
        end = _longest_end(lexicon.filler_heads, tokens, at)
        if end < 0:
            break
        at = end
        if at < count and tokens[at][0] == "," and not tokens[at].strip(","):
            at += 1
        positions.append(at)
    for at in reversed(positions):
        if at < count:
            found = _longest(lexicon.opener_heads, tokens, at)
            if found is not None:
                return found
    return None
