"""Ingest: verifies each platform's webhook, normalises its changes and puts them on the bus once."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit, single_metric
from aws_lambda_powertools.utilities.typing import LambdaContext

from replyloop.adapters.event_bus import EventBridgePublisher
from replyloop.adapters.ledger import IdempotencyLedger
from replyloop.adapters.secrets import PlatformSecretStore
from replyloop.ingest import errors
from replyloop.ingest.intake import Intake
from replyloop.settings import IngestSettings, load_settings

logger = Logger()
tracer = Tracer()
metrics = Metrics()
app = APIGatewayHttpResolver()

# Each refusal, its HTTP status and the metric that counts it.
_REFUSALS: dict[type[errors.IntakeError], tuple[int, str]] = {
    errors.UnknownPlatform: (404, "UnknownPlatforms"),
    errors.HandshakeRefused: (403, "HandshakesRefused"),
    errors.Unauthenticated: (401, "SignatureFailures"),
    errors.MalformedDelivery: (400, "MalformedDeliveries"),
    errors.PayloadTooLarge: (413, "OversizedDeliveries"),
    errors.PublishFailed: (503, "PublishFailures"),
}


@cache
def ledger() -> IdempotencyLedger:
    return IdempotencyLedger(load_settings(IngestSettings).idempotency_table)


@cache
def intake() -> Intake:
    """Composition root: settings and adapters wired once per container."""
    settings = load_settings(IngestSettings)
    return Intake(
        credentials=PlatformSecretStore(settings.platform_secrets_arn).load,
        ledger=ledger(),
        publisher=EventBridgePublisher(settings.event_bus_name),
        clock=lambda: datetime.now(UTC),
    )


def _count_webhook(platform: str, status: int) -> None:
    # A separate EMF blob, so that the alarmed metrics keep the `service` dimension alone.
    with single_metric(name="Webhooks", unit=MetricUnit.Count, value=1, namespace=metrics.namespace) as metric:
        metric.add_dimension(name="platform", value=platform)
        metric.add_dimension(name="status", value=str(status))


@app.get("/webhooks/<platform>")
def handshake(platform: str) -> Response:
    answer = intake().handshake(platform, app.current_event.query_string_parameters or {})
    metrics.add_metric(name="Handshakes", unit=MetricUnit.Count, value=1)
    logger.info("Handshake answered", extra={"platform": platform})
    return Response(status_code=200, content_type=answer.content_type, body=answer.body)


@app.post("/webhooks/<platform>")
def deliver(platform: str) -> dict[str, int]:
    event = app.current_event
    body = base64.b64decode(event.body or "") if event.is_base64_encoded else (event.body or "").encode()
    result = intake().deliver(platform, event.headers, body)
    _count_webhook(platform, 200)
    metrics.add_metric(name="EventsPublished", unit=MetricUnit.Count, value=len(result.published))
    metrics.add_metric(name="DuplicatesIgnored", unit=MetricUnit.Count, value=result.duplicates)
    metrics.add_metric(name="UnhandledChanges", unit=MetricUnit.Count, value=len(result.ignored))
    # Ids and kinds only: comment text and author names never reach the logs.
    logger.info(
        "Webhook accepted",
        extra={
            "platform": platform,
            "published": [f"{e.detail_type}:{e.dedup_key}" for e in result.published],
            "duplicates": result.duplicates,
            "unhandled": result.ignored,
        },
    )
    return {
        "published": len(result.published),
        "duplicates": result.duplicates,
        "unhandled": len(result.ignored),
    }


@app.exception_handler(errors.IntakeError)
def refuse(error: errors.IntakeError) -> Response:
    status, metric = _REFUSALS[type(error)]
    platform = (app.current_event.path_parameters or {}).get("platform", "")
    metrics.add_metric(name=metric, unit=MetricUnit.Count, value=1)
    if status != 404:
        _count_webhook(platform, status)
    log = logger.error if status >= 500 else logger.warning
    log("Webhook refused", extra={"platform": platform, "status": status, "reason": str(error)})
    return Response(
        status_code=status,
        content_type=content_types.APPLICATION_JSON,
        body=json.dumps({"statusCode": status, "message": str(error)}),
    )


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    ledger().register_lambda_context(context)
    return app.resolve(event, context)
