"""Service and product KPIs: FAQ auto-answers and their links, ideas received, voted for and shipped."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from replyloop.kpis.clicks import UnknownClicks
from replyloop.kpis.period import local_day, months_of, utc_bounds
from replyloop.kpis.ports import ClickSource, IdeaSource
from replyloop.kpis.records import FaqAnswer, IdeaRecord
from replyloop.kpis.stats import median, share
from replyloop.models.kpis import IdeaFunnel, Period, ProductKpis, ServiceKpis

__all__ = ["product_kpis", "service_kpis"]

_REACHED = {
    "accepted": ("accepted", "planned", "shipped"),
    "planned": ("planned", "shipped"),
    "shipped": ("shipped",),
    "declined": ("declined",),
}


def service_kpis(
    answers: Iterable[FaqAnswer], period: Period, questions: int, clicks: ClickSource | None = None
) -> ServiceKpis:
    """FAQ auto-answers decided in the period (sent live, or dry-run), their share of the period's questions,
    and the visits through their links when a click source knows them (otherwise unknown, not zero)."""
    decided = [a for a in answers if a.day in period and a.decided]
    source = clicks or UnknownClicks()
    contents = sorted({a.utm_content for a in decided if a.utm_content})
    return ServiceKpis(
        faq_auto_answers=len(decided),
        faq_auto_answers_sent=sum(1 for a in decided if a.outcome == "done"),
        faq_answered_question_share=share(len(decided), questions),
        links_sent=sum(1 for a in decided if a.link),
        links_followed=source.clicks(period, contents),
        links_followed_source=source.name,
    )


def _funnel(received: list[IdeaRecord]) -> IdeaFunnel:
    return IdeaFunnel(
        received=len(received),
        **{stage: sum(1 for i in received if i.status in statuses) for stage, statuses in _REACHED.items()},
    )


def _votes(ideas: list[IdeaRecord], source: IdeaSource, start: datetime, end: datetime) -> int:
    """Votes cast in [start, end): only ideas asked for in that window can hold one (their comments bound them)."""
    return sum(
        1 for idea in ideas if idea.asked_within(start, end) for at in source.votes_cast(idea.id) if start <= at < end
    )


def product_kpis(source: IdeaSource, period: Period) -> ProductKpis:
    """- received: live ideas whose first ask (the first comment) is on a day of the period;
    - votes: votes cast in the period (one per author per idea, the first comment's included);
    - shipped: ideas moved to shipped in the period (the history's change, in local days);
    - first ask to shipped: median days from the first comment to that change, over the ideas shipped;
    - funnel: of the ideas received in the period, how many have reached each status by now.
    """
    zone = ZoneInfo(period.timezone)
    start, end = utc_bounds(period)
    ideas = list(source.ideas())
    received = [i for i in ideas if local_day(i.first_asked, zone) in period]
    months = Counter(local_day(i.first_asked, zone).strftime("%Y-%m") for i in received)
    shipped: list[float] = []
    for idea in ideas:
        if idea.status != "shipped":
            continue
        at = source.shipped_at(idea.id)
        if at is not None and start <= at < end:
            shipped.append(max(0.0, (at - idea.first_asked).total_seconds() / 86400))
    days = median(shipped)
    return ProductKpis(
        ideas_received=len(received),
        ideas_received_by_month={month: months[month] for month in months_of(period)},
        votes=_votes(ideas, source, start, end),
        ideas_shipped=len(shipped),
        first_ask_to_shipped_median_days=None if days is None else round(days, 1),
        funnel=_funnel(received),
    )
