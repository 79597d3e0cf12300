"""The reactions use case: decide, apply the limits and slow mode, act (or only record, in dry-run), report."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from replyloop.models.classification import Label
from replyloop.models.events import BusEvent, CommentClassified, CommentReceived, ReactionOutcome, ReactionPerformed
from replyloop.models.ideas import IdeaRecorded
from replyloop.reactions.actions import ActionRequest, CommentRef, FailedAction, PlatformError, hide_refusal
from replyloop.reactions.decision import Decider, Plan
from replyloop.reactions.policy import DEFERRED
from replyloop.reactions.ports import DeadLetters, Ledger, PlatformClient, Publisher, RateLimiter, Slot, SlowModeStore

__all__ = ["Mode", "Reacted", "Reactor"]

Mode = Literal["dry-run", "live"]


@dataclass(frozen=True, slots=True)
class Reacted:
    """What one CommentClassified led to; `events` are already on the bus (or in the dead-letter queue)."""

    events: list[ReactionPerformed] = field(default_factory=list)
    duplicate: bool = False
    slow_mode_started: bool = False
    deferred: bool = False  # nothing now: the reaction comes with a later event (ideas: IdeaRecorded)


@dataclass(slots=True)
class _Run:
    """One comment's reaction in progress."""

    comment: CommentReceived
    label: Label
    now: datetime
    posted: bool = False  # a reply or post went out: redoing the comment would post it twice

    @property
    def target(self) -> CommentRef:
        return CommentRef.of(self.comment)


class Reactor:
    """Reacts once per comment: the ledger is claimed first and completed only when the outcome is recorded."""

    def __init__(
        self,
        *,
        decider: Decider,
        ledger: Ledger,
        publisher: Publisher,
        limiter: RateLimiter,
        slow_modes: SlowModeStore,
        dead_letters: DeadLetters,
        platforms: Callable[[str], PlatformClient | None],
        clock: Callable[[], datetime],
        mode: Mode = "dry-run",
    ) -> None:
        self._decider = decider
        self._policy = decider.policy
        self._ledger = ledger
        self._publisher = publisher
        self._limiter = limiter
        self._slow_modes = slow_modes
        self._dead_letters = dead_letters
        self._platforms = platforms
        self._clock = clock
        self.mode: Mode = mode

    def react(self, classified: CommentClassified) -> Reacted:
        """React to a classified comment, unless its label's reaction waits for a later event (nothing claimed)."""
        label = classified.classification.label
        if self._policy.actions[label] == DEFERRED:
            return Reacted(deferred=True)
        return self._once(classified.comment, label, lambda run: self._react(run, classified))

    def thank_idea(self, recorded: IdeaRecorded) -> Reacted:
        """Thank an idea's author with its backlog number; once per comment, like every reaction."""
        return self._once(recorded.comment, "idea", lambda run: self._thank(run, recorded))

    def _once(
        self, comment: CommentReceived, label: Label, body: Callable[[_Run], tuple[list[ReactionPerformed], bool]]
    ) -> Reacted:
        key = f"{comment.platform}:{comment.comment_id}"
        if not self._ledger.claim(key):
            return Reacted(duplicate=True)
        run = _Run(comment, label, self._clock())
        try:
            events, started = body(run)
            unpublished = self._publisher.publish([BusEvent(event, f"{key}:{event.action}") for event in events])
            if unpublished:
                self._dead_letters.unpublished(unpublished)
        except Exception:
            # Once something was posted, a retry would post it again: better a missing record than a double reply.
            (self._ledger.complete if run.posted else self._ledger.release)(key)
            raise
        self._ledger.complete(key)
        return Reacted(events, slow_mode_started=started)

    def _react(self, run: _Run, classified: CommentClassified) -> tuple[list[ReactionPerformed], bool]:
        plan = self._decider.decide(classified)
        if plan.action == "none":
            return [self._event(run, plan, "skipped", plan.reason)], False
        if plan.action == "hide":
            events = [self._perform(run, plan, "hide")]
            started = False
            if run.label == "toxic":
                started, reminder = self._slow_mode(run, plan.lang)
                events += [reminder] if reminder else []
            return events, started
        return [self._reply(run, plan)], False

    def _thank(self, run: _Run, recorded: IdeaRecorded) -> tuple[list[ReactionPerformed], bool]:
        plan = self._decider.idea_thanks(recorded)
        if plan.action == "none":
            return [self._event(run, plan, "skipped", plan.reason)], False
        return [self._reply(run, plan)], False

    def _reply(self, run: _Run, plan: Plan) -> ReactionPerformed:
        full = self._acquire(run, plan)
        if full is not None:
            reason = f"rate limit {full.name}: at most {full.limit} replies per {full.window_seconds} s"
            return self._event(run, plan, "rate-limited", reason)
        return self._perform(run, plan, "reply")

    def _acquire(self, run: _Run, plan: Plan) -> Slot | None:
        comment = run.comment
        subjects = {"author": comment.author.id, "thread": comment.thread_id}
        # One counter per limit (two limits on threads count separately): '<limit>#<platform>#<author or thread>'.
        slots = [
            Slot(
                name=limit.name,
                key=f"{limit.name}#{comment.platform}#{subjects[limit.scope]}",
                limit=limit.limit,
                window_seconds=limit.window_seconds,
            )
            for limit in self._policy.limits_for(plan.action)
        ]
        closed = next((slot for slot in slots if slot.limit <= 0), None)
        if closed is not None or not slots:
            return closed
        return self._limiter.acquire(slots, run.now)

    def _slow_mode(self, run: _Run, lang: str) -> tuple[bool, ReactionPerformed | None]:
        policy = self._policy.slow_mode
        if not policy.enabled:
            return False, None
        comment = run.comment
        thread = f"{comment.platform}#{comment.thread_id}"
        count = self._slow_modes.record_toxic(thread, run.now, policy.window_seconds)
        if count < policy.toxic_threshold:
            return False, None
        started = self._slow_modes.start(thread, run.now, policy.duration_seconds)
        if not policy.rules_reminder or not self._slow_modes.claim_reminder(thread, run.now):
            return started, None
        reason = f"slow mode: {count} toxic comments in {policy.window_seconds // 60} min; one reminder per period"
        plan = self._decider.rules_reminder(comment, lang, reason)
        return started, self._perform(run, plan, "thread_post")

    def _perform(self, run: _Run, plan: Plan, kind: Literal["reply", "hide", "thread_post"]) -> ReactionPerformed:
        target = run.target
        refusal = hide_refusal(target, run.now) if kind == "hide" else None
        if refusal is not None:
            return self._event(run, plan, "skipped", refusal)
        if self.mode == "dry-run":
            return self._event(run, plan, "dry-run", plan.reason)
        client = self._platforms(target.platform)
        if client is None:
            return self._event(run, plan, "skipped", f"no API client for {target.platform}")
        request = ActionRequest(
            kind=kind, action=plan.action, target=target, lang=plan.lang, text=plan.text, template_id=plan.template_id
        )
        posted_before = run.posted
        # Until the platform says otherwise, assume a reply may have gone out (an unexpected error must not repost).
        run.posted = posted_before or kind != "hide"
        try:
            reply_id = self._call(client, request)
        except PlatformError as error:
            run.posted = posted_before
            failed = FailedAction(request=request, error=str(error), retryable=error.retryable, failed_at=run.now)
            self._dead_letters.failed_action(failed)
            return self._event(run, plan, "failed", str(error))
        return self._event(run, plan, "done", plan.reason, reply_id)

    @staticmethod
    def _call(client: PlatformClient, request: ActionRequest) -> str | None:
        if request.kind == "hide":
            client.hide(request.target)
            return None
        text = request.text or ""
        if request.kind == "reply":
            return client.reply(request.target, text)
        return client.post_to_thread(request.target, text)

    def _event(
        self, run: _Run, plan: Plan, outcome: ReactionOutcome, reason: str, reply_id: str | None = None
    ) -> ReactionPerformed:
        comment = run.comment
        return ReactionPerformed(
            platform=comment.platform,
            comment_id=comment.comment_id,
            thread_id=comment.thread_id,
            label=run.label,
            lang=plan.lang,
            action=plan.action,
            template_id=plan.template_id,
            mode=self.mode,
            outcome=outcome,
            reason=reason,
            reply_text=plan.text,
            reply_id=reply_id,
            faq_id=plan.faq_id,
            faq_score=plan.faq_score,
            performed_at=run.now,
        )
