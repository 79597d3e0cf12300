"""SLA close: the first brand reply (or a counted FAQ auto-reply) answers a case, a deletion withdraws it;
the timer's warnings and escalations are counted here too, for the breach-rate alarm."""

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
from replyloop.models.cases import CaseAnswered, CaseEscalated, SlaWarning
from replyloop.models.events import BrandReplied, CommentDeleted, ReactionPerformed
from replyloop.settings import SlaCloseSettings, load_settings
from replyloop.sla import CaseClosing, Closed, load_policy

logger = Logger()
tracer = Tracer()
metrics = Metrics()


@cache
def closing() -> CaseClosing:
    """Composition root: the policy (and its calendars) and the adapters, once per container."""
    settings = load_settings(SlaCloseSettings)
    return CaseClosing(
        policy=load_policy(),
        store=DynamoCaseStore(settings.cases_table),
        publisher=EventBridgePublisher(settings.event_bus_name),
    )


def _count_timer_event(detail_type: str, detail: dict[str, Any]) -> dict[str, Any]:
    """The state machine cannot write EMF: its warnings and escalations are counted from the bus."""
    notice: SlaWarning | CaseEscalated
    if detail_type == "SlaWarning":
        notice = warning = SlaWarning.model_validate(detail)
        metrics.add_metric(name="CasesWarned", unit=MetricUnit.Count, value=1)
        counted: dict[str, Any] = {"counted": "warning", "case_key": warning.case_key}
    else:
        notice = escalation = CaseEscalated.model_validate(detail)
        metrics.add_metric(name="Escalations", unit=MetricUnit.Count, value=1)
        if escalation.level == 1:  # the first escalation is the breach: one per case
            metrics.add_metric(name="CasesEscalated", unit=MetricUnit.Count, value=1)
        # A separate EMF blob, so the alarmed CasesEscalated keeps the `service` dimension alone.
        with single_metric(name="EscalationsByTeam", unit=MetricUnit.Count, value=1, namespace=metrics.namespace) as m:
            m.add_dimension(name="team", value=escalation.team)
        counted = {"counted": "escalation", "case_key": escalation.case_key, "level": escalation.level}
    # Ids, team and tier only (the saved query "escalations" reads these lines).
    fields = notice.model_dump(mode="json", include={"platform", "comment_id", "case_key", "label", "team", "tier"})
    logger.info(f"Case {'warned' if detail_type == 'SlaWarning' else 'escalated'}", extra={**fields, **counted})
    return counted


def _record(result: Closed) -> None:
    event = result.event
    if isinstance(event, CaseAnswered):
        metrics.add_metric(name="CasesAnswered", unit=MetricUnit.Count, value=1)
        metrics.add_metric(name="FirstResponseSeconds", unit=MetricUnit.Seconds, value=event.first_response_seconds)
        metrics.add_metric(
            name="FirstResponseWorkingSeconds", unit=MetricUnit.Seconds, value=event.first_response_working_seconds
        )
        metrics.add_metric(name="AnsweredWithinSla", unit=MetricUnit.Count, value=int(event.within_sla))
        metrics.add_metric(name="ClosedWithoutEscalation", unit=MetricUnit.Count, value=int(not event.escalated))
    elif event is not None:
        metrics.add_metric(name="CasesWithdrawn", unit=MetricUnit.Count, value=1)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.EVENT_BRIDGE)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    envelope = EventBridgeModel.model_validate(event)
    detail_type, detail = envelope.detail_type, envelope.detail
    if detail_type in ("SlaWarning", "CaseEscalated"):
        return _count_timer_event(detail_type, detail)
    use_case = closing()
    if detail_type == "BrandReplied":
        result = use_case.reply(BrandReplied.model_validate(detail))
    elif detail_type == "ReactionPerformed":
        result = use_case.auto_reply(ReactionPerformed.model_validate(detail))
    elif detail_type == "CommentDeleted":
        result = use_case.withdraw(CommentDeleted.model_validate(detail))
    else:
        raise ValueError(f"sla_close does not handle {detail_type}")
    _record(result)
    ids = {"platform": detail.get("platform"), "comment_id": detail.get("comment_id"), "detail_type": detail_type}
    if result.event is None:
        logger.info("No case closed", extra={**ids, "reason": result.reason})
        return {"closed": False, "reason": result.reason}
    closed = result.event.model_dump(mode="json", include={"case_key", "within_sla", "escalated"})
    logger.info(f"Case {result.event.detail_type.removeprefix('Case').lower()}", extra={**ids, **closed})
    return {"closed": True, "event": result.event.detail_type, **closed}
