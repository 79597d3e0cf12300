"""The reactions use case with in-memory ports: modes, idempotency, frequency limits, slow mode, failures."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pytest

from replyloop.models.events import ReactionPerformed
from replyloop.reactions import Decider, Reactor
from replyloop.reactions.actions import PlatformError
from replyloop.reactions.faq import FaqLibrary
from replyloop.reactions.help import HelpDirectory
from replyloop.reactions.policy import load_policy
from replyloop.reactions.reactor import Mode
from replyloop.reactions.templates import Templates
from tests.support.fakes import MemoryLedger, MemoryPublisher
from tests.support.ideas import idea_recorded
from tests.support.reaction_fakes import (
    NOW,
    MemoryDeadLetters,
    MemoryRateLimiter,
    MemorySlowModes,
    RecordingPlatform,
    classified,
    details,
)

QUESTION = "Ile trwa wypłata środków?"


@pytest.fixture(scope="module")
def decider() -> Decider:
    return Decider.load()


@dataclass
class World:
    """A reactor and every fake behind it; `at` moves the clock."""

    decider: Decider
    mode: Mode = "live"
    now: datetime = NOW
    ledger: MemoryLedger = field(default_factory=MemoryLedger)
    publisher: MemoryPublisher = field(default_factory=MemoryPublisher)
    limiter: MemoryRateLimiter = field(default_factory=MemoryRateLimiter)
    slow_modes: MemorySlowModes = field(default_factory=MemorySlowModes)
    dead_letters: MemoryDeadLetters = field(default_factory=MemoryDeadLetters)
    platform: RecordingPlatform = field(default_factory=RecordingPlatform)

    @property
    def reactor(self) -> Reactor:
        return Reactor(
            decider=self.decider,
            ledger=self.ledger,
            publisher=self.publisher,
            limiter=self.limiter,
            slow_modes=self.slow_modes,
            dead_letters=self.dead_letters,
            platforms=lambda platform: None if platform == "generic" else self.platform,
            clock=lambda: self.now,
            mode=self.mode,
        )

    def react(self, label: Any, text: str, **comment: Any) -> list[ReactionPerformed]:
        return self.reactor.react(classified(label, text, **comment)).events

    @property
    def published(self) -> list[Any]:
        return [event.detail for event in self.publisher.put]


@pytest.fixture
def world(decider: Decider) -> World:
    return World(decider)


def test_dry_run_decides_and_records_without_calling_the_platform(decider: Decider) -> None:
    world = World(decider, mode="dry-run")
    events = world.react("question", QUESTION)
    assert details(events) == [("faq_answer", "dry-run")]
    assert events[0].mode == "dry-run"
    assert events[0].reply_text is not None
    assert world.platform.calls == []
    assert world.published == events
    assert world.ledger.done == {"facebook:2002_3101"}


def test_live_replies_and_records_the_reply_id(world: World) -> None:
    [event] = world.react("question", QUESTION)
    assert (event.action, event.outcome, event.reply_id) == ("faq_answer", "done", "reply-to-2002_3101")
    assert (event.faq_id, event.template_id, event.mode) == ("pl-withdrawal-time", "faq_answer.pl.1", "live")
    assert world.platform.calls == [("reply", "2002_3101", event.reply_text)]


def test_live_hides_spam_without_a_public_word(world: World) -> None:
    [event] = world.react("spam", "Zarabiaj 5000 zł dziennie!")
    assert (event.action, event.outcome, event.reply_text) == ("hide", "done", None)
    assert world.platform.calls == [("hide", "2002_3101", None)]


def test_no_action_is_recorded_as_skipped_with_the_reason(world: World) -> None:
    [event] = world.react("complaint", "Skandal, nic nie działa")
    assert (event.action, event.outcome) == ("none", "skipped")
    assert event.reason is not None
    assert "people answer" in event.reason
    assert world.platform.calls == []


def test_the_same_comment_twice_gives_one_reaction(world: World) -> None:
    first = world.reactor.react(classified("praise", "Super!"))
    second = world.reactor.react(classified("praise", "Super!"))
    assert (len(first.events), first.duplicate) == (1, False)
    assert (second.events, second.duplicate) == ([], True)
    assert len(world.platform.calls) == 1
    assert len(world.published) == 1


def test_an_author_gets_at_most_three_automatic_replies_a_day(world: World) -> None:
    outcomes = [world.react("praise", "Super!", comment_id=f"c{i}", thread_id=f"t{i}")[0].outcome for i in range(4)]
    other_author = world.react("praise", "Super!", comment_id="c9", thread_id="t9", author_id="someone-else")
    assert outcomes == ["done", "done", "done", "rate-limited"]
    assert other_author[0].outcome == "done"
    assert len(world.platform.calls) == 4


def test_the_author_limit_opens_again_in_the_next_window(world: World) -> None:
    def thank(i: int) -> str:
        recorded = idea_recorded("Dodajcie tryb ciemny", comment_id=f"c{i}", thread_id=f"t{i}")
        return world.reactor.thank_idea(recorded).events[0].outcome

    assert [thank(i) for i in range(4)] == ["done", "done", "done", "rate-limited"]
    world.now = NOW + timedelta(days=1)
    assert thank(5) == "done"


def test_an_idea_comment_waits_for_its_backlog_number(world: World) -> None:
    result = world.reactor.react(classified("idea", "Dodajcie tryb ciemny"))
    assert (result.deferred, result.events, result.duplicate) == (True, [], False)
    # Nothing claimed: the IdeaRecorded that follows thanks the same comment once.
    assert (world.ledger.done, world.ledger.in_progress, world.published) == (set(), set(), [])
    [event] = world.reactor.thank_idea(idea_recorded(number=42)).events
    assert (event.action, event.outcome, event.label) == ("idea_thanks", "done", "idea")
    assert event.reply_text is not None
    assert "#42" in event.reply_text
    assert world.platform.calls == [("reply", "2002_3101", event.reply_text)]
    assert world.ledger.done == {"facebook:2002_3101"}


def test_a_redelivered_idea_recorded_thanks_once(world: World) -> None:
    first = world.reactor.thank_idea(idea_recorded(outcome="vote", number=7, votes=2))
    again = world.reactor.thank_idea(idea_recorded(outcome="vote", number=7, votes=2))
    assert (len(first.events), again.duplicate, again.events) == (1, True, [])
    assert first.events[0].template_id == "idea_vote_thanks.pl.1"
    assert len(world.platform.calls) == 1


def test_a_repeat_vote_is_recorded_without_a_reply(world: World) -> None:
    [event] = world.reactor.thank_idea(idea_recorded(outcome="repeat", number=7, votes=2)).events
    assert (event.action, event.outcome, event.reply_text) == ("none", "skipped", None)
    assert world.platform.calls == []
    assert world.limiter.hits == {}


def test_praise_thanks_are_limited_per_thread_per_hour(world: World) -> None:
    events = [world.react("praise", "Super!", comment_id=f"c{i}", author_id=f"a{i}")[0] for i in range(4)]
    assert [event.outcome for event in events] == ["done", "done", "done", "rate-limited"]
    assert events[-1].reason == "rate limit praise: at most 3 replies per 3600 s"
    # Other replies in the same thread still have room (the thread limit is 10 an hour).
    assert world.react("question", QUESTION, comment_id="q1", author_id="a9")[0].outcome == "done"


def test_a_limit_of_zero_closes_replies_without_counting() -> None:
    policy = load_policy()
    closed = policy.rate_limits[0].model_copy(update={"limit": 0})
    policy = policy.model_copy(update={"rate_limits": (closed,)})
    world = World(Decider(policy, FaqLibrary.load(policy.languages), Templates.load(), HelpDirectory.load()))
    assert world.react("praise", "Super!")[0].outcome == "rate-limited"
    assert world.limiter.hits == {}


def test_a_stop_word_skips_the_reply_and_uses_no_quota(world: World) -> None:
    [event] = world.react("question", "Ile trwa wypłata? Mój prawnik pyta")
    assert (event.action, event.outcome) == ("none", "skipped")
    assert world.limiter.hits == {}
    assert world.platform.calls == []


def test_three_toxic_comments_in_ten_minutes_start_slow_mode_with_one_reminder(world: World) -> None:
    reacted = []
    for i in range(5):
        world.now = NOW + timedelta(minutes=2 * i)
        reacted.append(world.reactor.react(classified("toxic", "Idioci!", comment_id=f"c{i}", author_id=f"a{i}")))
    actions = [details(result.events) for result in reacted]
    assert actions == [
        [("hide", "done")],
        [("hide", "done")],
        [("hide", "done"), ("rules_reminder", "done")],
        [("hide", "done")],
        [("hide", "done")],
    ]
    assert [result.slow_mode_started for result in reacted] == [False, False, True, False, False]
    posts = [call for call in world.platform.calls if call[0] == "post_to_thread"]
    assert len(posts) == 1
    reminder = reacted[2].events[1]
    assert reminder.template_id == "rules_reminder.pl.1"
    assert reminder.reply_id == "post-in-1001_2002"


def test_spread_out_toxic_comments_do_not_start_slow_mode(world: World) -> None:
    for i in range(4):
        world.now = NOW + timedelta(minutes=6 * i)
        events = world.react("toxic", "Idioci!", comment_id=f"c{i}")
        assert details(events) == [("hide", "done")]


def test_a_new_slow_mode_period_gets_a_new_reminder(world: World) -> None:
    reminders = 0
    for start in (NOW, NOW + timedelta(hours=2)):
        for i in range(3):
            world.now = start + timedelta(minutes=i)
            events = world.react("toxic", "Idioci!", comment_id=f"{start.hour}-{i}")
            reminders += sum(event.action == "rules_reminder" for event in events)
    assert reminders == 2


def test_slow_mode_is_per_thread(world: World) -> None:
    for i in range(3):
        world.react("toxic", "Idioci!", comment_id=f"a{i}", thread_id="1001_1")
        world.react("toxic", "Idioci!", comment_id=f"b{i}", thread_id="1001_2")
    posts = sorted(call[1] for call in world.platform.calls if call[0] == "post_to_thread")
    assert posts == ["a2", "b2"]


def test_a_platform_failure_is_recorded_and_kept_for_redrive(world: World) -> None:
    world.platform.failing = {"reply"}
    [event] = world.react("question", QUESTION)
    assert (event.action, event.outcome) == ("faq_answer", "failed")
    assert event.reason == "meta reply: HTTP 500 after 3 attempts"
    [failed] = world.dead_letters.actions
    assert failed.request.kind == "reply"
    assert failed.request.text == event.reply_text
    assert (failed.request.target.comment_id, failed.retryable) == ("2002_3101", False)
    assert QUESTION not in failed.model_dump_json(), "the dead-letter message carries no comment text"
    assert world.published == [event]
    assert world.ledger.done == {"facebook:2002_3101"}


def test_when_the_dead_letter_queue_fails_the_comment_is_released_for_a_retry(world: World) -> None:
    world.platform.failing = {"reply"}
    world.dead_letters.explode = RuntimeError("SQS down")
    with pytest.raises(RuntimeError, match="SQS down"):
        world.react("question", QUESTION)
    assert world.ledger.released == ["facebook:2002_3101"]
    assert world.published == []


def test_an_unexpected_error_after_a_reply_does_not_release_the_comment(world: World) -> None:
    world.publisher.explode = RuntimeError("bus down")
    with pytest.raises(RuntimeError, match="bus down"):
        world.react("question", QUESTION)
    # The reply is out: a retry would post it twice.
    assert world.ledger.done == {"facebook:2002_3101"}
    assert world.ledger.released == []


def test_events_the_bus_refused_go_to_the_dead_letter_queue(world: World) -> None:
    world.publisher.fail_keys = {"facebook:2002_3101:praise_thanks"}
    [event] = world.react("praise", "Super!")
    assert [letter.detail for letter in world.dead_letters.events] == [event]
    assert world.ledger.done == {"facebook:2002_3101"}


@pytest.mark.parametrize(("age_hours", "outcome", "calls"), [(47, "done", 1), (49, "skipped", 0)])
def test_telegram_deletes_only_messages_under_48_hours(world: World, age_hours: int, outcome: str, calls: int) -> None:
    created = NOW - timedelta(hours=age_hours)
    [event] = world.react("spam", "Kup teraz!", platform="telegram", comment_id="-1002001:812", created_at=created)
    assert event.outcome == outcome
    assert len(world.platform.calls) == calls


def test_a_platform_without_an_api_is_skipped_in_live_mode(world: World) -> None:
    [event] = world.react("praise", "Super!", platform="generic")
    assert (event.outcome, event.reason) == ("skipped", "no API client for generic")


def test_a_failed_hide_does_not_stop_the_reminder(world: World) -> None:
    world.platform.failing = {"hide"}
    world.platform.error = PlatformError("meta hide: HTTP 503 after 3 attempts", retryable=True)
    events: list[ReactionPerformed] = []
    for i in range(3):
        events += world.react("toxic", "Idioci!", comment_id=f"c{i}")
    assert details(events)[-2:] == [("hide", "failed"), ("rules_reminder", "done")]
    assert [letter.retryable for letter in world.dead_letters.actions] == [True, True, True]
