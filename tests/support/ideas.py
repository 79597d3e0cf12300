"""Builders of idea events, and the ideas functions' environment on moto resources created from template.yaml."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from infra.local.clients import Clients
from infra.local.intrinsics import Resolver
from infra.local.resources import create_resources
from infra.local.specs import cfn_string
from infra.local.template import load_template
from replyloop.adapters.ideas_repository import DynamoIdeasStore
from replyloop.ideas import Backlog, IdeaRecorder, Matcher, load_policy
from replyloop.models.events import Author, CommentReceived, Platform
from replyloop.models.ideas import DuplicateMatch, IdeaOutcome, IdeaRecorded
from tests.support.fakes import MemoryPublisher
from tests.support.reaction_fakes import NOW, classified

__all__ = ["WHO", "IdeasWorld", "clear_caches", "function_environment", "idea_recorded", "use_environment"]

TEMPLATE = Path(__file__).resolve().parents[2] / "template.yaml"
# What the ideas functions need; created alone (fast), whatever else the template holds.
IDEAS_RESOURCES = ["IdeasTable", "EventBus"]
WHO = "arn:aws:sts::123456789012:assumed-role/ProductTeam/anna"


@dataclass
class IdeasWorld:
    """The recorder and the backlog on the template's ideas table in moto, with a settable clock."""

    store: DynamoIdeasStore
    publisher: MemoryPublisher = field(default_factory=MemoryPublisher)
    now: datetime = NOW

    @classmethod
    def on(cls, aws: Clients) -> IdeasWorld:
        physical = create_resources(load_template(TEMPLATE), aws, only=IDEAS_RESOURCES)
        return cls(DynamoIdeasStore(physical["IdeasTable"], client=aws.dynamodb))

    @property
    def recorder(self) -> IdeaRecorder:
        policy = load_policy()
        return IdeaRecorder(self.store, self.publisher, Matcher(policy), policy, lambda: self.now)

    @property
    def backlog(self) -> Backlog:
        policy = load_policy()
        return Backlog(self.store, self.publisher, Matcher(policy), policy, lambda: self.now)

    def ask(self, text: str, comment_id: str, author_id: str, **extra: Any) -> IdeaRecorded:
        comment = classified("idea", text, comment_id=comment_id, author_id=author_id, **extra)
        return self.recorder.record(comment).event

    def events(self, detail_type: str) -> list[Any]:
        return [e.detail for e in self.publisher.put if e.detail_type == detail_type]


def idea_recorded(
    text: str = "Dodajcie tryb ciemny",
    *,
    outcome: IdeaOutcome = "new",
    number: int = 42,
    votes: int = 1,
    lang: str = "pl",
    platform: Platform = "facebook",
    comment_id: str = "2002_3101",
    thread_id: str = "1001_2002",
    author_id: str = "4101",
    created_at: datetime = NOW,
) -> IdeaRecorded:
    comment = CommentReceived(
        platform=platform,
        comment_id=comment_id,
        thread_id=thread_id,
        author=Author(id=author_id, handle="someone"),
        text=text,
        created_at=created_at,
        received_at=created_at,
    )
    duplicate = None if outcome == "new" else DuplicateMatch(number=number, score=0.9, reason="shared dark, mode")
    return IdeaRecorded(
        idea_id="idea-42",
        number=number,
        title=text,
        status="new",
        outcome=outcome,
        votes=votes,
        lang=lang,
        duplicate_of=duplicate,
        comment=comment,
        recorded_at=datetime(2026, 1, 12, 9, 31, tzinfo=UTC),
    )


def function_environment(aws: Clients, *functions: str) -> dict[str, dict[str, str]]:
    """The environment template.yaml gives each function (Globals merged), on the ideas resources made in moto."""
    template = load_template(TEMPLATE)
    physical = create_resources(template, aws, only=IDEAS_RESOURCES)
    resolver = Resolver(template, physical)
    environments = {}
    for function in functions:
        variables = resolver.resolve(template.resources[function].properties["Environment"]["Variables"])
        environments[function] = {name: cfn_string(value) for name, value in variables.items()}
    return environments


def use_environment(monkeypatch: pytest.MonkeyPatch, environment: dict[str, str]) -> None:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)


@contextmanager
def clear_caches(*cached: Any) -> Iterator[None]:
    """Forget composition roots and shared clients before and after a test."""
    from replyloop.adapters import aws as shared_clients

    for function in (*cached, shared_clients.client):
        function.cache_clear()
    yield
    for function in (*cached, shared_clients.client):
        function.cache_clear()
