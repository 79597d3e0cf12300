"""Ideas on the local stack: an idea comment gets a number and a thanks with it; the admin API changes its status."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from infra.local.samples import send
from infra.local.signing import signed_headers
from infra.local.stack import LocalStack

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def settled(stack: LocalStack) -> Iterator[None]:
    """Leave nothing in flight: the next test's bus window holds only its own events."""
    yield
    stack.wait_until_idle(timeout=30)


def idea_comment(webhooks: Path, text: str, author: str) -> tuple[bytes, str]:
    """The generic sample as a fresh comment of this test, with its id."""
    sample = json.loads((webhooks / "generic" / "comment.body.json").read_bytes())
    comment_id = f"e2e-idea-{uuid.uuid4()}"
    body = {**sample, "id": comment_id, "text": text, "author": {"id": author, "handle": author}}
    return json.dumps(body, ensure_ascii=False).encode(), comment_id


def for_comment(detail_type: str, comment_id: str) -> Any:
    def match(event: dict[str, Any]) -> bool:
        detail = event.get("detail") or {}
        return (
            event.get("detail-type") == detail_type
            and (detail.get("comment") or detail).get("comment_id") == comment_id
        )

    return match


def post_idea(stack: LocalStack, secrets: dict[str, Any], webhooks: Path, text: str, author: str) -> dict[str, Any]:
    body, comment_id = idea_comment(webhooks, text, author)
    headers = signed_headers("generic", body, secrets, now=int(time.time()))
    assert send(stack.api_url, "POST", "/webhooks/generic", body=body, headers=headers).status == 200
    [recorded] = stack.wait_for_events(for_comment("IdeaRecorded", comment_id), timeout=20)
    [thanked] = stack.wait_for_events(for_comment("ReactionPerformed", comment_id), timeout=20)
    return {"recorded": recorded["detail"], "thanked": thanked["detail"]}


def test_an_idea_comment_is_numbered_voted_and_thanked_with_the_number(
    stack: LocalStack, secrets: dict[str, Any], webhooks: Path
) -> None:
    topic = f"eksport do formatu XML{uuid.uuid4().hex[:6]}"  # a wording no other test uses
    first = post_idea(stack, secrets, webhooks, f"Dodajcie proszę {topic} w aplikacji", "e2e-a")
    vote = post_idea(stack, secrets, webhooks, f"Przydałby się {topic} w aplikacji!", "e2e-b")
    number = first["recorded"]["number"]
    assert (first["recorded"]["outcome"], vote["recorded"]["outcome"]) == ("new", "vote")
    assert (vote["recorded"]["number"], vote["recorded"]["votes"]) == (number, 2)
    assert first["thanked"]["action"] == "idea_thanks"
    assert f"#{number}" in first["thanked"]["reply_text"]
    assert f"#{number}" in vote["thanked"]["reply_text"]
    assert vote["thanked"]["template_id"].startswith("idea_vote_thanks.")


def test_the_admin_api_changes_a_status_over_http(stack: LocalStack, secrets: dict[str, Any], webhooks: Path) -> None:
    topic = f"widżet z kursem walut {uuid.uuid4().hex[:6]}"
    number = post_idea(stack, secrets, webhooks, f"Dodajcie {topic}", "e2e-c")["recorded"]["number"]
    body = json.dumps({"status": "accepted", "impact": 5, "cost": 1, "note": "e2e"}).encode()
    headers = {"Content-Type": "application/json"}
    result = send(stack.api_url, "PATCH", f"/admin/ideas/{number}", body=body, headers=headers)
    assert result.status == 200
    assert json.loads(result.body)["priority"] == "quick win"
    [changed] = stack.wait_for_events(
        lambda e: e.get("detail-type") == "IdeaStatusChanged" and e["detail"]["number"] == number, timeout=10
    )
    assert (changed["detail"]["from_status"], changed["detail"]["to_status"]) == ("new", "accepted")
    listed = send(stack.api_url, "GET", "/admin/ideas", query="status=accepted&sort=priority&limit=100")
    assert number in [idea["number"] for idea in json.loads(listed.body)["items"]]
    assert send(stack.api_url, "GET", "/admin/ideas/not-a-number").status == 400
