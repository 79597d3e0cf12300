"""Opaque page cursors for the ideas lists: DynamoDB's LastEvaluatedKey, bound to the query it came from."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from replyloop.ideas.errors import InvalidInput

__all__ = ["decode_cursor", "encode_cursor"]

# The key attributes a page of any ideas index can stop at; nothing else may come back in.
_KEY_ATTRIBUTES = {"pk": "S", "sk": "S", "gsi_status": "S", "gsi_all": "S", "votes": "N", "priority_sort": "N"}


def encode_cursor(last_key: dict[str, Any], fingerprint: str) -> str:
    raw = json.dumps({"q": fingerprint, "k": last_key}, separators=(",", ":"), sort_keys=True)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, fingerprint: str) -> dict[str, Any]:
    """The start key; InvalidInput if the cursor is not one we gave out, or was given for another list."""
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InvalidInput("invalid cursor: pass back the `cursor` of the previous page unchanged") from None
    if not isinstance(data, dict) or data.get("q") != fingerprint:
        raise InvalidInput("this cursor belongs to another list (status or sort changed): start without it")
    key = data.get("k")
    valid = (
        isinstance(key, dict)
        and key
        and all(
            name in _KEY_ATTRIBUTES
            and isinstance(value, dict)
            and set(value) == {_KEY_ATTRIBUTES[name]}
            and isinstance(value[_KEY_ATTRIBUTES[name]], str)
            for name, value in key.items()
        )
    )
    if not valid:
        raise InvalidInput("invalid cursor: pass back the `cursor` of the previous page unchanged")
    return key
