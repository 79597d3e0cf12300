"""Low-level operations on the ideas table: consistent reads, paged queries, conditional writes, transactions."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

from botocore.exceptions import ClientError

from replyloop.adapters import ideas_items as items
from replyloop.adapters.aws import LazyClient

__all__ = ["IdeasTable", "cancellation_codes", "cond", "failed"]


def cancellation_codes(error: ClientError) -> list[str] | None:
    """Per-item codes of a cancelled transaction ('None', 'ConditionalCheckFailed'...), or None for other errors."""
    if error.response.get("Error", {}).get("Code") != "TransactionCanceledException":
        return None
    return [str(reason.get("Code", "None")) for reason in error.response.get("CancellationReasons", [])]


def cond(expression: str) -> dict[str, str]:
    return {"ConditionExpression": expression}


def failed(codes: list[str], index: int) -> bool:
    """Did item `index` of a cancelled transaction fail its condition?"""
    return index < len(codes) and codes[index] == "ConditionalCheckFailed"


class IdeasTable:
    """The table, its client (made on first use) and the brand's time zone."""

    client = LazyClient("dynamodb")

    def __init__(self, table_name: str, *, client: Any = None, timezone: str = "Europe/Warsaw") -> None:
        self.table_name = table_name
        self._client = client
        self.zone = ZoneInfo(timezone)

    def target_of(self, key: dict[str, Any]) -> dict[str, Any]:
        return {"TableName": self.table_name, "Key": key}

    def _get(self, key: dict[str, Any]) -> dict[str, Any] | None:
        return self.client.get_item(TableName=self.table_name, Key=key, ConsistentRead=True).get("Item")

    def _query(self, **request: Any) -> Iterator[dict[str, Any]]:
        request["TableName"] = self.table_name
        while True:
            response = self.client.query(**request)
            yield from response.get("Items", [])
            if "LastEvaluatedKey" not in response:
                return
            request["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def _partition(self, idea_id: str, prefix: str) -> Iterator[dict[str, Any]]:
        return self._query(
            KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
            ExpressionAttributeValues={":pk": {"S": f"IDEA#{idea_id}"}, ":prefix": {"S": prefix}},
            ConsistentRead=True,
        )

    def put_op(self, item: dict[str, Any], *, new: bool = False) -> dict[str, Any]:
        put = {"TableName": self.table_name, "Item": item}
        return {"Put": put | (cond("attribute_not_exists(pk)") if new else {})}

    def update_op(
        self,
        key: dict[str, Any],
        expression: str,
        condition: str | None,
        values: dict[str, Any],
        names: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        update = {**self.target_of(key), "UpdateExpression": expression}
        update["ExpressionAttributeValues"] = items.dump(values)
        if condition:
            update["ConditionExpression"] = condition
        if names:
            update["ExpressionAttributeNames"] = names
        return {"Update": update}

    def transact(self, writes: list[dict[str, Any]]) -> list[str] | None:
        """None when written; the per-item cancellation codes when a condition (or a conflict) stopped it."""
        try:
            self.client.transact_write_items(TransactItems=writes)
        except ClientError as error:
            codes = cancellation_codes(error)
            if codes is None:
                raise
            return codes
        return None
