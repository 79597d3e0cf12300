"""The rule-based classifier: hard cases in Polish and English, languages, precedence, routing and data overrides."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from pathlib import Path

import pytest

from replyloop.classification import classify, clear_caches, detect_language, route
from replyloop.classification.lexicon import current
from replyloop.data import PACKAGED_DATA
from replyloop.models.classification import LABELS, Classification

# (text, label, a reason that must have fired)
HARD_CASES = [
    # complaints: diacritics or not, inflection, polite, as a question
    ("Nie działa mi aplikacja od rana", "complaint", "pl:complaint:nie dzial*"),
    ("nie dziala logowanie", "complaint", "pl:complaint:nie dzial*"),
    ("NIE DZIAŁAJĄ PŁATNOŚCI!!!", "complaint", "pl:complaint:nie dzial*"),
    ("Aplikacja przestała działać po aktualizacji", "complaint", "pl:complaint:przestal* dzialac"),
    ("Dzień dobry, niestety od tygodnia czekam na zwrot pieniędzy za zamówienie", "complaint", "pl:complaint:niestety"),
    ("Hello, unfortunately my refund still hasn't arrived, could you have a look?", "complaint", "en:complaint:"),
    ("My withdrawal has been pending for 6 days, this is unacceptable", "complaint", "en:complaint:unacceptable"),
    ("the app keeps crashing when I open the wallet", "complaint", "en:complaint:keeps crashing"),
    ("kiedy w końcu oddacie moje pieniądze?!", "complaint", "rule:complaint-over-question"),
    ("why is my payout still pending after a week??", "complaint", "rule:complaint-over-question"),
    ("Zamówienie przyszło uszkodzone", "complaint", "pl:complaint:uszkodzon*"),
    # questions without a question mark: interrogative openers
    ("jak wypłacić środki", "question", "opener:pl:jak"),
    ("jak wyplacic srodki na konto", "question", "opener:pl:jak"),
    ("how do I reset my password", "question", "en:question:how do i"),
    ("Gdzie mogę sprawdzić status zamówienia?", "question", "pl:question:gdzie moge"),
    ("czy wysyłacie do Niemiec", "question", "opener:pl:czy"),
    ("Do you ship to Ireland?", "question", "en:question:do you ship"),
    ("Hi, how long does verification usually take?", "question", "opener:en:how"),
    ("Witam, jakie są godziny pracy infolinii?", "question", "opener:pl:jakie"),
    # ideas, also phrased as questions
    ("could you add dark mode?", "idea", "rule:idea-over-question"),
    ("a może dodacie BLIK?", "idea", "pl:idea:dodacie"),
    ("Fajnie by było, gdyby można było eksportować historię do CSV", "idea", "pl:idea:fajnie by*"),
    ("it would be great if I could split payments with friends", "idea", "en:idea:would be great if"),
    ("please add Apple Pay", "idea", "en:idea:please add"),
    ("Szkoda, że nie ma jeszcze trybu ciemnego", "idea", "pl:idea:tryb* ciemn*"),
    # praise: elongated, emoji
    ("suuuper apka 😍", "praise", "pl:praise:super"),
    ("Great support, thanks Anna!", "praise", "en:praise:great"),
    ("Polecam, wypłata w 10 minut", "praise", "pl:praise:polecam"),
    ("loooove this app, works perfectly", "praise", "en:praise:works perfectly"),
    # sarcasm and negated praise are complaints
    ("super, trzeci raz nie działa 👏", "complaint", "rule:sarcasm"),
    ("great, another outage, thanks a lot", "complaint", "rule:sarcasm"),
    ("nie polecam tej aplikacji", "complaint", "pl:complaint:nie polecam"),
    ("not impressed with the new update", "complaint", "negated:en:praise:impressed"),
    ("nie jest super, wolno działa", "complaint", "negated:pl:praise:super"),
    # obfuscated insults
    ("k*rwa", "toxic", "deobfuscated:pl:kurwa"),
    ("1d10ta z tego admina", "toxic", "pl:toxic:idiot*"),
    ("ty ch*ju", "toxic", "deobfuscated:pl:chuj"),
    ("sp13rdalaj", "toxic", "pl:toxic:spierdal*"),
    ("f*ck this app", "toxic", "deobfuscated:en:fuck"),
    ("you absolute idi0t", "toxic", "en:toxic:idiot*"),
    ("K U R W A znowu to samo", "toxic", "pl:toxic:kurw*"),
    ("Kurwa, trzeci dzień czekam na wypłatę, nieroby jebane", "toxic", "rule:toxic-over-rest"),
    # spam: links, phone numbers, crypto, casino, DM me
    ("DM me for crypto signals, 300% profit guaranteed", "spam", "en:spam:dm me"),
    ("Zarabiaj 500 zł dziennie z domu, napisz priv", "spam", "pl:spam:napisz priv"),
    ("Best casino bonus at example-casino.bet 🎰", "spam", "pattern:promo_link"),
    ("Pożyczki bez BIK, zadzwoń 600 000 123", "spam", "pattern:phone"),
    ("check my profile for free spins", "spam", "en:spam:check my profile"),
    # at risk: wins over everything
    ("mam długi i nie mogę przestać grać", "sensitive", "pl:sensitive:nie moge przestac grac"),
    ("I lost all my savings gambling and I can't stop", "sensitive", "en:sensitive:"),
    ("Proszę zablokujcie mi konto, przegrałem całą wypłatę", "sensitive", "pl:sensitive:zablokujcie mi"),
    ("nie chce mi się żyć", "sensitive", "pl:sensitive:nie chce mi sie zyc"),
    ("I want to kill myself", "sensitive", "en:sensitive:kill myself"),
    # other
    ("@ania zobacz", "other", "pattern:mention"),
    ("👍👍👍", "other", "rule:emoji-only"),
    ("", "other", "rule:no-evidence"),
    ("Dzień dobry wszystkim", "other", "rule:no-evidence"),
]


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A deployment's data directory in force (REPLYLOOP_DATA_DIR), caches cleared around the test."""
    monkeypatch.setenv("REPLYLOOP_DATA_DIR", str(tmp_path))
    clear_caches()
    yield tmp_path
    monkeypatch.delenv("REPLYLOOP_DATA_DIR")
    clear_caches()


@pytest.mark.parametrize(("text", "label", "reason"), HARD_CASES, ids=[case[0][:40] for case in HARD_CASES])
def test_hard_case(text: str, label: str, reason: str) -> None:
    result = classify(text)
    assert result.label == label, result.reasons
    assert any(fired.startswith(reason) for fired in result.reasons), result.reasons


def test_the_hard_cases_cover_every_label_in_both_languages() -> None:
    assert {label for _, label, _ in HARD_CASES} == set(LABELS)


# ---------------------------------------------------------------------------- at-risk messages win


@pytest.mark.parametrize(
    "text",
    [
        "Gdzie moja wypłata?! Komornik mi wszedł na konto, nie mam na jedzenie",  # complaint + question
        "you idiots, I lost everything and I'm in debt",  # insult
        "Świetna apka, ale jestem uzależniony i nie mogę przestać",  # praise
        "jak zrobić samowykluczenie? przegrałem całą pensję",  # question
        "DM me, I lost my savings and need a loan to win it back",  # spam-like words
    ],
)
def test_sensitive_wins_over_every_other_label(text: str) -> None:
    result = classify(text)
    assert result.label == "sensitive", result.reasons
    assert "rule:sensitive-wins" in result.reasons
    assert result.scores["sensitive"] == max(result.scores.values())
    assert (result.team, result.priority, result.needs_response) == ("compliance", "urgent", True)


@pytest.mark.parametrize(
    "text",
    ["Jak ustawić dzienny limit wpłat? Chcę po prostu pilnować budżetu", "How do I set a deposit limit on my account?"],
)
def test_responsible_gambling_tools_asked_about_are_questions(text: str) -> None:
    assert classify(text).label == "question"


# ---------------------------------------------------------------------------- languages


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Dzień dobry, zleciłam wypłatę w piątek", "pl"),
        ("nie dziala mi to od wczoraj", "pl"),
        ("Zażółć gęślą jaźń", "pl"),
        ("The app is not working since yesterday", "en"),
        ("how do I change my email", "en"),
        ("", "und"),
        ("😍😍", "und"),
        ("12345 !!!", "und"),
    ],
)
def test_language_is_detected_from_letters_and_stop_words(text: str, lang: str) -> None:
    assert detect_language(text) == lang
    assert classify(text).lang == lang


def test_the_lang_argument_overrides_detection() -> None:
    assert classify("nie działa", lang="en").lang == "en"
    assert classify("nie działa", lang=" PL ").lang == "pl"
    # Cues of both languages count whatever the language: the label does not depend on it.
    assert classify("nie działa", lang="en").label == classify("nie działa").label == "complaint"


def test_a_cue_in_both_lexicons_is_named_in_the_comment_language() -> None:
    assert "pl:praise:super" in classify("super, dziękuję bardzo").reasons
    assert "en:praise:super" in classify("super, thank you so much").reasons


# ---------------------------------------------------------------------------- scores, confidence, routing


@pytest.mark.parametrize(("text", "_label", "_reason"), HARD_CASES[::5])
def test_scores_are_probabilities_and_the_label_scores_highest(text: str, _label: str, _reason: str) -> None:
    result = classify(text)
    assert set(result.scores) == set(LABELS)
    assert all(0.0 <= score <= 1.0 for score in result.scores.values())
    assert result.scores[result.label] == max(result.scores.values())
    second = sorted(result.scores.values())[-2]
    assert math.isclose(result.confidence, result.scores[result.label] - second / 2, abs_tol=0.002)
    assert Classification.model_validate(result.model_dump()) == result


def test_confidence_is_lower_for_a_close_call_than_for_a_clear_one() -> None:
    clear = classify("Nie działa mi logowanie, aplikacja wywala błąd, porażka")
    close = classify("Super aplikacja, ale wczoraj nie działała")
    assert clear.label == close.label == "complaint"
    assert close.confidence < clear.confidence


def test_nothing_fires_gives_other_with_low_confidence() -> None:
    result = classify("Pozdrowienia z Gdańska")
    assert (result.label, result.reasons) == ("other", ["rule:no-evidence"])
    assert result.confidence < 0.55  # a second opinion would be asked


@pytest.mark.parametrize(
    ("label", "needs_response", "priority", "team"),
    [
        ("question", True, "normal", "support"),
        ("complaint", True, "high", "support"),
        ("sensitive", True, "urgent", "compliance"),
        ("toxic", False, "high", "moderation"),
        ("spam", False, "normal", "moderation"),
        ("idea", False, "normal", "product"),
        ("praise", False, "low", "community"),
        ("other", False, "low", "community"),
    ],
)
def test_routing_table(label: str, needs_response: bool, priority: str, team: str) -> None:
    target = route(label)  # type: ignore[arg-type]
    assert (target.needs_response, target.priority, target.team) == (needs_response, priority, team)


@pytest.mark.parametrize(("text", "label", "_reason"), HARD_CASES[::4])
def test_a_classification_carries_the_route_of_its_label(text: str, label: str, _reason: str) -> None:
    result = classify(text)
    target = route(result.label)
    assert (result.needs_response, result.priority, result.team) == (
        target.needs_response,
        target.priority,
        target.team,
    )


def test_reasons_name_rules_not_the_comment_text() -> None:
    result = classify("Zgłaszam Grzegorzowi Brzęczyszczykiewiczowi, że nie działa")
    assert result.label == "complaint"
    assert not any("brzeczyszczykiewicz" in reason or "grzegorz" in reason for reason in result.reasons)


def test_long_comments_are_judged_on_their_beginning() -> None:
    result = classify("nie działa " + "bla " * 5000 + " kurwa")
    assert result.label == "complaint"


# ---------------------------------------------------------------------------- data files and overrides


def _write(directory: Path, name: str, data: object) -> None:
    path = directory / "classification" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_a_deployment_overrides_a_lexicon_through_replyloop_data_dir(data_dir: Path) -> None:
    assert classify("ten gadżet to szmelc").label == "other"
    polish = json.loads((PACKAGED_DATA / "classification" / "pl.json").read_text(encoding="utf-8"))
    polish["lexicon"]["complaint"].append(["szmel*", 1.5])
    _write(data_dir, "pl.json", polish)
    clear_caches()  # the file was written after the first classification read the packaged one
    result = classify("ten gadżet to szmelc")
    assert result.label == "complaint"
    assert "pl:complaint:szmel*" in result.reasons
    # Files the deployment did not override still come from the package.
    assert classify("how do I reset my password").label == "question"


def test_a_deployment_overrides_the_routing_table(data_dir: Path) -> None:
    routing = json.loads((PACKAGED_DATA / "classification" / "routing.json").read_text(encoding="utf-8"))
    routing["idea"] = {"needs_response": True, "priority": "low", "team": "product"}
    _write(data_dir, "routing.json", routing)
    assert classify("please add Apple Pay").needs_response is True
    assert route("idea").priority == "low"


def test_a_routing_file_without_a_label_is_refused(data_dir: Path) -> None:
    routing = json.loads((PACKAGED_DATA / "classification" / "routing.json").read_text(encoding="utf-8"))
    del routing["spam"]
    _write(data_dir, "routing.json", routing)
    with pytest.raises(ValueError, match="spam"):
        classify("hello")


def test_an_unknown_label_in_a_lexicon_is_refused(data_dir: Path) -> None:
    english = json.loads((PACKAGED_DATA / "classification" / "en.json").read_text(encoding="utf-8"))
    english["lexicon"]["rant"] = ["meh"]
    _write(data_dir, "en.json", english)
    with pytest.raises(ValueError, match="rant"):
        classify("meh")


def test_a_common_file_without_a_rule_threshold_is_refused(data_dir: Path) -> None:
    common = json.loads((PACKAGED_DATA / "classification" / "common.json").read_text(encoding="utf-8"))
    del common["rules"]["sensitive_min"]
    _write(data_dir, "common.json", common)
    with pytest.raises(ValueError, match="sensitive_min"):
        classify("hello")


def test_the_data_is_compiled_once_per_container() -> None:
    assert current() is current()
    classify("nie działa")
    assert current() is current()


@pytest.mark.parametrize("name", ["common.json", "pl.json", "en.json", "routing.json"])
def test_every_packaged_data_file_is_json_with_a_comment(name: str) -> None:
    data = json.loads((PACKAGED_DATA / "classification" / name).read_text(encoding="utf-8"))
    assert data["_comment"]
