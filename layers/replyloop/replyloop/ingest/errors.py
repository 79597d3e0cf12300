"""Why a webhook was not accepted; the handler maps each to an HTTP status."""


class IntakeError(Exception):
    """Base of every refusal. Messages are safe to return to the caller: no secrets, no comment text."""


class UnknownPlatform(IntakeError):
    """The path names no platform we serve (404)."""


class PayloadTooLarge(IntakeError):
    """The body exceeds what one delivery may carry (413)."""


class Unauthenticated(IntakeError):
    """Missing or wrong signature, token or timestamp (401)."""


class HandshakeRefused(IntakeError):
    """A subscription handshake with the wrong verify token or missing parameters (403)."""


class MalformedDelivery(IntakeError):
    """Authenticated, but the body is not what the platform documents (400)."""


class PublishFailed(IntakeError):
    """Some events could not be put on the bus even after retries (503: the platform redelivers)."""
