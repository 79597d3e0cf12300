"""The monthly summary use case on in-memory ports: once per month, the checklist gate, retries that redo nothing."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from replyloop.reactions.actions import PlatformError
from replyloop.summary import SummaryError, load_templates
from replyloop.summary.policy import ChecklistPolicy, Owner
from tests.support.summary import SummaryWorld, policy_with

pytestmark = pytest.mark.unit

MONTH = "2026-11"


@pytest.fixture
def world() -> SummaryWorld:
    world = SummaryWorld()
    world.backlog.add(
        12,
        "Tryb ciemny",
        status="shipped",
        shipped_month=MONTH,
        authors=[("telegram", "5550121", "ola", "pl"), ("x", "901", "jan", "en"), ("generic", "w1", None, "pl")],
    )
    world.backlog.add(14, "Eksport do CSV", status="planned", authors=[("x", "902", None, "en")])
    world.backlog.add(20, "Tryb nocny", status="shipped", shipped_month="2026-12", authors=[("x", "9", "z", "pl")])
    return world


def test_dry_run_stores_the_post_decides_every_step_and_announces_once(world: SummaryWorld) -> None:
    outcome = world.summary().run(MONTH)
    assert (outcome.status, outcome.kind, outcome.shipped, outcome.received, outcome.planned) == (
        "published",
        "shipped",
        1,
        3,
        1,
    )
    assert sorted(world.archive.objects) == [
        f"summaries/{MONTH}/checklist.json",
        f"summaries/{MONTH}/en.html",
        f"summaries/{MONTH}/en.md",
        f"summaries/{MONTH}/manifest.json",
        f"summaries/{MONTH}/pl.html",
        f"summaries/{MONTH}/pl.md",
    ]
    assert world.archive.objects[f"summaries/{MONTH}/pl.md"][1] == "text/markdown; charset=utf-8"
    assert "Tryb nocny" not in world.archive.text(f"summaries/{MONTH}/pl.md")  # shipped in December
    assert [(s.kind, s.platform, s.outcome) for s in outcome.steps] == [
        ("channel", "facebook", "dry-run"),
        ("channel", "telegram", "dry-run"),
        ("channel", "x", "dry-run"),
        ("thanks", "telegram", "dry-run"),
        ("thanks", "x", "dry-run"),
        ("thanks", "generic", "skipped"),  # a website form has no thread to reply in, even live
    ]
    assert (world.channels.posts, world.repliers.replies) == ([], [])  # dry-run calls no platform
    [event] = world.published()
    assert (event.month, event.mode, event.shipped, event.authors_notified, event.checklist_passed) == (
        MONTH,
        "dry-run",
        1,
        2,
        True,
    )
    assert [c.outcome for c in event.channels] == ["dry-run"] * 3
    manifest = json.loads(world.archive.text(f"summaries/{MONTH}/manifest.json"))
    assert [t["lang"] for t in manifest["thanks"]] == ["pl", "en", "pl"]
    assert "5550121" not in json.dumps(manifest)  # comment ids and threads, never an author's id


def test_running_twice_publishes_nothing_new(world: SummaryWorld) -> None:
    summary = world.summary()
    summary.run(MONTH)
    puts = world.archive.puts
    again = summary.run(MONTH)
    assert (again.status, again.out, again.announced, again.shipped) == ("already-published", True, False, 1)
    assert world.archive.puts == puts
    assert len(world.published()) == 1


def test_live_posts_on_every_channel_and_replies_to_each_author(world: SummaryWorld) -> None:
    outcome = world.summary(mode="live").run(MONTH)
    assert [(platform, target) for platform, target, _ in world.channels.posts] == [
        ("facebook", "1001"),
        ("telegram", "-1002002"),
        ("x", "900"),
    ]
    assert [(platform, comment) for platform, comment, _ in world.repliers.replies] == [
        ("telegram", "telegram-12-0"),
        ("x", "x-12-1"),
    ]
    assert world.repliers.replies[0][2].startswith("Twój pomysł „Tryb ciemny” (#12)")
    assert world.repliers.replies[1][2].startswith('Your idea "Tryb ciemny" (#12) has shipped.')
    generic = outcome.of("thanks")[2]
    assert (generic.outcome, generic.reason) == ("skipped", "no API to reply on generic")
    assert (outcome.notified, outcome.notified_now, outcome.status) == (2, 2, "published")


def test_a_dry_run_never_stands_in_for_the_live_run(world: SummaryWorld) -> None:
    world.summary().run(MONTH)
    live = world.summary(mode="live").run(MONTH)
    assert (live.status, len(world.repliers.replies), len(world.published())) == ("published", 2, 2)


def test_a_retry_after_a_partial_failure_tells_only_those_not_yet_told(world: SummaryWorld) -> None:
    world.repliers.failing["x-12-1"] = PlatformError("x reply: HTTP 503 after 3 attempts", retryable=True)
    summary = world.summary(mode="live")
    first = summary.run(MONTH)
    assert first.status == "partial"
    assert [(s.key, s.outcome) for s in first.pending] == [("thanks#x#x-12-1", "pending")]
    assert first.announced  # the post is out: the channels all went through
    del world.repliers.failing["x-12-1"]
    second = summary.run(MONTH)
    assert (second.status, second.announced, second.notified_now, second.notified) == ("published", False, 1, 2)
    assert [comment for _, comment, _ in world.repliers.replies] == ["telegram-12-0", "x-12-1"]
    assert len(world.channels.posts) == 3
    assert len(world.published()) == 1
    assert summary.run(MONTH).status == "already-published"


def test_a_refusal_for_good_is_recorded_and_not_retried(world: SummaryWorld) -> None:
    world.repliers.failing["x-12-1"] = PlatformError("x reply: HTTP 403: reply not allowed", status=403)
    outcome = world.summary(mode="live").run(MONTH)
    assert outcome.status == "published"
    [failed] = outcome.failed_now
    assert (failed.outcome, failed.reason) == ("failed", "x reply: HTTP 403: reply not allowed")
    assert world.summary(mode="live").run(MONTH).status == "already-published"


def test_a_channel_that_fails_holds_the_announcement_until_a_retry_posts_it(world: SummaryWorld) -> None:
    world.channels.fail_with = PlatformError("facebook page post: HTTP 500 after 3 attempts", retryable=True)
    first = world.summary(mode="live").run(MONTH)
    assert (first.status, first.announced, first.out) == ("partial", False, False)
    assert world.published() == []
    world.channels.fail_with = None
    second = world.summary(mode="live").run(MONTH)
    assert (second.status, second.announced, second.out) == ("published", True, True)
    assert len(world.channels.posts) == 3
    assert len(world.repliers.replies) == 2  # thanked in the first run, not again


def test_a_teaser_too_long_for_x_is_refused_in_dry_run_as_it_would_be_live(world: SummaryWorld) -> None:
    templates = load_templates(("pl", "en"))
    english = templates["en"]
    wordy = english.wording.model_copy(update={"teaser": "So much to say. " * 20 + "$post_link $cta_link"})
    templates["en"] = replace(english, wording=wordy)
    outcome = world.summary(templates=templates).run(MONTH)
    x = outcome.of("channel")[2]
    assert (x.platform, x.outcome, x.reason) == ("x", "failed", "the teaser is longer than the platform allows")
    assert [step.outcome for step in outcome.of("channel")[:2]] == ["dry-run", "dry-run"]  # Polish fits


def test_a_step_claimed_but_never_confirmed_is_not_redone(world: SummaryWorld) -> None:
    world.ledger.steps[(MONTH, "live", "thanks#telegram#telegram-12-0")] = None  # a crash mid-call
    outcome = world.summary(mode="live").run(MONTH)
    step = outcome.of("thanks")[0]
    assert (step.outcome, step.fresh) == ("unknown", False)
    assert [comment for _, comment, _ in world.repliers.replies] == ["x-12-1"]


def test_the_announcement_is_released_when_the_bus_refuses_it(world: SummaryWorld) -> None:
    world.publisher.fail_keys.add(f"summary:{MONTH}:dry-run")
    with pytest.raises(SummaryError, match="could not be put on the bus"):
        world.summary().run(MONTH)
    world.publisher.fail_keys.clear()
    assert world.summary().run(MONTH).announced


def test_a_failed_checklist_blocks_publication(world: SummaryWorld) -> None:
    policy = policy_with(owner=Owner())
    outcome = world.summary(policy, mode="live").run(MONTH)
    assert (outcome.status, outcome.checklist_passed, outcome.out) == ("blocked", False, False)
    assert (world.channels.posts, world.repliers.replies, world.published()) == ([], [], [])
    checklist = json.loads(world.archive.text(f"summaries/{MONTH}/checklist.json"))
    assert checklist["passed"] is False
    assert {c["rule"] for c in checklist["checks"] if not c["passed"]} == {"owner"}
    state = world.ledger.state(MONTH, "live")
    assert state is not None
    assert state.status == "blocked"
    assert state.details["reasons"][0].startswith("pl.md: owner: no owner configured")
    # Fixed (the policy names an owner again): the next run publishes.
    assert world.summary(mode="live").run(MONTH).status == "published"


def test_a_checklist_that_is_not_enforced_reports_but_does_not_block(world: SummaryWorld) -> None:
    policy = policy_with(owner=Owner(), checklist=ChecklistPolicy(enforce=False))
    outcome = world.summary(policy).run(MONTH)
    assert (outcome.status, outcome.checklist_passed) == ("published", False)
    assert world.published()[0].checklist_passed is False


def test_nothing_shipped_publishes_what_comes_next_or_nothing_by_policy(world: SummaryWorld) -> None:
    planned = world.summary().run("2026-10")
    assert (planned.status, planned.kind, planned.shipped, planned.planned) == ("published", "planned-only", 0, 1)
    assert [step.kind for step in planned.steps] == ["channel"] * 3  # nobody to thank
    assert "No new idea shipped this time" in world.archive.text("summaries/2026-10/en.md")
    skipping = world.summary(policy_with(when_nothing_shipped="skip"))
    skipped = skipping.run("2026-09")
    assert (skipped.status, skipped.out, skipped.keys) == ("skipped", True, [])
    assert not any(key.startswith("summaries/2026-09") for key in world.archive.objects)
    assert [event.month for event in world.published()] == ["2026-10"]


def test_the_daily_check_reports_whether_last_months_post_is_out(world: SummaryWorld) -> None:
    summary = world.summary()
    first_check = datetime(2026, 11, 20, 11, 0, tzinfo=UTC)
    assert summary.is_out(first_check) == ("2026-10", True)  # October ended before the first check
    december = datetime(2026, 12, 1, 11, 0, tzinfo=UTC)
    assert summary.is_out(december) == (MONTH, False)  # not run yet
    summary.run(MONTH)
    assert summary.is_out(december) == (MONTH, True)
    blocked = world.summary(policy_with(owner=Owner()), mode="live")  # checks are per mode
    assert blocked.is_out(first_check) == ("2026-10", True)
    blocked.run(MONTH)
    assert blocked.is_out(december) == (MONTH, False)


def test_an_explicit_month_must_be_over(world: SummaryWorld) -> None:
    summary = world.summary()
    now = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    assert summary.month_for(now) == MONTH
    assert summary.month_for(now, month="2026-06") == "2026-06"
    assert summary.month_for(now, scheduled=datetime(2026, 7, 1, 7, 0, tzinfo=UTC)) == "2026-06"
    with pytest.raises(ValueError, match="not over yet"):
        summary.month_for(now, month="2026-12")
