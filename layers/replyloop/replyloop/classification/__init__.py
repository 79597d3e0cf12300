"""Comment classification: fast, explainable rules over per-language data files, with an optional second opinion."""

from replyloop.classification.classifier import classify
from replyloop.classification.language import detect_language
from replyloop.classification.ports import SecondOpinion
from replyloop.classification.routing import route
from replyloop.classification.second_opinion import Reviewed, relabel, review_if_unsure
from replyloop.classification.triage import PublishFailed, Triage, Triaged

__all__ = [
    "PublishFailed",
    "Reviewed",
    "SecondOpinion",
    "Triage",
    "Triaged",
    "classify",
    "clear_caches",
    "detect_language",
    "relabel",
    "review_if_unsure",
    "route",
]


def clear_caches() -> None:
    """Forget compiled data and read files, e.g. after changing REPLYLOOP_DATA_DIR (tests, local tools)."""
    from replyloop.classification.classifier import clear_engines
    from replyloop.classification.lexicon import load_lexicon
    from replyloop.classification.routing import load_routes
    from replyloop.data import clear_cache

    clear_engines()
    load_lexicon.cache_clear()
    load_routes.cache_clear()
    clear_cache()
