"""SLA open: a comment that needs a response becomes a case with working-time deadlines and a running timer."""

from __future__ import annotations

from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit, single_metric
from aws_lambda_powertools.utilities.parser.models import EventBridgeModel
from aws_lambda_powertools.utilities.typing import LambdaContext

from replyloop.adapters.cases_table import DynamoCaseStore
from replyloop.adapters.event_bus import EventBridgePublisher
from replyloop.adapters.sla_timer import StepFunctionsTimer
from replyloop.models.events import CommentClassified
from replyloop.settings import SlaOpenSettings, load_settings
from replyloop.sla import CaseOpening, load_policy

logger = Logger()
tracer = Tracer()
metrics = Metrics()


@cache
def opening() -> CaseOpening:
    """Composition root: the policy (and its calendars) and the adapters, once per container."""
    settings = load_settings(SlaOpenSettings)
    return CaseOpening(
        policy=load_policy(),
        store=DynamoCaseStore(settings.cases_table),
        timer=StepFunctionsTimer(settings.sla_state_machine_arn),
        publisher=EventBridgePublisher(settings.event_bus_name),
    )


@logger.inject_lambda_context(correlation_id_path=correlation_paths.EVENT_BRIDGE)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    classified: CommentClassified = CommentClassified.model_validate(EventBridgeModel.model_validate(event).detail)
    comment = classified.comment
    ids = {"platform": comment.platform, "comment_id": comment.comment_id, "label": classified.classification.label}
    result = opening().open(classified)
    if result.event is None:
        if result.duplicate:
            metrics.add_metric(name="DuplicatesIgnored", unit=MetricUnit.Count, value=1)
        logger.info("No case opened", extra={**ids, "reason": result.reason})
        return {"opened": False, "reason": result.reason}
    opened = result.event
    metrics.add_metric(name="CasesOpened", unit=MetricUnit.Count, value=1)
    # A separate EMF blob, so the alarmed CasesOpened keeps the `service` dimension alone.
    with single_metric(name="CasesOpenedByLabel", unit=MetricUnit.Count, value=1, namespace=metrics.namespace) as m:
        m.add_dimension(name="label", value=opened.label)
    logger.info(
        "Case opened",
        extra={
            **ids,
            "case_key": opened.case_key,
            "team": opened.team,
            "due_at": opened.model_dump(mode="json")["due_at"],
        },
    )
    return {"opened": True, "case_key": opened.case_key, "execution_name": opened.execution_name}
