"""The activity table (ACTIVITY_TABLE): comments by day with pseudonymous authors, for the KPIs.

Also the authors' first and last days, FAQ auto-answers, and the weekly digest's markers.
Keys `pk`/`sk` (strings), TTL attribute `expires_at`:

- comment     `COMMENT#<YYYY-MM>` | `<YYYY-MM-DD>#<platform>#<comment id>`: label, lang, platform, author, at
- FAQ answer  `FAQ#<YYYY-MM>` | `<YYYY-MM-DD>#<platform>#<comment id>`: lang, faq_id, outcome, link, utm_content, at
- author      `AUTHOR#<pseudonym>` | `AUTHOR`: platform, first_seen, last_seen (local days)
- digest      `DIGEST#<period>` | `DIGEST`: sent_at

One partition per month keeps a period's comments one Query per month (sorted by day); comment writes are
put-if-absent on the comment id and author days move only outward, so any delivery order and any number of
redeliveries leave the same items. No text, names or platform author ids are stored.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from typing import Any

from botocore.exceptions import ClientError

from replyloop.adapters.aws import LazyClient
from replyloop.kpis.period import months_of
from replyloop.kpis.records import CommentActivity, FaqAnswer
from replyloop.models.kpis import Period

__all__ = ["DynamoActivityStore"]

BATCH_GET_LIMIT = 100
_MAX_BATCH_ROUNDS = 8


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _conditional_failure(error: ClientError) -> bool:
    return error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException"


def _dated_key(kind: str, day: date, platform: str, comment_id: str) -> dict[str, Any]:
    return {"pk": {"S": f"{kind}#{day:%Y-%m}"}, "sk": {"S": f"{day.isoformat()}#{platform}#{comment_id}"}}


def _text(item: dict[str, Any], name: str) -> str | None:
    return item[name]["S"] if name in item else None


class DynamoActivityStore:
    """ActivityStore, ActivitySource and DigestMarks on one DynamoDB table."""

    client = LazyClient("dynamodb")

    def __init__(self, table_name: str, *, client: Any = None) -> None:
        self.table_name = table_name
        self._client = client

    # -- writing ----------------------------------------------------------------------------

    def _put_new(self, item: dict[str, Any]) -> bool:
        try:
            self.client.put_item(TableName=self.table_name, Item=item, ConditionExpression="attribute_not_exists(pk)")
        except ClientError as error:
            if _conditional_failure(error):
                return False
            raise
        return True

    def add_comment(self, comment: CommentActivity, at: datetime, expires_at: int) -> bool:
        return self._put_new(
            {
                **_dated_key("COMMENT", comment.day, comment.platform, comment.comment_id),
                "platform": {"S": comment.platform},
                "label": {"S": comment.label},
                "lang": {"S": comment.lang},
                "author": {"S": comment.author},
                "at": {"S": _iso(at)},
                "expires_at": {"N": str(expires_at)},
            }
        )

    def add_faq_answer(self, answer: FaqAnswer, at: datetime, expires_at: int) -> bool:
        item = {
            **_dated_key("FAQ", answer.day, answer.platform, answer.comment_id),
            "platform": {"S": answer.platform},
            "lang": {"S": answer.lang},
            "outcome": {"S": answer.outcome},
            "at": {"S": _iso(at)},
            "expires_at": {"N": str(expires_at)},
        }
        for name in ("faq_id", "link", "utm_content"):
            if getattr(answer, name):
                item[name] = {"S": getattr(answer, name)}
        return self._put_new(item)

    def _move(self, key: dict[str, Any], update: str, condition: str, values: dict[str, Any]) -> None:
        try:
            self.client.update_item(
                TableName=self.table_name,
                Key=key,
                UpdateExpression=update,
                ConditionExpression=condition,
                ExpressionAttributeValues=values,
            )
        except ClientError as error:
            if not _conditional_failure(error):
                raise

    def saw_author(self, author: str, platform: str, day: date, expires_at: int) -> None:
        key = {"pk": {"S": f"AUTHOR#{author}"}, "sk": {"S": "AUTHOR"}}
        values = {":day": {"S": day.isoformat()}, ":platform": {"S": platform}}
        self._move(
            key,
            "SET first_seen = :day, platform = :platform",
            "attribute_not_exists(first_seen) OR first_seen > :day",
            values,
        )
        self._move(
            key,
            "SET last_seen = :day, platform = :platform, expires_at = :expires",
            "attribute_not_exists(last_seen) OR last_seen < :day",
            {**values, ":expires": {"N": str(expires_at)}},
        )

    # -- reading ----------------------------------------------------------------------------

    def _dated(self, kind: str, period: Period) -> Iterator[dict[str, Any]]:
        """Items of the period's days, one Query per month it touches."""
        for month in months_of(period):
            low = max(period.start.isoformat(), f"{month}-01")
            high = min(period.end.isoformat(), f"{month}-31") + "#\uffff"
            request: dict[str, Any] = {
                "TableName": self.table_name,
                "KeyConditionExpression": "pk = :pk AND sk BETWEEN :low AND :high",
                "ExpressionAttributeValues": {
                    ":pk": {"S": f"{kind}#{month}"},
                    ":low": {"S": low},
                    ":high": {"S": high},
                },
            }
            while True:
                response = self.client.query(**request)
                yield from response.get("Items", [])
                if "LastEvaluatedKey" not in response:
                    break
                request["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def comments(self, period: Period) -> Iterator[CommentActivity]:
        for item in self._dated("COMMENT", period):
            day, platform, comment_id = item["sk"]["S"].split("#", 2)
            yield CommentActivity(
                day=date.fromisoformat(day),
                platform=platform,
                comment_id=comment_id,
                label=item["label"]["S"],
                lang=item["lang"]["S"],
                author=item["author"]["S"],
            )

    def faq_answers(self, period: Period) -> Iterator[FaqAnswer]:
        for item in self._dated("FAQ", period):
            day, platform, comment_id = item["sk"]["S"].split("#", 2)
            yield FaqAnswer(
                day=date.fromisoformat(day),
                platform=platform,
                comment_id=comment_id,
                lang=item["lang"]["S"],
                faq_id=_text(item, "faq_id"),
                outcome=item["outcome"]["S"],
                link=_text(item, "link"),
                utm_content=_text(item, "utm_content"),
            )

    def first_seen(self, authors: Sequence[str]) -> dict[str, date]:
        """BatchGetItem by 100, retrying unprocessed keys a few rounds (then failing: a KPI must not guess)."""
        found: dict[str, date] = {}
        unique = sorted(set(authors))
        for offset in range(0, len(unique), BATCH_GET_LIMIT):
            keys = [{"pk": {"S": f"AUTHOR#{a}"}, "sk": {"S": "AUTHOR"}} for a in unique[offset : offset + 100]]
            request = {self.table_name: {"Keys": keys, "ProjectionExpression": "pk, first_seen"}}
            for attempt in range(_MAX_BATCH_ROUNDS):
                if attempt:
                    time.sleep(0.05 * 2**attempt)  # DynamoDB's advice for unprocessed keys: back off
                response = self.client.batch_get_item(RequestItems=request)
                for item in response.get("Responses", {}).get(self.table_name, []):
                    if "first_seen" in item:
                        found[item["pk"]["S"].removeprefix("AUTHOR#")] = date.fromisoformat(item["first_seen"]["S"])
                request = response.get("UnprocessedKeys") or {}
                if not request:
                    break
            else:
                raise RuntimeError("DynamoDB left authors unprocessed after retries; try again")
        return found

    # -- digest markers ---------------------------------------------------------------------

    def digest_sent(self, period_label: str) -> bool:
        key = {"pk": {"S": f"DIGEST#{period_label}"}, "sk": {"S": "DIGEST"}}
        return "Item" in self.client.get_item(TableName=self.table_name, Key=key, ConsistentRead=True)

    def mark_digest_sent(self, period_label: str, at: datetime, expires_at: int) -> None:
        self.client.put_item(
            TableName=self.table_name,
            Item={
                "pk": {"S": f"DIGEST#{period_label}"},
                "sk": {"S": "DIGEST"},
                "sent_at": {"S": _iso(at)},
                "expires_at": {"N": str(expires_at)},
            },
        )
