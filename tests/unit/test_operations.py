"""The ops dashboard and saved queries in template.yaml: valid, complete, and reading what the handlers really write."""

from __future__ import annotations

import ast
import json
import re
from functools import cache
from typing import Any

import pytest

from tests.support.observability import (
    FUNCTIONS_DIR,
    Metric,
    alarm_metrics,
    dead_letter_queues,
    emitted_metrics,
    function_services,
    logical_ids_in,
)
from tests.support.template import load_template

PSEUDO = {"AWS::Region": "eu-central-1", "AWS::StackName": "replyloop", "AWS::AccountId": "123456789012"}
SEARCH = re.compile(r"SEARCH\('\{(?P<schema>[^}]*)\}\s*MetricName=\"(?P<name>[^\"]+)\"")


@cache
def sam() -> dict[str, Any]:
    return load_template()


def _resources(kind: str) -> dict[str, dict[str, Any]]:
    return {name: res for name, res in sam()["Resources"].items() if res["Type"] == kind}


def _value(name: str) -> str:
    """What `${name}` becomes at deploy time, in a shape that keeps the JSON valid (numbers stay numbers)."""
    template = sam()
    if name in PSEUDO:
        return PSEUDO[name]
    logical = name.split(".", 1)[0]
    if logical in template.get("Parameters", {}):
        parameter = template["Parameters"][logical]
        return str(parameter.get("Default", "x"))
    assert logical in template["Resources"], f"${{{name}}} names nothing in the template"
    return f"{name}-deployed"


@cache
def dashboard_source() -> str:
    [dashboard] = _resources("AWS::CloudWatch::Dashboard").values()
    body = dashboard["Properties"]["DashboardBody"]["Fn::Sub"]
    assert isinstance(body, str), "one source of truth: the body is the Sub string itself"
    return body


@cache
def dashboard() -> dict[str, Any]:
    return json.loads(re.sub(r"\$\{([^!}][^}]*)\}", lambda m: _value(m.group(1)), dashboard_source()))


def _widget(title_part: str) -> dict[str, Any]:
    found = [w for w in dashboard()["widgets"] if title_part.lower() in w["properties"].get("title", "").lower()]
    assert len(found) == 1, f"one widget titled '...{title_part}...', found {len(found)}"
    return found[0]


def _rows(widget: dict[str, Any]) -> list[list[Any]]:
    return widget["properties"].get("metrics", [])


def _dimension(row: list[Any], name: str) -> str | None:
    plain = [part for part in row if isinstance(part, str)]
    pairs = dict(zip(plain[2::2], plain[3::2], strict=False))
    return pairs.get(name)


# ---------------------------------------------------------------------------- the dashboard


def test_dashboard_body_is_valid_json_with_a_grid_of_widgets() -> None:
    widgets = dashboard()["widgets"]
    assert len(widgets) >= 15
    for widget in widgets:
        assert widget["type"] in {"metric", "text", "alarm", "log"}
        assert widget["x"] >= 0, widget
        assert widget["x"] + widget["width"] <= 24, widget
        if widget["type"] == "metric":
            assert widget["properties"]["region"] == PSEUDO["AWS::Region"]
            assert _rows(widget), widget["properties"]["title"]


@pytest.mark.parametrize(
    "title",
    [
        "webhooks by platform and http status",
        "webhooks refused, by reason",
        "comments classified, by label",
        "reactions by action",
        "cases opened, answered, escalated",
        "first-response time",
        "share within sla",
        "dead-letter queues: messages waiting",
        "lambda errors",
        "lambda throttles",
        "sla timer executions",
        "http api",
    ],
)
def test_dashboard_shows(title: str) -> None:
    assert _rows(_widget(title))


def test_first_response_shows_p50_and_p90() -> None:
    stats = {row[-1].get("stat") for row in _rows(_widget("first-response time"))}
    assert {"p50", "p90"} <= stats


@pytest.mark.parametrize(("title", "metric"), [("lambda errors", "Errors"), ("lambda throttles", "Throttles")])
def test_every_function_is_on_the_errors_and_throttles_widgets(title: str, metric: str) -> None:
    rows = _rows(_widget(title))
    shown = {_dimension(row, "FunctionName") for row in rows if row[:2] == ["AWS/Lambda", metric]}
    expected = {_value(name) for name in _resources("AWS::Serverless::Function")}
    assert expected <= shown, f"missing on '{title}': {sorted(expected - shown)}"


def test_every_dead_letter_queue_is_on_the_depth_widget() -> None:
    rows = _rows(_widget("dead-letter queues: messages waiting"))
    shown = {_dimension(row, "QueueName") for row in rows}
    expected = {_value(f"{queue}.QueueName") for queue in dead_letter_queues(sam())}
    assert expected <= shown, f"missing: {sorted(expected - shown)}"


def test_every_alarm_is_on_the_alarm_widget() -> None:
    [widget] = [w for w in dashboard()["widgets"] if w["type"] == "alarm"]
    shown = set(widget["properties"]["alarms"])
    expected = {_value(f"{name}.Arn") for name in _resources("AWS::CloudWatch::Alarm")}
    assert expected == shown, f"missing: {sorted(expected - shown)}, unknown: {sorted(shown - expected)}"


def test_state_machines_and_the_api_are_on_their_widgets() -> None:
    machines = {_dimension(row, "StateMachineArn") for row in _rows(_widget("sla timer executions"))}
    assert {_value(name) for name in _resources("AWS::Serverless::StateMachine")} <= machines
    api_rows = _rows(_widget("http api"))
    assert {row[1] for row in api_rows} >= {"5xx", "4xx", "Latency"}
    assert {_dimension(row, "ApiId") for row in api_rows} == {_value("WebhookApi")}


# ---------------------------------------------------------------------------- what the handlers emit


@cache
def emitted() -> dict[str, set[Metric]]:
    """Metrics emitted per service name (POWERTOOLS_SERVICE_NAME of each function in the template)."""
    by_service: dict[str, set[Metric]] = {}
    for service, app in function_services(sam()).values():
        by_service.setdefault(service, set()).update(emitted_metrics(app) if app.exists() else set())
    return by_service


def _referenced() -> list[tuple[str, Metric, str | None]]:
    """Every Replyloop metric the dashboard and the alarms read: (where, metric, service or None for any)."""
    found: list[tuple[str, Metric, str | None]] = []
    for widget in dashboard()["widgets"]:
        title = widget["properties"].get("title", widget["type"])
        for row in _rows(widget):
            expression = row[0].get("expression", "") if isinstance(row[0], dict) else ""
            for match in SEARCH.finditer(expression):
                namespace, *dimensions = (part.strip() for part in match["schema"].split(","))
                found.append((title, (namespace, match["name"], frozenset(dimensions)), None))
            if isinstance(row[0], str) and row[0] == "Replyloop":
                plain = [part for part in row if isinstance(part, str)]
                dimensions = dict(zip(plain[2::2], plain[3::2], strict=False))
                metric = ("Replyloop", plain[1], frozenset(dimensions))
                found.append((title, metric, dimensions.get("service")))
    for name, alarm in _resources("AWS::CloudWatch::Alarm").items():
        for watched in alarm_metrics(alarm):
            if watched["Namespace"] == "Replyloop":
                dimensions = {d["Name"]: d["Value"] for d in watched["Dimensions"]}
                metric = ("Replyloop", watched["MetricName"], frozenset(dimensions))
                found.append((name, metric, dimensions.get("service")))
    return found


def test_the_scan_of_the_handlers_sees_plain_and_single_metrics() -> None:
    ingest = emitted_metrics(FUNCTIONS_DIR / "ingest" / "app.py")
    assert ("Replyloop", "SignatureFailures", frozenset({"service"})) in ingest  # looked up in _REFUSALS
    assert ("Replyloop", "Webhooks", frozenset({"service", "platform", "status"})) in ingest


def test_dashboard_and_alarms_read_metrics_exactly_as_the_handlers_emit_them() -> None:
    references = _referenced()
    assert len(references) > 30
    everything = set().union(*emitted().values())
    problems = []
    for where, metric, service in references:
        if service is not None and service not in emitted():
            problems.append(f"{where}: {metric[1]} for service {service!r}, which no function has")
        elif metric not in (emitted()[service] if service is not None else everything):
            dims = ",".join(sorted(metric[2]))
            problems.append(f"{where}: {metric[1]} [{dims}] is not emitted by {service or 'any handler'}")
    assert not problems, "\n".join(problems)


def test_no_metric_has_a_high_cardinality_dimension() -> None:
    allowed = {"service", "platform", "status", "label", "lang", "action", "mode", "team", "outcome", "channel"}
    for service, metrics in emitted().items():
        for _, name, dimensions in metrics:
            assert dimensions <= allowed, f"{service}: {name} has dimensions {sorted(dimensions - allowed)}"


# ---------------------------------------------------------------------------- saved Logs Insights queries


def _queries() -> dict[str, dict[str, Any]]:
    return {name: res["Properties"] for name, res in _resources("AWS::Logs::QueryDefinition").items()}


def _function_log_groups() -> dict[str, str]:
    """Function logical id -> the log group resource that holds its logs."""
    groups = {}
    for name, group in _resources("AWS::Logs::LogGroup").items():
        refers = logical_ids_in(group["Properties"]["LogGroupName"])
        groups.update({function: name for function in refers if function in _resources("AWS::Serverless::Function")})
    return groups


@pytest.mark.parametrize(
    "topic", ["comment journey", "escalations", "rejected webhooks", "reaction failures", "failed invocations"]
)
def test_a_saved_query_exists_for(topic: str) -> None:
    names = [json.dumps(props["Name"]) for props in _queries().values()]
    assert any(topic in name for name in names), names


@pytest.mark.parametrize("topic", ["comment journey", "failed invocations"])
def test_cross_function_queries_cover_every_function(topic: str) -> None:
    [query] = [props for props in _queries().values() if topic in json.dumps(props["Name"])]
    groups = {entry["Ref"] for entry in query["LogGroupNames"]}
    missing = set(_function_log_groups().values()) - groups
    assert not missing, f"'{topic}' does not search {sorted(missing)}"


def _log_messages(function: str) -> set[str]:
    """The literal messages a handler logs (logger.info("...") and the like), f-strings as their prefix."""
    _, app = function_services(sam())[function]
    found = set()
    for node in ast.walk(ast.parse(app.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and node.args and isinstance(node.func, ast.Attribute | ast.Name):
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.add(first.value)
            elif isinstance(first, ast.JoinedStr):
                found.add("".join(str(v.value) for v in first.values if isinstance(v, ast.Constant)))
    return found


def test_queries_filter_on_messages_and_fields_the_handlers_write() -> None:
    groups = _function_log_groups()
    checked = 0
    for name, query in _queries().items():
        functions = [f for f, group in groups.items() if {"Ref": group} in query["LogGroupNames"]]
        assert functions, f"{name} searches no function's logs"
        messages = set().union(*(_log_messages(f) for f in functions))
        for wanted in re.findall(r'message = "([^"]+)"', query["QueryString"]):
            assert any(m == wanted or (m and wanted.startswith(m)) for m in messages), f"{name}: {wanted!r}"
            checked += 1
        code = "\n".join(function_services(sam())[f][1].read_text(encoding="utf-8") for f in functions)
        fields = re.findall(
            r"\b(platform|comment_id|status|reason|outcome|action|team|level|tier|case_key)\b", query["QueryString"]
        )
        for field in set(fields):
            assert f'"{field}"' in code, f"{name}: no handler it searches logs a {field!r} field"
    assert checked >= 4
