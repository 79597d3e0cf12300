"""Telegram Bot API: reply with sendMessage (reply_parameters), "hide" with deleteMessage (under 48 h only).

The bot token is part of every URL (`/bot<token>/<method>`), so the HTTP core never
puts URLs into errors or logs, and masks the token in anything the API answers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from replyloop.adapters.platforms.http import HttpClient, Response, Verdict, retry_after_header
from replyloop.ingest.credentials import PlatformCredentials
from replyloop.reactions.actions import CommentRef, PlatformError

__all__ = ["TelegramClient", "telegram_verdict"]


def telegram_verdict(response: Response) -> Verdict:
    body = response.json()
    body = body if isinstance(body, dict) else {}
    if 200 <= response.status < 300 and body.get("ok") is True:
        return Verdict(ok=True)
    code = body.get("error_code", response.status)
    parameters = body.get("parameters") if isinstance(body.get("parameters"), dict) else {}
    retry_after = parameters.get("retry_after")
    wait = float(retry_after) if isinstance(retry_after, int | float) else retry_after_header(response)
    retryable = code == 429 or response.status == 429 or response.status >= 500
    detail = f"HTTP {response.status}: {str(body.get('description', ''))[:160]}".rstrip(": ")
    return Verdict(False, retryable, wait, detail)


def _chat_id(value: str) -> int | str:
    """Chat ids are numbers (negative for groups); a public chat may be given as '@name'."""
    try:
        return int(value)
    except ValueError:
        return value


def _split(message_ref: str) -> tuple[int | str, int | None]:
    """'<chat_id>:<message_id>' (or a bare chat id) as Telegram's two fields."""
    chat, _, message = message_ref.rpartition(":") if ":" in message_ref else (message_ref, "", "")
    return _chat_id(chat), int(message) if message else None


class TelegramClient:
    """The PlatformClient port for `telegram` (discussion groups of the brand's channels)."""

    def __init__(self, http: HttpClient, credentials: Callable[[], PlatformCredentials]) -> None:
        self._http = http
        self._credentials = credentials

    def reply(self, comment: CommentRef, text: str) -> str:
        chat, message = _split(comment.comment_id)
        return self._send(chat, message, text, "reply")

    def hide(self, comment: CommentRef) -> None:
        chat, message = _split(comment.comment_id)
        # Telegram has no hide: the bot (an admin with can_delete_messages) deletes the message.
        self._call("deleteMessage", {"chat_id": chat, "message_id": message}, "hide", idempotent=True)

    def post_to_thread(self, comment: CommentRef, text: str) -> str:
        chat, root = _split(comment.thread_id)
        return self._send(chat, root, text, "thread post")

    def post_to_channel(self, channel: str, text: str) -> str:
        """A message in the brand's channel (chat id or '@name'; the bot posts as the channel's admin)."""
        return self._send(_chat_id(channel), None, text, "channel post")

    def _send(self, chat: int | str, reply_to: int | None, text: str, operation: str) -> str:
        payload: dict[str, Any] = {"chat_id": chat, "text": text}
        if reply_to is not None:
            payload["reply_parameters"] = {"message_id": reply_to}
        result = self._call("sendMessage", payload, operation, idempotent=False)
        if not isinstance(result, dict) or "message_id" not in result:
            raise PlatformError(f"telegram {operation}: sendMessage answered without a message_id")
        return f"{chat}:{result['message_id']}"

    def _call(self, method: str, payload: dict[str, Any], operation: str, *, idempotent: bool) -> Any:
        token = self._credentials().telegram_bot_token.get_secret_value()
        if not token:
            raise PlatformError(f"telegram {operation}: no bot token configured")
        response = self._http.call(
            f"{operation} ({method})",
            "POST",
            f"/bot{token}/{method}",
            json_body=payload,
            idempotent=idempotent,
            secrets=(token,),
        )
        return response.json().get("result")
