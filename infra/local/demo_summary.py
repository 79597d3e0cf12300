"""The demo's monthly summary act: the schedule fires on demand and last month's "you asked, we did" goes out.

Scheduler never fires in moto, so the act fires the template's own schedule with
`stack.fire_schedule` (as at 09:00 on the 1st: it covers the previous month in Europe/Warsaw). The
ideas act shipped its idea this month, so the product team first dates that release to last month
through the admin API (a month can be summed up only once it is over). The act prints the Polish
and English post, the channel teasers and each author's thanks (dry-run: decided, not sent), then
fires the schedule again to show that a month is published once.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from infra.local.report import DemoRun, Row, section
from infra.local.samples import send
from infra.local.stack import LocalStack
from replyloop.summary.months import previous_month

__all__ = ["SUMMARY_KEYS", "SummaryAct"]

SUMMARY_KEYS = ("summary_published",)
MONTHLY, DAILY = "SummaryFunction.Monthly", "SummaryFunction.DailyCheck"
SHOWN_LINES = 24
WARSAW = ZoneInfo("Europe/Warsaw")


@dataclass
class SummaryAct:
    stack: LocalStack
    out: IO[str]
    rows: list[Row] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def say(self, text: str = "") -> None:
        print(f"  {text}" if text else "", file=self.out, flush=True)

    def run(self) -> None:
        month = previous_month(datetime.now(UTC), WARSAW)
        print(f'\nMonthly "you asked, we did": the schedule fires for {month} (dry-run)', file=self.out)
        self.date_the_release(month)
        answer = self.fire(MONTHLY)
        if answer is not None and answer.get("status") == "published":
            self.show(answer)
            again = self.fire(MONTHLY) or {}
            news = [e for e in self.stack.flush_tap() if e["detail-type"] == "MonthlySummaryPublished"]
            self.say(f"fired again: {again.get('status')}; MonthlySummaryPublished on the bus: {len(news)}")
            if again.get("status") != "already-published" or len(news) != 1:
                self.problems.append("a second run of the month published again")
            check = self.fire(DAILY) or {}
            self.say(f"daily check: {check.get('month')} out = {check.get('out')} (the MonthlySummaryPublished gauge)")
        elif answer is not None:
            self.problems.append(f"the summary did not publish: {answer}")
        if self.problems:
            self.rows.append(Row("scheduler", "monthly_summary", "fire_schedule", 500, problems=self.problems))

    def date_the_release(self, month: str) -> None:
        """The ideas act shipped this month; a month is summed up only once over, so date the release to `month`."""
        from replyloop.adapters.ideas_repository import DynamoIdeasStore

        store = DynamoIdeasStore(self.stack.physical.ref("IdeasTable"), client=self.stack.clients.dynamodb)
        shipped = [idea for idea in store.ideas("shipped") if idea.shipped_month != month]
        for idea in shipped:
            body = json.dumps({"shipped_month": month, "note": "released with last month's version"}).encode()
            path = f"/admin/ideas/{idea.number}"
            result = send(self.stack.api_url, "PATCH", path, body=body, headers=self.sigv4("PATCH", path, body))
            if result.status != 200:
                self.problems.append(f"PATCH {path}: HTTP {result.status}")
            else:
                self.say(f"#{idea.number} “{idea.title}”: shipped_month {idea.shipped_month} -> {month} (admin API)")

    def sigv4(self, method: str, path: str, data: bytes) -> dict[str, str]:
        url = f"{self.stack.api_url}{path}"
        request = AWSRequest(method=method, url=url, data=data, headers={"Content-Type": "application/json"})
        request.headers["Host"] = urlsplit(self.stack.api_url).netloc
        SigV4Auth(Credentials("demo", "demo"), "execute-api", self.stack.template.region).add_auth(request)
        return dict(request.headers.items())

    def fire(self, name: str) -> dict[str, Any] | None:
        started = time.perf_counter()
        invocation = self.stack.fire_schedule(name)
        if isinstance(invocation, str) or not invocation.ok:
            self.problems.append(f"{name}: {invocation if isinstance(invocation, str) else invocation.error}")
            return None
        result: dict[str, Any] = invocation.result
        self.say(f"fire_schedule({name}) -> {result.get('status', 'check')} in {time.perf_counter() - started:.1f} s")
        return result

    def show(self, answer: dict[str, Any]) -> None:
        bucket = self.stack.physical.ref("SummaryBucket")
        s3 = self.stack.clients.s3
        self.say(
            f"{answer['month']}: {answer['shipped']} shipped, {answer['received']} received, "
            f"{answer['planned']} planned; checklist passed: {answer['checklist_passed']}; s3://{bucket}/"
        )
        for key in answer["keys"]:
            self.say(f"  {key}")
        for lang in ("pl", "en"):
            text = s3.get_object(Bucket=bucket, Key=f"summaries/{answer['month']}/{lang}.md")["Body"].read().decode()
            lines = text.splitlines()
            self.say()
            self.say(f"---- {lang}.md " + "-" * 60)
            for line in lines[:SHOWN_LINES]:
                self.say(f"| {line}")
            if len(lines) > SHOWN_LINES:
                self.say(f"| … ({len(lines) - SHOWN_LINES} more lines)")
        self.say()
        self.say("channels (dry-run: decided, not posted):")
        for step in answer["channels"]:
            self.say(f"  {step['platform']}:{step['target']} [{step['lang']}] {step['outcome']}: {_one_line(step)}")
        self.say("each author, in their own thread (dry-run):")
        for step in answer["thanks"]:
            self.say(f"  {step['platform']} {step['comment_id']} [{step['lang']}] {step['outcome']}: {_one_line(step)}")


def _one_line(step: dict[str, Any]) -> str:
    return " ⏎ ".join(str(step.get("text", "")).splitlines())


@section("summary_published")
def _summary_published(run: DemoRun) -> int:
    """Monthly posts published (MonthlySummaryPublished on the bus: once per month and mode)."""
    return sum(event.get("detail-type") == "MonthlySummaryPublished" for event in run.events)
