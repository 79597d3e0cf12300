"""template.yaml's monthly summary: the schedules, the bucket, least privilege, the alarms on what the handler emits."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.support.template import load_template, translate_template

pytestmark = pytest.mark.unit

HANDLER = Path(__file__).resolve().parents[2] / "functions" / "summary" / "app.py"


@pytest.fixture(scope="module")
def sam() -> dict[str, Any]:
    return load_template()


@pytest.fixture(scope="module")
def cfn() -> dict[str, Any]:
    return translate_template()


def _statements(role: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for entry in role["Properties"].get("Policies", []):
        policy = entry["Fn::If"][1] if "Fn::If" in entry else entry
        statements = policy["PolicyDocument"]["Statement"]
        found += statements if isinstance(statements, list) else [statements]
    return found


def test_the_monthly_schedule_fires_at_nine_on_the_first_in_warsaw(cfn: dict[str, Any]) -> None:
    props = cfn["Resources"]["SummaryFunctionMonthly"]["Properties"]
    assert cfn["Resources"]["SummaryFunctionMonthly"]["Type"] == "AWS::Scheduler::Schedule"
    assert (props["ScheduleExpression"], props["ScheduleExpressionTimezone"]) == ("cron(0 9 1 * ? *)", "Europe/Warsaw")
    assert props["FlexibleTimeWindow"] == {"Mode": "OFF"}
    target = props["Target"]
    assert target["Arn"] == {"Fn::GetAtt": ["SummaryFunction", "Arn"]}
    assert target["RetryPolicy"]["MaximumRetryAttempts"] >= 3
    assert target["DeadLetterConfig"] == {"Arn": {"Fn::GetAtt": ["SummaryDeadLetterQueue", "Arn"]}}
    assert json.loads(target["Input"]) == {
        "scheduled_time": "<aws.scheduler.scheduled-time>",
        "execution_id": "<aws.scheduler.execution-id>",
    }


def test_the_daily_check_reports_the_gauge_the_ops_alarm_watches(cfn: dict[str, Any]) -> None:
    props = cfn["Resources"]["SummaryFunctionDailyCheck"]["Properties"]
    assert (props["ScheduleExpression"], props["ScheduleExpressionTimezone"]) == ("cron(0 12 * * ? *)", "Europe/Warsaw")
    assert json.loads(props["Target"]["Input"])["check"] is True
    alarm = cfn["Resources"]["MonthlySummaryNotPublishedAlarm"]["Properties"]
    assert (alarm["Namespace"], alarm["MetricName"], alarm["Statistic"]) == (
        "Replyloop",
        "MonthlySummaryPublished",
        "Minimum",
    )
    assert alarm["Dimensions"] == [{"Name": "service", "Value": "summary"}]


@pytest.mark.parametrize("schedule", ["SummaryFunctionMonthly", "SummaryFunctionDailyCheck"])
def test_the_scheduler_role_may_invoke_the_summary_function_only(cfn: dict[str, Any], schedule: str) -> None:
    role = cfn["Resources"][f"{schedule}Role"]
    assert role["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {
        "Service": ["scheduler.amazonaws.com"]
    }
    statements = {s["Action"]: s["Resource"] for s in _statements(role)}
    assert statements == {
        "lambda:InvokeFunction": {"Fn::GetAtt": ["SummaryFunction", "Arn"]},
        "sqs:SendMessage": {"Fn::GetAtt": ["SummaryDeadLetterQueue", "Arn"]},
    }


def test_the_bucket_is_private_encrypted_and_versioned(sam: dict[str, Any]) -> None:
    bucket = sam["Resources"]["SummaryBucket"]
    props = bucket["Properties"]
    assert bucket["DeletionPolicy"] == "Retain"
    assert props["PublicAccessBlockConfiguration"] == dict.fromkeys(
        ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"), True
    )
    [rule] = props["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    assert props["VersioningConfiguration"] == {"Status": "Enabled"}
    [deny] = sam["Resources"]["SummaryBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    assert (deny["Effect"], deny["Condition"]) == ("Deny", {"Bool": {"aws:SecureTransport": "false"}})


def test_the_function_gets_what_it_uses_and_no_more(cfn: dict[str, Any]) -> None:
    statements = _statements(cfn["Resources"]["SummaryFunctionRole"])
    by_action = {}
    for statement in statements:
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        for action in actions:
            by_action[action] = statement
    assert set(by_action) == {
        "sqs:SendMessage",  # its own dead-letter queue (async invocations that failed)
        "events:PutEvents",
        "s3:PutObject",
        "dynamodb:GetItem",
        "dynamodb:Query",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "secretsmanager:GetSecretValue",
    }
    assert by_action["s3:PutObject"]["Resource"] == {"Fn::Sub": "${SummaryBucket.Arn}/summaries/*"}
    # Writes reach the month records only, never the backlog's own items.
    assert by_action["dynamodb:PutItem"]["Condition"] == {
        "ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["SUMMARY#*"]}
    }
    role_policies = cfn["Resources"]["SummaryFunctionRole"]["Properties"]["Policies"]
    [secret] = [p for p in role_policies if "Fn::If" in p]
    assert secret["Fn::If"][0] == "SummaryIsLive"  # the platform secret is read in live mode only


def test_dry_run_is_the_default(sam: dict[str, Any]) -> None:
    assert sam["Parameters"]["SummaryMode"]["Default"] == "dry-run"
    variables = sam["Resources"]["SummaryFunction"]["Properties"]["Environment"]["Variables"]
    assert variables["SUMMARY_MODE"] == {"Ref": "SummaryMode"}
    assert variables["POWERTOOLS_SERVICE_NAME"] == "summary"


def test_every_summary_alarm_watches_a_metric_the_handler_emits(sam: dict[str, Any]) -> None:
    emitted = set(re.findall(r'name="(\w+)"', HANDLER.read_text(encoding="utf-8")))
    watched = {
        alarm["Properties"]["MetricName"]
        for alarm in sam["Resources"].values()
        if alarm["Type"] == "AWS::CloudWatch::Alarm"
        and alarm["Properties"].get("Namespace") == "Replyloop"
        and {"Name": "service", "Value": "summary"} in alarm["Properties"].get("Dimensions", [])
    }
    assert watched == {"MonthlySummaryPublished", "SummaryFailures", "SummaryChecklistFailures"}
    assert watched <= emitted
    assert "SummaryAuthorsNotified" in emitted


def test_outputs_name_the_bucket_and_the_function(sam: dict[str, Any]) -> None:
    outputs = sam["Outputs"]
    assert outputs["SummaryBucketName"]["Value"] == {"Ref": "SummaryBucket"}
    assert outputs["SummaryFunctionName"]["Value"] == {"Ref": "SummaryFunction"}
