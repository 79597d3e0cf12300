"""The ingest use case with in-memory ports: authentication first, exactly-once publishing, nothing lost."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from replyloop.ingest import errors
from replyloop.ingest.credentials import PlatformCredentials
from replyloop.ingest.intake import MAX_BODY_BYTES, Intake
from replyloop.ingest.signatures import generic_signature, meta_signature
from tests.support.fakes import MemoryLedger, MemoryPublisher

NOW = datetime(2026, 1, 5, 9, 31, tzinfo=UTC)
CREDS = PlatformCredentials.model_validate(
    {
        "meta_app_secret": "app-secret",
        "meta_verify_token": "verify-me",
        "meta_page_ids": [1001],
        "x_consumer_secret": "test_consumer_secret",
        "generic_hmac_secret": "generic-secret",
    }
)


def _comment(comment_id: str, text: str = "Is it in stock?") -> dict:
    return {
        "field": "feed",
        "value": {
            "item": "comment",
            "verb": "add",
            "comment_id": comment_id,
            "post_id": "1001_2002",
            "parent_id": "1001_2002",
            "from": {"id": "4004", "name": "Ola Nowak"},
            "message": text,
            "created_time": 1767599998,
        },
    }


def _meta_body(*comment_ids: str) -> bytes:
    changes = [_comment(cid) for cid in comment_ids]
    return json.dumps({"object": "page", "entry": [{"id": "1001", "time": 1767600000, "changes": changes}]}).encode()


def _signed(body: bytes) -> dict[str, str]:
    return {"x-hub-signature-256": meta_signature("app-secret", body)}


@pytest.fixture
def ledger() -> MemoryLedger:
    return MemoryLedger()


@pytest.fixture
def publisher() -> MemoryPublisher:
    return MemoryPublisher()


@pytest.fixture
def intake(ledger: MemoryLedger, publisher: MemoryPublisher) -> Intake:
    return Intake(credentials=lambda: CREDS, ledger=ledger, publisher=publisher, clock=lambda: NOW)


def test_each_change_is_published_once(intake: Intake, publisher: MemoryPublisher) -> None:
    body = _meta_body("2002_1", "2002_2")
    first = intake.deliver("facebook", _signed(body), body)
    again = intake.deliver("facebook", _signed(body), body)
    assert [e.detail.comment_id for e in first.published] == ["2002_1", "2002_2"]
    assert again.published == []
    assert again.duplicates == 2
    assert len(publisher.put) == 2


def test_overlapping_delivery_publishes_only_the_new_change(intake: Intake, publisher: MemoryPublisher) -> None:
    intake.deliver("facebook", _signed(_meta_body("2002_1")), _meta_body("2002_1"))
    body = _meta_body("2002_1", "2002_3")
    result = intake.deliver("facebook", _signed(body), body)
    assert [e.detail.comment_id for e in result.published] == ["2002_3"]
    assert result.duplicates == 1


def test_the_same_change_twice_in_one_delivery_is_published_once(intake: Intake) -> None:
    body = _meta_body("2002_1", "2002_1")
    result = intake.deliver("facebook", _signed(body), body)
    assert len(result.published) == 1
    assert result.duplicates == 1


def test_failed_entries_are_released_so_the_redelivery_goes_through(
    intake: Intake, ledger: MemoryLedger, publisher: MemoryPublisher
) -> None:
    body = _meta_body("2002_1", "2002_2")
    publisher.fail_keys = {"facebook:2002_2:add"}
    with pytest.raises(errors.PublishFailed, match="1 of 2"):
        intake.deliver("facebook", _signed(body), body)
    assert ledger.released == ["facebook:2002_2:add"]
    assert ledger.done == {"facebook:2002_1:add"}

    publisher.fail_keys = set()
    retry = intake.deliver("facebook", _signed(body), body)
    assert [e.detail.comment_id for e in retry.published] == ["2002_2"]
    assert [e.detail.comment_id for e in publisher.put] == ["2002_1", "2002_2"]


def test_an_exception_while_publishing_releases_every_claim(
    intake: Intake, ledger: MemoryLedger, publisher: MemoryPublisher
) -> None:
    body = _meta_body("2002_1", "2002_2")
    publisher.explode = ConnectionError("bus unreachable")
    with pytest.raises(ConnectionError):
        intake.deliver("facebook", _signed(body), body)
    assert sorted(ledger.released) == ["facebook:2002_1:add", "facebook:2002_2:add"]
    assert not ledger.done
    assert not ledger.in_progress


def test_signature_is_checked_before_the_body_is_parsed(intake: Intake, ledger: MemoryLedger) -> None:
    with pytest.raises(errors.Unauthenticated):
        intake.deliver("facebook", {"x-hub-signature-256": "sha256=00"}, b"not json at all")
    assert not ledger.done


@pytest.mark.parametrize("body", [b"{", b"[]", b'{"object":"page"}', b'{"object":"page","entry":[{"id":1}]}', b"\xff"])
def test_authenticated_but_malformed_is_refused_as_malformed(intake: Intake, body: bytes) -> None:
    with pytest.raises(errors.MalformedDelivery):
        intake.deliver("facebook", _signed(body), body)


def test_malformed_message_does_not_echo_comment_text(intake: Intake) -> None:
    payload = {
        "object": "page",
        "entry": [{"id": "1001", "time": 1, "changes": [_comment("2002_1", "secret text")]}],
    }
    del payload["entry"][0]["changes"][0]["value"]["post_id"]
    body = json.dumps(payload).encode()
    with pytest.raises(errors.MalformedDelivery) as refused:
        intake.deliver("facebook", _signed(body), body)
    assert "post_id" in str(refused.value)
    assert "secret text" not in str(refused.value)


def test_oversized_body_is_refused_before_authentication(intake: Intake) -> None:
    with pytest.raises(errors.PayloadTooLarge):
        intake.deliver("facebook", {}, b"x" * (MAX_BODY_BYTES + 1))


def test_unknown_platform(intake: Intake) -> None:
    with pytest.raises(errors.UnknownPlatform):
        intake.deliver("myspace", {}, b"{}")
    with pytest.raises(errors.UnknownPlatform):
        intake.handshake("myspace", {})


def test_generic_delivery_uses_the_clock_for_its_replay_window(intake: Intake) -> None:
    body = json.dumps(
        {
            "id": "ama-1",
            "thread_id": "ama-2026-01",
            "parent_id": None,
            "author": {"id": "u1", "handle": "ola"},
            "text": "When do you ship to Gdańsk?",
            "created_at": "2026-01-05T09:30:00Z",
            "permalink": "https://example.com/ama/1",
        }
    ).encode()
    fresh = str(int(NOW.timestamp()) - 10)
    stale = str(int(NOW.timestamp()) - 301)
    headers = {
        "x-replyloop-timestamp": fresh,
        "x-replyloop-signature": generic_signature("generic-secret", fresh, body),
    }
    assert len(intake.deliver("generic", headers, body).published) == 1
    headers = {
        "x-replyloop-timestamp": stale,
        "x-replyloop-signature": generic_signature("generic-secret", stale, body),
    }
    with pytest.raises(errors.Unauthenticated):
        intake.deliver("generic", headers, body)


def test_meta_handshake_echoes_the_challenge(intake: Intake) -> None:
    answer = intake.handshake(
        "instagram", {"hub.mode": "subscribe", "hub.verify_token": "verify-me", "hub.challenge": "1158201444"}
    )
    assert (answer.body, answer.content_type) == ("1158201444", "text/plain")


@pytest.mark.parametrize(
    "query",
    [
        {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1"},
        {"hub.mode": "unsubscribe", "hub.verify_token": "verify-me", "hub.challenge": "1"},
        {"hub.mode": "subscribe", "hub.challenge": "1"},
        {},
    ],
)
def test_meta_handshake_refusals(intake: Intake, query: dict[str, str]) -> None:
    with pytest.raises(errors.HandshakeRefused):
        intake.handshake("facebook", query)


def test_x_crc_answer_matches_the_published_vector(intake: Intake) -> None:
    answer = intake.handshake("x", {"crc_token": "challenge_string"})
    assert json.loads(answer.body) == {"response_token": "sha256=583uAmerwtjpykYEAEm+CEIRm6dOywK4QKRr0ha/Pd4="}
    assert answer.content_type == "application/json"


def test_credentials_never_show_secrets_in_repr() -> None:
    assert "app-secret" not in repr(CREDS)
    assert "generic-secret" not in str(CREDS.model_dump())
