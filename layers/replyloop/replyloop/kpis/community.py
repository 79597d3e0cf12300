"""Community KPIs from the activity table: participants, comments per week and label, D7/D30 returning people."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date

from replyloop.kpis.period import week_start, weeks_of
from replyloop.kpis.records import CommentActivity
from replyloop.kpis.stats import share
from replyloop.models.classification import LABELS, Label
from replyloop.models.kpis import CommunityKpis, LabelWeek, Period

__all__ = ["RETURNING_AFTER_DAYS", "community_kpis", "returning"]

RETURNING_AFTER_DAYS = (7, 30)
FirstSeen = Callable[[Sequence[str]], dict[str, date]]


def returning(days_by_author: dict[str, list[date]], first_seen: dict[str, date], after_days: int) -> set[str]:
    """The participants who wrote in the period on a day at least `after_days` local days after the day of their
    first comment ever (first_seen; the period's own first day of theirs when the store has none).

    A person first seen on 1 November who writes again on 8 November is D7-returning in a period that holds
    8 November; one first seen in September who writes in November is D7- and D30-returning.
    """
    found = set()
    for author, days in days_by_author.items():
        first = min(first_seen.get(author, days[0]), *days)
        if (max(days) - first).days >= after_days:
            found.add(author)
    return found


def _weeks(comments: list[CommentActivity], period: Period) -> list[LabelWeek]:
    counts: dict[date, Counter[Label]] = defaultdict(Counter)
    for comment in comments:
        counts[week_start(comment.day)][comment.label] += 1
    return [
        LabelWeek(
            week_start=monday,
            days=days,
            counts={label: counts[monday][label] for label in LABELS if counts[monday][label]},
            total=sum(counts[monday].values()),
        )
        for monday, days in weeks_of(period)
    ]


def community_kpis(comments: Iterable[CommentActivity], period: Period, first_seen: FirstSeen) -> CommunityKpis:
    """Over the comments filed under the period's days (the caller passes only those).

    Participants are the distinct pseudonymous authors of comments not labelled spam; the same person on two
    platforms counts twice (the key is per platform). `first_seen` is asked only for this period's participants.
    """
    comments = [c for c in comments if c.day in period]
    labels = Counter(c.label for c in comments)
    days_by_author: dict[str, list[date]] = defaultdict(list)
    for comment in comments:
        if comment.participates:
            days_by_author[comment.author].append(comment.day)
    authors = sorted(days_by_author)
    seen = first_seen(authors) if authors else {}
    firsts = {a: min(seen.get(a, days[0]), *days) for a, days in days_by_author.items()}
    d7, d30 = (returning(days_by_author, seen, after) for after in RETURNING_AFTER_DAYS)
    return CommunityKpis(
        comments=len(comments),
        comments_by_label={label: labels[label] for label in LABELS if labels[label]},
        comments_by_platform=dict(sorted(Counter(c.platform for c in comments).items())),
        comments_per_week=round(len(comments) / (period.days / 7), 2),
        comments_by_week=_weeks(comments, period),
        active_participants=len(authors),
        new_participants=sum(1 for first in firsts.values() if first >= period.start),
        returning_d7=len(d7),
        returning_d7_share=share(len(d7), len(authors)),
        returning_d30=len(d30),
        returning_d30_share=share(len(d30), len(authors)),
        toxic_share=share(labels["toxic"], len(comments)),
        spam_share=share(labels["spam"], len(comments)),
    )
