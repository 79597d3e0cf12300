"""`replyloop ideas list|show|set|merge`: the product team's backlog commands, on the admin API's own use cases."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

from replyloop.cli.target import TargetError, add_target_options, apply_connection, ideas_settings
from replyloop.ideas import Backlog, IdeaPatch, IdeasError, ListQuery, parse_number
from replyloop.ideas.status import IDEA_STATUSES
from replyloop.ideas.views import details_view, idea_view, merge_view, page_view

__all__ = ["connect", "register"]


def connect(args: argparse.Namespace) -> Backlog:
    """The CLI's composition root: the same Backlog the admin API uses, on the chosen deployment."""
    from replyloop.adapters.ideas_wiring import aws_backlog

    apply_connection(args)
    return aws_backlog(ideas_settings(args))


def _who() -> str:
    from replyloop.adapters.identity import caller_arn

    return caller_arn()


def register(groups: Any) -> None:
    parser = groups.add_parser("ideas", help="the ideas backlog: list, show, set, merge")
    commands = parser.add_subparsers(dest="command", required=True)

    listing = commands.add_parser("list", help="ideas by votes or priority (quick wins first), a page at a time")
    listing.add_argument("--status", choices=IDEA_STATUSES)
    listing.add_argument("--sort", choices=("votes", "priority"), default="votes")
    listing.add_argument("--limit", type=int, default=20, help="ideas per page (1-100)")
    listing.add_argument("--cursor", help="the cursor printed under the previous page")
    listing.set_defaults(run=_list)

    show = commands.add_parser("show", help="one idea with its comments, voters and history")
    show.add_argument("number", help="42 or #42")
    show.set_defaults(run=_show)

    change = commands.add_parser("set", help="change status (with a note), impact, cost, title or release notes")
    change.add_argument("number", help="42 or #42")
    change.add_argument("--status", choices=IDEA_STATUSES)
    change.add_argument("--note", help="why (kept in the idea's history)")
    change.add_argument("--impact", type=int, choices=range(1, 6), metavar="1-5")
    change.add_argument("--cost", type=int, choices=range(1, 6), metavar="1-5")
    change.add_argument("--title")
    change.add_argument("--release-note-pl", help="for the monthly summary ('' removes it)")
    change.add_argument("--release-note-en", help="for the monthly summary ('' removes it)")
    change.add_argument("--shipped-month", help="YYYY-MM (default: this month, Europe/Warsaw)")
    change.set_defaults(run=_set)

    merge = commands.add_parser("merge", help="merge an idea into another: votes combined, nobody counted twice")
    merge.add_argument("number", help="the idea that goes (its number then redirects)")
    merge.add_argument("--into", required=True, help="the idea that stays")
    merge.set_defaults(run=_merge)

    for command in (listing, show, change, merge):
        command.add_argument("--json", action="store_true", help="print JSON (as the admin API answers)")
        add_target_options(command)


def _list(args: argparse.Namespace) -> int:
    def work() -> dict[str, Any]:
        query = ListQuery(status=args.status, sort=args.sort, limit=args.limit, cursor=args.cursor)
        return page_view(connect(args).list(query))

    return _run(args, work, _print_page)


def _show(args: argparse.Namespace) -> int:
    return _run(args, lambda: details_view(connect(args).show(parse_number(args.number))), _print_details)


def _set(args: argparse.Namespace) -> int:
    def work() -> dict[str, Any]:
        fields: dict[str, Any] = {
            name: getattr(args, name)
            for name in ("status", "note", "impact", "cost", "title", "shipped_month")
            if getattr(args, name) is not None
        }
        notes = {lang: getattr(args, f"release_note_{lang}") for lang in ("pl", "en")}
        if any(note is not None for note in notes.values()):
            fields["release_notes"] = {lang: note for lang, note in notes.items() if note is not None}
        patch = IdeaPatch.model_validate(fields)
        backlog = connect(args)
        return idea_view(backlog.update(parse_number(args.number), patch, _who()))

    return _run(args, work, _print_idea)


def _merge(args: argparse.Namespace) -> int:
    def work() -> dict[str, Any]:
        backlog = connect(args)
        return merge_view(backlog.merge(parse_number(args.number), parse_number(args.into), _who()))

    return _run(args, work, _print_merge)


def _run(args: argparse.Namespace, work: Any, show: Any) -> int:
    from pydantic import ValidationError

    from replyloop.adapters.aws_errors import AWS_ERRORS

    try:
        result = work()
    except IdeasError as error:
        print(f"replyloop ideas: {error} ({error.status})", file=sys.stderr)
        return 1
    except (ValidationError, TargetError) as error:
        print(f"replyloop ideas: {error}", file=sys.stderr)
        return 2
    except AWS_ERRORS as error:
        print(f"replyloop ideas: AWS said: {error}", file=sys.stderr)
        return 3
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        show(result, sys.stdout)
    return 0


def _row(idea: dict[str, Any]) -> str:
    score = f"{idea['impact']}/{idea['cost']}" if idea["impact"] and idea["cost"] else "-"
    return (
        f"{idea['ref']:>5}  {idea['status']:<9} {idea['votes']:>5}  {idea['priority'] or '-':<14} "
        f"{score:<5} {idea['lang']:<3} {idea['title']}"
    )


def _print_page(page: dict[str, Any], out: TextIO) -> None:
    print(f"{'#':>5}  {'status':<9} {'votes':>5}  {'priority':<14} {'i/c':<5} {'lng':<3} title", file=out)
    for idea in page["items"]:
        print(_row(idea), file=out)
    if page["cursor"]:
        print(f"\nmore: --cursor {page['cursor']}", file=out)


def _print_idea(idea: dict[str, Any], out: TextIO) -> None:
    print(_row(idea), file=out)
    if idea["shipped_month"]:
        notes = "; ".join(f"{lang}: {note}" for lang, note in idea["release_notes"].items())
        print(f"shipped {idea['shipped_month']}: {notes}", file=out)


def _print_details(idea: dict[str, Any], out: TextIO) -> None:
    if "redirected_from" in idea:
        print(f"#{idea['redirected_from']} was merged into {idea['ref']}:", file=out)
    _print_idea(idea, out)
    print(f"asked {idea['first_asked']} .. {idea['last_asked']}; next: {', '.join(idea['next']) or '-'}", file=out)
    print(f"\ncomments ({len(idea['comments'])}):", file=out)
    for comment in idea["comments"]:
        vote = "vote" if comment["voted"] else "    "
        where = comment["permalink"] or f"{comment['platform']} {comment['thread_id']}"
        print(f"  {vote} {comment['asked_at']} {comment['platform']:<9} {comment['comment_id']}  {where}", file=out)
    print(f"\nhistory ({len(idea['history'])}):", file=out)
    for entry in idea["history"]:
        change = f"{entry['from_status'] or ''} -> {entry['to_status']}" if entry["to_status"] else entry["kind"]
        print(f"  {entry['at']} {change:<22} {entry['who']}  {entry['note'] or ''}", file=out)


def _print_merge(result: dict[str, Any], out: TextIO) -> None:
    print(
        f"#{result['merged']} merged into {result['into']['ref']}: {result['moved_votes']} vote(s) moved, "
        f"{result['shared_voters']} author(s) had voted for both (counted once), "
        f"{result['moved_comments']} comment(s) moved",
        file=out,
    )
    _print_idea(result["into"], out)
