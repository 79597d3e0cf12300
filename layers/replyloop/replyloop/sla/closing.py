"""Closing a case: the first brand reply (or a FAQ auto-reply where the policy counts it) answers it, a deletion
withdraws it. Only the first response counts; a late one is recorded as late, never dropped."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from replyloop.models.cases import AnsweredBy, CaseAnswered, CaseWithdrawn
from replyloop.models.events import BrandReplied, BusEvent, CommentDeleted, ReactionPerformed
from replyloop.sla.cases import Case, case_key
from replyloop.sla.opening import PublishFailedError
from replyloop.sla.policy import SlaPolicy
from replyloop.sla.ports import CaseStore, Publisher

__all__ = ["CaseClosing", "Closed"]


@dataclass(frozen=True)
class Closed:
    """What became of one reply, reaction or deletion: an event, or the reason there is none."""

    event: CaseAnswered | CaseWithdrawn | None = None
    reason: str = ""


@dataclass
class CaseClosing:
    """Each closure is a conditional write first, then its event, then an 'announced' mark: a redelivery after a
    failed put finds the case closed but unannounced and puts the event again; after the mark it does nothing."""

    policy: SlaPolicy
    store: CaseStore
    publisher: Publisher

    def reply(self, reply: BrandReplied) -> Closed:
        # Both ends of the first-response time are our receipt times: one clock, one delivery path.
        case = self.store.find_answered_by(reply.platform, reply.in_reply_to, reply.received_at)
        if case is None:
            pending = self._unannounced(case_key(reply.platform, reply.in_reply_to))
            if pending is None or pending.answered_at is None:
                return Closed(reason="no open case")
            return self._announce(pending, pending.answered(self.policy))
        return self._answer(case, reply.received_at, "brand_reply", reply.comment_id)

    def auto_reply(self, reaction: ReactionPerformed) -> Closed:
        if reaction.action != "faq_answer" or reaction.outcome not in self.policy.auto_reply_outcomes:
            return Closed(reason=f"{reaction.action}/{reaction.outcome} is no response")
        case = self.store.get(case_key(reaction.platform, reaction.comment_id))
        if case is None:
            return Closed(reason="no case")
        if not case.auto_reply_counts:
            return Closed(reason=f"an auto-reply does not answer a {case.label}")
        return self._answer(case, reaction.performed_at, "auto_reply", reaction.reply_id)

    def withdraw(self, deleted: CommentDeleted) -> Closed:
        key = case_key(deleted.platform, deleted.comment_id)
        case = self.store.withdraw(key, deleted.received_at) or self._unannounced(key)
        if case is None or case.withdrawn_at is None:
            return Closed(reason="no open case")
        return self._announce(case, case.withdrawn())

    def _answer(self, case: Case, at: datetime, by: AnsweredBy, reply_id: str | None) -> Closed:
        # Timing depends only on the opening facts; `escalated` is final only once the answer is stored.
        timing = case.model_copy(update={"answered_at": at, "answered_by": by, "reply_id": reply_id}).answered(
            self.policy
        )
        closed = self.store.answer(case.key, at=at, by=by, reply_id=reply_id, timing=timing)
        closed = closed or self._unannounced(case.key)
        if closed is None or closed.answered_at is None:
            return Closed(reason="already answered or withdrawn")
        return self._announce(closed, closed.answered(self.policy))

    def _unannounced(self, key: str) -> Case | None:
        """A case closed by an earlier attempt whose event did not reach the bus."""
        case = self.store.get(key)
        return case if case is not None and not case.is_open and not case.closure_announced else None

    def _announce(self, case: Case, event: CaseAnswered | CaseWithdrawn) -> Closed:
        if self.publisher.publish([BusEvent(event, f"sla:{event.detail_type}:{case.key}")]):
            raise PublishFailedError(f"{event.detail_type} for {case.key} was not put on the bus")
        self.store.mark_announced(case.key, closure=True)
        return Closed(event)
