"""`replyloop dlq list|redrive`: every dead-letter queue of a deployment, and each message back where it can succeed.

`--stage STAGE` finds the queues by template.yaml's names (`replyloop-<stage>-*-dlq`, bus
`replyloop-<stage>`, secret `replyloop/<stage>/platforms`): with AWS_ENDPOINT_URL set to the
local stack's moto server (`make serve` prints it), `--stage local` reaches the local stack.
`--stack NAME` reads a deployed stack's outputs (`*DeadLetterQueueUrl`, `EventBusName`, `PlatformSecretArn`).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass
from typing import Any

from replyloop.cli.target import TargetError, apply_connection

__all__ = ["Deployment", "deployment", "register"]


@dataclass(frozen=True)
class Deployment:
    """Where the dead-letter queues, the bus and the platform secret of one deployment are."""

    queues: dict[str, str]
    bus_name: str
    secret_id: str


def deployment(args: argparse.Namespace) -> Deployment:
    from replyloop.adapters.dead_letter_queues import SqsDeadLetterQueues

    if args.stack:
        from replyloop.adapters.stack_outputs import stack_outputs

        outputs = stack_outputs(args.stack)
        suffix = "DeadLetterQueueUrl"
        queues = {key.removesuffix(suffix).lower(): url for key, url in outputs.items() if key.endswith(suffix)}
        if not queues or "EventBusName" not in outputs:
            raise TargetError(f"stack {args.stack} has no *{suffix} or EventBusName output: deploy it first")
        return Deployment(dict(sorted(queues.items())), outputs["EventBusName"], outputs.get("PlatformSecretArn", ""))
    if args.stage:
        queues = SqsDeadLetterQueues().find(f"replyloop-{args.stage}-")
        if not queues:
            raise TargetError(f"no queue named replyloop-{args.stage}-*-dlq here: is the stage (or endpoint) right?")
        return Deployment(queues, f"replyloop-{args.stage}", f"replyloop/{args.stage}/platforms")
    raise TargetError("which deployment? pass --stage (e.g. --stage local with AWS_ENDPOINT_URL) or --stack")


def _add_target(parser: argparse.ArgumentParser) -> None:
    where = parser.add_argument_group("where")
    where.add_argument("--stage", help="template.yaml's names for a stage, e.g. prod, or local for the local stack")
    where.add_argument("--stack", help="a deployed CloudFormation stack whose outputs name the queues and bus")
    where.add_argument("--region", help="AWS region (else AWS_REGION / your profile)")
    where.add_argument("--endpoint-url", help="AWS endpoint, e.g. the local stack's moto server (or AWS_ENDPOINT_URL)")
    parser.add_argument("--json", action="store_true", help="print JSON lines instead of a table")


def register(groups: Any) -> None:
    parser = groups.add_parser("dlq", help="dead-letter queues: list their depth, redrive their messages")
    commands = parser.add_subparsers(dest="command", required=True)

    listing = commands.add_parser("list", help="each dead-letter queue with its depth and oldest message's age")
    listing.set_defaults(run=_list)

    redrive = commands.add_parser(
        "redrive",
        help="put each event back on the bus (or redo each failed platform call); delete it once that worked",
    )
    redrive.add_argument("queue", help="a short name from `dlq list` (events, reactions), a queue name or URL")
    redrive.add_argument("--dry-run", action="store_true", help="say what would be done; change nothing")
    redrive.add_argument("--max", type=int, default=None, metavar="N", help="at most N messages")
    redrive.add_argument(
        "--include-permanent", action="store_true", help="also redo platform calls refused for good (404, 403)"
    )
    redrive.add_argument(
        "--to-source",
        action="store_true",
        help="SQS StartMessageMoveTask back to the SQS queues that dead-lettered them (only for such queues)",
    )
    redrive.set_defaults(run=_redrive)
    for command in (listing, redrive):
        _add_target(command)


def _age(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"{minutes} min"
    hours = minutes // 60
    return f"{hours} h {minutes % 60} min" if hours < 48 else f"{hours // 24} d {hours % 24} h"


def _list(args: argparse.Namespace) -> int:
    from replyloop.adapters.dead_letter_queues import SqsDeadLetterQueues

    def work() -> int:
        queues = SqsDeadLetterQueues()
        statuses = [queues.status(name, url) for name, url in deployment(args).queues.items()]
        if args.json:
            for status in statuses:
                row = {k: getattr(status, k) for k in status.__dataclass_fields__}
                print(json.dumps({**row, "expires_in_seconds": status.expires_in_seconds}))
            return 0
        print(f"{'queue':<12} {'messages':>8} {'in flight':>9}  {'oldest':<12} {'expires in':<12} queue name")
        for s in statuses:
            oldest = _age(s.oldest_age_seconds) + ("*" if s.age_source.startswith("peek") else "")
            name = s.url.rsplit("/", 1)[-1]
            line = f"{s.name:<12} {s.visible:>8} {s.in_flight:>9}  {oldest:<12} {_age(s.expires_in_seconds):<12} {name}"
            print(line + (f"  ({len(s.sources)} SQS source queue(s): --to-source)" if s.sources else ""))
        if any(s.age_source.startswith("peek") for s in statuses):
            print("* age of the oldest message seen (CloudWatch had no ApproximateAgeOfOldestMessage)")
        waiting = sum(s.visible + s.in_flight for s in statuses)
        hint = ": `replyloop dlq redrive <queue> --dry-run` first" if waiting else ""
        print(f"\n{waiting} message(s) waiting{hint}")
        return 0

    return _run(args, work)


def _queue_url(queues: dict[str, str], wanted: str) -> tuple[str, str]:
    from replyloop.adapters.dead_letter_queues import SqsDeadLetterQueues

    if wanted in queues:
        return wanted, queues[wanted]
    for name, url in queues.items():
        if wanted in (url, url.rsplit("/", 1)[-1]):
            return name, url
    if wanted.startswith(("https://", "http://")):
        return wanted.rsplit("/", 1)[-1], wanted
    if wanted.endswith("-dlq"):
        return wanted, SqsDeadLetterQueues().url_of(wanted)
    raise TargetError(f"no dead-letter queue {wanted!r}; this deployment has {', '.join(queues)}")


def _platform_clients(secret_id: str) -> Any:
    """The react function's platform clients, for redoing failed calls (base URLs from the same env overrides)."""
    from replyloop.adapters.platforms import PlatformClients, RetryPolicy
    from replyloop.adapters.secrets import PlatformSecretStore
    from replyloop.settings import ReactSettings

    fields = ReactSettings.model_fields

    def setting(name: str) -> Any:
        return os.environ.get(name.upper(), fields[name].default)

    retry = RetryPolicy(
        attempts=int(setting("platform_max_attempts")),
        backoff_seconds=float(setting("platform_backoff_seconds")),
        timeout_seconds=float(setting("platform_timeout_seconds")),
    )
    return PlatformClients(
        credentials=PlatformSecretStore(os.environ.get("PLATFORM_SECRETS_ARN") or secret_id).load,
        graph_base_url=setting("graph_api_base_url"),
        telegram_base_url=setting("telegram_api_base_url"),
        x_base_url=setting("x_api_base_url"),
        retry=retry,
    )


def _redrive(args: argparse.Namespace) -> int:
    from replyloop.adapters.dead_letter_queues import SqsDeadLetterQueues
    from replyloop.adapters.event_bus import EventBridgePublisher
    from replyloop.adapters.redrive import Redriver, labels_by_action
    from replyloop.reactions.policy import load_policy

    def work() -> int:
        target = deployment(args)
        name, url = _queue_url(target.queues, args.queue)
        queues = SqsDeadLetterQueues()
        if args.to_source:
            return _move_to_sources(queues, name, url, dry_run=args.dry_run)
        status = queues.status(name, url)
        redriver = Redriver(
            queues,
            target.bus_name,
            owner=queues.owner(status.arn),
            platforms=lambda: _platform_clients(target.secret_id),
            publisher=lambda: EventBridgePublisher(target.bus_name),
            labels=labels_by_action(load_policy().actions),
        )
        counts: dict[str, int] = {}
        for outcome in redriver.run(
            url, dry_run=args.dry_run, limit=args.max, include_permanent=args.include_permanent
        ):
            counts[outcome.verdict] = counts.get(outcome.verdict, 0) + 1
            plan = outcome.plan
            if args.json:
                row = {"message_id": outcome.message_id, "verdict": outcome.verdict, "kind": plan.kind}
                print(json.dumps({**row, "what": plan.what, "error": plan.error, "note": outcome.note}))
                continue
            print(f"{outcome.verdict:<13} {plan.kind:<17} {plan.what}")
            for label, text in (("was", plan.error), ("now", outcome.note)):
                if text:
                    print(f"{'':<14}{label}: {text}")
        if not args.json:
            summary = ", ".join(f"{count} {verdict}" for verdict, count in counts.items()) or "nothing to redrive"
            print(f"\n{name}: {summary}")
        return 1 if counts.get("failed") else 0

    return _run(args, work)


def _move_to_sources(queues: Any, name: str, url: str, *, dry_run: bool) -> int:
    status = queues.status(name, url)
    if not status.sources:
        print(
            f"replyloop dlq: no SQS queue dead-letters into {name} (its messages come from EventBridge or Lambda); "
            "redrive without --to-source",
            file=sys.stderr,
        )
        return 2
    if dry_run:
        print(f"would move {status.visible} message(s) of {name} back to: {', '.join(status.sources)}")
        return 0
    handle = queues.move_to_sources(status.arn)
    print(f"moving {status.visible} message(s) of {name} back to their source queues; task {handle}")
    return 0


def _run(args: argparse.Namespace, work: Any) -> int:
    from replyloop.adapters.aws_errors import AWS_ERRORS

    try:
        apply_connection(args)
        return int(work())
    except TargetError as error:
        print(f"replyloop dlq: {error}", file=sys.stderr)
        return 2
    except AWS_ERRORS as error:
        print(f"replyloop dlq: AWS said: {error}", file=sys.stderr)
        return 3
