"""The ideas use cases wired to AWS: the backlog table, the bus, the ideas policy and the wall clock.

One place for the ideas function, the admin API and the CLI, so that all three run the same thing.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from replyloop.adapters.event_bus import EventBridgePublisher
from replyloop.adapters.ideas_repository import DynamoIdeasStore
from replyloop.ideas import Backlog, IdeaRecorder, Matcher, load_policy
from replyloop.settings import IdeasSettings

__all__ = ["aws_backlog", "aws_recorder"]


def _parts(settings: IdeasSettings) -> dict[str, Any]:
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
