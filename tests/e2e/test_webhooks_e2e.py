"""Webhooks over real HTTP to the local stack: what reaches the bus, what is refused, what is ignored."""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest

from infra.local.samples import HttpResult, discover, send
from infra.local.signing import signed_headers
from infra.local.stack import LocalStack
from replyloop.ingest.signatures import x_crc_response

pytestmark = pytest.mark.e2e

DESIGN_FIELDS = {"platform", "comment_id", "thread_id", "parent_id", "author", "text", "created_at", "received_at"}


def post(stack: LocalStack, platform: str, body: bytes, headers: dict[str, str]) -> tuple[HttpResult, list[Any]]:
    """POST, then what that request (and nothing before it) put on the bus.

    Ingest puts its events before it answers, so they are on the tap by now; downstream
    consumers (classify, react, SLA…) may still be adding theirs, hence the source filter.
    """
    before = len(stack.flush_tap())
    result = send(stack.api_url, "POST", f"/webhooks/{platform}", body=body, headers=headers)
    return result, [event for event in stack.flush_tap()[before:] if event["source"] == "replyloop.ingest"]


def generic_body(webhooks: Path) -> bytes:
    """The generic sample with a fresh id, so this test owns the delivery whatever ran before."""
    sample = json.loads((webhooks / "generic" / "comment.body.json").read_bytes())
    return json.dumps({**sample, "id": f"e2e-{uuid.uuid4()}"}).encode()


def test_a_signed_comment_reaches_the_bus_as_comment_received(
    stack: LocalStack, secrets: dict[str, Any], webhooks: Path
) -> None:
    body = (webhooks / "facebook" / "comment_add.body.json").read_bytes()
    headers = signed_headers("facebook", body, secrets, now=int(time.time()))
    result, events = post(stack, "facebook", body, headers)

    assert result.status == 200
    (event,) = events
    assert (event["source"], event["detail-type"]) == ("replyloop.ingest", "CommentReceived")
    assert event["account"] == "123456789012"
    detail = event["detail"]
    assert detail.keys() >= DESIGN_FIELDS
    assert (detail["platform"], detail["comment_id"], detail["thread_id"]) == ("facebook", "2002_3101", "1001_2002")
    assert detail["author"]["id"] == "4101"
    assert detail["created_at"] == "2026-01-12T09:14:58Z"


def test_a_tampered_body_is_refused_and_adds_nothing(
    stack: LocalStack, secrets: dict[str, Any], webhooks: Path
) -> None:
    body = generic_body(webhooks)
    headers = signed_headers("generic", body, secrets, now=int(time.time()))
    result, events = post(stack, "generic", body.replace(b"e2e-", b"E2E-"), headers)

    assert result.status == 401
    assert events == []


def test_a_redelivery_is_accepted_but_adds_nothing(stack: LocalStack, secrets: dict[str, Any], webhooks: Path) -> None:
    body = generic_body(webhooks)
    headers = signed_headers("generic", body, secrets, now=int(time.time()))
    first, first_events = post(stack, "generic", body, headers)
    again, again_events = post(stack, "generic", body, headers)

    assert (first.status, [e["detail-type"] for e in first_events]) == (200, ["CommentReceived"])
    assert (again.status, again_events) == (200, [])


def test_a_malformed_but_signed_body_is_a_400(stack: LocalStack, secrets: dict[str, Any]) -> None:
    body = b'{"object": "page", "entry": ['
    result, events = post(stack, "facebook", body, signed_headers("facebook", body, secrets, now=0))
    assert (result.status, events) == (400, [])


@pytest.mark.parametrize("platform", ["facebook", "instagram"])
def test_meta_handshake_echoes_the_challenge_as_text(stack: LocalStack, webhooks: Path, platform: str) -> None:
    (sample,) = [s for s in discover(webhooks / platform) if s.method == "GET"]
    result = send(stack.api_url, "GET", sample.url_path, query=sample.query)

    assert result.status == 200
    assert result.headers["content-type"].startswith("text/plain")
    assert result.body.decode() == parse_qs(sample.query)["hub.challenge"][0]


def test_a_wrong_verify_token_is_refused(stack: LocalStack) -> None:
    query = "hub.mode=subscribe&hub.challenge=123&hub.verify_token=wrong"
    assert send(stack.api_url, "GET", "/webhooks/facebook", query=query).status == 403


def test_x_crc_is_answered_with_json(stack: LocalStack, secrets: dict[str, Any]) -> None:
    result = send(stack.api_url, "GET", "/webhooks/x", query="crc_token=abc123")

    assert result.status == 200
    assert result.headers["content-type"].startswith("application/json")
    assert result.json() == x_crc_response(secrets["x_consumer_secret"], "abc123")


def test_an_unknown_route_is_a_404_from_the_gateway(stack: LocalStack) -> None:
    result = send(stack.api_url, "GET", "/webhooks")
    assert (result.status, result.json()) == (404, {"message": "Not Found"})
    assert send(stack.api_url, "DELETE", "/webhooks/facebook").status == 404


def test_a_body_over_10_mb_is_refused_by_the_gateway(stack: LocalStack) -> None:
    result = send(stack.api_url, "POST", "/webhooks/generic", body=b"x" * (10 * 1024 * 1024 + 1))
    assert (result.status, result.json()) == (413, {"message": "Request Entity Too Large"})
