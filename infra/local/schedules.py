"""Firing schedules on demand: EventBridge Scheduler and schedule rules never fire in moto."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from infra.local.dispatcher import TargetInvoker
from infra.local.payloads import scheduled_event
from infra.local.runtime import Invocation
from infra.local.template import Template
from infra.local.wiring import Wiring

__all__ = ["fire", "schedule_names"]


def schedule_names(wiring: Wiring) -> list[str]:
    """Every name `fire` accepts for a schedule: its physical name and `<LogicalId>.<EventName>`."""
    names = [n for s in wiring.schedules for n in (s.name, s.source)]
    return names + [n for r in wiring.rules if r.schedule_expression for n in (r.name, r.source)]


def fire(wiring: Wiring, invoke: TargetInvoker, name: str, template: Template) -> Invocation | str:
    """Deliver what the schedule would deliver: its Input (Scheduler: `{}` without one)."""
    for schedule in wiring.schedules:
        if name in (schedule.name, schedule.source):
            target = schedule.target
            arn = f"arn:aws:scheduler:{template.region}:{template.account_id}:schedule/{schedule.group}/{schedule.name}"
            text = _context_attributes(target.input, arn) if target.input is not None else None
            payload: Any = json.loads(text) if text is not None else {}
            return invoke(target, payload)
    for rule in wiring.rules:
        if rule.schedule_expression and name in (rule.name, rule.source):
            arn = f"arn:aws:events:{template.region}:{template.account_id}:rule/{rule.name}"
            event = scheduled_event(arn, account_id=template.account_id, region=template.region)
            payload = json.loads(rule.target.input) if rule.target.input is not None else event
            return invoke(rule.target, payload)
    raise KeyError(f"no schedule {name!r}; known: {', '.join(schedule_names(wiring)) or 'none'}")


def _context_attributes(text: str, schedule_arn: str) -> str:
    """Scheduler replaces these keywords in a target's Input when it invokes it; so does firing locally."""
    values = {
        "<aws.scheduler.schedule-arn>": schedule_arn,
        "<aws.scheduler.scheduled-time>": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "<aws.scheduler.execution-id>": uuid.uuid4().hex[:16],
        "<aws.scheduler.attempt-number>": "1",
    }
    for keyword, value in values.items():
        text = text.replace(keyword, value)
    return text
