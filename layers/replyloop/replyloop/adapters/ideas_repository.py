"""The ideas backlog in DynamoDB (IDEAS_TABLE): the domain's IdeasStore, with conditional writes and transactions.

Item shapes are in `ideas_items`. What makes the counts right whatever the delivery order:
a number is taken from the counter in the transaction that creates its idea (so it never
changes and is never reused); a vote item (`VOTE#<platform>#<author>`) is put with
`attribute_not_exists` in the same transaction that adds 1 to the idea's `votes`, so an author
counts once per idea however often they comment or the event is redelivered; and each
comment's `RECORDED` item makes a redelivery replay its first outcome.

For the summary: `shipped_in(month)`, `ideas("planned")`, `received_in(month)`,
`comments(idea_id)` (platform, thread, comment id, permalink, language of each) and
`voters(idea_id)` (one per author).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from replyloop.adapters import ideas_items as items
from replyloop.adapters.ideas_cursor import decode_cursor, encode_cursor
from replyloop.adapters.ideas_merge import merge_ideas, widen_asked
from replyloop.adapters.ideas_table import IdeasTable, cond, failed
from replyloop.ideas.errors import CommentAlreadyRecorded, Conflict, IdeaMerged, IdeaNotFound
from replyloop.ideas.idea import Idea, IdeaComment, Voter
from replyloop.ideas.ports import Attached, IdeaChanges, IdeaDraft, ListQuery, MergeOutcome, Page, RecordedComment
from replyloop.ideas.similarity import Candidate
from replyloop.ideas.status import HistoryEntry
from replyloop.models.ideas import DuplicateMatch, IdeaStatus

__all__ = ["DynamoIdeasStore"]

NUMBER_ATTEMPTS = 10
_NOT_MERGED = "attribute_exists(pk) AND attribute_not_exists(merged_into)"


class DynamoIdeasStore(IdeasTable):
    """The IdeasStore port on one DynamoDB table; `timezone` decides which month an idea was first asked in."""

    # -- recording ------------------------------------------------------------------------

    def recorded_comment(self, platform: str, comment_id: str) -> RecordedComment | None:
        item = self._get(items.marker_key(platform, comment_id))
        return items.marker_from(item) if item else None

    def candidates(self, lang: str) -> list[Candidate]:
        pages = self._query(
            IndexName=items.BY_LANGUAGE,
            KeyConditionExpression="gsi_lang = :lang",
            ExpressionAttributeValues={":lang": {"S": lang}},
        )
        return [items.candidate_from(item) for item in pages]

    def create(self, draft: IdeaDraft) -> Idea:
        at = draft.created.at
        for _ in range(NUMBER_ATTEMPTS):
            counter = self._get(items.COUNTER_KEY)
            last = int(counter["last"]["N"]) if counter else 0
            idea = Idea(
                id=draft.id,
                number=last + 1,
                title=draft.title,
                lang=draft.lang,
                votes=1,
                first_asked=draft.comment.asked_at,
                last_asked=draft.comment.asked_at,
                signature=draft.signature,
                created_at=at,
                updated_at=at,
            )
            recorded = RecordedComment(idea_id=idea.id, number=idea.number, outcome="new", recorded_at=at)
            counter_condition = "#last = :prev" if counter else "attribute_not_exists(#last)"
            codes = self.transact(
                [
                    self.update_op(
                        items.COUNTER_KEY,
                        "SET #last = :next",
                        counter_condition,
                        {":next": idea.number, **({":prev": last} if counter else {})},
                        {"#last": "last"},
                    ),
                    self.put_op({**items.number_key(idea.number), **items.dump({"idea_id": idea.id})}, new=True),
                    self.put_op(items.idea_item(idea, 0, self.zone), new=True),
                    self.put_op(items.marker_item(draft.comment, recorded), new=True),
                    self.put_op(items.comment_item(idea.id, draft.comment)),
                    self.put_op(items.vote_item(idea.id, draft.voter), new=True),
                    self.put_op(items.entry_item(idea.id, draft.created)),
                ]
            )
            if codes is None:
                return idea
            if failed(codes, 2) or failed(codes, 3):
                raise CommentAlreadyRecorded(f"{draft.comment.platform}:{draft.comment.comment_id}")
            # Another container took the number (or a transaction conflicted): read the counter again.
        raise Conflict("could not allocate an idea number; try again")

    def attach(
        self, idea_id: str, comment: IdeaComment, voter: Voter, match: DuplicateMatch | None, at: datetime
    ) -> Attached:
        idea = self._current(idea_id)
        for _ in range(NUMBER_ATTEMPTS):
            outcome = self._attach_once(idea, comment, voter, match, at)
            if outcome is not None:
                widen_asked(self, idea.id, comment.asked_at, comment.asked_at)
                return Attached(self._current(idea.id), outcome)
        raise Conflict(f"#{idea.number} is busy; try again")

    def _attach_once(
        self, idea: Idea, comment: IdeaComment, voter: Voter, match: DuplicateMatch | None, at: datetime
    ) -> str | None:
        """'vote' or 'repeat' once written, None to try again; raises when the comment or idea forbid it."""
        for outcome in ("vote", "repeat"):
            recorded = RecordedComment(
                idea_id=idea.id, number=idea.number, outcome=outcome, duplicate_of=match, recorded_at=at
            )
            attached = comment.model_copy(update={"voted": outcome == "vote"})
            writes = [
                self.put_op(items.marker_item(attached, recorded), new=True),
                self.put_op(items.comment_item(idea.id, attached)),
            ]
            if outcome == "vote":
                writes.append(self.put_op(items.vote_item(idea.id, voter), new=True))
                writes.append(
                    self.update_op(
                        items.idea_key(idea.id), "ADD votes :one, priority_sort :one", _NOT_MERGED, {":one": 1}
                    )
                )
            else:
                writes.append({"ConditionCheck": {**self.target_of(items.idea_key(idea.id)), **cond(_NOT_MERGED)}})
            codes = self.transact(writes)
            if codes is None:
                return outcome
            if failed(codes, 0):
                raise CommentAlreadyRecorded(f"{comment.platform}:{comment.comment_id}")
            if failed(codes, len(writes) - 1):
                self._current(idea.id)  # raises IdeaMerged or IdeaNotFound
            if outcome == "vote" and failed(codes, 2):
                continue  # this author already voted: attach the comment without a vote
            return None
        return None

    def _current(self, idea_id: str) -> Idea:
        """The idea if it is live; raises IdeaMerged (with where it went) or IdeaNotFound."""
        idea = self.get(idea_id)
        if idea is None:
            raise IdeaNotFound(idea_id)
        if idea.merged_into is not None and idea.merged_into_id is not None:
            raise IdeaMerged(idea.number, idea.merged_into, idea.merged_into_id)
        return idea

    # -- reading --------------------------------------------------------------------------

    def get(self, idea_id: str) -> Idea | None:
        item = self._get(items.idea_key(idea_id))
        return items.idea_from(item) if item else None

    def by_number(self, number: int) -> Idea | None:
        alias = self._get(items.number_key(number))
        return self.get(alias["idea_id"]["S"]) if alias else None

    def page(self, query: ListQuery) -> Page:
        index, partition, _sort = items.INDEXES[(query.status is not None, query.sort)]
        fingerprint = f"{query.status or '*'}:{query.sort}"
        request: dict[str, Any] = {
            "TableName": self.table_name,
            "IndexName": index,
            "KeyConditionExpression": f"{partition} = :p",
            "ExpressionAttributeValues": {":p": {"S": query.status or items.ALL}},
            "ScanIndexForward": False,
            "Limit": query.limit,
        }
        if query.cursor:
            request["ExclusiveStartKey"] = decode_cursor(query.cursor, fingerprint)
        response = self.client.query(**request)
        last = response.get("LastEvaluatedKey")
        cursor = encode_cursor(last, fingerprint) if last else None
        return Page([items.idea_from(item) for item in response.get("Items", [])], cursor)

    def ideas(self, status: IdeaStatus | None = None, *, month_filter: tuple[str, str] | None = None) -> Iterator[Idea]:
        index, partition, _sort = items.INDEXES[(status is not None, "votes")]
        request: dict[str, Any] = {
            "IndexName": index,
            "KeyConditionExpression": f"{partition} = :p",
            "ExpressionAttributeValues": {":p": {"S": status or items.ALL}},
            "ScanIndexForward": False,
        }
        if month_filter is not None:
            attribute, month = month_filter
            request["FilterExpression"] = f"{attribute} = :month"
            request["ExpressionAttributeValues"][":month"] = {"S": month}
        for item in self._query(**request):
            yield items.idea_from(item)

    def shipped_in(self, month: str) -> list[Idea]:
        return list(self.ideas("shipped", month_filter=("shipped_month", month)))

    def received_in(self, month: str) -> list[Idea]:
        return list(self.ideas(None, month_filter=("first_month", month)))

    def comments(self, idea_id: str) -> list[IdeaComment]:
        return [items.comment_from(item) for item in self._partition(idea_id, "COMMENT#")]

    def voters(self, idea_id: str) -> list[Voter]:
        return [items.voter_from(item) for item in self._partition(idea_id, "VOTE#")]

    def history(self, idea_id: str) -> list[HistoryEntry]:
        return [items.entry_from(item) for item in self._partition(idea_id, "HISTORY#")]

    # -- changing -------------------------------------------------------------------------

    def update(self, idea: Idea, changes: IdeaChanges, entry: HistoryEntry | None) -> Idea:
        stamp = (entry.at if entry else idea.updated_at).strftime("%Y-%m-%dT%H:%M:%SZ")
        sets, values = ["updated_at = :now"], {":now": stamp, ":expected": idea.status}
        for field in ("title", "impact", "cost", "shipped_month", "release_notes"):
            value = getattr(changes, field)
            if value is not None:
                sets.append(f"{field} = :{field}")
                values[f":{field}"] = value
        if changes.title_signature is not None:
            sets.append("title_signature = :title_signature")
            values[":title_signature"] = list(changes.title_signature)
        if changes.priority_score is not None:
            sets += ["priority_score = :score", "priority_sort = votes + :base"]
            values |= {":score": changes.priority_score, ":base": changes.priority_score * items.PRIORITY_FACTOR}
        if changes.status is not None:
            sets += ["#status = :status", "gsi_status = :status"]
            values[":status"] = changes.status
        names = {"#status": "status"}
        update = self.update_op(
            items.idea_key(idea.id), "SET " + ", ".join(sets), f"{_NOT_MERGED} AND #status = :expected", values, names
        )
        writes = [update] + ([self.put_op(items.entry_item(idea.id, entry))] if entry else [])
        if self.transact(writes) is not None:
            raise Conflict(f"#{idea.number} changed meanwhile (status, or a merge); reload it and try again")
        return self._current(idea.id)

    def merge(self, source: Idea, target: Idea, entries: tuple[HistoryEntry, HistoryEntry]) -> MergeOutcome:
        return merge_ideas(self, source, target, entries)
