"""What really reached the bus: the tap queue's events, kept in memory for reports and tests."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from typing import Any

from infra.local.clients import Clients
from infra.local.payloads import complete_event

__all__ = ["Tap"]

EventPredicate = Callable[[list[dict[str, Any]]], bool]


class Tap:
    """Collects tap-queue messages as complete EventBridge events; safe to read from any thread."""

    def __init__(self, clients: Clients, queue_url: str, *, account_id: str) -> None:
        self.clients, self.queue_url, self.account_id = clients, queue_url, account_id
        self._events: list[dict[str, Any]] = []
        self._changed = threading.Condition()

    def handle(self, messages: list[dict[str, Any]]) -> None:
        events = [
            complete_event(json.loads(m["Body"]), account_id=self.account_id, region=self.clients.region)
            for m in messages
        ]
        with self._changed:
            self._events.extend(events)
            self._changed.notify_all()
        entries = [{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)]
        self.clients.sqs.delete_message_batch(QueueUrl=self.queue_url, Entries=entries)

    def events(self) -> list[dict[str, Any]]:
        with self._changed:
            return list(self._events)

    def wait(self, predicate: EventPredicate, timeout: float) -> list[dict[str, Any]]:
        """Block until `predicate(events so far)` holds; raise TimeoutError with what was seen."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not predicate(self._events):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = [e.get("detail-type") for e in self._events]
                    raise TimeoutError(f"bus events after {timeout:.1f} s did not match; saw {seen}")
                self._changed.wait(remaining)
            return list(self._events)
