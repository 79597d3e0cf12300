"""moto fixtures: the template's own resources in `mock_aws`, and the ingest and classify handlers wired to them."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from moto import mock_aws

from infra.local.clients import Clients
from infra.local.model import build_functions
from infra.local.resources import create_resources
from infra.local.template import load_template

ROOT = Path(__file__).resolve().parents[2]
DEMO_SECRETS = json.loads((ROOT / "events" / "secrets.demo.json").read_text())


@dataclass
class LambdaContext:
    """What Lambda passes as `context`; enough for Powertools Logger and Idempotency."""

    function_name: str = "replyloop-local-ingest"
    memory_limit_in_mb: int = 512
    invoked_function_arn: str = "arn:aws:lambda:eu-central-1:123456789012:function:replyloop-local-ingest"
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    remaining_ms: int = 10_000

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining_ms


@dataclass
class Bus:
    """A capture rule on the template's bus: what EventBridge delivered, read back from SQS."""

    clients: Clients
    name: str
    queue_url: str

    def drain(self) -> list[dict[str, Any]]:
        received: list[dict[str, Any]] = []
        while batch := self.clients.sqs.receive_message(QueueUrl=self.queue_url, MaxNumberOfMessages=10).get(
            "Messages", []
        ):
            received += [json.loads(message["Body"]) for message in batch]
            for message in batch:
                self.clients.sqs.delete_message(QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"])
        return received


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clients]:
    with mock_aws():
        yield Clients()


@pytest.fixture
def ingest(aws: Clients, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """functions/ingest/app.py with the environment template.yaml gives it, on resources created from it."""
    template = load_template(ROOT / "template.yaml")
    # Every resource: build_functions resolves the environment and policies of every function in the template.
    physical = create_resources(template, aws)
    for name, value in build_functions(template, physical)["IngestFunction"].environment.items():
        monkeypatch.setenv(name, value)

    from functions.ingest import app
    from replyloop.adapters import aws as shared_clients

    for cached in (app.intake, app.ledger, shared_clients.client):
        cached.cache_clear()
    yield app
    for cached in (app.intake, app.ledger, shared_clients.client):
        cached.cache_clear()


@pytest.fixture
def bus(aws: Clients, ingest: Any) -> Bus:
    import os

    name = os.environ["EVENT_BUS_NAME"]
    queue_url = aws.sqs.create_queue(QueueName="capture")["QueueUrl"]
    arn = aws.sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    aws.events.put_rule(Name="capture", EventBusName=name, EventPattern=json.dumps({"source": ["replyloop.ingest"]}))
    aws.events.put_targets(Rule="capture", EventBusName=name, Targets=[{"Id": "capture", "Arn": arn}])
    return Bus(aws, name, queue_url)


def capture(aws: Clients, bus_name: str, source: str, name: str) -> Bus:
    """A rule on `bus_name` that sends every event of `source` to a fresh SQS queue, read back by `Bus.drain`."""
    queue_url = aws.sqs.create_queue(QueueName=name)["QueueUrl"]
    arn = aws.sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    aws.events.put_rule(Name=name, EventBusName=bus_name, EventPattern=json.dumps({"source": [source]}))
    aws.events.put_targets(Rule=name, EventBusName=bus_name, Targets=[{"Id": name, "Arn": arn}])
    return Bus(aws, bus_name, queue_url)


# Until template.yaml has ClassifyFunction, the environment it is specified to give the function.
CLASSIFY_ENVIRONMENT = {"POWERTOOLS_SERVICE_NAME": "classify", "CLASSIFIER_SECOND_OPINION": "off"}


@pytest.fixture
def classify(aws: Clients, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """functions/classify/app.py with the template's environment, on the bus and idempotency table created from it."""
    template = load_template(ROOT / "template.yaml")
    # Every resource: build_functions resolves the environment of every function in the template.
    physical = create_resources(template, aws)
    functions = build_functions(template, physical)
    if "ClassifyFunction" in functions:
        environment = functions["ClassifyFunction"].environment
    else:
        environment = {
            **CLASSIFY_ENVIRONMENT,
            "EVENT_BUS_NAME": physical.ref("EventBus"),
            "IDEMPOTENCY_TABLE": physical.ref("IdempotencyTable"),
        }
    for name, value in environment.items():
        monkeypatch.setenv(name, value)

    from functions.classify import app
    from replyloop.adapters import aws as shared_clients

    caches = (app.triage, app.ledger, shared_clients.client)
    for cached in caches:
        cached.cache_clear()
    yield app
    for cached in caches:
        cached.cache_clear()


@pytest.fixture
def classified(aws: Clients, classify: Any) -> Bus:
    """What the classify function put on the bus."""
    import os

    return capture(aws, os.environ["EVENT_BUS_NAME"], "replyloop.classify", "capture-classify")
