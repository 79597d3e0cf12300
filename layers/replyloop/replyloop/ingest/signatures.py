"""Webhook authentication: each platform's signature, computed and checked in constant time."""

from __future__ import annotations

import base64
import hashlib
import hmac

__all__ = [
    "GENERIC_MAX_SKEW_SECONDS",
    "generic_signature",
    "meta_signature",
    "token_matches",
    "verify_generic",
    "verify_meta",
    "verify_x",
    "x_crc_response",
    "x_signature",
]

GENERIC_MAX_SKEW_SECONDS = 300


def _hmac_sha256(secret: str, message: bytes) -> bytes:
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).digest()


def _equal(expected: str, received: str | None) -> bool:
    """Constant-time comparison; an empty secret never authenticates anything."""
    if not received or not expected:
        return False
    return hmac.compare_digest(expected.encode("utf-8"), received.encode("utf-8"))


def meta_signature(app_secret: str, body: bytes) -> str:
    """Value of Meta's `X-Hub-Signature-256` header for a raw body."""
    return "sha256=" + _hmac_sha256(app_secret, body).hex()


def x_signature(consumer_secret: str, body: bytes) -> str:
    """Value of X's `x-twitter-webhooks-signature` header for a raw body."""
    return "sha256=" + base64.b64encode(_hmac_sha256(consumer_secret, body)).decode("ascii")


def x_crc_response(consumer_secret: str, crc_token: str) -> dict[str, str]:
    """The answer to X's CRC challenge."""
    return {"response_token": x_signature(consumer_secret, crc_token.encode("utf-8"))}


def generic_signature(hmac_secret: str, timestamp: str, body: bytes) -> str:
    """Value of `X-Replyloop-Signature`: HMAC over `<timestamp>.<raw body>`."""
    return "sha256=" + _hmac_sha256(hmac_secret, timestamp.encode("ascii") + b"." + body).hex()


def verify_meta(app_secret: str, body: bytes, header: str | None) -> bool:
    # Meta may send upper-case hex in old SDK proxies; the digest itself is case-insensitive.
    return bool(app_secret) and _equal(meta_signature(app_secret, body), (header or "").lower() or None)


def verify_x(consumer_secret: str, body: bytes, header: str | None) -> bool:
    return bool(consumer_secret) and _equal(x_signature(consumer_secret, body), header)


def token_matches(expected: str, received: str | None) -> bool:
    """Static shared tokens: Telegram's secret header and Meta's handshake verify token."""
    return _equal(expected, received)


def verify_generic(hmac_secret: str, body: bytes, timestamp: str | None, header: str | None, *, now: float) -> bool:
    """Check the HMAC and that the signed timestamp is within ±5 minutes of `now` (replay window)."""
    if not hmac_secret or not timestamp or not timestamp.isdigit():
        return False
    if abs(now - int(timestamp)) > GENERIC_MAX_SKEW_SECONDS:
        return False
    return _equal(generic_signature(hmac_secret, timestamp, body), (header or "").lower() or None)
