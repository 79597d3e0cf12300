"""The activity and digest functions on moto, and the KPIs computed from tables the real handlers filled."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest

from infra.local.clients import Clients
from replyloop.kpis import month_period
from tests.support.kpi_world import KpiWorld, kpi_world
from tests.support.kpis import utc

NOVEMBER = month_period("2026-11", "Europe/Warsaw")
AFTER = utc(2026, 12, 1, 9)


@pytest.fixture
def world(aws: Clients, monkeypatch: pytest.MonkeyPatch) -> Iterator[KpiWorld]:
    with kpi_world(aws, monkeypatch) as world:
        yield world


def _kinds(items: list[dict[str, Any]]) -> list[str]:
    return sorted(item["pk"]["S"].split("#")[0] for item in items)


def test_a_comment_is_filed_once_however_often_it_is_delivered(world: KpiWorld) -> None:
    first = world.comment("praise", "c-1", "4101", utc(2026, 11, 8, 23, 30))
    again = world.comment("praise", "c-1", "4101", utc(2026, 11, 8, 23, 30))
    assert first == {"kind": "comment", "duplicate": False, "day": "2026-11-09"}  # Monday in Warsaw
    assert again["duplicate"] is True
    items = world.activity_items()
    assert _kinds(items) == ["AUTHOR", "COMMENT"]
    [comment] = [i for i in items if i["pk"]["S"] == "COMMENT#2026-11"]
    assert comment["sk"]["S"] == "2026-11-09#facebook#c-1"
    assert (comment["label"]["S"], comment["lang"]["S"]) == ("praise", "pl")
    assert int(comment["expires_at"]["N"]) > int(utc(2027, 12, 1).timestamp())  # kept about 400 days


def test_no_author_id_handle_or_text_is_stored(world: KpiWorld) -> None:
    world.comment("question", "c-1", "4101", utc(2026, 11, 2), text="Mój numer konta to 12345")
    stored = json.dumps(world.activity_items())
    assert "4101" not in stored
    assert "someone" not in stored  # the handle
    assert "12345" not in stored
    [author] = [i for i in world.activity_items() if i["pk"]["S"].startswith("AUTHOR#")]
    assert len(author["pk"]["S"].removeprefix("AUTHOR#")) == 32


def test_an_author_keeps_the_earliest_and_latest_day_in_any_order(world: KpiWorld) -> None:
    for day, comment_id in ((12, "b"), (3, "a"), (20, "c"), (12, "b")):
        world.comment("praise", comment_id, "4101", utc(2026, 11, day))
    [author] = [i for i in world.activity_items() if i["pk"]["S"].startswith("AUTHOR#")]
    assert (author["first_seen"]["S"], author["last_seen"]["S"]) == ("2026-11-03", "2026-11-20")
    assert int(author["expires_at"]["N"]) > int(utc(2027, 12, 20).timestamp())


def test_faq_answers_are_filed_with_their_link_once(world: KpiWorld) -> None:
    assert world.faq_answer("c-9", utc(2026, 11, 4))["kind"] == "faq_answer"
    assert world.faq_answer("c-9", utc(2026, 11, 4))["duplicate"] is True
    [answer] = [i for i in world.activity_items() if i["pk"]["S"] == "FAQ#2026-11"]
    assert answer["utm_content"]["S"] == "pl-withdrawal-time"
    assert "utm_campaign=replyloop-faq" in answer["link"]["S"]
    assert answer["outcome"]["S"] == "dry-run"


def test_the_kpis_of_a_month_come_from_what_the_handlers_stored(world: KpiWorld) -> None:
    world.november()
    kpis = world.kpis(NOVEMBER, AFTER)
    speed, community, service, product = kpis.speed, kpis.community, kpis.service, kpis.product

    assert (speed.cases_opened, speed.cases_answered, speed.cases_unanswered_late) == (3, 2, 1)
    assert speed.first_response_median_seconds == (1800 + 10800) / 2
    assert speed.first_response_working_median_seconds == (1800 + 10800) / 2  # 10:00-13:00 on working days
    assert (speed.answered_within_sla, speed.cases_settled) == (1, 3)
    assert speed.closed_without_escalation_share == pytest.approx(1 / 3)
    assert speed.escalations_by_team == {"support": 1}

    assert (community.comments, community.active_participants, community.new_participants) == (6, 4, 3)
    assert (community.returning_d7, community.returning_d30) == (2, 1)  # 4101 (since 1 Oct) and 4102 (16 -> 24)
    assert community.spam_share == pytest.approx(1 / 6)
    assert community.comments_by_label == {"question": 2, "complaint": 1, "idea": 1, "praise": 1, "spam": 1}

    assert (service.faq_auto_answers, service.faq_auto_answers_sent, service.links_sent) == (1, 0, 1)
    assert service.faq_answered_question_share == 0.5
    assert service.links_followed is None

    assert (product.ideas_received, product.votes, product.funnel.received) == (1, 1, 1)
    assert product.ideas_received_by_month == {"2026-11": 1}


def test_the_weekly_digest_puts_last_week_on_the_bus_once(world: KpiWorld) -> None:
    world.november()
    captured = world.capture("replyloop.kpis")
    first = world.call("KpiDigestFunction", {"scheduled_time": "2026-11-23T07:00:00Z"})  # as Scheduler sends it
    again = world.call("KpiDigestFunction", {"today": "2026-11-23"})  # by hand, for the same week
    assert (first["period"], first["published"], again["published"]) == ("2026-11-16..2026-11-22", True, False)
    [event] = world.drain(captured)
    assert (event["source"], event["detail-type"]) == ("replyloop.kpis", "KpiDigest")
    kpis = event["detail"]["kpis"]
    assert kpis["period"] == {"start": "2026-11-16", "end": "2026-11-22", "timezone": "Europe/Warsaw"}
    assert kpis["speed"]["cases_opened"] == 3
    assert kpis["community"]["comments"] == 5  # 24 November and 1 October are outside the week
    assert first["headline"]["participants"] == 4
    assert date.fromisoformat(kpis["period"]["end"]) + timedelta(days=1) == date(2026, 11, 23)
