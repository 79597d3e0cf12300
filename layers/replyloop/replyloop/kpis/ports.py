"""The ports of the KPI use cases: where the records come from, where activity is written, and link clicks."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from replyloop.kpis.records import CaseRecord, CommentActivity, FaqAnswer, IdeaRecord
from replyloop.models.kpis import Period
from replyloop.ports import Publisher

__all__ = [
    "ActivitySource",
    "ActivityStore",
    "CaseSource",
    "ClickSource",
    "DigestMarks",
    "IdeaSource",
    "KpiSources",
    "Publisher",
]


class CaseSource(Protocol):
    def opened_between(self, start: datetime, end: datetime) -> Iterable[CaseRecord]:
        """Cases whose `opened_at` is in [start, end) (UTC)."""
        ...


class ActivitySource(Protocol):
    def comments(self, period: Period) -> Iterable[CommentActivity]:
        """Comments filed under the local days of the period."""
        ...

    def first_seen(self, authors: Sequence[str]) -> dict[str, date]:
        """The local day of each author's first stored (non-spam) comment; unknown authors are left out."""
        ...

    def faq_answers(self, period: Period) -> Iterable[FaqAnswer]: ...


class IdeaSource(Protocol):
    def ideas(self) -> Iterable[IdeaRecord]:
        """Every live idea of the backlog."""
        ...

    def shipped_at(self, idea_id: str) -> datetime | None:
        """When the idea was moved to shipped (its history), if it was."""
        ...

    def votes_cast(self, idea_id: str) -> Sequence[datetime]:
        """When each of the idea's votes was cast (one per author)."""
        ...


class ClickSource(Protocol):
    """Visits of our tracked FAQ links: nothing in Replyloop sees a click, so this comes from web analytics."""

    name: str

    def clicks(self, period: Period, utm_contents: Sequence[str]) -> int | None:
        """Visits in the period through links tagged utm_campaign=replyloop-faq and one of these utm_content
        values; None when unknown."""
        ...


class ActivityStore(Protocol):
    """The write side of the activity table; every write is idempotent."""

    def add_comment(self, comment: CommentActivity, at: datetime, expires_at: int) -> bool:
        """Put once per comment id; False when it was already there (a redelivery)."""
        ...

    def saw_author(self, author: str, platform: str, day: date, expires_at: int) -> None:
        """Lower first_seen / raise last_seen to `day` where needed (any order of delivery gives the same item)."""
        ...

    def add_faq_answer(self, answer: FaqAnswer, at: datetime, expires_at: int) -> bool: ...


class DigestMarks(Protocol):
    """One weekly digest per period, however often the schedule fires."""

    def digest_sent(self, period_label: str) -> bool: ...

    def mark_digest_sent(self, period_label: str, at: datetime, expires_at: int) -> None: ...


@dataclass(frozen=True, slots=True)
class KpiSources:
    """Everything `compute_kpis` reads; clicks are optional (unknown without a source)."""

    cases: CaseSource
    activity: ActivitySource
    ideas: IdeaSource
    clicks: ClickSource | None = None
