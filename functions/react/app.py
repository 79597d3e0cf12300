"""React: hides, answers, routes to help or thanks each classified comment once, by policy (dry-run by default).

Ideas are thanked on IdeaRecorded (with their backlog number), not on CommentClassified.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit, single_metric
from aws_lambda_powertools.utilities.parser.models import EventBridgeModel
from aws_lambda_powertools.utilities.typing import LambdaContext

from replyloop.adapters.dead_letters import SqsDeadLetters
from replyloop.adapters.event_bus import EventBridgePublisher
from replyloop.adapters.ledger import IdempotencyLedger
from replyloop.adapters.platforms import PlatformClients, RetryPolicy
from replyloop.adapters.rate_limits import DynamoRateLimiter, DynamoSlowModes
from replyloop.adapters.secrets import PlatformSecretStore
from replyloop.models.events import CommentClassified
from replyloop.models.ideas import IdeaRecorded
from replyloop.reactions import Decider, Reacted, Reactor
from replyloop.settings import ReactSettings, load_settings

logger = Logger()
tracer = Tracer()
metrics = Metrics()


# Longer than the bus archive keeps events (14 days): a replayed CommentClassified never answers twice.
REACTED_KEYS_SECONDS = 15 * 24 * 3600


@cache
def ledger() -> IdempotencyLedger:
    table = load_settings(ReactSettings).idempotency_table
    return IdempotencyLedger(table, key_prefix="replyloop.react", expires_after_seconds=REACTED_KEYS_SECONDS)


@cache
def reactor() -> Reactor:
    """Composition root: policy, FAQ and templates loaded and adapters wired once per container."""
    settings = load_settings(ReactSettings)
    retry = RetryPolicy(
        attempts=settings.platform_max_attempts,
        backoff_seconds=settings.platform_backoff_seconds,
        timeout_seconds=settings.platform_timeout_seconds,
    )
    platforms = PlatformClients(
        credentials=PlatformSecretStore(settings.platform_secrets_arn).load,
        graph_base_url=settings.graph_api_base_url,
        telegram_base_url=settings.telegram_api_base_url,
        x_base_url=settings.x_api_base_url,
        retry=retry,
    )
    return Reactor(
        decider=Decider.load(),
        ledger=ledger(),
        publisher=EventBridgePublisher(settings.event_bus_name),
        limiter=DynamoRateLimiter(settings.rate_limit_table),
        slow_modes=DynamoSlowModes(settings.rate_limit_table),
        dead_letters=SqsDeadLetters(settings.reactions_dlq_url),
        platforms=platforms,
        clock=lambda: datetime.now(UTC),
        mode=settings.reactions_mode,
    )


def _record(result: Reacted, mode: str) -> None:
    for event in result.events:
        # A separate EMF blob per reaction, so the alarmed metrics keep the `service` dimension alone.
        with single_metric(name="Reactions", unit=MetricUnit.Count, value=1, namespace=metrics.namespace) as metric:
            metric.add_dimension(name="action", value=event.action)
            metric.add_dimension(name="mode", value=mode)
        if event.outcome == "rate-limited":
            metrics.add_metric(name="RepliesRateLimited", unit=MetricUnit.Count, value=1)
        if event.outcome == "failed":
            metrics.add_metric(name="ReactionFailures", unit=MetricUnit.Count, value=1)
        # Ids, action, template and outcome only: comment text and tokens never reach the logs.
        log = logger.warning if event.outcome == "failed" else logger.info
        log(
            "Reaction",
            extra={
                "platform": event.platform,
                "comment_id": event.comment_id,
                "thread_id": event.thread_id,
                "label": event.label,
                "action": event.action,
                "template_id": event.template_id,
                "faq_id": event.faq_id,
                "outcome": event.outcome,
                "reason": event.reason,
            },
        )
    metrics.add_metric(name="ReactionsRecorded", unit=MetricUnit.Count, value=len(result.events))
    if result.slow_mode_started:
        metrics.add_metric(name="SlowModeActivations", unit=MetricUnit.Count, value=1)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.EVENT_BRIDGE)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    ledger().register_lambda_context(context)
    use_case = reactor()
    if event.get("detail-type") == IdeaRecorded.detail_type:
        recorded: IdeaRecorded = IdeaRecorded.model_validate(EventBridgeModel.model_validate(event).detail)
        comment, result = recorded.comment, use_case.thank_idea(recorded)
    else:
        classified: CommentClassified = CommentClassified.model_validate(EventBridgeModel.model_validate(event).detail)
        comment, result = classified.comment, use_case.react(classified)
    if result.duplicate:
        metrics.add_metric(name="DuplicatesIgnored", unit=MetricUnit.Count, value=1)
        logger.info("Duplicate ignored", extra={"platform": comment.platform, "comment_id": comment.comment_id})
    if result.deferred:
        metrics.add_metric(name="ReactionsDeferred", unit=MetricUnit.Count, value=1)
        logger.info("Reaction deferred", extra={"platform": comment.platform, "comment_id": comment.comment_id})
    _record(result, use_case.mode)
    summary = {"action", "outcome", "template_id", "reply_id"}
    return {
        "duplicate": result.duplicate,
        "deferred": result.deferred,
        "reactions": [event.model_dump(mode="json", include=summary) for event in result.events],
    }
