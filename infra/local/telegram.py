"""Telegram updates for the demo acts, as the Bot API delivers them, and sending one as a signed webhook."""

from __future__ import annotations

import json
import time
from typing import Any

from infra.local.report import Row
from infra.local.samples import send
from infra.local.signing import signed_headers
from infra.local.stack import LocalStack

__all__ = ["CHAT", "post_telegram", "telegram_brand_reply", "telegram_comment"]

CHAT = {
    "id": -1002001,
    "title": "Example Brand \u2013 komentarze",
    "username": "examplebrand_chat",
    "type": "supergroup",
}
BRAND_BOT = {"id": 7000000001, "is_bot": True, "first_name": "Example Brand", "username": "examplebrand_bot"}


def _user(n: int) -> dict[str, Any]:
    return {"id": 5550100 + n, "is_bot": False, "first_name": f"Demo{n}", "language_code": "pl"}


def telegram_comment(message_id: int, text: str, n: int = 0) -> bytes:
    """A member's message in the brand's discussion chat, as the Bot API delivers it."""
    message = {"message_id": message_id, "from": _user(n), "chat": CHAT, "date": int(time.time()), "text": text}
    return json.dumps({"update_id": message_id * 10, "message": message}).encode()


def telegram_brand_reply(message_id: int, answered: int, text: str) -> bytes:
    """The brand's bot replying to message `answered` (ingest turns it into BrandReplied)."""
    replied = {"message_id": answered, "from": _user(0), "chat": CHAT, "date": int(time.time()), "text": "..."}
    message = {
        "message_id": message_id,
        "from": BRAND_BOT,
        "chat": CHAT,
        "date": int(time.time()),
        "reply_to_message": replied,
        "text": text,
    }
    return json.dumps({"update_id": message_id * 10, "message": message}).encode()


def post_telegram(stack: LocalStack, secrets: dict[str, Any], case: str, body: bytes, *, act: str = "") -> Row:
    """One signed Telegram webhook, as a row of the demo's table with what it put on the bus (`act` prefixes
    its problems)."""
    before = len(stack.flush_tap())
    headers = signed_headers("telegram", body, secrets, now=int(time.time()))
    result = send(stack.api_url, "POST", "/webhooks/telegram", body=body, headers=headers)
    own = [e for e in stack.flush_tap()[before:] if e["source"] == "replyloop.ingest"]
    row = Row("telegram", case, "signed POST", result.status, own)
    if result.status != 200 or len(own) != 1:
        row.problems.append(f"{act}expected 200 and one event on the bus, got {result.status} and {len(own)}")
    return row
