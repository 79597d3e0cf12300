"""Ideas backlog: near-duplicate detection, one vote per author, statuses, the impact/cost matrix, admin use cases."""

from replyloop.ideas.backlog import Backlog, IdeaDetails, IdeaPatch, parse_number
from replyloop.ideas.errors import (
    CommentAlreadyRecorded,
    Conflict,
    IdeaMerged,
    IdeaNotFound,
    IdeasError,
    InvalidInput,
    InvalidTransition,
    PublishFailed,
)
from replyloop.ideas.idea import Idea, IdeaComment, Voter, month_of
from replyloop.ideas.policy import IdeasPolicy, load_policy
from replyloop.ideas.ports import IdeaChanges, IdeaDraft, IdeasStore, ListQuery, MergeOutcome, Page, RecordedComment
from replyloop.ideas.priority import Priority, priority
from replyloop.ideas.recorder import IdeaRecorder, Recorded
from replyloop.ideas.similarity import Candidate, Match, Matcher, Verdict
from replyloop.ideas.status import TRANSITIONS, HistoryEntry, check_transition

__all__ = [
    "TRANSITIONS",
    "Backlog",
    "Candidate",
    "CommentAlreadyRecorded",
    "Conflict",
    "HistoryEntry",
    "Idea",
    "IdeaChanges",
    "IdeaComment",
    "IdeaDetails",
    "IdeaDraft",
    "IdeaMerged",
    "IdeaNotFound",
    "IdeaPatch",
    "IdeaRecorder",
    "IdeasError",
    "IdeasPolicy",
    "IdeasStore",
    "InvalidInput",
    "InvalidTransition",
    "ListQuery",
    "Match",
    "Matcher",
    "MergeOutcome",
    "Page",
    "Priority",
    "PublishFailed",
    "Recorded",
    "RecordedComment",
    "Verdict",
    "Voter",
    "check_transition",
    "load_policy",
    "month_of",
    "parse_number",
    "priority",
]
