"""The ports of the monthly summary: where the post is kept, what was already done for a month, where it goes."""

from __future__ import annotations

from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict

from replyloop.ports import Publisher
from replyloop.summary.policy import Channel

__all__ = ["Archive", "ChannelPoster", "Claim", "MonthLedger", "MonthState", "Publisher"]


class MonthState(BaseModel):
    """Where a month's run stands, per mode: complete (nothing left to do), partial, blocked or skipped."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    status: str
    details: dict[str, Any] = {}


class Claim(BaseModel):
    """A step someone already took for the month: `result` is None until it was settled (it may have happened)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str
    result: dict[str, Any] | None = None


class MonthLedger(Protocol):
    """What was done for a month, per mode (dry-run decisions never stand in for live ones).

    Every step (a channel's post, an author's thanks, the announcement) is claimed with a
    conditional write before it is taken, so a retry or a second run never takes it twice.
    """

    def state(self, month: str, mode: str) -> MonthState | None: ...

    def save_state(self, month: str, mode: str, state: MonthState) -> None: ...

    def claim(self, month: str, mode: str, key: str) -> Claim | None:
        """None when the step is now ours; else the earlier claim (settled or not)."""

    def settle(self, month: str, mode: str, key: str, result: dict[str, Any]) -> None: ...

    def release(self, month: str, mode: str, key: str) -> None:
        """Forget a claim whose step did not happen, so that the next run takes it."""

    def watching_since(self, mode: str, month: str) -> str:
        """The month of the first daily check (stored by the first call): earlier months are not due."""


class Archive(Protocol):
    """Where the post, its checklist and its manifest are kept (S3, under the month)."""

    def put(self, key: str, body: bytes, content_type: str) -> None: ...


class ChannelPoster(Protocol):
    def post(self, channel: Channel, text: str) -> str:
        """Publish on the channel; return the platform's id of the post. Raises PlatformError."""
