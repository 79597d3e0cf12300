"""The SLA adapters on moto: the cases table created from template.yaml, and the Step Functions timer."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from moto import mock_aws

from infra.local.clients import Clients
from infra.local.resources import create_resources
from infra.local.template import load_template
from replyloop.adapters.cases_table import DynamoCaseStore
from replyloop.adapters.sla_timer import StepFunctionsTimer
from replyloop.models.cases import CaseAnswered
from replyloop.models.events import CommentClassified
from replyloop.sla import Case, load_policy, open_case
from tests.support.events import load_event

TEMPLATE = Path(__file__).resolve().parents[2] / "template.yaml"
OPENED = datetime(2026, 3, 23, 9, 0, tzinfo=UTC)
TIMING = CaseAnswered.model_validate(load_event("bus/CaseAnswered.json")["detail"] | {"first_response_seconds": 300})


def case(comment_id: str, parent_id: str | None = None, minutes: int = 0) -> Case:
    detail = load_event("bus/CommentClassified.json")["detail"]
    at = (OPENED + timedelta(minutes=minutes)).isoformat()
    detail["comment"] |= {"comment_id": comment_id, "parent_id": parent_id, "received_at": at}
    opened = open_case(CommentClassified.model_validate(detail), load_policy())
    assert opened is not None
    return opened


@pytest.fixture
def store(aws: Clients) -> DynamoCaseStore:
    physical = create_resources(load_template(TEMPLATE), aws, only=["CasesTable"])
    return DynamoCaseStore(physical.ref("CasesTable"), client=aws.dynamodb)


def test_a_case_round_trips_and_is_created_once(store: DynamoCaseStore) -> None:
    original = case("3101")
    assert store.create(original) is True
    assert store.create(original) is False
    assert store.get(original.key) == original
    store.mark_announced(original.key)
    stored = store.get(original.key)
    assert stored is not None
    assert (stored.announced, stored.closure_announced) == (True, False)
    assert store.get("facebook#nothing") is None


def test_only_the_first_answer_is_recorded(store: DynamoCaseStore) -> None:
    store.create(case("3101"))
    first = store.answer(
        "facebook#3101", at=OPENED + timedelta(minutes=5), by="brand_reply", reply_id="3112", timing=TIMING
    )
    second = store.answer(
        "facebook#3101", at=OPENED + timedelta(minutes=6), by="auto_reply", reply_id=None, timing=TIMING
    )
    assert first is not None
    assert (first.answered_at, first.answered_by, first.reply_id) == (
        OPENED + timedelta(minutes=5),
        "brand_reply",
        "3112",
    )
    assert second is None
    assert store.withdraw("facebook#3101", OPENED + timedelta(minutes=7)) is None
    assert store.answer("facebook#missing", at=OPENED, by="brand_reply", reply_id=None, timing=TIMING) is None
    item = store.client.get_item(TableName=store.table_name, Key={"pk": {"S": "facebook#3101"}})["Item"]
    assert (item["first_response_seconds"], item["within_sla"]) == ({"N": "300"}, {"BOOL": True})


def test_the_timer_marks_are_read_back_as_escalations(store: DynamoCaseStore, aws: Clients) -> None:
    store.create(case("3101"))
    aws.dynamodb.update_item(
        TableName=store.table_name,
        Key={"pk": {"S": "facebook#3101"}},
        UpdateExpression="SET notified.#t = :now",
        ExpressionAttributeNames={"#t": "breach"},
        ExpressionAttributeValues={":now": {"S": "2026-03-23T11:00:00.000Z"}},
    )
    answered = store.answer(
        "facebook#3101", at=OPENED + timedelta(hours=3), by="brand_reply", reply_id="r", timing=TIMING
    )
    assert answered is not None
    assert answered.escalated is True


def test_a_reply_to_a_top_comment_finds_the_oldest_open_case_among_its_replies(store: DynamoCaseStore) -> None:
    # Facebook nests replies two levels deep: the brand's reply names the top comment, not the follow-up.
    for comment_id, minutes in (("3105", 1), ("3106", 2), ("3109", 30)):
        store.create(case(comment_id, parent_id="3101", minutes=minutes))
    store.answer("facebook#3105", at=OPENED + timedelta(minutes=3), by="brand_reply", reply_id="x", timing=TIMING)

    found = store.find_answered_by("facebook", "3101", OPENED + timedelta(minutes=10))
    assert found is not None
    assert found.key == "facebook#3106"  # 3105 is answered, 3109 came after the reply
    assert store.find_answered_by("instagram", "3101", OPENED + timedelta(minutes=10)) is None


def test_the_comment_s_own_case_comes_first_and_a_closed_one_is_not_found(store: DynamoCaseStore) -> None:
    store.create(case("3101"))
    store.create(case("3105", parent_id="3101", minutes=1))
    own = store.find_answered_by("facebook", "3101", OPENED + timedelta(minutes=10))
    assert own is not None
    assert own.key == "facebook#3101"
    store.withdraw("facebook#3101", OPENED + timedelta(minutes=2))
    assert store.find_answered_by("facebook", "3101", OPENED + timedelta(minutes=10)) is None


def test_starting_the_same_timer_twice_is_not_an_error() -> None:
    with mock_aws():
        client = Clients().stepfunctions
        definition = {"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}}
        arn = client.create_state_machine(
            name="sla", definition=json.dumps(definition), roleArn="arn:aws:iam::123456789012:role/sla"
        )["stateMachineArn"]
        timer = StepFunctionsTimer(arn, client=client)
        opened = case("3101")
        timer.start(opened)
        timer.start(opened)  # same name and input: the running execution
        timer.start(opened.model_copy(update={"team": "product"}))  # same name, other input: already exists
        executions = client.list_executions(stateMachineArn=arn)["executions"]
        assert [e["name"] for e in executions] == [opened.execution_name]
        started = client.describe_execution(executionArn=executions[0]["executionArn"])
        assert json.loads(started["input"])["tiers"][0]["name"] == "warning"
