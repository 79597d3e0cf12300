"""The ports of the ideas use cases: the backlog store, the bus, and the small records that cross them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

from replyloop.ideas.idea import Idea, IdeaComment, Voter
from replyloop.ideas.similarity import Candidate
from replyloop.ideas.status import HistoryEntry
from replyloop.models.events import UtcDatetime
from replyloop.models.ideas import DuplicateMatch, IdeaOutcome, IdeaStatus
from replyloop.ports import Publisher

__all__ = [
    "Attached",
    "IdeaChanges",
    "IdeaDraft",
    "IdeasStore",
    "ListQuery",
    "MergeOutcome",
    "Page",
    "Publisher",
    "RecordedComment",
    "SortKey",
]

SortKey = Literal["votes", "priority"]


class RecordedComment(BaseModel):
    """What recording one comment led to, kept so that a redelivery replays it instead of voting twice."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    idea_id: str
    number: int
    outcome: IdeaOutcome
    duplicate_of: DuplicateMatch | None = None
    recorded_at: UtcDatetime


@dataclass(frozen=True, slots=True)
class IdeaDraft:
    """A new idea before it has a number: the store allocates one as it creates the idea."""

    id: str
    title: str
    lang: str
    signature: tuple[str, ...]
    comment: IdeaComment
    voter: Voter
    created: HistoryEntry


@dataclass(frozen=True, slots=True)
class Attached:
    """A comment attached to an existing idea: `outcome` is vote (a new author) or repeat (no second vote)."""

    idea: Idea
    outcome: Literal["vote", "repeat"]


@dataclass(frozen=True, slots=True)
class IdeaChanges:
    """Fields to change on an idea (None = unchanged); `priority_score` follows impact and cost."""

    title: str | None = None
    title_signature: tuple[str, ...] | None = None
    impact: int | None = None
    cost: int | None = None
    priority_score: int | None = None
    status: IdeaStatus | None = None
    shipped_month: str | None = None
    release_notes: dict[str, str] | None = None

    def empty(self) -> bool:
        return all(getattr(self, name) is None for name in self.__slots__)


class ListQuery(BaseModel):
    """One page of the backlog: an optional status, a sort (votes or priority, best first), a page size, a cursor."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    status: IdeaStatus | None = None
    sort: SortKey = "votes"
    limit: int = Field(default=20, ge=1, le=100)
    cursor: str | None = Field(default=None, max_length=2000, description="Opaque; from the previous page.")


@dataclass(frozen=True, slots=True)
class Page:
    items: list[Idea]
    cursor: str | None = None


@dataclass(frozen=True, slots=True)
class MergeOutcome:
    """A merge: the surviving idea, votes that moved, authors who had voted for both (counted once)."""

    source: Idea
    target: Idea
    moved_votes: int
    shared_voters: int
    moved_comments: int
    resumed: bool = False
    notes: list[str] = field(default_factory=list)


class IdeasStore(Protocol):
    """The backlog's storage. Votes are one per author per idea, whatever the order or number of calls."""

    def recorded_comment(self, platform: str, comment_id: str) -> RecordedComment | None: ...

    def candidates(self, lang: str) -> list[Candidate]:
        """Every idea of a language that a comment may join (merged ideas excluded)."""

    def create(self, draft: IdeaDraft) -> Idea:
        """Allocate the next number and create the idea with its first comment and vote, all or nothing.

        Raises CommentAlreadyRecorded when the comment was recorded before.
        """

    def attach(
        self, idea_id: str, comment: IdeaComment, voter: Voter, match: DuplicateMatch | None, at: datetime
    ) -> Attached:
        """Attach a comment, with its author's vote unless that author already voted (then a repeat).

        Raises CommentAlreadyRecorded, IdeaMerged (the caller follows it) or IdeaNotFound.
        """

    def get(self, idea_id: str) -> Idea | None: ...

    def by_number(self, number: int) -> Idea | None: ...

    def page(self, query: ListQuery) -> Page:
        """Raises InvalidInput for a cursor this store did not give out for this query."""

    def ideas(self, status: IdeaStatus | None = None) -> Iterator[Idea]:
        """Every idea (of a status), merged ones excluded, most votes first."""

    def comments(self, idea_id: str) -> list[IdeaComment]: ...

    def voters(self, idea_id: str) -> list[Voter]: ...

    def history(self, idea_id: str) -> list[HistoryEntry]: ...

    def update(self, idea: Idea, changes: IdeaChanges, entry: HistoryEntry | None) -> Idea:
        """Change an idea that still has `idea.status` and is not merged, else raise Conflict."""

    def merge(self, source: Idea, target: Idea, entries: tuple[HistoryEntry, HistoryEntry]) -> MergeOutcome:
        """Move comments and votes of `source` into `target` (an author who voted for both counts once).

        `entries` are the history notes for the source and the target. Re-running a merge that
        stopped half-way finishes it.
        """

    def shipped_in(self, month: str) -> list[Idea]:
        """Ideas shipped in a month ('YYYY-MM', brand time zone), most votes first."""

    def received_in(self, month: str) -> list[Idea]:
        """Ideas first asked for in a month ('YYYY-MM', brand time zone), most votes first."""
