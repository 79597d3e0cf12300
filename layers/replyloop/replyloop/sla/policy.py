"""The SLA policy as data (`sla/policy.json`): targets per label, tiers, auto-reply rules and market calendars."""

from __future__ import annotations

from datetime import date, time
from functools import cached_property
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from replyloop.data import load_json
from replyloop.sla.calendar import Calendar, Hours

__all__ = ["ALWAYS", "POLICY_FILE", "LabelPolicy", "MarketCalendar", "SlaPolicy", "TierPolicy", "load_policy"]

POLICY_FILE = "sla/policy.json"
ALWAYS = "always"  # the calendar name of labels answered around the clock
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def _clock(value: str) -> time | None:
    """'08:00' -> 08:00; '24:00' -> None (midnight at the end of the day)."""
    if value == "24:00":
        return None
    return time.fromisoformat(value)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class MarketCalendar(_Frozen):
    """Where and when a market's team works."""

    time_zone: str = "Europe/Warsaw"
    hours: dict[Weekday, list[tuple[str, str]]] = Field(description="Per weekday, [opens, closes] pairs, 'HH:MM'.")
    holidays_country: str | None = Field(default="PL", description="ISO code for the `holidays` package; null: none.")
    holidays_subdivision: str | None = None
    closed_days: list[date] = Field(default_factory=list, description="Extra days off (e.g. a company holiday).")

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {value!r}") from error
        return value

    @field_validator("hours")
    @classmethod
    def _ordered(cls, value: dict[str, list[tuple[str, str]]]) -> dict[str, list[tuple[str, str]]]:
        for weekday, pairs in value.items():
            previous: time | None = time(0)
            for opens, closes in pairs:
                start, end = _clock(opens), _clock(closes)
                if start is None or previous is None or start < previous or (end is not None and end <= start):
                    raise ValueError(f"{weekday}: intervals must be ordered, 'HH:MM' and not overlap")
                previous = end
        return value

    def build(self, name: str) -> Calendar:
        import holidays  # imported on first use: only the SLA functions need it

        public = (
            holidays.country_holidays(self.holidays_country, subdiv=self.holidays_subdivision)
            if self.holidays_country
            else {}
        )
        extra = frozenset(self.closed_days)
        hours: dict[int, Hours] = {
            WEEKDAYS.index(weekday): tuple((_clock(opens) or time(0), _clock(closes)) for opens, closes in pairs)
            for weekday, pairs in self.hours.items()
        }
        return Calendar(ZoneInfo(self.time_zone), hours, lambda day: day in extra or day in public, name=name)


class TierPolicy(_Frozen):
    """A point on the way to the deadline: a warning, or an escalation to a team."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_]{0,30}$")
    kind: Literal["warning", "escalation"]
    share: float = Field(gt=0, description="Of the target: 0.75 warns at 75 %, 2.0 escalates at twice the target.")
    team: str | None = Field(default=None, description="Who is notified; null: the label's (or classifier's) team.")


class LabelPolicy(_Frozen):
    """First-response rules of one label."""

    target: float = Field(gt=0, description="First-response target, in the policy's unit of working time.")
    around_the_clock: bool = False
    market: str | None = Field(default=None, description="Calendar to use; null: the policy's default market.")
    team: str | None = Field(default=None, description="Escalation team; null: the classifier's team.")
    auto_reply_counts: bool = Field(default=False, description="A FAQ auto-reply is a first response.")
    tiers: list[TierPolicy] | None = Field(default=None, description="Replaces the policy's tiers for this label.")


class SlaPolicy(_Frozen):
    """The whole policy; labels without an entry use `default` (or open no case when there is none)."""

    version: int = 1
    unit: Literal["minutes", "seconds"] = Field(
        default="minutes", description="Unit of every target; `seconds` compresses the clock (the demo)."
    )
    default_market: str
    markets: dict[str, MarketCalendar]
    tiers: list[TierPolicy]
    labels: dict[str, LabelPolicy]
    auto_reply_outcomes: list[Literal["done", "dry-run"]] = Field(
        default=["done"], description="ReactionPerformed outcomes of a faq_answer that count as a response."
    )

    @model_validator(mode="after")
    def _consistent(self) -> SlaPolicy:
        if self.default_market not in self.markets or ALWAYS in self.markets:
            raise ValueError(f"default_market must name a market; {ALWAYS!r} is reserved")
        for label, rules in self.labels.items():
            if rules.market is not None and rules.market not in self.markets:
                raise ValueError(f"{label}: unknown market {rules.market!r}")
            _check_tiers(rules.tiers if rules.tiers is not None else self.tiers, label)
        _check_tiers(self.tiers, "tiers")
        return self

    @property
    def unit_seconds(self) -> int:
        return 60 if self.unit == "minutes" else 1

    def for_label(self, label: str) -> LabelPolicy | None:
        return self.labels.get(label) or self.labels.get("default")

    def tiers_for(self, label: str) -> list[TierPolicy]:
        rules = self.for_label(label)
        return rules.tiers if rules is not None and rules.tiers is not None else self.tiers

    def calendar_name(self, rules: LabelPolicy) -> str:
        return ALWAYS if rules.around_the_clock else (rules.market or self.default_market)

    def calendar(self, name: str) -> Calendar:
        """A market's calendar by name (or the around-the-clock one); built once per policy."""
        if name == ALWAYS:
            return Calendar.around_the_clock()
        if name not in self._calendars:
            self._calendars[name] = self.markets[name].build(name)
        return self._calendars[name]

    @cached_property
    def _calendars(self) -> dict[str, Calendar]:
        return {}


def _check_tiers(tiers: list[TierPolicy], where: str) -> None:
    shares = [tier.share for tier in tiers]
    names = [tier.name for tier in tiers]
    if not tiers or shares != sorted(set(shares)) or len(set(names)) != len(names):
        raise ValueError(f"{where}: tiers need unique names and strictly increasing shares")
    if not any(tier.kind == "escalation" for tier in tiers):
        raise ValueError(f"{where}: at least one escalation tier is needed")


def load_policy() -> SlaPolicy:
    """The deployment's policy file (REPLYLOOP_DATA_DIR) or the packaged one, validated."""
    return SlaPolicy.model_validate(load_json(POLICY_FILE))
