"""The SLA timer as moto executes the real sla.asl.json, driven by the real sla_open and sla_close handlers.

Resources come from template.yaml (DefinitionSubstitutions applied by infra/local as SAM does); the
escalation topic's team subscriptions are the template's own filter policies on SQS queues; the bus is
read through a capture rule. The policy is a test file in seconds, around the clock, so tiers fire
seconds apart: complaint 2 s (warning 1 s, breach 2 s, lead 3 s), question 4 s (2, 4, 6 s).
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from moto import mock_aws

from infra.local.clients import Clients
from infra.local.model import build_functions
from infra.local.resources import create_resources
from infra.local.template import load_template
from replyloop.models.registry import DETAIL_TYPES
from tests.integration.conftest import Bus, LambdaContext
from tests.support.events import load_event

TEMPLATE = Path(__file__).resolve().parents[2] / "template.yaml"
EMAILS = {
    "SupportEscalationEmail": "support@example.com",
    "ComplianceEscalationEmail": "compliance@example.com",
    "CommunityEscalationEmail": "community@example.com",
    "LeadEscalationEmail": "lead@example.com",
}
TIERS = [
    {"name": "warning", "kind": "warning", "share": 0.5},
    {"name": "breach", "kind": "escalation", "share": 1.0},
    {"name": "lead", "kind": "escalation", "share": 1.5, "team": "smm-lead"},
]
POLICY = {
    "unit": "seconds",
    "default_market": "pl",
    "markets": {"pl": {"hours": {"mon": [["08:00", "18:00"]]}}},
    "tiers": TIERS,
    "labels": {
        "complaint": {"target": 2, "around_the_clock": True, "team": "support"},
        "question": {"target": 4, "around_the_clock": True, "team": "support", "auto_reply_counts": True},
    },
}


@dataclass
class Sla:
    aws: Clients
    bus: Bus
    team_queues: dict[str, str]
    ops_queue: str
    table: str
    state_machine: str
    open_app: Any
    close_app: Any

    def classified(self, label: str, comment_id: str | None = None) -> dict[str, Any]:
        envelope = load_event("bus/CommentClassified.json")
        now = datetime.now(UTC).isoformat()
        envelope["detail"]["comment"] |= {"comment_id": comment_id or f"c-{uuid.uuid4().hex[:8]}", "received_at": now}
        envelope["detail"]["classification"] |= {"label": label, "needs_response": True}
        return envelope

    def open(self, envelope: dict[str, Any]) -> dict[str, Any]:
        return self.open_app.lambda_handler(envelope, LambdaContext(function_name="sla-open"))

    def close(self, detail_type: str, detail: dict[str, Any], source: str = "replyloop.ingest") -> dict[str, Any]:
        envelope = load_event("bus/BrandReplied.json") | {
            "detail-type": detail_type,
            "source": source,
            "detail": detail,
        }
        return self.close_app.lambda_handler(envelope, LambdaContext(function_name="sla-close"))

    def reply(self, comment_id: str) -> dict[str, Any]:
        detail = load_event("bus/BrandReplied.json")["detail"] | {
            "comment_id": f"r-{comment_id}",
            "in_reply_to": comment_id,
            "received_at": datetime.now(UTC).isoformat(),
        }
        return self.close("BrandReplied", detail)

    def execution(self, comment_id: str) -> str:
        (execution,) = [
            e["executionArn"]
            for e in self.aws.stepfunctions.list_executions(stateMachineArn=self.state_machine)["executions"]
            if f"_{comment_id}-" in e["name"]
        ]
        return str(execution)

    def finish(self, comment_id: str, timeout: float = 20.0) -> dict[str, Any]:
        return wait_for(
            lambda: _done(self.aws.stepfunctions.describe_execution(executionArn=self.execution(comment_id))), timeout
        )

    def states_entered(self, comment_id: str) -> list[str]:
        history = self.aws.stepfunctions.get_execution_history(executionArn=self.execution(comment_id))["events"]
        return [e["stateEnteredEventDetails"]["name"] for e in history if "stateEnteredEventDetails" in e]

    def sns(self, queue: str) -> list[dict[str, Any]]:
        url = self.team_queues.get(queue, self.ops_queue if queue == "ops" else "")
        messages = self.aws.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        return [json.loads(message["Body"]) for message in messages]

    def item(self, comment_id: str) -> dict[str, Any]:
        return self.aws.dynamodb.get_item(TableName=self.table, Key={"pk": {"S": f"facebook#{comment_id}"}})["Item"]


def _done(description: dict[str, Any]) -> dict[str, Any] | None:
    return description if description["status"] != "RUNNING" else None


def wait_for(check: Callable[[], Any], timeout: float = 15.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(0.1)
    raise TimeoutError(f"nothing after {timeout} s")


def timer_events(events: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(e["detail-type"], e["detail"].get("tier", "")) for e in events if e["source"] == "replyloop.sla"]


@pytest.fixture
def sla(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Sla]:
    (tmp_path / "sla").mkdir()
    (tmp_path / "sla" / "policy.json").write_text(json.dumps(POLICY))
    with mock_aws(config={"stepfunctions": {"execute_state_machine": True}}):
        aws = Clients()
        template = load_template(TEMPLATE, parameters={**EMAILS, "DataOverrideDir": str(tmp_path)})
        physical = create_resources(template, aws)
        functions = build_functions(template, physical)
        for logical_id in ("SlaOpenFunction", "SlaCloseFunction"):
            for name, value in functions[logical_id].environment.items():
                monkeypatch.setenv(name, value)
        # The template's team subscriptions, with their own filter policies, delivering to queues we can read.
        team_queues: dict[str, str] = {}
        for subscription in template.of_type("AWS::SNS::Subscription"):
            props = subscription.properties
            if props["TopicArn"] != {"Ref": "EscalationTopic"}:
                continue
            url = aws.sqs.create_queue(QueueName=subscription.logical_id)["QueueUrl"]
            team_queues[props["FilterPolicy"]["team"][0]] = url
            _subscribe(aws, physical.ref("EscalationTopic"), url, props)
        ops_queue = aws.sqs.create_queue(QueueName="ops")["QueueUrl"]
        _subscribe(aws, physical.ref("OpsTopic"), ops_queue, {})
        bus_name = physical.ref("EventBus")
        capture_url = aws.sqs.create_queue(QueueName="capture-sla")["QueueUrl"]
        capture_arn = aws.sqs.get_queue_attributes(QueueUrl=capture_url, AttributeNames=["QueueArn"])["Attributes"][
            "QueueArn"
        ]
        aws.events.put_rule(Name="capture-sla", EventBusName=bus_name, EventPattern='{"source": ["replyloop.sla"]}')
        aws.events.put_targets(Rule="capture-sla", EventBusName=bus_name, Targets=[{"Id": "c", "Arn": capture_arn}])

        from functions.sla_close import app as close_app
        from functions.sla_open import app as open_app
        from replyloop import data
        from replyloop.adapters import aws as shared_clients

        caches = (open_app.opening, close_app.closing, shared_clients.client, data.clear_cache)
        for cached in caches:
            getattr(cached, "cache_clear", cached)()
        yield Sla(
            aws,
            Bus(aws, bus_name, capture_url),
            team_queues,
            ops_queue,
            physical.ref("CasesTable"),
            physical.ref("SlaStateMachine"),
            open_app,
            close_app,
        )
        for execution in aws.stepfunctions.list_executions(stateMachineArn=physical.ref("SlaStateMachine"))[
            "executions"
        ]:
            wait_for(
                lambda e=execution: _done(aws.stepfunctions.describe_execution(executionArn=e["executionArn"])), 20
            )
        for cached in caches:
            getattr(cached, "cache_clear", cached)()


def _subscribe(aws: Clients, topic_arn: str, queue_url: str, props: dict[str, Any]) -> None:
    arn = aws.sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    attributes = {}
    if "FilterPolicy" in props:
        attributes = {
            "FilterPolicy": json.dumps(props["FilterPolicy"]),
            "FilterPolicyScope": props["FilterPolicyScope"],
        }
    aws.sns.subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=arn, Attributes=attributes)


# ---------------------------------------------------------------------------- scenarios


def test_answered_before_the_warning_notifies_nobody(sla: Sla) -> None:
    opened = sla.open(sla.classified("question", "q-early"))
    answered = sla.reply("q-early")
    description = sla.finish("q-early")

    assert opened["opened"] is True
    assert answered == {
        "closed": True,
        "event": "CaseAnswered",
        "case_key": "facebook#q-early",
        "within_sla": True,
        "escalated": False,
    }
    assert description["status"] == "SUCCEEDED"
    entered = sla.states_entered("q-early")
    assert "CaseClosed" in entered
    assert "Closed" in entered
    assert "WarningOrEscalation" not in entered  # see test_a_withdrawn_case_is_never_escalated
    assert timer_events(sla.bus.drain()) == [("CaseOpened", ""), ("CaseAnswered", "")]
    assert all(sla.sns(team) == [] for team in sla.team_queues)


def test_never_answered_warns_then_escalates_to_the_team_then_to_the_lead_each_once(sla: Sla) -> None:
    sla.open(sla.classified("complaint", "c-silent"))
    description = sla.finish("c-silent")

    assert description["status"] == "SUCCEEDED"
    events = sla.bus.drain()
    assert timer_events(events) == [
        ("CaseOpened", ""),
        ("SlaWarning", "warning"),
        ("CaseEscalated", "breach"),
        ("CaseEscalated", "lead"),
    ]
    for event in events:  # what the state machine builds is exactly the contract
        DETAIL_TYPES[event["detail-type"]].model_validate(event["detail"])
    escalations = [e["detail"] for e in events if e["detail-type"] == "CaseEscalated"]
    assert [(e["level"], e["team"]) for e in escalations] == [(1, "support"), (2, "smm-lead")]
    # SNS: the template's filter policies route each tier to its team's subscription only.
    support, lead = sla.sns("support"), sla.sns("smm-lead")
    assert [m["MessageAttributes"]["tier"]["Value"] for m in support] == ["breach"]
    assert [m["MessageAttributes"]["tier"]["Value"] for m in lead] == ["lead"]
    assert "facebook#c-silent" in support[0]["Message"]
    assert sla.sns("compliance") == sla.sns("community") == []
    entered = sla.states_entered("c-silent")
    assert entered.count("MarkTier") == 3
    assert entered.count("PublishEscalation") == 2
    assert entered.count("PutSlaWarning") == 1
    assert set(sla.item("c-silent")["notified"]["M"]) == {"warning", "breach", "lead"}
    # sla_close counts the timer's notices (the breach-rate alarm's numerator).
    counted = [sla.close(e["detail-type"], e["detail"], "replyloop.sla") for e in events[1:]]
    assert [c.get("level") for c in counted] == [None, 1, 2]


def test_a_reply_after_the_escalation_is_recorded_late_and_stops_the_lead_tier(sla: Sla) -> None:
    sla.open(sla.classified("question", "c-late"))
    wait_for(lambda: "breach" in sla.item("c-late")["notified"]["M"])
    due_at = datetime.fromisoformat(sla.item("c-late")["due_at"]["S"])
    wait_for(lambda: datetime.now(UTC) >= due_at + timedelta(seconds=1))  # replies are stamped to the second
    answered = sla.reply("c-late")
    description = sla.finish("c-late")

    assert (answered["within_sla"], answered["escalated"]) == (False, True)
    assert description["status"] == "SUCCEEDED"
    events = sla.bus.drain()
    assert ("CaseEscalated", "lead") not in timer_events(events)
    (answer,) = [e["detail"] for e in events if e["detail-type"] == "CaseAnswered"]
    assert (answer["late"], answer["answered_by"]) == (True, "brand_reply")
    assert answer["first_response_seconds"] >= 2
    assert sla.sns("smm-lead") == []


def test_a_duplicate_comment_classified_opens_one_case_and_one_execution(sla: Sla) -> None:
    envelope = sla.classified("question", "q-twice")
    first, second = sla.open(envelope), sla.open(envelope)
    sla.reply("q-twice")
    sla.finish("q-twice")

    assert (first["opened"], second) == (True, {"opened": False, "reason": "case exists"})
    assert sla.aws.dynamodb.scan(TableName=sla.table)["Count"] == 1
    assert len(sla.aws.stepfunctions.list_executions(stateMachineArn=sla.state_machine)["executions"]) == 1
    assert [e for e, _ in timer_events(sla.bus.drain())].count("CaseOpened") == 1


def test_a_withdrawn_case_is_never_escalated(sla: Sla) -> None:
    sla.open(sla.classified("question", "q-gone"))
    now = datetime.now(UTC).isoformat()
    withdrawn = sla.close(
        "CommentDeleted", {"platform": "facebook", "comment_id": "q-gone", "deleted_at": now, "received_at": now}
    )
    sla.finish("q-gone")

    assert withdrawn["event"] == "CaseWithdrawn"
    assert timer_events(sla.bus.drain()) == [("CaseOpened", ""), ("CaseWithdrawn", "")]
    # Stopped before any notification: by IsCaseOpen, or by MarkTier's condition when the read came first
    # (moto waits whole seconds only, so a tier less than a second away does not wait at all).
    assert "WarningOrEscalation" not in sla.states_entered("q-gone")
    assert all(sla.sns(team) == [] for team in sla.team_queues)


def test_a_faq_auto_reply_answers_a_question_where_the_policy_counts_it(sla: Sla) -> None:
    sla.open(sla.classified("question", "q-faq"))
    reaction = load_event("bus/ReactionPerformed.json")["detail"] | {
        "comment_id": "q-faq",
        "outcome": "done",
        "mode": "live",
        "reply_id": "r-faq",
        "performed_at": datetime.now(UTC).isoformat(),
    }
    answered = sla.close("ReactionPerformed", reaction, "replyloop.react")
    sla.finish("q-faq")

    assert (answered["event"], answered["within_sla"]) == ("CaseAnswered", True)
    assert "WarningOrEscalation" not in sla.states_entered("q-faq")


def test_a_failed_escalation_is_recorded_reported_to_ops_and_fails_the_execution(sla: Sla) -> None:
    sla.open(sla.classified("complaint", "c-broken"))
    wait_for(lambda: "warning" in sla.item("c-broken")["notified"]["M"])
    topic = next(t["TopicArn"] for t in sla.aws.sns.list_topics()["Topics"] if "escalations" in t["TopicArn"])
    sla.aws.sns.delete_topic(TopicArn=topic)
    description = sla.finish("c-broken", timeout=30)

    assert (description["status"], description.get("error")) == ("FAILED", "Sla.EscalationFailed")
    failure = sla.item("c-broken")["escalation_failed"]["M"]
    assert (failure["tier"]["S"], failure["team"]["S"]) == ("breach", "support")
    assert failure["error"]["S"].startswith("SNS.")
    (ops,) = sla.sns("ops")
    assert "facebook#c-broken" in ops["Message"]
    assert "tell the team by hand" in ops["Message"]
    assert ("CaseEscalated", "breach") not in timer_events(sla.bus.drain())
