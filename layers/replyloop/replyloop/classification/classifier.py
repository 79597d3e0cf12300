"""The rule-based classifier: one comment in, one explained `Classification` out, with no network call."""

from __future__ import annotations

from replyloop.classification.engine import NO_EVIDENCE, PRECEDENCE, Engine, data_dir, score_of
from replyloop.classification.lexicon import load_lexicon
from replyloop.classification.routing import load_routes
from replyloop.models.classification import Classification

__all__ = ["NO_EVIDENCE", "PRECEDENCE", "classify", "clear_engines", "current_engine", "score_of"]

# One engine per data directory in force (the packaged files, or a deployment's overrides).
_ENGINES: dict[str | None, Engine] = {}


def current_engine() -> Engine:
    """The engine for the data files in force now (REPLYLOOP_DATA_DIR read on every call, as data.py does)."""
    directory = data_dir()
    found = _ENGINES.get(directory)
    if found is None:
        found = _ENGINES[directory] = Engine(load_lexicon(directory), load_routes(directory))
    return found


def clear_engines() -> None:
    """Forget the engines (and what they remember), e.g. after rewriting a data file."""
    _ENGINES.clear()


def classify(text: str, *, lang: str | None = None) -> Classification:
    """Label `text` (Polish or English); `lang` overrides language detection."""
    return current_engine().classify(text, lang)
