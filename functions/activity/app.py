"""Activity: files each classified comment (pseudonymous author, local day) and each FAQ auto-answer for the KPIs."""

from __future__ import annotations

from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.parser.models import EventBridgeModel
from aws_lambda_powertools.utilities.typing import LambdaContext

from replyloop.adapters.activity_table import DynamoActivityStore
from replyloop.adapters.pseudonym_key import PseudonymKey
from replyloop.kpis.activity import ActivityRecorder, Pseudonymizer
from replyloop.kpis.period import load_policy
from replyloop.models.events import CommentClassified, ReactionPerformed
from replyloop.settings import ActivitySettings, load_settings

logger = Logger()
tracer = Tracer()
metrics = Metrics()

_METRICS = {"comment": "ActivityComments", "faq_answer": "ActivityFaqAnswers"}


@cache
def recorder() -> ActivityRecorder:
    """Composition root: the policy, the table and the pseudonym key (read on first use), once per container."""
    settings = load_settings(ActivitySettings)
    policy = load_policy()
    return ActivityRecorder(
        store=DynamoActivityStore(settings.activity_table),
        pseudonym=Pseudonymizer(PseudonymKey(settings.kpi_pseudonym_secret_arn), policy.pseudonym_length),
        policy=policy,
    )


@logger.inject_lambda_context(correlation_id_path=correlation_paths.EVENT_BRIDGE)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    envelope = EventBridgeModel.model_validate(event)
    if envelope.detail_type == CommentClassified.detail_type:
        classified = CommentClassified.model_validate(envelope.detail)
        ids = {"platform": classified.comment.platform, "comment_id": classified.comment.comment_id}
        result = recorder().comment(classified)
    elif envelope.detail_type == ReactionPerformed.detail_type:
        reaction = ReactionPerformed.model_validate(envelope.detail)
        ids = {"platform": reaction.platform, "comment_id": reaction.comment_id}
        result = recorder().faq_answer(reaction)
    else:
        raise ValueError(f"activity does not handle {envelope.detail_type}")
    if result.kind in _METRICS:
        name = "DuplicatesIgnored" if result.duplicate else _METRICS[result.kind]
        metrics.add_metric(name=name, unit=MetricUnit.Count, value=1)
    day = result.day.isoformat() if result.day else None
    # Ids and the day only: no text and no author (not even its pseudonym) reach the logs.
    logger.info("Activity", extra={**ids, "kind": result.kind, "duplicate": result.duplicate, "day": day})
    return {"kind": result.kind, "duplicate": result.duplicate, "day": day}
