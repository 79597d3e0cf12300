"""The monthly "you asked, we did" use case: gather, render, check, store, publish, thank each author; once a month.

Idempotent per month and mode: a finished month does nothing again; each channel post, each
author's thanks and the announcement are claimed (conditional writes) before they are taken, so a
retry after a partial failure takes only the steps not yet taken. A step that failed in a way a
retry may fix is released (`pending`) and the run ends `partial`; one the platform refused for
good is kept as `failed` and not retried.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from replyloop.models.events import BusEvent
from replyloop.models.summary import SummaryMode
from replyloop.reactions.actions import CommentRef, PlatformError
from replyloop.reactions.ports import PlatformClient
from replyloop.reactions.templates import fits
from replyloop.summary.checklist import ChecklistResult, Document, run_checklist
from replyloop.summary.content import AuthorThread, IdeasSource, MonthContent, ShippedItem, gather
from replyloop.summary.months import check_month, month_of, previous_month
from replyloop.summary.outcome import Outcome, Step
from replyloop.summary.policy import Channel, SummaryPolicy
from replyloop.summary.ports import Archive, ChannelPoster, MonthLedger, MonthState, Publisher
from replyloop.summary.rendering import RenderedPost, Renderer

__all__ = ["ANNOUNCEMENT", "MonthlySummary", "SummaryError", "summary_keys"]

ANNOUNCEMENT = "announcement"
PREFIX = "summaries"
_TYPES = {"md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8", "json": "application/json"}


class SummaryError(Exception):
    """The run could not finish a step that must not be skipped (the announcement)."""


def summary_keys(month: str, languages: tuple[str, ...]) -> list[str]:
    """s3 keys: summaries/<month>/<lang>.md and .html per language, checklist.json, manifest.json."""
    keys = [f"{PREFIX}/{month}/{lang}.{ext}" for lang in languages for ext in ("md", "html")]
    return [*keys, f"{PREFIX}/{month}/checklist.json", f"{PREFIX}/{month}/manifest.json"]


class MonthlySummary:
    def __init__(
        self,
        *,
        source: IdeasSource,
        renderer: Renderer,
        policy: SummaryPolicy,
        archive: Archive,
        ledger: MonthLedger,
        channels: ChannelPoster,
        platforms: Callable[[str], PlatformClient | None],
        publisher: Publisher,
        clock: Callable[[], datetime],
        mode: SummaryMode = "dry-run",
        bucket: str = "",
    ) -> None:
        self._source, self._renderer, self._policy = source, renderer, policy
        self._archive, self._ledger, self._channels = archive, ledger, channels
        self._platforms, self._publisher, self._clock = platforms, publisher, clock
        self.mode: SummaryMode = mode
        self._bucket = bucket

    def month_for(self, now: datetime, *, month: str | None = None, scheduled: datetime | None = None) -> str:
        """An explicit month (a re-run or backfill) if it is over, else the month before the scheduled time."""
        zone = self._policy.zone
        return check_month(month, now, zone) if month else previous_month(scheduled or now, zone)

    def is_out(self, now: datetime, scheduled: datetime | None = None) -> tuple[str, bool]:
        """The daily check: (the previous month, whether its post is out, skipped by policy or not due).

        A month that ended before the first check (the deployment came later) is not due.
        """
        zone = self._policy.zone
        month = previous_month(scheduled or now, zone)
        if month < self._ledger.watching_since(self.mode, month_of(now, zone)):
            return month, True
        state = self._ledger.state(month, self.mode)
        out = state is not None and (state.status in ("complete", "skipped") or bool(state.details.get("out")))
        return month, out

    def run(self, month: str) -> Outcome:
        """The month's post: `month` is YYYY-MM (the caller checks that it is over)."""
        state = self._ledger.state(month, self.mode)
        if state is not None and state.status == "complete":
            return Outcome(month, self.mode, "already-published", out=True, **_counts(state.details))
        content = gather(self._source, month, self._policy)
        outcome = Outcome(
            month,
            self.mode,
            "published",
            kind=content.kind,
            keys=summary_keys(month, self._policy.languages),
            shipped=len(content.shipped),
            received=content.received,
            planned=len(content.planned),
        )
        if not content.shipped and self._policy.when_nothing_shipped == "skip":
            outcome.status, outcome.keys, outcome.out = "skipped", [], True
            self._save(outcome, "skipped")
            return outcome
        posts = [self._renderer.post(content, lang) for lang in self._policy.languages]
        teasers = {c.key: self._renderer.teaser(content, c.lang, c.platform) for c in self._policy.channels}
        outcome.checklist = self._check(content, posts, teasers)
        self._store(month, posts, outcome.checklist)
        if not outcome.checklist.passed and outcome.checklist.enforced:
            outcome.status = "blocked"
            return self._finish(outcome, "blocked")
        outcome.steps = [self._post(month, channel, teasers[channel.key]) for channel in self._policy.channels]
        if self._policy.notify_authors:
            outcome.steps += [self._thank(month, item, author) for item in content.shipped for author in item.authors]
        if not any(step.kind == "channel" for step in outcome.pending):
            outcome.announced, outcome.out = self._announce(outcome), True
        if outcome.pending:
            outcome.status = "partial"
        return self._finish(outcome, "partial" if outcome.pending else "complete")

    # -- steps ------------------------------------------------------------------------------

    def _check(self, content: MonthContent, posts: list[RenderedPost], teasers: dict[str, str]) -> ChecklistResult:
        documents = [
            document
            for post in posts
            for document in (
                Document(f"{post.lang}.md", post.lang, "markdown", post.markdown),
                Document(f"{post.lang}.html", post.lang, "html", post.html),
            )
        ]
        documents += [
            Document(f"{c.platform}:{c.target}", c.lang, "text", teasers[c.key], post=False)
            for c in self._policy.channels
        ]
        languages = self._policy.languages
        checklist = self._policy.checklist
        return run_checklist(
            documents,
            cta={lang: self._renderer.cta_link(content.month, lang) for lang in languages},
            partner_items=content.partner_items,
            partner_labels={lang: self._renderer.wording(lang).partner_label for lang in languages},
            owner=self._policy.owner,
            enforce=checklist.enforce,
            disabled=checklist.disabled,
        )

    def _store(self, month: str, posts: list[RenderedPost], checklist: ChecklistResult) -> None:
        for post in posts:
            self._put(f"{PREFIX}/{month}/{post.lang}.md", post.markdown.encode())
            self._put(f"{PREFIX}/{month}/{post.lang}.html", post.html.encode())
        self._put(f"{PREFIX}/{month}/checklist.json", _json(checklist.model_dump(mode="json")))

    def _put(self, key: str, body: bytes) -> None:
        self._archive.put(key, body, _TYPES[key.rsplit(".", 1)[-1]])

    def _post(self, month: str, channel: Channel, text: str) -> Step:
        step = Step("channel", f"channel#{channel.key}", channel.platform, channel.target, channel.lang, text)

        if not fits(text, channel.platform):
            return self._take(month, step, None, verdict=("failed", "the teaser is longer than the platform allows"))
        return self._take(month, step, lambda: self._channels.post(channel, text))

    def _thank(self, month: str, item: ShippedItem, author: AuthorThread) -> Step:
        text = self._renderer.notification(item, author, month)
        key = f"thanks#{author.platform}#{author.comment_id}"
        step = Step(
            kind="thanks",
            key=key,
            platform=author.platform,
            target=author.thread_id,
            lang=author.lang,
            text=text,
            comment_id=author.comment_id,
            number=item.number,
        )
        client = self._platforms(author.platform)  # a lookup: no platform is called in dry-run
        if client is None:
            return self._take(month, step, None, verdict=("skipped", f"no API to reply on {author.platform}"))
        target = CommentRef(
            platform=author.platform,  # type: ignore[arg-type]
            comment_id=author.comment_id,
            thread_id=author.thread_id,
            created_at=author.asked_at,
        )
        return self._take(month, step, lambda: client.reply(target, text))

    def _take(
        self, month: str, step: Step, send: Callable[[], str] | None, *, verdict: tuple[str, str] | None = None
    ) -> Step:
        """Claim the step, take it (dry-run: only decide), settle it; an earlier claim is reported, not redone.

        `verdict` (outcome, reason) settles a step that cannot be taken on its platform, in either mode.
        """
        earlier = self._ledger.claim(month, self.mode, step.key)
        if earlier is not None:
            return step.with_result(earlier.result, fresh=False)
        result: dict[str, Any] = {"text": step.text, "at": self._clock().isoformat()}
        if verdict is not None:
            result |= {"outcome": verdict[0], "reason": verdict[1]}
        elif self.mode == "dry-run" or send is None:
            result |= {"outcome": "dry-run"}
        else:
            try:
                result |= {"outcome": "done", "post_id": send()}
            except PlatformError as error:
                if error.retryable:
                    self._ledger.release(month, self.mode, step.key)
                    return step.with_result({**result, "outcome": "pending", "reason": str(error)}, fresh=True)
                result |= {"outcome": "failed", "reason": str(error)}
        self._ledger.settle(month, self.mode, step.key, result)
        return step.with_result(result, fresh=True)

    def _announce(self, outcome: Outcome) -> bool:
        """MonthlySummaryPublished once per month and mode; False when an earlier run announced it."""
        if self._ledger.claim(outcome.month, self.mode, ANNOUNCEMENT) is not None:
            return False
        now = self._clock()
        detail = outcome.published(list(self._policy.languages), self._bucket, now)
        if self._publisher.publish([BusEvent(detail, f"summary:{outcome.month}:{self.mode}")]):
            self._ledger.release(outcome.month, self.mode, ANNOUNCEMENT)
            raise SummaryError(f"{outcome.month}: MonthlySummaryPublished could not be put on the bus")
        self._ledger.settle(outcome.month, self.mode, ANNOUNCEMENT, {"at": now.isoformat()})
        return True

    def _finish(self, outcome: Outcome, state: str) -> Outcome:
        view = outcome.view()
        view["generated_at"] = self._clock().isoformat()
        self._put(f"{PREFIX}/{outcome.month}/manifest.json", _json(view))
        self._save(outcome, state)
        return outcome

    def _save(self, outcome: Outcome, status: str) -> None:
        details = {
            key: value
            for key, value in outcome.view().items()
            if key not in ("channels", "thanks", "announced", "checklist_failures")
        }
        details["reasons"] = outcome.checklist.reasons() if outcome.checklist else []
        self._ledger.save_state(outcome.month, self.mode, MonthState(status=status, details=details))


def _counts(details: dict[str, Any]) -> dict[str, Any]:
    names = ("kind", "keys", "shipped", "received", "planned")
    return {name: details[name] for name in names if name in details}


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2).encode()
