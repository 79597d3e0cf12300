"""A case: what opening one sets (deadlines per tier) and what answering or withdrawing it records."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

from pydantic import BaseModel, ConfigDict, Field

from replyloop.models.cases import AnsweredBy, CaseAnswered, CaseOpened, CaseWithdrawn, TierDeadline
from replyloop.models.classification import Label, Priority
from replyloop.models.events import CommentClassified, Platform, UtcDatetime
from replyloop.sla.policy import SlaPolicy

__all__ = ["Case", "case_key", "execution_name", "open_case"]

_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


def case_key(platform: str, comment_id: str) -> str:
    """The cases table key: ids are unique per platform (Telegram's already carry their chat)."""
    return f"{platform}#{comment_id}"


def execution_name(key: str) -> str:
    """A Step Functions execution name (80 of [A-Za-z0-9_-]): readable, and unique through a hash of the key."""
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
    return f"{_UNSAFE.sub('_', key)[:60]}-{digest}"


class Case(BaseModel):
    """A case as stored: the opening facts, and the state its timer and its answer add."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str
    platform: Platform
    comment_id: str
    thread_id: str
    parent_id: str | None = None
    label: Label
    priority: Priority
    team: str
    lang: str
    permalink: str | None = None
    opened_at: UtcDatetime
    due_at: UtcDatetime
    target_seconds: int
    calendar: str
    auto_reply_counts: bool
    tiers: tuple[TierDeadline, ...]
    # What happened since: tiers notified (name -> when), the answer or the withdrawal.
    notified: dict[str, str] = Field(default_factory=dict)
    announced: bool = False
    answered_at: UtcDatetime | None = None
    answered_by: AnsweredBy | None = None
    reply_id: str | None = None
    withdrawn_at: UtcDatetime | None = None
    closure_announced: bool = False

    @property
    def execution_name(self) -> str:
        return execution_name(self.key)

    @property
    def is_open(self) -> bool:
        return self.answered_at is None and self.withdrawn_at is None

    @property
    def escalated(self) -> bool:
        """Whether an escalation tier had fired (the timer marks each tier it notifies)."""
        return any(tier.kind == "escalation" and tier.name in self.notified for tier in self.tiers)

    def _ids(self) -> dict[str, str]:
        return {
            "case_key": self.key,
            "platform": self.platform,
            "comment_id": self.comment_id,
            "thread_id": self.thread_id,
            "label": self.label,
            "priority": self.priority,
        }

    def opened(self) -> CaseOpened:
        return CaseOpened.model_validate(
            {
                **self._ids(),
                "team": self.team,
                "lang": self.lang,
                "opened_at": self.opened_at,
                "due_at": self.due_at,
                "target_seconds": self.target_seconds,
                "calendar": self.calendar,
                "auto_reply_counts": self.auto_reply_counts,
                "deadlines": list(self.tiers),
                "execution_name": self.execution_name,
            }
        )

    def answered(self, policy: SlaPolicy) -> CaseAnswered:
        """The stored first response, timed in wall and working seconds; within the SLA if before the deadline
        (the breach tier fires at it, so an escalated case is never within the SLA)."""
        if self.answered_at is None or self.answered_by is None:
            raise ValueError(f"{self.key} is not answered")
        at = max(self.answered_at, self.opened_at)  # a reply stamped before the comment is an instant answer
        working = policy.calendar(self.calendar).working_seconds_between(self.opened_at, at)
        within = at < self.due_at
        return CaseAnswered.model_validate(
            {
                **self._ids(),
                "team": self.team,
                "opened_at": self.opened_at,
                "answered_at": at,
                "answered_by": self.answered_by,
                "reply_id": self.reply_id,
                "first_response_seconds": (at - self.opened_at) // timedelta(seconds=1),
                "first_response_working_seconds": working,
                "target_seconds": self.target_seconds,
                "within_sla": within,
                "late": not within,
                "escalated": self.escalated,
            }
        )

    def withdrawn(self) -> CaseWithdrawn:
        if self.withdrawn_at is None:
            raise ValueError(f"{self.key} is not withdrawn")
        return CaseWithdrawn.model_validate(
            {
                **self._ids(),
                "team": self.team,
                "opened_at": self.opened_at,
                "withdrawn_at": self.withdrawn_at,
                "escalated": self.escalated,
            }
        )

    def timer_input(self) -> dict[str, object]:
        """The SLA state machine's input: the case's ids and each tier's timestamp (UTC with `Z`)."""
        opened = self.opened()
        payload = opened.model_dump(mode="json")
        return {
            "case": {
                "key": self.key,
                **{k: payload[k] for k in ("platform", "comment_id", "thread_id", "label", "priority", "team")},
                "due_at": payload["due_at"],
                "permalink": self.permalink or "",
            },
            "tiers": payload["deadlines"],
        }


def open_case(classified: CommentClassified, policy: SlaPolicy) -> Case | None:
    """The case a comment needing a response opens, or None when the policy has no rules for its label."""
    classification, comment = classified.classification, classified.comment
    rules = policy.for_label(classification.label)
    if rules is None or not classification.needs_response:
        return None
    calendar_name = policy.calendar_name(rules)
    calendar = policy.calendar(calendar_name)
    # The clock starts when we received the comment: a platform's delivery delay is not the team's.
    opened_at = comment.received_at
    target = round(rules.target * policy.unit_seconds)
    team = rules.team or classification.team
    tiers: list[TierDeadline] = []
    level = 0
    for tier in policy.tiers_for(classification.label):
        level += tier.kind == "escalation"
        tiers.append(
            TierDeadline(
                name=tier.name,
                kind=tier.kind,
                team=tier.team or team,
                share=tier.share,
                level=level if tier.kind == "escalation" else 0,
                at=calendar.add(opened_at, timedelta(seconds=round(target * tier.share))),
            )
        )
    return Case(
        key=case_key(comment.platform, comment.comment_id),
        platform=comment.platform,
        comment_id=comment.comment_id,
        thread_id=comment.thread_id,
        parent_id=comment.parent_id,
        label=classification.label,
        priority=classification.priority,
        team=team,
        lang=classification.lang,
        permalink=comment.permalink,
        opened_at=opened_at,
        due_at=calendar.add(opened_at, timedelta(seconds=target)),
        target_seconds=target,
        calendar=calendar_name,
        auto_reply_counts=rules.auto_reply_counts,
        tiers=tuple(tiers),
    )
