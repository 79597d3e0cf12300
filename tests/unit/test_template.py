"""template.yaml as SAM translates it, cfn-lint's verdict on it, and samconfig.toml's deploy defaults."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, get_args

import pytest

from replyloop.models.events import Platform
from tests.support.observability import alarm_metrics, dead_letter_queues
from tests.support.template import TEMPLATE_PATH, load_template, translate_template

pytestmark = pytest.mark.unit

SAMCONFIG_PATH = TEMPLATE_PATH.with_name("samconfig.toml")
INGEST = "IngestFunction"
WEBHOOK_PATH = "/webhooks/{platform}"

# Managed policies SAM attaches by itself (logs; X-Ray for `Tracing: Active`), nothing broader.
ALLOWED_MANAGED_POLICIES = {
    "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
    "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",
}
# Actions that IAM only authorises on Resource "*" (no resource-level permissions exist for them).
RESOURCE_STAR_ONLY_ACTIONS = {
    "comprehend:DetectSentiment",  # Comprehend detect APIs take no resource ARN
    "comprehend:DetectToxicContent",
    "cloudwatch:PutMetricData",
    "xray:PutTraceSegments",
    "xray:PutTelemetryRecords",
    "xray:GetSamplingRules",
    "xray:GetSamplingTargets",
    "logs:CreateLogDelivery",
    "logs:GetLogDelivery",
    "logs:UpdateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutResourcePolicy",
    "logs:DescribeResourcePolicies",
    "logs:DescribeLogGroups",
}


@pytest.fixture(scope="module")
def sam() -> dict[str, Any]:
    return load_template()


@pytest.fixture(scope="module")
def cfn() -> dict[str, Any]:
    return translate_template()


def _of_type(template: dict[str, Any], *types: str) -> dict[str, dict[str, Any]]:
    return {name: res for name, res in template["Resources"].items() if res["Type"] in types}


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _statements(node: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every policy statement under `node`: role policies, managed policies, resource policies."""
    if isinstance(node, dict):
        if "Statement" in node:
            for statement in _as_list(node["Statement"]):
                yield where, statement
            return
        for key, value in node.items():
            yield from _statements(value, f"{where}.{key}")
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _statements(item, f"{where}[{index}]")


# ---------------------------------------------------------------------------- HTTP API


@pytest.mark.parametrize("method", ["get", "post"])
def test_webhook_route_integrates_with_the_ingest_function(cfn: dict[str, Any], method: str) -> None:
    routes = [
        api["Properties"]["Body"]["paths"][WEBHOOK_PATH][method]
        for api in _of_type(cfn, "AWS::ApiGatewayV2::Api").values()
        if method in api["Properties"].get("Body", {}).get("paths", {}).get(WEBHOOK_PATH, {})
    ]
    assert len(routes) == 1, f"exactly one HTTP API serves {method.upper()} {WEBHOOK_PATH}"
    integration = routes[0]["x-amazon-apigateway-integration"]
    assert integration["type"] == "aws_proxy"
    assert integration["payloadFormatVersion"] == "2.0"
    assert f"${{{INGEST}.Arn}}" in integration["uri"]["Fn::Sub"]


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_api_gateway_may_invoke_ingest_for_the_route(cfn: dict[str, Any], method: str) -> None:
    source_arns = [
        str(permission["Properties"]["SourceArn"])
        for permission in _of_type(cfn, "AWS::Lambda::Permission").values()
        if permission["Properties"]["FunctionName"] == {"Ref": INGEST}
        and permission["Properties"]["Principal"] == "apigateway.amazonaws.com"
    ]
    assert any(f"/{method}/webhooks/" in arn for arn in source_arns), source_arns


def _sub_text(value: Any) -> str:
    """The text of an output value: a plain string or the template of a `!Sub`."""
    if isinstance(value, dict) and "Fn::Sub" in value:
        sub = value["Fn::Sub"]
        return sub if isinstance(sub, str) else sub[0]
    return str(value)


def test_outputs_give_a_webhook_url_per_platform(sam: dict[str, Any]) -> None:
    urls = [_sub_text(output["Value"]) for output in sam["Outputs"].values()]
    for platform in get_args(Platform):
        assert any(
            url.startswith("https://${WebhookApi}.") and url.endswith(f"/webhooks/{platform}") for url in urls
        ), f"no webhook URL output for {platform}"


# ---------------------------------------------------------------------------- functions and layer


def test_every_function_has_the_standard_runtime_setup(cfn: dict[str, Any]) -> None:
    functions = _of_type(cfn, "AWS::Lambda::Function")
    layers = set(_of_type(cfn, "AWS::Lambda::LayerVersion"))
    layer_refs = [{"Ref": name} for name in layers if name.startswith("ReplyloopLayer")]
    assert functions, "the template defines no function"
    assert len(layer_refs) == 1
    problems = []
    for name, function in functions.items():
        props = function["Properties"]
        variables = props.get("Environment", {}).get("Variables", {})
        checks = {
            "runtime python3.13": props.get("Runtime") == "python3.13",
            "arm64": props.get("Architectures") == ["arm64"],
            "active tracing": props.get("TracingConfig") == {"Mode": "Active"},
            "the replyloop layer": layer_refs[0] in props.get("Layers", []),
            "metrics namespace Replyloop": variables.get("POWERTOOLS_METRICS_NAMESPACE") == "Replyloop",
            "a service name": bool(variables.get("POWERTOOLS_SERVICE_NAME")),
        }
        problems += [f"{name}: lacks {what}" for what, ok in checks.items() if not ok]
    assert not problems, "\n".join(problems)


def test_every_function_has_a_log_group_with_retention(cfn: dict[str, Any]) -> None:
    log_groups = _of_type(cfn, "AWS::Logs::LogGroup").values()
    retained = {
        str(group["Properties"].get("LogGroupName"))
        for group in log_groups
        if group["Properties"].get("RetentionInDays") is not None
    }
    missing = [
        name
        for name, function in _of_type(cfn, "AWS::Lambda::Function").items()
        if str({"Fn::Sub": f"/aws/lambda/${{{name}}}"}) not in retained
        and not function["Properties"].get("LoggingConfig", {}).get("LogGroup")
    ]
    assert not missing, f"functions logging to a never-expiring default log group: {missing}"


def test_layer_is_built_for_python_3_13_on_arm64(sam: dict[str, Any]) -> None:
    layer = sam["Resources"]["ReplyloopLayer"]
    assert layer["Type"] == "AWS::Serverless::LayerVersion"
    assert layer["Metadata"]["BuildMethod"] == "python3.13"
    assert layer["Metadata"].get("BuildArchitecture") == "arm64"
    assert "python3.13" in layer["Properties"]["CompatibleRuntimes"]


# ---------------------------------------------------------------------------- IAM


def test_no_policy_statement_grants_every_action_or_every_resource(cfn: dict[str, Any]) -> None:
    problems = []
    statements = [
        (f"{name}{where}", statement)
        for name, resource in cfn["Resources"].items()
        for where, statement in _statements(resource.get("Properties", {}), "")
    ]
    assert statements, "no policy statement found: is the walker broken?"
    for where, statement in statements:
        if statement.get("Effect") != "Allow":
            continue
        actions = [str(action) for action in _as_list(statement.get("Action", []))]
        if "NotAction" in statement or "NotResource" in statement:
            problems.append(f"{where}: NotAction/NotResource in an Allow")
        if any(action == "*" or action.endswith(":*") for action in actions):
            problems.append(f"{where}: wildcard action {actions}")
        if "*" in _as_list(statement.get("Resource", [])) and not set(actions) <= RESOURCE_STAR_ONLY_ACTIONS:
            problems.append(f"{where}: Resource '*' for {actions}")
    assert not problems, "\n".join(problems)


def test_roles_attach_no_broad_managed_policy(cfn: dict[str, Any]) -> None:
    attached = {
        f"{name}: {arn}"
        for name, role in _of_type(cfn, "AWS::IAM::Role").items()
        for arn in role["Properties"].get("ManagedPolicyArns", [])
        if arn not in ALLOWED_MANAGED_POLICIES
    }
    assert not attached, attached


def test_ingest_role_can_put_events_and_read_the_platform_secret(cfn: dict[str, Any]) -> None:
    role = cfn["Resources"][f"{INGEST}Role"]
    actions = {
        action
        for _, statement in _statements(role["Properties"]["Policies"], "")
        for action in _as_list(statement["Action"])
    }
    assert {"events:PutEvents", "secretsmanager:GetSecretValue", "dynamodb:PutItem"} <= actions


# ---------------------------------------------------------------------------- tables and alarms


def test_idempotency_table_expires_records_and_is_keyed_by_id(sam: dict[str, Any]) -> None:
    table_ref = sam["Resources"][INGEST]["Properties"]["Environment"]["Variables"]["IDEMPOTENCY_TABLE"]
    table = sam["Resources"][table_ref["Ref"]]
    props = table["Properties"]
    assert table["Type"] == "AWS::DynamoDB::Table"
    assert props.get("TimeToLiveSpecification") == {"AttributeName": "expiration", "Enabled": True}
    assert props["KeySchema"] == [{"AttributeName": "id", "KeyType": "HASH"}]
    assert {"AttributeName": "id", "AttributeType": "S"} in props["AttributeDefinitions"]
    assert props["BillingMode"] == "PAY_PER_REQUEST"


def test_every_alarm_notifies_the_ops_topic_and_says_what_to_do(cfn: dict[str, Any]) -> None:
    alarms = _of_type(cfn, "AWS::CloudWatch::Alarm", "AWS::CloudWatch::CompositeAlarm")
    assert alarms
    ops_topic = {"Ref": "OpsTopic"}
    assert cfn["Resources"]["OpsTopic"]["Type"] == "AWS::SNS::Topic"
    problems = []
    for name, alarm in alarms.items():
        props = alarm["Properties"]
        if props.get("AlarmActions") != [ops_topic]:
            problems.append(f"{name}: AlarmActions {props.get('AlarmActions')}")
        for key in ("OKActions", "InsufficientDataActions"):
            if any(action != ops_topic for action in props.get(key, [])):
                problems.append(f"{name}: {key} outside the ops topic")
        if len(str(props.get("AlarmDescription", "")).strip()) < 20:
            problems.append(f"{name}: no AlarmDescription telling on-call what it means")
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------------------- alarms, data-driven

# What CloudWatch accepts (PutMetricAlarm): Period x EvaluationPeriods at most 7 days, at most 1 day below 1 h.
MAX_EVALUATION_SECONDS = 7 * 86400


def _alarms(sam: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return _of_type(sam, "AWS::CloudWatch::Alarm")


def _watching(sam: dict[str, Any], namespace: str, metric: str, dimension: str, value: Any) -> list[str]:
    """Alarms on `metric` whose `dimension` is `value` (a Ref or GetAtt as written in the template)."""
    return [
        name
        for name, alarm in _alarms(sam).items()
        for watched in alarm_metrics(alarm)
        if (watched["Namespace"], watched["MetricName"]) == (namespace, metric)
        and {"Name": dimension, "Value": value} in watched["Dimensions"]
    ]


@pytest.mark.parametrize("metric", ["Errors", "Throttles"])
def test_every_function_has_an_errors_and_a_throttles_alarm(sam: dict[str, Any], metric: str) -> None:
    functions = _of_type(sam, "AWS::Serverless::Function")
    assert len(functions) >= 7
    missing = [name for name in functions if not _watching(sam, "AWS/Lambda", metric, "FunctionName", {"Ref": name})]
    assert not missing, f"functions without a {metric} alarm: {missing}"
    for name in functions:
        for alarm in _watching(sam, "AWS/Lambda", metric, "FunctionName", {"Ref": name}):
            props = sam["Resources"][alarm]["Properties"]
            # A count that is absent means nothing failed: missing data must not alarm.
            assert (props["Threshold"], props["TreatMissingData"]) == (0, "notBreaching"), alarm
            assert props["ComparisonOperator"] == "GreaterThanThreshold", alarm


def test_every_dead_letter_queue_has_a_depth_and_an_age_alarm(sam: dict[str, Any]) -> None:
    queues = dead_letter_queues(sam)
    assert {"EventsDeadLetterQueue", "ReactionsDeadLetterQueue"} <= queues
    problems = []
    for queue in sorted(queues):
        name = {"Fn::GetAtt": [queue, "QueueName"]}
        depth = _watching(sam, "AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", name)
        age = _watching(sam, "AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", name)
        if not depth:
            problems.append(f"{queue}: no alarm on any message waiting")
        for alarm in depth:  # any one message: alarm at once
            props = sam["Resources"][alarm]["Properties"]
            if (props["Threshold"], props["ComparisonOperator"], props["Statistic"]) != (
                0,
                "GreaterThanThreshold",
                "Maximum",
            ):
                problems.append(f"{alarm}: must fire on a single message")
        retention = int(sam["Resources"][queue]["Properties"].get("MessageRetentionPeriod", 345600))
        if retention != 1209600:
            problems.append(f"{queue}: keeps messages {retention} s, not the maximum 14 days")
        if not age or any(sam["Resources"][a]["Properties"]["Threshold"] >= retention for a in age):
            problems.append(f"{queue}: no alarm before its oldest message expires")
    assert not problems, "\n".join(problems)


def test_every_queue_is_a_dead_letter_queue_or_has_one(sam: dict[str, Any]) -> None:
    """A queue that is neither would escape the dead-letter alarms: classify it explicitly."""
    dlqs = dead_letter_queues(sam)
    unclassified = [
        name
        for name, queue in _of_type(sam, "AWS::SQS::Queue").items()
        if name not in dlqs and "RedrivePolicy" not in queue.get("Properties", {})
    ]
    assert not unclassified


def test_every_state_machine_and_api_has_its_failure_alarm(sam: dict[str, Any]) -> None:
    for machine in _of_type(sam, "AWS::Serverless::StateMachine"):
        assert _watching(sam, "AWS/States", "ExecutionsFailed", "StateMachineArn", {"Ref": machine}), machine
    for api in _of_type(sam, "AWS::Serverless::HttpApi"):
        assert _watching(sam, "AWS/ApiGateway", "5xx", "ApiId", {"Ref": api}), api
    assert _watching(sam, "Replyloop", "SignatureFailures", "service", "ingest")


def test_sla_breach_share_is_alarmed_as_escalated_per_opened(sam: dict[str, Any]) -> None:
    alarm = sam["Resources"]["SlaBreachRateAlarm"]["Properties"]
    read = {(m["MetricName"], m["Dimensions"][0]["Value"]) for m in alarm_metrics({"Properties": alarm})}
    assert read == {("CasesEscalated", "sla_close"), ("CasesOpened", "sla_open")}
    assert alarm["Threshold"] == {"Ref": "SlaBreachRatePercent"}


def test_monthly_summary_alarm_fires_when_a_daily_check_reports_nothing(sam: dict[str, Any]) -> None:
    [name] = _watching(sam, "Replyloop", "MonthlySummaryPublished", "service", "summary")
    props = sam["Resources"][name]["Properties"]
    # No data (the summary did not run) is the failure this alarm exists for.
    assert props["TreatMissingData"] == "breaching"
    assert (props["Statistic"], props["ComparisonOperator"], props["Threshold"]) == ("Minimum", "LessThanThreshold", 1)
    assert props["Period"] == 86400
    assert props["DatapointsToAlarm"] == props["EvaluationPeriods"] == 2


def test_every_alarm_treats_missing_data_deliberately_and_fits_cloudwatch_limits(sam: dict[str, Any]) -> None:
    problems = []
    for name, alarm in _alarms(sam).items():
        props = alarm["Properties"]
        if props.get("TreatMissingData") not in ("notBreaching", "breaching", "ignore", "missing"):
            problems.append(f"{name}: TreatMissingData not set")
        periods = [watched["Period"] for watched in alarm_metrics(alarm)]
        window = max(periods) * props["EvaluationPeriods"]
        limit = MAX_EVALUATION_SECONDS if min(periods) >= 3600 else 86400
        if window > limit:
            problems.append(f"{name}: evaluates {window} s, CloudWatch allows {limit} s")
        if props.get("DatapointsToAlarm", 1) > props["EvaluationPeriods"]:
            problems.append(f"{name}: DatapointsToAlarm above EvaluationPeriods")
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------------------- cfn-lint


def test_cfn_lint_finds_no_errors_or_warnings() -> None:
    # `make lint` runs cfn-lint, which fails on warnings too; E and W are the same bar here.
    from cfnlint.api import ManualArgs, lint_file

    matches = lint_file(Path(TEMPLATE_PATH), config=ManualArgs(regions=["eu-central-1"]))
    findings = [f"{m.rule.id} line {m.linenumber}: {m.message}" for m in matches if m.rule.id[0] in "EW"]
    assert not findings, "\n".join(findings)


# ---------------------------------------------------------------------------- samconfig.toml


def test_samconfig_deploys_the_replyloop_stack() -> None:
    config = tomllib.loads(SAMCONFIG_PATH.read_text(encoding="utf-8"))
    default = config["default"]
    deploy = default["deploy"]["parameters"]
    assert config["version"] == 0.1
    assert default["global"]["parameters"]["stack_name"] == "replyloop"
    assert set(deploy["capabilities"].split()) == {"CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"}
    assert deploy["resolve_s3"] is True
    assert deploy["confirm_changeset"] is True
    assert deploy["region"] == "eu-central-1"
    assert deploy["parameter_overrides"] == "Stage=prod"
    assert default["build"]["parameters"] == {"cached": True, "parallel": True}
    assert default["validate"]["parameters"]["lint"] is True


def test_samconfig_overrides_only_parameters_the_template_has(sam: dict[str, Any]) -> None:
    overrides = tomllib.loads(SAMCONFIG_PATH.read_text(encoding="utf-8"))["default"]["deploy"]["parameters"]
    names = {pair.split("=", 1)[0] for pair in overrides["parameter_overrides"].split()}
    assert names <= set(sam["Parameters"])
