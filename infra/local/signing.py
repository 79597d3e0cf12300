"""Headers a platform sends with a webhook delivery, signed the way each platform signs."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from replyloop.ingest.signatures import generic_signature, meta_signature, x_signature

__all__ = ["PLATFORMS", "signed_headers"]

_Signer = Callable[[bytes, Mapping[str, Any], int], dict[str, str]]


def _meta(body: bytes, secrets: Mapping[str, Any], now: int) -> dict[str, str]:
    return {"X-Hub-Signature-256": meta_signature(secrets["meta_app_secret"], body)}


def _x(body: bytes, secrets: Mapping[str, Any], now: int) -> dict[str, str]:
    return {"x-twitter-webhooks-signature": x_signature(secrets["x_consumer_secret"], body)}


def _telegram(body: bytes, secrets: Mapping[str, Any], now: int) -> dict[str, str]:
    # Telegram signs nothing: it echoes the static secret_token given to setWebhook.
    return {"X-Telegram-Bot-Api-Secret-Token": secrets["telegram_secret_token"]}


def _generic(body: bytes, secrets: Mapping[str, Any], now: int) -> dict[str, str]:
    timestamp = str(now)
    return {
        "X-Replyloop-Timestamp": timestamp,
        "X-Replyloop-Signature": generic_signature(secrets["generic_hmac_secret"], timestamp, body),
    }


_SIGNERS: dict[str, _Signer] = {
    "facebook": _meta,
    "instagram": _meta,
    "x": _x,
    "telegram": _telegram,
    "generic": _generic,
}

PLATFORMS: tuple[str, ...] = tuple(_SIGNERS)


def signed_headers(platform: str, body: bytes, secrets: Mapping[str, Any], *, now: int) -> dict[str, str]:
    """Headers for POSTing `body` as `platform` would, keyed with the secrets of the platform secret.

    `now` (Unix seconds) is only signed by the generic platform; pass it always so callers
    stay platform-agnostic and tests can produce stale timestamps on purpose.
    """
    try:
        signer = _SIGNERS[platform]
    except KeyError:
        raise ValueError(f"unknown platform {platform!r}; expected one of {', '.join(PLATFORMS)}") from None
    return {"Content-Type": "application/json", **signer(body, secrets, now)}
