"""API Gateway HTTP API payload format 2.0: requests to events, handler results to responses."""

from __future__ import annotations

import base64
import binascii
import json
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

__all__ = ["HttpRequest", "HttpResponse", "http_api_event", "http_api_response", "message_response"]


@dataclass(frozen=True)
class HttpRequest:
    method: str
    raw_path: str
    raw_query: str
    headers: tuple[tuple[str, str], ...]
    body: bytes
    source_ip: str
    protocol: str = "HTTP/1.1"


@dataclass(frozen=True)
class HttpResponse:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes


def http_api_event(
    request: HttpRequest,
    *,
    route_key: str,
    path_parameters: dict[str, str],
    api_id: str,
    account_id: str,
    request_id: str,
    stage: str = "$default",
) -> dict[str, Any]:
    """The event a Lambda integration receives: lower-case headers, repeated ones comma-joined."""
    headers: dict[str, str] = {}
    cookies: list[str] = []
    for name, value in request.headers:
        key = name.lower()
        if key == "cookie":  # HTTP APIs move cookies out of the headers
            cookies.extend(c.strip() for c in value.split(";") if c.strip())
            continue
        headers[key] = f"{headers[key]},{value}" if key in headers else value
    headers.setdefault("x-forwarded-for", request.source_ip)
    headers.setdefault("x-forwarded-proto", "http")
    query: dict[str, str] = {}
    for key, value in parse_qsl(request.raw_query, keep_blank_values=True):
        query[key] = f"{query[key]},{value}" if key in query else value
    domain = headers.get("host", "localhost").split(":")[0]
    now = time.time()
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": request.raw_path,
        "rawQueryString": request.raw_query,
        "headers": headers,
        "requestContext": {
            "accountId": account_id,
            "apiId": api_id,
            "domainName": domain,
            "domainPrefix": domain.split(".")[0],
            "http": {
                "method": request.method,
                "path": request.raw_path,
                "protocol": request.protocol,
                "sourceIp": request.source_ip,
                "userAgent": headers.get("user-agent", ""),
            },
            "requestId": request_id,
            "routeKey": route_key,
            "stage": stage,
            "time": datetime.fromtimestamp(now, UTC).strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "timeEpoch": int(now * 1000),
        },
        "isBase64Encoded": False,
    }
    if cookies:
        event["cookies"] = cookies
    if query:
        event["queryStringParameters"] = query
    if path_parameters:
        event["pathParameters"] = path_parameters
    if request.body:
        try:
            event["body"] = request.body.decode("utf-8")
        except UnicodeDecodeError:
            event["body"] = base64.b64encode(request.body).decode("ascii")
            event["isBase64Encoded"] = True
    return event


def message_response(status: int, message: str) -> HttpResponse:
    """API Gateway's own answers: `{"message": "Not Found"}` and the like."""
    body = json.dumps({"message": message}).encode("utf-8")
    return HttpResponse(status, (("content-type", "application/json"),), body)


def http_api_response(result: Any) -> HttpResponse:
    """Map a handler's result as HTTP APIs do; a result without statusCode is a 200 JSON body."""
    if not isinstance(result, dict) or "statusCode" not in result:
        return HttpResponse(200, (("content-type", "application/json"),), json.dumps(result).encode("utf-8"))
    status = int(result["statusCode"])
    if not 100 <= status <= 599:
        raise ValueError(f"invalid statusCode {status}")
    headers = [(str(k).lower(), str(v)) for k, v in (result.get("headers") or {}).items()]
    for name, values in (result.get("multiValueHeaders") or {}).items():
        headers.extend((str(name).lower(), str(v)) for v in values)
    headers.extend(("set-cookie", str(c)) for c in _as_list(result.get("cookies")))
    if not any(name == "content-type" for name, _ in headers):
        headers.append(("content-type", "application/json"))
    body = result.get("body")
    if body is None:
        data = b""
    elif result.get("isBase64Encoded"):
        try:
            data = base64.b64decode(body, validate=True)
        except binascii.Error as error:
            raise ValueError("isBase64Encoded body is not base64") from error
    else:
        data = (body if isinstance(body, str) else json.dumps(body)).encode("utf-8")
    return HttpResponse(status, tuple(headers), data)


def _as_list(value: Iterable[Any] | None) -> list[Any]:
    return list(value) if value else []
