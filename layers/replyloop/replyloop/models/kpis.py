"""The KPIs of dialogue for a period (what `replyloop kpis --json` prints) and the weekly KpiDigest event detail."""

from __future__ import annotations

import calendar
from datetime import date
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from replyloop.models.classification import Label
from replyloop.models.events import EventDetail, UtcDatetime

__all__ = [
    "CommunityKpis",
    "HistogramBin",
    "IdeaFunnel",
    "KpiDigest",
    "Kpis",
    "LabelWeek",
    "Period",
    "ProductKpis",
    "ServiceKpis",
    "SlaWeek",
    "SpeedKpis",
]

Share = float | None  # in [0, 1]; None when nothing was counted (no denominator)


class _Frozen(BaseModel):
    # Built on first use, not at import: the registry imports this module into every handler's cold start.
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class Period(_Frozen):
    """Whole local days from `start` to `end`, both included, in the brand's time zone."""

    start: date
    end: date
    timezone: str = "Europe/Warsaw"

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise ValueError(f"the period ends ({self.end}) before it starts ({self.start})")
        return self

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def label(self) -> str:
        """'2026-11' for a calendar month, else '2026-11-16..2026-11-22'."""
        last = calendar.monthrange(self.start.year, self.start.month)[1]
        if self.start.day == 1 and self.end == self.start.replace(day=last):
            return self.start.strftime("%Y-%m")
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


class HistogramBin(_Frozen):
    label: str = Field(description="e.g. '15-30 min'.")
    upper_seconds: int | None = Field(description="Exclusive upper edge; None for the open-ended last bin.")
    count: int = Field(ge=0)


class SlaWeek(_Frozen):
    week_start: date = Field(description="The Monday of the week (local).")
    days: int = Field(ge=1, le=7, description="Days of that week inside the period.")
    settled: int = Field(ge=0, description="Cases opened that week and answered, or unanswered past their deadline.")
    within_sla: int = Field(ge=0)
    share: Share


class LabelWeek(_Frozen):
    week_start: date
    days: int = Field(ge=1, le=7)
    counts: dict[Label, int]
    total: int = Field(ge=0)


class SpeedKpis(_Frozen):
    """Speed and quality of dialogue, over the cases opened in the period."""

    cases_opened: int = 0
    cases_answered: int = 0
    cases_withdrawn: int = 0
    cases_unanswered_late: int = Field(default=0, description="Still open past their deadline: breaches too.")
    cases_pending: int = Field(default=0, description="Still open and not yet due: left out of the shares.")
    cases_settled: int = Field(default=0, description="Answered, or unanswered past the deadline (SLA share's base).")
    cases_decided: int = Field(default=0, description="Closed, escalated or past due (no-escalation share's base).")
    first_response_median_seconds: float | None = None
    first_response_p90_seconds: float | None = None
    first_response_working_median_seconds: float | None = None
    first_response_working_p90_seconds: float | None = None
    answered_within_sla: int = 0
    answered_within_sla_share: Share = None
    closed_without_escalation: int = 0
    closed_without_escalation_share: Share = None
    cases_escalated: int = 0
    escalations_by_team: dict[str, int] = Field(default_factory=dict)
    response_time_histogram: list[HistogramBin] = Field(default_factory=list)
    sla_by_week: list[SlaWeek] = Field(default_factory=list)


class CommunityKpis(_Frozen):
    """Participation: comments by members of the public and the (pseudonymous) people who wrote them."""

    comments: int = 0
    comments_by_label: dict[Label, int] = Field(default_factory=dict)
    comments_by_platform: dict[str, int] = Field(default_factory=dict)
    comments_per_week: float | None = Field(default=None, description="Comments / (days in the period / 7).")
    comments_by_week: list[LabelWeek] = Field(default_factory=list)
    active_participants: int = 0
    new_participants: int = Field(default=0, description="Participants whose first comment ever is in the period.")
    returning_d7: int = 0
    returning_d7_share: Share = None
    returning_d30: int = 0
    returning_d30_share: Share = None
    toxic_share: Share = None
    spam_share: Share = None


class ServiceKpis(_Frozen):
    """Quick answers from the FAQ library, and whether people followed their links."""

    faq_auto_answers: int = Field(default=0, description="FAQ answers decided: sent (live) or dry-run.")
    faq_auto_answers_sent: int = Field(default=0, description="Of those, actually posted (outcome done).")
    faq_answered_question_share: Share = None
    links_sent: int = Field(default=0, description="FAQ answers carrying a tracked (UTM) link.")
    links_followed: int | None = Field(default=None, description="None: unknown (no click source configured).")
    links_followed_source: str = "unknown: no click source configured"


class IdeaFunnel(_Frozen):
    """Ideas first asked in the period and how far each has got by now."""

    received: int = 0
    accepted: int = Field(default=0, description="Now accepted, planned or shipped.")
    planned: int = Field(default=0, description="Now planned or shipped.")
    shipped: int = 0
    declined: int = 0


class ProductKpis(_Frozen):
    ideas_received: int = 0
    ideas_received_by_month: dict[str, int] = Field(default_factory=dict)
    votes: int = Field(default=0, description="Votes cast in the period (one per author per idea).")
    ideas_shipped: int = Field(default=0, description="Ideas moved to shipped in the period.")
    first_ask_to_shipped_median_days: float | None = None
    funnel: IdeaFunnel = Field(default_factory=IdeaFunnel)


class Kpis(_Frozen):
    """Every KPI of one period, computed from what the system stored."""

    period: Period
    computed_at: UtcDatetime
    speed: SpeedKpis
    community: CommunityKpis
    service: ServiceKpis
    product: ProductKpis

    def headline(self) -> dict[str, float | int | None]:
        """A few figures for one line or one JSON object (the demo report, the digest's readers)."""
        return {
            "first_response_median_seconds": self.speed.first_response_median_seconds,
            "first_response_p90_seconds": self.speed.first_response_p90_seconds,
            "answered_within_sla_share": self.speed.answered_within_sla_share,
            "closed_without_escalation_share": self.speed.closed_without_escalation_share,
            "participants": self.community.active_participants,
            "comments": self.community.comments,
            "returning_d7_share": self.community.returning_d7_share,
            "returning_d30_share": self.community.returning_d30_share,
            "faq_auto_answers": self.service.faq_auto_answers,
            "ideas_received": self.product.ideas_received,
            "ideas_shipped": self.product.ideas_shipped,
        }


class KpiDigest(EventDetail):
    """The weekly digest: the KPIs of the last seven local days, put on the bus every Monday morning."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)
    source: ClassVar[str] = "replyloop.kpis"
    detail_type: ClassVar[str] = "KpiDigest"

    period_label: str = Field(description="The period as '2026-11-16..2026-11-22'; one digest per period.")
    kpis: Kpis
