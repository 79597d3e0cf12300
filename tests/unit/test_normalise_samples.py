"""Every normaliser on every sample in events/webhooks: what each delivery must become."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from replyloop.ingest.credentials import PlatformCredentials
from replyloop.ingest.normalise import normalise
from replyloop.models.registry import DETAIL_TYPES
from tests.support.events import EVENTS_DIR, load_body

BRAND = PlatformCredentials.model_validate_json((EVENTS_DIR / "secrets.demo.json").read_text()).brand
RECEIVED = datetime(2026, 1, 12, 10, 0, tzinfo=UTC)

# sample -> (detail-types and dedup keys in order, unhandled kinds)
EXPECTED: dict[str, tuple[list[tuple[str, str]], list[str]]] = {
    "facebook/batch": (
        [
            ("CommentReceived", "facebook:2010_3120:add"),
            ("CommentReceived", "facebook:2002_3121:add"),
            ("CommentReceived", "facebook:2010_3122:add"),
        ],
        ["feed/reaction"],
    ),
    "facebook/brand_reply": ([("BrandReplied", "facebook:2002_3112:add")], []),
    "facebook/comment_add": ([("CommentReceived", "facebook:2002_3101:add")], []),
    "facebook/comment_edited": ([("CommentEdited", "facebook:2002_3101:edited:1768210813")], []),
    "facebook/comment_remove": ([("CommentDeleted", "facebook:2002_3107:remove")], []),
    "facebook/comment_reply": ([("CommentReceived", "facebook:2002_3105:add")], []),
    "facebook/comment_spam": ([("CommentReceived", "facebook:2010_3135:add")], []),
    "facebook/sticker_comment": ([("CommentReceived", "facebook:2010_3130:add")], []),
    "generic/ama_question": ([("CommentReceived", "generic:ama-2026-01-q17")], []),
    "generic/comment": ([("CommentReceived", "generic:web-7f3a21")], []),
    "generic/help_request": ([("CommentReceived", "generic:web-8c91d4")], []),
    "instagram/brand_reply": ([("BrandReplied", "instagram:17900000000000103")], []),
    "instagram/comment": ([("CommentReceived", "instagram:17900000000000101")], []),
    "instagram/comment_toxic": ([("CommentReceived", "instagram:17900000000000111")], []),
    "instagram/flat_shape": ([("CommentReceived", "instagram:17900000000000110")], []),
    "instagram/reply": ([("CommentReceived", "instagram:17900000000000102")], []),
    "telegram/auto_forward": ([], ["telegram/channel-forward"]),
    "telegram/brand_reply": ([("BrandReplied", "telegram:-1002001:821")], []),
    "telegram/brand_reply_as_channel": ([("BrandReplied", "telegram:-1002001:824")], []),
    "telegram/caption": ([("CommentReceived", "telegram:-1002001:818")], []),
    "telegram/comment": ([("CommentReceived", "telegram:-1002001:812")], []),
    "telegram/edited": ([("CommentEdited", "telegram:-1002001:812:edit:1768072831")], []),
    "telegram/reply_to_comment": ([("CommentReceived", "telegram:-1002001:815")], []),
    "x/aaa_brand_reply": ([("BrandReplied", "x:1878000000000000203")], []),
    "x/aaa_delete": ([("CommentDeleted", "x:1878000000000000205:delete")], []),
    "x/aaa_favorite": ([], ["x/favorite_events"]),
    "x/aaa_mention": ([("CommentReceived", "x:1878000000000000202")], []),
    "x/aaa_reply": ([("CommentReceived", "x:1878000000000000201")], []),
    "x/xaa_mention": ([("CommentReceived", "x:1878000000000000302")], []),
    "x/xaa_reply": ([("CommentReceived", "x:1878000000000000301")], []),
}


def _normalise(case: str):
    platform = case.split("/", maxsplit=1)[0]
    return normalise(platform, load_body(f"webhooks/{case}.body.json"), BRAND, RECEIVED)


def test_every_sample_has_an_expectation() -> None:
    samples = {
        f"{path.parent.name}/{path.name.removesuffix('.body.json')}"
        for path in EVENTS_DIR.glob("webhooks/*/*.body.json")
    }
    assert samples == set(EXPECTED)


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_sample_normalises_as_expected(case: str) -> None:
    out = _normalise(case)
    events, ignored = EXPECTED[case]
    assert [(e.detail_type, e.dedup_key) for e in out.events] == events
    assert out.ignored == ignored


@pytest.mark.parametrize("case", sorted(c for c, (events, _) in EXPECTED.items() if events))
def test_sample_events_round_trip_through_their_schema_model(case: str) -> None:
    for event in _normalise(case).events:
        detail = json.loads(event.detail.model_dump_json())
        assert DETAIL_TYPES[event.detail_type].model_validate(detail) == event.detail
        if "created_at" in detail:
            assert detail["created_at"].endswith("Z")
            assert detail["received_at"] == "2026-01-12T10:00:00Z"


@pytest.mark.parametrize(
    "case", ["facebook/brand_reply", "instagram/brand_reply", "telegram/brand_reply", "x/aaa_brand_reply"]
)
def test_brand_replies_name_a_comment_that_is_not_their_own(case: str) -> None:
    [event] = _normalise(case).events
    assert event.detail.in_reply_to
    assert event.detail.in_reply_to != event.detail.comment_id


def test_meta_escaped_polish_text_is_decoded() -> None:
    raw = load_body("webhooks/facebook/comment_add.body.json")
    assert b"\\u" in raw  # Meta escapes non-ASCII; we must verify those bytes yet publish real text
    [event] = _normalise("facebook/comment_add").events
    assert any(ch in event.detail.text for ch in "ąćęłńóśźż")
