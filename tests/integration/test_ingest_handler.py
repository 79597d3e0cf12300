"""The ingest handler on moto: signed samples in, exactly one event per change on the template's bus."""

from __future__ import annotations

import base64
import io
import json
import time
from typing import Any

import pytest

from infra.local.signing import signed_headers
from tests.integration.conftest import DEMO_SECRETS, Bus, LambdaContext
from tests.support.events import load_body, load_event
from tests.support.faults import fail_first_entry

CONTRACT_FIELDS = {
    "platform",
    "comment_id",
    "thread_id",
    "parent_id",
    "author",
    "text",
    "created_at",
    "received_at",
    "permalink",
}


def http_event(platform: str, body: bytes, headers: dict[str, str] | None = None, **overrides: Any) -> dict[str, Any]:
    """An HTTP API v2 event like the samples', signed now unless `headers` are given."""
    event = load_event("webhooks/facebook/comment_add.json")
    event["rawPath"] = event["requestContext"]["http"]["path"] = f"/webhooks/{platform}"
    event["pathParameters"] = {"platform": platform}
    signed = signed_headers(platform, body, DEMO_SECRETS, now=int(time.time())) if headers is None else headers
    event["headers"] = {"content-type": "application/json", **{k.lower(): v for k, v in signed.items()}}
    event["body"] = body.decode("utf-8")
    event["isBase64Encoded"] = False
    event.update(overrides)
    return event


def call(app: Any, event: dict[str, Any]) -> tuple[int, Any]:
    response = app.lambda_handler(event, LambdaContext())
    body = response.get("body") or ""
    try:
        return response["statusCode"], json.loads(body)
    except ValueError:
        return response["statusCode"], body


def test_comment_reaches_the_bus_with_the_contract_fields(ingest: Any, bus: Bus) -> None:
    body = load_body("webhooks/facebook/comment_add.body.json")
    status, answer = call(ingest, http_event("facebook", body))
    assert (status, answer) == (200, {"published": 1, "duplicates": 0, "unhandled": 0})
    [event] = bus.drain()
    assert event["source"] == "replyloop.ingest"
    assert event["detail-type"] == "CommentReceived"
    assert set(event["detail"]) == CONTRACT_FIELDS
    assert event["detail"]["platform"] == "facebook"
    assert event["detail"]["created_at"].endswith("Z")


def test_the_sample_http_events_are_accepted_as_signed(ingest: Any, bus: Bus) -> None:
    """The committed samples (as `sam local invoke -e` uses them) verify with the demo secret."""
    status, _ = call(ingest, load_event("webhooks/telegram/comment.json"))
    assert status == 200
    assert [e["detail-type"] for e in bus.drain()] == ["CommentReceived"]


def test_base64_encoded_bodies_are_verified_on_their_bytes(ingest: Any, bus: Bus) -> None:
    body = load_body("webhooks/instagram/comment.body.json")
    event = http_event("instagram", body)
    event.update(body=base64.b64encode(body).decode(), isBase64Encoded=True)
    assert call(ingest, event)[0] == 200
    assert len(bus.drain()) == 1


def test_a_redelivery_puts_no_second_event(ingest: Any, bus: Bus) -> None:
    body = load_body("webhooks/x/aaa_reply.body.json")
    assert call(ingest, http_event("x", body)) == (200, {"published": 1, "duplicates": 0, "unhandled": 0})
    assert call(ingest, http_event("x", body)) == (200, {"published": 0, "duplicates": 1, "unhandled": 0})
    assert len(bus.drain()) == 1


def test_brand_reply_names_the_comment_it_answers(ingest: Any, bus: Bus) -> None:
    assert call(ingest, http_event("facebook", load_body("webhooks/facebook/brand_reply.body.json")))[0] == 200
    [event] = bus.drain()
    assert event["detail-type"] == "BrandReplied"
    assert event["detail"]["in_reply_to"]


def test_a_partial_put_failure_is_retried_for_the_failed_entries_only(ingest: Any, bus: Bus) -> None:
    from replyloop.adapters.aws import client

    fail_first_entry(client("events"), calls=1)
    body = load_body("webhooks/facebook/batch.body.json")
    status, answer = call(ingest, http_event("facebook", body))
    assert status == 200
    events = bus.drain()
    assert len(events) == answer["published"] >= 2
    assert len({e["detail"]["comment_id"] for e in events}) == len(events)  # each once, none lost


def test_a_put_that_keeps_failing_is_a_503_and_is_not_remembered(ingest: Any, bus: Bus) -> None:
    from replyloop.adapters.aws import client

    body = load_body("webhooks/generic/comment.body.json")
    fail_first_entry(client("events"), calls=3)
    status, answer = call(ingest, http_event("generic", body))
    assert status == 503
    assert "could not be put" in answer["message"]
    assert bus.drain() == []
    # The platform redelivers once the bus is back: the event goes through, once.
    assert call(ingest, http_event("generic", body))[0] == 200
    assert call(ingest, http_event("generic", body))[1]["duplicates"] == 1
    assert len(bus.drain()) == 1


@pytest.mark.parametrize(
    ("platform", "headers"),
    [
        ("facebook", {}),
        ("facebook", {"X-Hub-Signature-256": "sha256=" + "0" * 64}),
        ("x", {"x-twitter-webhooks-signature": "sha256=AAAA"}),
        ("telegram", {"X-Telegram-Bot-Api-Secret-Token": "guess"}),
        ("generic", {"X-Replyloop-Timestamp": "1700000000", "X-Replyloop-Signature": "sha256=00"}),
    ],
)
def test_bad_signatures_are_401_and_put_nothing(ingest: Any, bus: Bus, platform: str, headers: dict) -> None:
    status, answer = call(ingest, http_event(platform, b'{"a": 1}', headers))
    assert status == 401
    assert answer == {"statusCode": 401, "message": "missing or invalid signature"}
    assert bus.drain() == []


def test_tampered_sample_is_401(ingest: Any, bus: Bus) -> None:
    event = load_event("webhooks/facebook/comment_add.json")
    event["body"] = event["body"].replace("2002", "2003", 1)
    assert call(ingest, event)[0] == 401
    assert bus.drain() == []


def test_malformed_oversized_and_unknown(ingest: Any, bus: Bus) -> None:
    assert call(ingest, http_event("telegram", b'{"message": {}}'))[0] == 400
    big = b'{"pad": "' + b"x" * (256 * 1024) + b'"}'
    assert call(ingest, http_event("facebook", big))[0] == 413
    status, answer = call(ingest, http_event("myspace", b"{}", {}))
    assert status == 404
    assert "myspace" in answer["message"]
    assert bus.drain() == []


def test_handshakes(ingest: Any) -> None:
    assert call(ingest, load_event("webhooks/facebook/handshake.json")) == (200, 1158201444)
    crc = load_event("webhooks/x/crc.json")
    status, answer = call(ingest, crc)
    assert status == 200
    assert answer["response_token"].startswith("sha256=")
    wrong = load_event("webhooks/instagram/handshake.json")
    wrong["queryStringParameters"]["hub.verify_token"] = "nope"
    assert call(ingest, wrong)[0] == 403


def test_info_logs_carry_ids_never_text_or_names(ingest: Any, bus: Bus) -> None:
    body = load_body("webhooks/facebook/comment_add.body.json")
    value = json.loads(body)["entry"][0]["changes"][0]["value"]
    stream = io.StringIO()
    previous = ingest.logger.registered_handler.setStream(stream)
    try:
        call(ingest, http_event("facebook", body))
    finally:
        ingest.logger.registered_handler.setStream(previous)
    logs = stream.getvalue()
    assert '"level":"INFO"' in logs
    assert value["comment_id"] in logs
    assert value["message"] not in logs
    assert value["from"]["name"] not in logs
    assert DEMO_SECRETS["meta_app_secret"] not in logs
    assert len(bus.drain()) == 1
