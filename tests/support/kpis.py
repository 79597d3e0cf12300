"""In-memory fakes of the KPI ports and builders of hand-made records, for KPI definitions on known data."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from replyloop.kpis.ports import KpiSources
from replyloop.kpis.records import CaseRecord, CommentActivity, FaqAnswer, IdeaRecord
from replyloop.models.classification import Label
from replyloop.models.ideas import IdeaStatus
from replyloop.models.kpis import Period

__all__ = [
    "MemoryActivity",
    "MemoryCases",
    "MemoryIdeas",
    "answered_case",
    "comment",
    "memory_sources",
    "open_case",
    "utc",
]


def utc(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def answered_case(
    opened: datetime,
    seconds: int,
    *,
    working: int | None = None,
    target: int = 3600,
    escalated_to: tuple[str, ...] = (),
    team: str = "support",
) -> CaseRecord:
    return CaseRecord(
        opened_at=opened,
        due_at=opened + timedelta(seconds=target),
        team=team,
        label="question",
        answered_at=opened + timedelta(seconds=seconds),
        first_response_seconds=seconds,
        first_response_working_seconds=seconds if working is None else working,
        within_sla=seconds < target,
        escalation_teams=escalated_to,
    )


def open_case(opened: datetime, *, target: int = 3600, escalated_to: tuple[str, ...] = ()) -> CaseRecord:
    return CaseRecord(
        opened_at=opened,
        due_at=opened + timedelta(seconds=target),
        team="support",
        label="complaint",
        escalation_teams=escalated_to,
    )


_ids = iter(range(1, 10**9))


def comment(day: date, author: str, label: Label = "question", platform: str = "facebook") -> CommentActivity:
    return CommentActivity(
        day=day, platform=platform, comment_id=f"c{next(_ids)}", label=label, lang="pl", author=author
    )


@dataclass
class MemoryCases:
    cases: list[CaseRecord] = field(default_factory=list)

    def opened_between(self, start: datetime, end: datetime) -> Iterable[CaseRecord]:
        return [c for c in self.cases if start <= c.opened_at < end]


@dataclass
class MemoryActivity:
    """ActivitySource, ActivityStore and DigestMarks in memory, with the same put-once semantics."""

    stored: dict[tuple[str, str], CommentActivity] = field(default_factory=dict)
    answers: dict[tuple[str, str], FaqAnswer] = field(default_factory=dict)
    authors: dict[str, tuple[date, date]] = field(default_factory=dict)
    marks: dict[str, datetime] = field(default_factory=dict)
    asked_for: list[list[str]] = field(default_factory=list)

    def add(self, *comments: CommentActivity, seen: bool = True) -> MemoryActivity:
        for item in comments:
            self.add_comment(item, datetime.now(UTC), 0)
            if seen and item.participates:
                self.saw_author(item.author, item.platform, item.day, 0)
        return self

    # ActivityStore
    def add_comment(self, comment: CommentActivity, at: datetime, expires_at: int) -> bool:
        key = (comment.platform, comment.comment_id)
        if key in self.stored:
            return False
        self.stored[key] = comment
        return True

    def saw_author(self, author: str, platform: str, day: date, expires_at: int) -> None:
        first, last = self.authors.get(author, (day, day))
        self.authors[author] = (min(first, day), max(last, day))

    def add_faq_answer(self, answer: FaqAnswer, at: datetime, expires_at: int) -> bool:
        key = (answer.platform, answer.comment_id)
        if key in self.answers:
            return False
        self.answers[key] = answer
        return True

    # ActivitySource
    def comments(self, period: Period) -> Iterable[CommentActivity]:
        return [c for c in self.stored.values() if c.day in period]

    def first_seen(self, authors: Sequence[str]) -> dict[str, date]:
        self.asked_for.append(list(authors))
        return {a: self.authors[a][0] for a in authors if a in self.authors}

    def faq_answers(self, period: Period) -> Iterable[FaqAnswer]:
        return [a for a in self.answers.values() if a.day in period]

    # DigestMarks
    def digest_sent(self, period_label: str) -> bool:
        return period_label in self.marks

    def mark_digest_sent(self, period_label: str, at: datetime, expires_at: int) -> None:
        self.marks[period_label] = at


@dataclass
class MemoryIdeas:
    records: list[IdeaRecord] = field(default_factory=list)
    shipped: dict[str, datetime] = field(default_factory=dict)
    votes: dict[str, list[datetime]] = field(default_factory=dict)

    def idea(
        self,
        number: int,
        first_asked: datetime,
        status: IdeaStatus = "new",
        *,
        votes: Sequence[datetime] = (),
        shipped_at: datetime | None = None,
    ) -> MemoryIdeas:
        times = [first_asked, *votes]
        self.records.append(
            IdeaRecord(
                id=f"idea-{number}",
                number=number,
                status=status,
                first_asked=first_asked,
                last_asked=max(times),
                votes=len(times),
            )
        )
        self.votes[f"idea-{number}"] = times
        if shipped_at is not None:
            self.shipped[f"idea-{number}"] = shipped_at
        return self

    def ideas(self) -> Iterable[IdeaRecord]:
        return list(self.records)

    def shipped_at(self, idea_id: str) -> datetime | None:
        return self.shipped.get(idea_id)

    def votes_cast(self, idea_id: str) -> Sequence[datetime]:
        return self.votes.get(idea_id, [])


def memory_sources(
    cases: MemoryCases | None = None, activity: MemoryActivity | None = None, ideas: MemoryIdeas | None = None
) -> KpiSources:
    return KpiSources(cases=cases or MemoryCases(), activity=activity or MemoryActivity(), ideas=ideas or MemoryIdeas())
