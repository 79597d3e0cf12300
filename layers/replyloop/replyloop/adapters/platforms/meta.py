"""Facebook Pages and Instagram through the Graph API: reply, hide, post to a thread or to the Page's feed.

- Facebook reply `POST /{comment-id}/comments` (message), hide `POST /{comment-id}` (is_hidden=true),
  thread post `POST /{post-id}/comments`, Page post `POST /{page-id}/feed`; parameters in a form body.
- Instagram reply `POST /{ig-comment-id}/replies?message=` (top-level comments only: a reply to a
  reply goes to its top-level parent), hide `POST /{ig-comment-id}?hide=true`, thread post
  `POST /{ig-media-id}/comments?message=`; parameters in the query, as documented.

The Page token travels in the Authorization header (never in a URL), with `appsecret_proof`
when the app secret is known.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from replyloop.adapters.platforms.http import HttpClient, Response, Verdict, retry_after_header
from replyloop.ingest.credentials import PlatformCredentials
from replyloop.reactions.actions import CommentRef, PlatformError

__all__ = ["MetaClient", "graph_verdict"]

# Graph API throttling codes (app, user, Page and Business Use Case limits); sent with HTTP 400/403.
THROTTLE_CODES = frozenset({4, 17, 32, 613, 80001, 80002, 80004, 80005, 80006, 80008, 80014})


def _regain_access_seconds(response: Response) -> float | None:
    """X-Business-Use-Case-Usage: the longest `estimated_time_to_regain_access` (minutes), in seconds."""
    raw = response.headers.get("x-business-use-case-usage")
    if not raw:
        return None
    try:
        usage = json.loads(raw)
        minutes = [
            float(entry.get("estimated_time_to_regain_access", 0))
            for entries in usage.values()
            for entry in entries
            if isinstance(entry, dict)
        ]
    except (ValueError, AttributeError, TypeError):
        return None
    return max(minutes, default=0.0) * 60 or None


def graph_verdict(response: Response) -> Verdict:
    body = response.json()
    error = body.get("error") if isinstance(body, dict) else None
    error = error if isinstance(error, dict) else {}
    if 200 <= response.status < 300 and not error:
        return Verdict(ok=True)
    code = error.get("code")
    throttled = response.status == 429 or code in THROTTLE_CODES
    retryable = throttled or response.status >= 500 or error.get("is_transient") is True
    retry_after = retry_after_header(response) or (_regain_access_seconds(response) if throttled else None)
    subcode = f"/{error['error_subcode']}" if error.get("error_subcode") else ""
    message = str(error.get("message", ""))[:160]
    detail = f"HTTP {response.status} (code {code}{subcode}): {message}" if code else f"HTTP {response.status}"
    return Verdict(False, retryable, retry_after, detail)


class MetaClient:
    """The PlatformClient port for `facebook` and `instagram`."""

    def __init__(self, http: HttpClient, credentials: Callable[[], PlatformCredentials]) -> None:
        self._http = http
        self._credentials = credentials

    def reply(self, comment: CommentRef, text: str) -> str:
        if comment.platform == "instagram":
            path = f"/{quote(comment.parent_id or comment.comment_id)}/replies"
        else:
            path = f"/{quote(comment.comment_id)}/comments"
        return self._id(self._post(comment, "reply", path, {"message": text}, idempotent=False))

    def hide(self, comment: CommentRef) -> None:
        field = {"hide": "true"} if comment.platform == "instagram" else {"is_hidden": "true"}
        self._post(comment, "hide", f"/{quote(comment.comment_id)}", field, idempotent=True)

    def post_to_thread(self, comment: CommentRef, text: str) -> str:
        path = f"/{quote(comment.thread_id)}/comments"
        return self._id(self._post(comment, "thread post", path, {"message": text}, idempotent=False))

    def post_to_page(self, page_id: str, text: str) -> str:
        """Publish on the Page's feed (`POST /{page-id}/feed`, the monthly post); return the post's id."""
        path = f"/{quote(page_id)}/feed"
        return self._id(self._send("facebook", page_id, "page post", path, {"message": text}, idempotent=False))

    def _post(self, comment: CommentRef, operation: str, path: str, params: dict[str, str], *, idempotent: bool) -> Any:
        # A Facebook post id is '<page id>_<post id>': the Page whose token answers. Instagram carries no
        # account id in the comment, so it uses the default token (the Page linked to the account).
        page = comment.thread_id.split("_", 1)[0] if comment.platform == "facebook" else None
        return self._send(comment.platform, page, operation, path, params, idempotent=idempotent)

    def _send(
        self, platform: str, page: str | None, operation: str, path: str, params: dict[str, str], *, idempotent: bool
    ) -> Any:
        credentials = self._credentials()
        token = credentials.meta_access_token(page)
        if not token:
            raise PlatformError(f"{platform} {operation}: no Page access token configured")
        app_secret = credentials.meta_app_secret.get_secret_value()
        if app_secret:
            proof = hmac.new(app_secret.encode(), token.encode(), hashlib.sha256).hexdigest()
            params = {**params, "appsecret_proof": proof}
        in_query = platform == "instagram"
        response = self._http.call(
            operation,
            "POST",
            path,
            query=params if in_query else None,
            form=None if in_query else params,
            headers={"Authorization": f"Bearer {token}"},
            idempotent=idempotent,
            secrets=(token, app_secret),
        )
        return response.json()

    def _id(self, body: Any) -> str:
        if not isinstance(body, dict) or not body.get("id"):
            raise PlatformError(f"{self._http.platform}: the Graph API answered without an id")
        return str(body["id"])
