"""The live platform clients against a fake platform server: exact requests, retries, failures without secrets."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from replyloop.adapters.platforms import PlatformClients, RetryPolicy
from replyloop.ingest.credentials import PlatformCredentials
from replyloop.reactions.actions import CommentRef, PlatformError
from tests.integration.conftest import DEMO_SECRETS
from tests.support.fake_platforms import FakePlatforms
from tests.support.observability import logged_by_us

CREDENTIALS = PlatformCredentials.model_validate(DEMO_SECRETS)
TOKENS = [
    DEMO_SECRETS["meta_page_access_token"],
    DEMO_SECRETS["meta_page_access_tokens"]["1001"],
    DEMO_SECRETS["x_user_access_token"],
    DEMO_SECRETS["telegram_bot_token"],
]
CREATED = datetime(2026, 1, 12, 9, 20, tzinfo=UTC)
FACEBOOK = CommentRef(platform="facebook", comment_id="2002_3101", thread_id="1001_2002", created_at=CREATED)
INSTAGRAM_REPLY = CommentRef(
    platform="instagram", comment_id="17900000000000103", thread_id="18000000000000001", parent_id="17900000000000101",
    created_at=CREATED,
)  # fmt: skip
TELEGRAM = CommentRef(platform="telegram", comment_id="-1002001:812", thread_id="-1002001:800", created_at=CREATED)
X = CommentRef(platform="x", comment_id="1991000000000000201", thread_id="1900000000000000001", created_at=CREATED)


@pytest.fixture
def fake() -> Iterator[FakePlatforms]:
    with FakePlatforms() as server:
        yield server


class Sleeps(list[float]):
    """Records the waits instead of waiting, so backoff is tested at full size in no time."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


def clients(fake: FakePlatforms, sleeps: Sleeps, credentials: PlatformCredentials = CREDENTIALS, **retry: Any) -> Any:
    return PlatformClients(
        credentials=lambda: credentials,
        graph_base_url=fake.graph_url,
        telegram_base_url=fake.telegram_url,
        x_base_url=fake.x_url,
        retry=RetryPolicy(**{"backoff_seconds": 1.0, **retry}),
        sleep=sleeps,
    )


# ---------------------------------------------------------------------------- requests as documented


def test_facebook_reply_posts_the_message_as_the_page(fake: FakePlatforms, sleeps: Sleeps) -> None:
    reply_id = clients(fake, sleeps)("facebook").reply(FACEBOOK, "Dziękujemy!")
    [request] = fake.requests
    assert (request.family, request.method, request.path, request.query) == ("graph", "POST", "/2002_3101/comments", {})
    assert request.body["message"] == "Dziękujemy!"
    assert len(request.body["appsecret_proof"]) == 64
    # The Page in the post id ('1001_...') has its own token.
    assert request.headers["Authorization"] == "Bearer demo_meta_page_1001_token"
    assert reply_id == "2002_3101_901"


def test_facebook_hide_sets_is_hidden(fake: FakePlatforms, sleeps: Sleeps) -> None:
    clients(fake, sleeps)("facebook").hide(FACEBOOK)
    [request] = fake.requests
    assert (request.method, request.path) == ("POST", "/2002_3101")
    assert request.body["is_hidden"] == "true"


def test_facebook_rules_reminder_goes_to_the_post(fake: FakePlatforms, sleeps: Sleeps) -> None:
    clients(fake, sleeps)("facebook").post_to_thread(FACEBOOK, "Zasady")
    assert [(r.method, r.path, r.body["message"]) for r in fake.requests] == [("POST", "/1001_2002/comments", "Zasady")]


def test_instagram_replies_to_the_top_level_comment_with_query_parameters(fake: FakePlatforms, sleeps: Sleeps) -> None:
    client = clients(fake, sleeps)("instagram")
    client.reply(INSTAGRAM_REPLY, "Thanks!")
    client.hide(INSTAGRAM_REPLY)
    reply, hide = fake.requests
    assert (reply.method, reply.path, reply.query["message"], reply.body) == (
        "POST",
        "/17900000000000101/replies",
        "Thanks!",
        None,
    )
    assert (hide.method, hide.path, hide.query["hide"]) == ("POST", "/17900000000000103", "true")
    assert reply.headers["Authorization"] == "Bearer demo_meta_page_access_token"


def test_telegram_replies_with_reply_parameters_and_hides_by_deleting(fake: FakePlatforms, sleeps: Sleeps) -> None:
    client = clients(fake, sleeps)("telegram")
    reply_id = client.reply(TELEGRAM, "Dzięki!")
    client.hide(TELEGRAM)
    client.post_to_thread(TELEGRAM, "Zasady")
    send, delete, post = fake.requests
    token = DEMO_SECRETS["telegram_bot_token"]
    assert (send.method, send.path) == ("POST", f"/bot{token}/sendMessage")
    assert send.body == {"chat_id": -1002001, "text": "Dzięki!", "reply_parameters": {"message_id": 812}}
    assert reply_id == "-1002001:9001"
    assert (delete.path, delete.body) == (f"/bot{token}/deleteMessage", {"chat_id": -1002001, "message_id": 812})
    assert post.body["reply_parameters"] == {"message_id": 800}, "the reminder answers the channel post"


def test_x_replies_in_the_conversation_and_hides_with_put(fake: FakePlatforms, sleeps: Sleeps) -> None:
    client = clients(fake, sleeps)("x")
    reply_id = client.reply(X, "Thanks!")
    client.hide(X)
    reply, hide = fake.requests
    assert (reply.method, reply.path) == ("POST", "/2/tweets")
    assert reply.body == {"text": "Thanks!", "reply": {"in_reply_to_tweet_id": "1991000000000000201"}}
    assert reply.headers["Authorization"] == "Bearer demo_x_user_access_token"
    assert reply_id == "1990000000000000001"
    assert (hide.method, hide.path, hide.body) == ("PUT", "/2/tweets/1991000000000000201/hidden", {"hidden": True})


def test_generic_comments_have_no_client(fake: FakePlatforms, sleeps: Sleeps) -> None:
    assert clients(fake, sleeps)("generic") is None


# ---------------------------------------------------------------------------- retries


@pytest.mark.parametrize(
    ("platform", "family", "comment"),
    [("facebook", "graph", FACEBOOK), ("telegram", "telegram", TELEGRAM), ("x", "x", X)],
)
def test_a_429_is_retried_after_the_wait_the_platform_asks_for(
    fake: FakePlatforms, sleeps: Sleeps, platform: str, family: Any, comment: CommentRef
) -> None:
    fake.fail(family, 429, retry_after=3)
    reply_id = clients(fake, sleeps)(platform).reply(comment, "Hi")
    assert reply_id
    assert len(fake.requests) == 2
    assert sleeps == [3.0]


def test_graph_throttling_codes_are_retried_like_a_429(fake: FakePlatforms, sleeps: Sleeps) -> None:
    fake.fail("graph", 400, code=80001)
    clients(fake, sleeps)("facebook").hide(FACEBOOK)
    assert len(fake.requests) == 2
    assert len(sleeps) == 1


def test_5xx_backs_off_exponentially_then_succeeds(fake: FakePlatforms, sleeps: Sleeps) -> None:
    fake.fail("x", 503, times=2)
    clients(fake, sleeps, attempts=3)("x").hide(X)
    assert len(fake.requests) == 3
    # Jittered between half and all of 1 s, then of 2 s.
    assert 0.5 <= sleeps[0] <= 1.0
    assert 1.0 <= sleeps[1] <= 2.0


def test_exhausted_retries_fail_retryable_without_the_token(fake: FakePlatforms, sleeps: Sleeps) -> None:
    fake.fail("telegram", 500, times=3)
    with pytest.raises(PlatformError) as raised:
        clients(fake, sleeps)("telegram").reply(TELEGRAM, "Hi")
    error = raised.value
    assert (error.status, error.retryable) == (500, True)
    assert str(error) == "telegram reply (sendMessage): HTTP 500: Internal Server Error after 3 attempts"
    assert len(fake.requests) == 3
    _assert_no_secret(error)


def test_another_4xx_is_not_retried(fake: FakePlatforms, sleeps: Sleeps) -> None:
    fake.fail("telegram", 400)
    with pytest.raises(PlatformError) as raised:
        clients(fake, sleeps)("telegram").hide(TELEGRAM)
    assert (raised.value.status, raised.value.retryable) == (400, False)
    assert "message not found" in str(raised.value)
    assert len(fake.requests) == 1
    assert sleeps == []
    _assert_no_secret(raised.value)


def test_a_wait_longer_than_the_cap_fails_at_once_for_a_later_redrive(fake: FakePlatforms, sleeps: Sleeps) -> None:
    fake.fail("x", 429, retry_after=900)
    with pytest.raises(PlatformError, match="asked to wait 900 s") as raised:
        clients(fake, sleeps)("x").reply(X, "Hi")
    assert raised.value.retryable is True
    assert (len(fake.requests), sleeps) == (1, [])


def test_a_reply_without_an_answer_is_not_resent(fake: FakePlatforms, sleeps: Sleeps) -> None:
    fake.fail("graph", 200, stall_seconds=0.5)
    with pytest.raises(PlatformError, match="may have acted") as raised:
        clients(fake, sleeps, timeout_seconds=0.1)("facebook").reply(FACEBOOK, "Hi")
    assert raised.value.retryable is False, "redoing it blindly could post the reply twice"
    assert len(fake.requests) == 1


def test_a_hide_without_an_answer_is_resent(fake: FakePlatforms, sleeps: Sleeps) -> None:
    fake.fail("graph", 200, stall_seconds=0.5)
    clients(fake, sleeps, timeout_seconds=0.1)("facebook").hide(FACEBOOK)
    assert len(fake.requests) == 2


def test_an_unreachable_platform_is_retried_then_reported(sleeps: Sleeps) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = PlatformClients(
        credentials=lambda: CREDENTIALS,
        graph_base_url=f"http://127.0.0.1:{port}",
        telegram_base_url=f"http://127.0.0.1:{port}",
        x_base_url=f"http://127.0.0.1:{port}",
        retry=RetryPolicy(attempts=2, backoff_seconds=0.0),
        sleep=sleeps,
    )("telegram")
    with pytest.raises(PlatformError, match="not reachable") as raised:
        client.reply(TELEGRAM, "Hi")
    assert raised.value.retryable is True
    assert len(sleeps) == 1
    _assert_no_secret(raised.value)


# ---------------------------------------------------------------------------- secrets


def test_a_missing_token_fails_before_any_request(fake: FakePlatforms, sleeps: Sleeps) -> None:
    empty = PlatformCredentials()
    with pytest.raises(PlatformError, match="no bot token configured") as raised:
        clients(fake, sleeps, credentials=empty)("telegram").reply(TELEGRAM, "Hi")
    assert raised.value.retryable is False
    assert fake.requests == []


def test_retry_logs_name_the_operation_not_the_url(
    fake: FakePlatforms, sleeps: Sleeps, caplog: pytest.LogCaptureFixture
) -> None:
    fake.fail("telegram", 502)
    with caplog.at_level(logging.DEBUG):
        clients(fake, sleeps)("telegram").reply(TELEGRAM, "Hi")
    [record] = [r for r in caplog.records if r.name.startswith("replyloop")]
    assert record.__dict__["operation"] == "reply (sendMessage)"
    logged = logged_by_us(caplog.records)
    assert not any(token in logged for token in TOKENS)
    assert "/bot" not in logged


def _assert_no_secret(error: PlatformError) -> None:
    shown = f"{error} {error!r} {error.args}"
    assert not any(token in shown for token in TOKENS)
    assert "/bot" not in shown
    assert "127.0.0.1" not in shown
    # No chained urllib error (those carry the URL, and the URL carries Telegram's token).
    assert error.__cause__ is None
    assert error.__suppress_context__ or error.__context__ is None
