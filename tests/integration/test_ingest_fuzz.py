"""Property: whatever the body and headers, the ingest handler answers 2xx or 4xx, never a 5xx."""

from __future__ import annotations

import base64
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from moto import mock_aws

from infra.local.clients import Clients
from infra.local.model import build_functions
from infra.local.resources import create_resources
from infra.local.signing import signed_headers
from infra.local.template import load_template
from tests.integration.conftest import DEMO_SECRETS, ROOT, LambdaContext
from tests.support.events import EVENTS_DIR, load_event

PLATFORMS = ["facebook", "instagram", "x", "telegram", "generic"]
SAMPLES = sorted(EVENTS_DIR.glob("webhooks/*/*.body.json"))
ALLOWED = {200, 400, 401, 404, 413}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=20,
)


def _paths(value: Any, prefix: tuple = ()) -> Iterator[tuple]:
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*prefix, index))


@st.composite
def mutated_samples(draw: st.DrawFn) -> tuple[str, bytes]:
    """A real sample with one node replaced or removed: the shapes a platform change could bring."""
    path: Path = draw(st.sampled_from(SAMPLES))
    payload = json.loads(path.read_bytes())
    target = draw(st.sampled_from(list(_paths(payload))[1:]))
    parent = payload
    for step in target[:-1]:
        parent = parent[step]
    if draw(st.booleans()) and isinstance(parent, dict):
        del parent[target[-1]]
    else:
        parent[target[-1]] = draw(json_values)
    return path.parent.name, json.dumps(payload).encode()


@st.composite
def deliveries(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["mutated", "json", "bytes"]))
    if kind == "mutated":
        platform, body = draw(mutated_samples())
    else:
        platform = draw(st.sampled_from([*PLATFORMS, "unknown"]))
        body = json.dumps(draw(json_values)).encode() if kind == "json" else draw(st.binary(max_size=300))
    if draw(st.booleans()) and platform in PLATFORMS:
        headers = signed_headers(platform, body, DEMO_SECRETS, now=int(time.time()))
    else:
        headers = draw(st.dictionaries(st.text(min_size=1, max_size=30), st.text(max_size=60), max_size=4))
    event = load_event("webhooks/facebook/comment_add.json")
    event["rawPath"] = event["requestContext"]["http"]["path"] = f"/webhooks/{platform}"
    event["pathParameters"] = {"platform": platform}
    event["headers"] = {k.lower(): v for k, v in headers.items()}
    if draw(st.booleans()):
        event.update(body=base64.b64encode(body).decode(), isBase64Encoded=True)
    else:
        event.update(body=body.decode("utf-8", errors="replace"), isBase64Encoded=False)
    return event


@pytest.fixture(scope="module")
def ingest() -> Iterator[Any]:
    saved = dict(os.environ)
    with mock_aws():
        template = load_template(ROOT / "template.yaml")
        physical = create_resources(template, Clients())
        os.environ.update(build_functions(template, physical)["IngestFunction"].environment)
        from functions.ingest import app
        from replyloop.adapters import aws as shared_clients

        for cached in (app.intake, app.ledger, shared_clients.client):
            cached.cache_clear()
        yield app
        for cached in (app.intake, app.ledger, shared_clients.client):
            cached.cache_clear()
    os.environ.clear()
    os.environ.update(saved)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(event=deliveries())
def test_no_input_gives_a_5xx(ingest: Any, event: dict[str, Any]) -> None:
    response = ingest.lambda_handler(event, LambdaContext())
    assert response["statusCode"] in ALLOWED, response


def test_the_fuzzer_reaches_past_authentication(ingest: Any) -> None:
    """Guard against a vacuous property: signed mutated samples must get past the signature check."""
    statuses = set()
    for path in SAMPLES[:8]:
        platform = path.parent.name
        body = path.read_bytes()
        event = load_event("webhooks/facebook/comment_add.json")
        event["rawPath"] = f"/webhooks/{platform}"
        event["pathParameters"] = {"platform": platform}
        headers = signed_headers(platform, body, DEMO_SECRETS, now=int(time.time()))
        event["headers"] = {k.lower(): v for k, v in headers.items()}
        event.update(body=body.decode(), isBase64Encoded=False)
        statuses.add(ingest.lambda_handler(event, LambdaContext())["statusCode"])
    assert statuses == {200}
