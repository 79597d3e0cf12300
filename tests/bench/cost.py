"""Cost model: the AWS requests each kind of comment causes, counted on the real handlers in moto, priced per million.

Run: `python -m tests.bench.cost`. In one process, under moto (Step Functions executing the real
definition), the template's resources and rules are created as the local stack creates them, and
each scenario is played through the real handlers: a signed Telegram webhook goes to ingest as an
HTTP API event, every event the rules deliver goes to its function, the SLA timer runs on the demo's
compressed clock (seconds) until it ends. A botocore hook counts each handler's calls (PutEvents
entries, DynamoDB units, SNS, SQS, Secrets Manager, S3); state transitions, the state machine's own
SNS publishes, events and table calls come from the execution history. Caches are warm (a warm-up
comment runs first), as in a busy deployment. Figures go through tests/bench/aws_requests.py.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import json
import logging
import os
import sys
import time
import uuid
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from tests.bench.aws_requests import RequestCounter, Usage, cost

MEMORY_GB = 0.5  # Globals: MemorySize 512
PLATFORM_LOG_BYTES = 330  # START, END and REPORT lines Lambda writes per invocation
HTTP_API_EVENT = {"route": "POST /webhooks/{platform}", "path": "/webhooks/telegram"}
MIX = {
    "question answered in time": 0.40,
    "complaint escalated": 0.20,
    "idea": 0.10,
    "praise": 0.10,
    "spam": 0.05,
    "toxic hidden": 0.05,
    "other": 0.10,
}


@dataclass(frozen=True)
class Scenario:
    text: str
    label: str
    brand_reply: bool = False  # the brand answers right away (inside the SLA), in the comment's thread


SCENARIOS = {
    "question answered in time": Scenario(
        "Ile trwa wypłata na konto bankowe? Zleciłam ją wczoraj wieczorem.", "question", True
    ),
    "complaint escalated": Scenario(
        "Od dwóch dni nie działa mi logowanie do aplikacji, to skandal. Proszę o pilną pomoc!", "complaint"
    ),
    "idea": Scenario("Dodajcie proszę tryb ciemny w aplikacji, wieczorem oczy bolą.", "idea"),
    "praise": Scenario("Super obsługa, dziękuję za szybką i konkretną odpowiedź!", "praise"),
    "spam": Scenario("Zarabiaj 5000 zł dziennie bez wychodzenia z domu! Pisz na priv, link w bio", "spam"),
    "toxic hidden": Scenario("Jesteście bandą idiotów i złodziei, spadajcie", "toxic"),
    "other": Scenario("Widziałem wczoraj wasz stand na targach w Poznaniu.", "other"),
}


class Capture(io.TextIOBase):
    """Stands in for stdout: counts what the handlers log (Powertools JSON lines and EMF blobs)."""

    def __init__(self) -> None:
        self.bytes = 0

    def write(self, text: str) -> int:
        self.bytes += len(text.encode("utf-8"))
        return len(text)


class Pipeline:
    """The template's rules and functions in one process under moto; every handler call is counted."""

    def __init__(self, counter: RequestCounter, capture: Capture) -> None:
        import boto3

        from infra.local.clients import Clients
        from infra.local.demo_sla import parameters
        from infra.local.model import build_functions
        from infra.local.resources import create_resources
        from infra.local.stack import REPO_ROOT
        from infra.local.template import load_template
        from infra.local.wiring import wire

        self.counter, self.capture = counter, capture
        self.template = load_template(REPO_ROOT / "template.yaml", parameters=parameters())
        boto3.setup_default_session(region_name=self.template.region)
        counter.attach(boto3.DEFAULT_SESSION)  # the handlers' clients come from the default session
        self.clients = Clients(region=self.template.region)  # the pipeline's own calls: never counted
        self.physical = create_resources(self.template, self.clients)
        self.functions = build_functions(self.template, self.physical)
        self.wiring = wire(self.template, self.physical, self.functions, self.clients)
        self.machines = [self.physical[m] for m in self.template.resources if m.endswith("StateMachine")]
        self.secrets = json.loads((REPO_ROOT / "events" / "secrets.demo.json").read_text(encoding="utf-8"))
        self.base_env = dict(os.environ)
        self.failures: list[str] = []

    # -- invoking -----------------------------------------------------------------------------

    def invoke(self, logical_id: str, event: Any, usage: Usage) -> Any:
        from infra.local.worker import LambdaContext

        spec = self.functions[logical_id]
        os.environ.clear()
        os.environ.update({**self.base_env, **spec.environment, "AWS_LAMBDA_FUNCTION_NAME": spec.name})
        module = importlib.import_module(spec.module)  # imported with its own environment, as Lambda does
        context = LambdaContext(
            function_name=spec.name,
            function_version="$LATEST",
            invoked_function_arn=spec.arn,
            memory_limit_in_mb=spec.memory_size,
            aws_request_id=str(uuid.uuid4()),
            log_group_name=f"/aws/lambda/{spec.name}",
            log_stream_name="bench",
            deadline_ms=int(time.time() * 1000) + spec.timeout * 1000,
        )
        logged = self.capture.bytes
        started = time.perf_counter()
        result = None
        with self.counter.counting() as block:
            try:
                result = getattr(module, spec.attribute)(event, context)
            except Exception as error:  # a failing handler is reported, the scenario goes on
                self.failures.append(f"{logical_id}: {type(error).__name__}: {error}")
        seconds = time.perf_counter() - started
        block.lambda_invocations += 1
        block.lambda_gb_seconds += max(0.001, seconds) * spec.memory_size / 1024
        block.log_bytes += self.capture.bytes - logged + PLATFORM_LOG_BYTES
        usage += block
        return result

    def webhook(self, body: bytes, usage: Usage) -> Any:
        from infra.local.http_event import HttpRequest, http_api_event
        from infra.local.signing import signed_headers
        from infra.local.specs import api_id

        headers = signed_headers("telegram", body, self.secrets, now=int(time.time()))
        request = HttpRequest("POST", HTTP_API_EVENT["path"], "", tuple(headers.items()), body, "127.0.0.1")
        event = http_api_event(
            request,
            route_key=HTTP_API_EVENT["route"],
            path_parameters={"platform": "telegram"},
            api_id=api_id("WebhookApi"),
            account_id=self.template.account_id,
            request_id=str(uuid.uuid4()),
        )
        usage.http_api_requests += 1
        return self.invoke("IngestFunction", event, usage)

    # -- delivering ---------------------------------------------------------------------------

    def drain(self, usage: Usage, seen: list[dict[str, Any]]) -> bool:
        """Deliver every waiting event to its target once; True if anything was delivered."""
        from infra.local.payloads import apply_target_input, complete_event

        delivered = False
        for delivery in self.wiring.deliveries:
            if delivery.kind != "event":
                continue
            messages = self.clients.sqs.receive_message(QueueUrl=delivery.queue_url, MaxNumberOfMessages=10).get(
                "Messages", []
            )
            for message in messages:
                self.clients.sqs.delete_message(QueueUrl=delivery.queue_url, ReceiptHandle=message["ReceiptHandle"])
                event = complete_event(json.loads(message["Body"]), account_id="123456789012", region="eu-central-1")
                payload = apply_target_input(delivery.target, event)
                if delivery.target.kind == "function" and delivery.target.logical_id:
                    self.invoke(delivery.target.logical_id, payload, usage)
                    delivered = True
        tap = self.clients.sqs.receive_message(QueueUrl=self.wiring.tap_queue_url, MaxNumberOfMessages=10)
        for message in tap.get("Messages", []):
            seen.append(json.loads(message["Body"]))
            self.clients.sqs.delete_message(QueueUrl=self.wiring.tap_queue_url, ReceiptHandle=message["ReceiptHandle"])
            delivered = True
        return delivered

    def executions(self) -> set[str]:
        return {
            execution["executionArn"]
            for machine in self.machines
            for execution in self.clients.stepfunctions.list_executions(stateMachineArn=machine)["executions"]
        }

    def running(self) -> bool:
        return any(
            self.clients.stepfunctions.list_executions(stateMachineArn=machine, statusFilter="RUNNING")["executions"]
            for machine in self.machines
        )

    def settle(self, usage: Usage, seen: list[dict[str, Any]], *, timers: bool = True, timeout: float = 60.0) -> None:
        """Until no event waits (and, with `timers`, no SLA timer runs: on the demo clock it ends in seconds)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            # Once more after the timers stopped: their last events are put as they end.
            if not self.drain(usage, seen) and not (timers and self.running()) and not self.drain(usage, seen):
                return
            time.sleep(0.2)
        self.failures.append(f"still busy after {timeout:.0f} s")

    def timer_usage(self, arns: set[str]) -> Usage:
        """From each execution's history: transitions, and the SNS, EventBridge and DynamoDB calls it made."""
        usage = Usage()
        for arn in arns:
            history = self.clients.stepfunctions.get_execution_history(executionArn=arn)["events"]
            for event in history:
                if event["type"].endswith("StateEntered"):
                    usage.state_transitions += 1
                details = event.get("taskScheduledEventDetails")
                if details:
                    service = details["resourceType"]
                    operation = details["resource"].split(".")[0]
                    params = json.loads(details.get("parameters") or "{}")
                    usage.record(service, operation[:1].upper() + operation[1:], params)
        return usage


def _comment(number: int, text: str) -> bytes:
    from infra.local.telegram import telegram_comment

    return telegram_comment(number, text, n=number % 50)


def _reply(number: int, answered: int) -> bytes:
    from infra.local.telegram import telegram_brand_reply

    return telegram_brand_reply(number, answered, "Dzień dobry, wypłata na konto trwa do 24 godzin.")


def play(pipeline: Pipeline, scenario: Scenario, number: int) -> tuple[Usage, str]:
    """One comment of the scenario, to the end of its SLA timer; the usage, and the label it got."""
    usage, seen = Usage(), []
    before = pipeline.executions()
    pipeline.webhook(_comment(number, scenario.text), usage)
    pipeline.settle(usage, seen, timers=False)
    if scenario.brand_reply:
        pipeline.webhook(_reply(number + 1, number), usage)
    pipeline.settle(usage, seen)
    usage = usage + pipeline.timer_usage(pipeline.executions() - before)
    labels = [e["detail"]["classification"]["label"] for e in seen if e.get("detail-type") == "CommentClassified"]
    return usage, ",".join(labels) or "-"


@contextlib.contextmanager
def captured_stdout(capture: Capture) -> Iterator[None]:
    previous = sys.stdout
    sys.stdout = capture
    try:
        yield
    finally:
        sys.stdout = previous


COLUMNS: list[tuple[str, Callable[[Usage], float], str]] = [
    ("HTTP", lambda u: u.http_api_requests, "{:.0f}"),
    ("λ inv", lambda u: u.lambda_invocations, "{:.0f}"),
    ("λ GB-s", lambda u: u.lambda_gb_seconds, "{:.3f}"),
    ("EB ev", lambda u: u.eventbridge_entries, "{:.0f}"),
    ("SFN tr", lambda u: u.state_transitions, "{:.0f}"),
    ("DDB W", lambda u: u.dynamodb_write_units, "{:.1f}"),
    ("DDB R", lambda u: u.dynamodb_read_units, "{:.1f}"),
    ("SNS", lambda u: u.sns_publishes, "{:.0f}"),
    ("SQS", lambda u: u.sqs_requests, "{:.0f}"),
    ("Secr", lambda u: u.secrets_calls, "{:.0f}"),
    ("log KB", lambda u: u.log_bytes / 1024, "{:.1f}"),
]


def report(per_kind: dict[str, tuple[Usage, str]], warm_secrets: int, out: Any) -> float:
    width = max(map(len, per_kind)) + 2
    print("AWS requests per comment, by kind (real handlers on moto, warm containers):", file=out)
    print(f"{'kind':<{width}}{'label':<11}" + "".join(f"{name:>8}" for name, _, _ in COLUMNS), file=out)
    for kind, (usage, label) in per_kind.items():
        cells = "".join(f"{fmt.format(get(usage)):>8}" for _, get, fmt in COLUMNS)
        print(f"{kind:<{width}}{label:<11}{cells}", file=out)
    mix = Usage()
    for kind, share in MIX.items():
        mix = mix + per_kind[kind][0].scaled(share)
    per_million = cost(mix.scaled(1e6))
    total = sum(per_million.values())
    shares = ", ".join(f"{share:.0%} {kind}" for kind, share in MIX.items())
    print(f"\nUSD per million comments for the mix: {shares}", file=out)
    for item, usd in sorted(per_million.items(), key=lambda pair: -pair[1]):
        print(f"  {item:<32} {usd:>9.2f}  {usd / total:6.1%}", file=out)
    print(f"  {'total':<32} {total:>9.2f}", file=out)
    print(
        "\nassumptions: us-east-1 prices of 2026 (aws-local.md; CloudWatch Logs $0.50/GB, Secrets Manager "
        f"$0.05/10k calls, S3 PUT $0.005/1k from the AWS pricing pages); one comment per webhook; Lambda {MEMORY_GB:g}"
        " GB arm64, billed for the in-process handler time measured here (moto answers in place of AWS; init and"
        " cold starts not counted); DynamoDB items under 1 KB written and 4 KB read where the size is not in the "
        f"request; log bytes are the handlers' JSON logs and EMF lines plus {PLATFORM_LOG_BYTES} bytes of Lambda's "
        "START/END/REPORT per invocation; the SLA timer as executed by moto on the demo clock (transitions and its "
        f"SNS, EventBridge and DynamoDB calls from the history). Secrets Manager: {warm_secrets} call(s) in the "
        "warm-up (a cold container), then cached for 5 minutes per container, so ~0 per comment. Not included: "
        "X-Ray traces (sampled), CloudWatch custom metrics and alarms (per month, not per comment), data transfer.",
        file=out,
    )
    return total


def print_calls(per_kind: dict[str, tuple[Usage, str]], out: Any) -> None:
    print("\nAPI calls per comment (handlers' own, then the SLA timer's):", file=out)
    for kind, (usage, _) in per_kind.items():
        calls = ", ".join(f"{name} {count}" for name, count in sorted(usage.calls.items()))
        print(f"  {kind}: {calls}", file=out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", action="store_true", help="also list the API calls behind each row")
    args = parser.parse_args(argv)
    logging.getLogger("moto").setLevel(logging.CRITICAL)  # the state machine's own caught errors are expected
    warnings.filterwarnings("ignore", message="No application metrics to publish")
    os.environ.update(
        {
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench",
            "AWS_DEFAULT_REGION": "eu-central-1",
            "AWS_REGION": "eu-central-1",
            "POWERTOOLS_TRACE_DISABLED": "true",
            "TZ": "UTC",
        }
    )
    os.environ.pop("AWS_ENDPOINT_URL", None)
    from moto import mock_aws

    out = sys.stdout
    counter, capture = RequestCounter(), Capture()
    with mock_aws(config={"stepfunctions": {"execute_state_machine": True}}), captured_stdout(capture):
        pipeline = Pipeline(counter, capture)
        warm_up, _ = play(pipeline, SCENARIOS["question answered in time"], 100)
        for kind, scenario in SCENARIOS.items():  # every function imported and its caches filled
            if kind != "question answered in time":
                play(pipeline, scenario, 200 + 10 * list(SCENARIOS).index(kind))
        per_kind = {
            kind: play(pipeline, scenario, 1000 + 10 * index)
            for index, (kind, scenario) in enumerate(SCENARIOS.items())
        }
    report(per_kind, warm_up.secrets_calls, out)
    if args.calls:
        print_calls(per_kind, out)
    for kind, (_, label) in per_kind.items():
        if SCENARIOS[kind].label not in label.split(","):
            print(f"note: the {kind!r} comment was classified {label!r}, not {SCENARIOS[kind].label!r}", file=out)
    for failure in pipeline.failures:
        print(f"FAILED: {failure}", file=sys.stderr)
    return 1 if pipeline.failures else 0


if __name__ == "__main__":
    sys.exit(main())
