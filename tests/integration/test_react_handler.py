"""The react handler on moto and the fake platforms: dry-run, live, one reaction per comment, failures kept."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from infra.local.clients import Clients
from infra.local.model import build_functions
from infra.local.resources import create_resources
from infra.local.template import load_template
from tests.integration.conftest import DEMO_SECRETS, Bus, LambdaContext
from tests.support.events import EVENTS_DIR, load_event
from tests.support.fake_platforms import FakePlatforms
from tests.support.observability import logged_by_us

TEMPLATE = Path(__file__).resolve().parents[2] / "template.yaml"

# None: no reaction now (an idea is thanked on IdeaRecorded, with its backlog number).
EXPECTED_ACTIONS: dict[str, str | None] = {
    "idea": None,
    "idea_recorded": "idea_thanks",
    "praise": "praise_thanks",
    "question_en": "faq_answer",
    "question_pl": "faq_answer",
    "sensitive": "help_route",
    "spam": "hide",
    "toxic": "hide",
}
FUNCTION = "replyloop-local-react"
FUNCTION_ARN_PREFIX = "arn:aws:lambda:eu-central-1:123456789012:function:"
TOKENS = [
    DEMO_SECRETS["telegram_bot_token"],
    DEMO_SECRETS["x_user_access_token"],
    DEMO_SECRETS["meta_page_access_token"],
]


def test_every_sample_has_an_expected_action() -> None:
    assert {path.stem for path in (EVENTS_DIR / "react").glob("*.json")} == set(EXPECTED_ACTIONS)


@dataclass
class Stack:
    app: Any
    aws: Clients
    bus: Bus
    fake: FakePlatforms

    def invoke(self, sample: str | dict[str, Any]) -> dict[str, Any]:
        event = load_event(f"react/{sample}.json") if isinstance(sample, str) else sample
        context = LambdaContext(function_name=FUNCTION, invoked_function_arn=f"{FUNCTION_ARN_PREFIX}{FUNCTION}")
        return self.app.lambda_handler(event, context)

    def published(self) -> list[dict[str, Any]]:
        return [event["detail"] for event in self.bus.drain()]

    def dead_letters(self) -> list[dict[str, Any]]:
        url = os.environ["REACTIONS_DLQ_URL"]
        messages = self.aws.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        return [json.loads(message["Body"]) for message in messages]


@pytest.fixture
def fake() -> Iterator[FakePlatforms]:
    with FakePlatforms() as server:
        yield server


@pytest.fixture
def stack(aws: Clients, fake: FakePlatforms, monkeypatch: pytest.MonkeyPatch) -> Iterator[Stack]:
    """functions/react/app.py with the environment the template gives it, on resources created from it."""
    template = load_template(TEMPLATE)
    physical = create_resources(
        template,
        aws,
        only=["EventBus", "IdempotencyTable", "PlatformSecret", "RateLimitTable", "ReactionsDeadLetterQueue"],
    )
    for name, value in build_functions(template, physical)["ReactFunction"].environment.items():
        monkeypatch.setenv(name, value)
    for name, value in {
        "GRAPH_API_BASE_URL": fake.graph_url,
        "TELEGRAM_API_BASE_URL": fake.telegram_url,
        "X_API_BASE_URL": fake.x_url,
        "PLATFORM_BACKOFF_SECONDS": "0",
        "PLATFORM_TIMEOUT_SECONDS": "2",
    }.items():
        monkeypatch.setenv(name, value)

    from functions.react import app
    from replyloop.adapters import aws as shared_clients

    caches = (app.reactor, app.ledger, shared_clients.client)
    for cached in caches:
        cached.cache_clear()
    name = os.environ["EVENT_BUS_NAME"]
    queue_url = aws.sqs.create_queue(QueueName="capture-react")["QueueUrl"]
    arn = aws.sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    aws.events.put_rule(
        Name="capture-react", EventBusName=name, EventPattern=json.dumps({"source": ["replyloop.react"]})
    )
    aws.events.put_targets(Rule="capture-react", EventBusName=name, Targets=[{"Id": "capture", "Arn": arn}])
    yield Stack(app, aws, Bus(aws, name, queue_url), fake)
    for cached in caches:
        cached.cache_clear()


@pytest.fixture
def live(stack: Stack, monkeypatch: pytest.MonkeyPatch) -> Stack:
    monkeypatch.setenv("REACTIONS_MODE", "live")
    return stack


# ---------------------------------------------------------------------------- dry-run (the default)


def test_the_template_defaults_to_dry_run(stack: Stack) -> None:
    assert os.environ["REACTIONS_MODE"] == "dry-run"


@pytest.mark.parametrize("sample", sorted(s for s, action in EXPECTED_ACTIONS.items() if action))
def test_dry_run_records_each_sample_without_calling_a_platform(stack: Stack, sample: str) -> None:
    answer = stack.invoke(sample)
    action = EXPECTED_ACTIONS[sample]
    assert answer["duplicate"] is False
    assert answer["reactions"][0]["action"] == action
    [detail] = [d for d in stack.published() if d["action"] == action]
    assert (detail["mode"], detail["outcome"]) == ("dry-run", "dry-run")
    assert stack.fake.requests == []


def test_an_idea_comment_is_thanked_only_once_it_has_a_number(stack: Stack) -> None:
    deferred = stack.invoke("idea")
    assert (deferred["deferred"], deferred["reactions"]) == (True, [])
    assert stack.published() == []
    thanked = stack.invoke("idea_recorded")
    [detail] = stack.published()
    assert (detail["comment_id"], detail["action"], detail["template_id"]) == (
        "-1002001:815",
        "idea_thanks",
        "idea_vote_thanks.pl.1",
    )
    assert "#12" in detail["reply_text"]
    assert thanked["deferred"] is False
    # A redelivered IdeaRecorded (or the comment's own redelivery) thanks nobody twice.
    assert stack.invoke("idea_recorded")["duplicate"] is True
    assert stack.invoke("idea")["reactions"] == []
    assert stack.published() == []


def test_dry_run_puts_the_decision_on_the_bus(stack: Stack) -> None:
    stack.invoke("question_pl")
    [event] = stack.bus.drain()
    assert (event["source"], event["detail-type"]) == ("replyloop.react", "ReactionPerformed")
    detail = event["detail"]
    assert (detail["comment_id"], detail["faq_id"], detail["template_id"]) == (
        "2002_3101",
        "pl-withdrawal-time",
        "faq_answer.pl.1",
    )
    assert detail["faq_score"] >= 0.55
    assert "utm_campaign=replyloop-faq" in detail["reply_text"]


def test_a_sensitive_comment_on_an_faq_topic_gets_only_the_help_route(stack: Stack) -> None:
    stack.invoke("sensitive")
    [detail] = stack.published()
    assert (detail["action"], detail["faq_id"]) == ("help_route", None)
    assert "help.example.com" not in detail["reply_text"]


def test_logs_carry_ids_not_comment_text(stack: Stack, caplog: pytest.LogCaptureFixture) -> None:
    stack.invoke("question_pl")
    comment = load_event("react/question_pl.json")["detail"]["comment"]
    [record] = [r for r in caplog.records if r.getMessage() == "Reaction"]
    assert (record.__dict__["comment_id"], record.__dict__["template_id"]) == ("2002_3101", "faq_answer.pl.1")
    logged = logged_by_us(caplog.records)
    assert comment["text"] not in logged
    assert comment["author"]["handle"] not in logged


# ---------------------------------------------------------------------------- live


def test_live_answers_a_facebook_question_through_the_graph_api(live: Stack) -> None:
    answer = live.invoke("question_pl")
    [request] = live.fake.requests
    assert (request.family, request.method, request.path) == ("graph", "POST", "/2002_3101/comments")
    [detail] = live.published()
    assert (detail["mode"], detail["outcome"], detail["reply_id"]) == ("live", "done", "2002_3101_901")
    assert request.body["message"] == detail["reply_text"]
    assert answer["reactions"] == [
        {"action": "faq_answer", "outcome": "done", "template_id": "faq_answer.pl.1", "reply_id": "2002_3101_901"}
    ]


@pytest.mark.parametrize(
    ("sample", "family", "method", "path"),
    [
        ("toxic", "graph", "POST", "/17900000000000101"),
        ("praise", "graph", "POST", "/17900000000000102/replies"),
        ("question_en", "x", "POST", "/2/tweets"),
        ("idea_recorded", "telegram", "POST", f"/bot{DEMO_SECRETS['telegram_bot_token']}/sendMessage"),
    ],
)
def test_live_calls_each_platform(live: Stack, sample: str, family: str, method: str, path: str) -> None:
    live.invoke(sample)
    assert [(r.family, r.method, r.path) for r in live.fake.requests] == [(family, method, path)]
    assert [d["outcome"] for d in live.published()] == ["done"]


def test_the_same_event_delivered_twice_reacts_once(live: Stack) -> None:
    first = live.invoke("question_en")
    second = live.invoke("question_en")
    assert (first["duplicate"], second["duplicate"]) == (False, True)
    assert second["reactions"] == []
    assert len(live.fake.requests) == 1
    assert len(live.published()) == 1


def test_a_platform_failure_is_recorded_and_sent_to_the_dead_letter_queue(
    live: Stack, capsys: pytest.CaptureFixture[str]
) -> None:
    live.fake.fail("telegram", 500, times=3)
    answer = live.invoke("idea_recorded")
    assert answer["reactions"][0]["outcome"] == "failed"
    [detail] = live.published()
    assert detail["outcome"] == "failed"
    assert detail["reason"] == "telegram reply (sendMessage): HTTP 500: Internal Server Error after 3 attempts"
    [letter] = live.dead_letters()
    assert letter["request"]["kind"] == "reply"
    assert letter["request"]["target"]["comment_id"] == "-1002001:815"
    assert letter["request"]["text"] == detail["reply_text"]
    assert letter["retryable"] is True
    out = capsys.readouterr().out
    assert "ReactionFailures" in out
    assert not any(token in out for token in TOKENS)
    assert len(live.fake.requests) == 3


def test_rate_limited_praise_is_recorded_on_moto(live: Stack) -> None:
    event = load_event("react/praise.json")
    outcomes = []
    for number in range(4):
        event["detail"]["comment"]["comment_id"] = f"1790000000000020{number}"
        event["detail"]["comment"]["author"]["id"] = f"17770000{number}"
        outcomes.append(live.invoke(event)["reactions"][0]["outcome"])
    assert outcomes == ["done", "done", "done", "rate-limited"]
    assert len(live.fake.requests) == 3


def test_a_reaction_is_remembered_longer_than_the_archive_can_replay_it(stack: Stack) -> None:
    stack.invoke("spam")
    table = os.environ["IDEMPOTENCY_TABLE"]
    [record] = stack.aws.dynamodb.scan(TableName=table)["Items"]
    assert record["id"]["S"].startswith("replyloop.react#")
    assert int(record["expiration"]["N"]) - time.time() > 14 * 24 * 3600
