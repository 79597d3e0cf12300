"""SLA cases: policy and working-time calendar, opening a case with its deadlines, closing it with its answer."""

from replyloop.sla.calendar import Calendar
from replyloop.sla.cases import Case, case_key, execution_name, open_case
from replyloop.sla.closing import CaseClosing, Closed
from replyloop.sla.opening import CaseOpening, Opened, PublishFailedError
from replyloop.sla.policy import SlaPolicy, load_policy

__all__ = [
    "Calendar",
    "Case",
    "CaseClosing",
    "CaseOpening",
    "Closed",
    "Opened",
    "PublishFailedError",
    "SlaPolicy",
    "case_key",
    "execution_name",
    "load_policy",
    "open_case",
]
