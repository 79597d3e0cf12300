"""A moto world for the KPIs: the template's tables, bus, key and SLA timer, and the real handlers that fill them."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from infra.local.clients import Clients
from infra.local.intrinsics import Resolver
from infra.local.resources import create_resources
from infra.local.specs import cfn_string
from infra.local.template import Template, load_template
from replyloop.adapters.activity_table import DynamoActivityStore
from replyloop.adapters.ideas_repository import DynamoIdeasStore
from replyloop.adapters.kpi_sources import DynamoCaseRecords, IdeaRecords
from replyloop.kpis import Kpis, KpiSources, compute_kpis
from replyloop.models.classification import Label
from replyloop.models.events import EventDetail
from replyloop.models.kpis import Period
from tests.integration.conftest import LambdaContext
from tests.support.events import load_event
from tests.support.kpis import utc
from tests.support.reaction_fakes import classified

__all__ = ["KpiWorld", "kpi_world"]

TEMPLATE = Path(__file__).resolve().parents[2] / "template.yaml"
RESOURCES = ["ActivityTable", "KpiPseudonymSecret", "CasesTable", "IdeasTable", "EventBus", "SlaStateMachine"]
FUNCTIONS = ("ActivityFunction", "KpiDigestFunction", "SlaOpenFunction", "SlaCloseFunction", "IdeasFunction")


def envelope(detail: EventDetail) -> dict[str, Any]:
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": detail.detail_type,
        "source": detail.source,
        "account": "123456789012",
        "time": "2026-11-30T12:00:00Z",
        "region": "eu-central-1",
        "resources": [],
        "detail": detail.model_dump(mode="json"),
    }


@dataclass
class KpiWorld:
    """Comments go through the activity, sla_open and ideas handlers; brand replies through sla_close."""

    aws: Clients
    tables: dict[str, str]
    bus_name: str
    apps: dict[str, Any]

    def call(self, function: str, event: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = self.apps[function].lambda_handler(event, LambdaContext(function_name=function))
        return result

    def comment(
        self, label: Label, comment_id: str, author_id: str, at: datetime, text: str = "Ile to trwa?"
    ) -> dict[str, Any]:
        """As the bus delivers one CommentClassified to each function whose rule matches it."""
        event = envelope(classified(label, text, comment_id=comment_id, author_id=author_id, created_at=at))
        if event["detail"]["classification"]["needs_response"]:
            self.call("SlaOpenFunction", event)
        if label == "idea":
            self.call("IdeasFunction", event)
        return self.call("ActivityFunction", event)

    def reply(self, in_reply_to: str, at: datetime) -> dict[str, Any]:
        detail = load_event("bus/BrandReplied.json")["detail"]
        stamp = at.strftime("%Y-%m-%dT%H:%M:%SZ")
        detail |= {"comment_id": f"r-{in_reply_to}", "in_reply_to": in_reply_to, "created_at": stamp}
        detail |= {"received_at": stamp, "parent_id": in_reply_to}
        event = load_event("bus/BrandReplied.json") | {"detail": detail}
        return self.call("SlaCloseFunction", event)

    def faq_answer(self, comment_id: str, at: datetime) -> dict[str, Any]:
        event = load_event("bus/ReactionPerformed.json")
        event["detail"] |= {"comment_id": comment_id, "performed_at": at.strftime("%Y-%m-%dT%H:%M:%SZ")}
        return self.call("ActivityFunction", event)

    def escalate(self, comment_id: str, tier: str, at: datetime) -> None:
        """What the SLA state machine writes when a tier fires (moto does not run it here)."""
        self.aws.dynamodb.update_item(
            TableName=self.tables["cases"],
            Key={"pk": {"S": f"facebook#{comment_id}"}},
            UpdateExpression="SET notified.#tier = :at",
            ExpressionAttributeNames={"#tier": tier},
            ExpressionAttributeValues={":at": {"S": at.strftime("%Y-%m-%dT%H:%M:%S.000Z")}},
        )

    def november(self) -> None:
        """A small November: three cases (one answered in time, one late after an escalation, one never),
        returning and new people, spam, an idea, a FAQ answer; and a December comment that must not count."""
        self.comment("praise", "old-1", "4101", utc(2026, 10, 1, 9))
        self.comment("question", "q-1", "4102", utc(2026, 11, 16, 9))  # Monday 10:00 in Warsaw
        self.reply("q-1", utc(2026, 11, 16, 9, 30))
        self.comment("complaint", "k-1", "4103", utc(2026, 11, 17, 9))
        self.escalate("k-1", "breach", utc(2026, 11, 17, 10))
        self.reply("k-1", utc(2026, 11, 17, 12))
        self.comment("question", "q-2", "4101", utc(2026, 11, 18, 9))  # never answered
        self.comment("idea", "i-1", "4104", utc(2026, 11, 18, 12), text="Dodajcie tryb ciemny w aplikacji")
        self.comment("spam", "s-1", "bot", utc(2026, 11, 19, 12), text="Kup teraz")
        self.comment("praise", "p-1", "4102", utc(2026, 11, 24, 12))
        self.faq_answer("q-2", utc(2026, 11, 18, 9, 1))
        self.comment("praise", "d-1", "4105", utc(2026, 12, 1, 12))

    def sources(self) -> KpiSources:
        client = self.aws.dynamodb
        return KpiSources(
            cases=DynamoCaseRecords(self.tables["cases"], client=client),
            activity=DynamoActivityStore(self.tables["activity"], client=client),
            ideas=IdeaRecords(DynamoIdeasStore(self.tables["ideas"], client=client)),
        )

    def kpis(self, period: Period, now: datetime) -> Kpis:
        return compute_kpis(period, self.sources(), now)

    def activity_items(self) -> list[dict[str, Any]]:
        return self.aws.dynamodb.scan(TableName=self.tables["activity"])["Items"]

    def capture(self, source: str) -> str:
        url = self.aws.sqs.create_queue(QueueName=f"capture-{source.replace('.', '-')}")["QueueUrl"]
        arn = self.aws.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        pattern = json.dumps({"source": [source]})
        self.aws.events.put_rule(Name=f"capture-{source}", EventBusName=self.bus_name, EventPattern=pattern)
        self.aws.events.put_targets(
            Rule=f"capture-{source}", EventBusName=self.bus_name, Targets=[{"Id": "c", "Arn": arn}]
        )
        return url

    def drain(self, url: str) -> list[dict[str, Any]]:
        messages = self.aws.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        return [json.loads(m["Body"]) for m in messages]


@cache
def _template() -> Template:
    """Parsed once per session: reading the template is half of a world's set-up time."""
    return load_template(TEMPLATE)


@contextmanager
def kpi_world(aws: Clients, monkeypatch: pytest.MonkeyPatch) -> Iterator[KpiWorld]:
    """The template's environment for each function (names only differ in the service name and the variables
    each needs), the handlers imported with fresh composition roots and clients, before and after."""
    template = _template()
    physical = create_resources(template, aws, only=RESOURCES)
    resolver = Resolver(template, physical)
    for logical_id in FUNCTIONS:
        variables = resolver.resolve(template.resources[logical_id].properties["Environment"]["Variables"])
        for name, value in variables.items():
            monkeypatch.setenv(name, cfn_string(value))

    from functions.activity import app as activity
    from functions.ideas import app as ideas
    from functions.kpi_digest import app as digest
    from functions.sla_close import app as sla_close
    from functions.sla_open import app as sla_open
    from replyloop.adapters import aws as shared_clients

    caches = (activity.recorder, digest.digest, sla_open.opening, sla_close.closing, ideas.recorder)
    for cached in (*caches, shared_clients.client):
        cached.cache_clear()
    apps = {
        "ActivityFunction": activity,
        "KpiDigestFunction": digest,
        "SlaOpenFunction": sla_open,
        "SlaCloseFunction": sla_close,
        "IdeasFunction": ideas,
    }
    tables = {name: physical.ref(f"{name.capitalize()}Table") for name in ("activity", "cases", "ideas")}
    try:
        yield KpiWorld(aws, tables, physical.ref("EventBus"), apps)
    finally:
        for cached in (*caches, shared_clients.client):
            cached.cache_clear()
