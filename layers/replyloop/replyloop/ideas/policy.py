"""The ideas policy as data (ideas/policy.json): duplicate threshold, time zone, title length, note languages."""

from __future__ import annotations

from functools import cached_property
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field

from replyloop.data import load_json

__all__ = ["POLICY_FILE", "IdeasPolicy", "load_policy"]

POLICY_FILE = "ideas/policy.json"


class IdeasPolicy(BaseModel):
    """`threshold` and `min_shared_weight` decide a near-duplicate (see replyloop.ideas.similarity)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: int = 1
    threshold: float = Field(default=0.65, gt=0.0, le=1.0, description="Merge at or above this similarity.")
    min_shared_weight: float = Field(default=1.0, ge=0.0, description="Shared concept weight needed to merge at all.")
    unknown_weight: float = Field(default=0.5, gt=0.0, le=1.0, description="Weight of a word with no concept.")
    timezone: str = Field(default="Europe/Warsaw", description="Where a shipped month begins and ends.")
    title_max_chars: int = Field(default=80, ge=20, le=200)
    release_note_languages: tuple[str, ...] = Field(default=("pl", "en"), min_length=1)

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def load_policy() -> IdeasPolicy:
    """The deployment's policy (REPLYLOOP_DATA_DIR) or the packaged one, validated."""
    return IdeasPolicy.model_validate(load_json(POLICY_FILE))
