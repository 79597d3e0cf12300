"""SLA on the local stack: a classified comment that needs a response opens a case, a signed brand reply closes it."""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from infra.local.samples import send
from infra.local.signing import signed_headers
from infra.local.stack import LocalStack
from infra.local.telegram import telegram_brand_reply
from tests.support.events import load_event

pytestmark = pytest.mark.e2e


def test_a_comment_needing_a_response_opens_a_case_and_the_brand_reply_closes_it(
    stack: LocalStack, secrets: dict[str, Any]
) -> None:
    message_id = 20000 + uuid.uuid4().int % 10000
    comment_id = f"-1002001:{message_id}"
    detail = load_event("bus/CommentClassified.json")["detail"]
    detail["comment"] |= {
        "platform": "telegram",
        "comment_id": comment_id,
        "thread_id": "-1002001",
        "permalink": None,
        "received_at": datetime.now(UTC).isoformat(),
    }
    entry = {
        "Source": "replyloop.classify",
        "DetailType": "CommentClassified",
        "Detail": json.dumps(detail),
        "EventBusName": stack.physical.ref("EventBus"),
    }
    assert stack.clients.events.put_events(Entries=[entry])["FailedEntryCount"] == 0
    (opened,) = stack.wait_for_events(
        lambda e: e["detail-type"] == "CaseOpened" and e["detail"]["comment_id"] == comment_id, timeout=15
    )

    body = telegram_brand_reply(message_id + 1, message_id, "Dzień dobry! Wypłata jest już w drodze.")
    headers = signed_headers("telegram", body, secrets, now=int(time.time()))
    assert send(stack.api_url, "POST", "/webhooks/telegram", body=body, headers=headers).status == 200
    (answered,) = stack.wait_for_events(
        lambda e: e["detail-type"] == "CaseAnswered" and e["detail"]["comment_id"] == comment_id, timeout=15
    )

    case_key = f"telegram#{comment_id}"
    assert opened["detail"]["case_key"] == answered["detail"]["case_key"] == case_key
    assert (opened["detail"]["team"], opened["detail"]["calendar"]) == ("support", "pl")
    assert answered["detail"]["answered_by"] == "brand_reply"
    assert (answered["detail"]["within_sla"], answered["detail"]["escalated"]) == (True, False)
    item = stack.clients.dynamodb.get_item(TableName=stack.physical.ref("CasesTable"), Key={"pk": {"S": case_key}})
    assert item["Item"]["answered_at"]["S"] == answered["detail"]["answered_at"]
    executions = stack.clients.stepfunctions.list_executions(stateMachineArn=stack.physical.ref("SlaStateMachine"))
    assert opened["detail"]["execution_name"] in {e["name"] for e in executions["executions"]}
