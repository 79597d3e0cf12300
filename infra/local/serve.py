"""`make serve`: keep the local stack up, print ready-to-paste curl commands, show bus events live."""

from __future__ import annotations

import argparse
import shlex
import signal
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from types import FrameType
from typing import Any, TextIO

from infra.local.report import event_labels
from infra.local.samples import Sample, discover, load_secrets
from infra.local.signing import signed_headers
from infra.local.stack import REPO_ROOT, LocalStack, quiet_console_logging

__all__ = ["curl_commands", "main"]

_REPRESENTATIVE = {"comment_add", "comment", "aaa_reply"}


def curl_commands(api_url: str, samples: list[Sample], secrets: dict[str, Any], *, now: int) -> list[str]:
    """One signed POST and one handshake (where there is one) per platform, paths relative to the repo."""
    chosen: dict[tuple[str, str], Sample] = {}
    # A plain comment per platform shows the whole pipeline (classified, reacted to, maybe a case).
    preferred = sorted(samples, key=lambda sample: sample.case not in _REPRESENTATIVE)
    for sample in preferred:
        chosen.setdefault((sample.platform, sample.method), sample)
    commands = []
    for (platform, method), sample in sorted(chosen.items()):
        url = f"{api_url}{sample.url_path}"
        if method == "GET":
            commands.append(f"curl -sS {shlex.quote(url + '?' + sample.query)}")
            continue
        headers = signed_headers(platform, sample.body, secrets, now=now)
        parts = ["curl -sS -X POST", shlex.quote(url)]
        parts += [f"-H {shlex.quote(f'{name}: {value}')}" for name, value in headers.items()]
        parts.append(f"--data-binary @{shlex.quote(_shown(sample.path))}")
        commands.append(" ".join(parts))
    return commands


def _shown(path: Path) -> str:
    return str(path.relative_to(REPO_ROOT)) if path.is_relative_to(REPO_ROOT) else str(path)


def _watch_bus(stack: LocalStack, stop: threading.Event, out: TextIO) -> None:
    seen = 0
    while not stop.wait(0.2):
        events = stack.bus_events()
        for event in events[seen:]:
            print(f"  bus: {event.get('source')}  {event_labels([event])}", file=out, flush=True)
        seen = len(events)


def _print_curls(stack: LocalStack, samples: list[Sample], secrets: dict[str, Any], out: TextIO) -> None:
    print("\nTry it (generic signatures expire after 5 minutes; press Enter for fresh ones):\n", file=out)
    for command in curl_commands(stack.api_url, samples, secrets, now=int(time.time())):
        print(f"  {command}\n", file=out)


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events-dir", type=Path, default=REPO_ROOT / "events")
    parser.add_argument("--template", type=Path, default=REPO_ROOT / "template.yaml")
    args = parser.parse_args(argv)
    quiet_console_logging()
    signal.signal(signal.SIGTERM, _raise_interrupt)  # `kill` cleans up like Ctrl-C does
    out = sys.stdout
    out.reconfigure(line_buffering=True)  # type: ignore[attr-defined]  # visible at once when piped
    samples = discover(args.events_dir / "webhooks")
    secrets = load_secrets(args.events_dir / "secrets.demo.json")
    stop = threading.Event()
    try:
        with LocalStack(args.template) as stack:
            print(f"HTTP API      {stack.api_url}   (routes: /webhooks/{{platform}}, GET and POST)", file=out)
            print(f"AWS (moto)    {stack.endpoint_url}   e.g. AWS_ENDPOINT_URL={stack.endpoint_url} aws ...", file=out)
            print(f"logs          {_shown(stack.log_dir)}/<Function>.log, stack.log, moto.log", file=out)
            print(f"event bus     {stack.physical.get('EventBus', 'default')}; events are printed below", file=out)
            print(f"admin API     {stack.api_url}/admin/ideas   (IAM is not enforced locally)", file=out)
            print(
                f"CLI           AWS_ENDPOINT_URL={stack.endpoint_url} .venv/bin/replyloop ideas list --stage local",
                file=out,
            )
            _print_curls(stack, samples, secrets, out)
            print("Ctrl-C stops everything.\n", file=out, flush=True)
            threading.Thread(target=_watch_bus, args=(stack, stop, out), daemon=True).start()
            for _line in sys.stdin:
                _print_curls(stack, samples, secrets, out)
            while True:  # stdin closed (not a terminal): just stay up
                time.sleep(3600)
    except KeyboardInterrupt:
        print("\nstopped; every local process is gone.", file=out)
    finally:
        stop.set()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
