"""The demo's report: named sections computed from one demo run; later features register their own."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from infra.local.stack import LocalStack

__all__ = ["SECTIONS", "DemoRun", "Row", "build_report", "section", "write_report"]


@dataclass
class Row:
    """One request the demo sent, what came back and what it put on the bus."""

    platform: str
    case: str
    sent_as: str
    status: int
    bus_events: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    duplicate: bool = False

    @property
    def accepted(self) -> bool:
        return 200 <= self.status < 300


@dataclass
class DemoRun:
    """Everything a section may read; the stack is still running while the report is built."""

    stack: LocalStack
    rows: list[Row]
    events: list[dict[str, Any]]
    dead_letters: dict[str, int]

    @property
    def problems(self) -> list[str]:
        found = [f"{r.platform}/{r.case} ({r.sent_as}): {p}" for r in self.rows for p in r.problems]
        found += [f"{n} message(s) dead-lettered in {q}" for q, n in self.dead_letters.items() if n]
        return found


Section = Callable[[DemoRun], Any]
SECTIONS: dict[str, Section] = {}


def section(name: str) -> Callable[[Section], Section]:
    """Register a report key; a feature adds its numbers with `@section("cases")` on a function."""

    def register(compute: Section) -> Section:
        SECTIONS[name] = compute
        return compute

    return register


@section("webhooks_sent")
def _sent(run: DemoRun) -> int:
    return len(run.rows)


@section("accepted")
def _accepted(run: DemoRun) -> int:
    return sum(r.accepted for r in run.rows)


@section("rejected")
def _rejected(run: DemoRun) -> int:
    return sum(400 <= r.status < 500 for r in run.rows)


@section("server_errors")
def _server_errors(run: DemoRun) -> int:
    return sum(r.status >= 500 for r in run.rows)


@section("duplicates_ignored")
def _duplicates_ignored(run: DemoRun) -> int:
    """Redeliveries answered 2xx that put nothing new on the bus (measured on the tap)."""
    return sum(r.duplicate and r.accepted and not r.bus_events for r in run.rows)


@section("events")
def _events(run: DemoRun) -> dict[str, int]:
    return dict(sorted(Counter(str(e.get("detail-type")) for e in run.events).items()))


@section("dead_letters")
def _dead_letters(run: DemoRun) -> dict[str, int]:
    return run.dead_letters


@section("problems")
def _problems(run: DemoRun) -> list[str]:
    return run.problems


@section("requests")
def _requests(run: DemoRun) -> list[dict[str, Any]]:
    return [
        {
            "platform": r.platform,
            "case": r.case,
            "sent_as": r.sent_as,
            "status": r.status,
            "bus_events": [_event_label(e) for e in r.bus_events],
        }
        for r in run.rows
    ]


def build_report(run: DemoRun) -> dict[str, Any]:
    return {name: compute(run) for name, compute in SECTIONS.items()}


def write_report(report: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _event_label(event: dict[str, Any]) -> str:
    """Detail-type and id only: comment text stays out of reports."""
    detail = event.get("detail") or {}
    ident = detail.get("comment_id") or detail.get("id") or ""
    return f"{event.get('detail-type')} {ident}".strip()


def event_labels(events: list[dict[str, Any]]) -> str:
    return ", ".join(_event_label(e) for e in events) or "-"
