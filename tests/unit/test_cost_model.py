"""The cost model's core on a tiny known scenario: botocore calls counted as billable units, then priced."""

from __future__ import annotations

import json
import threading
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from tests.bench.aws_requests import PRICES, RequestCounter, Usage, cost, dynamodb_item_bytes


@pytest.fixture
def counter() -> RequestCounter:
    return RequestCounter()


@pytest.fixture
def session(counter: RequestCounter) -> boto3.session.Session:
    made = boto3.session.Session(aws_access_key_id="x", aws_secret_access_key="x", region_name="eu-central-1")
    counter.attach(made)
    return made


def _stubbed(session: boto3.session.Session, service: str, answers: list[tuple[str, dict[str, Any]]]) -> Any:
    client = session.client(service)
    stub = Stubber(client)
    for operation, response in answers:
        stub.add_response(operation, response)
    stub.activate()
    return client


def test_calls_become_billable_units(session: boto3.session.Session, counter: RequestCounter) -> None:
    events = _stubbed(session, "events", [("put_events", {"FailedEntryCount": 0, "Entries": []})] * 2)
    dynamodb = _stubbed(
        session,
        "dynamodb",
        [("put_item", {}), ("get_item", {}), ("query", {"Items": []}), ("transact_write_items", {})],
    )
    sns = _stubbed(session, "sns", [("publish", {"MessageId": "m"})])
    small = {"Source": "replyloop.ingest", "DetailType": "CommentReceived", "Detail": json.dumps({"a": 1})}
    large = {**small, "Detail": json.dumps({"text": "x" * 70 * 1024})}  # 70 KB: two 64 KB chunks
    item = {"pk": {"S": "a" * 2000}}  # 2002 bytes: two write units
    key = {"pk": {"S": "k"}}
    with counter.counting() as block:
        events.put_events(Entries=[small, small, large])
        dynamodb.put_item(TableName="t", Item=item)
        dynamodb.get_item(TableName="t", Key=key, ConsistentRead=True)
        dynamodb.query(TableName="t", KeyConditionExpression="pk = :k", ExpressionAttributeValues={":k": {"S": "k"}})
        dynamodb.transact_write_items(
            TransactItems=[{"Put": {"TableName": "t", "Item": key}}, {"Delete": {"TableName": "t", "Key": key}}]
        )
        sns.publish(TopicArn="arn:aws:sns:eu-central-1:123456789012:t", Message="m")
    events.put_events(Entries=[small])  # outside the block: not counted
    assert block.eventbridge_entries == 4
    assert (block.dynamodb_write_units, block.dynamodb_read_units) == (2 + 4, 1 + 0.5)
    assert block.sns_publishes == 1
    assert block.calls == {
        "events.PutEvents": 1,
        "dynamodb.PutItem": 1,
        "dynamodb.GetItem": 1,
        "dynamodb.Query": 1,
        "dynamodb.TransactWriteItems": 1,
        "sns.Publish": 1,
    }
    assert counter.usage.calls == block.calls, "the counter keeps the total of its blocks"


def test_only_the_counting_thread_is_counted(session: boto3.session.Session, counter: RequestCounter) -> None:
    sqs = _stubbed(session, "sqs", [("send_message", {"MessageId": "1"})] * 2)
    other = threading.Thread(target=lambda: sqs.send_message(QueueUrl="https://q", MessageBody="elsewhere"))
    with counter.counting() as block:
        other.start()
        other.join()
        sqs.send_message(QueueUrl="https://q", MessageBody="here")
    assert (block.sqs_requests, block.calls["sqs.SendMessage"]) == (1, 1)


def test_item_size_follows_dynamodb_rules() -> None:
    assert dynamodb_item_bytes({"id": {"S": "abc"}}) == 2 + 3
    assert dynamodb_item_bytes({"n": {"N": "12345"}, "b": {"BOOL": True}}) == (1 + 4) + (1 + 1)
    assert dynamodb_item_bytes({"m": {"M": {"k": {"S": "v"}}}}) == 1 + 3 + (1 + 1 + 1)


def test_cost_prices_each_unit_and_scales() -> None:
    usage = Usage(
        http_api_requests=1,
        lambda_invocations=4,
        lambda_gb_seconds=0.05,
        eventbridge_entries=3,
        state_transitions=6,
        dynamodb_write_units=5,
        dynamodb_read_units=2,
        sns_publishes=2,
        log_bytes=4096,
    )
    per_million = cost(usage.scaled(1e6))
    assert per_million["API Gateway HTTP API requests"] == pytest.approx(1.00)
    assert per_million["Lambda requests"] == pytest.approx(0.80)
    assert per_million["Lambda compute (GB-s)"] == pytest.approx(0.05e6 * 0.0000133)
    assert per_million["EventBridge events"] == pytest.approx(3.00)
    assert per_million["Step Functions transitions"] == pytest.approx(150.0)
    assert per_million["DynamoDB writes"] == pytest.approx(3.125)
    assert per_million["DynamoDB reads"] == pytest.approx(0.25)
    assert per_million["SNS publishes"] == pytest.approx(1.00)
    assert per_million["CloudWatch Logs ingestion"] == pytest.approx(4096e6 / 1024**3 * PRICES.logs_ingested_gb)
    assert per_million["SQS requests"] == per_million["Secrets Manager calls"] == 0
    assert (usage + usage).state_transitions == 12
