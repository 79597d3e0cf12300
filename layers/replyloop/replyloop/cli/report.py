"""`replyloop report --month 2026-11 [--out file.html]`: the KPIs as one self-contained HTML page with charts."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from replyloop.cli.kpis import add_period_options, compute, run_command
from replyloop.report import render_report
from replyloop.report.format import duration, percent

__all__ = ["register"]


def register(groups: Any) -> None:
    parser = groups.add_parser("report", help="the KPIs of a period as an HTML page with charts (offline)")
    parser.add_argument("--out", type=Path, help="where to write it (default: replyloop-kpis-<period>.html)")
    add_period_options(parser)
    parser.set_defaults(run=_report)


def _report(args: argparse.Namespace) -> int:
    def work() -> int:
        kpis = compute(args)
        out = args.out or Path(f"replyloop-kpis-{kpis.period.label}.html")
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(render_report(kpis), encoding="utf-8")
        speed, community = kpis.speed, kpis.community
        print(
            f"wrote {out}: first response median {duration(speed.first_response_median_seconds)}, "
            f"{percent(speed.answered_within_sla_share)} within SLA, {community.active_participants} participants"
        )
        return 0

    return run_command("report", args, work)
