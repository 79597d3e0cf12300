"""Turn an authenticated delivery of any platform into bus events."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from replyloop.ingest.credentials import BrandAccounts
from replyloop.ingest.errors import MalformedDelivery
from replyloop.ingest.generic import normalise_generic
from replyloop.ingest.meta import normalise_meta
from replyloop.ingest.normalised import Normalised
from replyloop.ingest.telegram import normalise_telegram
from replyloop.ingest.x import normalise_x

__all__ = ["PLATFORMS", "normalise"]

_Normaliser = Callable[[dict[str, Any], BrandAccounts, datetime], Normalised]

_NORMALISERS: dict[str, _Normaliser] = {
    "facebook": normalise_meta,
    "instagram": normalise_meta,
    "x": normalise_x,
    "telegram": normalise_telegram,
    "generic": normalise_generic,
}
PLATFORMS = frozenset(_NORMALISERS)


def _describe(error: ValidationError) -> str:
    """Where the body differs from the documented shape, without echoing its values (comment text)."""
    parts = [
        f"{'.'.join(str(p) for p in issue['loc']) or 'body'}: {issue['msg']}"
        for issue in error.errors(include_input=False, include_url=False)[:3]
    ]
    return "; ".join(parts)


def normalise(platform: str, body: bytes, brand: BrandAccounts, received_at: datetime) -> Normalised:
    """Parse and normalise; MalformedDelivery for anything but the platform's documented shape."""
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError) as error:  # UnicodeDecodeError is a ValueError
        raise MalformedDelivery("body is not valid JSON") from error
    if not isinstance(payload, dict):
        raise MalformedDelivery("body must be a JSON object")
    try:
        return _NORMALISERS[platform](payload, brand, received_at)
    except ValidationError as error:
        raise MalformedDelivery(_describe(error)) from error
    except (ValueError, TypeError, RecursionError) as error:
        raise MalformedDelivery(str(error) if isinstance(error, ValueError) else "unexpected body shape") from error
