"""A fake Graph API, Telegram Bot API and X API v2 on 127.0.0.1 that records every request and can be told to fail.

One server, three prefixes: `graph_url` (`/graph`), `telegram_url` (`/telegram`) and
`x_url` (`/x`) stand in for the platforms' base URLs. `fail(family, status, times=...)`
queues answers such as a 429 with Retry-After or a 500 before the normal ones resume.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Literal
from urllib.parse import parse_qsl, urlsplit

__all__ = ["FakePlatforms", "Fault", "Recorded"]

Family = Literal["graph", "telegram", "x"]


@dataclass(frozen=True)
class Recorded:
    """One request as the platform saw it; `path` is relative to the family's base URL."""

    family: str
    method: str
    path: str
    query: dict[str, str]
    body: Any
    headers: dict[str, str]


@dataclass
class Fault:
    status: int
    retry_after: float | None = None
    code: int | None = None
    stall_seconds: float = 0.0


@dataclass
class _State:
    requests: list[Recorded] = field(default_factory=list)
    faults: dict[str, deque[Fault]] = field(default_factory=lambda: defaultdict(deque))
    ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    lock: threading.Lock = field(default_factory=threading.Lock)


def _error_body(family: str, fault: Fault) -> dict[str, Any]:
    if family == "telegram":
        body: dict[str, Any] = {"ok": False, "error_code": fault.status, "description": "Too Many Requests"}
        if fault.retry_after is not None:
            body["parameters"] = {"retry_after": int(fault.retry_after)}
        if fault.status != 429:
            body["description"] = "Internal Server Error" if fault.status >= 500 else "Bad Request: message not found"
        return body
    if family == "graph":
        error = {"message": "(#1) An unknown error occurred", "type": "OAuthException", "code": fault.code or 1}
        return {"error": error}
    return {"title": "Too Many Requests" if fault.status == 429 else "Error", "detail": "fake", "status": fault.status}


def _success(family: str, method: str, path: str, body: Any, number: int) -> tuple[int, dict[str, Any]]:
    if family == "graph":
        if path.endswith(("/comments", "/replies", "/feed")):
            return 200, {"id": f"{path.strip('/').split('/')[0]}_{900 + number}"}
        return 200, {"success": True}
    if family == "telegram":
        if path.endswith("/sendMessage"):
            return 200, {"ok": True, "result": {"message_id": 9000 + number, "chat": {"id": body.get("chat_id")}}}
        return 200, {"ok": True, "result": True}
    if method == "PUT" and path.endswith("/hidden"):
        return 200, {"data": {"hidden": True}}
    return 201, {"data": {"id": str(1990000000000000000 + number), "text": (body or {}).get("text", "")}}


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the tests read `requests`, not the console."""

    def _handle(self) -> None:
        parts = urlsplit(self.path)
        family, _, rest = parts.path.lstrip("/").partition("/")
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        content_type = self.headers.get("Content-Type", "")
        if "json" in content_type:
            body: Any = json.loads(raw or b"null")
        elif "form" in content_type:
            body = dict(parse_qsl(raw.decode("ascii")))
        else:
            body = raw.decode("utf-8") or None
        state = self.server.state
        with state.lock:
            state.requests.append(
                Recorded(family, self.command, f"/{rest}", dict(parse_qsl(parts.query)), body, dict(self.headers))
            )
            fault = state.faults[family].popleft() if state.faults[family] else None
            number = next(state.ids)
        if fault is not None:
            time.sleep(fault.stall_seconds)
            headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
            self._answer(fault.status, _error_body(family, fault), headers)
        else:
            status, answer = _success(family, self.command, f"/{rest}", body, number)
            self._answer(status, answer, {})

    def _answer(self, status: int, body: dict[str, Any], headers: dict[str, str]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        # The client may have given up waiting (a timeout test).
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = _handle


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    state: _State


class FakePlatforms:
    """Use as a context manager; the server listens on a free port of 127.0.0.1 until exit."""

    def __init__(self) -> None:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.state = _State()
        # A short poll interval: shutdown() waits for it at the end of every test.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, name="fake-platforms", daemon=True
        )

    def __enter__(self) -> FakePlatforms:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def graph_url(self) -> str:
        return f"{self.url}/graph"

    @property
    def telegram_url(self) -> str:
        return f"{self.url}/telegram"

    @property
    def x_url(self) -> str:
        return f"{self.url}/x"

    @property
    def requests(self) -> list[Recorded]:
        with self._server.state.lock:
            return list(self._server.state.requests)

    def fail(
        self, family: Family, status: int, *, times: int = 1, retry_after: float | None = None, **extra: Any
    ) -> None:
        """The next `times` requests to `family` get this error (then normal answers resume)."""
        with self._server.state.lock:
            self._server.state.faults[family].extend(Fault(status, retry_after, **extra) for _ in range(times))
