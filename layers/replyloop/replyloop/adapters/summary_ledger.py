"""What the monthly summary already did, kept in the ideas table (IDEAS_TABLE) next to the backlog.

Items (pk | sk: attributes), one partition per month, outside every index of the table:

- month state   `SUMMARY#<YYYY-MM>` | `<mode>#MONTH`: `status` (complete, partial, blocked, skipped),
                `details` (JSON), `updated_at`
- watch start   `SUMMARY#WATCH` | `<mode>#SINCE`: `month` of the first daily check (months before are not due)
- a step        `SUMMARY#<YYYY-MM>` | `<mode>#STEP#<key>`: put with `attribute_not_exists` before the
                step is taken (a channel post, an author's thanks, the announcement); `result` (JSON) once
                settled, deleted again when the step failed in a way a retry may fix
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import ClientError

from replyloop.adapters.aws import LazyClient
from replyloop.summary.ports import Claim, MonthState

__all__ = ["DynamoSummaryLedger"]


def _key(month: str, sort: str) -> dict[str, Any]:
    return {"pk": {"S": f"SUMMARY#{month}"}, "sk": {"S": sort}}


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class DynamoSummaryLedger:
    """The summary's MonthLedger port on the ideas table."""

    client = LazyClient("dynamodb")

    def __init__(self, table_name: str, *, client: Any = None) -> None:
        self.table_name = table_name
        self._client = client

    def _get(self, key: dict[str, Any]) -> dict[str, Any] | None:
        return self.client.get_item(TableName=self.table_name, Key=key, ConsistentRead=True).get("Item")

    def state(self, month: str, mode: str) -> MonthState | None:
        item = self._get(_key(month, f"{mode}#MONTH"))
        if item is None:
            return None
        return MonthState(status=item["status"]["S"], details=json.loads(item.get("details", {}).get("S", "{}")))

    def save_state(self, month: str, mode: str, state: MonthState) -> None:
        item = {
            **_key(month, f"{mode}#MONTH"),
            "status": {"S": state.status},
            "details": {"S": json.dumps(state.details, ensure_ascii=False)},
            "updated_at": {"S": _now()},
        }
        self.client.put_item(TableName=self.table_name, Item=item)

    def claim(self, month: str, mode: str, key: str) -> Claim | None:
        item = {**_key(month, f"{mode}#STEP#{key}"), "claimed_at": {"S": _now()}}
        try:
            self.client.put_item(TableName=self.table_name, Item=item, ConditionExpression="attribute_not_exists(pk)")
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise
            earlier = self._get(_key(month, f"{mode}#STEP#{key}")) or {}
            result = earlier.get("result", {}).get("S")
            return Claim(key=key, result=json.loads(result) if result else None)
        return None

    def settle(self, month: str, mode: str, key: str, result: dict[str, Any]) -> None:
        self.client.update_item(
            TableName=self.table_name,
            Key=_key(month, f"{mode}#STEP#{key}"),
            UpdateExpression="SET #result = :result, settled_at = :now",
            ExpressionAttributeNames={"#result": "result"},
            ExpressionAttributeValues={":result": {"S": json.dumps(result, ensure_ascii=False)}, ":now": {"S": _now()}},
        )

    def release(self, month: str, mode: str, key: str) -> None:
        self.client.delete_item(TableName=self.table_name, Key=_key(month, f"{mode}#STEP#{key}"))

    def watching_since(self, mode: str, month: str) -> str:
        key = {"pk": {"S": "SUMMARY#WATCH"}, "sk": {"S": f"{mode}#SINCE"}}
        try:
            self.client.put_item(
                TableName=self.table_name,
                Item={**key, "month": {"S": month}, "created_at": {"S": _now()}},
                ConditionExpression="attribute_not_exists(pk)",
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise
            return str((self._get(key) or {}).get("month", {}).get("S", month))
        return month
