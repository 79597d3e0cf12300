"""`compute_kpis`: every KPI of a period, from the cases, activity and ideas the system stored."""

from __future__ import annotations

from datetime import datetime

from replyloop.kpis.community import community_kpis
from replyloop.kpis.period import utc_bounds
from replyloop.kpis.ports import KpiSources
from replyloop.kpis.product import product_kpis, service_kpis
from replyloop.kpis.speed import speed_kpis
from replyloop.models.kpis import Kpis, Period

__all__ = ["compute_kpis"]


def compute_kpis(period: Period, sources: KpiSources, now: datetime) -> Kpis:
    """The KPIs of `period` as of `now` (cases still open count as late once `now` is past their deadline).

    Reads: the cases opened in the period, the comments and FAQ answers filed under its days, the first-seen
    days of its participants, and the ideas backlog. Nothing is written.
    """
    start, end = utc_bounds(period)
    cases = [c for c in sources.cases.opened_between(start, end) if start <= c.opened_at < end]
    community = community_kpis(sources.activity.comments(period), period, sources.activity.first_seen)
    service = service_kpis(
        sources.activity.faq_answers(period),
        period,
        questions=community.comments_by_label.get("question", 0),
        clicks=sources.clicks,
    )
    return Kpis(
        period=period,
        computed_at=now,
        speed=speed_kpis(cases, period, now),
        community=community,
        service=service,
        product=product_kpis(sources.ideas, period),
    )
