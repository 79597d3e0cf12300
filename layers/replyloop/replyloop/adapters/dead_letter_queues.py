"""A deployment's dead-letter queues on SQS: which there are, how deep and old, and receiving, deleting, moving."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from replyloop.adapters.aws import client as shared_client

__all__ = ["DLQ_SUFFIX", "Letter", "QueueStatus", "SqsDeadLetterQueues"]

# template.yaml names every dead-letter queue `replyloop-<stage>-<name>-dlq`.
DLQ_SUFFIX = "-dlq"
_PEEK_ROUNDS = 3


@dataclass(frozen=True, slots=True)
class QueueStatus:
    """One dead-letter queue as `replyloop dlq list` shows it."""

    name: str
    url: str
    arn: str
    visible: int
    in_flight: int
    retention_seconds: int
    oldest_age_seconds: float | None
    age_source: str
    sources: tuple[str, ...]

    @property
    def expires_in_seconds(self) -> float | None:
        """How long until SQS deletes the oldest message for good (its retention period runs out)."""
        if self.oldest_age_seconds is None:
            return None
        return max(0.0, self.retention_seconds - self.oldest_age_seconds)


@dataclass(frozen=True, slots=True)
class Letter:
    """One dead-lettered message: its body, attributes, and the receipt to delete or release it with."""

    message_id: str
    receipt: str
    body: str
    attributes: dict[str, str]
    sent_at: datetime | None
    receive_count: int


def _letter(message: dict[str, Any]) -> Letter:
    system = message.get("Attributes") or {}
    sent = system.get("SentTimestamp")
    attributes = {
        name: str(value.get("StringValue", ""))
        for name, value in (message.get("MessageAttributes") or {}).items()
        if value.get("DataType", "String").startswith(("String", "Number"))
    }
    return Letter(
        message_id=message["MessageId"],
        receipt=message["ReceiptHandle"],
        body=message.get("Body", ""),
        attributes=attributes,
        sent_at=datetime.fromtimestamp(int(sent) / 1000, UTC) if sent else None,
        receive_count=int(system.get("ApproximateReceiveCount", "1")),
    )


class SqsDeadLetterQueues:
    """SQS (and CloudWatch, for the age of the oldest message) behind the `replyloop dlq` commands."""

    def __init__(self, *, sqs: Any = None, cloudwatch: Any = None, clock: Any = None) -> None:
        self._sqs = sqs
        self._cloudwatch = cloudwatch
        self._clock = clock or (lambda: datetime.now(UTC))

    @property
    def sqs(self) -> Any:
        if self._sqs is None:
            self._sqs = shared_client("sqs")
        return self._sqs

    @property
    def cloudwatch(self) -> Any:
        if self._cloudwatch is None:
            self._cloudwatch = shared_client("cloudwatch")
        return self._cloudwatch

    def find(self, prefix: str) -> dict[str, str]:
        """Queue URL by short name (`events` for `replyloop-prod-events-dlq`) of the dead-letter queues named so."""
        found: dict[str, str] = {}
        for page in self.sqs.get_paginator("list_queues").paginate(QueueNamePrefix=prefix):
            for url in page.get("QueueUrls", []):
                name = url.rsplit("/", 1)[-1]
                if name.endswith(DLQ_SUFFIX):
                    found[name.removeprefix(prefix).removesuffix(DLQ_SUFFIX)] = url
        return dict(sorted(found.items()))

    def url_of(self, queue_name: str) -> str:
        return str(self.sqs.get_queue_url(QueueName=queue_name)["QueueUrl"])

    def status(self, name: str, url: str) -> QueueStatus:
        wanted = [
            "QueueArn",
            "ApproximateNumberOfMessages",
            "ApproximateNumberOfMessagesNotVisible",
            "MessageRetentionPeriod",
        ]
        attributes = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=wanted)["Attributes"]
        visible = int(attributes.get("ApproximateNumberOfMessages", 0))
        in_flight = int(attributes.get("ApproximateNumberOfMessagesNotVisible", 0))
        age, source = self._oldest_age(url, visible + in_flight)
        sources = self.sqs.list_dead_letter_source_queues(QueueUrl=url).get("queueUrls", [])
        return QueueStatus(
            name=name,
            url=url,
            arn=attributes["QueueArn"],
            visible=visible,
            in_flight=in_flight,
            retention_seconds=int(attributes.get("MessageRetentionPeriod", 345600)),
            oldest_age_seconds=age,
            age_source=source,
            sources=tuple(sorted(source_url.rsplit("/", 1)[-1] for source_url in sources)),
        )

    def _oldest_age(self, url: str, depth: int) -> tuple[float | None, str]:
        """SQS's own ApproximateAgeOfOldestMessage metric where CloudWatch has it; else the oldest message seen."""
        if depth == 0:
            return None, "empty"
        now = self._clock()
        try:
            points = self.cloudwatch.get_metric_statistics(
                Namespace="AWS/SQS",
                MetricName="ApproximateAgeOfOldestMessage",
                Dimensions=[{"Name": "QueueName", "Value": url.rsplit("/", 1)[-1]}],
                StartTime=now - timedelta(minutes=15),
                EndTime=now,
                Period=300,
                Statistics=["Maximum"],
            ).get("Datapoints", [])
        except (BotoCoreError, ClientError):  # no CloudWatch access, or a stand-in without it: look instead
            points = []
        if points:
            return float(max(point["Maximum"] for point in points)), "cloudwatch"
        oldest: datetime | None = None
        for _ in range(_PEEK_ROUNDS):  # a peek: the messages stay visible, so later rounds may repeat them
            for letter in self.receive(url, max_messages=10, hide_seconds=0, wait_seconds=0):
                if letter.sent_at is not None and (oldest is None or letter.sent_at < oldest):
                    oldest = letter.sent_at
        if oldest is None:
            return None, "unknown"
        exact = depth <= 10
        return (now - oldest).total_seconds(), "peek" if exact else "peek (at least)"

    def visible(self, url: str) -> int:
        attributes = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])
        return int(attributes["Attributes"].get("ApproximateNumberOfMessages", 0))

    def receive(self, url: str, *, max_messages: int, hide_seconds: int, wait_seconds: int = 1) -> list[Letter]:
        """Long polling by default: a short poll samples only some SQS servers and may miss messages."""
        messages = self.sqs.receive_message(
            QueueUrl=url,
            MaxNumberOfMessages=max(1, min(10, max_messages)),
            VisibilityTimeout=hide_seconds,
            WaitTimeSeconds=wait_seconds,
            AttributeNames=["SentTimestamp", "ApproximateReceiveCount"],
            MessageAttributeNames=["All"],
        ).get("Messages", [])
        return [_letter(message) for message in messages]

    def delete(self, url: str, letter: Letter) -> None:
        self.sqs.delete_message(QueueUrl=url, ReceiptHandle=letter.receipt)

    def release(self, url: str, letter: Letter) -> None:
        """Visible again at once, for the next run (or another operator) to see."""
        self.sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=letter.receipt, VisibilityTimeout=0)

    def owner(self, arn: str, *, lambda_client: Any = None) -> str | None:
        """The function whose async invocations dead-letter into this queue, if exactly one does."""
        functions = lambda_client or shared_client("lambda")
        try:
            owners = [
                function["FunctionArn"]
                for page in functions.get_paginator("list_functions").paginate()
                for function in page.get("Functions", [])
                if (function.get("DeadLetterConfig") or {}).get("TargetArn") == arn
            ]
        except (BotoCoreError, ClientError):  # no lambda:ListFunctions: such letters are then only kept
            return None
        return owners[0] if len(owners) == 1 else None

    def move_to_sources(self, arn: str, *, per_second: int | None = None) -> str:
        """SQS's own redrive (StartMessageMoveTask): every message back to the queue it was dead-lettered from."""
        request: dict[str, Any] = {"SourceArn": arn}
        if per_second:
            request["MaxNumberOfMessagesPerSecond"] = per_second
        return str(self.sqs.start_message_move_task(**request)["TaskHandle"])
