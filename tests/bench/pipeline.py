"""Throughput of the local pipeline: signed webhooks per second from HTTP to CommentClassified on the bus, none lost.

Run: `python -m tests.bench.pipeline [--comments 200] [--workers 4]`. The local stack (moto, the
template's resources, one worker process per function, the HTTP gateway, the template's rules)
starts; one warm-up comment goes through; then N generic comments with distinct ids are signed
and POSTed from a thread pool. Each comment's CommentClassified is watched for on the tap; the
run fails (exit 1) if any comment never arrives or arrives twice. Locally each function runs one
invocation at a time (Lambda would scale out), so this is the floor of one container per function.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import uuid
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

from infra.local.samples import HttpResult, load_secrets, send
from infra.local.signing import signed_headers
from infra.local.stack import REPO_ROOT, LocalStack, quiet_console_logging

# A mix of what a brand hears (question, complaint, praise, idea, other), Polish and English.
TEXTS = [
    "Ile trwa wypłata na konto bankowe? Zleciłam ją wczoraj wieczorem.",
    "Od dwóch dni nie działa mi logowanie do aplikacji, proszę o pomoc.",
    "Super obsługa, dziękuję za szybką odpowiedź!",
    "Dodajcie proszę tryb ciemny w aplikacji.",
    "How long does a bank transfer withdrawal usually take?",
    "The app keeps logging me out, this is really annoying.",
    "Great update, the new statements screen is much clearer.",
    "Widziałem wczoraj wasz stand na targach w Poznaniu.",
]


def body(run: str, index: int) -> bytes:
    comment = {
        "id": f"bench-{run}-{index}",
        "thread_id": f"bench/{run}/{index % 10}",
        "parent_id": None,
        "author": {"id": f"bench-author-{index % 37}", "handle": f"bench{index % 37}"},
        "text": TEXTS[index % len(TEXTS)],
        "created_at": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        "permalink": None,
    }
    return json.dumps(comment, ensure_ascii=False).encode()


def post(stack: LocalStack, secrets: dict[str, Any], payload: bytes) -> tuple[HttpResult, float, float]:
    headers = signed_headers("generic", payload, secrets, now=int(time.time()))
    started = time.perf_counter()
    result = send(stack.api_url, "POST", "/webhooks/generic", body=payload, headers=headers)
    return result, started, time.perf_counter()


def classified_ids(stack: LocalStack, prefix: str) -> list[str]:
    return [
        str(event["detail"]["comment"]["comment_id"])
        for event in stack.bus_events()
        if event.get("detail-type") == "CommentClassified"
        and str(event["detail"]["comment"]["comment_id"]).startswith(prefix)
    ]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def run(stack: LocalStack, secrets: dict[str, Any], count: int, workers: int, timeout: float) -> int:
    warm = uuid.uuid4().hex[:8]
    post(stack, secrets, body(warm, 0))
    stack.wait_for_events(lambda e: e.get("detail-type") == "CommentClassified", count=1, timeout=60)

    tag = uuid.uuid4().hex[:8]
    prefix = f"bench-{tag}-"
    payloads = [body(tag, index) for index in range(count)]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        answers = list(pool.map(lambda payload: post(stack, secrets, payload), payloads))
    accepted_at = time.perf_counter()
    sent_at = {f"{prefix}{index}": answer[1] for index, answer in enumerate(answers)}
    seen_at: dict[str, float] = {}
    deadline = started + timeout
    while len(seen_at) < count and time.perf_counter() < deadline:
        now = time.perf_counter()
        for comment_id in classified_ids(stack, prefix):
            seen_at.setdefault(comment_id, now)
        time.sleep(0.05)
    finished = max(seen_at.values(), default=time.perf_counter())
    found = classified_ids(stack, prefix)

    statuses = sorted({answer[0].status for answer in answers})
    http_ms = [(answer[2] - answer[1]) * 1000 for answer in answers]
    lag_ms = [(seen_at[i] - sent_at[i]) * 1000 for i in seen_at]
    lost = sorted(set(sent_at) - set(found), key=lambda i: int(i.rsplit("-", 1)[-1]))
    twice = len(found) - len(set(found))
    print(f"{count} signed generic webhooks over HTTP from {workers} threads; HTTP statuses {statuses}")
    print(
        f"HTTP accepted: {count / (accepted_at - started):6.1f} webhooks/s; latency p50 "
        f"{statistics.median(http_ms):.0f} ms, p95 {percentile(http_ms, 0.95):.0f} ms"
    )
    print(
        f"HTTP -> CommentClassified: {len(seen_at) / (finished - started):6.1f} webhooks/s "
        f"({len(seen_at)} in {finished - started:.1f} s); each comment p50 {statistics.median(lag_ms or [0]):.0f} ms,"
        f" p95 {percentile(lag_ms or [0], 0.95):.0f} ms after its POST"
    )
    print(f"lost: {len(lost)}{(' ' + ', '.join(lost[:10])) if lost else ''}; classified twice: {twice}")
    return 1 if lost or twice or statuses != [200] else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--comments", type=int, default=200)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds to wait for the last classification")
    args = parser.parse_args(argv)
    quiet_console_logging()
    secrets = load_secrets(REPO_ROOT / "events" / "secrets.demo.json")
    started = time.perf_counter()
    with LocalStack(REPO_ROOT / "template.yaml") as stack:
        print(f"local stack up in {time.perf_counter() - started:.1f} s")
        return run(stack, secrets, args.comments, args.workers, args.timeout)


if __name__ == "__main__":
    sys.exit(main())
