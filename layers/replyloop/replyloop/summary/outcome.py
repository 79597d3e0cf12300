"""What one run of the monthly summary did: each step (a channel post, an author's thanks) and the month's status."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Literal

from replyloop.models.summary import ChannelPost, MonthlySummaryPublished
from replyloop.summary.checklist import ChecklistResult

__all__ = ["Outcome", "RunStatus", "Step", "StepOutcome"]

# published: the post is out (this run or an earlier one finished it now); already-published: an earlier
# run finished the month, nothing was done; partial: something failed and a retry will finish it;
# blocked: the checklist failed; skipped: nothing shipped and the policy says no post then.
RunStatus = Literal["published", "already-published", "partial", "blocked", "skipped"]
# pending: failed in a way a retry may fix (the claim was released); skipped: cannot be done on that platform.
StepOutcome = Literal["dry-run", "done", "failed", "unknown", "pending", "skipped"]


@dataclass(frozen=True, slots=True)
class Step:
    """One channel post (`kind` channel) or one author's thanks in their thread (`kind` thanks)."""

    kind: Literal["channel", "thanks"]
    key: str
    platform: str
    target: str  # the channel's target, or the thread of the author's comment
    lang: str
    text: str
    outcome: StepOutcome = "unknown"
    comment_id: str | None = None
    number: int | None = None
    post_id: str | None = None
    reason: str | None = None
    fresh: bool = False  # taken in this run (not an earlier run's result)

    def with_result(self, result: dict[str, Any] | None, *, fresh: bool) -> Step:
        if result is None:  # claimed earlier but never settled: it may have gone out
            return replace(self, outcome="unknown", reason="an earlier attempt was not confirmed; not redone")
        return replace(
            self,
            outcome=result.get("outcome", "unknown"),
            post_id=result.get("post_id"),
            reason=result.get("reason"),
            text=result.get("text", self.text),
            fresh=fresh,
        )

    def view(self) -> dict[str, Any]:
        """For the manifest: ids, language, outcome and our own text; never an author's id or name."""
        keys = ("kind", "platform", "target", "comment_id", "number", "lang", "outcome", "post_id", "reason", "text")
        return {key: getattr(self, key) for key in keys if getattr(self, key) is not None}

    def channel_post(self) -> ChannelPost:
        outcome = self.outcome if self.outcome in ("dry-run", "done", "failed") else "unknown"
        return ChannelPost(
            platform=self.platform,  # type: ignore[arg-type]
            target=self.target,
            lang=self.lang,
            outcome=outcome,
            post_id=self.post_id,
            reason=self.reason,
        )


@dataclass
class Outcome:
    month: str
    mode: str
    status: RunStatus
    kind: str = "shipped"
    keys: list[str] = field(default_factory=list)
    shipped: int = 0
    received: int = 0
    planned: int = 0
    checklist: ChecklistResult | None = None
    steps: list[Step] = field(default_factory=list)
    announced: bool = False  # MonthlySummaryPublished was put on the bus by this run
    out: bool = False  # the month's post is out (this run or earlier), or not due (skipped by policy)

    def of(self, kind: str) -> list[Step]:
        return [step for step in self.steps if step.kind == kind]

    @property
    def notified(self) -> int:
        return sum(step.outcome in ("done", "dry-run") for step in self.of("thanks"))

    @property
    def notified_now(self) -> int:
        return sum(step.fresh and step.outcome in ("done", "dry-run") for step in self.of("thanks"))

    @property
    def pending(self) -> list[Step]:
        return [step for step in self.steps if step.outcome == "pending"]

    @property
    def failed_now(self) -> list[Step]:
        return [step for step in self.steps if step.fresh and step.outcome == "failed"] + self.pending

    @property
    def checklist_passed(self) -> bool:
        return self.checklist.passed if self.checklist is not None else True

    def published(self, languages: list[str], bucket: str, at: datetime) -> MonthlySummaryPublished:
        """The event that says the month's post went out."""
        return MonthlySummaryPublished(
            month=self.month,
            mode=self.mode,  # type: ignore[arg-type]
            kind=self.kind,  # type: ignore[arg-type]
            languages=languages,
            bucket=bucket,
            keys=self.keys,
            shipped=self.shipped,
            received=self.received,
            planned=self.planned,
            authors_notified=self.notified,
            authors_pending=sum(step.kind == "thanks" for step in self.pending),
            channels=[step.channel_post() for step in self.of("channel")],
            checklist_passed=self.checklist_passed,
            published_at=at,
        )

    def view(self) -> dict[str, Any]:
        """What the handler answers and the manifest holds (no author ids, no handles beyond the post)."""
        return {
            "month": self.month,
            "mode": self.mode,
            "status": self.status,
            "kind": self.kind,
            "keys": self.keys,
            "shipped": self.shipped,
            "received": self.received,
            "planned": self.planned,
            "checklist_passed": self.checklist_passed,
            "checklist_failures": self.checklist.reasons() if self.checklist else [],
            "authors_notified": self.notified,
            "authors_pending": sum(step.kind == "thanks" for step in self.pending),
            "announced": self.announced,
            "out": self.out,
            "channels": [step.view() for step in self.of("channel")],
            "thanks": [step.view() for step in self.of("thanks")],
        }
