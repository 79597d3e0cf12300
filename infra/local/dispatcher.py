"""Drain the local delivery queues into handlers, with EventBridge's retries and dead-lettering."""

from __future__ import annotations

import functools
import json
import logging
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from infra.local.clients import Clients
from infra.local.payloads import apply_target_input, complete_event, sns_event, sqs_event
from infra.local.runtime import FunctionRuntime, Invocation
from infra.local.specs import Target
from infra.local.wiring import RETRY_DELAY_SECONDS, Delivery

__all__ = ["Dispatcher", "Poller", "TargetInvoker"]

log = logging.getLogger(__name__)

Handle = Callable[[list[dict[str, Any]]], None]


@dataclass(frozen=True)
class TargetInvoker:
    """Hands a payload to a target as the AWS service would: invoke, start execution, publish, send."""

    runtime: FunctionRuntime
    clients: Clients

    def __call__(self, target: Target, payload: Any) -> Invocation | str:
        if target.kind == "function":
            if target.logical_id is None:
                raise ValueError(f"function {target.arn} is not in the template")
            return self.runtime.invoke(target.logical_id, payload)
        body = json.dumps(payload)
        if target.kind == "state_machine":
            name = f"local-{uuid.uuid4()}"  # unnamed executions collide in moto
            return str(
                self.clients.stepfunctions.start_execution(stateMachineArn=target.arn, name=name, input=body)[
                    "executionArn"
                ]
            )
        if target.kind == "topic":
            return str(self.clients.sns.publish(TopicArn=target.arn, Message=body)["MessageId"])
        if target.kind == "queue":
            url = self.clients.sqs.get_queue_url(QueueName=target.arn.rsplit(":", 1)[-1])["QueueUrl"]
            return str(self.clients.sqs.send_message(QueueUrl=url, MessageBody=body)["MessageId"])
        raise ValueError(f"cannot deliver locally to {target.arn}")


class Poller(threading.Thread):
    """Long-polls one queue and passes each batch to `handle`, until stopped."""

    def __init__(self, name: str, clients: Clients, queue_url: str, handle: Handle, batch_size: int = 1):
        super().__init__(name=f"poll-{name}", daemon=True)
        self.clients, self.queue_url, self.handle, self.batch_size = clients, queue_url, handle, batch_size
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                messages = self.clients.sqs.receive_message(
                    QueueUrl=self.queue_url,
                    MaxNumberOfMessages=self.batch_size,
                    WaitTimeSeconds=1,
                    AttributeNames=["All"],
                    MessageAttributeNames=["All"],
                ).get("Messages", [])
                if messages:
                    self.handle(messages)
            except Exception:
                if self.stopping.is_set():
                    return  # the server went away first during shutdown
                log.exception("%s: polling failed; retrying", self.name)
                self.stopping.wait(1)


class Dispatcher:
    """One poller per delivery; each failure is retried after a short delay, then dead-lettered."""

    def __init__(self, deliveries: list[Delivery], clients: Clients, invoke: TargetInvoker, *, account_id: str):
        self.clients, self.invoke, self.account_id = clients, invoke, account_id
        self.deliveries = deliveries
        self.pollers = [Poller(d.source, clients, d.queue_url, self._handler(d), d.batch_size) for d in deliveries]

    def start(self) -> None:
        for poller in self.pollers:
            poller.start()

    def stop(self) -> None:
        for poller in self.pollers:
            poller.stopping.set()
        for poller in self.pollers:
            if poller.is_alive():
                poller.join(5)

    def _handler(self, delivery: Delivery) -> Handle:
        if delivery.kind == "sqs":
            return functools.partial(self._batch, delivery)
        return functools.partial(self._each, delivery)

    def _each(self, delivery: Delivery, messages: list[dict[str, Any]]) -> None:
        for message in messages:
            self._one(delivery, message)

    def _payload(self, delivery: Delivery, message: dict[str, Any]) -> Any:
        if delivery.kind == "sns":
            return sns_event(message, subscription_arn=delivery.subscription_arn)
        event = json.loads(message["Body"])
        if delivery.target.input_transformer or not isinstance(event, dict):
            return event  # a transformed input is no longer an event: deliver it as moto made it
        event = complete_event(event, account_id=self.account_id, region=self.clients.region)
        return apply_target_input(delivery.target, event)

    def _one(self, delivery: Delivery, message: dict[str, Any]) -> None:
        attempt = int((message.get("Attributes") or {}).get("ApproximateReceiveCount", "1"))
        try:
            outcome = self.invoke(delivery.target, self._payload(delivery, message))
            error = outcome.error if isinstance(outcome, Invocation) else None
        except Exception as exc:
            error = {"errorType": type(exc).__name__, "errorMessage": str(exc)}
        if error is None:
            self.clients.sqs.delete_message(QueueUrl=delivery.queue_url, ReceiptHandle=message["ReceiptHandle"])
            return
        final = attempt >= delivery.max_attempts
        log.log(
            logging.ERROR if final else logging.WARNING,
            "%s: attempt %s/%s failed: %s: %s%s",
            delivery.source,
            attempt,
            delivery.max_attempts,
            error.get("errorType"),
            error.get("errorMessage"),
            " -> dead-letter queue" if final else "; retrying",
        )
        self.clients.sqs.change_message_visibility(
            QueueUrl=delivery.queue_url,
            ReceiptHandle=message["ReceiptHandle"],
            VisibilityTimeout=0 if final else RETRY_DELAY_SECONDS,  # final: moto redrives on next receive
        )

    def _batch(self, delivery: Delivery, messages: list[dict[str, Any]]) -> None:
        """An event source mapping: the whole batch succeeds, or only the reported items stay."""
        event = sqs_event(messages, queue_arn=delivery.queue_arn, region=self.clients.region)
        outcome = self.invoke(delivery.target, event)
        if isinstance(outcome, Invocation) and not outcome.ok:
            log.warning("%s: batch of %s failed: %s", delivery.source, len(messages), outcome.error)
            return  # visible again after the queue's own visibility timeout, as with Lambda
        failed: set[str] = set()
        if delivery.report_batch_item_failures and isinstance(outcome, Invocation):
            items = (outcome.result or {}).get("batchItemFailures") or []
            failed = {item["itemIdentifier"] for item in items}
        entries = [
            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]}
            for i, m in enumerate(messages)
            if m["MessageId"] not in failed
        ]
        if entries:
            self.clients.sqs.delete_message_batch(QueueUrl=delivery.queue_url, Entries=entries)
