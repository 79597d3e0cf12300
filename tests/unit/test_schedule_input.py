"""Firing a schedule locally fills in Scheduler's context attributes, as Scheduler does when it invokes a target."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from infra.local.schedules import _context_attributes
from tests.support.template import load_template

pytestmark = pytest.mark.unit


def test_the_summary_schedules_input_gets_a_real_scheduled_time() -> None:
    events = load_template()["Resources"]["SummaryFunction"]["Properties"]["Events"]
    arn = "arn:aws:scheduler:eu-central-1:123456789012:schedule/default/replyloop-local-monthly-summary"
    before = datetime.now(UTC).replace(microsecond=0)
    payload = json.loads(_context_attributes(events["Monthly"]["Properties"]["Input"], arn))
    assert before <= datetime.fromisoformat(payload["scheduled_time"]) <= datetime.now(UTC)
    assert len(payload["execution_id"]) == 16
    assert "<aws.scheduler." not in json.dumps(payload)
    assert json.loads(_context_attributes('{"a": "<aws.scheduler.schedule-arn>"}', arn)) == {"a": arn}
