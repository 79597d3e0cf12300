"""The item shapes of the ideas table (IDEAS_TABLE), mapped explicitly to and from the domain objects.

Single-table design, keys `pk`/`sk` (strings); one item kind per line (pk | sk: attributes):

- number counter   `COUNTER` | `IDEA_NUMBER`: `last` (N), the last number given
- number           `NUMBER#<n>` | `NUMBER`: `idea_id`; a number never moves or repeats
- idea             `IDEA#<id>` | `IDEA`: the Idea's fields, `priority_score`, `first_month`, index keys
- vote             `IDEA#<id>` | `VOTE#<platform>#<author id>`: one per author per idea (conditional put)
- comment          `IDEA#<id>` | `COMMENT#<platform>#<comment id>`: platform, thread, comment id, permalink,
                   language, author, asked_at, text, voted
- history          `IDEA#<id>` | `HISTORY#<at>#<nanoseconds>`: at, who, kind, from/to status, note
- recorded         `COMMENT#<platform>#<comment id>` | `RECORDED`: what recording the comment led to (idea id,
                   number, outcome, match), so that a redelivery replays it

Index keys live on idea items only, and are removed when an idea is merged (it leaves every list):
`gsi_status` (status) and `gsi_all` ("IDEA") with sort keys `votes` or `priority_sort`
(= priority_score x 1,000,000 + votes, so a vote moves both with one ADD), and `gsi_lang` with
`number` for the duplicate detector's candidates.
"""

from __future__ import annotations

import time
from datetime import datetime
from decimal import Decimal
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from replyloop.ideas.idea import Idea, IdeaComment, Voter, month_of
from replyloop.ideas.ports import RecordedComment
from replyloop.ideas.similarity import Candidate
from replyloop.ideas.status import HistoryEntry

__all__ = [
    "BY_LANGUAGE",
    "COUNTER_KEY",
    "INDEXES",
    "PRIORITY_FACTOR",
    "candidate_from",
    "comment_from",
    "comment_item",
    "dump",
    "entry_from",
    "entry_item",
    "history_key",
    "idea_from",
    "idea_item",
    "idea_key",
    "load",
    "marker_from",
    "marker_item",
    "marker_key",
    "number_key",
    "vote_item",
    "vote_key",
    "voter_from",
]

PRIORITY_FACTOR = 1_000_000  # votes stay below a million per idea
COUNTER_KEY = {"pk": {"S": "COUNTER"}, "sk": {"S": "IDEA_NUMBER"}}
ALL = "IDEA"
# (index name, partition attribute, sort attribute) by (filtered by status?, sort)
INDEXES: dict[tuple[bool, str], tuple[str, str, str]] = {
    (True, "votes"): ("ByStatusVotes", "gsi_status", "votes"),
    (True, "priority"): ("ByStatusPriority", "gsi_status", "priority_sort"),
    (False, "votes"): ("AllByVotes", "gsi_all", "votes"),
    (False, "priority"): ("AllByPriority", "gsi_all", "priority_sort"),
}
BY_LANGUAGE = "ByLanguage"
_IDEA_FIELDS = tuple(Idea.model_fields)


@cache
def _codec() -> tuple[Any, Any]:
    """boto3's (de)serialiser, imported on first use: `boto3.dynamodb` brings all of boto3 into the import."""
    from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

    return TypeSerializer(), TypeDeserializer()


def dump(item: dict[str, Any]) -> dict[str, Any]:
    """Python values -> DynamoDB attribute values; None attributes are left out."""
    serializer = _codec()[0]
    return {name: serializer.serialize(_numbers(value)) for name, value in item.items() if value is not None}


def _numbers(value: Any) -> Any:
    """DynamoDB takes Decimal, not float (match scores are the only floats)."""
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, list):
        return [_numbers(v) for v in value]
    if isinstance(value, dict):
        return {k: _numbers(v) for k, v in value.items() if v is not None}
    return value


def load(item: dict[str, Any]) -> dict[str, Any]:
    """DynamoDB attribute values -> Python values (numbers as int)."""
    deserializer = _codec()[1]
    values = {name: deserializer.deserialize(value) for name, value in item.items()}
    return {name: _plain(value) for name, value in values.items()}


def _plain(value: Any) -> Any:
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def idea_key(idea_id: str) -> dict[str, Any]:
    return dump({"pk": f"IDEA#{idea_id}", "sk": "IDEA"})


def number_key(number: int) -> dict[str, Any]:
    return dump({"pk": f"NUMBER#{number}", "sk": "NUMBER"})


def vote_key(idea_id: str, voter: Voter) -> dict[str, Any]:
    return dump({"pk": f"IDEA#{idea_id}", "sk": f"VOTE#{voter.platform}#{voter.author_id}"})


def marker_key(platform: str, comment_id: str) -> dict[str, Any]:
    return dump({"pk": f"COMMENT#{platform}#{comment_id}", "sk": "RECORDED"})


def history_key(idea_id: str, at: datetime) -> dict[str, Any]:
    """Sorted by time; the nanosecond clock orders entries of the same second and keeps keys unique."""
    stamp = at.strftime("%Y-%m-%dT%H:%M:%SZ")
    return dump({"pk": f"IDEA#{idea_id}", "sk": f"HISTORY#{stamp}#{time.time_ns():020d}"})


def idea_item(idea: Idea, priority_score: int, zone: ZoneInfo) -> dict[str, Any]:
    values = idea.model_dump(mode="json", exclude={"id"})
    values["signature"], values["title_signature"] = list(idea.signature), list(idea.title_signature)
    item: dict[str, Any] = {
        "pk": f"IDEA#{idea.id}",
        "sk": "IDEA",
        "id": idea.id,
        **values,
        "priority_score": priority_score,
        "priority_sort": priority_score * PRIORITY_FACTOR + idea.votes,
        "first_month": month_of(idea.first_asked, zone),
    }
    if idea.merged_into is None:
        item |= {"gsi_status": idea.status, "gsi_all": ALL, "gsi_lang": idea.lang}
    return dump(item)


def idea_from(item: dict[str, Any]) -> Idea:
    values = load(item)
    return Idea.model_validate({name: values[name] for name in _IDEA_FIELDS if name in values})


def candidate_from(item: dict[str, Any]) -> Candidate:
    values = load(item)
    signatures = tuple(tuple(values.get(name) or ()) for name in ("signature", "title_signature"))
    return Candidate(
        idea_id=values["pk"].removeprefix("IDEA#"),
        number=values["number"],
        votes=values.get("votes", 0),
        signatures=tuple(signature for signature in signatures if signature),
    )


def comment_item(idea_id: str, comment: IdeaComment) -> dict[str, Any]:
    sk = f"COMMENT#{comment.platform}#{comment.comment_id}"
    return dump({"pk": f"IDEA#{idea_id}", "sk": sk, **comment.model_dump(mode="json")})


def comment_from(item: dict[str, Any]) -> IdeaComment:
    values = load(item)
    return IdeaComment.model_validate({name: values.get(name) for name in IdeaComment.model_fields})


def vote_item(idea_id: str, voter: Voter) -> dict[str, Any]:
    return {**vote_key(idea_id, voter), **dump(voter.model_dump(mode="json"))}


def voter_from(item: dict[str, Any]) -> Voter:
    values = load(item)
    return Voter.model_validate({name: values.get(name) for name in Voter.model_fields})


def marker_item(comment: IdeaComment, recorded: RecordedComment) -> dict[str, Any]:
    return {**marker_key(comment.platform, comment.comment_id), **dump(recorded.model_dump(mode="json"))}


def marker_from(item: dict[str, Any]) -> RecordedComment:
    values = load(item)
    return RecordedComment.model_validate({name: values.get(name) for name in RecordedComment.model_fields})


def entry_item(idea_id: str, entry: HistoryEntry) -> dict[str, Any]:
    return {**history_key(idea_id, entry.at), **dump(entry.model_dump(mode="json"))}


def entry_from(item: dict[str, Any]) -> HistoryEntry:
    values = load(item)
    return HistoryEntry.model_validate({name: values.get(name) for name in HistoryEntry.model_fields})
