"""Recording activity as comments arrive: the data that D7/D30 and the service KPIs need.

A comment is filed under its local day with a pseudonymous author, the author's first and last day are
kept, and each FAQ auto-answer is filed with its tracked link.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal
from urllib.parse import parse_qs, urlsplit

from replyloop.kpis.period import KpiPolicy, local_day
from replyloop.kpis.ports import ActivityStore
from replyloop.kpis.records import CommentActivity, FaqAnswer
from replyloop.models.events import CommentClassified, ReactionPerformed

__all__ = ["ActivityRecorded", "ActivityRecorder", "Pseudonymizer", "tracked_link"]

_URL = re.compile(r"https?://[^\s<>\"')\]]+")


class Pseudonymizer:
    """HMAC-SHA256 of platform and author id under a per-deployment secret key.

    The same person on the same platform always gets the same key, so returning people can be counted;
    without the secret the key cannot be linked back to an account (a plain hash of an id could be, by
    hashing candidate ids). The key is read on first use, so a handler's import stays cheap.
    """

    def __init__(self, key: Callable[[], bytes], length: int = 32) -> None:
        self._key_source = key
        self._key: bytes | None = None
        self._length = length

    def __call__(self, platform: str, author_id: str) -> str:
        if self._key is None:
            key = self._key_source()
            if len(key) < 16:
                raise ValueError("the pseudonym key is missing or shorter than 16 bytes")
            self._key = key
        message = f"{platform}\x1f{author_id}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()[: self._length]


def tracked_link(reply_text: str | None) -> tuple[str | None, str | None]:
    """The first link with UTM parameters in a reply, and its utm_content (the FAQ id), if any."""
    for url in _URL.findall(reply_text or ""):
        query = parse_qs(urlsplit(url).query)
        if any(name.startswith("utm_") for name in query):
            return url, (query.get("utm_content") or [None])[0]
    return None, None


@dataclass(frozen=True, slots=True)
class ActivityRecorded:
    kind: Literal["comment", "faq_answer", "ignored"]
    duplicate: bool = False
    day: date | None = None


class ActivityRecorder:
    """The activity function's use case; every write is idempotent (keyed by platform and comment id)."""

    def __init__(self, store: ActivityStore, pseudonym: Pseudonymizer, policy: KpiPolicy) -> None:
        self.store, self.pseudonym, self.policy = store, pseudonym, policy

    def _expiry(self, day: date) -> int:
        """Epoch seconds `retention_days` after the local day ends (DynamoDB TTL)."""
        last = datetime.combine(day + timedelta(days=self.policy.retention_days + 1), time(), tzinfo=self.policy.zone)
        return int(last.timestamp())

    def comment(self, classified: CommentClassified) -> ActivityRecorded:
        """File the comment under the local day it was written; count its author's first and last day (spam
        is filed, so its share is known, but does not make its sender a participant)."""
        comment = classified.comment
        day = local_day(comment.created_at, self.policy.zone)
        activity = CommentActivity(
            day=day,
            platform=comment.platform,
            comment_id=comment.comment_id,
            label=classified.classification.label,
            lang=classified.classification.lang,
            author=self.pseudonym(comment.platform, comment.author.id),
        )
        expires = self._expiry(day)
        added = self.store.add_comment(activity, at=comment.created_at, expires_at=expires)
        # Also on a redelivery: when an earlier attempt failed between the two writes, this completes it.
        if activity.participates:
            self.store.saw_author(activity.author, activity.platform, day, expires_at=expires)
        return ActivityRecorded("comment", duplicate=not added, day=day)

    def faq_answer(self, reaction: ReactionPerformed) -> ActivityRecorded:
        if reaction.action != "faq_answer":
            return ActivityRecorded("ignored")
        day = local_day(reaction.performed_at, self.policy.zone)
        link, content = tracked_link(reaction.reply_text)
        answer = FaqAnswer(
            day=day,
            platform=reaction.platform,
            comment_id=reaction.comment_id,
            lang=reaction.lang,
            faq_id=reaction.faq_id,
            outcome=reaction.outcome,
            link=link,
            utm_content=content or (reaction.faq_id if link else None),
        )
        added = self.store.add_faq_answer(answer, at=reaction.performed_at, expires_at=self._expiry(day))
        return ActivityRecorded("faq_answer", duplicate=not added, day=day)
