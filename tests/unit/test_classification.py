"""The rule-based classifier: hard cases in Polish and English, languages, precedence, routing and data overrides."""

from __future__ import annotations

import json
import math
import uuid
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
    ("Tryb ciemny proszę, dalej czekam!", "idea", "pl:idea:tryb* ciemn*"),  # impatient, still an idea
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


# Written for these tests (not taken from the evaluation set): how people at risk write, in both languages,
# with and without Polish letters, inflected, with typos; each group guards a group of lexicon entries.
AT_RISK = [
    # PL: cannot stop, lost control
    "Nie mogę przestać grać, codziennie obiecuję sobie że to ostatni raz",
    "nie moge przestac grac, pomozcie",
    "zablokujcie mnie proszę, nie potrafię się powstrzymać",
    "Jestem uzależniony od hazardu",
    "uzależnienie od obstawiania niszczy mi życie",
    "moje granie wymknęło się spod kontroli",
    "sam sobie nie ufam, zablokujcie mi dostęp",
    # PL: lost the wage, the rent, the savings
    "Przegrałem całą wypłatę w jeden wieczór, nie wiem co teraz",
    "przegralem cala wyplate i nie mam na czynsz",
    "Straciłem wszystkie oszczędności na zakładach",
    "przegrałam oszczędności męża",
    "żona nie wie że przegrałem nasze oszczędności",
    "wypłata przyszła rano a wieczorem już nic nie zostało",
    "przegrałem dziś pensję i nie mam za co żyć do końca miesiąca",
    # PL: debts, loans to pay loans, no money for food
    "Mam długi na kilkadziesiąt tysięcy przez granie",
    "komornik zajął mi konto, a ja dalej gram",
    "biorę chwilówki żeby spłacić poprzednie chwilówki",
    "wziąłem kolejną pożyczkę żeby się odegrać",
    "Nie mam za co kupić jedzenia dzieciom, wszystko poszło na zakłady",
    # PL: asking to be blocked, self-exclusion (also as a question)
    "Proszę zablokujcie mi konto na zawsze, nie panuję nad sobą",
    "chcę samowykluczenie na 5 lat",
    "jak zrobić samowykluczenie, mam problem z graniem",
    "odblokujcie mi konto, muszę się odegrać bo przegrałem pieniądze na czynsz",
    "błagam wyłączcie mi możliwość wpłat, nie mam już siły",
    # PL: self-harm, suicidal thoughts
    "Nie chcę już żyć",
    "nie chce zyc po tym wszystkim",
    "Chyba skończę ze sobą",
    "Nie widzę sensu życia",
    "chcę zniknąć i żeby nikt mnie nie szukał",
    "odbiorę sobie życie jeśli znowu przegram",
    "mam myśli samobójcze",
    "wszystkim będzie lepiej beze mnie",
    "Mam dość życia",
    "po co mam żyć skoro wszystko straciłem",
    "mam dość, chyba to wszystko zakończę",
    # EN: cannot stop, chasing, lost control
    "I can't stop gambling, please help",
    "cant stop betting even though i promised my wife",
    "I've been chasing losses all night",
    "I keep telling myself one more bet and then I lose it all again",
    "my gambling has got out of hand",
    "I'm addicted to this app and it's ruining my life",
    # EN: lost the rent, the savings; debts and loans
    "Lost my rent money again on slots",
    "I lost everything, my savings, my car",
    "I'm in debt up to my eyeballs because of betting",
    "took out another payday loan to keep playing",
    "The bailiffs are coming next week",
    "I can't afford food for my kids after gambling",
    "my husband gambled away our mortgage payment",
    "I sold my car to cover my losses",
    "I've been hiding my losses from my partner for months",
    # EN: asking to be blocked, self-exclusion
    "please self-exclude me, I have a gambling problem",
    "Block my account please, I'm addicted",
    "can you ban me from the site? i'm losing everything",
    "how do I permanently close my account, I can't control my gambling",
    # EN: self-harm, suicidal thoughts
    "I don't want to live anymore",
    "I'm going to end it all",
    "thinking about killing myself",
    "i feel suicidal",
    "there's no way out for me",
    "I want to disappear forever",
    "everyone would be better off without me",
    "sometimes I think about ending my life",
    "i just want it all to stop",
]


@pytest.mark.parametrize("text", AT_RISK, ids=[text[:40] for text in AT_RISK])
def test_at_risk_comments_get_the_help_route(text: str) -> None:
    result = classify(text)
    assert result.label == "sensitive", result.reasons
    assert (result.team, result.priority, result.needs_response) == ("compliance", "urgent", True)


# The boundary of the at-risk label: responsible-gambling tools used neutrally, frustration, harassment.
NOT_AT_RISK = [
    ("Jak ustawić limit depozytu na tydzień?", "question"),
    ("Gdzie znajdę limit depozytu w ustawieniach", "question"),
    ("Czy mogę zmienić limit wpłat w aplikacji?", "question"),
    ("How do I set a daily deposit limit?", "question"),
    ("where do I change my deposit limit", "question"),
    ("what's the maximum deposit limit for new accounts?", "question"),
    ("Could you add a session time limit reminder?", "idea"),
    ("ustawiłem limit depozytu i działa super, dzięki", "praise"),
    ("I give up, your support is useless", "complaint"),
    ("Nie radzę sobie z tą aplikacją, nic nie działa", "complaint"),
    ("my betting slip disappeared after the update", "complaint"),
    ("refund my losses from the outage please", "complaint"),
    ("zablokowaliście mi konto bez powodu, oddajcie kasę", "complaint"),
    ("you idiots, kill yourself", "toxic"),
    ("Gram codziennie, świetna apka!", "praise"),
    ("I play every day, love the new slots!", "praise"),
]


@pytest.mark.parametrize(("text", "label"), NOT_AT_RISK, ids=[text[:40] for text, _ in NOT_AT_RISK])
def test_not_every_mention_of_limits_losses_or_blocking_is_at_risk(text: str, label: str) -> None:
    assert classify(text).label == label, classify(text).reasons


# General coverage of the other labels (also written for these tests).
COVERAGE = [
    # complaints: failures, delays, missing money or parcels, wrong items, fees, service, dissatisfaction
    ("Aplikacja się wysypuje przy każdym logowaniu", "complaint"),
    ("apka zamula od wczoraj, nie da się nic kliknąć", "complaint"),
    ("po aktualizacji nie da się wypłacić, co jest grane", "complaint"),
    ("od aktualizacji aplikacja się nie uruchamia", "complaint"),
    ("Od tygodnia czekam na zwrot i nadal nic", "complaint"),
    ("kasa miała być na koncie w 24h, minęły 3 dni", "complaint"),
    ("zamówiłem w poniedziałek, dziś piątek i paczki nie ma", "complaint"),
    ("dlaczego moja wypłata wciąż ma status w realizacji?", "complaint"),
    ("Płatność nie przeszła, a pieniądze zniknęły z konta", "complaint"),
    ("Pobrali mi dwa razy za to samo", "complaint"),
    ("naliczyliście mi opłatę o której nikt nie informował", "complaint"),
    ("przyszedł zły kolor, a zamawiałam czarny", "complaint"),
    ("kurier zostawił paczkę pod drzwiami i zginęła", "complaint"),
    ("Nikt nie odpisuje na maile, szkoda nerwów", "complaint"),
    ("obsługa kompletnie nie ogarnia tematu", "complaint"),
    ("Omijajcie tę firmę szerokim łukiem", "complaint"),
    ("the app won't start after the last update", "complaint"),
    ("black screen every time I open it", "complaint"),
    ("the withdrawal button does nothing", "complaint"),
    ("payment keeps failing on checkout", "complaint"),
    ("been waiting for ages for my payout", "complaint"),
    ("my withdrawal is taking forever", "complaint"),
    ("third week and no payout, absolute shambles", "complaint"),
    ("the parcel says delivered but I never got it", "complaint"),
    ("you refuse to pay my winnings", "complaint"),
    ("charged me without my permission", "complaint"),
    ("why was I charged a fee I never agreed to?", "complaint"),
    ("customer support closed my ticket without solving anything", "complaint"),
    ("support keeps fobbing me off", "complaint"),
    ("chat support bot just loops the same answers", "complaint"),
    ("honestly the new update made everything slower", "complaint"),
    # toxic
    ("walcie się złodzieje", "toxic"),
    ("spadajcie gamonie", "toxic"),
    ("ty kretynie jebany", "toxic"),
    ("you brain dead scumbags", "toxic"),
    ("shut up you clowns", "toxic"),
    # spam
    ("Praca z domu, zarobki od 5000 zł, pisz do mnie", "spam"),
    ("zarabiaj z nami na kryptowalutach, szczegóły na priv", "spam"),
    ("Earn from home, daily returns guaranteed, DM for details", "spam"),
    ("join my team and double your money", "spam"),
    # ideas
    ("Fajnie jakby można było ustawić powiadomienia o wypłacie", "idea"),
    ("Dorzućcie opcję płatności kartą", "idea"),
    ("dodajcie proszę możliwość wypłaty na blika", "idea"),
    ("it would be handy to have a widget for the balance", "idea"),
    ("please implement two factor authentication", "idea"),
    ("would love a monthly spending summary", "idea"),
    # questions
    ("Na czym polega weryfikacja konta?", "question"),
    ("wie ktoś ile trwa wypłata na kartę", "question"),
    ("do I need to verify my ID to withdraw?", "question"),
    ("what's the difference between the two bonuses", "question"),
    ("how long does KYC take usually", "question"),
    # praise
    ("Świetna robota, wypłata błyskawicznie", "praise"),
    ("Godne polecenia, pełen profesjonalizm", "praise"),
    ("mega szybka wypłata, polecam", "praise"),
    ("fast payout and great service, thanks!", "praise"),
    ("very helpful support, much appreciated", "praise"),
    # other: chit-chat, greetings, tags
    ("Hej wszystkim, smacznego!", "other"),
    ("dobranoc wszystkim", "other"),
    ("hello everyone, happy friday", "other"),
    ("@kasia patrz", "other"),
]


@pytest.mark.parametrize(("text", "label"), COVERAGE, ids=[text[:40] for text, _ in COVERAGE])
def test_general_coverage_of_every_label(text: str, label: str) -> None:
    assert classify(text).label == label, classify(text).reasons


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


# ---------------------------------------------------------------------------- the engine's shortcuts


@pytest.mark.parametrize(
    "text",
    [
        "Dzień dobry, niestety od tygodnia czekam na zwrot pieniędzy!!!",
        "K U R W A znowu to samo",
        "see example.com/?ref=1 it's broken??",
        "@michał zobacz, wróciło",
        "f*ck this app 😡😡",
        "Serio?!!!!!! nie działa\nod rana",
        "suuuper apka 😍 dzięki",
        "Pożyczki bez BIK, zadzwoń 600 000 123",
        "zarabiaj 500 zł dziennie, link: t.me/x_example",
        "#crypto #btc #profit join",
        "#a\n#b\n#c na nowych liniach",
        "zadzwońcie 600  000  123",
        "wa.me/48600000123 pisz",
        "my www.casino.com600-000-144 ok",
        "ty kurw** i *super* apka",
        "mam 500 zł na koncie i 2 dni czekam",
        "",
    ],
)
def test_the_fast_reading_gives_what_the_plain_reading_gives(text: str) -> None:
    """Chunk by chunk and remembered (engine.read), or special patterns first over the whole text (prepare)."""
    from replyloop.classification.classifier import current_engine
    from replyloop.classification.normalise import prepare

    read = current_engine().read(text)
    prepared = prepare(text, current())
    assert [info[0] for info in read[0]] == prepared.tokens
    assert read[1] == prepared.polish_letters
    assert list(read[2]) == prepared.specials
    assert list(read[3]) == prepared.emoji
    assert read[4] == prepared.question
    assert list(read[5]) == prepared.deobfuscated


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        ("Pożyczki bez BIK, zadzwoń 600 000 123", "pattern:phone"),
        ("zarabiaj 500 zł dziennie", "pattern:money"),
        ("#crypto #btc #profit join", "pattern:hashtags"),
    ],
)
def test_special_patterns_spanning_words_are_found(text: str, pattern: str) -> None:
    result = classify(text)
    assert result.label == "spam"
    assert pattern in result.reasons


def test_the_data_directory_is_read_as_data_py_reads_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from replyloop.classification.engine import data_dir
    from replyloop.data import OVERRIDE_ENV, override_dir

    for value in ("/opt/replyloop-data", ""):
        monkeypatch.setenv(OVERRIDE_ENV, value)
        assert data_dir() == override_dir()
    monkeypatch.delenv(OVERRIDE_ENV)
    assert data_dir() == override_dir() is None


@pytest.mark.parametrize("text", [case[0] for case in HARD_CASES] + AT_RISK[::4] + [case[0] for case in COVERAGE[::3]])
def test_every_classification_is_a_valid_model(text: str) -> None:
    """Built without validation on the hot path: it must be what validation would build."""
    result = classify(text)
    assert Classification.model_validate(result.model_dump()) == result
    assert Classification.model_validate_json(result.model_dump_json()) == result
    assert result.model_copy(update={"label": "idea"}).label == "idea"
    assert list(result.scores) == list(LABELS)


def test_a_phrase_hides_the_words_inside_it() -> None:
    result = classify("nie polecam tej aplikacji")
    assert "pl:complaint:nie polecam" in result.reasons
    assert not any(reason.startswith("pl:praise:") for reason in result.reasons)


def test_the_longest_phrase_wins_at_one_place() -> None:
    result = classify("thanks for nothing")
    assert result.label == "complaint"
    assert "en:complaint:thanks for nothing" in result.reasons
    assert not any(reason.startswith("en:praise:") for reason in result.reasons)


def test_a_word_matches_its_own_entry_before_a_stem() -> None:
    assert "pl:praise:dobrze" in classify("dobrze").reasons
    assert "pl:praise:dobr*" in classify("dobra").reasons


def test_phrases_with_a_wildcard_word_and_stems_in_phrases() -> None:
    assert "pl:complaint:* dni temu" in classify("zamówiłem 5 dni temu").reasons
    assert "pl:complaint:od * dni" in classify("od 5 dni cisza").reasons
    assert "pl:complaint:nie mog* sie zalogowac" in classify("nie mogę się zalogować").reasons


def test_a_phrase_met_twice_counts_twice() -> None:
    once, twice = classify("nie polecam"), classify("nie polecam. nie polecam")
    assert once.label == twice.label == "complaint"
    assert twice.scores["complaint"] > once.scores["complaint"]


@pytest.mark.parametrize(
    ("text", "label", "reason"),
    [
        ("ty kurw**", "toxic", "pl:toxic:kurw*"),
        ("fuck***", "toxic", "en:toxic:fuck*"),
        ("what an idiot*", "toxic", "en:toxic:idiot*"),
        ("nie działa*", "complaint", "pl:complaint:nie dzial*"),
        ("*great* app", "praise", "en:praise:great"),
    ],
)
def test_stars_around_a_word_are_not_part_of_it(text: str, label: str, reason: str) -> None:
    """Censoring the end of a word ("kurw**") leaves the word readable; only stars inside it are spelling."""
    result = classify(text)
    assert result.label == label
    assert reason in result.reasons


def test_a_link_hidden_by_a_phone_number_is_still_a_link() -> None:
    assert "pattern:url" in classify("my www.casino.com600-000-144 ok").reasons


def test_forgetting_the_memories_in_the_middle_of_a_comment_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """The memos are emptied when full, possibly while a comment is read: what was read of it is read again."""
    from replyloop.classification import engine as engine_module
    from replyloop.classification.classifier import current_engine

    text = "see www.example.com/page?x=1 great"
    expected = classify(text)
    assert "punct:question-mark" not in expected.reasons  # a "?" inside a link is not a question
    monkeypatch.setattr(engine_module, "_MEMO_SIZE", len(current_engine().chunks))
    new_word = uuid.uuid4().hex.translate(str.maketrans("0123456789", "ghijklmnop"))  # letters only
    result = classify(f"{text} {new_word}")  # its chunks known but the last: the memos are emptied
    assert len(current_engine().chunks) < engine_module._MEMO_SIZE
    assert (result.label, result.reasons) == (expected.label, expected.reasons)


def test_the_memories_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    from replyloop.classification import engine as engine_module
    from replyloop.classification.classifier import current_engine

    monkeypatch.setattr(engine_module, "_MEMO_SIZE", 50)
    for number in range(300):
        classify(f"słowo{number} inne{number} nie działa")
    assert len(current_engine().chunks) <= 50
    assert len(current_engine().infos) <= 50 * 3


def test_a_long_run_of_punctuation_still_ends_a_clause() -> None:
    result = classify("Serio?!!!!!!!!!!! jak to zrobić")
    assert "opener:pl:jak" in result.reasons
    assert "punct:question-mark" in result.reasons


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
