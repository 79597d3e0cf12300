"""`replyloop`: the command line of Replyloop (`python -m replyloop.cli ideas list`); one sub-command per area."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from replyloop.cli import dlq, ideas, kpis, report, summary

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="replyloop", description=__doc__)
    groups = parser.add_subparsers(dest="group", required=True, metavar="{ideas,dlq,kpis,report,summary}")
    ideas.register(groups)
    dlq.register(groups)
    kpis.register(groups)
    report.register(groups)
    summary.register(groups)
    args = parser.parse_args(argv)
    return int(args.run(args))
