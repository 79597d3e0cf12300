"""The ports of the SLA use cases: the cases store, the timer and the bus."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from replyloop.models.cases import AnsweredBy, CaseAnswered
from replyloop.ports import Publisher
from replyloop.sla.cases import Case

__all__ = ["CaseStore", "Publisher", "Timer"]


class CaseStore(Protocol):
    """Cases by key; every state change is conditional, so redeliveries and races change nothing twice."""

    def create(self, case: Case) -> bool:
        """Store a new case; False if a case with its key exists already."""

    def get(self, key: str) -> Case | None: ...

    def find_answered_by(self, platform: str, in_reply_to: str, at: datetime) -> Case | None:
        """The open case a reply to `in_reply_to` answers: the comment's own case, else the oldest open case
        among its replies opened before `at` (Facebook and Instagram nest replies under the top comment)."""

    def mark_announced(self, key: str, *, closure: bool = False) -> None:
        """CaseOpened (or, with `closure`, CaseAnswered/CaseWithdrawn) is on the bus: a redelivery does nothing."""

    def answer(
        self, key: str, *, at: datetime, by: AnsweredBy, reply_id: str | None, timing: CaseAnswered
    ) -> Case | None:
        """Record the first response with its timing figures (for the KPI reports) and return the case as it now
        is; None if it was not open."""

    def withdraw(self, key: str, at: datetime) -> Case | None:
        """Close an open case without an answer and return it; None if it was not open."""


class Timer(Protocol):
    def start(self, case: Case) -> None:
        """Start the case's SLA timer once; starting it again is not an error."""
