"""`replyloop summary run`: a month run again through the deployed function (its request pinned with Stubber)."""

from __future__ import annotations

import argparse
import io
import json

import boto3
import pytest
from botocore.response import StreamingBody
from botocore.stub import Stubber

from replyloop.cli import summary

pytestmark = pytest.mark.unit


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    summary.register(parser.add_subparsers(dest="group"))
    return parser.parse_args(["summary", "run", *argv])


def _answer(payload: object, **extra: object) -> dict[str, object]:
    body = json.dumps(payload).encode()
    return {"StatusCode": 200, "Payload": StreamingBody(io.BytesIO(body), len(body)), **extra}


@pytest.mark.parametrize(("status", "code"), [("published", 0), ("already-published", 0), ("blocked", 1)])
def test_run_invokes_the_function_with_the_month(status: str, code: int, capsys: pytest.CaptureFixture[str]) -> None:
    client = boto3.client("lambda", region_name="eu-central-1")
    with Stubber(client) as stub:
        expected = {
            "FunctionName": "summary-fn",
            "InvocationType": "RequestResponse",
            "Payload": '{"month": "2026-11"}',
        }
        stub.add_response("invoke", _answer({"month": "2026-11", "status": status}), expected)
        assert summary.run(_args("--month", "2026-11", "--function-name", "summary-fn"), client=client) == code
        stub.assert_no_pending_responses()
    assert json.loads(capsys.readouterr().out)["status"] == status


def test_a_failed_function_is_reported(capsys: pytest.CaptureFixture[str]) -> None:
    client = boto3.client("lambda", region_name="eu-central-1")
    with Stubber(client) as stub:
        stub.add_response("invoke", _answer({"errorMessage": "boom"}, FunctionError="Unhandled"))
        assert summary.run(_args("--function-name", "summary-fn"), client=client) == 1
    assert "the function failed (Unhandled)" in capsys.readouterr().err


def test_without_a_target_it_says_how_to_name_one(capsys: pytest.CaptureFixture[str]) -> None:
    assert summary.run(_args("--month", "2026-11")) == 2
    assert "pass --stack NAME or --function-name NAME" in capsys.readouterr().err
