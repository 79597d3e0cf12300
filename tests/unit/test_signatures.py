"""Webhook authentication against the platforms' published test vectors and common attacks."""

from __future__ import annotations

import pytest

from replyloop.ingest.signatures import (
    generic_signature,
    meta_signature,
    token_matches,
    verify_generic,
    verify_meta,
    verify_x,
    x_crc_response,
    x_signature,
)

META_BODY = b'{"object":"page","entry":[{"id":"1","time":1,"changes":[]}]}'
META_HEADER = "sha256=ed411a2918559629383dcdfa72c04208fbbec6ad9694cce6ef14a4040d67776f"
X_BODY = b'{"for_user_id":"1","tweet_create_events":[]}'
X_HEADER = "sha256=MdwerXyup5RjxlFkX69epegYjAkM5uMK2/kcju8IDXo="


def test_meta_vector() -> None:
    assert meta_signature("test_app_secret", META_BODY) == META_HEADER
    assert verify_meta("test_app_secret", META_BODY, META_HEADER)


def test_meta_upper_case_hex_is_accepted() -> None:
    assert verify_meta("test_app_secret", META_BODY, "sha256=" + META_HEADER[7:].upper())


@pytest.mark.parametrize(
    ("secret", "body", "header"),
    [
        ("test_app_secret", META_BODY.replace(b'"1"', b'"2"'), META_HEADER),  # tampered body
        ("test_app_secret", META_BODY, None),  # missing header
        ("test_app_secret", META_BODY, ""),
        ("wrong_secret", META_BODY, META_HEADER),
        ("test_app_secret", META_BODY, META_HEADER.replace("sha256=", "sha1=")),
        ("", META_BODY, meta_signature("", META_BODY)),  # an unset secret authenticates nothing
    ],
)
def test_meta_rejects(secret: str, body: bytes, header: str | None) -> None:
    assert not verify_meta(secret, body, header)


def test_x_vectors() -> None:
    assert x_crc_response("test_consumer_secret", "challenge_string") == {
        "response_token": "sha256=583uAmerwtjpykYEAEm+CEIRm6dOywK4QKRr0ha/Pd4="
    }
    assert x_signature("test_consumer_secret", X_BODY) == X_HEADER
    assert verify_x("test_consumer_secret", X_BODY, X_HEADER)


@pytest.mark.parametrize(
    ("secret", "body", "header"),
    [
        ("test_consumer_secret", X_BODY + b" ", X_HEADER),
        ("test_consumer_secret", X_BODY, None),
        ("other", X_BODY, X_HEADER),
        ("test_consumer_secret", X_BODY, X_HEADER.lower()),  # base64 is case-sensitive
    ],
)
def test_x_rejects(secret: str, body: bytes, header: str | None) -> None:
    assert not verify_x(secret, body, header)


def test_token_matches_only_the_exact_token() -> None:
    assert token_matches("s3cr3t_TOKEN-1", "s3cr3t_TOKEN-1")
    assert not token_matches("s3cr3t_TOKEN-1", "s3cr3t_token-1")
    assert not token_matches("s3cr3t_TOKEN-1", None)
    assert not token_matches("", "")


def test_generic_signature_is_hmac_over_timestamp_dot_body() -> None:
    import hashlib
    import hmac

    expected = hmac.new(b"k", b"1700000000.{}", hashlib.sha256).hexdigest()
    assert generic_signature("k", "1700000000", b"{}") == f"sha256={expected}"


@pytest.mark.parametrize("skew", [0, 299, -299, 300, -300])
def test_generic_accepts_within_five_minutes(skew: int) -> None:
    header = generic_signature("k", "1700000000", b"{}")
    assert verify_generic("k", b"{}", "1700000000", header, now=1_700_000_000 + skew)


@pytest.mark.parametrize(
    ("timestamp", "body", "now", "secret"),
    [
        ("1700000000", b"{}", 1_700_000_301, "k"),  # stale
        ("1700000000", b"{}", 1_699_999_699, "k"),  # from the future
        ("1700000000", b"{ }", 1_700_000_000, "k"),  # tampered body
        ("1700000001", b"{}", 1_700_000_000, "k"),  # timestamp changed after signing
        ("1700000000", b"{}", 1_700_000_000, "other"),
        (None, b"{}", 1_700_000_000, "k"),
        ("17e8", b"{}", 1_700_000_000, "k"),
    ],
)
def test_generic_rejects(timestamp: str | None, body: bytes, now: int, secret: str) -> None:
    header = generic_signature("k", "1700000000", b"{}")
    assert not verify_generic(secret, body, timestamp, header, now=now)
