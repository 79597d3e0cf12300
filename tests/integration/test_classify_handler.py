"""The classify handler on moto: a CommentReceived envelope in, exactly one CommentClassified on the template's bus."""

from __future__ import annotations

import copy
import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.response import StreamingBody
from botocore.stub import Stubber

from replyloop.models.classification import Classification
from replyloop.models.events import CommentClassified
from tests.integration.conftest import Bus, LambdaContext
from tests.support.events import load_event
from tests.support.faults import fail_first_entry
from tests.support.observability import logged_by_us

FUNCTION = "replyloop-local-classify"
CONTEXT = {
    "function_name": FUNCTION,
    "invoked_function_arn": f"arn:aws:lambda:eu-central-1:123456789012:function:{FUNCTION}",
}


def received(text: str | None = None, comment_id: str | None = None) -> dict[str, Any]:
    """The CommentReceived sample envelope, optionally with another text or comment id."""
    event = copy.deepcopy(load_event("bus/CommentReceived.json"))
    if text is not None:
        event["detail"]["text"] = text
    if comment_id is not None:
        event["detail"]["comment_id"] = comment_id
    return event


def invoke(app: Any, event: dict[str, Any]) -> dict[str, Any]:
    return app.lambda_handler(event, LambdaContext(**CONTEXT))


def test_a_received_comment_is_classified_onto_the_bus(classify: Any, classified: Bus) -> None:
    event = received("Od tygodnia nie działa mi logowanie, co robić?", comment_id="2002_4101")
    answer = invoke(classify, event)
    [put] = classified.drain()
    assert put["source"] == "replyloop.classify"
    assert put["detail-type"] == "CommentClassified"
    detail = CommentClassified.model_validate(put["detail"])
    assert detail.comment.model_dump(mode="json") == event["detail"]
    assert detail.classification.label == "complaint"
    assert detail.classification.team == "support"
    assert detail.classification.needs_response is True
    assert "pl:complaint:nie dzial*" in detail.classification.reasons
    assert answer == {
        "duplicate": False,
        "key": "facebook:2002_4101",
        "classification": detail.classification.model_dump(mode="json"),
    }


def test_the_same_event_twice_puts_one_classification(classify: Any, classified: Bus) -> None:
    event = received()
    first = invoke(classify, event)
    second = invoke(classify, copy.deepcopy(event))
    assert first["duplicate"] is False
    assert second == {"duplicate": True, "key": "facebook:2002_3101"}
    assert [put["detail-type"] for put in classified.drain()] == ["CommentClassified"]


def test_another_comment_is_not_a_duplicate(classify: Any, classified: Bus) -> None:
    invoke(classify, received(comment_id="1"))
    invoke(classify, received(comment_id="2"))
    assert sorted(put["detail"]["comment"]["comment_id"] for put in classified.drain()) == ["1", "2"]


def test_an_event_without_account_fails_to_parse(classify: Any, classified: Bus) -> None:
    # moto delivers rule targets without `account`; the local dispatcher must fill it in before invoking.
    event = received()
    del event["account"]
    with pytest.raises(Exception, match="account"):
        invoke(classify, event)
    assert classified.drain() == []


def test_a_failed_put_raises_and_the_retry_goes_through(classify: Any, classified: Bus) -> None:
    from replyloop.adapters.aws import client

    events = client("events")
    fail_first_entry(events, calls=3)  # every attempt of the publisher fails
    with pytest.raises(RuntimeError, match="not put on the bus"):
        invoke(classify, received())
    assert classified.drain() == []
    retried = invoke(classify, received())  # the async retry: the claim was released
    assert retried["duplicate"] is False
    assert len(classified.drain()) == 1


def test_logs_carry_ids_label_and_reasons_but_never_the_text(
    classify: Any, classified: Bus, caplog: pytest.LogCaptureFixture
) -> None:
    text = "Zarabiaj 500 zł dziennie z domu, napisz priv po szczegóły"
    invoke(classify, received(text))
    [record] = [r for r in caplog.records if r.getMessage() == "Comment classified"]
    assert record.__dict__["comment_id"] == "2002_3101"
    assert record.__dict__["label"] == "spam"
    assert "pl:spam:napisz priv" in record.__dict__["reasons"]
    logged = logged_by_us(caplog.records)
    assert "Zarabiaj" not in logged
    assert "szczegóły" not in logged
    [put] = classified.drain()
    assert Classification.model_validate(put["detail"]["classification"]).label == "spam"


def test_metrics_count_the_comment_by_label_and_language(
    classify: Any, classified: Bus, capsys: pytest.CaptureFixture[str]
) -> None:
    invoke(classify, received("how do I reset my password"))
    blobs = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    counted = [blob for blob in blobs if "CommentsClassified" in blob]
    assert len(counted) == 1
    assert (counted[0]["label"], counted[0]["lang"], counted[0]["CommentsClassified"]) == ("question", "en", [1.0])
    assert len(classified.drain()) == 1


@pytest.fixture
def with_bedrock(classify: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Stubber]:
    """The handler with CLASSIFIER_SECOND_OPINION=bedrock, its shared Bedrock client stubbed."""
    monkeypatch.setenv("CLASSIFIER_SECOND_OPINION", "bedrock")
    monkeypatch.setenv("BEDROCK_MODEL_ID", "eu.anthropic.claude-3-haiku-20240307-v1:0")
    classify.triage.cache_clear()
    from replyloop.adapters.aws import quick_client

    quick_client.cache_clear()
    with Stubber(quick_client("bedrock-runtime")) as stub:
        yield stub
    classify.triage.cache_clear()
    quick_client.cache_clear()


def _bedrock_answer(label: str) -> dict[str, Any]:
    raw = json.dumps({"content": [{"type": "text", "text": json.dumps({"label": label})}]}).encode()
    return {"body": StreamingBody(io.BytesIO(raw), len(raw)), "contentType": "application/json"}


def test_an_unsure_comment_gets_a_second_opinion(
    classify: Any, classified: Bus, with_bedrock: Stubber, capsys: pytest.CaptureFixture[str]
) -> None:
    with_bedrock.add_response("invoke_model", _bedrock_answer("idea"))
    invoke(classify, received("a calendar for my bets would be neat"))
    [put] = classified.drain()
    classification = put["detail"]["classification"]
    assert (classification["label"], classification["second_opinion"]) == ("idea", "bedrock")
    assert classification["reasons"][-1] == "bedrock:idea"
    assert '"SecondOpinions":[1.0]' in capsys.readouterr().out.replace(" ", "")


def test_a_failing_second_opinion_keeps_the_first_and_is_counted(
    classify: Any,
    classified: Bus,
    with_bedrock: Stubber,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    with_bedrock.add_client_error("invoke_model", service_error_code="ThrottlingException", http_status_code=429)
    invoke(classify, received("hmm"))
    [put] = classified.drain()
    classification = put["detail"]["classification"]
    assert (classification["label"], classification["second_opinion"]) == ("other", None)
    assert '"SecondOpinionFailures":[1.0]' in capsys.readouterr().out.replace(" ", "")
    [warning] = [r for r in caplog.records if r.getMessage() == "Second opinion failed, first opinion kept"]
    assert "ThrottlingException" in warning.__dict__["error"]


def test_a_confident_comment_gets_no_second_opinion(classify: Any, classified: Bus, with_bedrock: Stubber) -> None:
    invoke(classify, received("how do I reset my password"))  # no response queued: a call would fail
    [put] = classified.drain()
    assert put["detail"]["classification"]["second_opinion"] is None
