"""What the KPIs are computed from: small read-only records that the adapters map from the tables."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from replyloop.models.classification import Label
from replyloop.models.ideas import IdeaStatus
from replyloop.models.kpis import Period

__all__ = ["CaseRecord", "CommentActivity", "FaqAnswer", "IdeaRecord", "in_period"]


@dataclass(frozen=True, slots=True)
class CaseRecord:
    """A case of the cases table: when it opened and was due, how it closed, which escalation tiers fired."""

    opened_at: datetime
    due_at: datetime
    team: str
    label: str
    answered_at: datetime | None = None
    withdrawn_at: datetime | None = None
    first_response_seconds: int | None = None
    first_response_working_seconds: int | None = None
    within_sla: bool | None = None
    escalation_teams: tuple[str, ...] = ()  # the team of each escalation tier that fired

    @property
    def escalated(self) -> bool:
        return bool(self.escalation_teams)

    @property
    def answered(self) -> bool:
        return self.answered_at is not None

    @property
    def is_open(self) -> bool:
        return self.answered_at is None and self.withdrawn_at is None


@dataclass(frozen=True, slots=True)
class CommentActivity:
    """One comment by a member of the public, under its local day, with a pseudonymous author key (no text)."""

    day: date
    platform: str
    comment_id: str
    label: Label
    lang: str
    author: str  # HMAC-SHA256 of platform and author id: the same person, never who

    @property
    def participates(self) -> bool:
        """Spam is counted as spam, but its senders are not participants."""
        return self.label != "spam"


@dataclass(frozen=True, slots=True)
class FaqAnswer:
    """A FAQ auto-answer (ReactionPerformed with action faq_answer) and the tracked link it carried."""

    day: date
    platform: str
    comment_id: str
    lang: str
    faq_id: str | None
    outcome: str
    link: str | None = None
    utm_content: str | None = None

    @property
    def decided(self) -> bool:
        """Sent (live) or what would have been sent (dry-run); failed and rate-limited answers reached nobody."""
        return self.outcome in ("done", "dry-run")


@dataclass(frozen=True, slots=True)
class IdeaRecord:
    """A live idea of the backlog (merged ones count in the idea they went into)."""

    id: str
    number: int
    status: IdeaStatus
    first_asked: datetime
    last_asked: datetime
    votes: int = 0

    def asked_within(self, start: datetime, end: datetime) -> bool:
        """Could a vote of [start, end) be among this idea's? Its comments span first_asked..last_asked."""
        return self.last_asked >= start and self.first_asked < end


def in_period(day: date, period: Period) -> bool:
    return period.start <= day <= period.end
