"""Local delivery plumbing: the template's rules target SQS queues in moto, which dispatchers drain."""

from __future__ import annotations

import contextlib
import json
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from infra.local.clients import Clients
from infra.local.creators import dummy_role_arn
from infra.local.intrinsics import Physical
from infra.local.specs import FunctionSpec, RuleSpec, ScheduleSpec, Target
from infra.local.template import Template
from infra.local.triggers import standalone_triggers

__all__ = ["TAP_PATTERN", "Delivery", "Wiring", "wire"]

log = logging.getLogger(__name__)

TAP_PATTERN: dict[str, Any] = {"source": [{"prefix": "replyloop."}]}
RETRY_DELAY_SECONDS = 1  # compressed from Lambda async's minutes of backoff
DeliveryKind = Literal["event", "sqs", "sns"]


@dataclass(frozen=True)
class Delivery:
    """A queue whose messages become invocations of `target` (events, SQS batches or SNS records)."""

    source: str
    kind: DeliveryKind
    queue_url: str
    queue_arn: str
    target: Target
    max_attempts: int = 3
    dlq_url: str | None = None
    batch_size: int = 1
    report_batch_item_failures: bool = False
    subscription_arn: str = ""


@dataclass
class Wiring:
    """What `wire` created: deliveries to dispatch, rules and schedules (for firing), the tap."""

    deliveries: list[Delivery] = field(default_factory=list)
    rules: list[RuleSpec] = field(default_factory=list)
    schedules: list[ScheduleSpec] = field(default_factory=list)
    tap_queue_url: str = ""


def wire(
    template: Template,
    physical: Physical,
    functions: Mapping[str, FunctionSpec],
    clients: Clients,
    *,
    tap_pattern: Mapping[str, Any] = TAP_PATTERN,
) -> Wiring:
    """Create, from the template's own rules, patterns and schedules, what makes moto deliver locally."""
    other_rules, other_schedules = standalone_triggers(template, physical)
    rules = [rule for spec in functions.values() for rule in spec.rules] + other_rules
    schedules = [schedule for spec in functions.values() for schedule in spec.schedules] + other_schedules
    wiring = Wiring(rules=rules, schedules=schedules)
    timeouts = {spec.arn: spec.timeout for spec in functions.values()}
    for rule in rules:
        if rule.pattern is not None:
            wiring.deliveries.append(_rule_delivery(clients, rule, timeouts.get(rule.target.arn, 30)))
        else:  # schedule rules never fire in moto; they exist so the stack can be inspected
            _put_rule(clients, rule, targets=[{"Id": "target", "Arn": rule.target.arn}])
    for schedule in schedules:
        if schedule.source not in template.resources:  # Scheduler::Schedule resources exist already
            _create_schedule(template, clients, schedule)
    for spec in functions.values():
        for source in spec.queues:
            url = clients.sqs.get_queue_url(QueueName=source.queue_arn.rsplit(":", 1)[-1])["QueueUrl"]
            target = Target("function", spec.arn, spec.logical_id)
            wiring.deliveries.append(
                Delivery(
                    source.source,
                    "sqs",
                    url,
                    source.queue_arn,
                    target,
                    batch_size=min(source.batch_size, 10),
                    report_batch_item_failures=source.report_batch_item_failures,
                )
            )
        for topic in spec.topics:
            wiring.deliveries.append(_topic_delivery(clients, spec, topic.source, topic.topic_arn, topic))
    buses = [physical.ref(r.logical_id) for r in template.of_type("AWS::Events::EventBus")]
    wiring.tap_queue_url = _tap(clients, buses or ["default"], tap_pattern)
    return wiring


def queue_name(source: str, suffix: str = "") -> str:
    """`local-<LogicalId>-<EventName>`: SQS names allow 80 characters of [A-Za-z0-9_-]."""
    return re.sub(r"[^A-Za-z0-9_-]", "-", f"local-{source}")[: 80 - len(suffix)] + suffix


def _queue(clients: Clients, name: str, attributes: Mapping[str, Any]) -> tuple[str, str]:
    url = clients.sqs.create_queue(QueueName=name, Attributes=dict(attributes))["QueueUrl"]
    arn = clients.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return url, arn


def _rule_delivery(clients: Clients, rule: RuleSpec, timeout: int) -> Delivery:
    name = queue_name(rule.source)
    if rule.dead_letter_arn:
        dlq_arn = rule.dead_letter_arn
        dlq_url = clients.sqs.get_queue_url(QueueName=dlq_arn.rsplit(":", 1)[-1])["QueueUrl"]
    else:
        dlq_url, dlq_arn = _queue(clients, queue_name(rule.source, "-dlq"), {})
    # Visible again only when the invocation could not still be running; failures retry sooner.
    url, arn = _queue(
        clients,
        name,
        {
            "VisibilityTimeout": str(timeout + 5),
            "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": rule.max_attempts}),
        },
    )
    target: dict[str, Any] = {"Id": name[:64], "Arn": arn}
    if rule.target.input_transformer:
        target["InputTransformer"] = rule.target.input_transformer  # moto applies this one itself
    _put_rule(clients, rule, targets=[target])
    return Delivery(rule.source, "event", url, arn, rule.target, rule.max_attempts, dlq_url)


def _put_rule(clients: Clients, rule: RuleSpec, *, targets: list[dict[str, Any]]) -> None:
    args: dict[str, Any] = {
        "Name": rule.name,
        "EventBusName": rule.bus_name,
        "State": "ENABLED" if rule.enabled else "DISABLED",
    }
    if rule.pattern is not None:
        args["EventPattern"] = json.dumps(rule.pattern)
    if rule.schedule_expression:
        args["ScheduleExpression"] = rule.schedule_expression
    clients.events.put_rule(**args)
    clients.events.put_targets(Rule=rule.name, EventBusName=rule.bus_name, Targets=targets)
    log.debug("rule %s on %s -> %s", rule.name, rule.bus_name, targets[0]["Arn"])


def _topic_delivery(clients: Clients, spec: FunctionSpec, source: str, topic_arn: str, topic: Any) -> Delivery:
    url, arn = _queue(clients, queue_name(source), {"VisibilityTimeout": str(spec.timeout + 5)})
    attributes = {}
    if topic.filter_policy:
        attributes["FilterPolicy"] = json.dumps(topic.filter_policy)
    if topic.filter_policy_scope:
        attributes["FilterPolicyScope"] = topic.filter_policy_scope
    subscription = clients.sns.subscribe(
        TopicArn=topic_arn, Protocol="sqs", Endpoint=arn, Attributes=attributes, ReturnSubscriptionArn=True
    )["SubscriptionArn"]
    target = Target("function", spec.arn, spec.logical_id)
    return Delivery(source, "sns", url, arn, target, subscription_arn=subscription)


def _create_schedule(template: Template, clients: Clients, schedule: ScheduleSpec) -> None:
    if schedule.group != "default":
        with contextlib.suppress(clients.scheduler.exceptions.ConflictException):
            clients.scheduler.create_schedule_group(Name=schedule.group)
    target: dict[str, Any] = {
        "Arn": schedule.target.arn,
        "RoleArn": dummy_role_arn(template, schedule.source.split(".", 1)[0]),
    }
    if schedule.target.input is not None:
        target["Input"] = schedule.target.input
    args: dict[str, Any] = {
        "Name": schedule.name,
        "GroupName": schedule.group,
        "ScheduleExpression": schedule.expression,
        "FlexibleTimeWindow": {"Mode": "OFF"},
        "Target": target,
        "State": "ENABLED" if schedule.enabled else "DISABLED",
    }
    if schedule.timezone:
        args["ScheduleExpressionTimezone"] = schedule.timezone
    clients.scheduler.create_schedule(**args)


def _tap(clients: Clients, buses: Iterable[str], pattern: Mapping[str, Any]) -> str:
    """One extra rule per bus: every matching event also lands in the tap queue, for reports and tests."""
    url, arn = _queue(clients, "local-tap", {})
    for bus in buses:
        clients.events.put_rule(Name="local-tap", EventBusName=bus, EventPattern=json.dumps(dict(pattern)))
        clients.events.put_targets(Rule="local-tap", EventBusName=bus, Targets=[{"Id": "local-tap", "Arn": arn}])
    return url
