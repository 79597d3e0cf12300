"""Putting events on the EventBridge bus: batches of at most 10, retrying only the entries that failed."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from typing import Any

from replyloop.adapters.aws import LazyClient
from replyloop.models.events import BusEvent

__all__ = ["EventBridgePublisher"]

MAX_ENTRIES = 10
MAX_REQUEST_BYTES = 256 * 1024


def _entry_size(entry: dict[str, Any]) -> int:
    # EventBridge counts source, detail-type and detail in UTF-8, plus 14 bytes for the time.
    return 14 + sum(len(entry[key].encode("utf-8")) for key in ("Source", "DetailType", "Detail"))


def _batches(entries: list[dict[str, Any]]) -> Iterator[list[int]]:
    """Indexes of entries grouped so that no request has more than 10 entries or 256 KiB."""
    batch: list[int] = []
    size = 0
    for index, entry in enumerate(entries):
        entry_size = _entry_size(entry)
        if batch and (len(batch) == MAX_ENTRIES or size + entry_size > MAX_REQUEST_BYTES):
            yield batch
            batch, size = [], 0
        batch.append(index)
        size += entry_size
    if batch:
        yield batch


class EventBridgePublisher:
    """The domain's Publisher port on EventBridge."""

    client = LazyClient("events")

    def __init__(self, bus_name: str, *, client: Any = None, attempts: int = 3, backoff_seconds: float = 0.1) -> None:
        self._bus_name = bus_name
        self._client = client
        self._attempts = attempts
        self._backoff = backoff_seconds

    def publish(self, events: Sequence[BusEvent]) -> list[BusEvent]:
        """Put every event; return those still failing after `attempts` tries (the caller then fails)."""
        entries = [
            {
                "Source": event.source,
                "DetailType": event.detail_type,
                "Detail": event.detail.model_dump_json(),
                "EventBusName": self._bus_name,
            }
            for event in events
        ]
        failed: list[BusEvent] = []
        for batch in _batches(entries):
            pending = batch
            for attempt in range(self._attempts):
                if attempt:
                    time.sleep(self._backoff * 2 ** (attempt - 1))
                response = self.client.put_events(Entries=[entries[i] for i in pending])
                if not response.get("FailedEntryCount"):
                    pending = []
                    break
                # Results come back in request order; an ErrorCode marks an entry to try again.
                pending = [
                    index for index, result in zip(pending, response["Entries"], strict=True) if result.get("ErrorCode")
                ]
            failed.extend(events[i] for i in pending)
        return failed
