"""The demo's KPI act: a few weeks of community history, the weekly digest, and the KPI report page.

Fourteen demo people write in the brand's Telegram chat over the last weeks (signed webhooks whose
`date` lies in the past, so the activity table files them under their days): some come back after
7 and 30 days, some ask questions that the brand answers after a few seconds (the demo's SLA clock
counts in seconds), some post spam or abuse, two ask for the same feature, which the product team then
ships. The act fires the weekly digest schedule (Scheduler never fires locally), computes the KPIs of
the demo period (the last four weeks, Monday first) from the stack's tables, and writes
build/demo/report.html.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import IO, Any

from infra.local.report import DemoRun, Row, section
from infra.local.stack import REPO_ROOT, LocalStack
from infra.local.telegram import CHAT, post_telegram, telegram_brand_reply
from replyloop.kpis import Kpis, KpiSources, compute_kpis, load_policy
from replyloop.kpis.period import local_day, week_start
from replyloop.models.kpis import Period

__all__ = ["KPI_REPORT", "KpiAct", "demo_period", "headline_line"]

KPI_REPORT = REPO_ROOT / "build" / "demo" / "report.html"
USER_OFFSET = 40  # demo users 5550140.. (the SLA act uses 5550100.., the ideas act 5550120..)
# (days ago, person, text, the brand's reply after so many seconds or None): the classifier labels them.
HISTORY = [
    (44, 1, "Super aplikacja, wszystko działa bardzo sprawnie, dziękuję!", None),
    (36, 2, "Jak zmienić numer telefonu w profilu?", 2),
    (23, 3, "Dodajcie widżet z saldem na ekran główny telefonu", None),
    (20, 1, "Ile trwa wypłata na konto bankowe?", 1),
    (18, 4, "Przydałby się widżet z saldem na ekranie głównym", None),
    (17, 5, "Od rana nie działa logowanie do aplikacji, to skandal", 5),
    (16, 6, "Jesteście bandą złodziei i idiotów", None),
    (15, 7, "Zarabiaj 5000 zł dziennie! Wejdź na www.szybka-kasa.example i kliknij link", None),
    (13, 3, "Świetna obsługa na czacie, dzięki za szybką pomoc", None),
    (12, 2, "Dzięki, wypłata przyszła błyskawicznie", None),
    (10, 8, "Czy mogę mieć dwa konta w aplikacji?", 3),
    (9, 5, "Znowu nie mogę się zalogować, aplikacja ciągle się zawiesza", 13),
    (8, 9, "Do której godziny działa infolinia?", 6),
    (7, 10, "Pozdrawiam wszystkich z Krakowa", None),
    (6, 11, "How long does a withdrawal take?", None),
    (5, 7, "Darmowe bonusy!!! Kliknij link www.bonus.example", None),
    (4, 12, "Great app, thanks for the quick fix!", None),
    (3, 1, "Fajna nowa wersja aplikacji, dobra robota", None),
    (2, 8, "Dziękuję, wszystko już działa", None),
    (2, 13, "Jak długo czeka się na weryfikację konta?", 10),
    (1, 3, "Gdzie znajdę regulamin promocji?", None),
    (0, 14, "Przelew nie doszedł od trzech dni, proszę o pomoc", 4),
]
WIDGET = (2, 4)  # the two history comments asking for the same feature
Event = dict[str, Any]
_COMPUTED: dict[int, tuple[Period, Kpis]] = {}


def demo_period(today: date) -> Period:
    """The last four weeks, Monday first, up to today (local): every weekly bar of the report has data."""
    return Period(start=week_start(today) - timedelta(weeks=3), end=today, timezone=load_policy().timezone)


def _kpis(stack: LocalStack) -> tuple[Period, Kpis]:
    """Computed once per stack, from its tables, as `replyloop kpis` computes them from a deployment's."""
    if id(stack) not in _COMPUTED:
        from replyloop.adapters.activity_table import DynamoActivityStore
        from replyloop.adapters.ideas_repository import DynamoIdeasStore
        from replyloop.adapters.kpi_sources import DynamoCaseRecords, IdeaRecords

        client, ref = stack.clients.dynamodb, stack.physical.ref
        now = datetime.now(UTC)
        period = demo_period(local_day(now, load_policy().zone))
        sources = KpiSources(
            cases=DynamoCaseRecords(ref("CasesTable"), client=client),
            activity=DynamoActivityStore(ref("ActivityTable"), client=client),
            ideas=IdeaRecords(DynamoIdeasStore(ref("IdeasTable"), client=client)),
        )
        _COMPUTED[id(stack)] = (period, compute_kpis(period, sources, now))
    return _COMPUTED[id(stack)]


def headline_line(headline: dict[str, Any]) -> str:
    """One line for the demo's summary: the figures a social media lead looks at first."""
    from replyloop.report.format import duration, percent

    return (
        f"{headline['period']}: first response median {duration(headline['first_response_median_seconds'])}, "
        f"{percent(headline['answered_within_sla_share'])} within SLA, "
        f"{percent(headline['closed_without_escalation_share'])} closed without escalation; "
        f"{headline['participants']} participants, D7 {percent(headline['returning_d7_share'])}, "
        f"D30 {percent(headline['returning_d30_share'])}; {headline['faq_auto_answers']} FAQ answers; "
        f"{headline['ideas_received']} ideas, {headline['ideas_shipped']} shipped"
    )


@dataclass
class KpiAct:
    stack: LocalStack
    secrets: dict[str, Any]
    out: IO[str]
    rows: list[Row] = field(default_factory=list)
    base: int = field(default_factory=lambda: 40000 + uuid.uuid4().int % 900 * 100)

    def say(self, text: str) -> None:
        print(f"  {text}", file=self.out, flush=True)

    def run(self) -> None:
        print("\nKPIs: four weeks of community history, the weekly digest and the report page", file=self.out)
        now = int(time.time())
        # Comments the brand answers go last, the one answered soonest at the very end, so that each case
        # opens shortly before its answer is due.
        order = sorted(range(len(HISTORY)), key=lambda n: (HISTORY[n][3] is not None, -(HISTORY[n][3] or 0)))
        for n in order:
            days_ago, person, text, _reply = HISTORY[n]
            self.post(f"history_{n}", _comment(self.base + n, text, person, now - days_ago * 86400 - 3600))
        self.answer()
        self.ship_widget()
        self.stack.wait_until_idle(timeout=60)
        self.digest()
        period, kpis = _kpis(self.stack)
        from replyloop.report import render_report

        KPI_REPORT.parent.mkdir(parents=True, exist_ok=True)
        KPI_REPORT.write_text(render_report(kpis, brand="Example Brand"), encoding="utf-8")
        self.say(f"report for {period.start} .. {period.end}: {KPI_REPORT.relative_to(REPO_ROOT)}")

    def post(self, case: str, body: bytes) -> None:
        self.rows.append(post_telegram(self.stack, self.secrets, case, body, act="KPI act: "))

    def _history(self, detail_type: str) -> list[Event]:
        ids = {f"{CHAT['id']}:{self.base + n}" for n in range(len(HISTORY))}
        events = [e for e in self.stack.bus_events() if e["detail-type"] == detail_type]
        return [e for e in events if str(e["detail"].get("comment_id", "")) in ids]

    def answer(self) -> None:
        """The brand answers some cases so many seconds after each opened (the demo's targets are 8 s)."""
        due = {f"{CHAT['id']}:{self.base + n}": after for n, (*_h, after) in enumerate(HISTORY) if after is not None}
        cases = self.stack.wait_for_events(
            lambda e: e["detail-type"] == "CaseOpened" and e["detail"]["comment_id"] in due, count=len(due), timeout=20
        )
        latest = {e["detail"]["comment_id"]: e for e in cases}.values()
        plan = sorted(
            ((datetime.fromisoformat(e["detail"]["opened_at"]) + timedelta(seconds=due[_id(e)]), e) for e in latest),
            key=lambda pair: pair[0],
        )
        self.say(f"{len(plan)} questions and complaints opened cases; the brand answers them 1 to 13 s later")
        for n, (at, event) in enumerate(plan):
            time.sleep(max(0.0, (at - datetime.now(UTC)).total_seconds()))
            answered = int(event["detail"]["comment_id"].rsplit(":", 1)[1])
            body = telegram_brand_reply(self.base + 500 + n, answered, "Dzień dobry! Już pomagamy.")
            self.post(f"history_reply_{n}", body)
        self.stack.wait_until_idle(timeout=30)
        answers = [e["detail"] for e in self._history("CaseAnswered")]
        within = sum(1 for d in answers if d["within_sla"])
        times = ", ".join(f"{d['first_response_seconds']} s" for d in answers)
        self.say(f"{len(answers)} answered ({times}), {within} within the SLA; unanswered cases escalate")

    def ship_widget(self) -> None:
        """Both widget comments were asked for weeks ago: one idea with two votes, which the team ships now."""
        widget = {f"{CHAT['id']}:{self.base + n}" for n in WIDGET}
        recorded = [e for e in self._history_ideas() if e["detail"]["comment"]["comment_id"] in widget]
        if not recorded:
            self.rows[-1].problems.append("KPI act: the widget comments were not recorded as an idea")
            return
        number = recorded[-1]["detail"]["number"]
        backlog = self._backlog()
        from replyloop.ideas import IdeaPatch

        notes = {"pl": "Widżet z saldem jest już w aplikacji.", "en": "The balance widget is here."}
        for status in ("accepted", "planned", "shipped"):
            patch = IdeaPatch(status=status, release_notes=notes if status == "shipped" else None)
            backlog.update(number, patch, "arn:aws:iam::123456789012:user/demo-product-team")
        self.say(f"idea #{number} (widget, {recorded[-1]['detail']['votes']} votes, asked 23 days ago) -> shipped")

    def _history_ideas(self) -> list[Event]:
        return [e for e in self.stack.bus_events() if e["detail-type"] == "IdeaRecorded"]

    def _backlog(self) -> Any:
        from replyloop.adapters.event_bus import EventBridgePublisher
        from replyloop.adapters.ideas_repository import DynamoIdeasStore
        from replyloop.ideas import Backlog, Matcher
        from replyloop.ideas import load_policy as ideas_policy

        policy = ideas_policy()
        return Backlog(
            store=DynamoIdeasStore(self.stack.physical.ref("IdeasTable"), client=self.stack.clients.dynamodb),
            publisher=EventBridgePublisher(self.stack.physical.ref("EventBus"), client=self.stack.clients.events),
            matcher=Matcher(policy),
            policy=policy,
            clock=lambda: datetime.now(UTC),
        )

    def digest(self) -> None:
        """Monday 08:00 in Warsaw on AWS; here the schedule is fired by hand."""
        invocation = self.stack.fire_schedule("KpiDigestFunction.WeeklyDigest")
        found = self.stack.wait_for_events(lambda e: e["detail-type"] == "KpiDigest", timeout=15)
        if not found:
            self.rows[-1].problems.append(f"KPI act: no KpiDigest on the bus ({invocation})")
            return
        detail = found[-1]["detail"]
        speed, community = detail["kpis"]["speed"], detail["kpis"]["community"]
        self.say(
            f"weekly digest fired: KpiDigest {detail['period_label']} on the bus ({speed['cases_opened']} cases, "
            f"{community['comments']} comments, {community['active_participants']} participants)"
        )


def _id(event: Event) -> str:
    return str(event["detail"]["comment_id"])


def _comment(message_id: int, text: str, person: int, sent: int) -> bytes:
    """A member's message as the Bot API delivers it, written at `sent` (epoch seconds)."""
    user = {"id": 5550100 + USER_OFFSET + person, "is_bot": False, "first_name": f"Demo{person}", "language_code": "pl"}
    message = {"message_id": message_id, "from": user, "chat": CHAT, "date": sent, "text": text}
    return json.dumps({"update_id": message_id * 10, "message": message}).encode()


@section("kpis")
def _headline(run: DemoRun) -> dict[str, Any]:
    """The KPIs of the demo period (computed from the stack's tables), headline figures only."""
    period, kpis = _kpis(run.stack)
    return {"period": period.label, **kpis.headline(), "report": str(KPI_REPORT.relative_to(REPO_ROOT))}
