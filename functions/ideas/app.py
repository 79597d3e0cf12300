"""Ideas: records each idea comment as a new idea or one vote for its near-duplicate, and emits IdeaRecorded."""

from __future__ import annotations

from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.parser.models import EventBridgeModel
from aws_lambda_powertools.utilities.typing import LambdaContext

from replyloop.adapters.ideas_wiring import aws_recorder
from replyloop.ideas import IdeaRecorder
from replyloop.models.events import CommentClassified
from replyloop.models.ideas import IdeaStatusChanged
from replyloop.settings import IdeasSettings, load_settings

logger = Logger()
tracer = Tracer()
metrics = Metrics()

_METRICS = {"new": "IdeasRecorded", "vote": "IdeaVotes", "repeat": "IdeaRepeats"}


@cache
def recorder() -> IdeaRecorder:
    """Composition root: policy, lexicons and adapters wired once per container."""
    return aws_recorder(load_settings(IdeasSettings))


def _shipped(event: dict[str, Any]) -> dict[str, Any]:
    """IdeaStatusChanged to shipped (from the admin API or the CLI alike): counted here, once per change."""
    changed: IdeaStatusChanged = IdeaStatusChanged.model_validate(EventBridgeModel.model_validate(event).detail)
    metrics.add_metric(name="IdeasShipped", unit=MetricUnit.Count, value=1)
    logger.info("Idea shipped", extra={"number": changed.number, "shipped_month": changed.shipped_month})
    return {"shipped": changed.number}


@logger.inject_lambda_context(correlation_id_path=correlation_paths.EVENT_BRIDGE)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    if event.get("detail-type") == IdeaStatusChanged.detail_type:
        return _shipped(event)
    classified: CommentClassified = CommentClassified.model_validate(EventBridgeModel.model_validate(event).detail)
    result = recorder().record(classified)
    recorded = result.event
    if result.redelivery:
        metrics.add_metric(name="DuplicatesIgnored", unit=MetricUnit.Count, value=1)
    else:
        metrics.add_metric(name=_METRICS[recorded.outcome], unit=MetricUnit.Count, value=1)
    # Ids, number and score only: comment text and author names never reach the logs.
    logger.info(
        "Idea recorded",
        extra={
            "platform": recorded.comment.platform,
            "comment_id": recorded.comment.comment_id,
            "number": recorded.number,
            "outcome": recorded.outcome,
            "votes": recorded.votes,
            "score": recorded.duplicate_of.score if recorded.duplicate_of else None,
            "redelivery": result.redelivery,
        },
    )
    return {
        "number": recorded.number,
        "outcome": recorded.outcome,
        "votes": recorded.votes,
        "redelivery": result.redelivery,
    }
