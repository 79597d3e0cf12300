"""Near-duplicate ideas: same request in other words, case, diacritics or inflection merges; other requests never do."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from replyloop.ideas.lexicon import Lexicon, LexiconFile, load_lexicon
from replyloop.ideas.policy import load_policy
from replyloop.ideas.similarity import Candidate, Matcher
from tests.eval.ideas import evaluate, load_pairs, report

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(load_policy())


@pytest.mark.parametrize(
    ("a", "b", "lang"),
    [
        ("Dark mode", "dark theme", "en"),
        ("Please add dark mode", "could you add a dark theme to the app?", "en"),
        ("Tryb ciemny proszę!!!", "TRYB CIEMNY PROSZE", "pl"),
        ("Dodajcie płatność BLIKIEM", "przydałby się blik przy płaceniu", "pl"),
        ("Logowanie odciskiem palca", "dodajcie logowanie za pomocą odcisku palca", "pl"),
        ("widzet z saldem", "Widżet z saldem", "pl"),
    ],
)
def test_the_same_idea_in_other_words_case_or_inflection_merges(matcher: Matcher, a: str, b: str, lang: str) -> None:
    verdict = matcher.compare_texts(a, b, lang)
    assert verdict.duplicate, verdict.reason
    assert verdict.score >= matcher.policy.threshold


@pytest.mark.parametrize(
    ("a", "b", "lang", "why"),
    [
        ("add BLIK", "add Apple Pay", "en", "different payment method: blik vs applepay"),
        ("Dodajcie płatność BLIKIEM", "Dodajcie płatność Apple Pay", "pl", "different payment method"),
        ("Daily deposit limit", "Daily withdrawal limit", "en", "different money direction"),
        ("Add dark mode to the app", "Add dark mode to the website", "en", "different surface: app vs website"),
        ("Show the balance on the home screen", "Hide the balance on the home screen", "en", "different visibility"),
        ("Tryb offline", "Tryb ciemny", "pl", "different mode"),
    ],
)
def test_a_different_request_on_the_same_topic_never_merges(
    matcher: Matcher, a: str, b: str, lang: str, why: str
) -> None:
    verdict = matcher.compare_texts(a, b, lang)
    assert not verdict.duplicate
    assert why in verdict.reason


def test_a_contrast_vetoes_even_a_high_score(matcher: Matcher) -> None:
    verdict = matcher.compare_texts(
        "Export my transaction history to PDF", "Export my transaction history to CSV", "en"
    )
    assert verdict.score >= 0.6
    assert (verdict.duplicate, verdict.reason) == (False, "different export format: pdf vs csv")


def test_sharing_only_a_weak_word_is_not_enough(matcher: Matcher) -> None:
    verdict = matcher.compare_texts("app", "the app", "en")
    assert not verdict.duplicate
    assert "too little in common" in verdict.reason


def test_texts_without_content_words_never_match(matcher: Matcher) -> None:
    assert matcher.compare_texts("please add it!!", "🙏🙏", "en").reason == "nothing to compare: no content words"


def test_the_reason_names_the_shared_concepts_and_the_threshold(matcher: Matcher) -> None:
    verdict = matcher.compare_texts("Dark mode please", "dark theme", "en")
    assert verdict.shared == ("dark", "mode")
    assert verdict.reason == f"shared dark, mode; 1.00 >= {matcher.policy.threshold:.2f}"


def test_a_language_without_a_lexicon_still_matches_identical_wordings(matcher: Matcher) -> None:
    assert matcher.compare_texts("Dunkelmodus bitte", "DUNKELMODUS BITTE", "de").duplicate
    assert not matcher.compare_texts("Dunkelmodus bitte", "Apple Pay bitte", "de").duplicate


def test_best_picks_the_most_similar_duplicate_then_the_most_voted(matcher: Matcher) -> None:
    sig = matcher.signature
    candidates = [
        Candidate("blik", 1, 9, (sig("Dodajcie BLIK", "pl"),)),
        Candidate("dark-few", 2, 1, (sig("Tryb ciemny w aplikacji", "pl"),)),
        Candidate("dark-many", 3, 5, (sig("ciemny motyw w apce", "pl"),)),
    ]
    match = matcher.best(sig("Dodajcie tryb ciemny w aplikacji", "pl"), candidates, "pl")
    assert match is not None
    assert match.candidate.idea_id in ("dark-few", "dark-many")
    assert match.verdict.score == 1.0
    tie = [Candidate("x", 4, 1, (sig("dark mode", "en"),)), Candidate("y", 5, 3, (sig("dark theme", "en"),))]
    best = matcher.best(sig("night mode", "en"), tie, "en")
    assert best is not None
    assert best.candidate.idea_id == "y"
    assert matcher.best(sig("Dodajcie Apple Pay", "pl"), candidates, "pl") is None


def test_an_edited_title_is_matched_too(matcher: Matcher) -> None:
    sig = matcher.signature
    first = sig("wieczorem oczy bolą od jasnego ekranu", "pl")
    comment = sig("dodajcie ciemny motyw", "pl")
    assert matcher.best(comment, [Candidate("i", 1, 1, (first,))], "pl") is None
    match = matcher.best(comment, [Candidate("i", 1, 1, (first, sig("Tryb ciemny", "pl")))], "pl")
    assert match is not None


def test_lexicon_contrasts_must_name_known_concepts() -> None:
    raw = LexiconFile(stemmer="en", concepts={"blik": ("blik",)}, contrasts={"payment": ("blik", "applepay")})
    with pytest.raises(ValueError, match="applepay"):
        Lexicon.compile("en", raw)
    with pytest.raises(ValidationError):
        LexiconFile.model_validate({"stemmer": "fr"})


def test_packaged_lexicons_load_for_both_languages() -> None:
    for lang in ("pl", "en"):
        lexicon = load_lexicon(lang)
        assert lexicon.contrasts["payment_method"] >= {"blik", "applepay", "googlepay"}
        assert lexicon.concepts("Apple Pay") == frozenset({"applepay"})


def test_a_data_override_replaces_the_policy(tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> None:
    from pathlib import Path

    from replyloop.data import clear_cache

    folder = Path(str(tmp_path)) / "ideas"
    folder.mkdir()
    (folder / "policy.json").write_text(json.dumps({"threshold": 0.9}), encoding="utf-8")
    monkeypatch.setenv("REPLYLOOP_DATA_DIR", str(tmp_path))
    clear_cache()
    try:
        assert load_policy().threshold == 0.9
        assert not Matcher(load_policy()).compare_texts("Tryb ciemny", "tryb ciemny i widżet", "pl").duplicate
    finally:
        monkeypatch.delenv("REPLYLOOP_DATA_DIR")
        clear_cache()


# ---------------------------------------------------------------------------- the labelled pairs


def test_the_pairs_set_is_big_enough_and_balanced() -> None:
    pairs = load_pairs()
    assert len(pairs) >= 160
    for lang in ("pl", "en"):
        mine = [p for p in pairs if p["lang"] == lang]
        assert sum(p["duplicate"] for p in mine) >= 30
        assert sum(not p["duplicate"] for p in mine) >= 30
        assert {p["split"] for p in mine} == {"dev", "holdout"}
    assert len({p["id"] for p in pairs}) == len(pairs)


@pytest.mark.parametrize("split", ["dev", "holdout"])
def test_the_merge_decision_holds_its_floor(split: str) -> None:
    # Precision first: merging two different ideas is worse than missing a duplicate.
    result = report(evaluate(p for p in load_pairs() if p["split"] == split))
    assert result.precision >= 0.97, f"{split}: precision {result.precision:.3f}"
    assert result.recall >= 0.85, f"{split}: recall {result.recall:.3f}"
