"""Merging two ideas in DynamoDB: comments and votes move to the target, an author who voted for both counts once.

Steps, each safe to repeat (re-running a merge that stopped half-way finishes it):
1. one transaction marks the source merged (`merged_into`, out of every list, so new comments
   follow it to the target) and writes a history note on both ideas;
2. the source's comments are copied into the target's partition;
3. the source's voters who have not voted for the target are added in transactions of up
   to 25 votes plus one `ADD votes` on the target (`attribute_not_exists` on each vote item,
   so an author who voted for the target meanwhile is skipped, not counted twice);
4. the target's first/last asked widen to cover the source's.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from replyloop.adapters import ideas_items as items
from replyloop.ideas.errors import Conflict
from replyloop.ideas.idea import Idea, IdeaComment, Voter, month_of
from replyloop.ideas.ports import MergeOutcome
from replyloop.ideas.status import HistoryEntry

if TYPE_CHECKING:
    from replyloop.adapters.ideas_repository import DynamoIdeasStore

__all__ = ["merge_ideas", "widen_asked"]

VOTES_PER_TRANSACTION = 25
_ATTEMPTS = 10
_LIVE = "attribute_exists(pk) AND attribute_not_exists(merged_into)"


def merge_ideas(
    store: DynamoIdeasStore, source: Idea, target: Idea, entries: tuple[HistoryEntry, HistoryEntry]
) -> MergeOutcome:
    resumed = source.merged_into_id == target.id
    if not resumed:
        _mark_merged(store, source, target, entries)
    source_voters = store.voters(source.id)
    already = {voter.key for voter in store.voters(target.id)}
    new = [voter for voter in source_voters if voter.key not in already]
    # A comment keeps its vote only if its author's vote moves with it.
    comments = [
        comment.model_copy(update={"voted": comment.voted and f"{comment.platform}#{comment.author_id}" not in already})
        for comment in store.comments(source.id)
    ]
    _copy_comments(store, target.id, comments)
    moved = _add_votes(store, target.id, new)
    widen_asked(store, target.id, source.first_asked, source.last_asked)
    merged_source, merged_target = store.get(source.id), store.get(target.id)
    if merged_source is None or merged_target is None:
        raise Conflict("an idea disappeared during the merge")
    return MergeOutcome(
        source=merged_source,
        target=merged_target,
        moved_votes=moved,
        shared_voters=len(source_voters) - len(new),
        moved_comments=len(comments),
        resumed=resumed,
    )


def _mark_merged(
    store: DynamoIdeasStore, source: Idea, target: Idea, entries: tuple[HistoryEntry, HistoryEntry]
) -> None:
    stamp = entries[0].at.strftime("%Y-%m-%dT%H:%M:%SZ")
    mark = store.update_op(
        items.idea_key(source.id),
        "SET merged_into = :number, merged_into_id = :id, updated_at = :now REMOVE gsi_status, gsi_all, gsi_lang",
        _LIVE,
        {":number": target.number, ":id": target.id, ":now": stamp},
    )
    check = {"ConditionCheck": {**store.target_of(items.idea_key(target.id)), "ConditionExpression": _LIVE}}
    pairs = zip((source, target), entries, strict=True)
    notes = [store.put_op(items.entry_item(idea.id, entry)) for idea, entry in pairs]
    if store.transact([mark, check, *notes]) is not None:
        raise Conflict(f"#{source.number} or #{target.number} changed meanwhile (merged elsewhere?); reload both")


def _copy_comments(store: DynamoIdeasStore, target_id: str, comments: list[IdeaComment]) -> None:
    requests = [{"PutRequest": {"Item": items.comment_item(target_id, comment)}} for comment in comments]
    for start in range(0, len(requests), 25):
        pending = {store.table_name: requests[start : start + 25]}
        for _ in range(_ATTEMPTS):
            pending = store.client.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}
            if not pending:
                break
        else:
            raise Conflict("comments could not all be copied; run the merge again to finish it")


def _add_votes(store: DynamoIdeasStore, target_id: str, voters: list[Voter]) -> int:
    moved = 0
    for start in range(0, len(voters), VOTES_PER_TRANSACTION):
        chunk = voters[start : start + VOTES_PER_TRANSACTION]
        for _ in range(_ATTEMPTS):
            if not chunk:
                break
            writes = [store.put_op(items.vote_item(target_id, voter), new=True) for voter in chunk]
            writes.append(
                store.update_op(
                    items.idea_key(target_id),
                    "ADD votes :n, priority_sort :n",
                    "attribute_exists(pk)",
                    {":n": len(chunk)},
                )
            )
            codes = store.transact(writes)
            if codes is None:
                moved += len(chunk)
                break
            # Drop the authors who voted for the target meanwhile; a plain conflict just retries.
            chunk = [voter for voter, code in zip(chunk, codes, strict=False) if code != "ConditionalCheckFailed"]
        else:
            raise Conflict("votes could not all be moved; run the merge again to finish it")
    return moved


def widen_asked(store: DynamoIdeasStore, idea_id: str, first: datetime, last: datetime) -> None:
    """first_asked = min(first_asked, first), last_asked = max(last_asked, last), by conditional updates."""
    first_month = month_of(first, store.zone)
    for expression, value, comparison in (
        ("SET first_asked = :at, first_month = :month", first, ">"),
        ("SET last_asked = :at", last, "<"),
    ):
        attribute = expression.split()[1]
        values = {":at": {"S": value.strftime("%Y-%m-%dT%H:%M:%SZ")}}
        if ":month" in expression:
            values[":month"] = {"S": first_month}
        try:
            store.client.update_item(
                TableName=store.table_name,
                Key=items.idea_key(idea_id),
                UpdateExpression=expression,
                ConditionExpression=f"attribute_exists(pk) AND {attribute} {comparison} :at",
                ExpressionAttributeValues=values,
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise
