"""Reply counters and slow-mode state on moto, in the table template.yaml defines: conditional writes and TTL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from infra.local.clients import Clients
from infra.local.resources import create_resources
from infra.local.template import load_template
from replyloop.adapters.rate_limits import GRACE_SECONDS, MAX_TOXIC_TIMESTAMPS, DynamoRateLimiter, DynamoSlowModes
from replyloop.reactions.ports import Slot

TEMPLATE = Path(__file__).resolve().parents[2] / "template.yaml"

NOW = datetime(2026, 1, 12, 9, 30, 15, tzinfo=UTC)
DAY = 86400
AUTHOR = Slot(name="author", key="author#facebook#4101", limit=3, window_seconds=DAY)
THREAD = Slot(name="thread", key="thread#facebook#1001_2002", limit=10, window_seconds=3600)


@pytest.fixture
def table(aws: Clients) -> str:
    physical = create_resources(load_template(TEMPLATE), aws, only=["RateLimitTable"])
    return physical.ref("RateLimitTable")


def _item(aws: Clients, table: str, pk: str) -> dict:
    return aws.dynamodb.get_item(TableName=table, Key={"pk": {"S": pk}}, ConsistentRead=True).get("Item", {})


def test_the_template_table_is_keyed_by_pk_and_expires_by_ttl(aws: Clients, table: str) -> None:
    described = aws.dynamodb.describe_table(TableName=table)["Table"]
    assert described["KeySchema"] == [{"AttributeName": "pk", "KeyType": "HASH"}]
    ttl = aws.dynamodb.describe_time_to_live(TableName=table)["TimeToLiveDescription"]
    assert (ttl["TimeToLiveStatus"], ttl["AttributeName"]) == ("ENABLED", "expires_at")


def test_a_counter_stops_at_its_limit(aws: Clients, table: str) -> None:
    limiter = DynamoRateLimiter(table, client=aws.dynamodb)
    results = [limiter.acquire([AUTHOR], NOW + timedelta(minutes=i)) for i in range(5)]
    assert results == [None, None, None, AUTHOR, AUTHOR]
    window_start = int(NOW.timestamp()) // DAY * DAY
    item = _item(aws, table, f"author#facebook#4101#{window_start}")
    assert item["hits"] == {"N": "3"}, "refused attempts are not counted"
    assert item["expires_at"] == {"N": str(window_start + DAY + GRACE_SECONDS)}


def test_the_next_window_starts_from_zero(aws: Clients, table: str) -> None:
    limiter = DynamoRateLimiter(table, client=aws.dynamodb)
    for _ in range(3):
        limiter.acquire([AUTHOR], NOW)
    assert limiter.acquire([AUTHOR], NOW) == AUTHOR
    assert limiter.acquire([AUTHOR], NOW + timedelta(days=1)) is None


def test_several_limits_are_taken_all_or_nothing(aws: Clients, table: str) -> None:
    limiter = DynamoRateLimiter(table, client=aws.dynamodb)
    full_thread = Slot(name="praise", key="praise#facebook#1001_2002", limit=1, window_seconds=3600)
    assert limiter.acquire([AUTHOR, full_thread], NOW) is None
    assert limiter.acquire([AUTHOR, full_thread], NOW) == full_thread
    window_start = int(NOW.timestamp()) // DAY * DAY
    # The author's counter was not charged for the refused reply.
    assert _item(aws, table, f"author#facebook#4101#{window_start}")["hits"] == {"N": "1"}
    assert limiter.acquire([AUTHOR, THREAD], NOW) is None


def test_toxic_comments_are_counted_in_a_sliding_window(aws: Clients, table: str) -> None:
    modes = DynamoSlowModes(table, client=aws.dynamodb)
    counts = [modes.record_toxic("facebook#1001_2002", NOW + timedelta(minutes=m), 600) for m in (0, 4, 8, 12, 13)]
    # At minute 12 the comment of minute 0 has left the ten-minute window.
    assert counts == [1, 2, 3, 3, 4]
    item = _item(aws, table, "thread#facebook#1001_2002")
    assert int(item["expires_at"]["N"]) > int((NOW + timedelta(minutes=13)).timestamp())


def test_the_toxic_list_is_trimmed_to_the_window(aws: Clients, table: str) -> None:
    modes = DynamoSlowModes(table, client=aws.dynamodb)
    for i in range(MAX_TOXIC_TIMESTAMPS + 1):
        modes.record_toxic("x#1900", NOW + timedelta(hours=i), 600)
    assert len(_item(aws, table, "thread#x#1900")["toxic_at"]["L"]) == 1


def test_slow_mode_starts_once_per_period_with_one_reminder(aws: Clients, table: str) -> None:
    modes = DynamoSlowModes(table, client=aws.dynamodb)
    thread = "facebook#1001_2002"
    assert modes.claim_reminder(thread, NOW) is False, "no reminder outside slow mode"
    assert modes.start(thread, NOW, 1800) is True
    assert modes.start(thread, NOW + timedelta(minutes=5), 1800) is False
    claims = [modes.claim_reminder(thread, NOW + timedelta(minutes=m)) for m in (1, 2, 3)]
    assert claims == [True, False, False]
    # The second start extended the period: still on at minute 34.
    assert int(_item(aws, table, f"thread#{thread}")["slow_until"]["N"]) == int(NOW.timestamp()) + 35 * 60
    later = NOW + timedelta(hours=2)
    assert modes.start(thread, later, 1800) is True
    assert modes.claim_reminder(thread, later) is True
