"""Redriving dead letters: each message goes back where it can now succeed, and is deleted only once it has.

What the queues hold, and where each goes back to:

- an EventBridge event (a rule target's dead letter, or a Lambda async invocation's: both keep the
  original event as the body) -> put again on the bus with its source, detail-type, detail and time.
  Every rule that matches gets it again; consumers are idempotent, so only the one that failed acts;
- an EventBridge Scheduler dead letter (attributes SCHEDULE_ARN and TARGET_ARN, the target's input as the
  body) -> the target function invoked again, asynchronously, with that input;
- a Lambda async invocation's dead letter whose payload is not an event (attribute RequestID; the
  summary's scheduled input) -> the function that uses this queue as its DLQ, invoked again with it;
- `kind=unpublished-event` (react could not put its ReactionPerformed) -> put on the bus;
- `kind=failed-action` (a reply, hide or post the platform refused after retries) -> the same call
  again through the platform clients, then a ReactionPerformed with outcome `done` where the label
  is known (it closes an SLA case answered by an FAQ reply); a react re-run would not redo it, as
  the comment is already marked reacted. Permanent failures (refused, not found) are kept unless asked.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from botocore.exceptions import BotoCoreError, ClientError
from pydantic import ValidationError

from replyloop.adapters.aws import client as shared_client
from replyloop.adapters.dead_letter_queues import Letter, SqsDeadLetterQueues
from replyloop.models.events import BusEvent, ReactionPerformed
from replyloop.reactions.actions import FailedAction, PlatformError
from replyloop.reactions.ports import PlatformClient, Publisher

__all__ = ["Outcome", "Plan", "Redriver", "labels_by_action", "plan"]

Kind = Literal["event", "schedule", "invocation", "unpublished-event", "failed-action", "unknown"]
Verdict = Literal["redriven", "would redrive", "kept", "failed"]
# Held invisible while a run works through the queue, so one run never sees a message twice.
HIDE_SECONDS = 120
# Reactions that no label maps to in policy.json: the slow-mode reminder, and idea thanks (sent on IdeaRecorded).
_LABEL_OF_EXTRA_ACTIONS = {"rules_reminder": "toxic", "idea_thanks": "idea"}


@dataclass(frozen=True, slots=True)
class Plan:
    """What a dead letter is and how it would be redriven."""

    kind: Kind
    what: str
    error: str
    entry: dict[str, Any] | None = None
    failed: FailedAction | None = None
    invoke: dict[str, Any] | None = None

    @property
    def permanent(self) -> bool:
        return self.failed is not None and not self.failed.retryable


@dataclass(frozen=True, slots=True)
class Outcome:
    message_id: str
    plan: Plan
    verdict: Verdict
    note: str = ""


def _what(detail_type: str, detail: Mapping[str, Any]) -> str:
    """The event's type and the ids an operator searches the logs with; never text."""
    comment = detail.get("comment") if isinstance(detail.get("comment"), dict) else detail  # CommentClassified
    ids = detail.get("case_key") or ":".join(str(comment[k]) for k in ("platform", "comment_id") if comment.get(k))
    number = detail.get("number")
    return " ".join(part for part in (detail_type, ids, f"#{number}" if number else "") if part)


def _error(attributes: Mapping[str, str]) -> str:
    """EventBridge writes ERROR_CODE/ERROR_MESSAGE (and RULE_ARN); Lambda writes ErrorCode/ErrorMessage."""
    code = attributes.get("ERROR_CODE") or attributes.get("ErrorCode") or ""
    message = attributes.get("ERROR_MESSAGE") or attributes.get("ErrorMessage") or ""
    rule = attributes.get("RULE_ARN", "").rsplit("/", 1)[-1]
    text = ": ".join(part for part in (code, message) if part)
    return f"{text} (rule {rule})" if rule else text


def _entry(bus_name: str, source: str, detail_type: str, detail: Any, event: Mapping[str, Any]) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "EventBusName": bus_name,
        "Source": source,
        "DetailType": detail_type,
        "Detail": json.dumps(detail, ensure_ascii=False),
    }
    if event.get("resources"):
        entry["Resources"] = list(event["resources"])
    if isinstance(event.get("time"), str):  # the original time: consumers see when it really happened
        entry["Time"] = datetime.fromisoformat(event["time"].replace("Z", "+00:00"))
    return entry


def _invoke(function: str, body: str) -> dict[str, Any]:
    return {"FunctionName": function, "InvocationType": "Event", "Payload": body.encode("utf-8")}


def _invocation(letter: Letter, owner: str | None) -> Plan | None:
    """A schedule's dead letter names its target; a Lambda one (RequestID) belongs to the queue's owner."""
    schedule, target = letter.attributes.get("SCHEDULE_ARN", ""), letter.attributes.get("TARGET_ARN", "")
    if schedule and ":lambda:" in target and ":function:" in target:
        what = f"schedule {schedule.rsplit('/', 1)[-1]} -> {target.rsplit(':', 1)[-1]}"
        return Plan("schedule", what, _error(letter.attributes), invoke=_invoke(target, letter.body))
    if owner and "RequestID" in letter.attributes:
        what = f"invocation of {owner.rsplit(':', 1)[-1]} (request {letter.attributes['RequestID']})"
        return Plan("invocation", what, _error(letter.attributes), invoke=_invoke(owner, letter.body))
    return None


def _replyloop(letter: Letter, bus_name: str) -> Plan | None:
    """An event (of a rule's or a Lambda's dead letter) or what the react function kept; None if neither."""
    kind = letter.attributes.get("kind")
    if kind == "failed-action":
        failed = FailedAction.model_validate_json(letter.body)
        request = failed.request
        what = f"{request.kind} {request.action} {request.target.platform}:{request.target.comment_id}"
        return Plan("failed-action", what, failed.error, failed=failed)
    body = json.loads(letter.body)
    if kind == "unpublished-event" and isinstance(body, dict) and {"source", "detail_type", "detail"} <= set(body):
        entry = _entry(bus_name, body["source"], body["detail_type"], body["detail"], {})
        what = _what(body["detail_type"], body["detail"])
        return Plan("unpublished-event", what, "the event could not be put on the bus", entry=entry)
    if isinstance(body, dict) and {"source", "detail-type", "detail"} <= set(body):
        entry = _entry(bus_name, body["source"], body["detail-type"], body["detail"], body)
        return Plan("event", _what(body["detail-type"], body["detail"]), _error(letter.attributes), entry=entry)
    return None


def plan(letter: Letter, bus_name: str, *, owner: str | None = None) -> Plan:
    """Recognise a dead letter by its attributes and shape; an unknown one is kept, never guessed at.

    `owner` is the one function whose async dead-letter queue this is, when there is exactly one.
    """
    try:
        found = _replyloop(letter, bus_name) or _invocation(letter, owner)
    except (ValueError, ValidationError) as error:
        found = _invocation(letter, owner)
        if found is None:
            return Plan("unknown", f"message {letter.message_id}", f"unreadable: {str(error).splitlines()[0]}")
    return found or Plan("unknown", f"message {letter.message_id}", "neither an event nor a reaction Replyloop wrote")


def labels_by_action(actions: Mapping[str, str]) -> dict[str, str]:
    """The label a reaction was for, where only one label leads to it (policy.json: label -> action)."""
    labels: dict[str, list[str]] = {}
    for label, action in actions.items():
        labels.setdefault(action, []).append(label)
    known = {action: found[0] for action, found in labels.items() if len(found) == 1}
    return {**_LABEL_OF_EXTRA_ACTIONS, **known}


class Redriver:
    """Works through one queue: plan, act, delete on success; what failed or was kept stays for the next run."""

    def __init__(
        self,
        queues: SqsDeadLetterQueues,
        bus_name: str,
        *,
        events: Any = None,
        lambda_client: Any = None,
        owner: str | None = None,
        platforms: Callable[[], Callable[[str], PlatformClient | None]] | None = None,
        publisher: Callable[[], Publisher] | None = None,
        labels: Mapping[str, str] | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._queues = queues
        self._bus_name = bus_name
        self._events = events
        self._lambda = lambda_client
        self._owner = owner
        self._platforms = platforms
        self._publisher = publisher
        self._labels = dict(labels or {})
        self._clock = clock

    @property
    def events(self) -> Any:
        if self._events is None:
            self._events = shared_client("events")
        return self._events

    @property
    def lambda_client(self) -> Any:
        if self._lambda is None:
            self._lambda = shared_client("lambda")
        return self._lambda

    def run(
        self, url: str, *, dry_run: bool = False, limit: int | None = None, include_permanent: bool = False
    ) -> Iterator[Outcome]:
        seen: set[str] = set()
        held: list[Letter] = []  # what is not deleted stays hidden until the run ends, then is visible again
        # What was waiting when the run began; messages that arrive meanwhile are left for the next run.
        waiting = self._queues.visible(url)
        limit = waiting if limit is None else min(limit, waiting)
        try:
            while len(seen) < limit:
                wanted = min(10, limit - len(seen))
                letters = [
                    letter
                    for letter in self._queues.receive(url, max_messages=wanted, hide_seconds=HIDE_SECONDS)
                    if letter.message_id not in seen
                ]
                if not letters:
                    return
                for letter in letters:
                    seen.add(letter.message_id)
                    outcome = self._one(url, letter, dry_run=dry_run, include_permanent=include_permanent)
                    if outcome.verdict != "redriven":
                        held.append(letter)
                    yield outcome
        finally:
            for letter in held:
                self._queues.release(url, letter)

    def _one(self, url: str, letter: Letter, *, dry_run: bool, include_permanent: bool) -> Outcome:
        planned = plan(letter, self._bus_name, owner=self._owner)
        if planned.kind == "unknown":
            return Outcome(letter.message_id, planned, "kept", "look at it with the SQS console; not redriven")
        if planned.permanent and not include_permanent:
            return Outcome(letter.message_id, planned, "kept", "the platform refused it for good (--include-permanent)")
        if dry_run:
            return Outcome(letter.message_id, planned, "would redrive")
        try:
            note = self._redo(planned)
        except (PlatformError, RedriveFailed, BotoCoreError, ClientError) as error:
            return Outcome(letter.message_id, planned, "failed", str(error))
        self._queues.delete(url, letter)
        return Outcome(letter.message_id, planned, "redriven", note)

    def _redo(self, planned: Plan) -> str:
        if planned.entry is not None:
            result = self.events.put_events(Entries=[planned.entry])
            if result.get("FailedEntryCount"):
                failed = result["Entries"][0]
                raise RedriveFailed(f"PutEvents: {failed.get('ErrorCode')}: {failed.get('ErrorMessage')}")
            return f"put on {self._bus_name} as {result['Entries'][0].get('EventId', '?')}"
        if planned.invoke is not None:
            status = self.lambda_client.invoke(**planned.invoke).get("StatusCode")
            if status != 202:
                raise RedriveFailed(f"Lambda Invoke answered {status}, not 202 Accepted")
            return f"{planned.invoke['FunctionName'].rsplit(':', 1)[-1]} invoked again (async)"
        assert planned.failed is not None
        return self._redo_action(planned.failed)

    def _redo_action(self, failed: FailedAction) -> str:
        request = failed.request
        if self._platforms is None:
            raise RedriveFailed("no platform clients configured")
        client = self._platforms()(request.target.platform)
        if client is None:
            raise RedriveFailed(f"no API client for {request.target.platform}")
        reply_id: str | None = None
        if request.kind == "hide":
            client.hide(request.target)
        elif request.kind == "reply":
            reply_id = client.reply(request.target, request.text or "")
        else:
            reply_id = client.post_to_thread(request.target, request.text or "")
        done = f"done{f' as {reply_id}' if reply_id else ''}"
        label = self._labels.get(request.action)
        if label is None or self._publisher is None:
            return f"{done}; no ReactionPerformed (which label it answered is not in the letter)"
        target = request.target
        event = ReactionPerformed(
            platform=target.platform,
            comment_id=target.comment_id,
            thread_id=target.thread_id,
            label=label,  # type: ignore[arg-type]  # a policy label, validated by the model
            lang=request.lang,
            action=request.action,
            template_id=request.template_id,
            mode="live",
            outcome="done",
            reason=f"redriven from the reactions dead-letter queue (failed at {failed.failed_at:%Y-%m-%d %H:%M}Z)",
            reply_text=request.text,
            reply_id=reply_id,
            performed_at=self._clock(),
        )
        key = f"{target.platform}:{target.comment_id}:{request.action}:redriven"
        if self._publisher().publish([BusEvent(event, key)]):
            return f"{done}; ReactionPerformed could NOT be put on the bus: the case may stay open"
        return f"{done}; ReactionPerformed put on the bus"


class RedriveFailed(Exception):
    """The bus (or the set-up) refused the redrive of one message; the message stays in its queue."""
