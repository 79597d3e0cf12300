"""The webhook samples under events/webhooks, found on disk, and a plain HTTP client to send them."""

from __future__ import annotations

import http.client
import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

__all__ = ["BODY_SUFFIX", "HttpResult", "Sample", "discover", "load_secrets", "send"]

BODY_SUFFIX = ".body.json"


@dataclass(frozen=True)
class Sample:
    """One delivery: a POST with the exact bytes of `<case>.body.json`, or a GET handshake."""

    platform: str
    case: str
    method: str
    path: Path
    body: bytes = b""
    query: str = ""

    @property
    def url_path(self) -> str:
        return f"/webhooks/{self.platform}"


@dataclass(frozen=True)
class HttpResult:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> object:
        return json.loads(self.body)


def discover(webhooks_dir: Path) -> list[Sample]:
    """Every `<platform>/<case>.body.json` (POST) and every GET event `<platform>/<case>.json`.

    The platform is the folder name; nothing is listed by hand, so new samples are replayed as
    soon as they are added.
    """
    samples: list[Sample] = []
    for path in sorted(webhooks_dir.rglob("*.json")):
        platform = path.parent.name
        if path.name.endswith(BODY_SUFFIX):
            case = path.name.removesuffix(BODY_SUFFIX)
            samples.append(Sample(platform, case, "POST", path, body=path.read_bytes()))
            continue
        try:
            event = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            continue
        method = (event.get("requestContext") or {}).get("http", {}).get("method") if isinstance(event, dict) else None
        if method == "GET":
            samples.append(Sample(platform, path.stem, "GET", path, query=event.get("rawQueryString", "")))
    return samples


def load_secrets(path: Path) -> dict[str, object]:
    return dict(json.loads(path.read_text(encoding="utf-8")))


def send(
    base_url: str,
    method: str,
    path: str,
    *,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
    query: str = "",
    timeout: float = 30.0,
) -> HttpResult:
    """Exactly these bytes and headers over real HTTP (urllib would add its own defaults)."""
    url = urlsplit(base_url)
    connection = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port, timeout=timeout)
    try:
        target = f"{url.path.rstrip('/')}{path}" + (f"?{query}" if query else "")
        sent_headers = dict(headers or {})
        if body or method in ("POST", "PUT", "PATCH"):
            sent_headers.setdefault("Content-Length", str(len(body)))
        connection.request(method, target, body=body or None, headers=sent_headers)
        response = connection.getresponse()
        return HttpResult(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
    finally:
        connection.close()
