"""EventBridgePublisher: batches of at most 10 on moto, and retries of only the failed entries (Stubber)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import boto3
import pytest
from botocore.stub import ANY, Stubber
from moto import mock_aws

from replyloop.adapters.event_bus import EventBridgePublisher
from replyloop.models.events import Author, BusEvent, CommentReceived

NOW = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)


def _event(n: int, text: str = "Where is my parcel?") -> BusEvent:
    detail = CommentReceived(
        platform="generic",
        comment_id=f"c{n}",
        thread_id="t1",
        author=Author(id=f"u{n}"),
        text=text,
        created_at=NOW,
        received_at=NOW,
    )
    return BusEvent(detail, f"generic:c{n}")


def test_events_reach_the_bus_in_batches_of_at_most_ten() -> None:
    with mock_aws():
        events_client = boto3.client("events")
        sqs = boto3.client("sqs")
        events_client.create_event_bus(Name="bus")
        queue_url = sqs.create_queue(QueueName="capture")["QueueUrl"]
        queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        events_client.put_rule(
            Name="all", EventBusName="bus", EventPattern=json.dumps({"source": ["replyloop.ingest"]})
        )
        events_client.put_targets(Rule="all", EventBusName="bus", Targets=[{"Id": "q", "Arn": queue_arn}])

        calls: list[int] = []
        events_client.meta.events.register(
            "before-parameter-build.events.PutEvents", lambda params, **_: calls.append(len(params["Entries"]))
        )
        failed = EventBridgePublisher("bus", client=events_client).publish([_event(n) for n in range(23)])

        assert failed == []
        assert calls == [10, 10, 3]
        received = []
        while batch := sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", []):
            received += [json.loads(m["Body"]) for m in batch]
            sqs.delete_message_batch(
                QueueUrl=queue_url,
                Entries=[{"Id": m["MessageId"], "ReceiptHandle": m["ReceiptHandle"]} for m in batch],
            )
        assert sorted(r["detail"]["comment_id"] for r in received) == sorted(f"c{n}" for n in range(23))
        assert {r["detail-type"] for r in received} == {"CommentReceived"}
        assert received[0]["detail"]["created_at"] == "2026-01-05T09:30:00Z"


def test_large_details_split_batches_under_256_kib() -> None:
    client = boto3.client("events", region_name="eu-central-1")
    stubber = Stubber(client)
    big = [_event(n, text="x" * 60_000) for n in range(6)]
    for size in (4, 2):  # 4 x ~60 KB fit in 256 KiB, the rest go in the next request
        stubber.add_response(
            "put_events",
            {"FailedEntryCount": 0, "Entries": [{"EventId": "e"}] * size},
            {"Entries": [ANY] * size},
        )
    with stubber:
        assert EventBridgePublisher("bus", client=client).publish(big) == []
    stubber.assert_no_pending_responses()


def test_only_failed_entries_are_retried() -> None:
    client = boto3.client("events", region_name="eu-central-1")
    stubber = Stubber(client)
    events = [_event(n) for n in range(3)]
    stubber.add_response(
        "put_events",
        {
            "FailedEntryCount": 1,
            "Entries": [
                {"EventId": "1"},
                {"ErrorCode": "InternalFailure", "ErrorMessage": "x"},
                {"EventId": "3"},
            ],
        },
        {"Entries": [ANY, ANY, ANY]},
    )
    retried = {
        "Entries": [
            {
                "Source": "replyloop.ingest",
                "DetailType": "CommentReceived",
                "Detail": ANY,
                "EventBusName": "bus",
            }
        ]
    }
    stubber.add_response("put_events", {"FailedEntryCount": 0, "Entries": [{"EventId": "2"}]}, retried)
    with stubber:
        failed = EventBridgePublisher("bus", client=client, backoff_seconds=0).publish(events)
    assert failed == []
    stubber.assert_no_pending_responses()


def test_entries_still_failing_after_every_attempt_are_returned() -> None:
    client = boto3.client("events", region_name="eu-central-1")
    stubber = Stubber(client)
    events = [_event(n) for n in range(2)]
    stubber.add_response(
        "put_events",
        {"FailedEntryCount": 1, "Entries": [{"EventId": "1"}, {"ErrorCode": "ThrottlingException"}]},
    )
    for _ in range(2):
        stubber.add_response("put_events", {"FailedEntryCount": 1, "Entries": [{"ErrorCode": "ThrottlingException"}]})
    with stubber:
        failed = EventBridgePublisher("bus", client=client, attempts=3, backoff_seconds=0).publish(events)
    assert [e.dedup_key for e in failed] == ["generic:c1"]
    stubber.assert_no_pending_responses()


@pytest.mark.parametrize("attempts", [1, 2])
def test_attempts_are_bounded(attempts: int) -> None:
    client = boto3.client("events", region_name="eu-central-1")
    stubber = Stubber(client)
    for _ in range(attempts):
        stubber.add_response("put_events", {"FailedEntryCount": 1, "Entries": [{"ErrorCode": "InternalFailure"}]})
    with stubber:
        failed = EventBridgePublisher("bus", client=client, attempts=attempts, backoff_seconds=0).publish([_event(0)])
    assert len(failed) == 1
    stubber.assert_no_pending_responses()
