"""Details of the SLA events: the life of a case, from opening to answer or withdrawal (a contract)."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from replyloop.models.classification import Label, Priority
from replyloop.models.events import EventDetail, Platform, UtcDatetime

__all__ = ["CaseAnswered", "CaseEscalated", "CaseOpened", "CaseWithdrawn", "SlaWarning", "TierDeadline"]

TierKind = Literal["warning", "escalation"]
AnsweredBy = Literal["brand_reply", "auto_reply"]


class TierDeadline(BaseModel):
    """When a tier fires if the case is still open, and whom it notifies."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    kind: TierKind
    team: str = Field(description="The escalation team (SNS `team` attribute); for a warning, the case's team.")
    share: float = Field(gt=0, description="Of the first-response target.")
    level: int = Field(ge=0, description="1 for the first escalation, 2 for the next...; 0 for a warning.")
    at: UtcDatetime


class _CaseEvent(EventDetail):
    source: ClassVar[str] = "replyloop.sla"

    case_key: str = Field(description="'<platform>#<comment_id>': the case's key in the cases table.")
    platform: Platform
    comment_id: str
    thread_id: str
    label: Label
    priority: Priority


class CaseOpened(_CaseEvent):
    """A comment needs a person's answer: its deadlines are set and the SLA timer runs."""

    detail_type: ClassVar[str] = "CaseOpened"

    team: str
    lang: str
    opened_at: UtcDatetime = Field(description="When Replyloop received the comment: the SLA clock starts here.")
    due_at: UtcDatetime = Field(description="The first-response deadline (100 % of the target, in working time).")
    target_seconds: int = Field(gt=0, description="The first-response target in working seconds.")
    calendar: str = Field(description="The market calendar that counts working time, or 'always'.")
    auto_reply_counts: bool = Field(description="Whether a FAQ auto-reply closes this case.")
    deadlines: list[TierDeadline]
    execution_name: str = Field(description="The SLA state machine execution of this case.")


class SlaWarning(_CaseEvent):
    """A case is still unanswered at its warning share of the target."""

    detail_type: ClassVar[str] = "SlaWarning"

    tier: str
    team: str
    due_at: UtcDatetime
    warned_at: UtcDatetime


class CaseEscalated(_CaseEvent):
    """A case is still unanswered at an escalation tier: the team was notified through the escalation topic."""

    detail_type: ClassVar[str] = "CaseEscalated"

    tier: str
    level: int = Field(ge=1, description="1: the deadline passed (a breach); 2 and up: later tiers (the lead).")
    team: str
    due_at: UtcDatetime
    escalated_at: UtcDatetime


class CaseAnswered(_CaseEvent):
    """The first response to a case (later ones are not cases' business); late answers are recorded too."""

    detail_type: ClassVar[str] = "CaseAnswered"

    team: str
    opened_at: UtcDatetime
    answered_at: UtcDatetime
    answered_by: AnsweredBy
    reply_id: str | None = Field(description="The brand reply's comment id, or the auto-reply's platform id.")
    first_response_seconds: int = Field(ge=0, description="Wall-clock seconds from opening to the answer.")
    first_response_working_seconds: int = Field(ge=0, description="The same in the case calendar's working time.")
    target_seconds: int
    within_sla: bool = Field(description="Answered before `due_at` (when the breach tier fires).")
    late: bool = Field(description="Answered at or after `due_at` (the opposite of within_sla).")
    escalated: bool = Field(description="An escalation tier had fired before the answer.")


class CaseWithdrawn(_CaseEvent):
    """The comment of an open case was deleted: the case needs no answer and its timer stops at its next check."""

    detail_type: ClassVar[str] = "CaseWithdrawn"

    team: str
    opened_at: UtcDatetime
    withdrawn_at: UtcDatetime
    escalated: bool
