"""The SLA policy file, opening a case (deadlines per tier) and closing it, on in-memory fakes of the ports."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from replyloop.models.cases import AnsweredBy, CaseAnswered, CaseOpened, CaseWithdrawn
from replyloop.models.events import BrandReplied, BusEvent, CommentClassified, CommentDeleted, ReactionPerformed
from replyloop.sla import Case, CaseClosing, CaseOpening, PublishFailedError, SlaPolicy, execution_name, load_policy
from tests.support.events import load_event

pytestmark = pytest.mark.unit

POLICY = load_policy()
SAMPLE = load_event("bus/CommentClassified.json")["detail"]
MONDAY_10 = datetime(2026, 3, 23, 9, 0, tzinfo=UTC)  # 10:00 in Warsaw


def classified(
    label: str = "question", *, at: datetime = MONDAY_10, comment_id: str = "2002_3101", **more: Any
) -> CommentClassified:
    detail = json.loads(json.dumps(SAMPLE))
    detail["comment"] |= {"comment_id": comment_id, "received_at": at.isoformat(), "created_at": at.isoformat()}
    detail["classification"] |= {"label": label, **more}
    return CommentClassified.model_validate(detail)


# ---------------------------------------------------------------------------- fakes of the ports


@dataclass
class FakeStore:
    cases: dict[str, Case] = field(default_factory=dict)
    timings: dict[str, CaseAnswered] = field(default_factory=dict)

    def create(self, case: Case) -> bool:
        if case.key in self.cases:
            return False
        self.cases[case.key] = case
        return True

    def get(self, key: str) -> Case | None:
        return self.cases.get(key)

    def find_answered_by(self, platform: str, in_reply_to: str, at: datetime) -> Case | None:
        case = self.cases.get(f"{platform}#{in_reply_to}")
        return case if case is not None and case.is_open else None

    def mark_announced(self, key: str, *, closure: bool = False) -> None:
        flag = "closure_announced" if closure else "announced"
        self.cases[key] = self.cases[key].model_copy(update={flag: True})

    def _close(self, key: str, **update: Any) -> Case | None:
        case = self.cases.get(key)
        if case is None or not case.is_open:
            return None
        self.cases[key] = case.model_copy(update=update)
        return self.cases[key]

    def answer(
        self, key: str, *, at: datetime, by: AnsweredBy, reply_id: str | None, timing: CaseAnswered
    ) -> Case | None:
        self.timings[key] = timing
        return self._close(key, answered_at=at, answered_by=by, reply_id=reply_id)

    def withdraw(self, key: str, at: datetime) -> Case | None:
        return self._close(key, withdrawn_at=at)

    def notify(self, key: str, tier: str) -> None:
        """What the state machine does when a tier fires."""
        case = self.cases[key]
        self.cases[key] = case.model_copy(update={"notified": {**case.notified, tier: "now"}})


@dataclass
class FakeTimer:
    started: list[str] = field(default_factory=list)

    def start(self, case: Case) -> None:
        self.started.append(case.execution_name)


@dataclass
class FakeBus:
    events: list[BusEvent] = field(default_factory=list)
    failing: bool = False

    def publish(self, events: Sequence[BusEvent]) -> list[BusEvent]:
        if self.failing:
            return list(events)
        self.events.extend(events)
        return []


@pytest.fixture
def store() -> FakeStore:
    return FakeStore()


@pytest.fixture
def bus() -> FakeBus:
    return FakeBus()


@pytest.fixture
def timer() -> FakeTimer:
    return FakeTimer()


@pytest.fixture
def opening(store: FakeStore, timer: FakeTimer, bus: FakeBus) -> CaseOpening:
    return CaseOpening(POLICY, store, timer, bus)


@pytest.fixture
def closing(store: FakeStore, bus: FakeBus) -> CaseClosing:
    return CaseClosing(POLICY, store, bus)


def reply(at: datetime, in_reply_to: str = "2002_3101", comment_id: str = "2002_3112") -> BrandReplied:
    detail = load_event("bus/BrandReplied.json")["detail"] | {
        "comment_id": comment_id,
        "in_reply_to": in_reply_to,
        "received_at": at.isoformat(),
    }
    return BrandReplied.model_validate(detail)


# ---------------------------------------------------------------------------- the policy file


def test_the_packaged_policy_has_the_designed_targets() -> None:
    targets = {label: rules.target for label, rules in POLICY.labels.items()}
    assert {"complaint": 60, "question": 120, "sensitive": 30}.items() <= targets.items()
    assert POLICY.labels["sensitive"].around_the_clock
    assert [(t.name, t.kind, t.share, t.team) for t in POLICY.tiers] == [
        ("warning", "warning", 0.75, None),
        ("breach", "escalation", 1.0, None),
        ("lead", "escalation", 2.0, "smm-lead"),
    ]
    assert POLICY.markets["pl"].time_zone == "Europe/Warsaw"
    assert POLICY.auto_reply_outcomes == ["done"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"default_market": "de"}, "default_market"),
        ({"tiers": [{"name": "a", "kind": "warning", "share": 1.0}]}, "escalation"),
        (
            {
                "tiers": [
                    {"name": "b", "kind": "escalation", "share": 1.0},
                    {"name": "a", "kind": "warning", "share": 0.5},
                ]
            },
            "increasing",
        ),
        ({"markets": {"pl": {"time_zone": "Mars/Olympus", "hours": {"mon": [["08:00", "18:00"]]}}}}, "Mars"),
        ({"markets": {"pl": {"hours": {"mon": [["18:00", "08:00"]]}}}}, "ordered"),
        ({"labels": {"question": {"target": 10, "market": "uk"}}}, "unknown market"),
    ],
)
def test_a_broken_policy_is_refused_on_load(change: dict[str, Any], message: str) -> None:
    raw = POLICY.model_dump(mode="json") | change
    with pytest.raises((ValidationError, ValueError), match=message):
        SlaPolicy.model_validate(raw)


# ---------------------------------------------------------------------------- opening


def test_a_question_gets_deadlines_in_working_time(opening: CaseOpening, timer: FakeTimer, bus: FakeBus) -> None:
    result = opening.open(classified("question", at=datetime(2026, 3, 28, 12, 0, tzinfo=UTC)))  # Sat 13:00 CET

    event = result.event
    assert isinstance(event, CaseOpened)
    assert (event.case_key, event.team, event.calendar, event.target_seconds) == (
        "facebook#2002_3101",
        "support",
        "pl",
        7200,
    )
    # One working hour left on Saturday, Sunday 29 March closed (and the clocks go forward), then Monday in CEST.
    at = {tier.name: tier.at for tier in event.deadlines}
    assert at["warning"] == datetime(2026, 3, 30, 6, 30, tzinfo=UTC)  # 90 min: Monday 08:30 CEST
    assert at["breach"] == event.due_at == datetime(2026, 3, 30, 7, 0, tzinfo=UTC)  # 120 min: 09:00 CEST
    assert at["lead"] == datetime(2026, 3, 30, 9, 0, tzinfo=UTC)  # 240 min: 11:00 CEST
    assert [(t.team, t.level) for t in event.deadlines] == [("support", 0), ("support", 1), ("smm-lead", 2)]
    assert timer.started == [execution_name("facebook#2002_3101")]
    assert [e.detail_type for e in bus.events] == ["CaseOpened"]


def test_sensitive_cases_run_around_the_clock_for_compliance(opening: CaseOpening) -> None:
    sunday_night = datetime(2026, 3, 29, 0, 50, tzinfo=UTC)
    event = opening.open(classified("sensitive", at=sunday_night, team="support")).event
    assert event is not None
    assert (event.calendar, event.team) == ("always", "compliance")
    assert event.due_at == sunday_night + timedelta(minutes=30)


def test_unknown_labels_use_the_default_rules_and_the_classifier_team(opening: CaseOpening) -> None:
    event = opening.open(classified("idea", team="product")).event
    assert event is not None
    assert (event.team, event.target_seconds) == ("product", 240 * 60)


def test_nothing_opens_without_needs_response(opening: CaseOpening, bus: FakeBus) -> None:
    result = opening.open(classified("praise", needs_response=False))
    assert (result.case, result.reason, bus.events) == (None, "no response needed", [])


def test_a_redelivery_opens_nothing_new(opening: CaseOpening, store: FakeStore, bus: FakeBus) -> None:
    first = opening.open(classified())
    again = opening.open(classified())
    assert first.event is not None
    assert (again.duplicate, again.event) == (True, None)
    assert len(store.cases) == 1
    assert len(bus.events) == 1


def test_a_failed_announcement_is_finished_by_the_retry(
    opening: CaseOpening, store: FakeStore, timer: FakeTimer, bus: FakeBus
) -> None:
    bus.failing = True
    with pytest.raises(PublishFailedError):
        opening.open(classified())
    bus.failing = False
    # The retry arrives later: the stored case (and so the timer's input) is reused, not recomputed.
    retried = opening.open(classified(at=MONDAY_10 + timedelta(minutes=5)))
    assert retried.event is not None
    assert retried.event.opened_at == MONDAY_10
    assert timer.started == [execution_name("facebook#2002_3101")] * 2  # a second start is the timer's no-op
    assert store.cases["facebook#2002_3101"].announced


def test_execution_names_are_valid_and_distinct() -> None:
    names = {execution_name(f"telegram#-1002001:{n}") for n in range(50)} | {execution_name("generic#" + "x" * 300)}
    assert len(names) == 51
    assert all(len(name) <= 80 and name.replace("-", "").replace("_", "").isalnum() for name in names)


# ---------------------------------------------------------------------------- closing


def test_the_first_brand_reply_answers_within_the_sla(
    opening: CaseOpening, closing: CaseClosing, store: FakeStore
) -> None:
    opening.open(classified())
    result = closing.reply(reply(MONDAY_10 + timedelta(minutes=50)))
    event = result.event
    assert isinstance(event, CaseAnswered)
    assert (event.answered_by, event.reply_id, event.within_sla, event.late, event.escalated) == (
        "brand_reply",
        "2002_3112",
        True,
        False,
        False,
    )
    assert event.first_response_seconds == event.first_response_working_seconds == 3000
    stored = store.timings["facebook#2002_3101"]
    assert (stored.first_response_seconds, stored.within_sla) == (3000, True)
    second = closing.reply(reply(MONDAY_10 + timedelta(minutes=55), comment_id="2002_3113"))
    assert (second.event, second.reason) == (None, "no open case")


def test_a_late_reply_after_escalation_is_recorded_late(
    opening: CaseOpening, closing: CaseClosing, store: FakeStore
) -> None:
    friday = datetime(2026, 3, 27, 16, 30, tzinfo=UTC)  # 17:30 CET: 30 working minutes left that day
    opening.open(classified("complaint", at=friday))
    store.notify("facebook#2002_3101", "warning")
    store.notify("facebook#2002_3101", "breach")
    event = closing.reply(reply(datetime(2026, 3, 30, 7, 0, tzinfo=UTC))).event  # Monday 09:00 CEST
    assert isinstance(event, CaseAnswered)
    assert (event.within_sla, event.late, event.escalated) == (False, True, True)
    assert event.first_response_seconds == (datetime(2026, 3, 30, 7, tzinfo=UTC) - friday).total_seconds()
    assert event.first_response_working_seconds == (30 + 4 * 60 + 60) * 60  # Fri, Sat 10-14, Mon 08-09


def test_a_warning_alone_is_no_escalation(opening: CaseOpening, closing: CaseClosing, store: FakeStore) -> None:
    opening.open(classified())
    store.notify("facebook#2002_3101", "warning")
    event = closing.reply(reply(MONDAY_10 + timedelta(minutes=100))).event
    assert isinstance(event, CaseAnswered)
    assert (event.within_sla, event.escalated) == (True, False)


def reaction(outcome: str = "done", action: str = "faq_answer") -> ReactionPerformed:
    detail = load_event("bus/ReactionPerformed.json")["detail"] | {
        "platform": "facebook",
        "comment_id": "2002_3101",
        "action": action,
        "outcome": outcome,
        "reply_id": "2002_9999",
        "performed_at": (MONDAY_10 + timedelta(seconds=3)).isoformat(),
    }
    return ReactionPerformed.model_validate(detail)


def test_a_faq_auto_reply_answers_a_question(opening: CaseOpening, closing: CaseClosing) -> None:
    opening.open(classified("question"))
    event = closing.auto_reply(reaction()).event
    assert isinstance(event, CaseAnswered)
    assert (event.answered_by, event.reply_id, event.first_response_seconds) == ("auto_reply", "2002_9999", 3)


@pytest.mark.parametrize(
    ("label", "outcome", "action", "reason"),
    [
        ("complaint", "done", "faq_answer", "an auto-reply does not answer a complaint"),
        ("question", "dry-run", "faq_answer", "faq_answer/dry-run is no response"),
        ("question", "failed", "faq_answer", "faq_answer/failed is no response"),
        ("question", "done", "help_route", "help_route/done is no response"),
    ],
)
def test_auto_replies_count_only_where_the_policy_says(
    opening: CaseOpening, closing: CaseClosing, label: str, outcome: str, action: str, reason: str
) -> None:
    opening.open(classified(label))
    result = closing.auto_reply(reaction(outcome, action))
    assert (result.event, result.reason) == (None, reason)


def test_a_deleted_comment_withdraws_its_case_once(opening: CaseOpening, closing: CaseClosing) -> None:
    opening.open(classified())
    deleted = CommentDeleted.model_validate(
        {
            "platform": "facebook",
            "comment_id": "2002_3101",
            "deleted_at": (MONDAY_10 + timedelta(minutes=7)).isoformat(),
            "received_at": (MONDAY_10 + timedelta(minutes=7)).isoformat(),
        }
    )
    event = closing.withdraw(deleted).event
    assert isinstance(event, CaseWithdrawn)
    assert event.withdrawn_at == MONDAY_10 + timedelta(minutes=7)
    assert closing.withdraw(deleted).event is None
    assert closing.reply(reply(MONDAY_10 + timedelta(minutes=9))).event is None


def test_a_failed_answer_announcement_is_put_again_by_the_redelivery(
    opening: CaseOpening, closing: CaseClosing, bus: FakeBus
) -> None:
    opening.open(classified())
    bus.failing = True
    with pytest.raises(PublishFailedError):
        closing.reply(reply(MONDAY_10 + timedelta(minutes=10)))
    bus.failing = False
    event = closing.reply(reply(MONDAY_10 + timedelta(minutes=10))).event
    assert isinstance(event, CaseAnswered)
    assert event.first_response_seconds == 600
    assert closing.reply(reply(MONDAY_10 + timedelta(minutes=10))).event is None
