"""`replyloop kpis --month 2026-11 [--json]`: the KPIs of a period from a deployment's tables, as a table or JSON."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TextIO

from replyloop.cli.target import TargetError, add_target_options, apply_connection
from replyloop.kpis import CsvClicks, Kpis, KpiSources, compute_kpis, load_policy, month_period
from replyloop.kpis.period import local_day
from replyloop.models.kpis import Period
from replyloop.report.format import count, days, duration, percent

__all__ = ["add_period_options", "compute", "kpi_tables", "register", "run_command"]

# Output key, stage suffix, environment variable of each table the KPIs read.
TABLES = {
    "cases": ("CasesTableName", "cases", "CASES_TABLE"),
    "ideas": ("IdeasTableName", "ideas", "IDEAS_TABLE"),
    "activity": ("ActivityTableName", "activity", "ACTIVITY_TABLE"),
}


def kpi_tables(args: argparse.Namespace, environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """Like the ideas commands: `--stack` outputs, `--stage` names, else CASES_TABLE, IDEAS_TABLE, ACTIVITY_TABLE."""
    env = os.environ if environ is None else environ
    if args.stack:
        from replyloop.adapters.stack_outputs import stack_outputs

        outputs = stack_outputs(args.stack)
        missing = sorted(output for output, _suffix, _env in TABLES.values() if output not in outputs)
        if missing:
            raise TargetError(f"stack {args.stack} has no output {', '.join(missing)}: deploy it first")
        return {name: outputs[output] for name, (output, _suffix, _env) in TABLES.items()}
    if args.stage:
        return {name: f"replyloop-{args.stage}-{suffix}" for name, (_output, suffix, _env) in TABLES.items()}
    if all(env.get(variable) for _output, _suffix, variable in TABLES.values()):
        return {name: env[variable] for name, (_output, _suffix, variable) in TABLES.items()}
    raise TargetError(
        "which deployment? pass --stage (e.g. --stage local with AWS_ENDPOINT_URL for the local stack), "
        "--stack, or set CASES_TABLE, IDEAS_TABLE and ACTIVITY_TABLE"
    )


def add_period_options(parser: argparse.ArgumentParser) -> None:
    when = parser.add_argument_group("period (default: this month, in the brand's time zone)")
    when.add_argument("--month", help="a calendar month, YYYY-MM")
    when.add_argument("--from", dest="start", type=date.fromisoformat, help="first day, YYYY-MM-DD (with --to)")
    when.add_argument("--to", dest="end", type=date.fromisoformat, help="last day, YYYY-MM-DD (included)")
    parser.add_argument("--clicks-csv", type=Path, help="web-analytics export (date, utm_content, clicks) for links")
    add_target_options(parser)


def period_of(args: argparse.Namespace, now: datetime) -> Period:
    policy = load_policy()
    if args.start or args.end:
        if args.month or not (args.start and args.end):
            raise ValueError("give either --month, or both --from and --to")
        return Period(start=args.start, end=args.end, timezone=policy.timezone)
    month = args.month or local_day(now, policy.zone).strftime("%Y-%m")
    return month_period(month, policy.timezone)


def compute(args: argparse.Namespace) -> Kpis:
    """The CLI's composition root: the deployment's tables as KPI sources, then the KPIs of the chosen period."""
    from replyloop.adapters.activity_table import DynamoActivityStore
    from replyloop.adapters.ideas_repository import DynamoIdeasStore
    from replyloop.adapters.kpi_sources import DynamoCaseRecords, IdeaRecords

    now = datetime.now(UTC)
    period = period_of(args, now)
    apply_connection(args)
    tables = kpi_tables(args)
    sources = KpiSources(
        cases=DynamoCaseRecords(tables["cases"]),
        activity=DynamoActivityStore(tables["activity"]),
        ideas=IdeaRecords(DynamoIdeasStore(tables["ideas"], timezone=period.timezone)),
        clicks=CsvClicks.read(args.clicks_csv) if args.clicks_csv else None,
    )
    return compute_kpis(period, sources, now)


def run_command(name: str, args: argparse.Namespace, work: Callable[[], int]) -> int:
    """Errors as the ideas commands report them: 2 for what the caller can fix, 3 for AWS."""
    from pydantic import ValidationError

    from replyloop.adapters.aws_errors import AWS_ERRORS

    try:
        return work()
    except (ValidationError, TargetError, ValueError, OSError) as error:
        print(f"replyloop {name}: {error}", file=sys.stderr)
        return 2
    except AWS_ERRORS as error:
        print(f"replyloop {name}: AWS said: {error}", file=sys.stderr)
        return 3


def register(groups: Any) -> None:
    parser = groups.add_parser("kpis", help="the KPIs of dialogue for a period (table or JSON)")
    parser.add_argument("--json", action="store_true", help="print the KPIs as JSON")
    add_period_options(parser)
    parser.set_defaults(run=_kpis)


def _kpis(args: argparse.Namespace) -> int:
    def work() -> int:
        kpis = compute(args)
        if args.json:
            print(json.dumps(kpis.model_dump(mode="json"), indent=2, ensure_ascii=False))
        else:
            print_table(kpis, sys.stdout)
        return 0

    return run_command("kpis", args, work)


def _rows(kpis: Kpis) -> list[tuple[str, list[tuple[str, str]]]]:
    s, c, v, p = kpis.speed, kpis.community, kpis.service, kpis.product
    teams = ", ".join(f"{team} {n}" for team, n in s.escalations_by_team.items()) or "none"
    return [
        (
            "speed and quality",
            [
                ("cases opened / answered", f"{s.cases_opened} / {s.cases_answered}"),
                (
                    "first response median / p90",
                    f"{duration(s.first_response_median_seconds)} / {duration(s.first_response_p90_seconds)}",
                ),
                (
                    "  in working time",
                    f"{duration(s.first_response_working_median_seconds)} / "
                    f"{duration(s.first_response_working_p90_seconds)}",
                ),
                (
                    "answered within SLA",
                    f"{percent(s.answered_within_sla_share)} ({s.answered_within_sla} of {s.cases_settled})",
                ),
                (
                    "closed without escalation",
                    f"{percent(s.closed_without_escalation_share)} "
                    f"({s.closed_without_escalation} of {s.cases_decided})",
                ),
                ("escalations by team", teams),
            ],
        ),
        (
            "community",
            [
                ("active participants (new)", f"{c.active_participants} ({c.new_participants})"),
                ("comments / per week", f"{c.comments} / {count(c.comments_per_week)}"),
                ("returning D7 / D30", f"{percent(c.returning_d7_share)} / {percent(c.returning_d30_share)}"),
                ("toxic / spam", f"{percent(c.toxic_share)} / {percent(c.spam_share)}"),
            ],
        ),
        (
            "service",
            [
                ("FAQ auto-answers (sent)", f"{v.faq_auto_answers} ({v.faq_auto_answers_sent})"),
                ("links followed", f"{count(v.links_followed)} ({v.links_followed_source})"),
            ],
        ),
        (
            "product",
            [
                ("ideas received / votes", f"{p.ideas_received} / {p.votes}"),
                ("ideas shipped", str(p.ideas_shipped)),
                ("first ask to shipped, median", days(p.first_ask_to_shipped_median_days)),
                (
                    "funnel",
                    f"{p.funnel.received} received > {p.funnel.accepted} accepted > {p.funnel.planned} planned > "
                    f"{p.funnel.shipped} shipped ({p.funnel.declined} declined)",
                ),
            ],
        ),
    ]


def print_table(kpis: Kpis, out: TextIO) -> None:
    period = kpis.period
    print(f"KPIs {period.label} ({period.start} to {period.end}, {period.timezone})", file=out)
    for heading, rows in _rows(kpis):
        print(f"\n{heading}", file=out)
        for name, value in rows:
            print(f"  {name:<30} {value}", file=out)
