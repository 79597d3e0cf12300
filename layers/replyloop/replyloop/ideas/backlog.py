"""The product team's use cases (admin API and CLI alike): list, show, change and merge ideas."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from replyloop.ideas.errors import Conflict, IdeaNotFound, InvalidInput, PublishFailed
from replyloop.ideas.idea import MONTH_PATTERN, Idea, IdeaComment, Voter, month_of
from replyloop.ideas.ports import IdeaChanges, ListQuery, MergeOutcome, Page
from replyloop.ideas.priority import priority
from replyloop.ideas.status import HistoryEntry, check_transition
from replyloop.ideas.use_case import IdeasUseCase
from replyloop.models.events import BusEvent
from replyloop.models.ideas import IdeaStatus, IdeaStatusChanged

__all__ = ["Backlog", "IdeaDetails", "IdeaPatch", "parse_number"]

_NUMBER = re.compile(r"^#?([1-9]\d{0,8})$")


def parse_number(value: str | int) -> int:
    """'42', '#42' or 42 -> 42; anything else is bad input."""
    found = _NUMBER.match(str(value).strip())
    if not found:
        raise InvalidInput(f"not an idea number: {str(value)[:20]!r} (use e.g. 42 or #42)")
    return int(found.group(1))


class IdeaPatch(BaseModel):
    """A change asked for by the product team; at least one field. Release notes merge by language ('' deletes)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    status: IdeaStatus | None = None
    note: str | None = Field(default=None, max_length=1000, description="Why; kept in the history.")
    impact: int | None = Field(default=None, ge=1, le=5)
    cost: int | None = Field(default=None, ge=1, le=5)
    title: str | None = Field(default=None, min_length=3, max_length=200)
    release_notes: dict[str, str] | None = Field(default=None, description="Language -> release note.")
    shipped_month: str | None = Field(default=None, pattern=MONTH_PATTERN, description="Default: this month.")

    @model_validator(mode="after")
    def _something(self) -> Self:
        if not self.model_fields_set - {"note"}:
            raise ValueError("nothing to change: give status, impact, cost, title, release_notes or shipped_month")
        for lang, text in (self.release_notes or {}).items():
            if not re.fullmatch(r"[a-z]{2}", lang) or len(text) > 1000:
                raise ValueError("release_notes: two-letter language codes, notes up to 1000 characters")
        return self


@dataclass(frozen=True, slots=True)
class IdeaDetails:
    """One idea with everything behind it; `asked_as` is the number asked for when it redirected."""

    idea: Idea
    comments: list[IdeaComment]
    voters: list[Voter]
    history: list[HistoryEntry]
    asked_as: int | None = None


class Backlog(IdeasUseCase):
    def list(self, query: ListQuery) -> Page:
        return self._store.page(query)

    def show(self, number: int) -> IdeaDetails:
        """A merged idea redirects to the one it was merged into (`asked_as` says so)."""
        idea = self._get(number)
        asked_as = None
        if idea.merged_into is not None:
            asked_as, idea = number, self._get(idea.merged_into)
        return IdeaDetails(
            idea=idea,
            comments=self._store.comments(idea.id),
            voters=self._store.voters(idea.id),
            history=self._store.history(idea.id),
            asked_as=asked_as,
        )

    def update(self, number: int, patch: IdeaPatch, who: str) -> Idea:
        idea = self._get(number)
        if idea.merged_into is not None:
            raise Conflict(f"#{number} was merged into #{idea.merged_into}; change #{idea.merged_into} instead")
        now = self._clock()
        target = patch.status if patch.status not in (None, idea.status) else None
        if target is not None:
            check_transition(idea.number, idea.status, target)
        changes = self._changes(idea, patch, target, now)
        entry = None
        if target is not None:
            entry = HistoryEntry(
                at=now, who=who, kind="status", from_status=idea.status, to_status=target, note=patch.note
            )
        elif patch.note is not None or not changes.empty():
            entry = HistoryEntry(at=now, who=who, kind="edited", note=patch.note or _describe(changes))
        updated = self._store.update(idea, changes, entry) if entry is not None else idea
        if target is not None:
            self._announce(idea, updated, who, patch.note, now)
        return updated

    def merge(self, number: int, into: int, who: str) -> MergeOutcome:
        """Votes and authors combined (an author who voted for both counts once); `number` then redirects."""
        if number == into:
            raise InvalidInput("an idea cannot be merged into itself")
        source, target = self._get(number), self._get(into)
        if target.merged_into is not None:
            raise Conflict(f"#{into} was itself merged into #{target.merged_into}; merge into that one")
        if source.merged_into is not None and source.merged_into_id != target.id:
            raise Conflict(f"#{number} was already merged into #{source.merged_into}")
        if source.lang != target.lang:
            languages = f"#{number} is {source.lang} and #{into} is {target.lang}"
            raise InvalidInput(f"{languages}: ideas merge within a language")
        now = self._clock()
        entries = (
            HistoryEntry(at=now, who=who, kind="merged_into", note=f"merged into #{into}"),
            HistoryEntry(at=now, who=who, kind="merged_from", note=f"#{number} merged into this idea"),
        )
        return self._store.merge(source, target, entries)

    def _get(self, number: int) -> Idea:
        idea = self._store.by_number(number)
        if idea is None:
            raise IdeaNotFound(number)
        return idea

    def _changes(self, idea: Idea, patch: IdeaPatch, target: IdeaStatus | None, now: datetime) -> IdeaChanges:
        status = target or idea.status
        if patch.shipped_month is not None and status != "shipped":
            raise InvalidInput("shipped_month is set only when the idea is (or becomes) shipped")
        notes = dict(idea.release_notes)
        for lang, text in (patch.release_notes or {}).items():
            if text.strip():
                notes[lang] = text.strip()
            else:
                notes.pop(lang, None)
        if status == "shipped" and not notes:
            languages = "/".join(self._policy.release_note_languages)
            raise InvalidInput(f"a shipped idea needs a release note ({languages}) for the monthly summary")
        impact = patch.impact if patch.impact is not None else idea.impact
        cost = patch.cost if patch.cost is not None else idea.cost
        rank = priority(impact, cost)
        scored = patch.impact is not None or patch.cost is not None
        shipped_month = patch.shipped_month or (month_of(now, self._policy.zone) if target == "shipped" else None)
        title = patch.title.strip() if patch.title is not None else None
        return IdeaChanges(
            title=title if title != idea.title else None,
            title_signature=self._matcher.signature(title, idea.lang) if title and title != idea.title else None,
            impact=patch.impact,
            cost=patch.cost,
            priority_score=(rank.score if rank else 0) if scored else None,
            status=target,
            shipped_month=shipped_month,
            release_notes=notes if patch.release_notes is not None and notes != idea.release_notes else None,
        )

    def _announce(self, before: Idea, after: Idea, who: str, note: str | None, now: datetime) -> None:
        event = IdeaStatusChanged(
            idea_id=after.id,
            number=after.number,
            title=after.title,
            lang=after.lang,
            from_status=before.status,
            to_status=after.status,
            who=who,
            note=note,
            votes=after.votes,
            shipped_month=after.shipped_month,
            release_notes=after.release_notes,
            changed_at=now,
        )
        key = f"{after.id}:{after.status}:{int(now.timestamp())}"
        if self._publisher.publish([BusEvent(event, key)]):
            # The change stands; the event is what failed. Saying so beats a silent gap in the feed.
            raise PublishFailed(f"#{after.number} is now {after.status}, but IdeaStatusChanged could not be published")


def _describe(changes: IdeaChanges) -> str:
    names = [name for name in ("title", "impact", "cost", "release_notes", "shipped_month") if getattr(changes, name)]
    return "changed " + ", ".join(names)
