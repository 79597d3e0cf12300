"""Normalisers on the platforms' documented examples: fields, brand replies, ignored kinds, malformed bodies."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from replyloop.ingest.credentials import PlatformCredentials
from replyloop.ingest.errors import MalformedDelivery
from replyloop.ingest.normalise import normalise
from replyloop.models.events import BrandReplied, CommentDeleted, CommentEdited, CommentReceived

RECEIVED = datetime(2026, 1, 5, 9, 31, 30, tzinfo=UTC)
BRAND = PlatformCredentials.model_validate(
    {
        "meta_page_ids": ["1001", "1784"],
        "instagram_usernames": ["@ExampleBrand"],
        "x_user_ids": ["900"],
        "telegram_bot_ids": [7000000001],
        "telegram_channel_ids": ["-1002002"],
    }
).brand


def run(platform: str, payload: dict) -> tuple[list, list[str]]:
    out = normalise(platform, json.dumps(payload).encode(), BRAND, RECEIVED)
    return out.events, out.ignored


def feed(verb: str = "add", **value: object) -> dict:
    base = {
        "item": "comment",
        "verb": verb,
        "comment_id": "2002_3003",
        "post_id": "1001_2002",
        "parent_id": "2002_3000",
        "from": {"id": "4004", "name": "Ola Nowak"},
        "message": "In stock in Kraków?",
        "created_time": 1767599998,
    }
    base.update(value)
    return {
        "object": "page",
        "entry": [{"id": "1001", "time": 1767600000, "changes": [{"field": "feed", "value": base}]}],
    }


class TestFacebook:
    def test_comment_has_every_contract_field(self) -> None:
        [event], ignored = run("facebook", feed())
        detail = event.detail
        assert isinstance(detail, CommentReceived)
        assert detail.model_dump(mode="json") == {
            "platform": "facebook",
            "comment_id": "2002_3003",
            "thread_id": "1001_2002",
            "parent_id": "2002_3000",
            "author": {"id": "4004", "handle": "Ola Nowak"},
            "text": "In stock in Kraków?",
            "created_at": "2026-01-05T07:59:58Z",
            "received_at": "2026-01-05T09:31:30Z",
            "permalink": "https://www.facebook.com/1001/posts/2002?comment_id=3003",
        }
        assert event.dedup_key == "facebook:2002_3003:add"
        assert ignored == []

    def test_top_level_comment_has_no_parent(self) -> None:
        [event], _ = run("facebook", feed(parent_id="1001_2002"))
        assert event.detail.parent_id is None

    def test_older_sender_fields_are_understood(self) -> None:
        payload = feed()
        value = payload["entry"][0]["changes"][0]["value"]
        del value["from"]
        value.update(sender_id="4005", sender_name="Jan")
        [event], _ = run("facebook", payload)
        assert event.detail.author.id == "4005"

    def test_page_answer_is_a_brand_reply_to_the_parent(self) -> None:
        [event], _ = run(
            "facebook", feed(**{"from": {"id": "1001", "name": "Example Brand"}, "comment_id": "2002_3010"})
        )
        assert isinstance(event.detail, BrandReplied)
        assert event.detail.in_reply_to == "2002_3000"

    def test_page_comment_on_its_own_post_is_not_a_reply(self) -> None:
        events, ignored = run("facebook", feed(parent_id="1001_2002", **{"from": {"id": "1001"}}))
        assert events == []
        assert ignored == ["feed/comment/brand-add"]

    def test_edit_and_removal(self) -> None:
        [edited], _ = run("facebook", feed("edited", message="In stock in Gdańsk?"))
        [removed], _ = run("facebook", feed("remove", message=None))
        assert isinstance(edited.detail, CommentEdited)
        assert edited.detail.text == "In stock in Gdańsk?"
        assert edited.dedup_key == "facebook:2002_3003:edited:1767600000"
        assert isinstance(removed.detail, CommentDeleted)
        assert removed.dedup_key == "facebook:2002_3003:remove"

    def test_sticker_comment_has_empty_text(self) -> None:
        payload = feed()
        del payload["entry"][0]["changes"][0]["value"]["message"]
        [event], _ = run("facebook", payload)
        assert event.detail.text == ""

    def test_other_feed_items_are_counted_not_published(self) -> None:
        payload = feed()
        payload["entry"][0]["changes"].append({"field": "feed", "value": {"item": "reaction", "verb": "add"}})
        payload["entry"][0]["changes"].append({"field": "mention", "value": {}})
        events, ignored = run("facebook", payload)
        assert len(events) == 1
        assert ignored == ["feed/reaction", "page/mention"]

    @pytest.mark.parametrize("created_time", [10**20, -(10**20)])
    def test_a_time_out_of_range_is_malformed(self, created_time: int) -> None:
        with pytest.raises(MalformedDelivery, match="out of range"):
            run("facebook", feed(created_time=created_time))

    def test_comment_without_ids_is_malformed(self) -> None:
        payload = feed()
        del payload["entry"][0]["changes"][0]["value"]["comment_id"]
        with pytest.raises(MalformedDelivery, match="comment_id"):
            run("facebook", payload)


def instagram(**value: object) -> dict:
    base = {
        "id": "1790",
        "text": "In blue?",
        "from": {"id": "1777", "username": "ola.nowak"},
        "media": {"id": "1800", "media_product_type": "REELS"},
        "parent_id": "1789",
    }
    base.update(value)
    return {
        "object": "instagram",
        "entry": [{"id": "1784", "time": 1767600000, "changes": [{"field": "comments", "value": base}]}],
    }


class TestInstagram:
    def test_comment(self) -> None:
        [event], _ = run("instagram", instagram())
        detail = event.detail
        assert isinstance(detail, CommentReceived)
        assert (detail.comment_id, detail.thread_id, detail.parent_id) == ("1790", "1800", "1789")
        assert detail.author.handle == "ola.nowak"
        assert detail.created_at == datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
        assert detail.permalink is None
        assert event.dedup_key == "instagram:1790"

    def test_brand_reply_is_recognised_by_username_whatever_the_case(self) -> None:
        [event], _ = run("instagram", instagram(**{"from": {"id": "555", "username": "examplebrand"}}))
        assert isinstance(event.detail, BrandReplied)
        assert event.detail.in_reply_to == "1789"

    def test_flat_instagram_login_shape(self) -> None:
        payload = {
            "object": "instagram",
            "entry": [
                {
                    "id": "1784",
                    "time": 1767600000,
                    "field": "comments",
                    "value": instagram()["entry"][0]["changes"][0]["value"],
                }
            ],
        }
        [event], _ = run("instagram", payload)
        assert event.detail.comment_id == "1790"


AAA_REPLY = {
    "for_user_id": "900",
    "tweet_create_events": [
        {
            "id_str": "1990",
            "created_at": "Mon Jan 05 09:30:00 +0000 2026",
            "text": "@ExampleBrand parcel missing",
            "in_reply_to_status_id_str": "1900",
            "in_reply_to_user_id_str": "900",
            "user": {"id_str": "700", "screen_name": "ola_nowak", "name": "Ola Nowak"},
        }
    ],
}


class TestX:
    def test_account_activity_reply(self) -> None:
        [event], _ = run("x", AAA_REPLY)
        detail = event.detail
        assert isinstance(detail, CommentReceived)
        assert (detail.comment_id, detail.parent_id, detail.thread_id) == ("1990", "1900", "1900")
        assert detail.created_at == datetime(2026, 1, 5, 9, 30, tzinfo=UTC)
        assert detail.permalink == "https://x.com/ola_nowak/status/1990"
        assert event.dedup_key == "x:1990"

    def test_long_posts_use_the_full_text(self) -> None:
        payload = json.loads(json.dumps(AAA_REPLY))
        payload["tweet_create_events"][0]["extended_tweet"] = {"full_text": "a" * 280}
        [event], _ = run("x", payload)
        assert event.detail.text == "a" * 280

    def test_brand_reply_and_own_post(self) -> None:
        payload = json.loads(json.dumps(AAA_REPLY))
        tweet = payload["tweet_create_events"][0]
        tweet["user"] = {"id_str": "900", "screen_name": "ExampleBrand"}
        [event], _ = run("x", payload)
        assert isinstance(event.detail, BrandReplied)
        assert event.detail.in_reply_to == "1900"
        tweet["in_reply_to_status_id_str"] = None
        assert run("x", payload) == ([], ["x/brand-post"])

    def test_deletions_and_other_activity(self) -> None:
        payload = {
            "for_user_id": "900",
            "tweet_delete_events": [{"status": {"id": "1990", "user_id": "700"}, "timestamp_ms": "1767605400000"}],
            "favorite_events": [{"id": "f1"}],
        }
        [event], ignored = run("x", payload)
        assert isinstance(event.detail, CommentDeleted)
        assert event.dedup_key == "x:1990:delete"
        assert ignored == ["x/favorite_events"]

    @pytest.mark.parametrize("event_type", ["post.reply.create", "post.mention.create"])
    def test_activity_api(self, event_type: str) -> None:
        payload = {
            "data": {
                "event_uuid": "4400",
                "filter": {"user_id": "900"},
                "event_type": event_type,
                "tag": "replies",
                "payload": {
                    "id": "1991",
                    "text": "@ExampleBrand refund?",
                    "author_id": "700",
                    "created_at": "2026-01-05T09:31:00.000Z",
                    "conversation_id": "1900",
                    "in_reply_to_user_id": "900",
                    "referenced_tweets": [{"type": "replied_to", "id": "1900"}],
                    "edit_history_tweet_ids": ["1991"],
                },
                "includes": {"users": [{"id": "700", "username": "ola_nowak"}]},
            }
        }
        [event], _ = run("x", payload)
        assert (event.detail.comment_id, event.detail.thread_id, event.detail.parent_id) == (
            "1991",
            "1900",
            "1900",
        )
        assert event.detail.author.handle == "ola_nowak"
        assert event.dedup_key == "x:1991"  # the same key as the Account Activity copy of this post

    def test_neither_format_is_malformed(self) -> None:
        with pytest.raises(MalformedDelivery):
            run("x", {"hello": "world"})


def telegram_update(**message: object) -> dict:
    base = {
        "message_id": 812,
        "message_thread_id": 800,
        "from": {"id": 123, "is_bot": False, "first_name": "Ola", "username": "ola_nowak"},
        "chat": {"id": -1002001, "type": "supergroup"},
        "date": 1767600000,
        "text": "Ship to Gdańsk?",
        "reply_to_message": {
            "message_id": 800,
            "sender_chat": {"id": -1002002, "type": "channel"},
            "chat": {"id": -1002001, "type": "supergroup"},
            "date": 1767599000,
            "is_automatic_forward": True,
        },
    }
    base.update(message)
    return {"update_id": 5001, "message": base}


class TestTelegram:
    def test_comment_under_a_channel_post(self) -> None:
        [event], _ = run("telegram", telegram_update())
        detail = event.detail
        assert (detail.comment_id, detail.thread_id, detail.parent_id) == (
            "-1002001:812",
            "-1002001:800",
            None,
        )
        assert detail.author.id == "123"
        assert detail.permalink == "https://t.me/c/2001/812"
        assert event.dedup_key == "telegram:-1002001:812"

    def test_reply_to_a_comment_and_the_bot_answering(self) -> None:
        replied = {"message_id": 812, "chat": {"id": -1002001, "type": "supergroup"}, "date": 1767600000}
        [reply], _ = run("telegram", telegram_update(message_id=813, reply_to_message=replied))
        assert reply.detail.parent_id == "-1002001:812"
        bot = {"id": 7000000001, "is_bot": True, "username": "example_bot"}
        [answer], _ = run("telegram", telegram_update(message_id=814, reply_to_message=replied, **{"from": bot}))
        assert isinstance(answer.detail, BrandReplied)
        assert answer.detail.in_reply_to == "-1002001:812"

    def test_channel_forwards_private_chats_and_other_updates_are_ignored(self) -> None:
        forward = telegram_update(is_automatic_forward=True, sender_chat={"id": -1002002, "type": "channel"})
        assert run("telegram", forward) == ([], ["telegram/channel-forward"])
        private = telegram_update(chat={"id": 123, "type": "private"})
        assert run("telegram", private) == ([], ["telegram/private-chat"])
        assert run("telegram", {"update_id": 1, "my_chat_member": {}}) == ([], ["telegram/my_chat_member"])

    def test_edits_and_captions(self) -> None:
        payload = telegram_update(edit_date=1767600300, text=None, caption="Photo of the parcel")
        payload["edited_message"] = payload.pop("message")
        [event], _ = run("telegram", payload)
        assert isinstance(event.detail, CommentEdited)
        assert event.detail.text == "Photo of the parcel"
        assert event.dedup_key == "telegram:-1002001:812:edit:1767600300"
