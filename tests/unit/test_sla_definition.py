"""Static checks of sla.asl.json and of the SLA resources in template.yaml (what moto and cfn-lint do not catch)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from replyloop.models.cases import CaseEscalated, SlaWarning
from tests.support.template import TEMPLATE_PATH, load_template, translate_template

pytestmark = pytest.mark.unit

ROOT = TEMPLATE_PATH.parent
SAM = load_template()
MACHINE = SAM["Resources"]["SlaStateMachine"]["Properties"]
TEXT = (ROOT / MACHINE["DefinitionUri"]).read_text(encoding="utf-8")
DEFINITION = json.loads(TEXT)
SERVICE_INTEGRATIONS = {
    "arn:aws:states:::dynamodb:getItem",
    "arn:aws:states:::dynamodb:updateItem",
    "arn:aws:states:::sns:publish",
    "arn:aws:states:::events:putEvents",
}


def scopes(machine: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Each `States` block: the top level and every Map's item processor."""
    yield machine["States"]
    for state in machine["States"].values():
        if processor := state.get("ItemProcessor") or state.get("Iterator"):
            yield from scopes(processor)


def all_states() -> Iterator[tuple[str, dict[str, Any]]]:
    for states in scopes(DEFINITION):
        yield from states.items()


def keys(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from keys(value)
    elif isinstance(node, list):
        for item in node:
            yield from keys(item)


def test_every_transition_names_a_state_of_its_scope() -> None:
    for states in scopes(DEFINITION):
        for name, state in states.items():
            targets = [state.get("Next"), state.get("Default")]
            targets += [choice.get("Next") for choice in state.get("Choices", [])]
            targets += [catch["Next"] for catch in state.get("Catch", [])]
            assert all(target in states for target in targets if target is not None), name
            assert state.get("End") or state.get("Next") or state["Type"] in ("Choice", "Succeed", "Fail"), name


def test_every_substitution_is_provided_by_the_template_and_every_one_is_used() -> None:
    used = set(re.findall(r"\$\{(\w+)\}", TEXT))
    assert used == set(MACHINE["DefinitionSubstitutions"])
    substituted = TEXT
    for key in used:
        substituted = substituted.replace("${" + key + "}", f"value-of-{key}")
    assert "${" not in substituted
    json.loads(substituted)


def test_every_task_is_a_service_integration_with_retry_and_catch() -> None:
    tasks = [(name, state) for name, state in all_states() if state["Type"] == "Task"]
    assert len(tasks) >= 6
    for name, state in tasks:
        assert state["Resource"] in SERVICE_INTEGRATIONS, f"{name}: {state['Resource']} (no Lambda on the timer path)"
        assert state.get("Retry"), f"{name} has no Retry"
        assert any("States.ALL" in catch["ErrorEquals"] for catch in state.get("Catch", [])), f"{name} has no Catch"


def test_jsonpath_only_and_a_standard_workflow_with_logging_and_tracing() -> None:
    assert not {"QueryLanguage", "Assign", "Arguments", "Output"} & set(keys(DEFINITION))
    assert MACHINE["Type"] == "STANDARD"
    assert MACHINE["Tracing"] == {"Enabled": True}
    assert MACHINE["Logging"]["Level"] in ("ERROR", "ALL")
    group = MACHINE["Logging"]["Destinations"][0]["CloudWatchLogsLogGroup"]["LogGroupArn"]["Fn::GetAtt"][0]
    assert SAM["Resources"][group]["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}


def test_tiers_run_one_at_a_time_and_only_a_closed_case_ends_the_map_successfully() -> None:
    tiers = DEFINITION["States"][DEFINITION["StartAt"]]
    assert (tiers["Type"], tiers["MaxConcurrency"], tiers["ItemsPath"]) == ("Map", 1, "$.tiers")
    assert [c["ErrorEquals"] for c in tiers["Catch"]] == [["Sla.CaseClosed"]]
    failures = {state["Error"] for _, state in all_states() if state["Type"] == "Fail"}
    assert failures == {"Sla.CaseClosed", "Sla.EscalationFailed"}


def test_the_tier_mark_is_conditional_and_not_retried_when_the_condition_fails() -> None:
    states = dict(all_states())
    mark = states["MarkTier"]
    assert "attribute_not_exists(notified.#tier)" in mark["Parameters"]["ConditionExpression"]
    assert "attribute_not_exists(answered_at)" in mark["Parameters"]["ConditionExpression"]
    assert mark["Retry"][0] == {"ErrorEquals": ["DynamoDB.ConditionalCheckFailedException"], "MaxAttempts": 0}
    assert mark["Catch"][0]["Next"] == "TierAlreadyHandled"


@pytest.mark.parametrize(("state", "model"), [("PutSlaWarning", SlaWarning), ("PutCaseEscalated", CaseEscalated)])
def test_the_events_the_timer_puts_have_exactly_the_model_fields(state: str, model: type[Any]) -> None:
    (entry,) = dict(all_states())[state]["Parameters"]["Entries"]
    assert (entry["Source"], entry["DetailType"]) == (model.source, model.detail_type)
    assert {key.removesuffix(".$") for key in entry["Detail"]} == set(model.model_fields)


def test_escalations_carry_the_team_as_a_message_attribute() -> None:
    publish = dict(all_states())["PublishEscalation"]["Parameters"]
    assert publish["TopicArn"] == "${EscalationTopicArn}"
    assert publish["MessageAttributes"]["team"] == {"DataType": "String", "StringValue.$": "$.tier.team"}


# ---------------------------------------------------------------------------- template resources


@pytest.fixture(scope="module")
def cfn() -> dict[str, Any]:
    return translate_template()


def test_sla_open_only_sees_comments_that_need_a_response() -> None:
    rule = SAM["Resources"]["SlaOpenFunction"]["Properties"]["Events"]["CommentClassified"]["Properties"]
    assert rule["Pattern"] == {
        "source": ["replyloop.classify"],
        "detail-type": ["CommentClassified"],
        "detail": {"classification": {"needs_response": [True]}},
    }


def test_sla_close_hears_replies_deletions_auto_replies_and_the_timer() -> None:
    events = SAM["Resources"]["SlaCloseFunction"]["Properties"]["Events"]
    patterns = [event["Properties"]["Pattern"] for event in events.values()]
    assert {(p["source"][0], dt) for p in patterns for dt in p["detail-type"]} == {
        ("replyloop.ingest", "BrandReplied"),
        ("replyloop.ingest", "CommentDeleted"),
        ("replyloop.react", "ReactionPerformed"),
        ("replyloop.sla", "SlaWarning"),
        ("replyloop.sla", "CaseEscalated"),
    }
    for event in events.values():
        assert event["Properties"]["DeadLetterConfig"] == {"Arn": {"Fn::GetAtt": ["EventsDeadLetterQueue", "Arn"]}}
        assert event["Properties"]["RetryPolicy"]["MaximumRetryAttempts"] >= 1


def _actions(cfn: dict[str, Any], role: str) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    for policy in cfn["Resources"][role]["Properties"]["Policies"]:
        for statement in policy["PolicyDocument"]["Statement"]:
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            for action in actions:
                found.setdefault(action, []).append(statement["Resource"])
    return found


def test_roles_are_scoped_to_the_sla_resources(cfn: dict[str, Any]) -> None:
    opener = _actions(cfn, "SlaOpenFunctionRole")
    assert "states:StartExecution" in opener
    assert "dynamodb:PutItem" in opener
    assert "dynamodb:DeleteItem" not in opener
    closer = _actions(cfn, "SlaCloseFunctionRole")
    assert closer["dynamodb:Query"] == [{"Fn::Sub": "${CasesTable.Arn}/index/by-parent"}]
    assert "dynamodb:PutItem" not in closer
    timer = _actions(cfn, "SlaStateMachineRole")
    assert timer["dynamodb:UpdateItem"] == [{"Fn::GetAtt": ["CasesTable", "Arn"]}]
    assert "sns:Publish" in timer
    assert "events:PutEvents" in timer
    assert not any(action.startswith("lambda:") for action in timer)


def test_team_subscriptions_filter_on_the_team_attribute_and_exist_only_with_an_address() -> None:
    subscriptions = {
        name: resource
        for name, resource in SAM["Resources"].items()
        if resource["Type"] == "AWS::SNS::Subscription"
        and resource["Properties"]["TopicArn"] == {"Ref": "EscalationTopic"}
    }
    teams = {team for s in subscriptions.values() for team in s["Properties"]["FilterPolicy"]["team"]}
    assert {"support", "compliance", "smm-lead"} <= teams
    for name, resource in subscriptions.items():
        assert resource["Properties"]["FilterPolicyScope"] == "MessageAttributes", name
        condition = SAM["Conditions"][resource["Condition"]]
        assert condition == {"Fn::Not": [{"Fn::Equals": [{"Ref": resource["Properties"]["Endpoint"]["Ref"]}, ""]}]}


def test_alarms_watch_the_timer_the_functions_and_the_breach_rate() -> None:
    alarms = {name: r["Properties"] for name, r in SAM["Resources"].items() if r["Type"] == "AWS::CloudWatch::Alarm"}
    timer_metrics = {
        a["MetricName"]
        for a in alarms.values()
        if a.get("Namespace") == "AWS/States"
        and a["Dimensions"] == [{"Name": "StateMachineArn", "Value": {"Ref": "SlaStateMachine"}}]
    }
    assert timer_metrics == {"ExecutionsFailed", "ExecutionsTimedOut", "ExecutionsAborted"}
    errors = {a["Dimensions"][0]["Value"]["Ref"] for a in alarms.values() if a.get("MetricName") == "Errors"}
    assert {"SlaOpenFunction", "SlaCloseFunction"} <= errors
    rate = alarms["SlaBreachRateAlarm"]
    metrics = {m["Id"]: m for m in rate["Metrics"]}
    assert metrics["escalated"]["MetricStat"]["Metric"]["MetricName"] == "CasesEscalated"
    assert metrics["opened"]["MetricStat"]["Metric"]["MetricName"] == "CasesOpened"
    assert "FILL(escalated, 0) / FILL(opened, 0)" in metrics["breach_rate"]["Expression"]
    assert rate["Threshold"] == {"Ref": "SlaBreachRatePercent"}


def test_the_cases_table_is_keyed_by_case_with_the_parent_index() -> None:
    props = SAM["Resources"]["CasesTable"]["Properties"]
    assert props["KeySchema"] == [{"AttributeName": "pk", "KeyType": "HASH"}]
    assert props["GlobalSecondaryIndexes"][0]["IndexName"] == "by-parent"
    assert props["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert props["SSESpecification"] == {"SSEEnabled": True}
    assert props["BillingMode"] == "PAY_PER_REQUEST"


def test_outputs_name_the_timer_and_the_escalation_topic() -> None:
    assert SAM["Outputs"]["SlaStateMachineArn"]["Value"] == {"Ref": "SlaStateMachine"}
    assert SAM["Outputs"]["EscalationTopicArn"]["Value"] == {"Ref": "EscalationTopic"}


def test_the_definition_file_is_where_the_template_says() -> None:
    assert Path(MACHINE["DefinitionUri"]) == Path("infra/statemachines/sla.asl.json")
