"""The ideas use cases wired to AWS: the backlog table, the bus, the ideas policy and the wall clock.

One place for the ideas function, the admin API and the CLI, so that all three run the same thing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypedDict

from replyloop.adapters.event_bus import EventBridgePublisher
from replyloop.adapters.ideas_repository import DynamoIdeasStore
from replyloop.ideas import Backlog, IdeaRecorder, IdeasPolicy, Matcher, load_policy
from replyloop.ideas.ports import IdeasStore, Publisher
from replyloop.settings import IdeasSettings

__all__ = ["aws_backlog", "aws_recorder"]


class _Parts(TypedDict):
    """What both use cases are made of (a TypedDict, so that a type checker checks the `**` calls)."""

    store: IdeasStore
    publisher: Publisher
    matcher: Matcher
    policy: IdeasPolicy
    clock: Callable[[], datetime]


def _parts(settings: IdeasSettings) -> _Parts:
    policy = load_policy()
    return {
        "store": DynamoIdeasStore(settings.ideas_table, timezone=policy.timezone),
        "publisher": EventBridgePublisher(settings.event_bus_name),
        "matcher": Matcher(policy),
        "policy": policy,
        "clock": lambda: datetime.now(UTC),
    }


def aws_backlog(settings: IdeasSettings) -> Backlog:
    """The product team's use cases (list, show, change, merge)."""
    return Backlog(**_parts(settings))


def aws_recorder(settings: IdeasSettings) -> IdeaRecorder:
    """Recording idea comments as ideas or votes."""
    return IdeaRecorder(**_parts(settings))
