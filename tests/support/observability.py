"""What the template watches and what the handlers emit: dead-letter queues, alarms by metric, EMF metrics in code."""

from __future__ import annotations

import ast
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

__all__ = [
    "FUNCTIONS_DIR",
    "Metric",
    "alarm_metrics",
    "dead_letter_queues",
    "emitted_metrics",
    "function_services",
    "logged_by_us",
    "logical_ids_in",
]

FUNCTIONS_DIR = Path(__file__).resolve().parents[2] / "functions"
# A metric as CloudWatch keys it: namespace, name and the set of dimension names.
Metric = tuple[str, str, frozenset[str]]
_CAMEL = re.compile(r"^[A-Z][A-Za-z0-9]+$")
# Loggers of the AWS SDK: other threads of the test session (the local stack's pollers) log through them.
_SDK_LOGGERS = ("botocore", "boto3", "urllib3", "s3transfer")


def logged_by_us(records: list[logging.LogRecord]) -> str:
    """Every message and field our code logged (the SDK's own records left out), as one string to search."""
    return " ".join(f"{r.getMessage()} {r.__dict__}" for r in records if not r.name.startswith(_SDK_LOGGERS))


def _walk(node: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _walk(value, (*path, str(key)))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _walk(item, (*path, str(index)))


def logical_ids_in(node: Any) -> set[str]:
    """Logical ids a value refers to: Ref, GetAtt (list or dotted) and `${Name}` / `${Name.Attr}` in a Sub."""
    found: set[str] = set()
    for _, value in _walk(node):
        if isinstance(value, dict) and "Ref" in value:
            found.add(str(value["Ref"]))
        elif isinstance(value, dict) and "Fn::GetAtt" in value:
            target = value["Fn::GetAtt"]
            found.add(str(target[0] if isinstance(target, list) else target.split(".", 1)[0]))
        elif isinstance(value, dict) and "Fn::Sub" in value:
            text = value["Fn::Sub"] if isinstance(value["Fn::Sub"], str) else value["Fn::Sub"][0]
            found.update(name.split(".", 1)[0] for name in re.findall(r"\$\{([^!}][^}]*)\}", text))
    return found


def dead_letter_queues(template: dict[str, Any]) -> set[str]:
    """Every SQS queue used as a dead-letter queue: by a function, rule, schedule, redrive policy or env var."""
    resources = template["Resources"]
    queues = {name for name, resource in resources.items() if resource["Type"] == "AWS::SQS::Queue"}
    found = {name for name in queues if "DeadLetter" in name}
    for resource in resources.values():
        for path, value in _walk(resource.get("Properties", {})):
            where = "/".join(path).lower()
            if ("deadletter" in where or "dlq" in where) and isinstance(value, dict):
                found |= logical_ids_in(value) & queues
    return found


def alarm_metrics(alarm: dict[str, Any]) -> list[dict[str, Any]]:
    """The metrics an alarm reads (one for a plain alarm; each MetricStat of a metric-math alarm)."""
    props = alarm["Properties"]
    if "MetricName" in props:
        return [
            {
                "Namespace": props["Namespace"],
                "MetricName": props["MetricName"],
                "Dimensions": props.get("Dimensions", []),
                "Period": props["Period"],
            }
        ]
    return [
        {**query["MetricStat"]["Metric"], "Period": query["MetricStat"]["Period"]}
        for query in props.get("Metrics", [])
        if "MetricStat" in query
    ]


def function_services(template: dict[str, Any]) -> dict[str, tuple[str, Path]]:
    """Each function's logical id -> (its POWERTOOLS_SERVICE_NAME, its app.py)."""
    services = {}
    for name, resource in template["Resources"].items():
        if resource["Type"] != "AWS::Serverless::Function":
            continue
        props = resource["Properties"]
        service = props.get("Environment", {}).get("Variables", {}).get("POWERTOOLS_SERVICE_NAME", "")
        code = Path(__file__).resolve().parents[2] / str(props["CodeUri"]) / "app.py"
        services[name] = (str(service), code)
    return services


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((keyword.value for keyword in call.keywords if keyword.arg == name), None)


def _call_name(node: ast.AST) -> str:
    if isinstance(node, ast.Call):
        func = node.func
        return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    return ""


def _module_names(tree: ast.Module) -> set[str]:
    """CamelCase strings assigned at module level: metric names looked up at run time (`_REFUSALS[...]`)."""
    names = set()
    for statement in tree.body:
        if isinstance(statement, ast.Assign | ast.AnnAssign) and statement.value is not None:
            names |= {
                node.value
                for node in ast.walk(statement.value)
                if isinstance(node, ast.Constant) and isinstance(node.value, str) and _CAMEL.match(node.value)
            }
    return names


def emitted_metrics(app: Path, namespace: str = "Replyloop") -> set[Metric]:
    """Metrics a handler writes through Powertools: `add_metric` ({service}) and `single_metric` blocks.

    Powertools adds the `service` dimension to both. A name that is not a literal (`_METRICS[outcome]`)
    stands for every CamelCase string the module assigns at top level.
    """
    tree = ast.parse(app.read_text(encoding="utf-8"))
    found: set[Metric] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.With):
            continue
        for item in node.items:
            call = item.context_expr
            name = _keyword(call, "name") if isinstance(call, ast.Call) else None
            if _call_name(call) != "single_metric" or not isinstance(name, ast.Constant):
                continue
            dimensions = {"service"}
            for inner in ast.walk(node):
                dimension = _keyword(inner, "name") if isinstance(inner, ast.Call) else None
                if _call_name(inner) == "add_dimension" and isinstance(dimension, ast.Constant):
                    dimensions.add(str(dimension.value))
            found.add((namespace, str(name.value), frozenset(dimensions)))
    for node in ast.walk(tree):
        if _call_name(node) != "add_metric" or not isinstance(node, ast.Call):
            continue
        name = _keyword(node, "name")
        names = {str(name.value)} if isinstance(name, ast.Constant) else _module_names(tree)
        found |= {(namespace, metric, frozenset({"service"})) for metric in names}
    return found
