"""Periods of local days: a calendar month, the digest's last seven days, weeks (Monday first) and UTC bounds."""

from __future__ import annotations

import calendar
import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field

from replyloop.data import load_json
from replyloop.models.kpis import Period

__all__ = [
    "KpiPolicy",
    "last_days",
    "load_policy",
    "local_day",
    "month_period",
    "months_of",
    "utc_bounds",
    "week_start",
    "weeks_of",
]

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


class KpiPolicy(BaseModel):
    """data/kpis/policy.json: the brand's time zone and how long activity is kept."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    timezone: str = "Europe/Warsaw"
    retention_days: int = Field(default=400, ge=60)
    pseudonym_length: int = Field(default=32, ge=16, le=64)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def load_policy() -> KpiPolicy:
    return KpiPolicy.model_validate(load_json("kpis/policy.json"))


def local_day(moment: datetime, zone: ZoneInfo) -> date:
    """The local calendar day of a moment (naive moments are UTC, as everywhere in Replyloop)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone).date()


def month_period(month: str, timezone: str) -> Period:
    """'2026-11' -> 1 to 30 November, local."""
    match = _MONTH.match(month)
    if match is None:
        raise ValueError(f"not a month: {month!r} (expected YYYY-MM)")
    year, number = int(match.group(1)), int(match.group(2))
    last = calendar.monthrange(year, number)[1]
    return Period(start=date(year, number, 1), end=date(year, number, last), timezone=timezone)


def last_days(days: int, today: date, timezone: str) -> Period:
    """The `days` whole local days before `today` (today excluded: it is not over yet)."""
    if days < 1:
        raise ValueError("a period has at least one day")
    return Period(start=today - timedelta(days=days), end=today - timedelta(days=1), timezone=timezone)


def utc_bounds(period: Period) -> tuple[datetime, datetime]:
    """[start, end) in UTC: local midnight of the first day to local midnight after the last (DST-correct)."""
    zone = ZoneInfo(period.timezone)
    start = datetime.combine(period.start, time(), tzinfo=zone)
    end = datetime.combine(period.end + timedelta(days=1), time(), tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def week_start(day: date) -> date:
    """The Monday of the day's week (ISO weeks, as calendars in Poland print them)."""
    return day - timedelta(days=day.weekday())


def weeks_of(period: Period) -> list[tuple[date, int]]:
    """(Monday, days of that week inside the period) for every week the period touches, in order."""
    weeks: list[tuple[date, int]] = []
    monday = week_start(period.start)
    while monday <= period.end:
        first, last = max(monday, period.start), min(monday + timedelta(days=6), period.end)
        weeks.append((monday, (last - first).days + 1))
        monday += timedelta(days=7)
    return weeks


def months_of(period: Period) -> list[str]:
    """'YYYY-MM' of every month the period touches, in order."""
    months, day = [], period.start.replace(day=1)
    while day <= period.end:
        months.append(day.strftime("%Y-%m"))
        day = (day + timedelta(days=32)).replace(day=1)
    return months
