"""In-memory fakes of the monthly summary's ports, and a builder of backlogs for its tests."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from replyloop.ideas.idea import Idea, IdeaComment, Voter
from replyloop.models.events import Platform
from replyloop.models.ideas import IdeaStatus
from replyloop.reactions.actions import CommentRef, PlatformError
from replyloop.summary import Channel, Claim, MonthlySummary, MonthState, Renderer, SummaryPolicy, load_templates
from replyloop.summary.templates import LanguageTemplates
from tests.support.fakes import MemoryPublisher

__all__ = [
    "DECEMBER_RUN",
    "MemoryArchive",
    "MemoryBacklog",
    "MemoryChannels",
    "MemoryLedger",
    "RecordingRepliers",
    "SummaryWorld",
    "policy_with",
]

DECEMBER_RUN = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)  # 09:00 in Warsaw (CET)
NOVEMBER = datetime(2026, 11, 10, 12, 0, tzinfo=UTC)


@dataclass
class MemoryArchive:
    objects: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    puts: int = 0

    def put(self, key: str, body: bytes, content_type: str) -> None:
        self.objects[key] = (body, content_type)
        self.puts += 1

    def text(self, key: str) -> str:
        return self.objects[key][0].decode()


@dataclass
class MemoryLedger:
    """Claims are conditional like the DynamoDB adapter's: the first claim wins, later ones see it."""

    states: dict[tuple[str, str], MonthState] = field(default_factory=dict)
    steps: dict[tuple[str, str, str], dict[str, Any] | None] = field(default_factory=dict)
    since: dict[str, str] = field(default_factory=dict)
    released: list[str] = field(default_factory=list)

    def state(self, month: str, mode: str) -> MonthState | None:
        return self.states.get((month, mode))

    def save_state(self, month: str, mode: str, state: MonthState) -> None:
        self.states[(month, mode)] = state

    def claim(self, month: str, mode: str, key: str) -> Claim | None:
        if (month, mode, key) in self.steps:
            return Claim(key=key, result=self.steps[(month, mode, key)])
        self.steps[(month, mode, key)] = None
        return None

    def settle(self, month: str, mode: str, key: str, result: dict[str, Any]) -> None:
        self.steps[(month, mode, key)] = result

    def release(self, month: str, mode: str, key: str) -> None:
        self.steps.pop((month, mode, key), None)
        self.released.append(key)

    def watching_since(self, mode: str, month: str) -> str:
        return self.since.setdefault(mode, month)


@dataclass
class MemoryChannels:
    posts: list[tuple[str, str, str]] = field(default_factory=list)
    fail_with: PlatformError | None = None

    def post(self, channel: Channel, text: str) -> str:
        if self.fail_with is not None:
            raise self.fail_with
        self.posts.append((channel.platform, channel.target, text))
        return f"{channel.platform}-post-{len(self.posts)}"


@dataclass
class RecordingRepliers:
    """One client for every platform but `generic`; replies to `failing` comment ids raise their error."""

    replies: list[tuple[str, str, str]] = field(default_factory=list)
    failing: dict[str, PlatformError] = field(default_factory=dict)

    def __call__(self, platform: str) -> RecordingRepliers | None:
        return None if platform == "generic" else self

    def reply(self, comment: CommentRef, text: str) -> str:
        if comment.comment_id in self.failing:
            raise self.failing[comment.comment_id]
        self.replies.append((comment.platform, comment.comment_id, text))
        return f"reply-{comment.comment_id}"

    def hide(self, comment: CommentRef) -> None:
        raise AssertionError("the summary never hides")

    def post_to_thread(self, comment: CommentRef, text: str) -> str:
        raise AssertionError("the summary replies under the author's comment")


@dataclass
class MemoryBacklog:
    """The IdeasSource port over plain lists (ideas are given with their month and voters)."""

    items: list[Idea] = field(default_factory=list)
    votes: dict[str, list[Voter]] = field(default_factory=dict)
    asked: dict[str, list[IdeaComment]] = field(default_factory=dict)
    first_months: dict[str, str] = field(default_factory=dict)

    def add(
        self,
        number: int,
        title: str,
        *,
        status: IdeaStatus = "new",
        shipped_month: str | None = None,
        notes: dict[str, str] | None = None,
        first_month: str = "2026-11",
        authors: Sequence[tuple[Platform, str, str | None, str]] = (),
        lang: str = "pl",
    ) -> Idea:
        """`authors`: (platform, author id, handle, comment language) of each voter, in voting order."""
        idea = Idea(
            id=f"idea-{number}",
            number=number,
            title=title,
            lang=lang,
            status=status,
            votes=len(authors),
            first_asked=NOVEMBER,
            last_asked=NOVEMBER,
            shipped_month=shipped_month,
            release_notes=notes or ({"pl": f"Nota {number}", "en": f"Note {number}"} if status == "shipped" else {}),
            created_at=NOVEMBER,
            updated_at=NOVEMBER,
        )
        self.items.append(idea)
        self.first_months[idea.id] = first_month
        self.votes[idea.id], self.asked[idea.id] = [], []
        for n, (platform, author, handle, comment_lang) in enumerate(authors):
            comment_id = f"{platform}-{number}-{n}"
            at = NOVEMBER.replace(minute=n)
            self.votes[idea.id].append(
                Voter(platform=platform, author_id=author, handle=handle, voted_at=at, comment_id=comment_id)
            )
            self.asked[idea.id].append(
                IdeaComment(
                    platform=platform,
                    comment_id=comment_id,
                    thread_id=f"thread-{platform}",
                    lang=comment_lang,
                    author_id=author,
                    author_handle=handle,
                    asked_at=at,
                    text=f"{title}, proszę",
                    voted=True,
                )
            )
        return idea

    def shipped_in(self, month: str) -> list[Idea]:
        return [i for i in self.items if i.status == "shipped" and i.shipped_month == month]

    def received_in(self, month: str) -> list[Idea]:
        return [i for i in self.items if self.first_months[i.id] == month]

    def ideas(self, status: IdeaStatus | None = None) -> Iterator[Idea]:
        yield from sorted((i for i in self.items if status in (None, i.status)), key=lambda i: -i.votes)

    def comments(self, idea_id: str) -> list[IdeaComment]:
        return self.asked[idea_id]

    def voters(self, idea_id: str) -> list[Voter]:
        return self.votes[idea_id]


def policy_with(**changes: Any) -> SummaryPolicy:
    """The packaged policy with some fields changed."""
    from replyloop.summary import load_policy

    return load_policy().model_copy(update=changes)


@dataclass
class SummaryWorld:
    backlog: MemoryBacklog = field(default_factory=MemoryBacklog)
    archive: MemoryArchive = field(default_factory=MemoryArchive)
    ledger: MemoryLedger = field(default_factory=MemoryLedger)
    channels: MemoryChannels = field(default_factory=MemoryChannels)
    repliers: RecordingRepliers = field(default_factory=RecordingRepliers)
    publisher: MemoryPublisher = field(default_factory=MemoryPublisher)
    now: datetime = DECEMBER_RUN

    def summary(
        self,
        policy: SummaryPolicy | None = None,
        *,
        mode: str = "dry-run",
        templates: dict[str, LanguageTemplates] | None = None,
    ) -> MonthlySummary:
        policy = policy or policy_with()
        return MonthlySummary(
            source=self.backlog,
            renderer=Renderer(policy, templates or load_templates(policy.languages)),
            policy=policy,
            archive=self.archive,
            ledger=self.ledger,
            channels=self.channels,
            platforms=self.repliers,
            publisher=self.publisher,
            clock=lambda: self.now,
            mode=mode,  # type: ignore[arg-type]
            bucket="summaries-bucket",
        )

    def published(self) -> list[Any]:
        return [event.detail for event in self.publisher.put]
