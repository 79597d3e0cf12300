"""The monthly "you asked, we did" post: the previous month's shipped ideas, thanks, counts and what comes next."""

from replyloop.summary.checklist import Check, ChecklistResult, Document, run_checklist
from replyloop.summary.content import AuthorThread, MonthContent, PlannedItem, ShippedItem, gather
from replyloop.summary.monthly import MonthlySummary, SummaryError, summary_keys
from replyloop.summary.months import InvalidMonth, check_month, previous_month
from replyloop.summary.outcome import Outcome, Step
from replyloop.summary.policy import Channel, SummaryPolicy, load_policy
from replyloop.summary.ports import Archive, ChannelPoster, Claim, MonthLedger, MonthState
from replyloop.summary.rendering import RenderedPost, Renderer
from replyloop.summary.templates import load_templates

__all__ = [
    "Archive",
    "AuthorThread",
    "Channel",
    "ChannelPoster",
    "Check",
    "ChecklistResult",
    "Claim",
    "Document",
    "InvalidMonth",
    "MonthContent",
    "MonthLedger",
    "MonthState",
    "MonthlySummary",
    "Outcome",
    "PlannedItem",
    "RenderedPost",
    "Renderer",
    "ShippedItem",
    "Step",
    "SummaryError",
    "SummaryPolicy",
    "check_month",
    "gather",
    "load_policy",
    "load_templates",
    "previous_month",
    "run_checklist",
    "summary_keys",
]
