"""The ingest use case: authenticate, normalise, and put each new change on the bus exactly once."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from replyloop.ingest import signatures
from replyloop.ingest.credentials import PlatformCredentials
from replyloop.ingest.errors import (
    HandshakeRefused,
    PayloadTooLarge,
    PublishFailed,
    Unauthenticated,
    UnknownPlatform,
)
from replyloop.ingest.normalise import PLATFORMS, normalise
from replyloop.models.events import BusEvent
from replyloop.ports import Ledger, Publisher

__all__ = ["MAX_BODY_BYTES", "Delivered", "Handshake", "Intake", "Ledger", "Publisher"]

MAX_BODY_BYTES = 256 * 1024


@dataclass(frozen=True, slots=True)
class Handshake:
    body: str
    content_type: str


@dataclass(frozen=True, slots=True)
class Delivered:
    published: list[BusEvent] = field(default_factory=list)
    duplicates: int = 0
    ignored: list[str] = field(default_factory=list)


class Intake:
    """Verifies before it parses; an event whose put failed is released, never remembered as done."""

    def __init__(
        self,
        *,
        credentials: Callable[[], PlatformCredentials],
        ledger: Ledger,
        publisher: Publisher,
        clock: Callable[[], datetime],
    ) -> None:
        self._credentials = credentials
        self._ledger = ledger
        self._publisher = publisher
        self._clock = clock

    def handshake(self, platform: str, query: Mapping[str, str]) -> Handshake:
        _known(platform)
        creds = self._credentials()
        if platform in ("facebook", "instagram") and "hub.challenge" in query:
            token_ok = signatures.token_matches(
                creds.meta_verify_token.get_secret_value(), query.get("hub.verify_token")
            )
            if query.get("hub.mode") != "subscribe" or not token_ok:
                raise HandshakeRefused("verify token does not match")
            return Handshake(body=query["hub.challenge"], content_type="text/plain")
        if platform == "x" and query.get("crc_token"):
            if not creds.x_consumer_secret.get_secret_value():
                raise HandshakeRefused("x_consumer_secret is not configured")
            response = signatures.x_crc_response(creds.x_consumer_secret.get_secret_value(), query["crc_token"])
            return Handshake(body=json.dumps(response), content_type="application/json")
        raise HandshakeRefused(f"no subscription handshake for {platform} with these parameters")

    def deliver(self, platform: str, headers: Mapping[str, str], body: bytes) -> Delivered:
        _known(platform)
        if len(body) > MAX_BODY_BYTES:
            raise PayloadTooLarge(f"body over {MAX_BODY_BYTES} bytes")
        now = self._clock()
        creds = self._credentials()
        if not authentic(platform, creds, headers, body, now=now.timestamp()):
            raise Unauthenticated("missing or invalid signature")
        normalised = normalise(platform, body, creds.brand, now)
        fresh: list[BusEvent] = []
        failed: list[BusEvent] | None = None
        try:
            fresh.extend(event for event in normalised.events if self._ledger.claim(event.dedup_key))
            failed = self._publisher.publish(fresh) if fresh else []
        finally:
            # On an exception every claim is released: nothing unpublished is remembered as done.
            failed_keys = {event.dedup_key for event in (fresh if failed is None else failed)}
            for event in fresh:
                if event.dedup_key in failed_keys:
                    self._ledger.release(event.dedup_key)
                else:
                    self._ledger.complete(event.dedup_key)
        if failed:
            raise PublishFailed(f"{len(failed)} of {len(fresh)} events could not be put on the bus")
        return Delivered(published=fresh, duplicates=len(normalised.events) - len(fresh), ignored=normalised.ignored)


def _known(platform: str) -> None:
    if platform not in PLATFORMS:
        raise UnknownPlatform(f"unknown platform {platform!r}")


def authentic(
    platform: str, creds: PlatformCredentials, headers: Mapping[str, str], body: bytes, *, now: float
) -> bool:
    """Check the proof of origin; `headers` have lower-case names, as API Gateway v2 gives them."""
    if platform in ("facebook", "instagram"):
        return signatures.verify_meta(
            creds.meta_app_secret.get_secret_value(), body, headers.get("x-hub-signature-256")
        )
    if platform == "x":
        return signatures.verify_x(
            creds.x_consumer_secret.get_secret_value(), body, headers.get("x-twitter-webhooks-signature")
        )
    if platform == "telegram":
        return signatures.token_matches(
            creds.telegram_secret_token.get_secret_value(), headers.get("x-telegram-bot-api-secret-token")
        )
    return signatures.verify_generic(
        creds.generic_hmac_secret.get_secret_value(),
        body,
        headers.get("x-replyloop-timestamp"),
        headers.get("x-replyloop-signature"),
        now=now,
    )
