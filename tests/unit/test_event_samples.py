"""The samples in events/: webhook bodies, their signed HTTP API events, handshakes, bus envelopes, env.json."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import pytest
from aws_lambda_powertools.utilities.parser.models import APIGatewayProxyEventV2Model, EventBridgeModel

from infra.local.sign_events import BODY_SUFFIX, build_event, event_path
from replyloop.ingest.signatures import token_matches, verify_meta, verify_x
from replyloop.models.registry import DETAIL_TYPES
from tests.support.events import EVENTS_DIR, load_body, load_event
from tests.support.template import load_template

pytestmark = pytest.mark.unit

SECRETS: dict[str, Any] = load_event("secrets.demo.json")

BODIES = sorted(path.relative_to(EVENTS_DIR).as_posix() for path in EVENTS_DIR.glob(f"webhooks/*/*{BODY_SUFFIX}"))
EVENTS = sorted(
    path.relative_to(EVENTS_DIR).as_posix()
    for path in EVENTS_DIR.glob("webhooks/*/*.json")
    if not path.name.endswith(BODY_SUFFIX)
)
HANDSHAKES = ["webhooks/facebook/handshake.json", "webhooks/instagram/handshake.json", "webhooks/x/crc.json"]
BUS_SAMPLES = sorted(path.relative_to(EVENTS_DIR).as_posix() for path in EVENTS_DIR.glob("bus/*.json"))

# The cases later issues and the demo rely on; more may be added freely.
REQUIRED_CASES = {
    "facebook": {
        "comment_add",
        "comment_reply",
        "comment_edited",
        "comment_remove",
        "brand_reply",
        "batch",
        "sticker_comment",
    },
    "instagram": {"comment", "reply", "brand_reply", "flat_shape"},
    "x": {
        "aaa_reply",
        "aaa_mention",
        "aaa_brand_reply",
        "aaa_delete",
        "aaa_favorite",
        "xaa_reply",
        "xaa_mention",
    },
    "telegram": {"comment", "reply_to_comment", "edited", "brand_reply", "auto_forward", "caption"},
    "generic": {"comment", "ama_question"},
}
POLISH_LETTERS = set("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ")


def _platform(relative: str) -> str:
    return relative.split("/")[1]


def _event_for(body: str) -> str:
    return body.removesuffix(BODY_SUFFIX) + ".json"


# ---------------------------------------------------------------------------- webhook bodies


def test_every_required_case_has_a_body_and_an_event() -> None:
    for platform, cases in REQUIRED_CASES.items():
        for case in cases:
            assert f"webhooks/{platform}/{case}{BODY_SUFFIX}" in BODIES
            assert f"webhooks/{platform}/{case}.json" in EVENTS


def test_every_event_is_a_body_wrapper_or_a_handshake() -> None:
    wrappers = {_event_for(body) for body in BODIES}
    assert set(EVENTS) == wrappers | set(HANDSHAKES)


@pytest.mark.parametrize("body_file", BODIES)
def test_body_is_one_json_object_without_trailing_newline(body_file: str) -> None:
    raw = load_body(body_file)
    payload = json.loads(raw)
    assert isinstance(payload, dict)
    assert raw == raw.strip(), "platforms send no surrounding whitespace or trailing newline"
    assert raw.decode("utf-8")


@pytest.mark.parametrize("body_file", [b for b in BODIES if _platform(b) in ("facebook", "instagram")])
def test_meta_bodies_escape_non_ascii(body_file: str) -> None:
    # Meta signs and sends \uXXXX escapes; a sample with raw UTF-8 would test a body Meta never sends.
    assert load_body(body_file).isascii()


@pytest.mark.parametrize("platform", ["facebook", "instagram"])
def test_meta_samples_include_escaped_polish(platform: str) -> None:
    escaped = [b for b in BODIES if _platform(b) == platform and b"\\u0" in load_body(b)]
    texts = "".join(json.dumps(json.loads(load_body(b)), ensure_ascii=False) for b in escaped)
    assert POLISH_LETTERS & set(texts)


# ---------------------------------------------------------------------------- signed HTTP API events


@pytest.mark.parametrize("body_file", BODIES)
def test_event_wraps_exactly_its_body(body_file: str) -> None:
    platform = _platform(body_file)
    event = load_event(_event_for(body_file))
    body = load_body(body_file)
    assert event["body"].encode("utf-8") == body
    assert event["isBase64Encoded"] is False
    assert event["version"] == "2.0"
    assert event["routeKey"] == event["requestContext"]["routeKey"] == "POST /webhooks/{platform}"
    assert event["rawPath"] == event["requestContext"]["http"]["path"] == f"/webhooks/{platform}"
    assert event["requestContext"]["http"]["method"] == "POST"
    assert event["pathParameters"] == {"platform": platform}
    assert all(name == name.lower() for name in event["headers"]), "HTTP API lower-cases header names"
    assert event["headers"]["content-length"] == str(len(body))
    assert event["headers"]["content-type"] == "application/json"


@pytest.mark.parametrize("body_file", BODIES)
def test_event_signature_verifies_with_the_demo_secrets(body_file: str) -> None:
    platform = _platform(body_file)
    headers = load_event(_event_for(body_file))["headers"]
    body = load_body(body_file)
    if platform in ("facebook", "instagram"):
        assert verify_meta(SECRETS["meta_app_secret"], body, headers["x-hub-signature-256"])
    elif platform == "x":
        assert verify_x(SECRETS["x_consumer_secret"], body, headers["x-twitter-webhooks-signature"])
    elif platform == "telegram":
        assert token_matches(SECRETS["telegram_secret_token"], headers["x-telegram-bot-api-secret-token"])
    else:
        # The HMAC only: the signed timestamp is the generation time, checked against a window at run time.
        timestamp = headers["x-replyloop-timestamp"]
        secret = SECRETS["generic_hmac_secret"].encode()
        expected = hmac.new(secret, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
        assert headers["x-replyloop-signature"] == f"sha256={expected}"


@pytest.mark.parametrize("body_file", BODIES)
def test_event_is_what_sign_events_writes(body_file: str) -> None:
    # Catches a body edited without `make events`; generic samples are rebuilt at their own signing time.
    stored = load_event(_event_for(body_file))
    now = int(stored["headers"].get("x-replyloop-timestamp", 0))
    rebuilt = build_event(EVENTS_DIR / body_file, SECRETS, now=now)
    assert event_path(EVENTS_DIR / body_file) == EVENTS_DIR / _event_for(body_file)
    assert rebuilt == stored


@pytest.mark.parametrize("event_file", EVENTS)
def test_event_parses_as_an_http_api_v2_event(event_file: str) -> None:
    model = APIGatewayProxyEventV2Model.model_validate(load_event(event_file))
    assert model.requestContext.stage == "$default"
    assert model.requestContext.http.sourceIp


# ---------------------------------------------------------------------------- handshakes


@pytest.mark.parametrize("event_file", HANDSHAKES)
def test_handshake_is_a_get_without_body(event_file: str) -> None:
    event = load_event(event_file)
    platform = _platform(event_file)
    assert event["routeKey"] == event["requestContext"]["routeKey"] == "GET /webhooks/{platform}"
    assert event["requestContext"]["http"]["method"] == "GET"
    assert event["pathParameters"] == {"platform": platform}
    assert "body" not in event
    assert dict(parse_qsl(event["rawQueryString"])) == event["queryStringParameters"]


@pytest.mark.parametrize("event_file", ["webhooks/facebook/handshake.json", "webhooks/instagram/handshake.json"])
def test_meta_handshake_carries_the_demo_verify_token(event_file: str) -> None:
    query = load_event(event_file)["queryStringParameters"]
    assert query["hub.mode"] == "subscribe"
    assert query["hub.verify_token"] == SECRETS["meta_verify_token"]
    assert query["hub.challenge"].isdigit()


def test_facebook_handshake_challenge_is_the_documented_one() -> None:
    assert load_event("webhooks/facebook/handshake.json")["queryStringParameters"]["hub.challenge"] == "1158201444"


def test_x_crc_has_a_token_to_answer() -> None:
    event = load_event("webhooks/x/crc.json")
    token = event["queryStringParameters"]["crc_token"]
    assert event["rawQueryString"] == f"crc_token={token}"
    assert re.fullmatch(r"[A-Za-z0-9_-]{16,}", token)


# ---------------------------------------------------------------------------- bus envelopes


def test_there_is_a_bus_sample_per_ingest_detail_type() -> None:
    assert {Path(sample).stem for sample in BUS_SAMPLES} == set(DETAIL_TYPES)


@pytest.mark.parametrize("sample", BUS_SAMPLES)
def test_bus_sample_is_a_full_envelope_with_a_valid_detail(sample: str) -> None:
    envelope = load_event(sample)
    model = DETAIL_TYPES[Path(sample).stem]
    assert set(envelope) == {
        "version",
        "id",
        "detail-type",
        "source",
        "account",
        "time",
        "region",
        "resources",
        "detail",
    }
    assert envelope["detail-type"] == model.detail_type
    assert envelope["source"] == model.source
    assert envelope["resources"] == []
    parsed = EventBridgeModel.model_validate(envelope)
    assert parsed.time.utcoffset() is not None
    detail = model.model_validate(envelope["detail"])
    # Exactly as ingest serialises it (UTC with Z, nulls kept), so consumers see the real wire form.
    assert detail.model_dump(mode="json") == envelope["detail"]


# ---------------------------------------------------------------------------- sam local invoke --env-vars


def test_env_json_sets_the_ingest_configuration() -> None:
    env = load_event("env.json")
    assert set(env["IngestFunction"]) >= {
        "EVENT_BUS_NAME",
        "PLATFORM_SECRETS_ARN",
        "IDEMPOTENCY_TABLE",
        "POWERTOOLS_SERVICE_NAME",
        "POWERTOOLS_METRICS_NAMESPACE",
    }
    assert env["IngestFunction"]["POWERTOOLS_METRICS_NAMESPACE"] == "Replyloop"


def test_env_json_only_sets_variables_the_template_declares() -> None:
    # `sam local invoke --env-vars` silently drops variables a function does not declare in template.yaml.
    template = load_template()
    global_vars = set(template["Globals"]["Function"].get("Environment", {}).get("Variables", {}))
    for function, variables in load_event("env.json").items():
        resource = template["Resources"][function]
        assert resource["Type"] == "AWS::Serverless::Function"
        declared = global_vars | set(resource["Properties"].get("Environment", {}).get("Variables", {}))
        assert set(variables) <= declared, f"{function}: {sorted(set(variables) - declared)} not in template.yaml"
