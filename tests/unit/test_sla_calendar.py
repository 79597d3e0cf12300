"""Working time: hand-checked deadlines around DST and Polish holidays, and invariants checked by hypothesis."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from replyloop.sla.calendar import Calendar
from replyloop.sla.policy import load_policy

pytestmark = pytest.mark.unit

WARSAW = ZoneInfo("Europe/Warsaw")
POLICY = load_policy()
PL = POLICY.calendar("pl")  # Mon-Fri 08-18, Sat 10-14, Polish public holidays
ALWAYS = POLICY.calendar("always")
# Every day 00:00-24:00 in Warsaw: a local day is as long as the clocks make it.
WARSAW_ALL_DAY = Calendar(WARSAW, dict.fromkeys(range(7), ((time(0), None),)), name="warsaw-all-day")
# Two intervals a day and a closed weekend, to exercise lunch breaks.
SPLIT = Calendar(WARSAW, dict.fromkeys(range(5), ((time(9), time(12)), (time(13), time(17)))), name="split")


def warsaw(*args: int) -> datetime:
    return datetime(*args, tzinfo=WARSAW)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# ---------------------------------------------------------------------------- holidays, as the package says


@pytest.mark.parametrize(
    ("day", "closed"),
    [
        (date(2026, 11, 11), True),  # Independence Day (Wednesday)
        (date(2026, 12, 24), True),  # Christmas Eve: a public holiday in Poland from 2025
        (date(2026, 12, 25), True),
        (date(2026, 12, 26), True),
        (date(2026, 4, 6), True),  # Easter Monday
        (date(2026, 6, 4), True),  # Corpus Christi
        (date(2026, 4, 7), False),
        (date(2026, 12, 23), False),
    ],
)
def test_polish_holidays_come_from_the_holidays_package(day: date, closed: bool) -> None:
    assert PL.is_closed(day) is closed
    assert (PL.intervals_on(day) == []) is closed


# ---------------------------------------------------------------------------- hand-checked deadlines


@pytest.mark.parametrize(
    ("start", "minutes", "expected"),
    [
        # Inside hours: plain addition.
        (warsaw(2026, 3, 25, 9, 0), 60, warsaw(2026, 3, 25, 10, 0)),
        # Saturday 13:30 CET + 60: 30 min on Saturday, Sunday 29 March (clocks go forward) closed,
        # Monday 08:30 CEST, which is 06:30 UTC: one hour earlier in UTC than a week before.
        (warsaw(2026, 3, 28, 13, 30), 60, utc(2026, 3, 30, 6, 30)),
        (warsaw(2026, 3, 21, 13, 30), 60, utc(2026, 3, 23, 7, 30)),
        # Saturday 24 October 13:30 CEST + 60 -> Monday 26 October 08:30 CET (07:30 UTC).
        (warsaw(2026, 10, 24, 13, 30), 60, utc(2026, 10, 26, 7, 30)),
        # Arriving outside hours: the clock starts at the next opening.
        (warsaw(2026, 3, 25, 22, 15), 60, warsaw(2026, 3, 26, 9, 0)),
        (warsaw(2026, 3, 29, 2, 30), 30, warsaw(2026, 3, 30, 8, 30)),  # a local time that never existed
        # Tuesday 10 November 17:30 + 60: 30 min, then Independence Day, Thursday 08:30.
        (warsaw(2026, 11, 10, 17, 30), 60, warsaw(2026, 11, 12, 8, 30)),
        # Wednesday 23 December 17:00 + 120: 60 min, then 24-26 December and Sunday, Monday 28th 09:00.
        (warsaw(2026, 12, 23, 17, 0), 120, warsaw(2026, 12, 28, 9, 0)),
        # Easter Saturday 4 April 13:30 + 60: 30 min, Easter Sunday and Monday closed, Tuesday 08:30.
        (warsaw(2026, 4, 4, 13, 30), 60, warsaw(2026, 4, 7, 8, 30)),
        # A deadline on a closing time is that closing time.
        (warsaw(2026, 3, 25, 17, 0), 60, warsaw(2026, 3, 25, 18, 0)),
    ],
)
def test_hand_checked_deadlines(start: datetime, minutes: int, expected: datetime) -> None:
    assert PL.deadline(start, minutes) == expected
    assert PL.working_seconds_between(start, expected) == minutes * 60


def test_no_time_from_a_closing_time_stays_at_it_so_deadlines_chain() -> None:
    closing = PL.deadline(warsaw(2026, 3, 25, 17, 0), 60)
    assert closing == warsaw(2026, 3, 25, 18, 0)
    assert PL.deadline(closing, 0) == closing
    assert PL.deadline(closing, 1) == warsaw(2026, 3, 26, 8, 1)
    assert PL.deadline(warsaw(2026, 3, 25, 20, 0), 0) == warsaw(2026, 3, 26, 8, 0)


def test_around_the_clock_is_real_time_across_the_dst_night() -> None:
    # 01:45 CET on 29 March + 30 minutes is 03:15 CEST: the hour 02:00-03:00 does not exist.
    start = warsaw(2026, 3, 29, 1, 45)
    assert ALWAYS.deadline(start, 30) == warsaw(2026, 3, 29, 3, 15)
    assert ALWAYS.deadline(start, 30) - start == timedelta(minutes=30)
    # 02:30 CEST on 25 October + 60 minutes is 02:30 CET (the hour repeats).
    autumn = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert ALWAYS.deadline(autumn, 60).astimezone(WARSAW).replace(tzinfo=None) == datetime(2026, 10, 25, 2, 30)
    assert ALWAYS.is_closed(date(2026, 12, 24)) is False


def test_local_days_are_23_and_25_hours_long_on_the_dst_sundays() -> None:
    assert WARSAW_ALL_DAY.working_seconds_between(warsaw(2026, 3, 29), warsaw(2026, 3, 30)) == 23 * 3600
    assert WARSAW_ALL_DAY.working_seconds_between(warsaw(2026, 10, 25), warsaw(2026, 10, 26)) == 25 * 3600
    assert WARSAW_ALL_DAY.working_seconds_between(warsaw(2026, 10, 26), warsaw(2026, 10, 27)) == 24 * 3600


def test_lunch_breaks_do_not_count() -> None:
    assert SPLIT.deadline(warsaw(2026, 3, 25, 11, 30), 60) == warsaw(2026, 3, 25, 13, 30)
    assert SPLIT.working_seconds_between(warsaw(2026, 3, 25, 8, 0), warsaw(2026, 3, 25, 20, 0)) == 7 * 3600


def test_time_before_the_start_or_reversed_counts_nothing() -> None:
    start = warsaw(2026, 3, 25, 10, 0)
    assert PL.working_seconds_between(start, start) == 0
    assert PL.working_seconds_between(start, start - timedelta(hours=3)) == 0
    with pytest.raises(ValueError, match="negative"):
        PL.add(start, timedelta(seconds=-1))
    with pytest.raises(ValueError, match="aware"):
        PL.deadline(datetime(2026, 3, 25, 10, 0), 10)


def test_a_calendar_without_working_time_is_refused() -> None:
    with pytest.raises(ValueError, match="no opening hours"):
        Calendar(WARSAW, {}, name="never")
    always_closed = Calendar(WARSAW, {0: ((time(8), time(9)),)}, lambda _day: True, name="closed")
    with pytest.raises(ValueError, match="no working time"):
        always_closed.deadline(warsaw(2026, 1, 1), 1)


# ---------------------------------------------------------------------------- invariants

CALENDARS = st.sampled_from([PL, ALWAYS, WARSAW_ALL_DAY, SPLIT])
STARTS = st.datetimes(
    min_value=datetime(2025, 12, 15),
    max_value=datetime(2027, 1, 15),
    timezones=st.just(UTC),
).map(lambda moment: moment.replace(microsecond=0))
MINUTES = st.integers(min_value=0, max_value=3 * 600)  # up to three working weeks of the PL calendar


def _inside_working_time(calendar: Calendar, moment: datetime) -> bool:
    local_day = moment.astimezone(calendar.zone).date()
    days = (local_day - timedelta(days=1), local_day, local_day + timedelta(days=1))
    return any(start <= moment <= end for day in days for start, end in calendar.intervals_on(day))


@settings(max_examples=150, deadline=None)
@given(calendar=CALENDARS, start=STARTS, minutes=MINUTES)
def test_the_deadline_is_in_working_time_not_before_the_start_and_consistent(
    calendar: Calendar, start: datetime, minutes: int
) -> None:
    due = calendar.deadline(start, minutes)
    assert due >= start
    assert _inside_working_time(calendar, due)
    assert calendar.working_seconds_between(start, due) == minutes * 60


@settings(max_examples=150, deadline=None)
@given(calendar=CALENDARS, start=STARTS, first=MINUTES, second=MINUTES)
def test_deadlines_add_up(calendar: Calendar, start: datetime, first: int, second: int) -> None:
    assert calendar.deadline(calendar.deadline(start, first), second) == calendar.deadline(start, first + second)


@settings(max_examples=150, deadline=None)
@given(calendar=CALENDARS, start=STARTS, later_by=st.integers(0, 5 * 24 * 3600), minutes=MINUTES, more=MINUTES)
def test_deadlines_are_monotonic_in_start_and_in_minutes(
    calendar: Calendar, start: datetime, later_by: int, minutes: int, more: int
) -> None:
    later = start + timedelta(seconds=later_by)
    assert calendar.deadline(start, minutes) <= calendar.deadline(later, minutes)
    assert calendar.deadline(start, minutes) <= calendar.deadline(start, minutes + more)


@settings(max_examples=150, deadline=None)
@given(calendar=CALENDARS, start=STARTS, first=st.integers(0, 7 * 24 * 3600), second=st.integers(0, 7 * 24 * 3600))
def test_working_time_between_adds_up_and_never_exceeds_wall_time(
    calendar: Calendar, start: datetime, first: int, second: int
) -> None:
    middle, end = start + timedelta(seconds=first), start + timedelta(seconds=first + second)
    total = calendar.working_seconds_between(start, end)
    assert total == calendar.working_seconds_between(start, middle) + calendar.working_seconds_between(middle, end)
    assert 0 <= total <= first + second
    if calendar is ALWAYS:
        assert total == first + second
