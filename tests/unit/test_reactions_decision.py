"""The reaction decision: an action per label, the FAQ threshold, languages, help routes and stop words."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from replyloop.models.classification import Label
from replyloop.reactions.decision import Decider
from replyloop.reactions.faq import FaqLibrary
from replyloop.reactions.help import HelpDirectory
from replyloop.reactions.policy import FaqPolicy, Policy, load_policy
from replyloop.reactions.templates import Templates, platform_length
from tests.support.ideas import idea_recorded
from tests.support.reaction_fakes import classified

WITHDRAWAL_PL = "Dzień dobry, zleciłam wypłatę środków w piątek i nadal mam status „w realizacji”. Ile to trwa?"


@pytest.fixture(scope="module")
def decider() -> Decider:
    return Decider.load()


def _decider_with(**changes: Any) -> Decider:
    policy = load_policy().model_copy(update=changes)
    return Decider(policy, FaqLibrary.load(policy.languages), Templates.load(), HelpDirectory.load())


@pytest.mark.parametrize(
    ("label", "text", "action"),
    [
        ("toxic", "Jesteście bandą idiotów", "hide"),
        ("spam", "Zarabiaj 5000 zł dziennie, link w profilu", "hide"),
        ("sensitive", "Przegrałem wszystko, nie mogę przestać grać", "help_route"),
        ("question", WITHDRAWAL_PL, "faq_answer"),
        ("idea", "Dodajcie tryb ciemny w aplikacji", "none"),
        ("praise", "Świetna aplikacja, dziękuję!", "praise_thanks"),
        ("complaint", "Od tygodnia nie mogę się zalogować, skandal", "none"),
        ("other", "Kto wygra mecz w niedzielę?", "none"),
    ],
)
def test_each_label_gets_its_policy_action(decider: Decider, label: Label, text: str, action: str) -> None:
    plan = decider.decide(classified(label, text))
    assert plan.action == action
    assert plan.reason
    assert text not in plan.reason, "reasons are logged: they must not quote the comment"


def test_hiding_posts_nothing_and_says_why_only_to_operators(decider: Decider) -> None:
    plan = decider.decide(classified("toxic", "Jesteście bandą idiotów"))
    assert (plan.text, plan.template_id) == (None, None)
    assert "not posted" in plan.reason


def test_a_complaint_is_left_to_people(decider: Decider) -> None:
    plan = decider.decide(classified("complaint", "Ile trwa wypłata? Czekam tydzień, skandal!"))
    assert plan.action == "none"
    assert plan.faq_id is None


def test_an_idea_is_thanked_later_when_it_has_a_backlog_number(decider: Decider) -> None:
    plan = decider.decide(classified("idea", "Dodajcie tryb ciemny"))
    assert (plan.action, plan.deferred, plan.text) == ("none", True, None)
    assert "IdeaRecorded" in plan.reason


def test_a_deployment_that_does_not_defer_thanks_ideas_without_a_number() -> None:
    actions = {**load_policy().actions, "idea": "idea_thanks"}
    plan = _decider_with(actions=actions).decide(classified("idea", "Dodajcie tryb ciemny"))
    assert plan.template_id == "idea_thanks.pl.1"
    assert plan.text is not None
    assert "{" not in plan.text
    assert "#" not in plan.text
    # ...and then thanks nothing on IdeaRecorded: one thank-you per comment.
    assert _decider_with(actions=actions).idea_thanks(idea_recorded()).action == "none"


def test_a_new_idea_is_thanked_with_its_number(decider: Decider) -> None:
    plan = decider.idea_thanks(idea_recorded(outcome="new", number=42))
    assert (plan.action, plan.template_id) == ("idea_thanks", "idea_thanks.pl.1")
    assert plan.text is not None
    assert "#42" in plan.text
    assert "{" not in plan.text
    assert "#42" in plan.reason


def test_a_vote_is_thanked_with_the_number_it_was_added_to(decider: Decider) -> None:
    plan = decider.idea_thanks(idea_recorded("Please add dark mode", outcome="vote", number=7, votes=3, lang="en"))
    assert (plan.action, plan.lang, plan.template_id) == ("idea_thanks", "en", "idea_vote_thanks.en.1")
    assert plan.text is not None
    assert "your vote has been added to idea #7" in plan.text
    assert platform_length(plan.text, "x") <= 280


def test_an_author_who_already_voted_is_not_thanked_twice(decider: Decider) -> None:
    plan = decider.idea_thanks(idea_recorded(outcome="repeat", number=7))
    assert (plan.action, plan.text) == ("none", None)
    assert "already counted" in plan.reason


def test_a_stop_word_in_an_idea_means_no_thanks(decider: Decider) -> None:
    plan = decider.idea_thanks(idea_recorded("Dodajcie tryb ciemny, bo dziennikarze już o tym piszą"))
    assert (plan.action, plan.text) == ("none", None)
    assert "stop word (press)" in plan.reason


def test_faq_answer_carries_the_entry_score_and_a_tracked_link(decider: Decider) -> None:
    plan = decider.decide(classified("question", WITHDRAWAL_PL, platform="instagram"))
    assert plan.faq_id == "pl-withdrawal-time"
    assert plan.faq_score is not None
    assert plan.faq_score >= decider.policy.faq.threshold
    assert plan.text is not None
    assert "utm_source=instagram&utm_medium=social&utm_campaign=replyloop-faq&utm_content=pl-withdrawal-time" in (
        plan.text
    )


def test_faq_threshold_decides_both_ways() -> None:
    score = Decider.load().decide(classified("question", WITHDRAWAL_PL)).faq_score
    assert score is not None
    at_threshold = _decider_with(faq=FaqPolicy(threshold=score)).decide(classified("question", WITHDRAWAL_PL))
    above = _decider_with(faq=FaqPolicy(threshold=min(score + 0.01, 1.0))).decide(classified("question", WITHDRAWAL_PL))
    assert at_threshold.action == "faq_answer"
    assert above.action == "none"
    # The near miss is still recorded, so the threshold can be tuned from the events.
    assert (above.faq_id, above.faq_score) == ("pl-withdrawal-time", score)
    assert "people answer" in above.reason


def test_a_question_without_any_faq_word_is_left_to_people(decider: Decider) -> None:
    plan = decider.decide(classified("question", "Kto wygra mecz w niedzielę?"))
    assert (plan.action, plan.faq_id) == ("none", None)


def test_an_english_question_is_answered_from_the_english_library(decider: Decider) -> None:
    plan = decider.decide(classified("question", "How long does a withdrawal take?", lang="en", platform="x"))
    assert (plan.action, plan.lang, plan.faq_id, plan.template_id) == (
        "faq_answer",
        "en",
        "en-withdrawal-time",
        "faq_answer.en.1",
    )
    assert plan.text is not None
    assert platform_length(plan.text, "x") <= 280


def test_an_undetermined_language_searches_every_library(decider: Decider) -> None:
    plan = decider.decide(classified("question", "How do I reset my password?", lang="und"))
    assert (plan.faq_id, plan.lang) == ("en-password-reset", "en")


def test_replies_are_in_the_comment_language_else_the_default(decider: Decider) -> None:
    english = decider.decide(classified("praise", "Great app!", lang="en"))
    german = decider.decide(classified("praise", "Tolle App!", lang="de"))
    assert english.template_id is not None
    assert english.template_id.startswith("praise_thanks.en.")
    assert german.lang == decider.policy.default_lang == "pl"
    assert german.template_id is not None
    assert german.template_id.startswith("praise_thanks.pl.")


def test_the_default_language_is_configuration() -> None:
    plan = _decider_with(default_lang="en").decide(classified("praise", "Tolle App!", lang="de"))
    assert plan.lang == "en"


def test_praise_variants_are_stable_per_comment(decider: Decider) -> None:
    first = decider.decide(classified("praise", "Super!", comment_id="c-1"))
    again = decider.decide(classified("praise", "Super!", comment_id="c-1"))
    variants = {decider.decide(classified("praise", "Super!", comment_id=f"c-{i}")).template_id for i in range(30)}
    assert first == again
    assert len(variants) > 1


def test_sensitive_gets_help_never_an_faq_answer_even_on_an_faq_topic(decider: Decider) -> None:
    text = "Przegrałem całą wypłatę, mam długi. Jak ustawić limit wpłat? Ile trwa wypłata?"
    plan = decider.decide(classified("sensitive", text))
    assert plan.action == "help_route"
    assert plan.faq_id is None
    assert plan.text is not None
    assert "utm_" not in plan.text
    assert "help.example.com" not in plan.text
    assert "Anonimowi Hazardziści" in plan.text  # gambling
    assert "np.ms.gov.pl" in plan.text  # debt


def test_a_crisis_comes_first_in_the_help_route(decider: Decider) -> None:
    plan = decider.decide(classified("sensitive", "I lost everything gambling and I want to die", lang="en"))
    assert plan.text is not None
    assert plan.text.index("Samaritans") < plan.text.index("National Gambling Helpline")
    assert "crisis" in plan.reason


def test_a_help_route_on_x_keeps_the_most_urgent_resources_within_280(decider: Decider) -> None:
    plan = decider.decide(classified("sensitive", "Przegrałem wszystko, długi, nie chcę żyć", platform="x"))
    assert plan.text is not None
    assert platform_length(plan.text, "x") <= 280
    assert "116 123" in plan.text


def test_the_policy_refuses_an_faq_or_thanks_for_sensitive_comments() -> None:
    raw = load_policy().model_dump()
    for action in ("faq_answer", "praise_thanks", "idea_thanks", "deferred"):
        with pytest.raises(ValidationError, match="sensitive"):
            Policy.model_validate({**raw, "actions": {**raw["actions"], "sensitive": action}})


@pytest.mark.parametrize(
    ("label", "action", "message"),
    [
        ("complaint", "hide", "only toxic and spam"),
        ("toxic", "rules_reminder", "slow mode"),
        ("praise", "deferred", "only idea thanks can be deferred"),
    ],
)
def test_the_policy_refuses_unsafe_actions(label: str, action: str, message: str) -> None:
    raw = load_policy().model_dump()
    with pytest.raises(ValidationError, match=message):
        Policy.model_validate({**raw, "actions": {**raw["actions"], label: action}})


def test_the_policy_needs_an_action_for_every_label() -> None:
    raw = load_policy().model_dump()
    actions = {label: action for label, action in raw["actions"].items() if label != "other"}
    with pytest.raises(ValidationError, match="other"):
        Policy.model_validate({**raw, "actions": actions})


@pytest.mark.parametrize(
    ("label", "text", "group"),
    [
        ("question", "Ile trwa wypłata? Bo dzwonię do prawnika", "legal"),
        ("question", "Ile trwa wypłata? Porozmawiam o tym z prawnikiem", "legal"),
        ("question", "Ile trwa wypłata? Zgłaszam to do UOKiK", "regulator"),
        ("question", "How long does a withdrawal take? My lawyer is waiting", "legal"),
        ("praise", "Lepsi niż RivalPay, dzięki!", "competitor"),
        ("sensitive", "Przegrałem wszystko, napiszę do redakcji", "press"),
        ("praise", "Dzięki, piszę o was reportaż do redakcji", "press"),
    ],
)
def test_a_stop_word_means_no_automatic_public_reply(decider: Decider, label: Label, text: str, group: str) -> None:
    plan = decider.decide(classified(label, text))
    assert plan.action == "none"
    assert plan.text is None
    assert f"stop word ({group})" in plan.reason


def test_stop_words_do_not_stop_moderation(decider: Decider) -> None:
    assert decider.decide(classified("toxic", "Idioci, mój prawnik was zniszczy")).action == "hide"


def test_stop_words_match_whole_words_only(decider: Decider) -> None:
    # "press" is a stop phrase only as "the press": pressing a button is a question like any other.
    plan = decider.decide(classified("question", "I press withdraw, how long does a withdrawal take?", lang="en"))
    assert plan.action == "faq_answer"
