"""In-memory fakes of the domain's ports (the first choice of test double)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from replyloop.models.events import BusEvent


@dataclass
class MemoryLedger:
    done: set[str] = field(default_factory=set)
    in_progress: set[str] = field(default_factory=set)
    released: list[str] = field(default_factory=list)

    def claim(self, key: str) -> bool:
        if key in self.done or key in self.in_progress:
            return False
        self.in_progress.add(key)
        return True

    def complete(self, key: str) -> None:
        self.in_progress.discard(key)
        self.done.add(key)

    def release(self, key: str) -> None:
        self.in_progress.discard(key)
        self.released.append(key)


@dataclass
class MemoryPublisher:
    """Records what was put; `fail_keys` entries fail every time, `explode` raises instead."""

    put: list[BusEvent] = field(default_factory=list)
    fail_keys: set[str] = field(default_factory=set)
    explode: Exception | None = None

    def publish(self, events: Sequence[BusEvent]) -> list[BusEvent]:
        if self.explode is not None:
            raise self.explode
        failed = [event for event in events if event.dedup_key in self.fail_keys]
        self.put.extend(event for event in events if event.dedup_key not in self.fail_keys)
        return failed
