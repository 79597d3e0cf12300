"""The template's triggers (SAM Events, Events::Rule, Scheduler::Schedule) as rule and schedule specs."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from infra.local.intrinsics import Physical, Resolver
from infra.local.specs import (
    STATE_MACHINE_TYPES,
    QueueSource,
    Route,
    RuleSpec,
    ScheduleSpec,
    Target,
    TopicSource,
    target_for,
)
from infra.local.template import Resource, Template

__all__ = ["function_triggers", "standalone_triggers"]

log = logging.getLogger(__name__)
_LOCALLY_DELIVERED = ("function", "state_machine", "topic")


def function_triggers(template: Template, resolver: Resolver, resource: Resource) -> dict[str, Any]:
    """Routes, rules, schedules and sources of one function, keyed as FunctionSpec's fields."""
    out: dict[str, Any] = {"routes": [], "rules": [], "schedules": [], "queues": [], "topics": []}
    unsupported: list[str] = []
    target = Target("function", resolver.physical.get_att(resource.logical_id, "Arn"), resource.logical_id)
    for event_name, event in (resource.properties.get("Events") or {}).items():
        kind, props = event.get("Type"), resolver.resolve(event.get("Properties") or {})
        source = f"{resource.logical_id}.{event_name}"
        if kind == "HttpApi":
            api = (event.get("Properties") or {}).get("ApiId", {"Ref": "ServerlessHttpApi"})
            method = str(props.get("Method", "ANY")).upper()
            path = props.get("Path", "$default")
            out["routes"].append(Route(api.get("Ref", "ServerlessHttpApi"), method, path, resource.logical_id))
        elif kind == "SQS":
            response_types = props.get("FunctionResponseTypes") or []
            out["queues"].append(
                QueueSource(
                    source,
                    resource.logical_id,
                    props["Queue"],
                    int(props.get("BatchSize", 10)),
                    "ReportBatchItemFailures" in response_types,
                )
            )
        elif kind == "SNS":
            out["topics"].append(
                TopicSource(
                    source,
                    resource.logical_id,
                    props["Topic"],
                    props.get("FilterPolicy"),
                    props.get("FilterPolicyScope"),
                )
            )
        elif (spec := _sam_event(template, source, kind, props, target)) is not None:
            out["rules" if isinstance(spec, RuleSpec) else "schedules"].append(spec)
        else:
            unsupported.append(f"{event_name} ({kind})")
    if unsupported:
        log.warning("%s: event types not run locally: %s", resource.logical_id, ", ".join(unsupported))
    return {key: tuple(value) for key, value in out.items()} | {"unsupported_events": tuple(unsupported)}


def standalone_triggers(template: Template, physical: Physical) -> tuple[list[RuleSpec], list[ScheduleSpec]]:
    """State machine Events, AWS::Events::Rule targets and AWS::Scheduler::Schedule resources."""
    resolver = Resolver(template, physical)
    rules: list[RuleSpec] = []
    schedules: list[ScheduleSpec] = []
    for machine in template.of_type(*STATE_MACHINE_TYPES):
        target = Target("state_machine", physical.ref(machine.logical_id), machine.logical_id)
        for event_name, event in (machine.properties.get("Events") or {}).items():
            props = resolver.resolve(event.get("Properties") or {})
            spec = _sam_event(template, f"{machine.logical_id}.{event_name}", event.get("Type"), props, target)
            if isinstance(spec, RuleSpec):
                rules.append(spec)
            elif isinstance(spec, ScheduleSpec):
                schedules.append(spec)
    for rule in template.of_type("AWS::Events::Rule"):
        props = resolver.resolve(rule.properties)
        for raw_target, target_props in zip(
            rule.properties.get("Targets") or [], props.get("Targets") or [], strict=True
        ):
            target = _target(template, raw_target.get("Arn"), target_props)
            if target.kind not in _LOCALLY_DELIVERED:
                continue  # moto delivers to queues, buses and log groups itself
            rules.append(
                RuleSpec(
                    source=f"{rule.logical_id}.{target_props.get('Id', target.logical_id)}",
                    name=physical.ref(rule.logical_id),
                    bus_name=_bus_name(props.get("EventBusName")),
                    target=target,
                    pattern=props.get("EventPattern"),
                    schedule_expression=props.get("ScheduleExpression"),
                    max_attempts=_attempts(target_props.get("RetryPolicy")),
                    dead_letter_arn=(target_props.get("DeadLetterConfig") or {}).get("Arn"),
                    enabled=props.get("State", "ENABLED") == "ENABLED",
                )
            )
    for schedule in template.of_type("AWS::Scheduler::Schedule"):
        props = resolver.resolve(schedule.properties)
        raw_target = (schedule.properties.get("Target") or {}).get("Arn")
        schedules.append(
            ScheduleSpec(
                source=schedule.logical_id,
                name=physical.ref(schedule.logical_id),
                group=props.get("GroupName", "default"),
                expression=props["ScheduleExpression"],
                timezone=props.get("ScheduleExpressionTimezone"),
                target=_target(template, raw_target, props["Target"]),
                enabled=props.get("State", "ENABLED") == "ENABLED",
            )
        )
    return rules, schedules


def _target(template: Template, raw_arn: Any, props: dict[str, Any]) -> Target:
    return target_for(
        template,
        raw_arn,
        props["Arn"],
        input=props.get("Input"),
        input_path=props.get("InputPath"),
        input_transformer=props.get("InputTransformer"),
    )


def _bus_name(value: str | None) -> str:
    """Rules take a bus name or ARN; moto's calls want the name."""
    return (value or "default").rsplit("/", 1)[-1]


def _attempts(retry_policy: dict[str, Any] | None) -> int:
    """EventBridge + Lambda async: 3 attempts by default; a RetryPolicy sets retries explicitly."""
    if retry_policy and "MaximumRetryAttempts" in retry_policy:
        return max(1, int(retry_policy["MaximumRetryAttempts"]) + 1)
    return 3


def _with(target: Target, props: dict[str, Any]) -> Target:
    return Target(
        target.kind,
        target.arn,
        target.logical_id,
        input=props.get("Input"),
        input_path=props.get("InputPath"),
        input_transformer=props.get("InputTransformer"),
    )


def _rule(template: Template, source: str, props: dict[str, Any], target: Target) -> RuleSpec:
    logical_id, _, event_name = source.partition(".")
    return RuleSpec(
        source=source,
        name=props.get("RuleName") or props.get("Name") or f"{template.stack_name}-{logical_id}{event_name}"[:64],
        bus_name=_bus_name(props.get("EventBusName")),
        target=_with(target, props),
        pattern=props.get("Pattern"),
        schedule_expression=props.get("Schedule"),
        max_attempts=_attempts(props.get("RetryPolicy")),
        dead_letter_arn=(props.get("DeadLetterConfig") or {}).get("Arn"),
        enabled=props.get("State", "ENABLED" if props.get("Enabled", True) else "DISABLED") == "ENABLED",
    )


def _schedule_v2(template: Template, source: str, props: dict[str, Any], target: Target) -> ScheduleSpec:
    logical_id, _, event_name = source.partition(".")
    return ScheduleSpec(
        source=source,
        name=props.get("Name") or f"{logical_id}{event_name}"[:64],
        group=props.get("GroupName", "default"),
        expression=props["ScheduleExpression"],
        timezone=props.get("ScheduleExpressionTimezone"),
        target=_with(target, props),
        enabled=props.get("State", "ENABLED") == "ENABLED",
    )


_SAM_EVENTS: dict[str, Callable[[Template, str, dict[str, Any], Target], RuleSpec | ScheduleSpec]] = {
    "EventBridgeRule": _rule,
    "CloudWatchEvent": _rule,
    "Schedule": _rule,
    "ScheduleV2": _schedule_v2,
}


def _sam_event(
    template: Template, source: str, kind: Any, props: dict[str, Any], target: Target
) -> RuleSpec | ScheduleSpec | None:
    builder = _SAM_EVENTS.get(str(kind))
    return builder(template, source, props, target) if builder else None
