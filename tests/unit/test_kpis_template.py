"""template.yaml's KPI resources: the activity table and function, the pseudonym key, the weekly digest schedule."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.support.template import load_template, translate_template

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def sam() -> dict[str, Any]:
    return load_template()


@pytest.fixture(scope="module")
def cfn() -> dict[str, Any]:
    return translate_template()


def _statements(cfn: dict[str, Any], role: str) -> list[dict[str, Any]]:
    policies = cfn["Resources"][role]["Properties"].get("Policies", [])
    return [s for policy in policies for s in policy["PolicyDocument"]["Statement"]]


def _actions(statement: dict[str, Any]) -> set[str]:
    actions = statement["Action"]
    return {actions} if isinstance(actions, str) else set(actions)


def test_the_activity_table_is_keyed_by_partition_and_day_expires_and_is_kept(sam: dict[str, Any]) -> None:
    table = sam["Resources"]["ActivityTable"]
    props = table["Properties"]
    assert (table["DeletionPolicy"], props["BillingMode"]) == ("Retain", "PAY_PER_REQUEST")
    assert props["KeySchema"] == [
        {"AttributeName": "pk", "KeyType": "HASH"},
        {"AttributeName": "sk", "KeyType": "RANGE"},
    ]
    assert props["TimeToLiveSpecification"] == {"AttributeName": "expires_at", "Enabled": True}
    assert props["SSESpecification"] == {"SSEEnabled": True}
    assert "GlobalSecondaryIndexes" not in props


def test_the_pseudonym_key_is_generated_retained_and_never_in_the_platform_secret(sam: dict[str, Any]) -> None:
    secret = sam["Resources"]["KpiPseudonymSecret"]
    generate = secret["Properties"]["GenerateSecretString"]
    assert secret["DeletionPolicy"] == "Retain"
    assert generate["PasswordLength"] >= 32
    assert "SecretStringTemplate" not in generate  # a plain random string: the whole secret is the key
    assert not any(r["Type"] == "AWS::SecretsManager::RotationSchedule" for r in sam["Resources"].values())


def test_the_activity_function_gets_every_classified_comment_and_faq_answers_only(sam: dict[str, Any]) -> None:
    props = sam["Resources"]["ActivityFunction"]["Properties"]
    events = props["Events"]
    assert events["CommentClassified"]["Properties"]["Pattern"] == {
        "source": ["replyloop.classify"],
        "detail-type": ["CommentClassified"],
    }
    assert events["FaqAnswer"]["Properties"]["Pattern"] == {
        "source": ["replyloop.react"],
        "detail-type": ["ReactionPerformed"],
        "detail": {"action": ["faq_answer"]},
    }
    for event in events.values():
        assert event["Properties"]["DeadLetterConfig"] == {"Arn": {"Fn::GetAtt": ["EventsDeadLetterQueue", "Arn"]}}
    assert props["Environment"]["Variables"]["ACTIVITY_TABLE"] == {"Ref": "ActivityTable"}
    assert props["Environment"]["Variables"]["KPI_PSEUDONYM_SECRET_ARN"] == {"Ref": "KpiPseudonymSecret"}


def test_the_activity_role_writes_only_its_table_and_reads_only_its_key(cfn: dict[str, Any]) -> None:
    statements = _statements(cfn, "ActivityFunctionRole")
    writes = [s for s in statements if _actions(s) & {"dynamodb:PutItem", "dynamodb:UpdateItem"}]
    assert [s["Resource"] for s in writes] == [{"Fn::GetAtt": ["ActivityTable", "Arn"]}]
    dynamodb = {action for s in statements for action in _actions(s) if action.startswith("dynamodb:")}
    assert dynamodb == {"dynamodb:PutItem", "dynamodb:UpdateItem"}  # no reads, no deletes
    secrets = [s for s in statements if "secretsmanager:GetSecretValue" in _actions(s)]
    assert [str(s["Resource"]) for s in secrets] == [
        str({"Fn::Sub": ["${secretArn}", {"secretArn": {"Ref": "KpiPseudonymSecret"}}]})
    ]


def test_the_digest_runs_on_monday_at_eight_in_warsaw(cfn: dict[str, Any]) -> None:
    schedule = cfn["Resources"]["KpiDigestFunctionWeeklyDigest"]["Properties"]
    assert schedule["ScheduleExpression"] == "cron(0 8 ? * MON *)"
    assert schedule["ScheduleExpressionTimezone"] == "Europe/Warsaw"
    assert schedule["Target"]["Arn"] == {"Fn::GetAtt": ["KpiDigestFunction", "Arn"]}
    assert json.loads(schedule["Target"]["Input"]) == {"scheduled_time": "<aws.scheduler.scheduled-time>"}
    assert schedule["Target"]["RetryPolicy"]["MaximumRetryAttempts"] >= 1
    assert schedule["Target"]["DeadLetterConfig"] == {"Arn": {"Fn::GetAtt": ["EventsDeadLetterQueue", "Arn"]}}


def test_the_digest_reads_the_three_tables_and_puts_on_the_bus(sam: dict[str, Any], cfn: dict[str, Any]) -> None:
    variables = sam["Resources"]["KpiDigestFunction"]["Properties"]["Environment"]["Variables"]
    assert {variables[name]["Ref"] for name in ("ACTIVITY_TABLE", "CASES_TABLE", "IDEAS_TABLE")} == {
        "ActivityTable",
        "CasesTable",
        "IdeasTable",
    }
    statements = _statements(cfn, "KpiDigestFunctionRole")
    assert any(_actions(s) == {"events:PutEvents"} for s in statements)
    writes = {a for s in statements for a in _actions(s) if a in ("dynamodb:PutItem", "dynamodb:UpdateItem")}
    assert writes == {"dynamodb:PutItem"}  # the digest's marker, on the activity table only
    assert not any("dynamodb:DeleteItem" in _actions(s) for s in statements)


def test_outputs_give_the_cli_every_table_the_kpis_read(sam: dict[str, Any]) -> None:
    outputs = sam["Outputs"]
    assert outputs["ActivityTableName"]["Value"] == {"Ref": "ActivityTable"}
    assert {"CasesTableName", "IdeasTableName"} <= set(outputs)
