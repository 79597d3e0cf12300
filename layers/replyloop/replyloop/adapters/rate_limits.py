"""Reply counters and slow-mode state in DynamoDB (RATE_LIMIT_TABLE): conditional writes, items expire by TTL.

Items (partition key `pk`, TTL attribute `expires_at`):
- `<limit>#<platform>#<author or thread>#<window start>`: `hits` in one fixed window;
- `thread#<platform>#<thread id>`: `toxic_at` (recent toxic comments, epoch seconds),
  `slow_until`, and `reminder_posted` while a slow-mode period lasts.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from replyloop.adapters.aws import LazyClient
from replyloop.reactions.ports import Slot

__all__ = ["DynamoRateLimiter", "DynamoSlowModes"]

# Counters outlive their window a little, so a clock skew between containers never resets one early.
GRACE_SECONDS = 300
# A thread's state is kept this long after its last toxic comment.
THREAD_RETENTION_SECONDS = 24 * 3600
# The toxic timestamps list is trimmed to the window when it grows past this.
MAX_TOXIC_TIMESTAMPS = 50


def _epoch(now: datetime) -> int:
    return int(now.timestamp())


def _error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


class _Table:
    client = LazyClient("dynamodb")

    def __init__(self, table_name: str, client: Any = None) -> None:
        self.table_name = table_name
        self._client = client


class DynamoRateLimiter(_Table):
    """The RateLimiter port: fixed-window counters taken all together in one transaction (or one update)."""

    def _update(self, slot: Slot, now: datetime) -> dict[str, Any]:
        epoch = _epoch(now)
        window_start = epoch - epoch % slot.window_seconds
        return {
            "TableName": self.table_name,
            "Key": {"pk": {"S": f"{slot.key}#{window_start}"}},
            "UpdateExpression": "ADD hits :one SET expires_at = if_not_exists(expires_at, :expires)",
            "ConditionExpression": "attribute_not_exists(hits) OR hits < :limit",
            "ExpressionAttributeValues": {
                ":one": {"N": "1"},
                ":limit": {"N": str(slot.limit)},
                ":expires": {"N": str(window_start + slot.window_seconds + GRACE_SECONDS)},
            },
        }

    def acquire(self, slots: Sequence[Slot], now: datetime) -> Slot | None:
        if not slots:
            return None
        updates = [self._update(slot, now) for slot in slots]
        if len(updates) == 1:
            try:
                self.client.update_item(**updates[0])
            except ClientError as error:
                if _error_code(error) == "ConditionalCheckFailedException":
                    return slots[0]
                raise
            return None
        try:
            self.client.transact_write_items(TransactItems=[{"Update": update} for update in updates])
        except ClientError as error:
            if _error_code(error) != "TransactionCanceledException":
                raise
            reasons = error.response.get("CancellationReasons", [])
            for slot, reason in zip(slots, reasons, strict=False):
                if reason.get("Code") == "ConditionalCheckFailed":
                    return slot
            raise
        return None


class DynamoSlowModes(_Table):
    """The SlowModeStore port: one item per thread."""

    def _key(self, thread: str) -> dict[str, Any]:
        return {"pk": {"S": f"thread#{thread}"}}

    def record_toxic(self, thread: str, now: datetime, window_seconds: int) -> int:
        epoch = _epoch(now)
        item = self.client.update_item(
            TableName=self.table_name,
            Key=self._key(thread),
            UpdateExpression="SET toxic_at = list_append(if_not_exists(toxic_at, :empty), :now), expires_at = :expires",
            ExpressionAttributeValues={
                ":empty": {"L": []},
                ":now": {"L": [{"N": str(epoch)}]},
                ":expires": {"N": str(epoch + THREAD_RETENTION_SECONDS)},
            },
            ReturnValues="ALL_NEW",
        )["Attributes"]
        stamps = [int(value["N"]) for value in item["toxic_at"]["L"]]
        recent = [stamp for stamp in stamps if stamp > epoch - window_seconds]
        if len(stamps) > MAX_TOXIC_TIMESTAMPS:
            self._trim(thread, recent, len(stamps))
        return len(recent)

    def _trim(self, thread: str, recent: list[int], seen: int) -> None:
        """Keep only the window; skipped if another comment was appended meanwhile (it trims next time)."""
        try:
            self.client.update_item(
                TableName=self.table_name,
                Key=self._key(thread),
                UpdateExpression="SET toxic_at = :recent",
                ConditionExpression="size(toxic_at) = :seen",
                ExpressionAttributeValues={
                    ":recent": {"L": [{"N": str(stamp)} for stamp in recent]},
                    ":seen": {"N": str(seen)},
                },
            )
        except ClientError as error:
            if _error_code(error) != "ConditionalCheckFailedException":
                raise

    def start(self, thread: str, now: datetime, duration_seconds: int) -> bool:
        epoch = _epoch(now)
        values = {
            ":now": {"N": str(epoch)},
            ":until": {"N": str(epoch + duration_seconds)},
            ":expires": {"N": str(epoch + max(duration_seconds, THREAD_RETENTION_SECONDS))},
        }
        try:
            # A new period: the reminder flag of the previous one goes.
            self.client.update_item(
                TableName=self.table_name,
                Key=self._key(thread),
                UpdateExpression="SET slow_until = :until, slow_since = :now, expires_at = :expires "
                "REMOVE reminder_posted",
                ConditionExpression="attribute_not_exists(slow_until) OR slow_until <= :now",
                ExpressionAttributeValues=values,
            )
            return True
        except ClientError as error:
            if _error_code(error) != "ConditionalCheckFailedException":
                raise
        try:
            # Still heated: the running period is extended, its reminder stays posted.
            self.client.update_item(
                TableName=self.table_name,
                Key=self._key(thread),
                UpdateExpression="SET slow_until = :until, expires_at = :expires",
                ConditionExpression="slow_until > :now AND slow_until < :until",
                ExpressionAttributeValues=values,
            )
        except ClientError as error:
            if _error_code(error) != "ConditionalCheckFailedException":
                raise
        return False

    def claim_reminder(self, thread: str, now: datetime) -> bool:
        try:
            self.client.update_item(
                TableName=self.table_name,
                Key=self._key(thread),
                UpdateExpression="SET reminder_posted = :true",
                ConditionExpression="slow_until > :now AND attribute_not_exists(reminder_posted)",
                ExpressionAttributeValues={":true": {"BOOL": True}, ":now": {"N": str(_epoch(now))}},
            )
        except ClientError as error:
            if _error_code(error) == "ConditionalCheckFailedException":
                return False
            raise
        return True
