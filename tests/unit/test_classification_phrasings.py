"""Varied phrasings of at-risk comments and complaints, and the near misses that must stay out of both.

Written for these tests from how people post under a bank's, a bookmaker's or a shop's posts (not taken from
the evaluation set): polite and blunt, with and without Polish letters, inflected, with typos and slang. They
guard the wider at-risk and complaint cues of pl.json and en.json; the near misses guard their precision.
"""

from __future__ import annotations

import pytest

from replyloop.classification import classify

pytestmark = pytest.mark.unit

AT_RISK_PL = [
    # gambling harm: lost everything, cannot stop, broken promises to oneself
    "Przegrałem dziś wszystko co miałem, nie wiem jak spojrzę żonie w oczy",
    "nie moge przestac grac, to juz trzeci miesiac",
    "pomóżcie, gram i gram i nie mogę skończyć",
    "Znowu wpłaciłem, chociaż obiecałem sobie, że to był ostatni raz",
    "obiecuje sobie ze koniec z graniem a wieczorem znowu obstawiam",
    "Wszystko przepuściłem na automatach, cała wypłata poszła",
    "wyczyściłem konto oszczędnościowe dzieci przez zakłady",
    "Przepraszam, że tu piszę, ale przegrywam każdą złotówkę jaką zarobię",
    "jestem uzalezniona od zakladow i wstydze sie komukolwiek powiedziec",
    "nie umiem się zatrzymać, gram do ostatniej złotówki",
    # debts, loans, bailiffs
    "chwilówki mnie zjadają, biorę jedną żeby spłacić drugą",
    "Komornik zajął mi pensję, a ja dalej obstawiam",
    "mam 40 tysięcy długu przez zakłady i nikt o tym nie wie",
    "toniemy w dlugach po uszy, nie wiem co robic",
    "Dzwoni windykator, przyszło kolejne wezwanie, nie śpię po nocach",
    "jestem zadłużony po uszy i wstyd mi przed rodziną",
    "wpadłem w pętlę zadłużenia",
    # self-harm, suicidal ideation, despair
    "nie chce juz zyc, wszystko przegralem",
    "Nie widzę już sensu w niczym",
    "nikt by nawet nie zauważył, gdybym zniknął",
    "Nikomu nie będzie mnie brakować",
    "coraz częściej myślę żeby ze sobą skończyć",
    "nie dam rady dłużej tak żyć",
    "nie mam już dla kogo żyć",
    "Boję się, że zrobię sobie coś złego",
    "codziennie myśle o tym zeby sie zabic",
    "jestem na dnie i nie widzę wyjścia z tej sytuacji",
    "wszystko straciłem, nie mam już po co wstawać rano",
    "jestem ciężarem dla rodziny",
    "Znowu przegrałem całą premię, nie wiem co mam robić",
    "nie mam już siły walczyć z tym nałogiem",
    "każdego dnia obiecuję że przestanę i każdego dnia gram",
    "zadłużyłem się u rodziców i u teściów, a wszystko idzie w automaty",
    "mam zajęcie komornicze i nie mam za co opłacić prądu",
    "pożyczam na pożyczkę, nie widzę końca",
    "czasem myślę że lepiej by było gdybym się nie obudził",
    "nie radzę sobie już z niczym, chcę żeby to się skończyło",
    "mam wrażenie że moja rodzina byłaby szczęśliwsza beze mnie",
    "przegrałam pieniądze odłożone na wakacje dzieci",
    "nie śpię, nie jem, tylko obstawiam",
    "moj maz przegral nasze mieszkanie na zakladach",
    "czy ktoś z was też nie potrafi przestać? bo ja już nie wiem co robić",
    "przez te zakłady straciłem rodzinę i pracę",
    "Nie wiem jak mam dalej żyć z tymi długami",
    "mam już dość wszystkiego, chcę po prostu zniknąć",
    "gram już nawet w pracy, nie potrafię bez tego funkcjonować",
    "wpłacam i przegrywam, wpłacam i przegrywam",
    "zona grozi rozwodem bo przegrywam wszystkie pieniadze",
    "Zabrałem pieniądze z konta firmowego żeby się odkuć",
    "jestem bankrutem i nie mam do kogo się zwrócić",
    "nie mam już nikogo, wszystko zniszczyłem przez hazard",
    "pomocy, jestem w długach i nie potrafię przestać obstawiać",
]

AT_RISK_EN = [
    # gambling harm
    "I can't stop betting, I've lost count of how much I've put in",
    "lost my whole paycheck on slots again, I'm so ashamed",
    "every paycheck goes straight into this app and I can't control it",
    "I keep telling myself it's the last deposit but it never is",
    "I've gambled away my kids' college fund",
    "I need help, I'm a compulsive gambler",
    "gambling took everything from me",
    "please close my account for good, I've got a problem",
    "my wife is going to leave me because of my betting",
    "I'm hooked on the slots and I can't get out",
    # debts
    "I'm drowning in debt and still gambling",
    "the payday loans are eating me alive",
    "debt collectors ring me every single day",
    "maxed out all my credit cards chasing a win",
    "I'm up to my neck in debt",
    # self-harm, suicidal ideation, despair
    "nobody would miss me if I was gone",
    "I just want to end it",
    "i dont see the point anymore",
    "I'm thinking about taking my own life",
    "I've had enough of living",
    "I don't want to wake up tomorrow",
    "I feel like such a burden to everyone",
    "there's no point going on",
    "I'm at rock bottom and I can't see a way out",
    "honestly i just want to sleep and never wake up",
    "can't keep going like this, I'm done with life",
    "I lost my rent again and I don't know how to tell my partner",
    "my husband has spent all our savings on online casinos",
    "I've been gambling every night for months and I'm scared",
    "I can't face my family anymore",
    "I'm so deep in debt I can't see how to get out",
    "payday loan after payday loan, it never ends",
    "honestly thinking about ending it tonight",
    "I'm tired of everything, I don't want to be here anymore",
    "please ban me, I can't trust myself with this app",
    "I borrowed from my mum to gamble and lost it all",
    "the only way out I see is to not be here",
    "I'm struggling to keep my head above water with all these debts",
    "gambling has destroyed everything I had",
    "I've lost over 20k this year and I keep going",
    "I think I have a gambling addiction, what should I do?",
    "my son is stealing from us to bet",
    "we're going to lose the house because of his betting",
    "I'm broke, I've gambled every penny I had",
    "I have nobody to talk to and I'm thinking of hurting myself",
    "I honestly don't know how much longer I can do this",
    "I can't face going on anymore",
    "can you please lock my account for 6 months, I need a break from gambling",
    "I've been taking out loans to cover my gambling losses",
]

COMPLAINTS_PL = [
    "Niestety po raz kolejny przelew nie dotarł na czas",
    "Od tygodnia czekam na zwrot za odesłany towar",
    "nikt nie odpowiada na moje maile od pięciu dni",
    "Zablokowali mi konto bez żadnego wyjaśnienia",
    "Jestem bardzo rozczarowana podejściem do klienta",
    "Uprzejmie proszę o wyjaśnienie, dlaczego pobrano opłatę za kartę, skoro miała być darmowa",
    "Zamówienie miało być w 2 dni, a idzie już drugi tydzień",
    "trzeci raz dzwonię na infolinię i za każdym razem słyszę coś innego",
    "Konsultant rozłączył się w połowie rozmowy",
    "Wypłata odrzucona bez podania przyczyny",
    "Złożyłem reklamację miesiąc temu i cisza",
    "kurier w ogóle nie przyjechał, a w systemie status doręczone",
    "Apka po aktualizacji ciągle się sama wyłącza",
    "pieniądze zeszły z konta, a zamówienie anulowane",
    "Nie tak się traktuje stałych klientów",
    "zamroziliście mi środki i nikt nie potrafi powiedzieć dlaczego",
    "wciąż nie mam zwrotu za anulowany lot",
    "Szanowni Państwo, od trzech tygodni nie mogę doczekać się zwrotu środków",
    "Dlaczego moja reklamacja została odrzucona? Produkt był wadliwy od początku",
    "infolinia nie odbiera, czat nie działa, mail bez odpowiedzi",
    "Nie rozumiem, dlaczego naliczono mi odsetki, skoro spłaciłem w terminie",
    "znowu przelew ekspresowy szedł dwa dni",
    "Przykro mi to pisać, ale jakość obsługi mocno spadła",
    "Niestety aplikacja nie pozwala mi potwierdzić przelewu",
    "po raz trzeci proszę o kontakt w sprawie mojego zgłoszenia",
    "kupon był wygrany, a rozliczyliście go jako przegrany",
    "Kurier oznaczył paczkę jako doręczoną, a ja jej nie dostałam",
    "dostałam nie ten produkt co zamawiałam i nikt nie chce go wymienić",
    "Zlecenie przelewu wisi od piątku, co się dzieje?",
    "Pani na infolinii była bardzo niemiła",
    "Od dwóch tygodni nie mogę dokończyć weryfikacji konta",
    "Przelew wyszedł, ale na konto odbiorcy nic nie wpłynęło",
    "nie uznano mojego zakładu, mimo że mecz się odbył",
    "obiecaliście zwrot w 14 dni, minął miesiąc",
    "naprawdę słaba obsługa, nikt nic nie wie",
    "kurier nawet nie zadzwonił, tylko zostawił awizo",
    "Aplikacja zabiera mi bonus bez powodu",
]

COMPLAINTS_EN = [
    "I'm disappointed that my order still hasn't shipped",
    "still waiting for my refund, it's been 3 weeks",
    "I've emailed support four times and nobody has got back to me",
    "you froze my account with no explanation",
    "Unfortunately my card was declined again even though I have funds",
    "I was promised a callback and it never happened",
    "Very poor customer service, I was on hold for an hour",
    "My account has been restricted for no reason",
    "Your agent hung up on me mid conversation",
    "I'm really not happy with how my complaint was handled",
    "you charged me for a subscription I cancelled",
    "the package arrived with a cracked screen",
    "been a loyal customer for 10 years and this is how you treat me",
    "received the wrong order and support won't respond",
    "my transfer has been stuck for three days now",
    "I'd like to raise a formal complaint about your agent",
    "I've been charged an overdraft fee for no reason",
    "Your chatbot is completely useless and there's no way to reach a human",
    "I'm very disappointed with the delay on my withdrawal",
    "my bet was settled wrong, the team clearly won",
    "The item I received is nothing like the photos",
    "I've been trying to cancel my subscription for weeks",
    "I asked for a refund twice and got ignored both times",
    "you closed my account and kept my balance",
    "I've had no update on my claim in over a month",
    "this is the third time my card has been blocked while travelling",
    "delivery was supposed to be yesterday and nothing",
    "I was overcharged on my last statement and nobody can explain why",
    "The parcel came open and half the items were missing",
    "Transfer shows completed but the money isn't in the other account",
    "I was told someone would call me within 24h, still nothing",
    "your app logged me out mid-bet and I lost the bet",
    "the bonus terms were changed without telling anyone",
    "Honestly the worst customer experience I've had with any bank",
    "I reported my card stolen and you still let a payment through",
    "my deposit went through but it's not showing in my balance",
    "why do I have to send my ID for the fifth time?",
]

NEAR_MISSES = [
    ("gra była super, dzięki za emocje", "praise"),
    ("Świetny mecz, wygrałem kupon!", "praise"),
    ("Dzięki za szybki zwrot, wszystko ok", "praise"),
    ("Jestem zakochany w tej aplikacji", "praise"),
    ("Koniec z papierowymi fakturami, super zmiana", "praise"),
    ("Jak spłacić kredyt wcześniej?", "question"),
    ("Czy mogę wziąć pożyczkę na remont?", "question"),
    ("Chcę zakończyć umowę, jak to zrobić?", "question"),
    ("Nie chcę już papierowych wyciągów, da się to wyłączyć?", "question"),
    ("Kiedy ruszy nowa promocja?", "question"),
    ("Przegraliśmy mecz, ale kibicuję dalej 😂", "other"),
    ("I lost my password, how do I reset it?", "question"),
    ("How do I pay off my loan early?", "question"),
    ("I want to end my subscription, how do I do it?", "question"),
    ("How do I set a reality check reminder?", "question"),
    ("Refund arrived today, thanks for the help!", "praise"),
    ("Killing it with the new update, love it", "praise"),
    ("This promo is to die for 😍", "praise"),
    ("Lost the bet to my mate, now I owe him a pint 😂", "other"),
    ("I can't wait for the new season!", "other"),
    ("Przegrałem zakład z kumplem, stawiam piwo 😂", "other"),
    ("czy mogę spłacić ratę wcześniej bez opłat?", "question"),
    ("Super apka, w końcu mogę ogarnąć budżet", "praise"),
    ("Chciałbym zamknąć konto, bo przenoszę się do innego banku, jak to zrobić?", "question"),
    ("Czy konto zostanie zamrożone, jeśli nie zrobię weryfikacji?", "question"),
    ("Przez granie na telefonie bateria szybko się rozładowuje, da się coś z tym zrobić?", "question"),
    ("Czy paczka idzie już do mnie?", "question"),
    ("jak to się wyłącza?", "question"),
    ("Zakochałam się w nowej karcie 😍", "praise"),
    ("I'm dead 😂 this ad is hilarious", "other"),
    ("how do I close my account? moving abroad", "question"),
    ("the new slots are killer, love them", "praise"),
    ("is there a limit on how much I can borrow?", "question"),
    ("Can I pay off my debt consolidation loan early?", "question"),
    ("Is this offer restricted to UK customers?", "question"),
    ("As a loyal customer I love the new rewards", "praise"),
    ("best app ever, I'm obsessed", "praise"),
    ("jak zrobić przelew na telefon?", "question"),
    ("Wygrałem 200 zł, dzięki za super kursy!", "praise"),
    ("czy mogę mieć dwie karty?", "question"),
    ("Dziękuję za szybką odpowiedź, wszystko działa", "praise"),
    ("Lost my card, how do I order a new one?", "question"),
    ("what's the max bet on live games?", "question"),
    ("The new design is killer", "other"),
    ("Jakie są godziny otwarcia oddziału w Krakowie?", "question"),
    ("i keep forgetting my PIN lol, can I change it in the app?", "question"),
    ("where can I see my loan schedule?", "question"),
    ("I'd die for a dark mode option", "idea"),
    ("Czy dostanę powiadomienie gdy przelew dotrze?", "question"),
]

AT_RISK = AT_RISK_PL + AT_RISK_EN
COMPLAINTS = COMPLAINTS_PL + COMPLAINTS_EN


@pytest.mark.parametrize("text", AT_RISK, ids=[text[:40] for text in AT_RISK])
def test_at_risk_phrasings_are_sensitive(text: str) -> None:
    result = classify(text)
    assert result.label == "sensitive", result.reasons


@pytest.mark.parametrize("text", COMPLAINTS, ids=[text[:40] for text in COMPLAINTS])
def test_complaint_phrasings_are_complaints(text: str) -> None:
    result = classify(text)
    assert result.label == "complaint", result.reasons


@pytest.mark.parametrize(("text", "expected"), NEAR_MISSES, ids=[text[:40] for text, _ in NEAR_MISSES])
def test_near_misses_are_neither_at_risk_nor_complaints(text: str, expected: str) -> None:
    result = classify(text)
    assert result.label == expected, result.reasons


def test_there_are_enough_phrasings_of_each_kind() -> None:
    assert len(AT_RISK) >= 40
    assert len(COMPLAINTS) >= 30
    assert len(NEAR_MISSES) >= 20
