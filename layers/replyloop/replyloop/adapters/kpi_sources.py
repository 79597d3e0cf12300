"""The cases and ideas tables read as KPI records (the activity table reads itself: `activity_table`).

Cases are found with a Scan filtered on `opened_at`: the cases table is keyed by case and has no date
index, and a month's report reads it once (a year of cases at TTL 400 days is a few MB: cents of read
units, seconds of paging). If reports ever run often on a large table, add a GSI on the opening month.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from replyloop.adapters.aws import LazyClient
from replyloop.adapters.ideas_repository import DynamoIdeasStore
from replyloop.kpis.records import CaseRecord, IdeaRecord

__all__ = ["DynamoCaseRecords", "IdeaRecords", "case_record"]

_CASE_ATTRIBUTES = (
    "opened_at",
    "due_at",
    "team",
    "label",
    "answered_at",
    "withdrawn_at",
    "first_response_seconds",
    "first_response_working_seconds",
    "within_sla",
    "tiers",
    "notified",
)


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _when(item: dict[str, Any], name: str) -> datetime | None:
    return datetime.fromisoformat(item[name]["S"].replace("Z", "+00:00")) if name in item else None


def _number(item: dict[str, Any], name: str) -> int | None:
    return int(item[name]["N"]) if name in item else None


def case_record(item: dict[str, Any]) -> CaseRecord:
    """The cases table's item (see adapters/cases_table.py) as a KPI record."""
    notified = item.get("notified", {}).get("M", {})
    tiers = json.loads(item["tiers"]["S"]) if "tiers" in item else []
    opened, due = _when(item, "opened_at"), _when(item, "due_at")
    if opened is None or due is None:
        raise ValueError(f"case item without opened_at/due_at: {item.get('pk')}")
    return CaseRecord(
        opened_at=opened,
        due_at=due,
        team=item.get("team", {}).get("S", "unknown"),
        label=item.get("label", {}).get("S", "other"),
        answered_at=_when(item, "answered_at"),
        withdrawn_at=_when(item, "withdrawn_at"),
        first_response_seconds=_number(item, "first_response_seconds"),
        first_response_working_seconds=_number(item, "first_response_working_seconds"),
        within_sla=item["within_sla"]["BOOL"] if "within_sla" in item else None,
        escalation_teams=tuple(
            str(tier["team"]) for tier in tiers if tier.get("kind") == "escalation" and tier.get("name") in notified
        ),
    )


class DynamoCaseRecords:
    """CaseSource: a filtered, projected, paginated Scan of the cases table."""

    client = LazyClient("dynamodb")

    def __init__(self, table_name: str, *, client: Any = None) -> None:
        self.table_name = table_name
        self._client = client

    def opened_between(self, start: datetime, end: datetime) -> Iterator[CaseRecord]:
        names = {f"#a{i}": name for i, name in enumerate(("pk", *_CASE_ATTRIBUTES))}
        request: dict[str, Any] = {
            "TableName": self.table_name,
            "FilterExpression": "#a1 >= :start AND #a1 < :end",
            "ProjectionExpression": ", ".join(names),
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": {":start": {"S": _iso(start)}, ":end": {"S": _iso(end)}},
        }
        while True:
            response = self.client.scan(**request)
            for item in response.get("Items", []):
                yield case_record(item)
            if "LastEvaluatedKey" not in response:
                return
            request["ExclusiveStartKey"] = response["LastEvaluatedKey"]


class IdeaRecords:
    """IdeaSource over the ideas repository: the live backlog, shipped changes from history, votes' times."""

    def __init__(self, store: DynamoIdeasStore) -> None:
        self.store = store

    def ideas(self) -> Iterator[IdeaRecord]:
        for idea in self.store.ideas():
            yield IdeaRecord(
                id=idea.id,
                number=idea.number,
                status=idea.status,
                first_asked=idea.first_asked,
                last_asked=idea.last_asked,
                votes=idea.votes,
            )

    def shipped_at(self, idea_id: str) -> datetime | None:
        changes = [e.at for e in self.store.history(idea_id) if e.kind == "status" and e.to_status == "shipped"]
        return max(changes, default=None)

    def votes_cast(self, idea_id: str) -> Sequence[datetime]:
        return [voter.voted_at for voter in self.store.voters(idea_id)]
