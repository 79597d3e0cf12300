"""The payloads AWS hands to targets: EventBridge events, SQS and SNS batches, scheduled events."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from infra.local.specs import Target

__all__ = ["apply_target_input", "complete_event", "scheduled_event", "sns_event", "sqs_event"]


def complete_event(event: dict[str, Any], *, account_id: str, region: str) -> dict[str, Any]:
    """Add what moto's delivered events lack (`account`) so Powertools' EventBridgeModel accepts them."""
    completed = {
        "version": "0",
        "id": str(uuid.uuid4()),
        "account": account_id,
        "region": region,
        "resources": [],
        "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    completed.update(event)
    return completed


def apply_target_input(target: Target, event: Any) -> Any:
    """A target's constant `Input` or `InputPath` ($ or $.a.b); moto itself ignores both."""
    if target.input is not None:
        return json.loads(target.input)
    if target.input_path:
        value = event
        for part in target.input_path.removeprefix("$").strip(".").split("."):
            if part:
                value = value.get(part) if isinstance(value, dict) else None
        return value
    return event


def scheduled_event(rule_arn: str, *, account_id: str, region: str) -> dict[str, Any]:
    """What an EventBridge schedule rule sends when no Input is set."""
    return complete_event(
        {"detail-type": "Scheduled Event", "source": "aws.events", "resources": [rule_arn], "detail": {}},
        account_id=account_id,
        region=region,
    )


def sqs_event(messages: list[dict[str, Any]], *, queue_arn: str, region: str) -> dict[str, Any]:
    """An event source mapping's batch, as Lambda receives it."""
    return {"Records": [_sqs_record(m, queue_arn, region) for m in messages]}


def _sqs_record(message: dict[str, Any], queue_arn: str, region: str) -> dict[str, Any]:
    attributes = {
        name: {
            "stringValue": value.get("StringValue"),
            "binaryValue": value.get("BinaryValue"),
            "stringListValues": [],
            "binaryListValues": [],
            "dataType": value.get("DataType", "String"),
        }
        for name, value in (message.get("MessageAttributes") or {}).items()
    }
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": message.get("Attributes") or {},
        "messageAttributes": attributes,
        "md5OfBody": message.get("MD5OfBody", ""),
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": region,
    }


def sns_event(message: dict[str, Any], *, subscription_arn: str) -> dict[str, Any]:
    """An SNS notification (as the subscribed queue received it) in Lambda's SNS event shape."""
    notification = json.loads(message["Body"])
    return {
        "Records": [
            {
                "EventVersion": "1.0",
                "EventSubscriptionArn": subscription_arn,
                "EventSource": "aws:sns",
                "Sns": {
                    "SignatureVersion": notification.get("SignatureVersion", "1"),
                    "Timestamp": notification.get("Timestamp"),
                    "Signature": notification.get("Signature", "local"),
                    "SigningCertUrl": notification.get("SigningCertURL", ""),
                    "MessageId": notification.get("MessageId"),
                    "Message": notification.get("Message"),
                    "MessageAttributes": notification.get("MessageAttributes") or {},
                    "Type": notification.get("Type", "Notification"),
                    "UnsubscribeUrl": notification.get("UnsubscribeURL", ""),
                    "TopicArn": notification.get("TopicArn"),
                    "Subject": notification.get("Subject"),
                },
            }
        ]
    }
