"""What a month's post is about, read from the backlog: shipped ideas and who asked, counts, what comes next.

Public thanks name people by handle only on platforms whose handles are public usernames
(`thank_by_handle_on`); everyone else is counted, never named: Facebook gives display names
and Telegram users without a username have only a numeric id, and neither is shown.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from replyloop.ideas.idea import Idea, IdeaComment, Voter
from replyloop.models.ideas import IdeaStatus
from replyloop.summary.policy import SummaryPolicy

__all__ = ["AuthorThread", "IdeasSource", "MonthContent", "PlannedItem", "ShippedItem", "gather", "partner_of"]

# A release note that starts with "[partner]", "[partner: Bank X]", "[ad]" or "[reklama: ...]" is partner content.
_PARTNER = re.compile(r"^\s*\[(?:partner|ad|reklama)(?::\s*([^\]]*))?\]\s*", re.IGNORECASE)


class IdeasSource(Protocol):
    """What the summary reads of the backlog (DynamoIdeasStore has it)."""

    def shipped_in(self, month: str) -> list[Idea]: ...

    def received_in(self, month: str) -> list[Idea]: ...

    def ideas(self, status: IdeaStatus | None = None) -> Iterator[Idea]: ...

    def comments(self, idea_id: str) -> list[IdeaComment]: ...

    def voters(self, idea_id: str) -> list[Voter]: ...


@dataclass(frozen=True, slots=True)
class AuthorThread:
    """Where to tell one author that their idea shipped: the comment that gave their vote."""

    platform: str
    comment_id: str
    thread_id: str
    lang: str
    asked_at: datetime


@dataclass(frozen=True, slots=True)
class ShippedItem:
    number: int
    title: str
    notes: dict[str, str]
    partner: str | None  # None: not partner content; "" or a name: partner content
    handles: tuple[str, ...]
    others: int
    authors: tuple[AuthorThread, ...]

    def note(self, lang: str) -> str:
        return self.notes.get(lang) or next(iter(self.notes.values()), "")


@dataclass(frozen=True, slots=True)
class PlannedItem:
    number: int
    title: str
    votes: int


@dataclass(frozen=True, slots=True)
class MonthContent:
    month: str
    shipped: tuple[ShippedItem, ...]
    received: int
    planned: tuple[PlannedItem, ...]

    @property
    def kind(self) -> str:
        return "shipped" if self.shipped else "planned-only"

    @property
    def partner_items(self) -> int:
        return sum(item.partner is not None for item in self.shipped)

    @property
    def authors(self) -> int:
        return sum(len(item.authors) for item in self.shipped)


def partner_of(notes: dict[str, str]) -> tuple[str | None, dict[str, str]]:
    """(partner name or "" when any note is marked as partner content, else None; the notes without the marker)."""
    partner: str | None = None
    clean = {}
    for lang, note in notes.items():
        marked = _PARTNER.match(note)
        if marked:
            partner = partner or (marked.group(1) or "").strip()
        clean[lang] = _PARTNER.sub("", note, count=1).strip()
    return partner, clean


def gather(source: IdeasSource, month: str, policy: SummaryPolicy) -> MonthContent:
    shipped = [_shipped(source, idea, policy) for idea in source.shipped_in(month)]
    planned = []
    if policy.planned_limit:
        for idea in source.ideas("planned"):  # most votes first
            planned.append(PlannedItem(idea.number, idea.title, idea.votes))
            if len(planned) == policy.planned_limit:
                break
    received = len(source.received_in(month))
    return MonthContent(month, tuple(shipped), received, tuple(planned))


def _shipped(source: IdeasSource, idea: Idea, policy: SummaryPolicy) -> ShippedItem:
    partner, notes = partner_of(dict(idea.release_notes))
    voters = sorted(source.voters(idea.id), key=lambda voter: voter.voted_at)
    comments = source.comments(idea.id)
    handles = [_public_handle(voter, policy) for voter in voters]
    shown = tuple(dict.fromkeys(handle for handle in handles if handle))[: policy.max_handles]
    authors = tuple(thread for voter in voters if (thread := _thread(voter, comments, idea, policy)))
    return ShippedItem(
        number=idea.number,
        title=idea.title,
        notes=notes,
        partner=partner,
        handles=shown,
        others=sum(handle not in shown for handle in handles),
        authors=authors,
    )


def _public_handle(voter: Voter, policy: SummaryPolicy) -> str | None:
    handle = (voter.handle or "").strip().lstrip("@")
    return f"@{handle}" if handle and voter.platform in policy.thank_by_handle_on else None


def _thread(voter: Voter, comments: list[IdeaComment], idea: Idea, policy: SummaryPolicy) -> AuthorThread | None:
    """The comment that gave the vote, else the author's first comment on the idea."""
    mine = [c for c in comments if c.platform == voter.platform and c.author_id == voter.author_id]
    chosen = next((c for c in mine if c.comment_id == voter.comment_id), None) or min(
        mine, key=lambda c: c.asked_at, default=None
    )
    if chosen is None:
        return None
    return AuthorThread(
        platform=chosen.platform,
        comment_id=chosen.comment_id,
        thread_id=chosen.thread_id,
        lang=policy.language_for(chosen.lang, idea.lang),
        asked_at=chosen.asked_at,
    )
