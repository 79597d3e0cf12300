"""The cost model's core: count the AWS requests code makes (a botocore hook) and price them per million comments.

`RequestCounter` hooks `before-parameter-build` on a boto3 session, so every client made from it afterwards
reports each API call (service, operation, parameters) while counting is switched on for the
current thread. `Usage` turns calls into billable units (EventBridge entries, DynamoDB read and
write units, ...); what botocore cannot see (Lambda invocations, Step Functions transitions, log
bytes) the caller adds. `Prices` holds the published prices; `cost` multiplies.
"""

from __future__ import annotations

import json
import math
import threading
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from typing import Any

__all__ = ["PRICES", "Prices", "RequestCounter", "Usage", "cost", "dynamodb_item_bytes"]

_KB = 1024


@dataclass(frozen=True)
class Prices:
    """USD per unit, us-east-1, as published in 2026 (shared/specs/aws-local.md; Logs and Secrets from AWS pricing)."""

    http_api_request: float = 1.00 / 1e6
    lambda_request: float = 0.20 / 1e6
    lambda_gb_second: float = 0.0000133  # arm64
    eventbridge_event: float = 1.00 / 1e6  # custom events, per 64 KB chunk
    state_transition: float = 0.025 / 1e3  # Step Functions Standard
    dynamodb_write_unit: float = 0.625 / 1e6  # on-demand
    dynamodb_read_unit: float = 0.125 / 1e6
    sns_publish: float = 0.50 / 1e6
    sqs_request: float = 0.40 / 1e6
    secrets_api_call: float = 0.05 / 1e4
    s3_put: float = 0.005 / 1e3
    logs_ingested_gb: float = 0.50  # CloudWatch Logs, standard class


PRICES = Prices()


@dataclass
class Usage:
    """Billable units. Counts from botocore calls; invocations, transitions and log bytes are added by the caller."""

    http_api_requests: int = 0
    lambda_invocations: int = 0
    lambda_gb_seconds: float = 0.0
    eventbridge_entries: int = 0
    state_transitions: int = 0
    dynamodb_write_units: float = 0.0
    dynamodb_read_units: float = 0.0
    sns_publishes: int = 0
    sqs_requests: int = 0
    secrets_calls: int = 0
    s3_puts: int = 0
    log_bytes: int = 0
    calls: Counter[str] = field(default_factory=Counter)

    def __add__(self, other: Usage) -> Usage:
        total = Usage()
        for item in fields(Usage):
            setattr(total, item.name, getattr(self, item.name) + getattr(other, item.name))
        return total

    def __iadd__(self, other: Usage) -> Usage:
        for item in fields(Usage):
            setattr(self, item.name, getattr(self, item.name) + getattr(other, item.name))
        return self

    def scaled(self, factor: float) -> Usage:
        scaled = Usage(calls=Counter({k: round(v * factor) for k, v in self.calls.items()}))
        for item in fields(Usage):
            if item.name != "calls":
                setattr(scaled, item.name, getattr(self, item.name) * factor)
        return scaled

    def record(self, service: str, operation: str, params: Mapping[str, Any]) -> None:
        """One API call, turned into the units it is billed by."""
        self.calls[f"{service}.{operation}"] += 1
        if (service, operation) == ("events", "PutEvents"):
            self.eventbridge_entries += sum(_chunks(entry) for entry in params.get("Entries", []))
        elif service == "dynamodb":
            writes, reads = _dynamodb_units(operation, params)
            self.dynamodb_write_units += writes
            self.dynamodb_read_units += reads
        elif (service, operation) == ("sns", "Publish"):
            self.sns_publishes += 1
        elif (service, operation) == ("sns", "PublishBatch"):
            self.sns_publishes += len(params.get("PublishBatchRequestEntries", []))
        elif service == "sqs":
            self.sqs_requests += 1
        elif service == "secretsmanager":
            self.secrets_calls += 1
        elif (service, operation) == ("s3", "PutObject"):
            self.s3_puts += 1


def _chunks(entry: Mapping[str, Any]) -> int:
    """EventBridge bills each 64 KB of an entry (source, detail-type, detail and resources) as one event."""
    size = sum(len(str(entry.get(key, "")).encode("utf-8")) for key in ("Source", "DetailType", "Detail"))
    size += sum(len(str(resource).encode("utf-8")) for resource in entry.get("Resources", []))
    return max(1, math.ceil(size / (64 * _KB)))


def dynamodb_item_bytes(item: Mapping[str, Any]) -> int:
    """An item's size as DynamoDB counts it: attribute names plus values (numbers about their digits)."""

    def value_bytes(value: Mapping[str, Any]) -> int:
        (kind, data), *_ = value.items()
        if kind in ("S", "N"):
            return len(str(data).encode("utf-8")) if kind == "S" else math.ceil(len(str(data)) / 2) + 1
        if kind == "B":
            return len(data)
        if kind in ("BOOL", "NULL"):
            return 1
        if kind in ("SS", "NS", "BS"):
            return sum(len(str(member)) for member in data)
        if kind == "L":
            return 3 + sum(1 + value_bytes(member) for member in data)
        if kind == "M":
            return 3 + sum(len(name) + 1 + value_bytes(member) for name, member in data.items())
        return len(json.dumps(data))

    return sum(len(name.encode("utf-8")) + value_bytes(value) for name, value in item.items())


def _dynamodb_units(operation: str, params: Mapping[str, Any]) -> tuple[float, float]:
    """(write units, read units) of one call: 1 KB per write unit, 4 KB per read unit (half if eventual).

    The size of an item changed by UpdateItem or read by GetItem/Query is not in the request: such
    items are taken to be under 1 KB (writes) and 4 KB (reads), as Replyloop's items are.
    """
    if operation == "PutItem":
        return max(1, math.ceil(dynamodb_item_bytes(params.get("Item", {})) / _KB)), 0.0
    if operation in ("UpdateItem", "DeleteItem"):
        return 1.0, 0.0
    if operation == "BatchWriteItem":
        return float(sum(len(requests) for requests in params.get("RequestItems", {}).values())), 0.0
    if operation == "TransactWriteItems":
        return 2.0 * len(params.get("TransactItems", [])), 0.0
    if operation in ("GetItem", "Query", "Scan"):
        return 0.0, 1.0 if params.get("ConsistentRead") else 0.5
    if operation == "BatchGetItem":
        return 0.0, 0.5 * sum(len(keys.get("Keys", [])) for keys in params.get("RequestItems", {}).values())
    if operation == "TransactGetItems":
        return 0.0, 2.0 * len(params.get("TransactItems", []))
    return 0.0, 0.0


class RequestCounter:
    """Counts the calls of clients made from a hooked session, on threads that switched counting on."""

    def __init__(self) -> None:
        self.usage = Usage()
        self._local = threading.local()
        self._lock = threading.Lock()

    def attach(self, session: Any) -> None:
        """`session`: a boto3 Session (or botocore's); clients made from it afterwards are counted."""
        # Emitted once per API call with the caller's parameters (before-call only sees the serialised request).
        session.events.register("before-parameter-build", self._before_call, unique_id="replyloop-request-counter")

    @contextmanager
    def counting(self) -> Iterator[Usage]:
        """Count this thread's calls inside the block; yields the usage of the block alone."""
        block = Usage()
        previous = getattr(self._local, "block", None)
        self._local.block = block
        try:
            yield block
        finally:
            self._local.block = previous
            with self._lock:
                self.usage = self.usage + block

    def _before_call(self, model: Any, params: Mapping[str, Any], **_: Any) -> None:
        block: Usage | None = getattr(self._local, "block", None)
        if block is not None:
            block.record(model.service_model.service_name, model.name, params)


def cost(usage: Usage, prices: Prices = PRICES) -> dict[str, float]:
    """USD per line item."""
    return {
        "API Gateway HTTP API requests": usage.http_api_requests * prices.http_api_request,
        "Lambda requests": usage.lambda_invocations * prices.lambda_request,
        "Lambda compute (GB-s)": usage.lambda_gb_seconds * prices.lambda_gb_second,
        "EventBridge events": usage.eventbridge_entries * prices.eventbridge_event,
        "Step Functions transitions": usage.state_transitions * prices.state_transition,
        "DynamoDB writes": usage.dynamodb_write_units * prices.dynamodb_write_unit,
        "DynamoDB reads": usage.dynamodb_read_units * prices.dynamodb_read_unit,
        "SNS publishes": usage.sns_publishes * prices.sns_publish,
        "SQS requests": usage.sqs_requests * prices.sqs_request,
        "Secrets Manager calls": usage.secrets_calls * prices.secrets_api_call,
        "S3 puts": usage.s3_puts * prices.s3_put,
        "CloudWatch Logs ingestion": usage.log_bytes / 1024**3 * prices.logs_ingested_gb,
    }
