"""KPI digest: every Monday morning (Scheduler, Europe/Warsaw), last week's KPIs put on the bus as KpiDigest."""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from replyloop.adapters.activity_table import DynamoActivityStore
from replyloop.adapters.event_bus import EventBridgePublisher
from replyloop.adapters.ideas_repository import DynamoIdeasStore
from replyloop.adapters.kpi_sources import DynamoCaseRecords, IdeaRecords
from replyloop.kpis import KpiSources, WeeklyDigest, load_policy
from replyloop.settings import KpiDigestSettings, load_settings

logger = Logger()
tracer = Tracer()
metrics = Metrics()


@cache
def digest() -> WeeklyDigest:
    """Composition root: the three tables as KPI sources and the bus, once per container."""
    settings = load_settings(KpiDigestSettings)
    policy = load_policy()
    activity = DynamoActivityStore(settings.activity_table)
    sources = KpiSources(
        cases=DynamoCaseRecords(settings.cases_table),
        activity=activity,
        ideas=IdeaRecords(DynamoIdeasStore(settings.ideas_table, timezone=policy.timezone)),
    )
    return WeeklyDigest(
        sources=sources,
        publisher=EventBridgePublisher(settings.event_bus_name),
        marks=activity,
        policy=policy,
        clock=lambda: datetime.now(UTC),
    )


def _today(event: dict[str, Any], zone: ZoneInfo) -> date | None:
    """The local day the digest is for: given by hand, else the schedule's own time (not the clock's, so a
    retried or redriven invocation reports the same week), else None (today)."""
    if event.get("today"):
        return date.fromisoformat(event["today"])
    if event.get("scheduled_time"):
        return datetime.fromisoformat(event["scheduled_time"].replace("Z", "+00:00")).astimezone(zone).date()
    return None


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """The schedule sends its scheduled time; by hand, `{"today": "2026-11-23", "force": true}` redoes a week."""
    use_case = digest()
    outcome = use_case.run(_today(event, use_case.policy.zone), force=bool(event.get("force")))
    name = "KpiDigestsPublished" if outcome.published else "KpiDigestsAlreadySent"
    metrics.add_metric(name=name, unit=MetricUnit.Count, value=1)
    headline = outcome.digest.kpis.headline() if outcome.digest else {}
    logger.info("KPI digest", extra={"period": outcome.period.label, "published": outcome.published, **headline})
    return {"period": outcome.period.label, "published": outcome.published, "headline": headline}
