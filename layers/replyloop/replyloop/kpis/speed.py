"""Speed and quality of dialogue from the cases opened in a period: first response, SLA share, escalations."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from replyloop.kpis.period import local_day, week_start, weeks_of
from replyloop.kpis.records import CaseRecord
from replyloop.kpis.stats import histogram, median, percentile, share
from replyloop.models.kpis import Period, SlaWeek, SpeedKpis

__all__ = ["speed_kpis"]


def _late(case: CaseRecord, now: datetime) -> bool:
    """Unanswered (not withdrawn) and past its deadline: a breach although nobody answered yet."""
    return case.is_open and case.due_at <= now


def _settled(case: CaseRecord, now: datetime) -> bool:
    """Its SLA outcome is known: answered, or late. Withdrawn and not-yet-due cases have none."""
    return case.answered or _late(case, now)


def _decided(case: CaseRecord, now: datetime) -> bool:
    """Whether it closed without escalation is known: closed, or escalated already, or past due."""
    return not case.is_open or case.escalated or case.due_at <= now


def _sla_weeks(cases: list[CaseRecord], period: Period, now: datetime) -> list[SlaWeek]:
    zone = ZoneInfo(period.timezone)
    settled: Counter[date] = Counter()
    within: Counter[date] = Counter()
    for case in cases:
        if _settled(case, now):
            monday = week_start(local_day(case.opened_at, zone))
            settled[monday] += 1
            within[monday] += bool(case.within_sla)
    return [
        SlaWeek(
            week_start=monday,
            days=days,
            settled=settled[monday],
            within_sla=within[monday],
            share=share(within[monday], settled[monday]),
        )
        for monday, days in weeks_of(period)
    ]


def speed_kpis(cases: Iterable[CaseRecord], period: Period, now: datetime) -> SpeedKpis:
    """Over the cases opened in the period (the caller passes only those), as of `now`.

    - first response: wall-clock and working seconds from opening to the first answer, answered cases only;
    - within SLA: answered before the deadline, of the settled cases (answered, or unanswered past the
      deadline: a breach nobody has answered yet counts against the share, it is not left out);
    - closed without escalation: answered or withdrawn before any escalation tier fired, of the cases whose
      outcome is known (closed, escalated, or past due);
    - escalations by team: every escalation tier that fired (the team's, then the lead's), by team.
    """
    cases = list(cases)
    answered = [c for c in cases if c.answered]
    wall = [float(c.first_response_seconds) for c in answered if c.first_response_seconds is not None]
    working = [
        float(c.first_response_working_seconds) for c in answered if c.first_response_working_seconds is not None
    ]
    settled = [c for c in cases if _settled(c, now)]
    within = sum(1 for c in answered if c.within_sla)
    decided = [c for c in cases if _decided(c, now)]
    clean = sum(1 for c in decided if not c.is_open and not c.escalated)
    teams = Counter(team for c in cases for team in c.escalation_teams)
    return SpeedKpis(
        cases_opened=len(cases),
        cases_answered=len(answered),
        cases_withdrawn=sum(1 for c in cases if c.withdrawn_at is not None and not c.answered),
        cases_unanswered_late=sum(1 for c in cases if _late(c, now)),
        cases_pending=sum(1 for c in cases if c.is_open and not _late(c, now)),
        cases_settled=len(settled),
        cases_decided=len(decided),
        first_response_median_seconds=median(wall),
        first_response_p90_seconds=percentile(wall, 90),
        first_response_working_median_seconds=median(working),
        first_response_working_p90_seconds=percentile(working, 90),
        answered_within_sla=within,
        answered_within_sla_share=share(within, len(settled)),
        closed_without_escalation=clean,
        closed_without_escalation_share=share(clean, len(decided)),
        cases_escalated=sum(1 for c in cases if c.escalated),
        escalations_by_team=dict(sorted(teams.items())),
        response_time_histogram=histogram(wall),
        sla_by_week=_sla_weeks(cases, period, now),
    )
