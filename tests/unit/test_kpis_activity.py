"""Recording activity, the service and product KPIs, link clicks and the weekly digest, on in-memory fakes."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from replyloop.kpis import ActivityRecorder, CsvClicks, KpiPolicy, Pseudonymizer, WeeklyDigest, month_period
from replyloop.kpis.activity import tracked_link
from replyloop.kpis.clicks import UTM_CAMPAIGN
from replyloop.kpis.product import product_kpis, service_kpis
from replyloop.kpis.records import FaqAnswer
from replyloop.models.events import ReactionPerformed
from replyloop.reactions.faq import UTM_CAMPAIGN as TAGGED_CAMPAIGN
from tests.support.events import load_event
from tests.support.fakes import MemoryPublisher
from tests.support.kpis import MemoryActivity, MemoryIdeas, memory_sources, utc
from tests.support.reaction_fakes import classified

pytestmark = pytest.mark.unit

NOVEMBER = month_period("2026-11", "Europe/Warsaw")
KEY = b"k" * 32
FAQ_REACTION = load_event("bus/ReactionPerformed.json")["detail"]


def recorder(activity: MemoryActivity, key: bytes = KEY) -> ActivityRecorder:
    return ActivityRecorder(activity, Pseudonymizer(lambda: key), KpiPolicy())


# ---------------------------------------------------------------------------- recording


def test_authors_get_a_keyed_pseudonym_never_their_id() -> None:
    pseudonym = Pseudonymizer(lambda: KEY)
    key = pseudonym("facebook", "4101")
    assert key == pseudonym("facebook", "4101")
    assert len(key) == 32
    assert "4101" not in key
    assert key != pseudonym("instagram", "4101")
    assert key != Pseudonymizer(lambda: b"another key, just as long")("facebook", "4101")
    with pytest.raises(ValueError, match="16 bytes"):
        Pseudonymizer(lambda: b"")("facebook", "4101")


def test_a_comment_is_filed_under_its_local_day_once_and_its_author_seen() -> None:
    activity = MemoryActivity()
    late_sunday = datetime(2026, 11, 8, 23, 30, tzinfo=UTC)  # Monday in Warsaw
    event = classified("question", "Ile trwa wypłata?", created_at=late_sunday, author_id="4101")
    first = recorder(activity).comment(event)
    again = recorder(activity).comment(event)
    assert (first.kind, first.duplicate, first.day) == ("comment", False, date(2026, 11, 9))
    assert again.duplicate is True
    [stored] = activity.stored.values()
    assert (stored.label, stored.lang, stored.day) == ("question", "pl", date(2026, 11, 9))
    assert stored.author == Pseudonymizer(lambda: KEY)("facebook", "4101")
    assert activity.authors == {stored.author: (date(2026, 11, 9), date(2026, 11, 9))}


def test_authors_days_only_move_outwards_whatever_the_delivery_order() -> None:
    activity = MemoryActivity()
    for day, comment_id in ((10, "b"), (3, "a"), (20, "c"), (12, "d")):
        recorder(activity).comment(classified("praise", "super", created_at=utc(2026, 11, day), comment_id=comment_id))
    assert list(activity.authors.values()) == [(date(2026, 11, 3), date(2026, 11, 20))]


def test_spam_is_filed_but_does_not_make_a_participant() -> None:
    activity = MemoryActivity()
    recorder(activity).comment(classified("spam", "kup teraz", author_id="bot"))
    assert len(activity.stored) == 1
    assert activity.authors == {}


def test_a_faq_answer_is_filed_with_its_tracked_link_and_other_reactions_are_ignored() -> None:
    activity = MemoryActivity()
    reaction = ReactionPerformed.model_validate(FAQ_REACTION)
    result = recorder(activity).faq_answer(reaction)
    [answer] = activity.answers.values()
    assert (result.kind, result.day) == ("faq_answer", date(2026, 1, 12))
    assert answer.utm_content == "pl-withdrawal-time"
    assert answer.link is not None
    assert answer.link.startswith("https://help.example.com/pl/portfel/czas-wyplaty?utm_source=facebook")
    assert recorder(activity).faq_answer(reaction).duplicate is True
    hidden = reaction.model_copy(update={"action": "hide", "comment_id": "other"})
    assert recorder(activity).faq_answer(hidden).kind == "ignored"
    assert len(activity.answers) == 1


def test_tracked_links_are_found_only_with_utm_parameters() -> None:
    assert tracked_link("See https://a.example/x?utm_content=pl-1&utm_source=x.") == (
        "https://a.example/x?utm_content=pl-1&utm_source=x.",
        "pl-1",
    )
    assert tracked_link("Plain https://a.example/x and no tags") == (None, None)
    assert tracked_link(None) == (None, None)


def test_the_faq_links_are_tagged_with_the_campaign_the_click_source_reads() -> None:
    assert UTM_CAMPAIGN == TAGGED_CAMPAIGN


# ---------------------------------------------------------------------------- service


def _answer(day: int, outcome: str = "done", content: str | None = "pl-1") -> FaqAnswer:
    link = f"https://help.example/?utm_content={content}" if content else None
    return FaqAnswer(date(2026, 11, day), "facebook", f"c{day}{outcome}", "pl", "pl-1", outcome, link, content)


def test_faq_answers_count_sent_and_dry_run_and_links_stay_unknown_without_a_source() -> None:
    answers = [_answer(2), _answer(3, "dry-run"), _answer(4, "failed"), _answer(5, content=None)]
    service = service_kpis(answers, NOVEMBER, questions=6)
    assert (service.faq_auto_answers, service.faq_auto_answers_sent, service.links_sent) == (3, 2, 2)
    assert service.faq_answered_question_share == 0.5
    assert service.links_followed is None
    assert service.links_followed_source == "unknown: no click source configured"


def test_a_csv_click_source_counts_the_period_s_visits_of_our_links(tmp_path: Path) -> None:
    export = tmp_path / "clicks.csv"
    export.write_text(
        "date,utm_campaign,utm_content,clicks\n"
        "2026-11-02,replyloop-faq,pl-1,4\n"
        "2026-11-30,,pl-1,1\n"
        "2026-12-01,replyloop-faq,pl-1,9\n"
        "2026-11-03,newsletter,pl-1,7\n"
        "2026-11-03,replyloop-faq,pl-other,5\n"
    )
    service = service_kpis([_answer(2)], NOVEMBER, questions=1, clicks=CsvClicks.read(export))
    assert service.links_followed == 5
    assert service.links_followed_source == "web analytics export clicks.csv"
    export.write_text("date,clicks\n2026-11-02,x\n")
    with pytest.raises(ValueError, match=r"clicks\.csv:2"):
        CsvClicks.read(export)


# ---------------------------------------------------------------------------- product


def test_ideas_received_voted_shipped_and_the_funnel() -> None:
    ideas = (
        MemoryIdeas()
        .idea(1, utc(2026, 9, 1), "shipped", votes=[utc(2026, 11, 3)], shipped_at=utc(2026, 11, 11))
        .idea(2, utc(2026, 11, 2), "planned", votes=[utc(2026, 11, 4), utc(2026, 12, 2)])
        .idea(3, utc(2026, 11, 5), "shipped", shipped_at=utc(2026, 11, 25))
        .idea(4, utc(2026, 11, 6), "declined")
        .idea(5, datetime(2026, 10, 31, 23, 30, tzinfo=UTC), "accepted")  # 1 November in Warsaw
        .idea(6, utc(2026, 10, 1), "shipped", shipped_at=utc(2026, 10, 20))
    )
    product = product_kpis(ideas, NOVEMBER)
    assert product.ideas_received == 4
    assert product.ideas_received_by_month == {"2026-11": 4}
    assert product.votes == 6  # the first asks of #2-#5 and the November votes of #1 and #2 (not December's)
    assert product.ideas_shipped == 2
    assert product.first_ask_to_shipped_median_days == pytest.approx((71 + 20) / 2, abs=0.05)
    funnel = product.funnel
    assert (funnel.received, funnel.accepted, funnel.planned, funnel.shipped, funnel.declined) == (4, 3, 2, 1, 1)


# ---------------------------------------------------------------------------- weekly digest


def _digest(activity: MemoryActivity, publisher: MemoryPublisher, now: datetime) -> WeeklyDigest:
    return WeeklyDigest(memory_sources(activity=activity), publisher, activity, KpiPolicy(), lambda: now)


def test_the_digest_covers_last_week_and_goes_out_once_per_period() -> None:
    activity, publisher = MemoryActivity(), MemoryPublisher()
    monday_morning = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)  # 08:00 in Warsaw
    first = _digest(activity, publisher, monday_morning).run()
    again = _digest(activity, publisher, monday_morning + timedelta(minutes=5)).run()
    forced = _digest(activity, publisher, monday_morning).run(force=True)
    assert (first.period.start, first.period.end) == (date(2026, 11, 16), date(2026, 11, 22))
    assert (first.published, again.published, forced.published) == (True, False, True)
    assert [e.detail_type for e in publisher.put] == ["KpiDigest", "KpiDigest"]
    detail = publisher.put[0].detail
    assert detail.source == "replyloop.kpis"
    assert json.loads(detail.model_dump_json())["period_label"] == "2026-11-16..2026-11-22"
    assert activity.marks.keys() == {"2026-11-16..2026-11-22"}


def test_a_digest_the_bus_refused_is_not_marked_sent() -> None:
    activity = MemoryActivity()
    refusing = MemoryPublisher(fail_keys={"kpis:2026-11-16..2026-11-22"})
    with pytest.raises(RuntimeError, match="could not be put"):
        _digest(activity, refusing, datetime(2026, 11, 23, 7, tzinfo=UTC)).run()
    assert activity.marks == {}


def test_the_package_surface_resolves_every_name_it_lists() -> None:
    import replyloop.kpis as package

    assert all(getattr(package, name) is not None for name in package.__all__)
    with pytest.raises(AttributeError):
        _ = package.nothing_here
