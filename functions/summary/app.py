"""Summary: the monthly "you asked, we did" post of the previous month (Europe/Warsaw), once per month and mode.

Invoked by the monthly schedule (EventBridge Scheduler, 09:00 on the 1st in Europe/Warsaw) with
`{"scheduled_time": ...}`, by hand for a re-run or a backfill with `{"month": "2026-11"}`, and by
the daily check (`{"check": true}`), which only reports whether last month's post is out.

MonthlySummaryPublished is a gauge the ops alarm watches daily: 1 when the month's post is out
(or skipped by policy, or not due), 0 when it is not; the count of posts is the bus event's.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ConfigDict, Field

from replyloop.adapters.event_bus import EventBridgePublisher
from replyloop.adapters.ideas_repository import DynamoIdeasStore
from replyloop.adapters.platforms import PlatformClients, RetryPolicy
from replyloop.adapters.secrets import PlatformSecretStore
from replyloop.adapters.summary_archive import S3Archive
from replyloop.adapters.summary_channels import PlatformChannels
from replyloop.adapters.summary_ledger import DynamoSummaryLedger
from replyloop.settings import SummarySettings, load_settings
from replyloop.summary import InvalidMonth, MonthlySummary, Outcome, Renderer, load_policy
from replyloop.summary.templates import load_templates

logger = Logger()
tracer = Tracer()
metrics = Metrics()


class SummaryRequest(BaseModel):
    """The schedule's input (Scheduler fills in the context attributes) or a re-run's explicit month."""

    model_config = ConfigDict(extra="ignore")

    month: str | None = Field(default=None, max_length=20, description="YYYY-MM; default: the previous month.")
    check: bool = Field(default=False, description="The daily check: report the gauge, publish nothing.")
    scheduled_time: datetime | None = None
    execution_id: str | None = None


class SummaryIncomplete(Exception):
    """Some steps failed in a way a retry may fix: Lambda's retry (or a re-run) takes only those."""


def clock() -> datetime:
    return datetime.now(UTC)


@cache
def summary() -> MonthlySummary:
    """Composition root: policy, templates and adapters wired once per container."""
    settings = load_settings(SummarySettings)
    policy = load_policy()
    secret = PlatformSecretStore(settings.platform_secrets_arn or "")
    platforms = PlatformClients(
        credentials=secret.load,
        graph_base_url=settings.graph_api_base_url,
        telegram_base_url=settings.telegram_api_base_url,
        x_base_url=settings.x_api_base_url,
        retry=RetryPolicy(
            attempts=settings.platform_max_attempts,
            backoff_seconds=settings.platform_backoff_seconds,
            timeout_seconds=settings.platform_timeout_seconds,
        ),
    )
    return MonthlySummary(
        source=DynamoIdeasStore(settings.ideas_table, timezone=policy.timezone),
        renderer=Renderer(policy, load_templates(policy.languages)),
        policy=policy,
        archive=S3Archive(settings.summary_bucket),
        ledger=DynamoSummaryLedger(settings.ideas_table),
        channels=PlatformChannels(platforms),
        platforms=platforms,
        publisher=EventBridgePublisher(settings.event_bus_name),
        clock=lambda: clock(),  # noqa: PLW0108 - looked up at each call, so a test can set the clock
        mode=settings.summary_mode,
        bucket=settings.summary_bucket,
    )


def _gauge(out: bool) -> None:
    metrics.add_metric(name="MonthlySummaryPublished", unit=MetricUnit.Count, value=int(out))


def _record(outcome: Outcome) -> None:
    _gauge(outcome.out)
    metrics.add_metric(name="SummaryAuthorsNotified", unit=MetricUnit.Count, value=outcome.notified_now)
    if not outcome.checklist_passed:
        metrics.add_metric(name="SummaryChecklistFailures", unit=MetricUnit.Count, value=1)
    if outcome.failed_now:
        metrics.add_metric(name="SummaryFailures", unit=MetricUnit.Count, value=1)
    # Month, counts, statuses and ids only: comment text and author names never reach the logs.
    logger.info(
        "Monthly summary",
        extra={
            **{k: v for k, v in outcome.view().items() if k not in ("channels", "thanks")},
            "failed_steps": [f"{s.key}: {s.outcome}: {s.reason}" for s in outcome.failed_now],
        },
    )


@logger.inject_lambda_context(correlation_id_path="execution_id")
@tracer.capture_lambda_handler
@metrics.log_metrics(raise_on_empty_metrics=False)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    request = SummaryRequest.model_validate(event or {})
    use_case = summary()
    if request.check:
        month, out = use_case.is_out(clock(), request.scheduled_time)
        _gauge(out)
        logger.info("Monthly summary check", extra={"month": month, "out": out})
        return {"month": month, "out": out}
    try:
        month = use_case.month_for(clock(), month=request.month, scheduled=request.scheduled_time)
    except InvalidMonth as error:
        logger.warning("Summary refused", extra={"reason": str(error)})
        return {"status": "refused", "reason": str(error)}
    try:
        outcome = use_case.run(month)
    except Exception:
        metrics.add_metric(name="SummaryFailures", unit=MetricUnit.Count, value=1)
        raise
    _record(outcome)
    if outcome.status == "partial":
        pending = ", ".join(f"{step.key} ({step.reason})" for step in outcome.pending)
        raise SummaryIncomplete(f"{month}: {len(outcome.pending)} step(s) to retry: {pending}")
    return outcome.view()
