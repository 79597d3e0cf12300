"""The monthly summary's policy as data (summary/policy.json): languages, links, owner, channels, checklist."""

from __future__ import annotations

from functools import cached_property
from typing import Literal, Self
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, model_validator

from replyloop.data import load_json

__all__ = ["POLICY_FILE", "Channel", "ChecklistPolicy", "Owner", "SummaryPolicy", "Utm", "load_policy"]

POLICY_FILE = "summary/policy.json"
RULES = ("next_step", "utm_links", "partner_label", "image_alt", "owner")


class Channel(BaseModel):
    """Where the post goes: a Facebook Page (id), a Telegram channel (chat id or @name), an X account."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    platform: Literal["facebook", "telegram", "x"]
    target: str = Field(min_length=1)
    lang: str = Field(pattern=r"^[a-z]{2}$")

    @property
    def key(self) -> str:
        return f"{self.platform}#{self.target}"


class Owner(BaseModel):
    """Who answers questions about the post: a named person or team, and how to reach them."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = ""
    contact: str = ""


class Utm(BaseModel):
    """UTM parameters: `$month` in the campaign is replaced; the source of social links is the platform."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    post_source: str = "website"
    post_medium: str = "monthly-post"
    social_medium: str = "social"
    campaign: str = "you-asked-we-did-$month"


class ChecklistPolicy(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    enforce: bool = Field(default=True, description="A failed checklist blocks publication.")
    disabled: tuple[str, ...] = Field(default=(), description=f"Rules not run; of {', '.join(RULES)}.")

    @model_validator(mode="after")
    def _known(self) -> Self:
        unknown = set(self.disabled) - set(RULES)
        if unknown:
            raise ValueError(f"unknown checklist rules {sorted(unknown)}; known: {', '.join(RULES)}")
        return self


class SummaryPolicy(BaseModel):
    """URLs are templates with `$lang` and `$month`; every link in a post gets UTM parameters."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: int = 1
    timezone: str = "Europe/Warsaw"
    languages: tuple[str, ...] = Field(default=("pl", "en"), min_length=1)
    when_nothing_shipped: Literal["planned", "skip"] = Field(
        default="planned", description="planned: post what comes next; skip: no post that month."
    )
    planned_limit: int = Field(default=5, ge=0, le=20)
    thank_by_handle_on: tuple[str, ...] = Field(
        default=("instagram", "x", "telegram"),
        description="Platforms whose handles are public usernames (Facebook gives display names: never shown).",
    )
    max_handles: int = Field(default=10, ge=0, le=50)
    post_url: str = Field(pattern=r"^https://")
    cta_url: str = Field(pattern=r"^https://")
    header_image: str = Field(default="", pattern=r"^(https://.*)?$")
    owner: Owner = Owner()
    utm: Utm = Utm()
    channels: tuple[Channel, ...] = ()
    notify_authors: bool = True
    checklist: ChecklistPolicy = ChecklistPolicy()

    @model_validator(mode="after")
    def _channel_languages(self) -> Self:
        for channel in self.channels:
            if channel.lang not in self.languages:
                raise ValueError(f"channel {channel.key}: language {channel.lang} is not one of {self.languages}")
        return self

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def language_for(self, *preferred: str) -> str:
        """The first of `preferred` the post is written in, else the first post language."""
        return next((lang for lang in preferred if lang in self.languages), self.languages[0])


def load_policy() -> SummaryPolicy:
    """The deployment's policy (REPLYLOOP_DATA_DIR) or the packaged one, validated."""
    return SummaryPolicy.model_validate(load_json(POLICY_FILE))
