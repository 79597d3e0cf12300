"""The ideas function and the admin API handlers on moto, with the environment template.yaml gives them."""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Iterator
from typing import Any

import pytest

from infra.local.clients import Clients
from tests.integration.conftest import Bus, LambdaContext, capture
from tests.support.events import EVENTS_DIR, load_event
from tests.support.ideas import clear_caches, function_environment, use_environment
from tests.support.observability import logged_by_us

IAM_USER = "arn:aws:sts::123456789012:assumed-role/ProductTeam/anna.kowalska"


@pytest.fixture
def environments(aws: Clients) -> dict[str, dict[str, str]]:
    return function_environment(aws, "IdeasFunction", "IdeasAdminFunction")


@pytest.fixture
def ideas(environments: dict[str, dict[str, str]], monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    use_environment(monkeypatch, environments["IdeasFunction"])
    from functions.ideas import app

    with clear_caches(app.recorder):
        yield app


@pytest.fixture
def admin(environments: dict[str, dict[str, str]], ideas: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    # Both handlers run in one process here; their settings differ only in the service name.
    use_environment(monkeypatch, environments["IdeasAdminFunction"])
    from functions.ideas_admin import app

    with clear_caches(app.backlog):
        yield app


@pytest.fixture
def bus(aws: Clients, ideas: Any) -> Bus:
    return capture(aws, os.environ["EVENT_BUS_NAME"], "replyloop.ideas", "capture-ideas")


def _record(app: Any, sample: str) -> dict[str, Any]:
    return app.lambda_handler(load_event(f"ideas/{sample}.json"), LambdaContext(function_name="replyloop-local-ideas"))


def _call(app: Any, sample: str | dict[str, Any], **changes: Any) -> tuple[int, Any]:
    event = copy.deepcopy(load_event(f"ideas/{sample}.json") if isinstance(sample, str) else sample)
    event.update(changes)
    response = app.lambda_handler(event, LambdaContext(function_name="replyloop-local-ideas-admin"))
    return response["statusCode"], json.loads(response["body"])


def test_every_ideas_sample_is_used() -> None:
    used = {"dark_mode_pl", "dark_mode_pl_vote", "dark_mode_pl_repeat", "blik_pl", "apple_pay_pl", "dark_theme_en"}
    used |= {"admin_list", "admin_show", "admin_accept", "admin_merge"}
    assert {path.stem for path in (EVENTS_DIR / "ideas").glob("*.json")} == used


# ---------------------------------------------------------------------------- the ideas function


def test_idea_comments_become_ideas_and_votes_on_the_bus(ideas: Any, bus: Bus) -> None:
    answers = [_record(ideas, s) for s in ("dark_mode_pl", "dark_mode_pl_vote", "blik_pl", "apple_pay_pl")]
    assert [(a["outcome"], a["number"], a["votes"]) for a in answers] == [
        ("new", 1, 1),
        ("vote", 1, 2),
        ("new", 2, 1),
        ("new", 3, 1),
    ]
    events = bus.drain()
    assert [(e["source"], e["detail-type"]) for e in events] == [("replyloop.ideas", "IdeaRecorded")] * 4
    vote = events[1]["detail"]
    # What react needs to thank the author in the thread, with the number.
    assert (vote["comment"]["platform"], vote["comment"]["comment_id"], vote["comment"]["author"]["id"]) == (
        "instagram",
        "17900000000000501",
        "17841400000000501",
    )
    assert (vote["number"], vote["outcome"], vote["lang"], vote["duplicate_of"]["number"]) == (1, "vote", "pl", 1)


def test_a_redelivery_and_a_second_comment_by_the_same_author_add_no_vote(
    ideas: Any, bus: Bus, capsys: pytest.CaptureFixture[str]
) -> None:
    _record(ideas, "dark_mode_pl")
    again = _record(ideas, "dark_mode_pl")
    assert (again["redelivery"], again["votes"]) == (True, 1)
    repeat = _record(ideas, "dark_mode_pl_repeat")
    # "Przypominam o trybie ciemnym" by the same author: attached only if it is matched as the same idea.
    assert repeat["votes"] == 1
    assert repeat["outcome"] in ("repeat", "new")
    out = capsys.readouterr().out
    assert '"DuplicatesIgnored":[1.0]' in out
    assert "IdeasRecorded" in out


def test_logs_carry_ids_not_comment_text(ideas: Any, bus: Bus, caplog: pytest.LogCaptureFixture) -> None:
    _record(ideas, "dark_theme_en")
    comment = load_event("ideas/dark_theme_en.json")["detail"]["comment"]
    [record] = [r for r in caplog.records if r.getMessage() == "Idea recorded"]
    assert (record.__dict__["comment_id"], record.__dict__["number"]) == ("web-8b1c02", 1)
    logged = logged_by_us(caplog.records)
    assert comment["text"] not in logged
    assert comment["author"]["handle"] not in logged


def test_a_shipped_idea_is_counted(ideas: Any, capsys: pytest.CaptureFixture[str]) -> None:
    answer = ideas.lambda_handler(load_event("bus/IdeaStatusChanged.json"), LambdaContext())
    assert answer == {"shipped": 12}
    assert '"IdeasShipped":[1.0]' in capsys.readouterr().out


# ---------------------------------------------------------------------------- the admin API


@pytest.fixture
def seeded(admin: Any, ideas: Any, bus: Bus) -> Any:
    for sample in ("dark_mode_pl", "dark_mode_pl_vote", "blik_pl", "apple_pay_pl"):
        _record(ideas, sample)
    bus.drain()
    return admin


def test_list_show_change_and_merge_through_the_samples(seeded: Any, bus: Bus) -> None:
    status, page = _call(seeded, "admin_list")
    assert status == 200
    assert [i["votes"] for i in page["items"]] == [2, 1]
    assert page["items"][0]["number"] == 1
    assert page["cursor"]
    status, shown = _call(seeded, "admin_show")
    assert (status, shown["number"], len(shown["comments"]), len(shown["voters"])) == (200, 1, 2, 2)
    assert {c["platform"] for c in shown["comments"]} == {"facebook", "instagram"}
    status, accepted = _call(seeded, "admin_accept")
    assert (status, accepted["status"], accepted["priority"]) == (200, "accepted", "quick win")
    [changed] = [e["detail"] for e in bus.drain() if e["detail-type"] == "IdeaStatusChanged"]
    assert (changed["from_status"], changed["to_status"], changed["who"]) == ("new", "accepted", IAM_USER)
    assert changed["note"] == "Design team has capacity in February"
    status, merged = _call(seeded, "admin_merge")
    assert (status, merged["merged"], merged["into"]["number"]) == (200, 3, 1)
    assert merged["into"]["votes"] == 3
    status, redirected = _call(seeded, "admin_show", rawPath="/admin/ideas/3", pathParameters={"number": "3"})
    assert (status, redirected["number"], redirected["redirected_from"]) == (200, 1, 3)


def test_the_caller_is_who_iam_says(seeded: Any) -> None:
    _call(seeded, "admin_accept")
    status, shown = _call(seeded, "admin_show")
    assert status == 200
    assert shown["history"][-1]["who"] == IAM_USER


def _with_body(sample: str, body: Any) -> dict[str, Any]:
    event = copy.deepcopy(load_event(f"ideas/{sample}.json"))
    event["body"] = json.dumps(body)
    return event


def test_a_merged_idea_cannot_be_changed(seeded: Any) -> None:
    _call(seeded, "admin_merge")
    event = _with_body("admin_accept", {"status": "declined"})
    event.update(rawPath="/admin/ideas/3", pathParameters={"number": "3"})
    status, answer = _call(seeded, event)
    assert (status, answer["message"]) == (409, "#3 was merged into #1; change #1 instead")
