"""Recording an idea comment: a new idea, or a vote for the near-duplicate it matches, then IdeaRecorded on the bus.

Idempotent: the store keeps what each comment led to, so a redelivered CommentClassified
replays the first outcome (and publishes its IdeaRecorded again, in case the first publish
was lost) instead of voting twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from replyloop.ideas.errors import CommentAlreadyRecorded, IdeaMerged, IdeaNotFound, PublishFailed
from replyloop.ideas.idea import Idea, IdeaComment, Voter, idea_id_for
from replyloop.ideas.ports import IdeaDraft, RecordedComment
from replyloop.ideas.status import HistoryEntry
from replyloop.ideas.titles import derive_title
from replyloop.ideas.use_case import IdeasUseCase
from replyloop.models.events import BusEvent, CommentClassified
from replyloop.models.ideas import DuplicateMatch, IdeaOutcome, IdeaRecorded

__all__ = ["SERVICE", "IdeaRecorder", "Recorded"]

SERVICE = "replyloop.ideas"  # `who` of changes the service makes itself
_MAX_REDIRECTS = 5


@dataclass(frozen=True, slots=True)
class Recorded:
    """What one CommentClassified led to; `event` is already on the bus."""

    event: IdeaRecorded
    redelivery: bool = False


class IdeaRecorder(IdeasUseCase):
    def record(self, classified: CommentClassified) -> Recorded:
        comment, lang = classified.comment, classified.classification.lang
        if classified.classification.label != "idea":
            raise ValueError(f"not an idea: {classified.classification.label}")
        prior = self._store.recorded_comment(comment.platform, comment.comment_id)
        if prior is not None:
            return self._publish(self._replay(prior, classified), redelivery=True)
        signature = self._matcher.signature(comment.text, lang)
        match = self._matcher.best(signature, self._store.candidates(lang), lang)
        now = self._clock()
        try:
            if match is None:
                event = self._create(classified, signature, now)
            else:
                duplicate = DuplicateMatch(
                    number=match.candidate.number, score=match.verdict.score, reason=match.verdict.reason
                )
                event = self._attach(classified, match.candidate.idea_id, duplicate, now)
        except CommentAlreadyRecorded:
            # Another delivery of the same comment won the race: replay what it recorded.
            prior = self._store.recorded_comment(comment.platform, comment.comment_id)
            if prior is None:
                raise
            return self._publish(self._replay(prior, classified), redelivery=True)
        return self._publish(event, redelivery=False)

    def _create(self, classified: CommentClassified, signature: tuple[str, ...], now: datetime) -> IdeaRecorded:
        comment, lang = classified.comment, classified.classification.lang
        draft = IdeaDraft(
            id=idea_id_for(comment.platform, comment.comment_id),
            title=derive_title(comment.text, self._policy.title_max_chars),
            lang=lang,
            signature=signature,
            comment=IdeaComment.of(comment, lang, voted=True),
            voter=Voter.of(comment),
            created=HistoryEntry(at=now, who=SERVICE, kind="created", to_status="new", note="first asked"),
        )
        return self._event(classified, self._store.create(draft), "new", None, now)

    def _attach(
        self, classified: CommentClassified, idea_id: str, duplicate: DuplicateMatch, now: datetime
    ) -> IdeaRecorded:
        comment, lang = classified.comment, classified.classification.lang
        for _ in range(_MAX_REDIRECTS):
            try:
                attached = self._store.attach(
                    idea_id, IdeaComment.of(comment, lang, voted=True), Voter.of(comment), duplicate, now
                )
            except IdeaMerged as merged:
                idea_id = merged.into_id  # merged meanwhile: the vote goes to the idea it lives on in
                continue
            return self._event(classified, attached.idea, attached.outcome, duplicate, now)
        raise IdeaNotFound(duplicate.number)

    def _replay(self, prior: RecordedComment, classified: CommentClassified) -> IdeaRecorded:
        idea = self._follow(prior.idea_id)
        return self._event(classified, idea, prior.outcome, prior.duplicate_of, prior.recorded_at)

    def _follow(self, idea_id: str) -> Idea:
        """The idea, or the one it was merged into."""
        for _ in range(_MAX_REDIRECTS):
            idea = self._store.get(idea_id)
            if idea is None:
                raise IdeaNotFound(idea_id)
            if idea.merged_into_id is None:
                return idea
            idea_id = idea.merged_into_id
        raise IdeaNotFound(idea_id)

    @staticmethod
    def _event(
        classified: CommentClassified,
        idea: Idea,
        outcome: IdeaOutcome,
        duplicate: DuplicateMatch | None,
        now: datetime,
    ) -> IdeaRecorded:
        return IdeaRecorded(
            idea_id=idea.id,
            number=idea.number,
            title=idea.title,
            status=idea.status,
            outcome=outcome,
            votes=max(idea.votes, 1),
            lang=classified.classification.lang,
            duplicate_of=duplicate,
            comment=classified.comment,
            recorded_at=now,
        )

    def _publish(self, event: IdeaRecorded, *, redelivery: bool) -> Recorded:
        key = f"{event.comment.platform}:{event.comment.comment_id}:idea"
        if self._publisher.publish([BusEvent(event, key)]):
            raise PublishFailed(f"IdeaRecorded for #{event.number} was not put on the bus")
        return Recorded(event, redelivery)
