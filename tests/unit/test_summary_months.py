"""Which month a run covers, in Europe/Warsaw: around midnight, across the DST changes and the year's end."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from replyloop.ideas.idea import month_of as ideas_month_of
from replyloop.summary import InvalidMonth, check_month, previous_month
from replyloop.summary.months import month_of

pytestmark = pytest.mark.unit

WARSAW = ZoneInfo("Europe/Warsaw")


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("moment", "covered"),
    [
        ("2026-12-01T08:00:00", "2026-11"),  # the schedule: 09:00 CET on 1 December
        ("2026-11-30T23:00:00", "2026-11"),  # 00:00 on 1 December in Warsaw, still 30 November in UTC
        ("2026-11-30T22:59:59", "2026-10"),  # 23:59:59 on 30 November in Warsaw: November is not over
        ("2026-07-01T07:00:00", "2026-06"),  # 09:00 CEST on 1 July (summer time, UTC+2)
        ("2026-03-31T22:00:00", "2026-03"),  # 00:00 CEST on 1 April, two days after the spring change
        ("2026-03-31T21:59:59", "2026-02"),
        ("2026-10-31T23:00:00", "2026-10"),  # 00:00 CET on 1 November, a week after the autumn change
        ("2026-10-31T22:59:59", "2026-09"),
        ("2027-01-01T08:00:00", "2026-12"),  # the year turns
        ("2026-12-31T23:30:00", "2026-12"),  # 00:30 on 1 January 2027 in Warsaw
    ],
)
def test_the_previous_month_begins_and_ends_at_midnight_in_warsaw(moment: str, covered: str) -> None:
    assert previous_month(_utc(moment), WARSAW) == covered


def test_months_agree_with_the_month_the_backlog_files_ideas_under() -> None:
    for moment in ("2026-10-31T23:30:00", "2026-03-29T00:30:00", "2026-11-30T22:59:59"):
        assert month_of(_utc(moment), WARSAW) == ideas_month_of(_utc(moment), WARSAW)
    assert month_of(_utc("2026-10-31T23:30:00"), WARSAW) == "2026-11"


@pytest.mark.parametrize("month", ["2026-13", "26-11", "2026-1", "november", "2026-11-01"])
def test_a_malformed_month_is_refused(month: str) -> None:
    with pytest.raises(InvalidMonth, match="not a month"):
        check_month(month, _utc("2026-12-01T08:00:00"), WARSAW)


def test_only_months_that_are_over_in_warsaw_can_be_summed_up() -> None:
    just_after = _utc("2026-11-30T23:30:00")  # 00:30 on 1 December in Warsaw
    assert check_month("2026-11", just_after, WARSAW) == "2026-11"
    assert check_month("2025-06", just_after, WARSAW) == "2025-06"  # a backfill
    with pytest.raises(InvalidMonth, match="not over yet"):
        check_month("2026-11", _utc("2026-11-30T22:30:00"), WARSAW)
    with pytest.raises(InvalidMonth, match="not over yet"):
        check_month("2027-01", just_after, WARSAW)
