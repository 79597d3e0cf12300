"""`replyloop summary run [--month YYYY-MM]`: run the monthly "you asked, we did" again, through the deployed function.

The function runs with its own configuration, mode (dry-run or live) and role, exactly as the
schedule runs it; the caller needs only lambda:InvokeFunction. A finished month publishes nothing
new; a blocked or partial one takes the steps not yet done. `--stack NAME` reads the stack's
`SummaryFunctionName` output; `--function-name` names the function directly.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from replyloop.cli.target import TargetError, apply_connection

__all__ = ["register", "run"]

# Statuses after which nothing is left to do for the month.
SETTLED = ("published", "already-published", "skipped")


def register(groups: Any) -> None:
    parser = groups.add_parser("summary", help='the monthly "you asked, we did" post', description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run_parser = commands.add_parser("run", help="run a month (default: the previous month) through the function")
    run_parser.add_argument("--month", help="YYYY-MM, a month that is over (default: the previous month)")
    where = run_parser.add_argument_group("where")
    where.add_argument("--stack", help="a deployed stack whose SummaryFunctionName output names the function")
    where.add_argument("--function-name", help="the summary function's name or ARN")
    where.add_argument("--region", help="AWS region (else AWS_REGION / your profile)")
    where.add_argument("--endpoint-url", help="AWS endpoint (or AWS_ENDPOINT_URL)")
    run_parser.set_defaults(run=run)


def _function(args: argparse.Namespace) -> str:
    if args.function_name:
        return str(args.function_name)
    if args.stack:
        from replyloop.adapters.stack_outputs import stack_outputs

        outputs = stack_outputs(args.stack)
        if "SummaryFunctionName" not in outputs:
            raise TargetError(f"stack {args.stack} has no SummaryFunctionName output: deploy it first")
        return outputs["SummaryFunctionName"]
    raise TargetError("which function? pass --stack NAME or --function-name NAME")


def run(args: argparse.Namespace, *, client: Any = None) -> int:
    """Invoke the function (request-response), print its answer; 0 when the month is settled."""
    try:
        apply_connection(args)
        function = _function(args)
    except TargetError as error:
        print(f"replyloop summary: {error}", file=sys.stderr)
        return 2
    if client is None:
        from replyloop.adapters.aws import client as shared_client

        client = shared_client("lambda")
    payload = {"month": args.month} if args.month else {}
    response = client.invoke(FunctionName=function, InvocationType="RequestResponse", Payload=json.dumps(payload))
    answer = json.loads(response["Payload"].read() or b"null")
    print(json.dumps(answer, ensure_ascii=False, indent=2))
    if response.get("FunctionError"):
        print(f"replyloop summary: the function failed ({response['FunctionError']}); see its logs", file=sys.stderr)
        return 1
    return 0 if isinstance(answer, dict) and answer.get("status") in SETTLED else 1
