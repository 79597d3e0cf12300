"""The weekly digest: the KPIs of the last seven local days, put on the bus as KpiDigest once per period."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from replyloop.kpis.compute import compute_kpis
from replyloop.kpis.period import KpiPolicy, last_days, local_day
from replyloop.kpis.ports import DigestMarks, KpiSources, Publisher
from replyloop.models.events import BusEvent
from replyloop.models.kpis import KpiDigest, Period

__all__ = ["DIGEST_DAYS", "DigestOutcome", "WeeklyDigest"]

DIGEST_DAYS = 7
MARK_DAYS = 60  # the marker only has to outlive any late retry of the schedule


class DigestNotPublished(RuntimeError):
    """PutEvents kept failing: the invocation fails, and Scheduler retries it."""


@dataclass(frozen=True, slots=True)
class DigestOutcome:
    period: Period
    published: bool
    digest: KpiDigest | None = None


@dataclass
class WeeklyDigest:
    sources: KpiSources
    publisher: Publisher
    marks: DigestMarks
    policy: KpiPolicy
    clock: Callable[[], datetime]

    def period(self, today: date | None = None) -> Period:
        """Run on Monday morning: Monday to Sunday of the week before (the seven days before `today`)."""
        day = today or local_day(self.clock(), self.policy.zone)
        return last_days(DIGEST_DAYS, day, self.policy.timezone)

    def run(self, today: date | None = None, *, force: bool = False) -> DigestOutcome:
        """Compute and publish; a second run for the same period publishes nothing unless forced. A crash between
        the put and the marker can repeat a digest: consumers treat `period_label` as its key."""
        period = self.period(today)
        if not force and self.marks.digest_sent(period.label):
            return DigestOutcome(period, published=False)
        now = self.clock()
        digest = KpiDigest(period_label=period.label, kpis=compute_kpis(period, self.sources, now))
        if self.publisher.publish([BusEvent(detail=digest, dedup_key=f"kpis:{period.label}")]):
            raise DigestNotPublished(f"KpiDigest {period.label} could not be put on the bus")
        self.marks.mark_digest_sent(period.label, now, int((now + timedelta(days=MARK_DAYS)).timestamp()))
        return DigestOutcome(period, published=True, digest=digest)
