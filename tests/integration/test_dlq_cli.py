"""`replyloop dlq list|redrive` on moto: what each dead-letter queue holds goes back where it can succeed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from botocore.stub import Stubber

from infra.local.clients import Clients
from infra.local.resources import create_resources
from infra.local.template import Template, load_template
from replyloop.adapters.dead_letter_queues import SqsDeadLetterQueues
from replyloop.adapters.dead_letters import SqsDeadLetters
from replyloop.adapters.redrive import Redriver
from replyloop.cli import main
from replyloop.models.events import BusEvent, ReactionPerformed
from replyloop.reactions.actions import ActionRequest, CommentRef, FailedAction
from tests.integration.conftest import Bus
from tests.support.events import load_event
from tests.support.fake_platforms import FakePlatforms
from tests.support.faults import fail_first_entry
from tests.support.ideas import clear_caches

TEMPLATE = Path(__file__).resolve().parents[2] / "template.yaml"
STAGE = ["--stage", "local"]  # template.yaml's names for Stage=local: replyloop-local-*-dlq, bus replyloop-local
BUS = "replyloop-local"
RULE_ARN = "arn:aws:events:eu-central-1:123456789012:rule/replyloop-local/replyloop-local-SlaOpenRule"
NOW = datetime(2026, 1, 12, 9, 30, tzinfo=UTC)


@cache
def template() -> Template:
    return load_template(TEMPLATE)  # read once: creating resources from it does not change it


@pytest.fixture
def queues(aws: Clients) -> Iterator[dict[str, str]]:
    """The template's dead-letter queues, bus and platform secret, created in moto."""
    dlqs = {
        "events": "EventsDeadLetterQueue",
        "reactions": "ReactionsDeadLetterQueue",
        "summary": "SummaryDeadLetterQueue",
    }
    physical = create_resources(template(), aws, only=["EventBus", "PlatformSecret", *dlqs.values()])
    with clear_caches():  # the CLI makes its clients inside this test's moto
        yield {name: physical[logical_id] for name, logical_id in dlqs.items()}


@pytest.fixture
def bus(aws: Clients, queues: dict[str, str]) -> Bus:
    """Everything that reaches the bus again, from any source."""
    url = aws.sqs.create_queue(QueueName="capture-redrive")["QueueUrl"]
    arn = aws.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    aws.events.put_rule(Name="capture-redrive", EventBusName=BUS, EventPattern=json.dumps({"source": [{"prefix": ""}]}))
    aws.events.put_targets(Rule="capture-redrive", EventBusName=BUS, Targets=[{"Id": "capture", "Arn": arn}])
    return Bus(aws, BUS, url)


def _attributes(values: dict[str, str]) -> dict[str, Any]:
    return {name: {"DataType": "String", "StringValue": value} for name, value in values.items()}


def rule_dead_letter(aws: Clients, url: str, sample: str = "bus/CommentClassified.json") -> dict[str, Any]:
    """As an EventBridge rule target's DLQ gets it: the event as the body, the failure in attributes."""
    event = load_event(sample)
    attributes = {
        "RULE_ARN": RULE_ARN,
        "TARGET_ARN": "arn:aws:lambda:eu-central-1:123456789012:function:replyloop-local-SlaOpenFunction",
        "ERROR_CODE": "SDK_CLIENT_ERROR",
        "ERROR_MESSAGE": "Unable to invoke Lambda function: Rate Exceeded",
        "EXHAUSTED_RETRY_CONDITION": "MaximumRetryAttempts",
        "RETRY_ATTEMPTS": "4",
    }
    aws.sqs.send_message(QueueUrl=url, MessageBody=json.dumps(event), MessageAttributes=_attributes(attributes))
    return event


def lambda_dead_letter(aws: Clients, url: str, sample: str = "bus/BrandReplied.json") -> dict[str, Any]:
    """As a Lambda async invocation's DLQ gets it: the invocation's payload (the event), the error in attributes."""
    event = load_event(sample)
    attributes = {"RequestID": "0d5f1d43-0e39-4b0c-9b8a-4c0c3c1b4f11", "ErrorCode": "200", "ErrorMessage": "boom"}
    aws.sqs.send_message(QueueUrl=url, MessageBody=json.dumps(event), MessageAttributes=_attributes(attributes))
    return event


def failed_action(aws: Clients, url: str, *, retryable: bool = True, action: str = "faq_answer") -> FailedAction:
    """Written by the react function's own adapter, as it does when a platform call failed for good."""
    target = CommentRef(
        platform="facebook", comment_id="2002_3101", thread_id="1001_2002", created_at=datetime(2026, 1, 12, tzinfo=UTC)
    )
    request = ActionRequest(
        kind="reply", action=action, target=target, lang="pl", text="Wypłata trwa do 24 h.", template_id="faq.pl.1"
    )  # type: ignore[arg-type]
    failed = FailedAction(request=request, error="facebook reply: HTTP 500", retryable=retryable, failed_at=NOW)
    SqsDeadLetters(url, client=aws.sqs).failed_action(failed)
    return failed


def depth(aws: Clients, url: str) -> int:
    names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    attributes = aws.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=names)["Attributes"]
    return sum(int(attributes[name]) for name in names)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["dlq", *argv])
    out, err = capsys.readouterr()
    return code, out, err


# ---------------------------------------------------------------------------- list


def test_list_shows_every_dead_letter_queue_with_depth_and_age(
    aws: Clients, queues: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    rule_dead_letter(aws, queues["events"])
    lambda_dead_letter(aws, queues["events"])
    code, out, _ = run(capsys, "list", *STAGE)
    rows = {line.split()[0]: line.split() for line in out.splitlines()[1:4]}
    assert code == 0
    assert set(rows) == {"events", "reactions", "summary"}
    assert rows["events"][1:3] == ["2", "0"]
    assert rows["events"][3:5] == ["0", "min*"]  # just sent; seen by peeking, as moto has no SQS metrics
    assert rows["reactions"][1:4] == ["0", "0", "-"]
    assert "2 message(s) waiting" in out
    assert depth(aws, queues["events"]) == 2, "listing must not take messages away"

    code, out, _ = run(capsys, "list", "--json", *STAGE)
    statuses = {row["name"]: row for row in map(json.loads, out.splitlines())}
    assert statuses["events"]["retention_seconds"] == 1209600
    assert 13 * 86400 < statuses["events"]["expires_in_seconds"] <= 14 * 86400


def test_list_needs_to_know_which_deployment(queues: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "list")
    assert (code, "--stage" in err) == (2, True)
    code, _, err = run(capsys, "list", "--stage", "nope")
    assert (code, "replyloop-nope-*-dlq" in err) == (2, True)


# ---------------------------------------------------------------------------- the events DLQ


def test_redrive_puts_each_event_back_on_the_bus_and_deletes_it(
    aws: Clients, queues: dict[str, str], bus: Bus, capsys: pytest.CaptureFixture[str]
) -> None:
    from_rule = rule_dead_letter(aws, queues["events"])
    from_lambda = lambda_dead_letter(aws, queues["events"])
    code, out, _ = run(capsys, "redrive", "events", *STAGE)
    assert code == 0
    assert out.count("redriven ") == 2
    assert "SDK_CLIENT_ERROR: Unable to invoke Lambda function: Rate Exceeded (rule replyloop-local-SlaOpenRule)" in out
    assert "events: 2 redriven" in out
    again = {event["detail-type"]: event for event in bus.drain()}
    for original in (from_rule, from_lambda):
        event = again[original["detail-type"]]
        assert (event["source"], event["detail"], event["time"]) == (
            original["source"],
            original["detail"],
            original["time"],
        )
    assert depth(aws, queues["events"]) == 0


def test_dry_run_changes_nothing(
    aws: Clients, queues: dict[str, str], bus: Bus, capsys: pytest.CaptureFixture[str]
) -> None:
    rule_dead_letter(aws, queues["events"])
    code, out, _ = run(capsys, "redrive", "events", "--dry-run", *STAGE)
    assert code == 0
    assert out.startswith("would redrive event             CommentClassified facebook:2002_3101")
    assert bus.drain() == []
    assert depth(aws, queues["events"]) == 1
    code, out, _ = run(capsys, "redrive", "events", "--dry-run", *STAGE)
    assert "would redrive" in out, "a dry run leaves the messages visible for the next run"


def test_max_limits_how_many_are_redriven(
    aws: Clients, queues: dict[str, str], bus: Bus, capsys: pytest.CaptureFixture[str]
) -> None:
    for _ in range(3):
        rule_dead_letter(aws, queues["events"])
    code, out, _ = run(capsys, "redrive", queues["events"], "--max", "2", "--json", *STAGE)
    verdicts = [json.loads(line)["verdict"] for line in out.splitlines()]
    assert (code, verdicts) == (0, ["redriven", "redriven"])
    assert len(bus.drain()) == 2
    assert depth(aws, queues["events"]) == 1


def test_unknown_messages_are_kept(
    aws: Clients, queues: dict[str, str], bus: Bus, capsys: pytest.CaptureFixture[str]
) -> None:
    aws.sqs.send_message(QueueUrl=queues["events"], MessageBody="not json at all")
    aws.sqs.send_message(QueueUrl=queues["events"], MessageBody=json.dumps({"hello": "world"}))
    code, out, _ = run(capsys, "redrive", "replyloop-local-events-dlq", *STAGE)
    assert code == 0
    assert out.count("kept          unknown") == 2
    assert bus.drain() == []
    assert depth(aws, queues["events"]) == 2


def test_a_message_whose_put_fails_stays_in_the_queue(aws: Clients, queues: dict[str, str], bus: Bus) -> None:
    rule_dead_letter(aws, queues["events"])
    rule_dead_letter(aws, queues["events"], "bus/CaseEscalated.json")
    events = aws.events
    fail_first_entry(events, calls=1)
    redriver = Redriver(SqsDeadLetterQueues(sqs=aws.sqs), BUS, events=events)
    outcomes = list(redriver.run(queues["events"]))
    assert sorted(o.verdict for o in outcomes) == ["failed", "redriven"]
    failed = next(o for o in outcomes if o.verdict == "failed")
    assert "InternalFailure" in failed.note
    assert len(bus.drain()) == 1
    [left] = aws.sqs.receive_message(QueueUrl=queues["events"], MessageAttributeNames=["All"])["Messages"]
    assert json.loads(left["Body"])["detail-type"] in failed.plan.what


def test_a_schedule_dead_letter_invokes_its_target_again(aws: Clients, queues: dict[str, str]) -> None:
    """EventBridge Scheduler keeps the target's input as the body and names schedule and target in attributes."""
    target = "arn:aws:lambda:eu-central-1:123456789012:function:replyloop-local-KpiDigestFunction"
    attributes = {
        "SCHEDULE_ARN": "arn:aws:scheduler:eu-central-1:123456789012:schedule/default/replyloop-local-kpi-digest",
        "TARGET_ARN": target,
        "ERROR_CODE": "Lambda.TooManyRequestsException",
        "ERROR_MESSAGE": "Rate Exceeded.",
    }
    body = json.dumps({"scheduled_time": "2026-01-12T07:00:00Z"})
    aws.sqs.send_message(QueueUrl=queues["events"], MessageBody=body, MessageAttributes=_attributes(attributes))
    lambda_client = aws.client("lambda")
    with Stubber(lambda_client) as stub:  # the request is what matters; moto would not run the function
        expected = {"FunctionName": target, "InvocationType": "Event", "Payload": body.encode()}
        stub.add_response("invoke", {"StatusCode": 202}, expected)
        redriver = Redriver(SqsDeadLetterQueues(sqs=aws.sqs), BUS, lambda_client=lambda_client)
        [outcome] = list(redriver.run(queues["events"]))
    assert (outcome.verdict, outcome.plan.kind) == ("redriven", "schedule")
    assert outcome.plan.what == "schedule replyloop-local-kpi-digest -> replyloop-local-KpiDigestFunction"
    assert outcome.plan.error == "Lambda.TooManyRequestsException: Rate Exceeded."
    assert depth(aws, queues["events"]) == 0


def test_a_lambda_dead_letter_that_is_no_event_goes_back_to_the_function_owning_the_queue(
    aws: Clients, queues: dict[str, str]
) -> None:
    """The summary's DLQ: Lambda keeps the scheduled input (no event) and names only the request."""
    arn = aws.sqs.get_queue_attributes(QueueUrl=queues["summary"], AttributeNames=["QueueArn"])["Attributes"]
    function = "arn:aws:lambda:eu-central-1:123456789012:function:replyloop-local-SummaryFunction"
    other = "arn:aws:lambda:eu-central-1:123456789012:function:replyloop-local-IngestFunction"
    body = json.dumps({"scheduled_time": "2026-02-01T08:00:00Z", "execution_id": "e-1"})
    attributes = {"RequestID": "7f1c", "ErrorCode": "200", "ErrorMessage": "Task timed out after 300.00 seconds"}
    aws.sqs.send_message(QueueUrl=queues["summary"], MessageBody=body, MessageAttributes=_attributes(attributes))
    dlqs = SqsDeadLetterQueues(sqs=aws.sqs)
    # moto keeps no DeadLetterConfig on functions: ListFunctions is answered as AWS answers it.
    listing = aws.client("lambda")
    functions = [
        {"FunctionArn": function, "DeadLetterConfig": {"TargetArn": arn["QueueArn"]}},
        {"FunctionArn": other},
    ]
    with Stubber(listing) as stub:
        for _ in range(2):
            stub.add_response("list_functions", {"Functions": functions}, {})
        assert dlqs.owner(arn["QueueArn"], lambda_client=listing) == function
        assert dlqs.owner("arn:aws:sqs:eu-central-1:123456789012:nobody", lambda_client=listing) is None
    lambda_client = aws.client("lambda")
    with Stubber(lambda_client) as stub:
        expected = {"FunctionName": function, "InvocationType": "Event", "Payload": body.encode()}
        stub.add_response("invoke", {"StatusCode": 202}, expected)
        redriver = Redriver(dlqs, BUS, lambda_client=lambda_client, owner=function)
        [outcome] = list(redriver.run(queues["summary"]))
    assert (outcome.verdict, outcome.plan.kind) == ("redriven", "invocation")
    assert outcome.plan.what == "invocation of replyloop-local-SummaryFunction (request 7f1c)"
    assert depth(aws, queues["summary"]) == 0
    aws.sqs.send_message(QueueUrl=queues["summary"], MessageBody=body, MessageAttributes=_attributes(attributes))
    [kept] = list(Redriver(dlqs, BUS).run(queues["summary"]))
    assert (kept.verdict, kept.plan.kind) == ("kept", "unknown"), "without an owner it is not guessed at"


# ---------------------------------------------------------------------------- the reactions DLQ


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakePlatforms]:
    with FakePlatforms() as server:
        for name, value in {
            "GRAPH_API_BASE_URL": server.graph_url,
            "TELEGRAM_API_BASE_URL": server.telegram_url,
            "X_API_BASE_URL": server.x_url,
            "PLATFORM_BACKOFF_SECONDS": "0",
        }.items():
            monkeypatch.setenv(name, value)
        yield server


def test_redrive_redoes_a_failed_reply_and_reports_it_done(
    aws: Clients, queues: dict[str, str], bus: Bus, fake: FakePlatforms, capsys: pytest.CaptureFixture[str]
) -> None:
    failed = failed_action(aws, queues["reactions"])
    code, out, _ = run(capsys, "redrive", "reactions", *STAGE)
    assert code == 0, out
    assert "redriven      failed-action     reply faq_answer facebook:2002_3101" in out
    [call] = fake.requests
    assert call.method == "POST"
    assert "2002_3101" in call.path
    [event] = bus.drain()
    performed = ReactionPerformed.model_validate(event["detail"])
    assert (event["detail-type"], performed.outcome, performed.mode) == ("ReactionPerformed", "done", "live")
    assert (performed.label, performed.action) == ("question", "faq_answer"), "what closes an SLA case"
    assert performed.reply_text == failed.request.text
    assert performed.reply_id
    assert depth(aws, queues["reactions"]) == 0


def test_a_permanent_failure_is_kept_unless_asked(
    aws: Clients, queues: dict[str, str], bus: Bus, fake: FakePlatforms, capsys: pytest.CaptureFixture[str]
) -> None:
    failed_action(aws, queues["reactions"], retryable=False)
    code, out, _ = run(capsys, "redrive", "reactions", *STAGE)
    assert (code, "kept          failed-action" in out, fake.requests) == (0, True, [])
    assert depth(aws, queues["reactions"]) == 1
    code, out, _ = run(capsys, "redrive", "reactions", "--include-permanent", *STAGE)
    assert (code, len(fake.requests), depth(aws, queues["reactions"])) == (0, 1, 0)


def test_a_redo_the_platform_refuses_again_stays(
    aws: Clients, queues: dict[str, str], bus: Bus, fake: FakePlatforms, capsys: pytest.CaptureFixture[str]
) -> None:
    failed_action(aws, queues["reactions"])
    fake.fail("graph", 500, times=5)
    code, out, _ = run(capsys, "redrive", "reactions", *STAGE)
    assert (code, "failed        failed-action" in out) == (1, True)
    assert bus.drain() == []
    assert depth(aws, queues["reactions"]) == 1


def test_an_unpublished_reaction_event_is_put_on_the_bus(
    aws: Clients, queues: dict[str, str], bus: Bus, capsys: pytest.CaptureFixture[str]
) -> None:
    detail = ReactionPerformed.model_validate(load_event("bus/ReactionPerformed.json")["detail"])
    SqsDeadLetters(queues["reactions"], client=aws.sqs).unpublished([BusEvent(detail, "facebook:2002_3101:faq")])
    code, out, _ = run(capsys, "redrive", "reactions", *STAGE)
    assert (code, "redriven      unpublished-event ReactionPerformed facebook:2002_3101" in out) == (0, True)
    [event] = bus.drain()
    assert ReactionPerformed.model_validate(event["detail"]) == detail
    assert depth(aws, queues["reactions"]) == 0


# ---------------------------------------------------------------------------- SQS's own redrive


def test_to_source_refuses_a_queue_no_sqs_queue_dead_letters_into(
    aws: Clients, queues: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "redrive", "events", "--to-source", *STAGE)
    assert (code, "no SQS queue dead-letters into events" in err) == (2, True)


def test_to_source_moves_messages_back_with_start_message_move_task(
    aws: Clients, queues: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    dlq_arn = aws.sqs.get_queue_attributes(QueueUrl=queues["events"], AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    policy = json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 3})
    aws.sqs.create_queue(QueueName="replyloop-local-work", Attributes={"RedrivePolicy": policy})
    rule_dead_letter(aws, queues["events"])
    code, out, _ = run(capsys, "redrive", "events", "--to-source", "--dry-run", *STAGE)
    assert (code, out.strip()) == (0, "would move 1 message(s) of events back to: replyloop-local-work")
    # moto has no StartMessageMoveTask: the request itself is pinned with botocore's Stubber.
    dlqs = SqsDeadLetterQueues(sqs=aws.sqs)
    with Stubber(aws.sqs) as stub:
        stub.add_response(
            "start_message_move_task",
            {"TaskHandle": "task-1"},
            {"SourceArn": dlq_arn, "MaxNumberOfMessagesPerSecond": 5},
        )
        assert dlqs.move_to_sources(dlq_arn, per_second=5) == "task-1"
