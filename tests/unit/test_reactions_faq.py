"""The FAQ library and its matcher: coverage per language, the threshold on real phrasings, tracked links."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from replyloop.data import load_json
from replyloop.reactions.faq import FaqLibrary, tracked_link
from replyloop.reactions.policy import load_policy
from replyloop.reactions.templates import Templates, fits
from replyloop.text import fold

LANGUAGES = ("pl", "en")
THRESHOLD = load_policy().faq.threshold

# Phrasings that are not copies of the library's paraphrases: each must reach its entry above the threshold.
POSITIVES = [
    (
        "pl",
        "Dzień dobry, zleciłam wypłatę środków w piątek i nadal mam status „w realizacji”. Ile to trwa?",
        "pl-withdrawal-time",
    ),
    ("pl", "Ile trwa wyplata?", "pl-withdrawal-time"),
    ("pl", "Jak wypłacić pieniądze?", "pl-withdrawal-how"),
    ("pl", "Zapomniałam hasła i nie mogę się zalogować, pomóżcie", "pl-password-reset"),
    ("pl", "Gdzie moja paczka? Zamówiłem tydzień temu", "pl-order-status"),
    ("pl", "Czy mogę dostać fakturę na firmę?", "pl-invoice"),
    ("pl", "Ile kosztuje dostawa do paczkomatu?", "pl-delivery"),
    ("pl", "Kiedy wrócą mi pieniądze za zwrot?", "pl-refund"),
    ("pl", "Czy jest apka na iphone?", "pl-app-availability"),
    ("pl", "Jak włączyć 2FA?", "pl-two-factor"),
    ("pl", "Do której działa infolinia w sobotę?", "pl-service-hours"),
    ("pl", "Wpłaciłem 100 zł i nie widzę tego na saldzie", "pl-deposit-missing"),
    ("pl", "Po co wam skan dowodu?", "pl-verification-documents"),
    ("en", "hi, my withdrawal has been pending for 2 days, when will i get my money?", "en-withdrawal-time"),
    ("en", "I forgot my password, how do I reset it?", "en-password-reset"),
    ("en", "where is my order??", "en-order-status"),
    ("en", "Do you ship to parcel lockers?", "en-delivery"),
    ("en", "Can I set a deposit limit?", "en-limits"),
    ("en", "is there an android app?", "en-app-availability"),
    ("en", "What are your opening hours?", "en-service-hours"),
    ("en", "Why do you need my passport?", "en-verification-documents"),
]
# Questions the library cannot answer: none may reach the threshold (a person answers them).
NEGATIVES = [
    ("pl", "Wasze hasło reklamowe jest słabe?"),
    ("pl", "Czy będzie nowa kolekcja bluz na jesień?"),
    ("pl", "Czy to prawda, że zmieniacie logo?"),
    ("pl", "Dlaczego aplikacja jest taka wolna od aktualizacji?"),
    ("pl", "Ile kosztuje ta bluza w rozmiarze M?"),
    ("en", "Who is going to win the match on Sunday?"),
    ("en", "Is it true you are changing the logo?"),
    ("en", "Did your CEO really say that in the interview?"),
    ("en", "How much is this hoodie in size M?"),
]


@pytest.fixture(scope="module")
def library() -> FaqLibrary:
    return FaqLibrary.load(LANGUAGES)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_language_has_at_least_15_complete_entries(library: FaqLibrary, lang: str) -> None:
    entries = library.entries(lang)
    assert len(entries) >= 15
    for entry in entries:
        assert entry.language == lang
        assert entry.id.startswith(f"{lang}-")
        assert len(entry.questions) >= 4, entry.id
        assert entry.keywords, entry.id
        assert entry.link.startswith(f"https://help.example.com/{lang}/"), entry.id


def test_both_languages_cover_the_same_topics(library: FaqLibrary) -> None:
    topics = {lang: {entry.id.split("-", 1)[1] for entry in library.entries(lang)} for lang in LANGUAGES}
    assert topics["pl"] == topics["en"]


@pytest.mark.parametrize(("lang", "text", "expected"), POSITIVES)
def test_real_phrasings_reach_their_entry(library: FaqLibrary, lang: str, text: str, expected: str) -> None:
    match = library.best(text, [lang])
    assert match is not None
    assert (match.entry.id, match.score >= THRESHOLD) == (expected, True), match.score


@pytest.mark.parametrize(("lang", "text"), NEGATIVES)
def test_unrelated_questions_stay_below_the_threshold(library: FaqLibrary, lang: str, text: str) -> None:
    match = library.best(text, [lang])
    assert match is None or match.score < THRESHOLD, (match.entry.id, match.score)


def test_diacritics_and_case_do_not_change_the_score(library: FaqLibrary) -> None:
    with_marks = library.best("Jak zresetować HASŁO?", ["pl"])
    without = library.best("jak zresetowac haslo", ["pl"])
    assert with_marks is not None
    assert without is not None
    assert (with_marks.entry.id, with_marks.score) == (without.entry.id, without.score) == ("pl-password-reset", 1.0)


def test_chatter_around_the_question_lowers_the_score_but_keeps_the_entry(library: FaqLibrary) -> None:
    plain = library.best("Ile trwa wypłata?", ["pl"])
    chatty = library.best("Ile trwa wypłata? Bo kupiłem nowy rower i chcę zapłacić za serwis", ["pl"])
    assert plain is not None
    assert chatty is not None
    assert chatty.entry.id == plain.entry.id
    assert chatty.score < plain.score


def test_only_the_asked_languages_are_searched(library: FaqLibrary) -> None:
    match = library.best("How do I reset my password?", ["pl"])
    assert match is None or match.entry.language == "pl"
    assert library.best("How do I reset my password?", ["xx"]) is None


def test_tracked_link_adds_utm_and_keeps_the_link_query() -> None:
    link = tracked_link("https://help.example.com/pl/a?tab=2&utm_source=old", platform="x", faq_id="pl-a")
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "help.example.com", "/pl/a")
    assert parse_qs(parts.query) == {
        "tab": ["2"],
        "utm_source": ["x"],
        "utm_medium": ["social"],
        "utm_campaign": ["replyloop-faq"],
        "utm_content": ["pl-a"],
    }


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_answer_with_its_link_fits_a_post_on_x(library: FaqLibrary, lang: str) -> None:
    templates = Templates.load()
    for entry in library.entries(lang):
        link = tracked_link(entry.link, platform="x", faq_id=entry.id)
        text = templates.of(lang).faq_answer[0].text.format(answer=entry.answer, link=link)
        assert fits(text, "x"), entry.id


@pytest.mark.parametrize("lang", LANGUAGES)
def test_stop_words_are_unique_folded_words(lang: str) -> None:
    stop_words = load_json(f"reactions/faq/{lang}.json")["stop_words"]
    assert len(stop_words) == len(set(stop_words))
    assert all(fold(word) == word for word in stop_words), "stop words are compared with folded text"
