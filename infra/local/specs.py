"""The typed specs of functions, routes, rules, schedules and targets that the local stack runs."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from infra.local.template import Template

__all__ = [
    "FUNCTION_TYPES",
    "STATE_MACHINE_TYPES",
    "FunctionSpec",
    "QueueSource",
    "Route",
    "RuleSpec",
    "ScheduleSpec",
    "Target",
    "TopicSource",
    "api_id",
    "cfn_string",
    "target_for",
]

FUNCTION_TYPES = ("AWS::Serverless::Function",)
STATE_MACHINE_TYPES = ("AWS::Serverless::StateMachine", "AWS::StepFunctions::StateMachine")
_KIND_BY_TYPE = {
    "AWS::Serverless::Function": "function",
    "AWS::Lambda::Function": "function",
    "AWS::Serverless::StateMachine": "state_machine",
    "AWS::StepFunctions::StateMachine": "state_machine",
    "AWS::SQS::Queue": "queue",
    "AWS::SNS::Topic": "topic",
    "AWS::Events::EventBus": "bus",
}
_KIND_BY_SERVICE = {"lambda": "function", "states": "state_machine", "sqs": "queue", "sns": "topic"}

TargetKind = Literal["function", "state_machine", "queue", "topic", "bus", "other"]


@dataclass(frozen=True)
class Target:
    """Where a rule, schedule or subscription delivers; `logical_id` when it is in the template."""

    kind: TargetKind
    arn: str
    logical_id: str | None = None
    input: str | None = None
    input_path: str | None = None
    input_transformer: dict[str, Any] | None = None


@dataclass(frozen=True)
class Route:
    """An HttpApi event: `method` is upper-case or `ANY`; `path` may hold `{name}` and `{proxy+}`."""

    api: str
    method: str
    path: str
    function: str

    @property
    def route_key(self) -> str:
        return f"{self.method} {self.path}"


@dataclass(frozen=True)
class RuleSpec:
    """An EventBridge rule on a bus: an event pattern or a schedule expression, and one target."""

    source: str
    name: str
    bus_name: str
    target: Target
    pattern: dict[str, Any] | None = None
    schedule_expression: str | None = None
    max_attempts: int = 3
    dead_letter_arn: str | None = None
    enabled: bool = True


@dataclass(frozen=True)
class ScheduleSpec:
    """An EventBridge Scheduler schedule; it never fires by itself locally (fire_schedule does)."""

    source: str
    name: str
    group: str
    expression: str
    timezone: str | None
    target: Target
    enabled: bool = True


@dataclass(frozen=True)
class QueueSource:
    """An SQS event source mapping: the function polls a template queue."""

    source: str
    function: str
    queue_arn: str
    batch_size: int = 10
    report_batch_item_failures: bool = False


@dataclass(frozen=True)
class TopicSource:
    """An SNS subscription of a function, with the subscription's filter policy."""

    source: str
    function: str
    topic_arn: str
    filter_policy: dict[str, Any] | None = None
    filter_policy_scope: str | None = None


@dataclass(frozen=True)
class FunctionSpec:
    """One AWS::Serverless::Function as the local runtime needs it."""

    logical_id: str
    name: str
    arn: str
    module: str
    attribute: str
    code_dir: Path
    timeout: int
    memory_size: int
    environment: dict[str, str]
    layer_dirs: tuple[Path, ...] = ()
    routes: tuple[Route, ...] = ()
    rules: tuple[RuleSpec, ...] = ()
    schedules: tuple[ScheduleSpec, ...] = ()
    queues: tuple[QueueSource, ...] = ()
    topics: tuple[TopicSource, ...] = ()
    unsupported_events: tuple[str, ...] = field(default=())


def api_id(logical_id: str) -> str:
    """A stable 10-character API id, as API Gateway ids look (lower-case alphanumerics)."""
    return hashlib.sha256(logical_id.encode("utf-8")).hexdigest()[:10]


def cfn_string(value: Any) -> str:
    """How CloudFormation stringifies a scalar property (YAML `true` becomes "true")."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else json.dumps(value)


def target_for(template: Template, raw_arn: Any, resolved_arn: str, **extra: Any) -> Target:
    """Classify a target by the resource its ARN points at, or else by the ARN's service."""
    logical_id: str | None = None
    if isinstance(raw_arn, dict):
        ((key, arg),) = raw_arn.items()
        logical_id = arg[0] if key == "Fn::GetAtt" else arg if key == "Ref" else None
    kind: str = "other"
    if logical_id in template.resources:
        kind = _KIND_BY_TYPE.get(template.resources[logical_id].type, "other")
    else:
        logical_id = None
        parts = resolved_arn.split(":")
        kind = _KIND_BY_SERVICE.get(parts[2], "other") if len(parts) > 5 else "other"
        if len(parts) > 5 and parts[2] == "events" and parts[5].startswith("event-bus/"):
            kind = "bus"
    return Target(kind=kind, arn=resolved_arn, logical_id=logical_id, **extra)  # type: ignore[arg-type]
