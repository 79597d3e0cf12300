"""`make demo`: replay every webhook sample, signed, over real HTTP to the local stack and report."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from infra.local.demo_comments import print_comments
from infra.local.demo_ideas import IDEAS_KEYS, IdeasAct
from infra.local.demo_kpis import KpiAct, headline_line
from infra.local.demo_sla import SLA_KEYS, SlaAct, parameters
from infra.local.demo_summary import SUMMARY_KEYS, SummaryAct
from infra.local.report import DemoRun, Row, build_report, event_labels, write_report
from infra.local.samples import HttpResult, Sample, discover, load_secrets, send
from infra.local.signing import signed_headers
from infra.local.stack import REPO_ROOT, LocalStack, quiet_console_logging
from replyloop.ingest.signatures import x_crc_response

__all__ = ["Demo", "main"]

WEBHOOK_SOURCE = "replyloop.ingest"  # events the webhook handler itself puts on the bus (DESIGN contract)
REPORT_PATH = REPO_ROOT / "build" / "demo" / "report.json"
STALE_SECONDS = 600  # twice the generic replay window
Check = Callable[[Sample, HttpResult, Row], None]


class Demo:
    """Sends requests one at a time; the tap is flushed after each, so its events are its own."""

    def __init__(self, stack: LocalStack, secrets: dict[str, Any]) -> None:
        self.stack, self.secrets = stack, secrets
        self.rows: list[Row] = []

    def request(
        self,
        sample: Sample,
        sent_as: str,
        *,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        expect: Collection[int] = range(200, 300),
        check: Check | None = None,
        duplicate: bool = False,
    ) -> Row:
        before = len(self.stack.flush_tap())
        result = send(
            self.stack.api_url,
            sample.method,
            sample.url_path,
            body=sample.body if body is None else body,
            headers=headers or {},
            query=sample.query,
        )
        arrived = self.stack.flush_tap()[before:]
        own = [e for e in arrived if e.get("source") == WEBHOOK_SOURCE]
        row = Row(sample.platform, sample.case, sent_as, result.status, own, duplicate=duplicate)
        if result.status not in expect:
            row.problems.append(f"HTTP {result.status}, expected {_describe(expect)}")
        elif check is not None:
            check(sample, result, row)
        if not row.accepted and own:
            row.problems.append(f"refused, yet {len(own)} event(s) reached the bus")
        self.rows.append(row)
        return row

    def sign(self, sample: Sample, body: bytes | None = None, *, now: int | None = None) -> dict[str, str]:
        signed_at = int(time.time()) if now is None else now
        return signed_headers(sample.platform, sample.body if body is None else body, self.secrets, now=signed_at)

    def replay(self, samples: list[Sample]) -> list[tuple[Sample, dict[str, str]]]:
        """Every sample as its platform sends it; returns the deliveries that put events on the bus."""
        delivered: list[tuple[Sample, dict[str, str]]] = []
        for sample in samples:
            if sample.method == "GET":
                self.request(sample, "GET handshake", expect={200}, check=self._check_handshake)
                continue
            headers = self.sign(sample)
            row = self.request(sample, "signed POST", headers=headers, check=_check_published)
            if row.accepted and row.bus_events:
                delivered.append((sample, headers))
        return delivered

    def redeliver(self, delivered: list[tuple[Sample, dict[str, str]]]) -> None:
        """Platforms deliver at least once: the same bytes and headers again must add nothing."""
        first_per_platform: dict[str, tuple[Sample, dict[str, str]]] = {}
        for sample, headers in delivered:
            first_per_platform.setdefault(sample.platform, (sample, headers))
        for sample, headers in first_per_platform.values():
            self.request(sample, "redelivery", headers=headers, check=_check_nothing_new, duplicate=True)

    def tamper(self, samples: list[Sample]) -> None:
        """Per platform: a changed body, no signature, a malformed body; a stale signed timestamp."""
        malformed = b'{"entry": ['
        first_post: dict[str, Sample] = {}
        for sample in samples:
            if sample.method == "POST":
                first_post.setdefault(sample.platform, sample)
        for sample in first_post.values():
            tampered = _flip_a_byte(sample.body)
            if self.sign(sample, tampered, now=0) != self.sign(sample, now=0):  # this platform signs bodies
                self.request(sample, "tampered body", body=tampered, headers=self.sign(sample), expect={401})
            unsigned = {"Content-Type": "application/json"}
            self.request(sample, "unsigned", headers=unsigned, expect={401})
            signed = self.sign(sample, malformed)
            self.request(sample, "malformed, signed", body=malformed, headers=signed, expect={400})
            stale = self.sign(sample, now=int(time.time()) - STALE_SECONDS)
            if stale != self.sign(sample):  # this platform signs a timestamp
                self.request(sample, "stale timestamp", headers=stale, expect={401})

    def _check_handshake(self, sample: Sample, result: HttpResult, row: Row) -> None:
        """Meta echoes hub.challenge; X answers the CRC with an HMAC of crc_token."""
        query = dict(parse_qsl(sample.query))
        if "hub.challenge" in query and result.body.decode() != query["hub.challenge"]:
            row.problems.append("the handshake did not echo hub.challenge")
        if "crc_token" in query:
            expected = x_crc_response(str(self.secrets["x_consumer_secret"]), query["crc_token"])
            if _json_or_none(result.body) != expected:
                row.problems.append("the CRC answer is not the expected response_token")


def _check_published(sample: Sample, result: HttpResult, row: Row) -> None:
    """Lost events: what the handler says it published must all have reached the bus."""
    answer = _json_or_none(result.body)
    published = answer.get("published") if isinstance(answer, dict) else None
    if isinstance(published, int) and published != len(row.bus_events):
        row.problems.append(f"{published} event(s) published, {len(row.bus_events)} reached the bus")


def _check_nothing_new(sample: Sample, result: HttpResult, row: Row) -> None:
    if row.bus_events:
        row.problems.append(f"{len(row.bus_events)} event(s) reached the bus again")


def _json_or_none(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        return None


def _flip_a_byte(body: bytes) -> bytes:
    """Change one letter's case in the second half: the same shape, no longer the signed bytes."""
    data = bytearray(body)
    for i in range(len(data) // 2, len(data)):
        if chr(data[i]).isascii() and chr(data[i]).isalpha():
            data[i] ^= 0x20
            return bytes(data)
    return body + b" "


def _describe(expect: Collection[int]) -> str:
    return "2xx" if expect == range(200, 300) else "/".join(str(s) for s in sorted(expect))


def run(stack: LocalStack, samples: list[Sample], secrets: dict[str, Any]) -> DemoRun:
    demo = Demo(stack, secrets)
    delivered = demo.replay(samples)
    demo.redeliver(delivered)
    demo.tamper(samples)
    stack.wait_until_idle(timeout=60)  # let every rule's consumers finish before counting
    sla = SlaAct(stack, secrets, sys.stdout)  # cases, a reply, warnings and escalations on a compressed clock
    sla.run()
    demo.rows += sla.rows
    stack.wait_until_idle(timeout=60)
    ideas = IdeasAct(stack, secrets, sys.stdout)  # ideas and votes, then merge and statuses over the admin API
    ideas.run()
    demo.rows += ideas.rows
    stack.wait_until_idle(timeout=60)
    summary = SummaryAct(stack, sys.stdout)  # the monthly schedule fired on demand: last month's post
    summary.run()
    demo.rows += summary.rows
    stack.wait_until_idle(timeout=60)
    kpis = KpiAct(stack, secrets, sys.stdout)  # weeks of history, the weekly digest, build/demo/report.html
    kpis.run()
    demo.rows += kpis.rows
    stack.wait_until_idle(timeout=60)
    return DemoRun(stack, demo.rows, stack.bus_events(), stack.dead_letters())


def print_table(run: DemoRun, out: Any = sys.stdout) -> None:
    headings = ("platform", "case", "sent as", "HTTP", "reached the bus")
    cells = [
        (r.platform, r.case, r.sent_as, str(r.status) + (" !" if r.problems else ""), event_labels(r.bus_events))
        for r in run.rows
    ]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(headings[:-1])]
    for line in (headings, (*("-" * w for w in widths), "-" * 15), *cells):
        print("  ".join(v.ljust(w) for v, w in zip(line, widths, strict=False)) + "  " + line[-1], file=out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events-dir", type=Path, default=REPO_ROOT / "events")
    parser.add_argument("--template", type=Path, default=REPO_ROOT / "template.yaml")
    parser.add_argument("--report", type=Path, default=REPORT_PATH)
    args = parser.parse_args(argv)
    quiet_console_logging()

    samples = discover(args.events_dir / "webhooks")
    if not samples:
        print(f"no webhook samples under {args.events_dir / 'webhooks'}", file=sys.stderr)
        return 1
    secrets = load_secrets(args.events_dir / "secrets.demo.json")
    started = time.perf_counter()
    with LocalStack(args.template, parameters=parameters()) as stack:  # the demo's SLA policy counts in seconds
        print(f"local stack up in {time.perf_counter() - started:.1f} s; replaying {len(samples)} samples\n")
        demo_run = run(stack, samples, secrets)
        report = build_report(demo_run)
    write_report(report, args.report)

    print_table(demo_run)
    print_comments(demo_run)
    summary = {k: report[k] for k in ("webhooks_sent", "accepted", "rejected", "duplicates_ignored")}
    print("\n" + ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in summary.items()))
    print("bus events: " + (", ".join(f"{k} {v}" for k, v in report["events"].items()) or "none"))
    print("labels: " + ", ".join(f"{k} {v}" for k, v in report["labels"].items()))
    print("reactions: " + ", ".join(f"{k} {v}" for k, v in report["reactions"].items()))
    print("SLA (compressed clock): " + ", ".join(f"{k.replace('_', ' ')} {report[k]}" for k in SLA_KEYS))
    print("ideas: " + ", ".join(f"{k.replace('_', ' ')} {report[k]}" for k in IDEAS_KEYS))
    print("monthly summary: " + ", ".join(f"{k.replace('_', ' ')} {report[k]}" for k in SUMMARY_KEYS))
    print(f"KPIs {headline_line(report['kpis'])} ({report['kpis']['report']})")
    print(f"report: {_shown(args.report)}; function logs: {_shown(stack.log_dir)}")
    problems = demo_run.problems
    for problem in problems:
        print(f"UNEXPECTED: {problem}", file=sys.stderr)
    return 1 if problems else 0


def _shown(path: Path) -> str:
    return str(path.relative_to(REPO_ROOT)) if path.is_relative_to(REPO_ROOT) else str(path)


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    except KeyboardInterrupt:  # the stack has already stopped everything it started
        print("\ninterrupted", file=sys.stderr)
        raise SystemExit(130) from None
