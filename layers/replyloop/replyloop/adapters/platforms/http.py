"""The HTTP core of the platform clients: timeouts, backoff retries on 429 and 5xx, errors that hold no secrets.

Only the standard library: nothing is added to the layer. Error messages name the
platform and the operation, never the URL (Telegram puts the bot token in it),
and every configured secret is masked in whatever the platform answers.
"""

from __future__ import annotations

import json
import logging
import random
import re
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlencode

from replyloop.reactions.actions import PlatformError

__all__ = ["HttpClient", "Response", "RetryPolicy", "Verdict", "retry_after_header", "standard_verdict"]

log = logging.getLogger(__name__)

USER_AGENT = "replyloop/1.0"
MAX_DETAIL_CHARS = 200
# Anything shaped like a Telegram bot token, in case a platform echoes one we were not told about.
_BOT_TOKEN = re.compile(r"\b\d{5,}:[A-Za-z0-9_-]{20,}\b")


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """A wait the platform asks for beyond `max_retry_after_seconds` fails at once (retryable, to the DLQ)."""

    attempts: int = 3
    backoff_seconds: float = 0.5
    max_backoff_seconds: float = 4.0
    max_retry_after_seconds: float = 5.0
    timeout_seconds: float = 4.0


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    headers: Mapping[str, str]  # lower-case names
    body: bytes

    def json(self) -> Any:
        try:
            return json.loads(self.body or b"null")
        except ValueError:
            return None


@dataclass(frozen=True, slots=True)
class Verdict:
    """A platform's reading of a response: success, worth retrying (and after how long), and what went wrong."""

    ok: bool
    retryable: bool = False
    retry_after: float | None = None
    detail: str = ""


def retry_after_header(response: Response) -> float | None:
    """Retry-After in seconds (a number or an HTTP date), or None."""
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        try:
            return max(parsedate_to_datetime(value).timestamp() - time.time(), 0.0)
        except (TypeError, ValueError):
            return None


def standard_verdict(response: Response) -> Verdict:
    ok = 200 <= response.status < 300
    retryable = response.status == 429 or response.status >= 500
    return Verdict(ok, retryable, retry_after_header(response), f"HTTP {response.status}")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A platform API never redirects; following one could carry the Authorization header elsewhere."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class _NotSent(Exception):
    """The request never reached the platform (DNS, refused connection, connect timeout): safe to retry."""


class _NoAnswer(Exception):
    """The request was sent but no answer came: the platform may have acted."""


class HttpClient:
    """JSON over HTTPS to one platform; `classify` reads the platform's own error format."""

    def __init__(
        self,
        base_url: str,
        *,
        platform: str,
        retry: RetryPolicy | None = None,
        classify: Callable[[Response], Verdict] = standard_verdict,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not base_url.startswith(("https://", "http://")):
            raise ValueError(f"{platform}: the API base URL must be http(s)")
        self._base = base_url.rstrip("/")
        self.platform = platform
        self.retry = retry or RetryPolicy()
        self._classify = classify
        self._sleep = sleep
        self._opener = urllib.request.build_opener(_NoRedirects())

    def call(
        self,
        operation: str,
        method: str,
        path: str,
        *,
        query: Mapping[str, str] | None = None,
        form: Mapping[str, str] | None = None,
        json_body: Any = None,
        headers: Mapping[str, str] | None = None,
        idempotent: bool,
        secrets: Iterable[str] = (),
    ) -> Response:
        """The successful response, or PlatformError after the retries (never a urllib error: those hold the URL)."""
        masked = [secret for secret in secrets if secret]
        request = self._request(method, path, query=query, form=form, json_body=json_body, headers=headers)
        policy = self.retry
        for attempt in range(1, policy.attempts + 1):
            last = attempt == policy.attempts
            try:
                response = self._send(request)
            except _NotSent as error:
                if last:
                    raise self._error(operation, f"not reachable ({error})", None, True, masked) from None
                self._wait(operation, attempt, None, f"not reachable ({error})")
                continue
            except _NoAnswer as error:
                if last or not idempotent:
                    detail = f"no answer ({error}); it may have acted: check before redoing it"
                    raise self._error(operation, detail, None, idempotent, masked) from None
                self._wait(operation, attempt, None, f"no answer ({error})")
                continue
            verdict = self._classify(response)
            if verdict.ok:
                return response
            if not verdict.retryable:
                raise self._error(operation, verdict.detail, response.status, False, masked)
            if verdict.retry_after is not None and verdict.retry_after > policy.max_retry_after_seconds:
                detail = f"{verdict.detail}; asked to wait {verdict.retry_after:.0f} s"
                raise self._error(operation, detail, response.status, True, masked)
            if last:
                detail = f"{verdict.detail} after {policy.attempts} attempts"
                raise self._error(operation, detail, response.status, True, masked)
            self._wait(operation, attempt, verdict.retry_after, f"HTTP {response.status}")
        raise AssertionError("unreachable")  # pragma: no cover

    def _request(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, str] | None,
        form: Mapping[str, str] | None,
        json_body: Any,
        headers: Mapping[str, str] | None,
    ) -> urllib.request.Request:
        all_headers = {"Accept": "application/json", "User-Agent": USER_AGENT, **(headers or {})}
        data: bytes | None = None
        if json_body is not None:
            data = json.dumps(json_body, ensure_ascii=False).encode("utf-8")
            all_headers["Content-Type"] = "application/json; charset=utf-8"
        elif form is not None:
            data = urlencode(form).encode("ascii")
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        url = self._base + path + (f"?{urlencode(query)}" if query else "")
        return urllib.request.Request(url, data=data, headers=all_headers, method=method)  # noqa: S310 - http(s) only

    def _send(self, request: urllib.request.Request) -> Response:
        timeout = self.retry.timeout_seconds
        try:
            with self._opener.open(request, timeout=timeout) as answer:
                return Response(answer.status, _lower(answer.headers.items()), answer.read())
        except urllib.error.HTTPError as error:
            with error:
                try:
                    body = error.read()
                except OSError:
                    body = b""
                return Response(error.code, _lower(error.headers.items()), body)
        except urllib.error.URLError as error:
            raise _NotSent(type(error.reason).__name__) from None
        except OSError as error:  # includes TimeoutError and a dropped connection while reading the answer
            raise _NoAnswer(type(error).__name__) from None

    def _wait(self, operation: str, attempt: int, retry_after: float | None, why: str) -> None:
        policy = self.retry
        if retry_after is None:
            backoff = min(policy.backoff_seconds * 2 ** (attempt - 1), policy.max_backoff_seconds)
            delay = backoff * random.uniform(0.5, 1.0)  # noqa: S311 - jitter, not cryptography
        else:
            delay = retry_after
        log.warning(
            "Platform call retried",
            extra={"platform": self.platform, "operation": operation, "attempt": attempt, "why": why, "delay": delay},
        )
        self._sleep(delay)

    def _error(
        self, operation: str, detail: str, status: int | None, retryable: bool, secrets: list[str]
    ) -> PlatformError:
        for secret in secrets:
            detail = detail.replace(secret, "***")
        detail = _BOT_TOKEN.sub("***", detail)[:MAX_DETAIL_CHARS]
        return PlatformError(f"{self.platform} {operation}: {detail}", status=status, retryable=retryable)


def _lower(items: Iterable[tuple[str, str]]) -> dict[str, str]:
    return {name.lower(): value for name, value in items}
