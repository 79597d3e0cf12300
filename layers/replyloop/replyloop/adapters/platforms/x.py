"""X API v2 with an OAuth 2.0 user token: reply `POST /2/tweets`, hide `PUT /2/tweets/{id}/hidden`.

X refuses some replies by policy (since 2026-02 self-serve apps may answer only posts that
mention the brand) and hides replies only in conversations the brand started: those are
4xx answers, recorded as failures without retries.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from replyloop.adapters.platforms.http import HttpClient, Response, Verdict, retry_after_header
from replyloop.ingest.credentials import PlatformCredentials
from replyloop.reactions.actions import CommentRef, PlatformError

__all__ = ["XClient", "x_verdict"]


def _reset_wait(response: Response) -> float | None:
    """`x-rate-limit-reset` is the epoch second when the window reopens."""
    reset = response.headers.get("x-rate-limit-reset")
    try:
        return max(float(reset) - time.time(), 0.0) if reset else None
    except ValueError:
        return None


def x_verdict(response: Response) -> Verdict:
    if 200 <= response.status < 300:
        return Verdict(ok=True)
    body = response.json()
    body = body if isinstance(body, dict) else {}
    problem = ": ".join(str(body[key]) for key in ("title", "detail") if body.get(key))
    retryable = response.status == 429 or response.status >= 500
    wait = retry_after_header(response) if retryable else None
    if wait is None and response.status == 429:
        wait = _reset_wait(response)
    return Verdict(False, retryable, wait, f"HTTP {response.status}: {problem[:160]}".rstrip(": "))


class XClient:
    """The PlatformClient port for `x`."""

    def __init__(self, http: HttpClient, credentials: Callable[[], PlatformCredentials]) -> None:
        self._http = http
        self._credentials = credentials

    def reply(self, comment: CommentRef, text: str) -> str:
        return self._post_reply(comment.comment_id, text, "reply")

    def hide(self, comment: CommentRef) -> None:
        body = self._call("hide", "PUT", f"/2/tweets/{quote(comment.comment_id)}/hidden", {"hidden": True}, True)
        if not (isinstance(body.get("data"), dict) and body["data"].get("hidden") is True):
            raise PlatformError("x hide: the API did not confirm the reply is hidden")

    def post_to_thread(self, comment: CommentRef, text: str) -> str:
        return self._post_reply(comment.thread_id, text, "thread post")

    def post(self, text: str) -> str:
        """A post of the brand's own (not a reply), e.g. the monthly summary's teaser."""
        return self._create({"text": text}, "post")

    def _post_reply(self, tweet_id: str, text: str, operation: str) -> str:
        return self._create({"text": text, "reply": {"in_reply_to_tweet_id": tweet_id}}, operation)

    def _create(self, payload: dict[str, Any], operation: str) -> str:
        body = self._call(operation, "POST", "/2/tweets", payload, False)
        data = body.get("data")
        if not isinstance(data, dict) or not data.get("id"):
            raise PlatformError(f"x {operation}: the API answered without a post id")
        return str(data["id"])

    def _call(self, operation: str, method: str, path: str, payload: dict[str, Any], idempotent: bool) -> Any:
        token = self._credentials().x_user_access_token.get_secret_value()
        if not token:
            raise PlatformError(f"x {operation}: no user access token configured")
        response = self._http.call(
            operation,
            method,
            path,
            json_body=payload,
            headers={"Authorization": f"Bearer {token}"},
            idempotent=idempotent,
            secrets=(token,),
        )
        body = response.json()
        return body if isinstance(body, dict) else {}
