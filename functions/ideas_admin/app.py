"""Ideas admin API: the product team lists, reads, changes and merges ideas (IAM-authorised routes of the HTTP API)."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ConfigDict, ValidationError

from replyloop.adapters.ideas_wiring import aws_backlog
from replyloop.ideas import Backlog, IdeaPatch, IdeasError, InvalidInput, ListQuery, parse_number
from replyloop.ideas.views import details_view, idea_view, merge_view, page_view
from replyloop.settings import IdeasSettings, load_settings

logger = Logger()
tracer = Tracer()
metrics = Metrics()
app = APIGatewayHttpResolver()

LOCAL_CALLER = "unauthenticated (no IAM identity: local gateway)"


class MergeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    into: int | str


@cache
def backlog() -> Backlog:
    """Composition root: the same use cases the CLI calls."""
    return aws_backlog(load_settings(IdeasSettings))


def _who() -> str:
    """The caller's IAM identity as API Gateway verified it (SigV4); the local gateway verifies nothing."""
    context = app.current_event.raw_event.get("requestContext") or {}
    iam = (context.get("authorizer") or {}).get("iam") or {}
    return str(iam.get("userArn") or iam.get("callerId") or LOCAL_CALLER)


def _body() -> Any:
    try:
        return json.loads(app.current_event.decoded_body or "null")
    except ValueError:
        raise InvalidInput("the body is not JSON") from None


@app.get("/admin/ideas")
def list_ideas() -> dict[str, Any]:
    query = ListQuery.model_validate(app.current_event.query_string_parameters or {})
    return page_view(backlog().list(query))


@app.get("/admin/ideas/<number>")
def show_idea(number: str) -> dict[str, Any]:
    return details_view(backlog().show(parse_number(number)))


@app.patch("/admin/ideas/<number>")
def change_idea(number: str) -> dict[str, Any]:
    who = _who()
    idea = backlog().update(parse_number(number), IdeaPatch.model_validate(_body()), who)
    logger.info("Idea changed", extra={"number": idea.number, "status": idea.status, "who": who})
    return idea_view(idea)


@app.post("/admin/ideas/<number>/merge")
def merge_idea(number: str) -> dict[str, Any]:
    who = _who()
    request = MergeRequest.model_validate(_body())
    outcome = backlog().merge(parse_number(number), parse_number(request.into), who)
    logger.info("Ideas merged", extra={"number": outcome.source.number, "into": outcome.target.number, "who": who})
    return merge_view(outcome)


def _refuse(status: int, message: str) -> Response:
    metrics.add_metric(name="AdminRequestsRefused", unit=MetricUnit.Count, value=1)
    logger.info("Admin request refused", extra={"status": status, "reason": message})
    return Response(
        status_code=status,
        content_type=content_types.APPLICATION_JSON,
        body=json.dumps({"statusCode": status, "message": message}),
    )


@app.exception_handler(IdeasError)
def refuse(error: IdeasError) -> Response:
    return _refuse(error.status, str(error))


@app.exception_handler(ValidationError)
def invalid(error: ValidationError) -> Response:
    problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'body'}: {e['msg']}" for e in error.errors()[:5])
    return _refuse(400, problems)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    metrics.add_metric(name="AdminRequests", unit=MetricUnit.Count, value=1)
    return app.resolve(event, context)
