"""The demo's SLA act on a compressed clock: comments open cases, one is answered, the others warn and escalate.

The stack runs with `DataOverrideDir` = infra/local/demo-data, whose SLA policy counts in seconds
around the clock. Three Telegram comments go in as signed webhooks; the classifier labels them
(when the template has one; otherwise this act puts their CommentClassified on the bus itself);
then a signed brand reply answers the first case, and the act watches the bus until the others
have reached their last tier.
"""

from __future__ import annotations

import json
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO, Any

from infra.local.report import DemoRun, Row, section
from infra.local.stack import REPO_ROOT, LocalStack
from infra.local.telegram import CHAT, post_telegram, telegram_brand_reply, telegram_comment

__all__ = ["DEMO_DATA", "SLA_KEYS", "SlaAct", "parameters"]

DEMO_DATA = REPO_ROOT / "infra" / "local" / "demo-data"
# Used as they are only when the template has no classifier: what it would say about each comment.
COMMENTS = [
    ("Ile trwa wypłata na konto bankowe? Zleciłam ją wczoraj wieczorem.", "question", "support", "normal"),
    (
        "Od dwóch dni nie działa mi logowanie do aplikacji, to skandal. Proszę o pilną pomoc!",
        "complaint",
        "support",
        "high",
    ),
    (
        "Przegrałem dziś całą wypłatę i nie umiem przestać grać. Nie wiem już, co robić.",
        "sensitive",
        "compliance",
        "urgent",
    ),
]
Event = dict[str, Any]
SLA_KEYS = ("cases_opened", "warnings", "escalations", "answered", "answered_within_sla", "closed_without_escalation")


def parameters() -> dict[str, str]:
    """Template parameters of the demo stack: the compressed-clock policy."""
    return {"DataOverrideDir": str(DEMO_DATA)}


def _ids(event: Event) -> str:
    return str((event.get("detail") or {}).get("comment_id", ""))


@dataclass
class SlaAct:
    stack: LocalStack
    secrets: dict[str, Any]
    out: IO[str]
    rows: list[Row] = field(default_factory=list)
    base: int = field(default_factory=lambda: 9000 + uuid.uuid4().int % 900 * 10)
    started: float = field(default_factory=time.monotonic)
    shown: set[str] = field(default_factory=set)
    ids: dict[str, int] = field(default_factory=dict)

    def say(self, text: str) -> None:
        print(f"  +{time.monotonic() - self.started:5.1f} s  {text}", file=self.out, flush=True)

    def post(self, case: str, body: bytes) -> None:
        self.rows.append(post_telegram(self.stack, self.secrets, case, body))

    def problem(self, text: str) -> None:
        self.rows[-1].problems.append(text)

    def run(self) -> None:
        print("\nSLA on a compressed clock (demo policy: targets in SECONDS, open around the clock)", file=self.out)
        earlier = [e for e in self.stack.bus_events() if e["source"] == "replyloop.sla"]
        if earlier:
            counts = Counter(e["detail-type"] for e in earlier)
            self.say(
                "while the samples were replayed: " + ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items()))
            )
        ids = self.ids = {f"{CHAT['id']}:{self.base + n}": n for n in range(len(COMMENTS))}
        for n, (text, label, *_rest) in enumerate(COMMENTS):
            self.post(f"sla_{label}", telegram_comment(self.base + n, text, n))
        received = self.wait(lambda e: e["detail-type"] == "CommentReceived" and _ids(e) in ids, len(ids))
        if "ClassifyFunction" not in self.stack.functions:
            self.say("no ClassifyFunction in the template: this act puts the CommentClassified events itself")
            self.classify(received)
        opened = self.wait(lambda e: e["detail-type"] == "CaseOpened" and _ids(e) in ids, len(ids), timeout=15)
        if not opened:
            self.problem("SLA act: no case opened for the demo comments")
            return
        first = opened[0]["detail"]
        self.say(f"brand reply to {first['case_key']}")
        answered = int(first["comment_id"].rsplit(":", 1)[1])
        self.post("sla_brand_reply", telegram_brand_reply(self.base + 50, answered, "Dzień dobry! Już sprawdzamy."))
        if not self.wait(lambda e: e["detail-type"] == "CaseAnswered" and _ids(e) == first["comment_id"], 1, 15):
            self.problem(f"SLA act: the brand reply did not answer {first['case_key']}")
        open_cases = [e["detail"] for e in opened[1:]]
        last = max((tier["at"] for case in open_cases for tier in case["deadlines"]), default=None)
        if last is not None:
            wait = (datetime.fromisoformat(last) - datetime.now(UTC)).total_seconds() + 8
            escalated = self.wait(
                lambda e: e["detail-type"] == "CaseEscalated" and e["detail"]["tier"] == "lead" and _ids(e) in ids,
                len(open_cases),
                timeout=max(wait, 1),
            )
            if len(escalated) < len(open_cases):
                self.problem(f"SLA act: {len(open_cases) - len(escalated)} unanswered case(s) never reached the lead")

    def classify(self, received: list[Event]) -> None:
        """Stand in for the classifier: what it would put on the bus for these comments."""
        entries = []
        for event in received:
            n = int(_ids(event).rsplit(":", 1)[1]) - self.base
            _text, label, team, priority = COMMENTS[n]
            classification = {
                "label": label,
                "scores": {label: 0.9},
                "confidence": 0.9,
                "lang": "pl",
                "reasons": ["demo:stand-in"],
                "needs_response": True,
                "priority": priority,
                "team": team,
                "second_opinion": None,
            }
            detail = {"comment": event["detail"], "classification": classification}
            entries.append(
                {
                    "Source": "replyloop.classify",
                    "DetailType": "CommentClassified",
                    "Detail": json.dumps(detail),
                    "EventBusName": self.stack.physical.ref("EventBus"),
                }
            )
        self.stack.clients.events.put_events(Entries=entries)

    def wait(self, match: Callable[[Event], bool], count: int, timeout: float = 10) -> list[Event]:
        """Print this act's SLA events as they arrive, until `count` events satisfy `match` or the time is up."""
        deadline = time.monotonic() + timeout
        while True:
            events = self.stack.bus_events()
            for event in events:
                if event["source"] == "replyloop.sla" and _ids(event) in self.ids and event["id"] not in self.shown:
                    self.shown.add(event["id"])
                    self.say(_describe(event))
            found = [event for event in events if match(event)]
            if len(found) >= count or time.monotonic() > deadline:
                return found
            time.sleep(0.2)


def _describe(event: Event) -> str:
    detail, kind = event["detail"], event["detail-type"]
    case = f"{detail['case_key']} ({detail['label']})"
    if kind == "CaseOpened":
        tiers = ", ".join(f"{t['name']} {t['at'][11:19]}" for t in detail["deadlines"])
        return f"CaseOpened     {case} team {detail['team']}: due {detail['due_at'][11:19]} UTC; tiers {tiers}"
    if kind == "SlaWarning":
        return f"SlaWarning     {case} still unanswered at {detail['tier']}"
    if kind == "CaseEscalated":
        return f"CaseEscalated  {case} -> team {detail['team']} (level {detail['level']}, SNS team={detail['team']})"
    if kind == "CaseAnswered":
        verdict = "within SLA" if detail["within_sla"] else "LATE"
        return (
            f"CaseAnswered   {case} by {detail['answered_by']} after {detail['first_response_seconds']} s: "
            f"{verdict}{', escalated' if detail['escalated'] else ''}"
        )
    return f"{kind:<14} {case}"


def _sla(run: DemoRun, detail_type: str, keep: Callable[[dict[str, Any]], bool] = lambda _d: True) -> int:
    return sum(1 for e in run.events if e.get("detail-type") == detail_type and keep(e.get("detail") or {}))


@section("cases_opened")
def _cases_opened(run: DemoRun) -> int:
    return _sla(run, "CaseOpened")


@section("warnings")
def _warnings(run: DemoRun) -> int:
    return _sla(run, "SlaWarning")


@section("escalations")
def _escalations(run: DemoRun) -> int:
    return _sla(run, "CaseEscalated")


@section("answered")
def _answered(run: DemoRun) -> int:
    return _sla(run, "CaseAnswered")


@section("answered_within_sla")
def _answered_within_sla(run: DemoRun) -> int:
    return _sla(run, "CaseAnswered", lambda d: bool(d.get("within_sla")))


@section("closed_without_escalation")
def _closed_without_escalation(run: DemoRun) -> int:
    """Answered or withdrawn before any escalation tier fired."""
    return _sla(run, "CaseAnswered", lambda d: not d.get("escalated")) + _sla(
        run, "CaseWithdrawn", lambda d: not d.get("escalated")
    )
