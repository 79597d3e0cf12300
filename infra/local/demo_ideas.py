"""The demo's ideas act: idea comments become ideas and votes, then the product team works the backlog over HTTP.

Ten Telegram comments go in as signed webhooks (the classifier labels them; without one in the
template this act puts their CommentClassified on the bus itself). Near-duplicates join an idea
as one vote per author, a different request ("Apple Pay" next to "BLIK") stays apart, and a
redelivered CommentClassified votes nobody twice. Then, through the admin API of the local
gateway (SigV4-signed as on AWS, although the local gateway checks no signature), two ideas are
merged without double votes and statuses move to shipped; react thanks each author with the number.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any
from urllib.parse import urlsplit

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from infra.local.report import DemoRun, Row, section
from infra.local.samples import HttpResult, send
from infra.local.stack import LocalStack
from infra.local.telegram import post_telegram, telegram_comment

__all__ = ["IDEAS_KEYS", "IdeasAct"]

CHAT_ID = -1002001
# text, author (the n of a demo Telegram user), language; the last two form a second idea that gets merged.
COMMENTS = [
    ("Dodajcie wreszcie tryb ciemny w aplikacji, wieczorem oczy bolą 🙏", 1, "pl"),
    ("Przydałby się ciemny motyw w apce!", 2, "pl"),
    ("Tryb ciemny proszę, dalej czekam!", 1, "pl"),
    ("A może dodalibyście płatność BLIKIEM przy doładowaniach?", 3, "pl"),
    ("Dodajcie płatność Apple Pay w sklepie, proszę", 4, "pl"),
    ("Fajnie by było płacić blikiem w sklepie", 2, "pl"),
    ("Could you please add a dark theme to the app?", 5, "en"),
    ("Dark mode please, my eyes would thank you", 6, "en"),
    ("Wieczorem ekran mocno razi, przydałyby się ciemniejsze kolory", 4, "pl"),
    ("Przydałyby się ciemniejsze kolory wieczorem", 2, "pl"),
]
USER_OFFSET = 20  # demo users 5550121.. (the SLA act uses 5550100..)
IDEAS_KEYS = ("ideas", "idea_votes", "ideas_shipped")
Event = dict[str, Any]


@dataclass
class IdeasAct:
    stack: LocalStack
    secrets: dict[str, Any]
    out: IO[str]
    rows: list[Row] = field(default_factory=list)
    base: int = field(default_factory=lambda: 20000 + uuid.uuid4().int % 900 * 10)
    recorded: dict[str, Event] = field(default_factory=dict)

    def say(self, text: str) -> None:
        print(f"  {text}", file=self.out, flush=True)

    def problem(self, text: str) -> None:
        self.rows[-1].problems.append(f"ideas act: {text}")

    def comment_id(self, n: int) -> str:
        return f"{CHAT_ID}:{self.base + n}"

    def run(self) -> None:
        print("\nIdeas: near-duplicates join as one vote per author; the product team works the backlog", file=self.out)
        for n, (text, author, _lang) in enumerate(COMMENTS):
            self.post(n, telegram_comment(self.base + n, text, USER_OFFSET + author))
            event = self.wait_recorded(n)
            if event is None:
                continue
            detail = event["detail"]
            why = f"  ({detail['duplicate_of']['reason']})" if detail.get("duplicate_of") else ""
            self.say(f"#{detail['number']:<3} {detail['outcome']:<6} votes {detail['votes']}  “{text}”{why}")
        self.redeliver(1)
        self.backlog()
        self.stack.wait_until_idle(timeout=30)
        self.thanks()

    def post(self, n: int, body: bytes) -> None:
        row = post_telegram(self.stack, self.secrets, f"idea_{n}", body)
        self.rows.append(row)
        if "ClassifyFunction" not in self.stack.functions and row.bus_events:
            self.classify(n, row.bus_events[0]["detail"])

    def classify(self, n: int, comment: dict[str, Any]) -> None:
        """Stand in for the classifier when the template has none: an idea, in the comment's language."""
        classification = {
            "label": "idea",
            "scores": {"idea": 0.9},
            "confidence": 0.9,
            "lang": COMMENTS[n][2],
            "reasons": ["demo:stand-in"],
            "needs_response": False,
            "priority": "normal",
            "team": "product",
            "second_opinion": None,
        }
        self.put_classified({"comment": comment, "classification": classification})

    def put_classified(self, detail: dict[str, Any]) -> None:
        entry = {
            "Source": "replyloop.classify",
            "DetailType": "CommentClassified",
            "Detail": json.dumps(detail),
            "EventBusName": self.stack.physical.ref("EventBus"),
        }
        self.stack.clients.events.put_events(Entries=[entry])

    def wait_recorded(self, n: int, *, after: int = 0) -> Event | None:
        wanted = self.comment_id(n)
        found = self.wait(lambda e: e["detail-type"] == "IdeaRecorded" and _comment(e) == wanted, after + 1)
        if len(found) <= after:
            label = next((e["detail"]["classification"]["label"] for e in self.classified(wanted)), "no label")
            self.problem(f"{wanted} was not recorded as an idea (classified: {label})")
            return None
        self.recorded[wanted] = found[after]
        return found[after]

    def classified(self, comment_id: str) -> list[Event]:
        return [
            e for e in self.stack.bus_events() if e["detail-type"] == "CommentClassified" and _comment(e) == comment_id
        ]

    def redeliver(self, n: int) -> None:
        """EventBridge delivers at least once: the same CommentClassified again must not vote again."""
        [first, *_] = self.classified(self.comment_id(n)) or [None]
        if first is None or self.comment_id(n) not in self.recorded:
            return
        self.put_classified(first["detail"])
        again = self.wait_recorded(n, after=1)
        before = self.recorded[self.comment_id(n)]["detail"]
        if again is not None:
            same = again["detail"]["votes"] == before["votes"] and again["detail"]["outcome"] == before["outcome"]
            self.say(
                f"redelivered CommentClassified of “{COMMENTS[n][0]}”: replayed as {again['detail']['outcome']}, "
                f"#{again['detail']['number']} still {again['detail']['votes']} votes"
            )
            if not same:
                self.problem("a redelivered comment changed the votes")

    def backlog(self) -> None:
        numbers = {n: e["detail"]["number"] for n, _c in enumerate(COMMENTS) if (e := self._recorded(n))}
        if len(numbers) < len(COMMENTS):
            return
        dark, blik, apple, colours = numbers[0], numbers[3], numbers[4], numbers[8]
        print("\n  the product team, over the admin API (SigV4; the local gateway does not check it):", file=self.out)
        merged = self.admin("POST", f"/admin/ideas/{colours}/merge", {"into": dark})
        if merged is not None:
            self.say(
                f"merge #{colours} into #{dark}: {merged['moved_votes']} vote moved, {merged['shared_voters']} author "
                f"had voted for both (counted once) -> #{dark} has {merged['into']['votes']} votes"
            )
            if merged["into"]["votes"] != len({COMMENTS[n][1] for n in (0, 1, 2, 8, 9)}):
                self.problem("the merge counted an author twice")
        changes = [
            (dark, {"status": "accepted", "impact": 4, "cost": 2, "note": "Design system has dark tokens"}),
            (blik, {"status": "accepted", "impact": 5, "cost": 1, "note": "BLIK via our payment provider"}),
            (apple, {"status": "declined", "note": "Apple Pay needs a card issuer first"}),
            (dark, {"status": "planned"}),
            (dark, {"status": "shipped", "release_notes": _NOTES}),
        ]
        for number, change in changes:
            idea = self.admin("PATCH", f"/admin/ideas/{number}", change)
            if idea is not None:
                self.say(
                    f"#{number} -> {idea['status']:<9} priority {idea['priority'] or '-'}  {change.get('note', '')}"
                )
        page = self.admin("GET", "/admin/ideas", query="sort=priority&limit=10")
        for idea in (page or {}).get("items", []):
            self.say(
                f"    #{idea['number']:<3} {idea['status']:<9} {idea['votes']} votes  {idea['priority'] or '-':<13} "
                f"{idea['title']}"
            )
        shown = self.admin("GET", f"/admin/ideas/{colours}")
        if shown is not None and shown.get("redirected_from") != colours:
            self.problem(f"#{colours} does not redirect to #{dark}")

    def _recorded(self, n: int) -> Event | None:
        return self.recorded.get(self.comment_id(n))

    def admin(self, method: str, path: str, body: Any = None, query: str = "") -> Any:
        data = json.dumps(body).encode() if body is not None else b""
        headers = self.sigv4(method, path, query, data)
        result: HttpResult = send(self.stack.api_url, method, path, body=data, headers=headers, query=query)
        if result.status != 200:
            self.problem(f"{method} {path}: HTTP {result.status} {result.body[:200]!r}")
            return None
        return json.loads(result.body)

    def sigv4(self, method: str, path: str, query: str, data: bytes) -> dict[str, str]:
        """What an IAM-authorised caller sends (service execute-api); the local gateway passes it on unchecked."""
        url = f"{self.stack.api_url}{path}" + (f"?{query}" if query else "")
        request = AWSRequest(method=method, url=url, data=data, headers={"Content-Type": "application/json"})
        request.headers["Host"] = urlsplit(self.stack.api_url).netloc
        SigV4Auth(Credentials("demo", "demo"), "execute-api", self.stack.template.region).add_auth(request)
        return dict(request.headers.items())

    def thanks(self) -> None:
        print("\n  thanks on each thread (react, dry-run), with the idea's number:", file=self.out)
        ids = {self.comment_id(n) for n in range(len(COMMENTS))}
        reactions = [e["detail"] for e in self.stack.bus_events() if e["detail-type"] == "ReactionPerformed"]
        for reaction in (r for r in reactions if r["comment_id"] in ids):
            said = reaction["reply_text"] if reaction["action"] != "none" else f"({reaction['reason']})"
            self.say(f"{reaction['comment_id']}: {said}")

    def wait(self, match: Callable[[Event], bool], count: int, timeout: float = 15) -> list[Event]:
        deadline = time.monotonic() + timeout
        while True:
            found = [event for event in self.stack.bus_events() if match(event)]
            if len(found) >= count or time.monotonic() > deadline:
                return found
            time.sleep(0.1)


_NOTES = {
    "pl": "Tryb ciemny jest już w aplikacji: Ustawienia → Wygląd.",
    "en": "Dark mode is here: Settings → Appearance.",
}


def _comment(event: Event) -> str:
    detail = event.get("detail") or {}
    comment = detail.get("comment") or detail
    return str(comment.get("comment_id", ""))


def _backlog(run: DemoRun) -> list[Any]:
    from replyloop.adapters.ideas_repository import DynamoIdeasStore

    store = DynamoIdeasStore(run.stack.physical.ref("IdeasTable"), client=run.stack.clients.dynamodb)
    return list(store.ideas())


@section("ideas")
def _ideas(run: DemoRun) -> int:
    """Ideas in the backlog (merged ones are counted in the idea they went into)."""
    return len(_backlog(run))


@section("idea_votes")
def _idea_votes(run: DemoRun) -> int:
    """Distinct authors' votes over all ideas."""
    return sum(idea.votes for idea in _backlog(run))


@section("ideas_shipped")
def _ideas_shipped(run: DemoRun) -> int:
    return sum(idea.status == "shipped" for idea in _backlog(run))
