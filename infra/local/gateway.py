"""An HTTP API on loopback: the template's HttpApi routes over real HTTP, answered by the function workers."""

from __future__ import annotations

import base64
import logging
import os
import re
import threading
import time
from collections.abc import Callable, Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from infra.local.http_event import (
    HttpRequest,
    HttpResponse,
    http_api_event,
    http_api_response,
    message_response,
)
from infra.local.runtime import Invocation
from infra.local.specs import Route

__all__ = ["MAX_BODY_BYTES", "Gateway", "Router"]

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 10 * 1024 * 1024  # HTTP API payload quota
_DRAIN_LIMIT = 8 * MAX_BODY_BYTES  # beyond this, just close the connection
Invoke = Callable[[str, dict[str, Any]], Invocation]


class Router:
    """Routes as HTTP APIs pick them: literal paths before templates, a method before ANY, $default last."""

    def __init__(self, routes: Iterable[Route]) -> None:
        self._routes = sorted(((self._pattern(r.path), r) for r in routes), key=lambda pr: self._rank(pr[1]))

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        for pattern, route in self._routes:
            if route.method not in (method, "ANY"):
                continue
            if route.path == "$default":
                return route, {}
            found = pattern.fullmatch(path)
            if found:
                return route, {k.removesuffix("_greedy"): v for k, v in found.groupdict().items()}
        return None

    @staticmethod
    def _pattern(path: str) -> re.Pattern[str]:
        if path == "$default":
            return re.compile(".*")
        parts = re.split(r"(\{[^}]+\})", path)
        regex = ""
        for part in parts:
            if part.startswith("{") and part.endswith("+}"):
                regex += f"(?P<{part[1:-2]}_greedy>.+)"
            elif part.startswith("{"):
                regex += f"(?P<{part[1:-1]}>[^/]+)"
            else:
                regex += re.escape(part)
        return re.compile(regex)

    @staticmethod
    def _rank(route: Route) -> tuple[bool, bool, int, bool]:
        literal = len(re.sub(r"\{[^}]+\}", "", route.path))
        return (route.path == "$default", "+}" in route.path, -literal, route.method == "ANY")


class Gateway:
    """One HTTP API (by its logical id) served on 127.0.0.1 at a free port."""

    def __init__(self, api: str, api_id: str, routes: Iterable[Route], invoke: Invoke, *, account_id: str):
        self.api, self.api_id, self.account_id = api, api_id, account_id
        self.router = Router(routes)
        self.invoke = invoke
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_class(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name=f"http-{api}", daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)

    def handle(self, request: HttpRequest) -> tuple[HttpResponse, str]:
        """The API Gateway part: route, build the event, invoke, map the result (or fail like it does)."""
        request_id = base64.b64encode(os.urandom(12)).decode("ascii")
        matched = self.router.match(request.method, request.raw_path)
        if matched is None:
            return message_response(404, "Not Found"), request_id
        route, params = matched
        route_key = "$default" if route.path == "$default" else route.route_key
        event = http_api_event(
            request,
            route_key=route_key,
            path_parameters=params,
            api_id=self.api_id,
            account_id=self.account_id,
            request_id=request_id,
        )
        invocation = self.invoke(route.function, event)
        if not invocation.ok:
            return message_response(500, "Internal Server Error"), request_id
        try:
            return http_api_response(invocation.result), request_id
        except (ValueError, TypeError) as error:
            log.warning("%s: malformed Lambda response: %s", route.function, error)
            return message_response(500, "Internal Server Error"), request_id


def _handler_class(gateway: Gateway) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "replyloop-local-apigw"

        def _serve(self) -> None:
            started = time.perf_counter()
            body = self._read_body()
            if body is None:
                response, request_id = message_response(413, "Request Entity Too Large"), ""
                self.close_connection = True
            else:
                path, _, query = self.path.partition("?")
                request = HttpRequest(
                    method=self.command,
                    raw_path=path,
                    raw_query=query,
                    headers=tuple(self.headers.items()),
                    body=body,
                    source_ip=self.client_address[0],
                    protocol=self.request_version,
                )
                response, request_id = gateway.handle(request)
            self.send_response(response.status)
            for name, value in response.headers:
                self.send_header(name, value)
            self.send_header("content-length", str(len(response.body)))
            if request_id:
                self.send_header("apigw-requestid", request_id)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(response.body)
            millis = (time.perf_counter() - started) * 1000
            log.info("%s %s %s %.0fms %s", self.command, self.path.split("?")[0], response.status, millis, request_id)

        def _read_body(self) -> bytes | None:
            """The raw body, or None when it exceeds the HTTP API quota."""
            if self.headers.get("transfer-encoding", "").lower() == "chunked":
                chunks, total = [], 0
                while size := int(self.rfile.readline().split(b";")[0].strip() or b"0", 16):
                    total += size
                    if total > MAX_BODY_BYTES:
                        return None
                    chunks.append(self.rfile.read(size))
                    self.rfile.readline()
                self.rfile.readline()
                return b"".join(chunks)
            length = int(self.headers.get("content-length") or 0)
            if length <= MAX_BODY_BYTES:
                return self.rfile.read(length)
            # Read (and drop) what the client is sending, so that it gets to see the 413.
            remaining = min(length, _DRAIN_LIMIT)
            while remaining > 0 and (chunk := self.rfile.read(min(remaining, 1 << 20))):
                remaining -= len(chunk)
            return None

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_HEAD = _serve

        def log_message(self, format: str, *args: Any) -> None:
            log.debug("%s " + format, self.address_string(), *args)

    return Handler
