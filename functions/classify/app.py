"""Classify: labels every received comment, asks a second opinion when unsure, and puts CommentClassified once."""

from __future__ import annotations

from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit, single_metric
from aws_lambda_powertools.utilities.parser.models import EventBridgeModel
from aws_lambda_powertools.utilities.typing import LambdaContext

from replyloop.adapters.event_bus import EventBridgePublisher
from replyloop.adapters.ledger import IdempotencyLedger
from replyloop.adapters.second_opinion import make_second_opinion
from replyloop.classification import Triage, Triaged
from replyloop.models.events import CommentReceived
from replyloop.settings import ClassifySettings, load_settings

logger = Logger()
tracer = Tracer()
metrics = Metrics()


@cache
def ledger() -> IdempotencyLedger:
    return IdempotencyLedger(load_settings(ClassifySettings).idempotency_table, key_prefix="replyloop.classify")


@cache
def triage() -> Triage:
    """Composition root: settings, lexicons and adapters wired once per container."""
    settings = load_settings(ClassifySettings)
    return Triage(
        ledger=ledger(),
        publisher=EventBridgePublisher(settings.event_bus_name),
        second_opinion=make_second_opinion(
            settings.classifier_second_opinion, bedrock_model_id=settings.bedrock_model_id
        ),
        second_opinion_below=settings.classifier_second_opinion_below,
    )


def _record(comment: CommentReceived, result: Triaged) -> None:
    ids = {"platform": comment.platform, "comment_id": comment.comment_id, "thread_id": comment.thread_id}
    if result.detail is None or result.review is None:
        metrics.add_metric(name="DuplicatesIgnored", unit=MetricUnit.Count, value=1)
        logger.info("Duplicate ignored", extra=ids)
        return
    classification = result.detail.classification
    metrics.add_metric(name="ClassificationsPublished", unit=MetricUnit.Count, value=1)
    # A separate EMF blob per comment, so the alarmed metrics keep the `service` dimension alone.
    with single_metric(
        name="CommentsClassified", unit=MetricUnit.Count, value=1, namespace=metrics.namespace
    ) as metric:
        metric.add_dimension(name="label", value=classification.label)
        metric.add_dimension(name="lang", value=classification.lang)
    with single_metric(name="CommentsByPlatform", unit=MetricUnit.Count, value=1, namespace=metrics.namespace) as m:
        m.add_dimension(name="platform", value=comment.platform)
    if result.review.consulted:
        metrics.add_metric(name="SecondOpinions", unit=MetricUnit.Count, value=1)
    if result.review.failure is not None:
        metrics.add_metric(name="SecondOpinionFailures", unit=MetricUnit.Count, value=1)
        logger.warning("Second opinion failed, first opinion kept", extra={**ids, "error": result.review.failure})
    # Ids, label and reasons only: the comment text never reaches the logs.
    logger.info(
        "Comment classified",
        extra={
            **ids,
            "label": classification.label,
            "lang": classification.lang,
            "confidence": classification.confidence,
            "reasons": classification.reasons,
            "second_opinion": classification.second_opinion,
        },
    )


@logger.inject_lambda_context(correlation_id_path=correlation_paths.EVENT_BRIDGE)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    ledger().register_lambda_context(context)
    comment: CommentReceived = CommentReceived.model_validate(EventBridgeModel.model_validate(event).detail)
    result = triage().handle(comment)  # raises if the event could not be put: the async invoke is retried
    _record(comment, result)
    if result.detail is None:
        return {"duplicate": True, "key": result.key}
    return {
        "duplicate": False,
        "key": result.key,
        "classification": result.detail.classification.model_dump(mode="json"),
    }
