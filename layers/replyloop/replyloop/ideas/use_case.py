"""What the ideas use cases (the recorder, the backlog) share: the store, the bus, the matcher, policy, a clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from replyloop.ideas.policy import IdeasPolicy
from replyloop.ideas.ports import IdeasStore, Publisher
from replyloop.ideas.similarity import Matcher

__all__ = ["IdeasUseCase"]


class IdeasUseCase:
    def __init__(
        self,
        store: IdeasStore,
        publisher: Publisher,
        matcher: Matcher,
        policy: IdeasPolicy,
        clock: Callable[[], datetime],
    ) -> None:
        self._store = store
        self._publisher = publisher
        self._matcher = matcher
        self._policy = policy
        self._clock = clock
