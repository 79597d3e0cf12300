"""The cases table (CASES_TABLE): one item per case, every state change a conditional write.

Item (partition key `pk` = '<platform>#<comment_id>', TTL attribute `expires_at`): the opening facts
(ids, label, team, `opened_at`, `due_at`, `target_seconds`, `calendar`, `tiers`), `notified` (a map
tier -> time that the SLA state machine fills, each tier once), `announced`, and the closure:
`answered_at`/`answered_by`/`reply_id` with `first_response_seconds`, `first_response_working_seconds`
and `within_sla`, or `withdrawn_at`; then `closure_announced`. Timestamps are
ISO 8601 UTC strings with `Z`, so they sort and the state machine reads them as they are.
Index `by-parent` (sparse: replies only) finds the cases among the replies to a comment.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from replyloop.adapters.aws import LazyClient
from replyloop.models.cases import AnsweredBy, CaseAnswered
from replyloop.sla.cases import Case, case_key

__all__ = ["PARENT_INDEX", "DynamoCaseStore"]

PARENT_INDEX = "by-parent"
# Cases stay for the KPI reports of the year; DynamoDB's TTL removes them after.
RETENTION = timedelta(days=400)
_OPEN = "attribute_exists(pk) AND attribute_not_exists(answered_at) AND attribute_not_exists(withdrawn_at)"
_TIMESTAMPS = ("opened_at", "due_at", "answered_at", "withdrawn_at")
_FACTS = ("platform", "comment_id", "thread_id", "label", "priority", "team", "lang", "calendar")
# Every string attribute a Case is read from (the closure's are written by `answer`).
_STRINGS = (*_FACTS, *_TIMESTAMPS, "parent_id", "permalink", "answered_by", "reply_id")


def _iso(value: datetime) -> str:
    """As the event models write timestamps: whole seconds, UTC, `Z`."""
    return value.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _is_conditional_failure(error: ClientError) -> bool:
    return error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException"


def _to_item(case: Case) -> dict[str, Any]:
    data = case.model_dump(mode="json")
    item: dict[str, Any] = {
        "pk": {"S": case.key},
        "tiers": {"S": json.dumps(data["tiers"], separators=(",", ":"))},
        "notified": {"M": {}},
        "announced": {"BOOL": False},
        "target_seconds": {"N": str(case.target_seconds)},
        "auto_reply_counts": {"BOOL": case.auto_reply_counts},
        "expires_at": {"N": str(int((case.opened_at + RETENTION).timestamp()))},
    }
    for name in (*_FACTS, *_TIMESTAMPS):
        if data.get(name) is not None:
            item[name] = {"S": str(data[name])}
    if case.permalink:
        item["permalink"] = {"S": case.permalink}
    if case.parent_id:
        item["parent_id"] = {"S": case.parent_id}
        item["parent_key"] = {"S": case_key(case.platform, case.parent_id)}
    return item


def _from_item(item: dict[str, Any]) -> Case:
    def text(name: str) -> str | None:
        return item[name]["S"] if name in item else None

    return Case.model_validate(
        {
            "key": item["pk"]["S"],
            **{name: text(name) for name in _STRINGS},
            "target_seconds": int(item["target_seconds"]["N"]),
            "auto_reply_counts": item["auto_reply_counts"]["BOOL"],
            "tiers": json.loads(item["tiers"]["S"]),
            "notified": {name: value["S"] for name, value in item.get("notified", {}).get("M", {}).items()},
            "announced": item.get("announced", {}).get("BOOL", False),
            "closure_announced": item.get("closure_announced", {}).get("BOOL", False),
        }
    )


class DynamoCaseStore:
    """The CaseStore port on DynamoDB; reads are strongly consistent (a reply may follow its case closely)."""

    client = LazyClient("dynamodb")

    def __init__(self, table_name: str, *, client: Any = None) -> None:
        self.table_name = table_name
        self._client = client

    def _key(self, key: str) -> dict[str, Any]:
        return {"pk": {"S": key}}

    def create(self, case: Case) -> bool:
        try:
            self.client.put_item(
                TableName=self.table_name, Item=_to_item(case), ConditionExpression="attribute_not_exists(pk)"
            )
        except ClientError as error:
            if _is_conditional_failure(error):
                return False
            raise
        return True

    def get(self, key: str) -> Case | None:
        item = self.client.get_item(TableName=self.table_name, Key=self._key(key), ConsistentRead=True).get("Item")
        return _from_item(item) if item else None

    def find_answered_by(self, platform: str, in_reply_to: str, at: datetime) -> Case | None:
        own = self.get(case_key(platform, in_reply_to))
        if own is not None:
            return own if own.is_open else None
        # GSIs are eventually consistent: a reply seconds after a nested comment may miss its case (then: no case).
        pages = self.client.get_paginator("query").paginate(
            TableName=self.table_name,
            IndexName=PARENT_INDEX,
            KeyConditionExpression="parent_key = :parent AND opened_at <= :at",
            FilterExpression="attribute_not_exists(answered_at) AND attribute_not_exists(withdrawn_at)",
            ExpressionAttributeValues={":parent": {"S": case_key(platform, in_reply_to)}, ":at": {"S": _iso(at)}},
        )
        for page in pages:
            for item in page.get("Items", []):
                return self.get(item["pk"]["S"])
        return None

    def mark_announced(self, key: str, *, closure: bool = False) -> None:
        self.client.update_item(
            TableName=self.table_name,
            Key=self._key(key),
            UpdateExpression=f"SET {'closure_announced' if closure else 'announced'} = :true",
            ConditionExpression="attribute_exists(pk)",
            ExpressionAttributeValues={":true": {"BOOL": True}},
        )

    def _close(self, key: str, update: str, values: dict[str, Any]) -> Case | None:
        try:
            item = self.client.update_item(
                TableName=self.table_name,
                Key=self._key(key),
                UpdateExpression=update,
                ConditionExpression=_OPEN,
                ExpressionAttributeValues=values,
                ReturnValues="ALL_NEW",
            )["Attributes"]
        except ClientError as error:
            if _is_conditional_failure(error):
                return None
            raise
        return _from_item(item)

    def answer(
        self, key: str, *, at: datetime, by: AnsweredBy, reply_id: str | None, timing: CaseAnswered
    ) -> Case | None:
        values = {
            ":at": {"S": _iso(at)},
            ":by": {"S": by},
            ":wall": {"N": str(timing.first_response_seconds)},
            ":working": {"N": str(timing.first_response_working_seconds)},
            ":within": {"BOOL": timing.within_sla},
        }
        update = (
            "SET answered_at = :at, answered_by = :by, first_response_seconds = :wall,"
            " first_response_working_seconds = :working, within_sla = :within"
        )
        if reply_id:
            update += ", reply_id = :reply"
            values[":reply"] = {"S": reply_id}
        return self._close(key, update, values)

    def withdraw(self, key: str, at: datetime) -> Case | None:
        return self._close(key, "SET withdrawn_at = :at", {":at": {"S": _iso(at)}})
