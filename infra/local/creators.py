"""One creator per supported resource type: resolved CFN properties in, (Ref, GetAtt attributes) out."""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from infra.local.clients import Clients
from infra.local.intrinsics import Resolver
from infra.local.specs import cfn_string, target_for
from infra.local.template import Resource, Template

__all__ = ["CREATORS", "Context", "dummy_role_arn", "generated_secret"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Context:
    template: Template
    clients: Clients
    resource: Resource
    resolver: Resolver

    def default_name(self, suffix: str = "") -> str:
        return f"{self.template.stack_name}-{self.resource.logical_id}{suffix}"

    def arn(self, service: str, resource: str) -> str:
        return f"arn:aws:{service}:{self.template.region}:{self.template.account_id}:{resource}"


Created = tuple[str, dict[str, str]]
Creator = Callable[[Context, dict[str, Any]], Created]


def dummy_role_arn(template: Template, logical_id: str) -> str:
    """moto needs a role ARN; nothing checks it locally."""
    return f"arn:aws:iam::{template.account_id}:role/{template.stack_name}-{logical_id}Role"


def generated_secret(spec: Mapping[str, Any]) -> str:
    """What CloudFormation's GenerateSecretString produces: the template plus a random key."""
    length = int(spec.get("PasswordLength", 32))
    value = "".join(c for c in secrets.token_urlsafe(length * 2) if c.isalnum())[:length]
    if key := spec.get("GenerateStringKey"):
        return json.dumps({**json.loads(spec.get("SecretStringTemplate") or "{}"), key: value})
    return value


def _event_bus(ctx: Context, props: dict[str, Any]) -> Created:
    arn = ctx.clients.events.create_event_bus(Name=props["Name"])["EventBusArn"]
    return props["Name"], {"Arn": arn, "Name": props["Name"]}


def _rule(ctx: Context, props: dict[str, Any]) -> Created:
    """The rule itself; targets moto can deliver to are added here, others by the local wiring."""
    name = props.get("Name") or ctx.default_name()[:64]
    bus = (props.get("EventBusName") or "default").rsplit("/", 1)[-1]
    args: dict[str, Any] = {"Name": name, "EventBusName": bus, "State": props.get("State", "ENABLED")}
    if "EventPattern" in props:
        args["EventPattern"] = json.dumps(props["EventPattern"])
    if "ScheduleExpression" in props:
        args["ScheduleExpression"] = props["ScheduleExpression"]
    arn = ctx.clients.events.put_rule(**args)["RuleArn"]
    raw_targets = ctx.resource.properties.get("Targets") or []
    direct = [
        {k: v for k, v in target.items() if k in ("Id", "Arn", "InputTransformer", "SqsParameters")}
        for raw, target in zip(raw_targets, props.get("Targets") or [], strict=True)
        if target_for(ctx.template, raw.get("Arn"), target["Arn"]).kind in ("queue", "bus", "other")
    ]
    if direct:
        ctx.clients.events.put_targets(Rule=name, EventBusName=bus, Targets=direct)
    return name, {"Arn": arn}


_TABLE_KEYS = (
    "AttributeDefinitions",
    "KeySchema",
    "GlobalSecondaryIndexes",
    "LocalSecondaryIndexes",
    "ProvisionedThroughput",
    "Tags",
    "TableClass",
    "DeletionProtectionEnabled",
)


def _table(ctx: Context, props: dict[str, Any]) -> Created:
    name = props.get("TableName") or ctx.default_name()
    args: dict[str, Any] = {k: props[k] for k in _TABLE_KEYS if k in props}
    args["BillingMode"] = props.get("BillingMode", "PROVISIONED")
    if stream := props.get("StreamSpecification"):
        args["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": stream["StreamViewType"]}
    if sse := props.get("SSESpecification"):
        args["SSESpecification"] = {"Enabled": bool(sse.get("SSEEnabled"))} | {
            k: sse[k] for k in ("SSEType", "KMSMasterKeyId") if k in sse
        }
    table = ctx.clients.dynamodb.create_table(TableName=name, **args)["TableDescription"]
    if ttl := props.get("TimeToLiveSpecification"):
        ctx.clients.dynamodb.update_time_to_live(
            TableName=name,
            TimeToLiveSpecification={"Enabled": bool(ttl["Enabled"]), "AttributeName": ttl["AttributeName"]},
        )
    attributes = {"Arn": table["TableArn"]}
    if "LatestStreamArn" in table:
        attributes["StreamArn"] = table["LatestStreamArn"]
    return name, attributes


def _simple_table(ctx: Context, props: dict[str, Any]) -> Created:
    key = props.get("PrimaryKey") or {"Name": "id", "Type": "String"}
    kind = {"String": "S", "Number": "N", "Binary": "B"}[key.get("Type", "String")]
    table_props: dict[str, Any] = {
        "TableName": props.get("TableName") or ctx.default_name(),
        "AttributeDefinitions": [{"AttributeName": key["Name"], "AttributeType": kind}],
        "KeySchema": [{"AttributeName": key["Name"], "KeyType": "HASH"}],
    }
    if "ProvisionedThroughput" in props:
        table_props["ProvisionedThroughput"] = props["ProvisionedThroughput"]
    else:
        table_props["BillingMode"] = "PAY_PER_REQUEST"
    return _table(ctx, table_props | {k: props[k] for k in ("SSESpecification", "Tags") if k in props})


_QUEUE_SKIP = {"QueueName", "Tags"}


def _queue(ctx: Context, props: dict[str, Any]) -> Created:
    fifo = bool(props.get("FifoQueue"))
    name = props.get("QueueName") or ctx.default_name(".fifo" if fifo else "")
    attributes = {
        key: json.dumps(value) if isinstance(value, dict) else cfn_string(value)
        for key, value in props.items()
        if key not in _QUEUE_SKIP
    }
    url = ctx.clients.sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
    arn = ctx.arn("sqs", name)
    return url, {"Arn": arn, "QueueName": name, "QueueUrl": url}


def _topic(ctx: Context, props: dict[str, Any]) -> Created:
    fifo = bool(props.get("FifoTopic"))
    name = props.get("TopicName") or ctx.default_name(".fifo" if fifo else "")
    keys = ("DisplayName", "KmsMasterKeyId", "FifoTopic", "ContentBasedDeduplication")
    attributes = {k: cfn_string(props[k]) for k in keys if k in props}
    arn = ctx.clients.sns.create_topic(Name=name, Attributes=attributes)["TopicArn"]
    for subscription in props.get("Subscription") or []:
        _subscribe(ctx, {"TopicArn": arn, **subscription})
    return arn, {"TopicArn": arn, "TopicName": name}


def _subscribe(ctx: Context, props: dict[str, Any]) -> Created:
    if props["Protocol"] == "lambda":
        # moto would try to run the function itself; SAM SNS events are wired by the dispatcher.
        log.warning("%s: lambda subscriptions are not delivered locally", ctx.resource.logical_id)
        return ctx.arn("sns", "unsubscribed"), {}
    attributes = {
        key: json.dumps(props[key]) if isinstance(props[key], dict) else cfn_string(props[key])
        for key in ("FilterPolicy", "FilterPolicyScope", "RawMessageDelivery", "RedrivePolicy")
        if key in props
    }
    arn = ctx.clients.sns.subscribe(
        TopicArn=props["TopicArn"],
        Protocol=props["Protocol"],
        Endpoint=props["Endpoint"],
        Attributes=attributes,
        ReturnSubscriptionArn=True,
    )["SubscriptionArn"]
    return arn, {}


def _secret(ctx: Context, props: dict[str, Any]) -> Created:
    name = props.get("Name") or ctx.default_name()
    value = props.get("SecretString") or generated_secret(props.get("GenerateSecretString") or {})
    args = {k: props[k] for k in ("Description", "Tags") if k in props}
    arn = ctx.clients.secretsmanager.create_secret(Name=name, SecretString=value, **args)["ARN"]
    return arn, {"Id": arn}


def _state_machine(ctx: Context, props: dict[str, Any]) -> Created:
    """The real definition, with DefinitionSubstitutions applied textually as SAM does."""
    if "DefinitionUri" in props or "DefinitionString" in props:
        uri = props.get("DefinitionUri")
        if uri is not None and not isinstance(uri, str):
            raise ValueError(f"{ctx.resource.logical_id}: only a local DefinitionUri file is supported")
        text = (ctx.template.root / uri).read_text(encoding="utf-8") if uri else props["DefinitionString"]
    else:
        text = json.dumps(props["Definition"])
    for key, value in (props.get("DefinitionSubstitutions") or {}).items():
        text = text.replace("${" + key + "}", cfn_string(value))
    json.loads(text)  # a bad substitution should fail here, naming the state machine
    name = props.get("Name") or props.get("StateMachineName") or ctx.default_name()
    role = props.get("RoleArn") or props.get("Role") or dummy_role_arn(ctx.template, ctx.resource.logical_id)
    kind = props.get("Type") or props.get("StateMachineType") or "STANDARD"
    arn = ctx.clients.stepfunctions.create_state_machine(name=name, definition=text, roleArn=role, type=kind)[
        "stateMachineArn"
    ]
    return arn, {"Arn": arn, "Name": name}


def _schedule_group(ctx: Context, props: dict[str, Any]) -> Created:
    name = props.get("Name") or ctx.default_name()
    arn = ctx.clients.scheduler.create_schedule_group(Name=name)["ScheduleGroupArn"]
    return name, {"Arn": arn}


def _schedule(ctx: Context, props: dict[str, Any]) -> Created:
    name = props.get("Name") or ctx.default_name()[:64]
    target = {"RoleArn": dummy_role_arn(ctx.template, ctx.resource.logical_id), **props["Target"]}
    args: dict[str, Any] = {
        "Name": name,
        "ScheduleExpression": props["ScheduleExpression"],
        "FlexibleTimeWindow": props.get("FlexibleTimeWindow") or {"Mode": "OFF"},
        "Target": target,
    }
    keys = ("GroupName", "ScheduleExpressionTimezone", "State", "Description")
    args |= {k: props[k] for k in keys if k in props}
    arn = ctx.clients.scheduler.create_schedule(**args)["ScheduleArn"]
    return name, {"Arn": arn}


def _bucket(ctx: Context, props: dict[str, Any]) -> Created:
    name = props.get("BucketName") or ctx.default_name().lower()
    args: dict[str, Any] = {"Bucket": name}
    if ctx.template.region != "us-east-1":
        args["CreateBucketConfiguration"] = {"LocationConstraint": ctx.template.region}
    ctx.clients.s3.create_bucket(**args)
    domain = f"{name}.s3.{ctx.template.region}.amazonaws.com"
    return name, {"Arn": f"arn:aws:s3:::{name}", "DomainName": domain, "RegionalDomainName": domain}


def _parameter(ctx: Context, props: dict[str, Any]) -> Created:
    name = props.get("Name") or ctx.default_name()
    ctx.clients.ssm.put_parameter(Name=name, Type=props.get("Type", "String"), Value=str(props["Value"]))
    return name, {"Type": props.get("Type", "String"), "Value": str(props["Value"])}


CREATORS: dict[str, Creator] = {
    "AWS::Events::EventBus": _event_bus,
    "AWS::Events::Rule": _rule,
    "AWS::DynamoDB::Table": _table,
    "AWS::Serverless::SimpleTable": _simple_table,
    "AWS::SQS::Queue": _queue,
    "AWS::SNS::Topic": _topic,
    "AWS::SNS::Subscription": _subscribe,
    "AWS::SecretsManager::Secret": _secret,
    "AWS::Serverless::StateMachine": _state_machine,
    "AWS::StepFunctions::StateMachine": _state_machine,
    "AWS::Scheduler::ScheduleGroup": _schedule_group,
    "AWS::Scheduler::Schedule": _schedule,
    "AWS::S3::Bucket": _bucket,
    "AWS::SSM::Parameter": _parameter,
}
