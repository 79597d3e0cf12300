"""The admin API refuses bad input with 400, 404 or 409 and never a 5xx (one seeded backlog for the whole module)."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from moto import mock_aws

from infra.local.clients import Clients
from tests.integration.conftest import LambdaContext
from tests.support.events import load_event
from tests.support.ideas import clear_caches, function_environment, use_environment

FIELDS = ["status", "note", "impact", "cost", "title", "release_notes", "shipped_month", "into", "pl", "en"]


@pytest.fixture(scope="module")
def admin() -> Iterator[Any]:
    """Nothing here changes the backlog, so it is seeded once: #1 (2 votes), #2 BLIK, #3 Apple Pay."""
    with mock_aws(), pytest.MonkeyPatch.context() as monkeypatch:
        environments = function_environment(Clients(), "IdeasFunction", "IdeasAdminFunction")
        use_environment(monkeypatch, environments["IdeasFunction"])
        from functions.ideas import app as ideas
        from functions.ideas_admin import app

        with clear_caches(ideas.recorder, app.backlog):
            for sample in ("dark_mode_pl", "dark_mode_pl_vote", "blik_pl", "apple_pay_pl"):
                ideas.lambda_handler(load_event(f"ideas/{sample}.json"), LambdaContext())
            use_environment(monkeypatch, environments["IdeasAdminFunction"])
            yield app


def _call(app: Any, event: dict[str, Any], **changes: Any) -> tuple[int, Any]:
    event = {**copy.deepcopy(event), **changes}
    response = app.lambda_handler(event, LambdaContext(function_name="replyloop-local-ideas-admin"))
    return response["statusCode"], json.loads(response["body"])


def _with_body(sample: str, body: Any) -> dict[str, Any]:
    event = copy.deepcopy(load_event(f"ideas/{sample}.json"))
    event["body"] = body if isinstance(body, str) else json.dumps(body)
    return event


@pytest.mark.parametrize(
    ("event", "status", "message"),
    [
        (_with_body("admin_accept", "{not json"), 400, "not JSON"),
        (_with_body("admin_accept", {"status": "done"}), 400, "status"),
        (_with_body("admin_accept", {"impact": 9}), 400, "impact"),
        (_with_body("admin_accept", {"votes": 100}), 400, "votes"),
        (_with_body("admin_accept", {"note": "just a note"}), 400, "nothing to change"),
        (_with_body("admin_accept", {"status": "shipped"}), 409, "cannot become shipped"),
        (_with_body("admin_accept", []), 400, "body"),
        (_with_body("admin_merge", {"into": 3}), 400, "into itself"),
        (_with_body("admin_merge", {"into": 99}), 404, "no idea #99"),
        (_with_body("admin_merge", {"into": "x"}), 400, "not an idea number"),
        (_with_body("admin_merge", {}), 400, "into"),
    ],
)
def test_bad_input_is_4xx_never_5xx(admin: Any, event: dict[str, Any], status: int, message: str) -> None:
    answer_status, answer = _call(admin, event)
    assert (answer_status, answer["statusCode"]) == (status, status)
    assert message in answer["message"]


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({"limit": "0"}, 400),
        ({"limit": "lots"}, 400),
        ({"status": "done"}, 400),
        ({"sort": "random"}, 400),
        ({"cursor": "garbage"}, 400),
        ({"colour": "red"}, 400),
        ({"status": "new", "sort": "priority", "limit": "1"}, 200),
    ],
)
def test_list_parameters_are_checked(admin: Any, query: dict[str, str], status: int) -> None:
    event = copy.deepcopy(load_event("ideas/admin_list.json"))
    event["queryStringParameters"] = query
    event["rawQueryString"] = "&".join(f"{k}={v}" for k, v in query.items())
    assert _call(admin, event)[0] == status


@pytest.mark.parametrize("path", ["/admin/ideas/abc", "/admin/ideas/0", "/admin/ideas/99"])
def test_unknown_ideas_are_404_or_400(admin: Any, path: str) -> None:
    number = path.rsplit("/", 1)[1]
    status, answer = _call(admin, load_event("ideas/admin_show.json"), rawPath=path, pathParameters={"number": number})
    assert status == (404 if number == "99" else 400)
    assert answer["message"]


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-10, 10**12) | st.text(max_size=12),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.sampled_from(FIELDS), children, max_size=4),
    max_leaves=8,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=JSON, number=st.sampled_from(["99", "0", "x", "1" * 12]))  # never an existing idea: nothing changes
def test_any_patch_body_is_answered_without_a_5xx(admin: Any, body: Any, number: str) -> None:
    event = copy.deepcopy(load_event("ideas/admin_accept.json"))
    event.update(body=json.dumps(body), rawPath=f"/admin/ideas/{number}", pathParameters={"number": number})
    status, answer = _call(admin, event)
    assert status in (400, 404), answer
    assert answer["message"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.dictionaries(st.sampled_from(["status", "sort", "limit", "cursor", "x"]), st.text(max_size=20)))
def test_any_list_query_is_answered_without_a_5xx(admin: Any, query: dict[str, str]) -> None:
    event = copy.deepcopy(load_event("ideas/admin_list.json"))
    event["queryStringParameters"] = query
    assert _call(admin, event)[0] in (200, 400)
