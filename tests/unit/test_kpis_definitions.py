"""The KPI definitions on hand-built data: percentiles, SLA and escalation shares, D7/D30, weeks in Europe/Warsaw."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from replyloop.kpis import compute_kpis, last_days, month_period
from replyloop.kpis.community import community_kpis
from replyloop.kpis.period import local_day, months_of, utc_bounds, week_start, weeks_of
from replyloop.kpis.records import CaseRecord
from replyloop.kpis.speed import speed_kpis
from replyloop.kpis.stats import histogram, median, percentile, share
from replyloop.models.kpis import CommunityKpis, Period
from tests.support.kpis import MemoryActivity, answered_case, comment, memory_sources, open_case, utc

pytestmark = pytest.mark.unit

WARSAW = "Europe/Warsaw"
NOVEMBER = month_period("2026-11", WARSAW)
AFTER = utc(2026, 12, 1, 9)


# ---------------------------------------------------------------------------- statistics


def test_percentiles_interpolate_linearly_between_closest_ranks() -> None:
    values = [10, 20, 30, 40]
    assert median(values) == 25
    assert percentile(values, 90) == pytest.approx(37)  # rank 0.9 * 3 = 2.7: 30 + 0.7 * 10
    assert percentile([5], 90) == 5
    assert percentile([], 50) is None
    assert median([3, 1, 2]) == 2  # unsorted input


def test_a_share_of_nothing_is_none_not_zero() -> None:
    assert share(0, 0) is None
    assert share(0, 4) == 0
    assert share(3, 4) == 0.75


def test_the_histogram_spans_the_answers_and_counts_each_once() -> None:
    values = [480, 1260, 2940, 5400]
    bins = histogram(values)
    assert [b.label for b in bins] == ["< 15 min", "15\u201330 min", "30 min\u20131 h", "1\u20132 h", "\u2265 2 h"]
    assert [b.count for b in bins] == [1, 1, 1, 1, 0]
    assert bins[-1].upper_seconds is None
    assert sum(b.count for b in histogram([3, 5, 9, 12, 30, 10**6])) == 6
    assert histogram([]) == []


def test_a_value_on_an_edge_goes_to_the_upper_bin() -> None:
    bins = histogram([900, 900, 1000])
    [upper] = [b for b in bins if b.label == "15\u201330 min"]
    assert upper.count == 3


# ---------------------------------------------------------------------------- periods and weeks


def test_a_month_is_its_local_days_and_its_utc_bounds_follow_dst() -> None:
    assert (NOVEMBER.start, NOVEMBER.end, NOVEMBER.label, NOVEMBER.days) == (
        date(2026, 11, 1),
        date(2026, 11, 30),
        "2026-11",
        30,
    )
    october = month_period("2026-10", WARSAW)  # summer time ends on 25 October
    assert utc_bounds(october) == (datetime(2026, 9, 30, 22, tzinfo=UTC), datetime(2026, 10, 31, 23, tzinfo=UTC))
    with pytest.raises(ValueError, match="YYYY-MM"):
        month_period("2026-13", WARSAW)


def test_the_digest_period_is_the_seven_days_before_today() -> None:
    week = last_days(7, date(2026, 11, 23), WARSAW)
    assert (week.start, week.end, week.label) == (date(2026, 11, 16), date(2026, 11, 22), "2026-11-16..2026-11-22")
    with pytest.raises(ValueError, match="ends"):
        Period(start=date(2026, 11, 2), end=date(2026, 11, 1))


def test_weeks_start_on_monday_and_edge_weeks_count_only_their_days_inside() -> None:
    weeks = weeks_of(NOVEMBER)  # 1 November 2026 is a Sunday, 30 November a Monday
    assert weeks[0] == (date(2026, 10, 26), 1)
    assert weeks[1] == (date(2026, 11, 2), 7)
    assert weeks[-1] == (date(2026, 11, 30), 1)
    assert sum(days for _monday, days in weeks) == 30
    assert months_of(Period(start=date(2026, 11, 20), end=date(2027, 1, 3))) == ["2026-11", "2026-12", "2027-01"]


def test_a_late_sunday_evening_in_utc_is_already_monday_in_warsaw() -> None:
    zone = ZoneInfo(WARSAW)
    day = local_day(datetime(2026, 11, 8, 23, 30, tzinfo=UTC), zone)  # Monday 00:30 in Warsaw (CET, UTC+1)
    assert day == date(2026, 11, 9)
    assert week_start(day) == date(2026, 11, 9)
    assert week_start(date(2026, 11, 8)) == date(2026, 11, 2)
    assert local_day(datetime(2026, 7, 5, 22, 30, tzinfo=UTC), zone) == date(2026, 7, 6)  # CEST, UTC+2


# ---------------------------------------------------------------------------- speed and quality


def test_first_response_and_sla_share_count_late_unanswered_cases_as_misses() -> None:
    cases = [
        answered_case(utc(2026, 11, 2, 9), 600, working=600),
        answered_case(utc(2026, 11, 3, 9), 1800, working=1200),
        answered_case(utc(2026, 11, 4, 9), 5400, working=5000, escalated_to=("support",)),  # late
        open_case(utc(2026, 11, 5, 9), escalated_to=("support", "smm-lead")),  # never answered
        open_case(utc(2026, 11, 30, 22)),  # due after `now`: pending, in no share
    ]
    now = utc(2026, 11, 30, 22, 30)
    speed = speed_kpis(cases, NOVEMBER, now)
    assert (speed.cases_opened, speed.cases_answered, speed.cases_unanswered_late, speed.cases_pending) == (5, 3, 1, 1)
    assert speed.first_response_median_seconds == 1800
    assert speed.first_response_p90_seconds == pytest.approx(1800 + 0.8 * 3600)
    assert speed.first_response_working_median_seconds == 1200
    assert (speed.answered_within_sla, speed.cases_settled, speed.answered_within_sla_share) == (2, 4, 0.5)
    assert (speed.closed_without_escalation, speed.cases_decided) == (2, 4)
    assert speed.closed_without_escalation_share == 0.5
    assert speed.escalations_by_team == {"smm-lead": 1, "support": 2}
    assert speed.cases_escalated == 2
    assert sum(b.count for b in speed.response_time_histogram) == 3


def test_a_withdrawn_case_is_in_no_sla_share_but_closes_without_escalation() -> None:
    opened = utc(2026, 11, 10, 9)
    withdrawn = CaseRecord(
        opened_at=opened, due_at=opened + timedelta(hours=1), team="support", label="question", withdrawn_at=opened
    )
    speed = speed_kpis([withdrawn], NOVEMBER, AFTER)
    assert (speed.cases_withdrawn, speed.cases_settled, speed.answered_within_sla_share) == (1, 0, None)
    assert speed.closed_without_escalation_share == 1.0


def test_sla_share_per_week_buckets_by_the_local_opening_day() -> None:
    sunday_night_utc = utc(2026, 11, 8, 23, 30)  # Monday 9 November in Warsaw
    speed = speed_kpis(
        [answered_case(sunday_night_utc, 60), answered_case(utc(2026, 11, 8, 10), 9000)], NOVEMBER, AFTER
    )
    by_week = {w.week_start: w for w in speed.sla_by_week}
    assert (by_week[date(2026, 11, 9)].settled, by_week[date(2026, 11, 9)].share) == (1, 1.0)
    assert (by_week[date(2026, 11, 2)].settled, by_week[date(2026, 11, 2)].share) == (1, 0.0)
    assert by_week[date(2026, 11, 16)].share is None


# ---------------------------------------------------------------------------- community


def _community(activity: MemoryActivity, period: Period = NOVEMBER) -> CommunityKpis:
    return community_kpis(activity.comments(period), period, activity.first_seen)


def test_d7_counts_a_return_on_the_seventh_day_after_the_first_comment_not_the_sixth() -> None:
    activity = MemoryActivity().add(
        comment(date(2026, 11, 2), "seventh"),
        comment(date(2026, 11, 9), "seventh"),
        comment(date(2026, 11, 2), "sixth"),
        comment(date(2026, 11, 8), "sixth"),
        comment(date(2026, 11, 3), "once"),
    )
    community = _community(activity)
    assert (community.active_participants, community.new_participants) == (3, 3)
    assert (community.returning_d7, community.returning_d30) == (1, 0)
    assert community.returning_d7_share == pytest.approx(1 / 3)


def test_d30_uses_the_first_comment_ever_stored_even_before_the_period() -> None:
    activity = MemoryActivity().add(
        comment(date(2026, 9, 15), "veteran"),
        comment(date(2026, 10, 20), "recent"),
    )
    activity.add(comment(date(2026, 11, 18), "veteran"), comment(date(2026, 11, 18), "recent"))
    community = _community(activity)
    assert (community.active_participants, community.new_participants) == (2, 0)
    assert (community.returning_d7, community.returning_d30) == (2, 1)
    assert community.returning_d30_share == 0.5
    assert activity.asked_for == [["recent", "veteran"]]  # only the period's participants are looked up


def test_without_a_stored_first_day_the_period_s_own_first_comment_counts() -> None:
    activity = MemoryActivity().add(
        comment(date(2026, 11, 1), "unknown"), comment(date(2026, 11, 30), "unknown"), seen=False
    )
    community = _community(activity)
    assert (community.returning_d7, community.returning_d30, community.new_participants) == (1, 0, 1)


def test_spam_counts_in_its_share_but_its_senders_are_not_participants() -> None:
    activity = MemoryActivity().add(
        comment(date(2026, 11, 2), "bot", "spam"),
        comment(date(2026, 11, 2), "bot", "spam"),
        comment(date(2026, 11, 3), "angry", "toxic"),
        comment(date(2026, 11, 4), "kind", "praise", platform="instagram"),
    )
    community = _community(activity)
    assert (community.comments, community.active_participants) == (4, 2)
    assert (community.spam_share, community.toxic_share) == (0.5, 0.25)
    assert community.comments_by_label == {"praise": 1, "toxic": 1, "spam": 2}
    assert community.comments_by_platform == {"facebook": 3, "instagram": 1}
    assert community.comments_per_week == round(4 / (30 / 7), 2)


def test_comments_per_week_are_bucketed_monday_to_sunday() -> None:
    activity = MemoryActivity().add(
        comment(date(2026, 11, 1), "a"),  # Sunday: the week of 26 October
        comment(date(2026, 11, 2), "a", "praise"),  # Monday
        comment(date(2026, 11, 8), "b", "idea"),  # Sunday of the same week
    )
    weeks = {w.week_start: w for w in _community(activity).comments_by_week}
    assert (weeks[date(2026, 10, 26)].total, weeks[date(2026, 10, 26)].days) == (1, 1)
    assert weeks[date(2026, 11, 2)].counts == {"idea": 1, "praise": 1}
    assert weeks[date(2026, 11, 30)].total == 0


# ---------------------------------------------------------------------------- all together


def test_an_empty_period_has_counts_of_zero_and_shares_of_none() -> None:
    kpis = compute_kpis(NOVEMBER, memory_sources(), AFTER)
    assert (kpis.speed.cases_opened, kpis.community.comments, kpis.product.ideas_received) == (0, 0, 0)
    assert kpis.speed.first_response_median_seconds is None
    assert kpis.speed.answered_within_sla_share is None
    assert kpis.community.returning_d7_share is None
    assert kpis.service.links_followed is None
    assert kpis.service.links_followed_source.startswith("unknown")
    assert kpis.speed.response_time_histogram == []
    assert len(kpis.speed.sla_by_week) == len(kpis.community.comments_by_week) == 6
    assert kpis.product.ideas_received_by_month == {"2026-11": 0}


def test_cases_opened_outside_the_period_are_not_counted() -> None:
    sources = memory_sources()
    sources.cases.cases += [answered_case(utc(2026, 10, 31, 22, 59), 60), answered_case(utc(2026, 10, 31, 23), 60)]
    kpis = compute_kpis(NOVEMBER, sources, AFTER)
    assert kpis.speed.cases_opened == 1  # 23:00 UTC on 31 October is midnight in Warsaw
