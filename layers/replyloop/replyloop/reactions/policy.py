"""The reaction policy as data (reactions/policy.json): an action per label, frequency limits, slow mode, stop words."""

from __future__ import annotations

from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from replyloop.data import load_json
from replyloop.models.classification import LABELS, Label
from replyloop.models.events import ReactionAction

__all__ = ["DEFERRED", "REPLY_ACTIONS", "FaqPolicy", "Policy", "PolicyAction", "RateLimit", "SlowMode", "load_policy"]

POLICY_FILE = "reactions/policy.json"
# An idea is thanked once the ideas function has given it a backlog number (IdeaRecorded), not on CommentClassified.
DEFERRED = "deferred"
PolicyAction = Literal[ReactionAction, "deferred"]
# Labels whose reaction can wait for a later event that says more about the comment.
_DEFERRABLE: frozenset[Label] = frozenset({"idea"})
# Actions that post something public under the comment (hide does not; the reminder goes to the thread).
REPLY_ACTIONS: frozenset[ReactionAction] = frozenset({"faq_answer", "help_route", "idea_thanks", "praise_thanks"})
# Hiding is moderation of abuse; hiding criticism or a question would be censorship.
_HIDEABLE: frozenset[Label] = frozenset({"toxic", "spam"})
# Someone at risk gets a help route or a person, never an FAQ answer or a thank-you.
_SENSITIVE_ACTIONS: frozenset[ReactionAction] = frozenset({"help_route", "none"})


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RateLimit(_Strict):
    """At most `limit` automatic replies per `scope` (one author, or one thread) in a fixed window."""

    name: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    scope: Literal["author", "thread"]
    window_seconds: int = Field(gt=0)
    limit: int = Field(ge=0)
    actions: frozenset[ReactionAction]


class SlowMode(_Strict):
    """`toxic_threshold` toxic comments in one thread within `window_seconds` start slow mode.

    While it lasts, toxic comments are hidden as always and one rules reminder is posted to the thread.
    """

    enabled: bool = True
    toxic_threshold: int = Field(default=3, ge=1)
    window_seconds: int = Field(default=600, gt=0)
    duration_seconds: int = Field(default=1800, gt=0)
    rules_reminder: bool = True


class FaqPolicy(_Strict):
    threshold: float = Field(default=0.55, gt=0.0, le=1.0, description="No answer below this score.")


class Policy(_Strict):
    version: int = 1
    default_lang: str = Field(pattern=r"^[a-z]{2}$")
    languages: tuple[str, ...] = Field(min_length=1, description="Languages we reply in.")
    actions: dict[Label, PolicyAction]
    faq: FaqPolicy = FaqPolicy()
    rate_limits: tuple[RateLimit, ...] = ()
    slow_mode: SlowMode = SlowMode()
    stop_words: dict[str, dict[str, tuple[str, ...]]] = Field(
        default_factory=dict, description="Language -> group (legal, press...) -> words or phrases; `*` = prefix."
    )

    @model_validator(mode="after")
    def _safe(self) -> Self:
        missing = set(LABELS) - set(self.actions)
        if missing:
            raise ValueError(f"no action for labels: {sorted(missing)}")
        for label, action in self.actions.items():
            if action == "rules_reminder":
                raise ValueError(f"{label}: rules_reminder is posted by slow mode, not per comment")
            if action == "hide" and label not in _HIDEABLE:
                raise ValueError(f"{label}: only toxic and spam comments may be hidden")
            if action == DEFERRED and label not in _DEFERRABLE:
                raise ValueError(f"{label}: only idea thanks can be deferred (to IdeaRecorded)")
        if self.actions["sensitive"] not in _SENSITIVE_ACTIONS:
            raise ValueError("sensitive: only help_route or none (never an FAQ or marketing reply)")
        if self.default_lang not in self.languages:
            raise ValueError(f"default_lang {self.default_lang!r} is not one of {self.languages}")
        names = [limit.name for limit in self.rate_limits]
        if len(names) != len(set(names)):
            raise ValueError("rate limit names must be unique")
        return self

    def reply_lang(self, lang: str) -> str:
        """The comment's language when we reply in it, else the deployment's default."""
        return lang if lang in self.languages else self.default_lang

    @property
    def ideas_deferred(self) -> bool:
        """Ideas are thanked on IdeaRecorded, with their backlog number."""
        return self.actions["idea"] == DEFERRED

    def limits_for(self, action: ReactionAction) -> list[RateLimit]:
        return [limit for limit in self.rate_limits if action in limit.actions]


def load_policy() -> Policy:
    """The deployment's policy (REPLYLOOP_DATA_DIR) or the packaged one, validated."""
    return Policy.model_validate(load_json(POLICY_FILE))
