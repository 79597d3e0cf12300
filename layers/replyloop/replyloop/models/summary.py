"""Details of the event the monthly "you asked, we did" run puts on the bus (source `replyloop.summary`; a contract)."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from replyloop.models.events import EventDetail, UtcDatetime

__all__ = ["ChannelOutcome", "ChannelPost", "MonthlySummaryPublished", "SummaryKind", "SummaryMode"]

SummaryMode = Literal["dry-run", "live"]
# shipped: the month shipped ideas; planned-only: nothing shipped, the post says what comes next.
SummaryKind = Literal["shipped", "planned-only"]
# dry-run: decided and recorded, not sent; done: sent; failed: refused for good; unknown: an earlier
# attempt may have posted (it was never confirmed), so it is not posted again.
ChannelOutcome = Literal["dry-run", "done", "failed", "unknown"]


class ChannelPost(BaseModel):
    """The monthly post on one configured channel (a Facebook Page, a Telegram channel, an X account)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    platform: Literal["facebook", "telegram", "x"]
    target: str = Field(description="The Page id, the channel's chat id or @name, the X account.")
    lang: str
    outcome: ChannelOutcome
    post_id: str | None = Field(default=None, description="The platform's id of the post, when live.")
    reason: str | None = None


class MonthlySummaryPublished(EventDetail):
    """The monthly post of a month went out (or, in dry-run, was decided): once per month and mode."""

    source: ClassVar[str] = "replyloop.summary"
    detail_type: ClassVar[str] = "MonthlySummaryPublished"

    month: str = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="YYYY-MM in the brand's time zone.")
    mode: SummaryMode
    kind: SummaryKind
    languages: list[str]
    bucket: str
    keys: list[str] = Field(
        description="The S3 keys of the post (Markdown and HTML per language), checklist, manifest."
    )
    shipped: int = Field(ge=0, description="Ideas shipped in the month.")
    received: int = Field(ge=0, description="Ideas first asked for in the month.")
    planned: int = Field(ge=0, description="Planned ideas the post names as coming next.")
    authors_notified: int = Field(ge=0, description="Authors told in their own thread so far (dry-run: decided).")
    authors_pending: int = Field(ge=0, description="Authors still to tell (a retry tells them).")
    channels: list[ChannelPost]
    checklist_passed: bool
    published_at: UtcDatetime
