"""Working time of one market: opening hours per weekday in its time zone, public holidays and closed days."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

__all__ = ["MAX_SEARCH_DAYS", "Calendar", "Hours"]

Hours = Sequence[tuple[time, time | None]]
"""Opening intervals of one weekday in local time, sorted; a closing time of None means midnight (24:00)."""

# A deadline further away than this means a calendar without working time (a broken policy, not a long SLA).
MAX_SEARCH_DAYS = 800
_SECOND = timedelta(seconds=1)


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("working time needs aware datetimes")
    return value.astimezone(UTC)


class Calendar:
    """Working intervals as UTC instants, so DST changes need no special case: a local day is as long as it is.

    Local opening times that do not exist (the spring-forward gap) or exist twice (the autumn
    fold) resolve as `zoneinfo` does with fold=0: the offset before the change.
    """

    def __init__(
        self,
        zone: ZoneInfo,
        hours: Mapping[int, Hours],
        closed: Callable[[date], bool] = lambda _day: False,
        *,
        name: str = "",
    ) -> None:
        if not any(hours.get(weekday) for weekday in range(7)):
            raise ValueError(f"calendar {name!r} has no opening hours on any weekday")
        self.zone = zone
        self.name = name
        self._hours = {weekday: tuple(hours.get(weekday, ())) for weekday in range(7)}
        self._closed = closed

    @classmethod
    def around_the_clock(cls, name: str = "always") -> Calendar:
        """Every hour of every day, holidays included (sensitive topics, the demo's compressed clock)."""
        return cls(ZoneInfo("UTC"), dict.fromkeys(range(7), ((time(0), None),)), name=name)

    def is_closed(self, day: date) -> bool:
        """A public holiday or an extra closed day of this market."""
        return self._closed(day)

    def intervals_on(self, day: date) -> list[tuple[datetime, datetime]]:
        """The working intervals of a local date, in UTC (none on a closed day)."""
        if self._closed(day):
            return []
        out = []
        for opens, closes in self._hours[day.weekday()]:
            start = datetime.combine(day, opens, tzinfo=self.zone)
            end = (
                datetime.combine(day + timedelta(days=1), time(0), tzinfo=self.zone)
                if closes is None
                else datetime.combine(day, closes, tzinfo=self.zone)
            )
            start, end = start.astimezone(UTC), end.astimezone(UTC)
            if end > start:
                out.append((start, end))
        return out

    def _intervals_from(self, moment: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Working intervals that end at or after `moment`, in order."""
        day = moment.astimezone(self.zone).date() - timedelta(days=1)
        for offset in range(MAX_SEARCH_DAYS):
            for start, end in self.intervals_on(day + timedelta(days=offset)):
                if end >= moment:
                    yield start, end
        raise ValueError(f"calendar {self.name!r} has no working time within {MAX_SEARCH_DAYS} days of {moment}")

    def add(self, start: datetime, working: timedelta) -> datetime:
        """The instant when `working` time has passed since `start`, counting working time only.

        A start outside working hours counts from the next opening; a deadline that falls on a
        closing time is that closing time (not the next opening), so deadlines add up exactly.
        """
        if working < timedelta(0):
            raise ValueError("working time cannot be negative")
        moment = _utc(start)
        remaining = working
        for opens, closes in self._intervals_from(moment):
            begin = max(opens, moment)
            if remaining <= closes - begin:
                return begin + remaining
            remaining -= closes - begin
        raise AssertionError("unreachable: _intervals_from raises when it runs out")  # pragma: no cover

    def deadline(self, start: datetime, working_minutes: float) -> datetime:
        """`start` plus this many working minutes (rounded to the second)."""
        return self.add(start, timedelta(seconds=round(working_minutes * 60)))

    def working_seconds_between(self, start: datetime, end: datetime) -> int:
        """Whole working seconds in [start, end]; 0 when end is not after start."""
        begin, finish = _utc(start), _utc(end)
        if finish <= begin:
            return 0
        total = timedelta(0)
        for opens, closes in self._intervals_from(begin):
            if opens >= finish:
                break
            total += min(closes, finish) - max(opens, begin)
        return total // _SECOND
