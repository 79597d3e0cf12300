"""The whole month on moto: ideas arrive and merge, the admin API ships them, the schedule fires the summary.

The ideas, admin and summary handlers run with the environment template.yaml gives them, on
resources created from it; the live variant replies through the fake platforms.
"""

from __future__ import annotations

import copy
import json
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from infra.local.clients import Clients
from infra.local.intrinsics import Resolver
from infra.local.resources import create_resources
from infra.local.specs import cfn_string
from infra.local.template import load_template
from replyloop.data import PACKAGED_DATA, clear_cache
from replyloop.models.classification import LABELS, Classification
from replyloop.models.events import Author, CommentClassified, CommentReceived, Platform
from tests.integration.conftest import DEMO_SECRETS, Bus, LambdaContext, capture
from tests.support.events import EVENTS_DIR, load_event
from tests.support.fake_platforms import FakePlatforms
from tests.support.ideas import clear_caches

TEMPLATE = Path(__file__).resolve().parents[2] / "template.yaml"
RESOURCES = ["IdeasTable", "EventBus", "SummaryBucket", "PlatformSecret", "SummaryDeadLetterQueue"]
FUNCTIONS = ("IdeasFunction", "IdeasAdminFunction", "SummaryFunction")
MONTH = "2026-11"
PREFIX = f"summaries/{MONTH}"

# (platform, comment id, thread, author id, handle, language, created_at UTC, text)
COMMENTS: list[tuple[Platform, str, str, str, str | None, str, str, str]] = [
    (
        "telegram",
        "-1002001:101",
        "-1002001",
        "5550121",
        "ola_k",
        "pl",
        "2026-11-03T18:00:00",
        "Dodajcie wreszcie tryb ciemny w aplikacji, wieczorem oczy bolą",
    ),
    (
        "facebook",
        "1001_2002_501",
        "1001_2002",
        "5101",
        "Ola Nowak",
        "pl",
        "2026-11-04T10:00:00",
        "Przydałby się ciemny motyw w apce!",
    ),
    (
        "instagram",
        "17900000000000777",
        "17800000000000001",
        "1784",
        "bartek.design",
        "pl",
        "2026-11-05T10:00:00",
        "Tryb ciemny proszę, dalej czekam!",
    ),
    (
        "x",
        "1990000000000000501",
        "1990000000000000001",
        "901",
        "jan_dev",
        "en",
        "2026-11-06T10:00:00",
        "Could you please add a dark theme to the app?",
    ),
    # 00:30 on 1 November in Warsaw: a November idea although it is still October in UTC.
    (
        "telegram",
        "-1002001:102",
        "-1002001",
        "5550122",
        None,
        "pl",
        "2026-10-31T23:30:00",
        "A może dodalibyście płatność BLIKIEM przy doładowaniach?",
    ),
    # 00:30 on 1 December in Warsaw: not a November idea.
    (
        "telegram",
        "-1002001:103",
        "-1002001",
        "5550123",
        None,
        "pl",
        "2026-11-30T23:30:00",
        "Dodajcie eksport historii do pliku CSV",
    ),
]


@dataclass
class Month:
    aws: Clients
    apps: dict[str, Any]
    environments: dict[str, dict[str, str]]
    bus: Bus
    monkeypatch: pytest.MonkeyPatch

    def use(self, function: str) -> Any:
        for name, value in self.environments[function].items():
            self.monkeypatch.setenv(name, value)
        return self.apps[function]

    def comment(self, n: int) -> dict[str, Any]:
        platform, comment_id, thread, author, handle, lang, created, text = COMMENTS[n]
        at = datetime.fromisoformat(created + "+00:00")
        comment = CommentReceived(
            platform=platform,
            comment_id=comment_id,
            thread_id=thread,
            author=Author(id=author, handle=handle),
            text=text,
            created_at=at,
            received_at=at,
        )
        classification = Classification(
            label="idea",
            scores={label: 0.9 if label == "idea" else 0.01 for label in LABELS},
            confidence=0.9,
            lang=lang,
            reasons=["test"],
            needs_response=False,
            priority="normal",
            team="product",
        )
        detail = CommentClassified(comment=comment, classification=classification).model_dump(mode="json")
        event = _envelope("replyloop.classify", "CommentClassified", detail)
        return self.use("IdeasFunction").lambda_handler(event, LambdaContext(function_name="ideas"))

    def admin(self, number: int, change: dict[str, Any]) -> dict[str, Any]:
        event = copy.deepcopy(load_event("ideas/admin_accept.json"))
        event["rawPath"] = event["requestContext"]["http"]["path"] = f"/admin/ideas/{number}"
        event["pathParameters"] = {"number": str(number)}
        event["body"] = json.dumps(change)
        response = self.use("IdeasAdminFunction").lambda_handler(event, LambdaContext(function_name="ideas-admin"))
        assert response["statusCode"] == 200, response["body"]
        return json.loads(response["body"])

    def summary(self, sample: str) -> dict[str, Any]:
        return self.use("SummaryFunction").lambda_handler(load_event(f"summary/{sample}.json"), LambdaContext())

    def object(self, key: str) -> str:
        bucket = self.environments["SummaryFunction"]["SUMMARY_BUCKET"]
        return self.aws.s3.get_object(Bucket=bucket, Key=key)["Body"].read().decode()

    def keys(self) -> list[str]:
        bucket = self.environments["SummaryFunction"]["SUMMARY_BUCKET"]
        return sorted(o["Key"] for o in self.aws.s3.list_objects_v2(Bucket=bucket).get("Contents", []))

    def published(self) -> list[dict[str, Any]]:
        return [e["detail"] for e in self.bus.drain() if e["detail-type"] == "MonthlySummaryPublished"]


def test_every_summary_sample_is_used() -> None:
    used = {"schedule", "schedule_summer", "rerun", "daily_check"}
    assert {path.stem for path in (EVENTS_DIR / "summary").glob("*.json")} == used


def _envelope(source: str, detail_type: str, detail: dict[str, Any]) -> dict[str, Any]:
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": detail_type,
        "source": source,
        "account": "123456789012",
        "time": "2026-11-03T18:00:05Z",
        "region": "eu-central-1",
        "resources": [],
        "detail": detail,
    }


@pytest.fixture
def month(aws: Clients, monkeypatch: pytest.MonkeyPatch) -> Iterator[Month]:
    template = load_template(TEMPLATE)
    physical = create_resources(
        template, aws, only=RESOURCES, secret_strings={"PlatformSecret": json.dumps(DEMO_SECRETS)}
    )
    resolver = Resolver(template, physical)
    environments = {}
    for function in FUNCTIONS:
        variables = resolver.resolve(template.resources[function].properties["Environment"]["Variables"])
        environments[function] = {name: cfn_string(value) for name, value in variables.items()}
    for name, value in environments["SummaryFunction"].items():
        monkeypatch.setenv(name, value)
    from functions.ideas import app as ideas
    from functions.ideas_admin import app as admin
    from functions.summary import app as summary

    # The schedule's own time: 09:00 on 1 December in Warsaw, whatever the machine's clock says.
    monkeypatch.setattr(summary, "clock", lambda: datetime(2026, 12, 1, 8, 0, 5, tzinfo=UTC))
    bus = capture(aws, os.environ["EVENT_BUS_NAME"], "replyloop.summary", "capture-summary")
    apps = {"IdeasFunction": ideas, "IdeasAdminFunction": admin, "SummaryFunction": summary}
    with clear_caches(ideas.recorder, admin.backlog, summary.summary):
        yield Month(aws, apps, environments, bus, monkeypatch)


def _work_the_month(month: Month) -> None:
    answers = [month.comment(n) for n in range(len(COMMENTS))]
    assert [(a["number"], a["outcome"]) for a in answers] == [
        (1, "new"),
        (1, "vote"),  # "ciemny motyw" joins "tryb ciemny": one idea, two votes
        (1, "vote"),
        (2, "new"),  # the English request is its own idea
        (3, "new"),
        (4, "new"),
    ]
    notes = {"pl": "Tryb ciemny jest już w aplikacji: Ustawienia → Wygląd.", "en": "Dark mode is here."}
    for number, language_notes in (
        (1, notes),
        (2, {"en": "Dark theme: Settings → Appearance.", "pl": "Ciemny motyw."}),
    ):
        for status in ("accepted", "planned"):
            month.admin(number, {"status": status})
        shipped = month.admin(number, {"status": "shipped", "release_notes": language_notes, "shipped_month": MONTH})
        assert (shipped["status"], shipped["shipped_month"]) == ("shipped", MONTH)
    month.admin(3, {"status": "accepted", "impact": 5, "cost": 1})
    month.admin(3, {"status": "planned"})


def test_the_whole_month_in_dry_run(month: Month, capsys: pytest.CaptureFixture[str]) -> None:
    _work_the_month(month)
    answer = month.summary("schedule")  # what the schedule delivers at 09:00 on 1 December
    assert (answer["month"], answer["status"], answer["mode"]) == (MONTH, "published", "dry-run")
    # Received in November in Warsaw: #1, #2 and #3 (00:30 on 1 November); #4 came on 1 December.
    assert (answer["shipped"], answer["received"], answer["planned"]) == (2, 3, 1)
    assert month.keys() == sorted(
        [f"{PREFIX}/{name}" for name in ("pl.md", "pl.html", "en.md", "en.html", "checklist.json", "manifest.json")]
    )
    polish, english = month.object(f"{PREFIX}/pl.md"), month.object(f"{PREFIX}/en.html")
    assert "Dziękujemy: @ola\\_k, @bartek.design i jeszcze jednej osobie!" in polish  # the Facebook name is counted
    assert "Tryb ciemny jest już w aplikacji" in polish
    assert "BLIK" in polish  # planned next
    assert "Dark theme: Settings → Appearance." in english
    assert "Thank you, @jan_dev!" in english
    assert "5550121" not in polish + english
    assert "Ola Nowak" not in polish + english
    assert json.loads(month.object(f"{PREFIX}/checklist.json"))["passed"] is True
    manifest = json.loads(month.object(f"{PREFIX}/manifest.json"))
    assert [(t["platform"], t["comment_id"], t["lang"], t["outcome"]) for t in manifest["thanks"]] == [
        ("telegram", "-1002001:101", "pl", "dry-run"),
        ("facebook", "1001_2002_501", "pl", "dry-run"),
        ("instagram", "17900000000000777", "pl", "dry-run"),
        ("x", "1990000000000000501", "en", "dry-run"),
    ]
    assert manifest["thanks"][0]["text"].startswith("Twój pomysł „")
    assert manifest["thanks"][3]["text"].startswith('Your idea "')
    [event] = month.published()
    assert (event["month"], event["shipped"], event["received"], event["authors_notified"]) == (MONTH, 2, 3, 4)
    assert event["keys"] == answer["keys"]
    assert '"MonthlySummaryPublished":[1.0]' in capsys.readouterr().out

    # Running twice (the schedule again, or a re-run for the month) publishes nothing new.
    for sample in ("schedule", "rerun"):
        assert month.summary(sample)["status"] == "already-published"
    assert month.published() == []
    assert json.loads(month.object(f"{PREFIX}/manifest.json"))["generated_at"] == manifest["generated_at"]


def test_the_daily_check_and_a_refused_month(month: Month, capsys: pytest.CaptureFixture[str]) -> None:
    assert month.summary("daily_check") == {"month": MONTH, "out": True}  # the first check: November not due
    assert month.summary("schedule_summer")["month"] == "2026-06"  # 09:00 CEST on 1 July covers June
    refused = month.use("SummaryFunction").lambda_handler({"month": "2999-01"}, LambdaContext())
    assert refused["status"] == "refused"
    assert "not over yet" in refused["reason"]
    assert '"MonthlySummaryPublished":[1.0]' in capsys.readouterr().out


@pytest.fixture
def fake(month: Month) -> Iterator[FakePlatforms]:
    with FakePlatforms() as server:
        for name, value in {
            "SUMMARY_MODE": "live",
            "GRAPH_API_BASE_URL": server.graph_url,
            "TELEGRAM_API_BASE_URL": server.telegram_url,
            "X_API_BASE_URL": server.x_url,
            "PLATFORM_BACKOFF_SECONDS": "0",
            "PLATFORM_TIMEOUT_SECONDS": "2",
        }.items():
            month.environments["SummaryFunction"][name] = value
        yield server


def test_live_posts_and_replies_in_each_authors_thread_once(month: Month, fake: FakePlatforms) -> None:
    _work_the_month(month)
    assert month.summary("schedule")["status"] == "published"
    calls = [(r.family, r.path.split("/bot")[-1].split("/", 1)[-1], r) for r in fake.requests]
    channel, replies = calls[:3], calls[3:]
    assert [(family, path) for family, path, _ in channel] == [
        ("graph", "1001/feed"),
        ("telegram", "sendMessage"),
        ("x", "2/tweets"),
    ]
    assert channel[1][2].body["chat_id"] == -1002002
    assert "reply_parameters" not in channel[1][2].body
    assert "reply" not in channel[2][2].body
    telegram, facebook, instagram, x = (request for _, _, request in replies)
    assert (telegram.body["chat_id"], telegram.body["reply_parameters"]) == (-1002001, {"message_id": 101})
    assert telegram.body["text"].startswith("Twój pomysł „")
    assert (facebook.path, facebook.body["message"][:12]) == ("/1001_2002_501/comments", "Twój pomysł ")
    assert (instagram.path, instagram.query["message"][:12]) == ("/17900000000000777/replies", "Twój pomysł ")
    assert x.body["reply"] == {"in_reply_to_tweet_id": "1990000000000000501"}
    assert x.body["text"].startswith('Your idea "Could you please add a dark theme')
    assert "utm_source=x" in x.body["text"]
    [event] = month.published()
    assert (event["mode"], [c["outcome"] for c in event["channels"]]) == ("live", ["done", "done", "done"])
    assert month.summary("schedule")["status"] == "already-published"
    assert len(fake.requests) == 7


@pytest.fixture
def no_channels(month: Month, tmp_path: Path) -> Iterator[None]:
    """A deployment whose policy posts on no channel: only the authors are told."""
    policy = json.loads((PACKAGED_DATA / "summary" / "policy.json").read_text(encoding="utf-8"))
    (tmp_path / "summary").mkdir()
    (tmp_path / "summary" / "policy.json").write_text(json.dumps({**policy, "channels": []}), encoding="utf-8")
    month.environments["SummaryFunction"]["REPLYLOOP_DATA_DIR"] = str(tmp_path)
    clear_cache()
    yield
    clear_cache()


def test_a_retry_after_a_failed_reply_tells_only_that_author(
    month: Month, fake: FakePlatforms, no_channels: None, capsys: pytest.CaptureFixture[str]
) -> None:
    _work_the_month(month)
    fake.fail("telegram", 500, times=3)  # the first author's reply fails after three attempts
    with pytest.raises(Exception, match=r"1 step\(s\) to retry: thanks#telegram#-1002001:101"):
        month.summary("schedule")
    assert '"SummaryFailures":[1.0]' in capsys.readouterr().out
    assert [r.family for r in fake.requests] == ["telegram"] * 3 + ["graph", "graph", "x"]
    [event] = month.published()  # the post is out; one author is still to be told
    assert (event["authors_notified"], event["authors_pending"]) == (3, 1)
    answer = month.summary("rerun")
    assert (answer["status"], answer["authors_notified"]) == ("published", 4)
    assert [r.family for r in fake.requests[6:]] == ["telegram"]
    assert month.published() == []
