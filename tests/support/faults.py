"""Injecting EventBridge PutEvents partial failures into a real (moto-backed) client."""

from __future__ import annotations

from typing import Any

from botocore.awsrequest import AWSResponse

_FAILED = {"ErrorCode": "InternalFailure", "ErrorMessage": "injected by the test"}


def fail_first_entry(client: Any, calls: int) -> None:
    """For the next `calls` PutEvents calls, the first entry fails and the others really reach the bus.

    The failing entry is taken out of the request before it is sent and reported back as
    failed, exactly as EventBridge reports a partial failure.
    """
    state = {"left": calls, "mode": None}

    def take_out(params: dict[str, Any], **_: Any) -> None:
        state["mode"] = None
        if state["left"] > 0:
            state["left"] -= 1
            if len(params["Entries"]) > 1:
                params["Entries"] = params["Entries"][1:]
                state["mode"] = "dropped"
            else:
                state["mode"] = "all"

    def answer_all_failed(**_: Any) -> tuple[AWSResponse, dict[str, Any]] | None:
        if state["mode"] == "all":
            return AWSResponse("https://events.local", 200, {}, None), {"FailedEntryCount": 1, "Entries": [_FAILED]}
        return None

    def report_dropped(parsed: dict[str, Any], **_: Any) -> None:
        if state["mode"] == "dropped":
            parsed["Entries"].insert(0, dict(_FAILED))
            parsed["FailedEntryCount"] = parsed.get("FailedEntryCount", 0) + 1

    client.meta.events.register("before-parameter-build.events.PutEvents", take_out)
    client.meta.events.register("before-call.events.PutEvents", answer_all_failed)
    client.meta.events.register("after-call.events.PutEvents", report_dropped)
