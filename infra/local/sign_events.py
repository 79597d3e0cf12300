"""Regenerate the API Gateway sample events in events/webhooks from their raw bodies (`make events`).

Every `events/webhooks/<platform>/<case>.body.json` holds the exact bytes a platform POSTs; this
writes the matching `<case>.json`, an HTTP API (payload 2.0) event for
`sam local invoke IngestFunction -e events/webhooks/<platform>/<case>.json`, with the signature
headers computed from events/secrets.demo.json by infra.local.signing. Request id, trace id and
time are derived from the file name and the body, so re-running changes nothing, except the
generic samples: their signed timestamp is the time of generation, so ingest rejects them as
replays 5 minutes later (`sam local invoke` included); re-sign them with `make events` before use.
Handshake events (GET, no body) are hand-written and left alone.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import time
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from infra.local.signing import signed_headers

__all__ = ["build_event", "main", "sign_all"]

REPO_ROOT = Path(__file__).resolve().parents[2]
EVENTS_DIR = REPO_ROOT / "events"
BODY_SUFFIX = ".body.json"

# A made-up deployment, the same in every sample.
ACCOUNT_ID = "123456789012"
API_ID = "k7x2m9q4w1"
REGION = "eu-central-1"
DOMAIN = f"{API_ID}.execute-api.{REGION}.amazonaws.com"

# Where each platform's deliveries come from: published egress ranges (documentation range for generic).
_SENDERS: dict[str, dict[str, Any]] = {
    "facebook": {
        "ip": "173.252.127.{n}",
        "headers": {"accept": "*/*", "accept-encoding": "deflate, gzip", "user-agent": "facebookexternalua"},
    },
    "instagram": {
        "ip": "173.252.127.{n}",
        "headers": {"accept": "*/*", "accept-encoding": "deflate, gzip", "user-agent": "facebookexternalua"},
    },
    "x": {"ip": "199.59.150.{n}", "headers": {"accept-encoding": "gzip"}},
    "telegram": {"ip": "149.154.167.{n}", "headers": {"accept-encoding": "gzip, deflate"}},
    "generic": {"ip": "203.0.113.{n}", "headers": {"user-agent": "examplebrand-web/2.4"}},
}

# Keys whose values say when something happened, in any platform's body (seconds, ms or ISO 8601).
_EPOCH_KEYS = frozenset({"time", "date", "edit_date", "created_time"})
_EPOCH_MS_KEYS = frozenset({"timestamp_ms"})
_ISO_KEYS = frozenset({"created_at"})


def _walk(node: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield key, value
            yield from _walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item)


def _latest_moment(payload: Any) -> float | None:
    """The newest timestamp in a body: a delivery is made just after its last change."""
    moments: list[float] = []
    for key, value in _walk(payload):
        if key in _EPOCH_KEYS and isinstance(value, int) and not isinstance(value, bool):
            moments.append(float(value))
        elif key in _EPOCH_MS_KEYS and str(value).isdigit():
            moments.append(int(value) / 1000)
        elif key in _ISO_KEYS and isinstance(value, str):
            try:
                moments.append(datetime.fromisoformat(value).timestamp())
            except ValueError:  # X's "Mon Jan 12 ..." dates: timestamp_ms carries the same moment
                continue
    return max(moments) if moments else None


def _digest(name: str) -> bytes:
    return hashlib.sha256(name.encode("utf-8")).digest()


def build_event(body_path: Path, secrets: Mapping[str, Any], *, now: int) -> dict[str, Any]:
    """The HTTP API event that delivers `body_path`'s bytes, signed; `now` is signed by generic only."""
    platform = body_path.parent.name
    body = body_path.read_bytes()
    name = body_path.relative_to(body_path.parents[2]).as_posix()  # webhooks/<platform>/<file>
    digest = _digest(name)
    sender = _SENDERS[platform]

    if platform == "generic":
        epoch_ms = now * 1000
    else:
        moment = _latest_moment(json.loads(body))
        base = moment if moment is not None else 1_768_176_000 + int.from_bytes(digest[:3]) % 86_400
        epoch_ms = int(base) * 1000 + 1000 + digest[3] * 4  # a second or so after the change
    received = datetime.fromtimestamp(epoch_ms / 1000, UTC)
    source_ip = sender["ip"].format(n=1 + digest[4] % 250)
    path = f"/webhooks/{platform}"

    signed = {key.lower(): value for key, value in signed_headers(platform, body, secrets, now=now).items()}
    headers = {
        **sender["headers"],
        "content-length": str(len(body)),
        "host": DOMAIN,
        "x-amzn-trace-id": f"Root=1-{epoch_ms // 1000:08x}-{digest[8:20].hex()}",
        "x-forwarded-for": source_ip,
        "x-forwarded-port": "443",
        "x-forwarded-proto": "https",
        **signed,
    }
    return {
        "version": "2.0",
        "routeKey": "POST /webhooks/{platform}",
        "rawPath": path,
        "rawQueryString": "",
        "headers": dict(sorted(headers.items())),
        "requestContext": {
            "accountId": ACCOUNT_ID,
            "apiId": API_ID,
            "domainName": DOMAIN,
            "domainPrefix": API_ID,
            "http": {
                "method": "POST",
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": source_ip,
                "userAgent": headers.get("user-agent", ""),
            },
            "requestId": base64.urlsafe_b64encode(digest[20:31]).decode("ascii"),
            "routeKey": "POST /webhooks/{platform}",
            "stage": "$default",
            "time": received.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "timeEpoch": epoch_ms,
        },
        "pathParameters": {"platform": platform},
        "body": body.decode("utf-8"),
        "isBase64Encoded": False,
    }


def event_path(body_path: Path) -> Path:
    """`<case>.json` next to `<case>.body.json`."""
    return body_path.with_name(body_path.name.removesuffix(BODY_SUFFIX) + ".json")


def sign_all(events_dir: Path = EVENTS_DIR, *, now: int | None = None) -> list[Path]:
    """Write every webhook sample's event; returns the paths written."""
    secrets = json.loads((events_dir / "secrets.demo.json").read_text(encoding="utf-8"))
    signed_at = int(time.time()) if now is None else now
    written = []
    for body_path in sorted(events_dir.glob(f"webhooks/*/*{BODY_SUFFIX}")):
        event = build_event(body_path, secrets, now=signed_at)
        target = event_path(body_path)
        target.write_text(json.dumps(event, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(target)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--now", type=int, help="Unix time to sign generic samples with (default: now)")
    args = parser.parse_args(argv)
    written = sign_all(now=args.now)
    print(f"signed {len(written)} sample events under {EVENTS_DIR.relative_to(REPO_ROOT)}/webhooks")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
