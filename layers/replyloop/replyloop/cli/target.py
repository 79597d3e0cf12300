"""Where a CLI command points: a stack's outputs, a stage's names, or the table and bus names in the environment.

In that order: `--stack NAME` reads the deployed stack's outputs (`IdeasTableName`, `EventBusName`);
`--stage STAGE` uses template.yaml's names (`replyloop-<stage>-ideas`, `replyloop-<stage>`), which
is also how to reach the local stack (`--stage local` with `AWS_ENDPOINT_URL` set to its moto
server); otherwise `IDEAS_TABLE` and `EVENT_BUS_NAME`, as the functions get them.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping

from replyloop.settings import IdeasSettings

__all__ = ["TargetError", "add_target_options", "apply_connection", "ideas_settings"]


class TargetError(Exception):
    """The command does not know which deployment to talk to."""


def add_target_options(parser: argparse.ArgumentParser) -> None:
    where = parser.add_argument_group("where (default: IDEAS_TABLE and EVENT_BUS_NAME from the environment)")
    where.add_argument("--stage", help="a stage's resource names from template.yaml, e.g. prod or local")
    where.add_argument("--stack", help="a deployed CloudFormation stack whose outputs name the table and bus")
    where.add_argument("--region", help="AWS region (else AWS_REGION / your profile)")
    where.add_argument("--endpoint-url", help="AWS endpoint, e.g. the local stack's moto server (or AWS_ENDPOINT_URL)")


def apply_connection(args: argparse.Namespace, environ: dict[str, str] | None = None) -> None:
    """boto3 reads these from the environment when the first client is made."""
    env = os.environ if environ is None else environ
    if args.endpoint_url:
        env["AWS_ENDPOINT_URL"] = args.endpoint_url
    if args.region:
        env["AWS_DEFAULT_REGION"] = env["AWS_REGION"] = args.region


def ideas_settings(args: argparse.Namespace, environ: Mapping[str, str] | None = None) -> IdeasSettings:
    env = os.environ if environ is None else environ
    if args.stack:
        from replyloop.adapters.stack_outputs import stack_outputs

        outputs = stack_outputs(args.stack)
        missing = {"IdeasTableName", "EventBusName"} - set(outputs)
        if missing:
            raise TargetError(f"stack {args.stack} has no output {', '.join(sorted(missing))}: deploy it first")
        return IdeasSettings(ideas_table=outputs["IdeasTableName"], event_bus_name=outputs["EventBusName"])
    if args.stage:
        return IdeasSettings(ideas_table=f"replyloop-{args.stage}-ideas", event_bus_name=f"replyloop-{args.stage}")
    if env.get("IDEAS_TABLE") and env.get("EVENT_BUS_NAME"):
        return IdeasSettings(ideas_table=env["IDEAS_TABLE"], event_bus_name=env["EVENT_BUS_NAME"])
    raise TargetError(
        "which deployment? pass --stage (e.g. --stage local with AWS_ENDPOINT_URL for the local stack), "
        "--stack, or set IDEAS_TABLE and EVENT_BUS_NAME"
    )
