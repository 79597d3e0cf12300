"""`replyloop`: the command line of Replyloop (`python -m replyloop.cli ideas list`); one sub-command per area."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from replyloop.cli import ideas

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="replyloop", description=__doc__)
    groups = parser.add_subparsers(dest="group", required=True, metavar="{ideas}")
    ideas.register(groups)
    args = parser.parse_args(argv)
    return int(args.run(args))
