"""Calendar months in the brand's time zone: which month a run covers, and whether a month is over yet."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

__all__ = ["MONTH_PATTERN", "InvalidMonth", "check_month", "month_index", "month_of", "previous_month"]

MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"
_MONTH = re.compile(MONTH_PATTERN)


class InvalidMonth(ValueError):
    """A month that is not YYYY-MM, or one that has not ended yet (its post would be incomplete)."""


def month_index(month: str) -> int:
    """1 for January ... 12 for December."""
    return int(month[5:7])


def month_of(moment: datetime, zone: ZoneInfo) -> str:
    """'YYYY-MM' of the month `moment` falls in, in `zone`."""
    return moment.astimezone(zone).strftime("%Y-%m")


def previous_month(moment: datetime, zone: ZoneInfo) -> str:
    """The calendar month before the one `moment` falls in, in `zone` (a month begins at local midnight).

    09:00 on 1 December in Warsaw covers November; so does 00:30 on 1 December (23:30 UTC the
    day before), while 23:59 on 30 November still covers October.
    """
    local = moment.astimezone(zone)
    year, month = (local.year, local.month - 1) if local.month > 1 else (local.year - 1, 12)
    return f"{year:04d}-{month:02d}"


def check_month(month: str, now: datetime, zone: ZoneInfo) -> str:
    """The month if it is YYYY-MM and over in `zone` at `now`; else InvalidMonth.

    A month that is still running cannot be summed up: publishing it would also mark it done,
    and the scheduled run on the 1st would then publish nothing.
    """
    if not _MONTH.match(month):
        raise InvalidMonth(f"not a month: {month[:20]!r} (use YYYY-MM, e.g. 2026-11)")
    if month > previous_month(now, zone):
        raise InvalidMonth(f"{month} is not over yet in {zone.key}: the latest month to sum up is the previous one")
    return month
