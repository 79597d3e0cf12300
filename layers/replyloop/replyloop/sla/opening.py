"""Opening a case for a comment that needs a response: store it once, start its timer, announce it."""

from __future__ import annotations

from dataclasses import dataclass

from replyloop.models.cases import CaseOpened
from replyloop.models.events import BusEvent, CommentClassified
from replyloop.sla.cases import Case, open_case
from replyloop.sla.policy import SlaPolicy
from replyloop.sla.ports import CaseStore, Publisher, Timer

__all__ = ["CaseOpening", "Opened", "PublishFailedError"]


class PublishFailedError(RuntimeError):
    """CaseOpened could not be put on the bus: the invocation fails and its retry finishes the job."""


@dataclass(frozen=True)
class Opened:
    """What became of one CommentClassified."""

    case: Case | None
    event: CaseOpened | None = None
    duplicate: bool = False
    reason: str = ""


@dataclass
class CaseOpening:
    """Idempotent in steps: the case is written once (conditional put), the timer is started under a name derived
    from the case (a second start is a no-op), and CaseOpened goes out until the case is marked announced.
    A crash between the steps is repaired by the redelivery, which resumes from the stored case."""

    policy: SlaPolicy
    store: CaseStore
    timer: Timer
    publisher: Publisher

    def open(self, classified: CommentClassified) -> Opened:
        case = open_case(classified, self.policy)
        if case is None:
            reason = "no response needed" if not classified.classification.needs_response else "no policy for label"
            return Opened(None, reason=reason)
        if not self.store.create(case):
            stored = self.store.get(case.key)
            if stored is None or stored.announced:
                return Opened(stored, duplicate=True, reason="case exists")
            case = stored  # resume with what was stored: the timer's input must not change
        self.timer.start(case)
        event = case.opened()
        if self.publisher.publish([BusEvent(event, f"sla:opened:{case.key}")]):
            raise PublishFailedError(f"CaseOpened for {case.key} was not put on the bus")
        self.store.mark_announced(case.key)
        return Opened(case, event)
