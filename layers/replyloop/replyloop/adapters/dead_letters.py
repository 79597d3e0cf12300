"""The reactions dead-letter queue (REACTIONS_DLQ_URL): failed platform calls and unpublished events, to redrive."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from replyloop.adapters.aws import LazyClient
from replyloop.models.events import BusEvent
from replyloop.reactions.actions import FailedAction

__all__ = ["SqsDeadLetters"]


class SqsDeadLetters:
    """The DeadLetters port on SQS; a failed send raises, so the invocation fails and EventBridge retries it."""

    client = LazyClient("sqs")

    def __init__(self, queue_url: str, *, client: Any = None) -> None:
        self._queue_url = queue_url
        self._client = client

    def _send(self, kind: str, body: str, attributes: dict[str, str]) -> None:
        # Attributes let an operator (or a redrive tool) filter without parsing bodies.
        tags = {"kind": kind, **attributes}
        self.client.send_message(
            QueueUrl=self._queue_url,
            MessageBody=body,
            MessageAttributes={name: {"DataType": "String", "StringValue": value} for name, value in tags.items()},
        )

    def failed_action(self, failed: FailedAction) -> None:
        request = failed.request
        self._send(
            "failed-action",
            failed.model_dump_json(),
            {"platform": request.target.platform, "action": request.action, "retryable": str(failed.retryable).lower()},
        )

    def unpublished(self, events: Sequence[BusEvent]) -> None:
        for event in events:
            body = {
                "version": 1,
                "source": event.source,
                "detail_type": event.detail_type,
                "detail": json.loads(event.detail.model_dump_json()),
                "dedup_key": event.dedup_key,
            }
            self._send("unpublished-event", json.dumps(body, ensure_ascii=False), {"detail_type": event.detail_type})
