"""Lists, status changes and the summary's queries of the ideas backlog on moto."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from infra.local.clients import Clients
from replyloop.ideas import Conflict, IdeaPatch, InvalidInput, InvalidTransition, ListQuery
from tests.support.ideas import WHO, IdeasWorld

TOPICS = ["BLIK", "Apple Pay", "PayPal", "eksport do CSV", "widżet z saldem"]


@pytest.fixture
def world(aws: Clients) -> IdeasWorld:
    world = IdeasWorld.on(aws)
    # Idea n gets n votes (distinct authors): #5 is the most voted.
    for number, topic in enumerate(TOPICS, 1):
        for voter in range(number):
            world.ask(f"Dodajcie {topic}", f"c{number}-{voter}", f"author-{voter}")
    return world


def _walk(world: IdeasWorld, query: ListQuery) -> list[list[int]]:
    pages = []
    while True:
        page = world.backlog.list(query)
        pages.append([idea.number for idea in page.items])
        if page.cursor is None:
            return pages
        query = query.model_copy(update={"cursor": page.cursor})


def test_pages_by_votes_cover_every_idea_once_most_voted_first(world: IdeasWorld) -> None:
    pages = _walk(world, ListQuery(limit=2))
    numbers = [n for page in pages for n in page]
    assert [len(page) for page in pages[:2]] == [2, 2]
    assert numbers == [5, 4, 3, 2, 1]


def test_priority_puts_quick_wins_first_then_votes(world: IdeasWorld) -> None:
    world.backlog.update(1, IdeaPatch(impact=5, cost=1), WHO)  # quick win, 1 vote
    world.backlog.update(2, IdeaPatch(impact=5, cost=5), WHO)  # major project
    world.backlog.update(3, IdeaPatch(impact=2, cost=1), WHO)  # fill-in
    world.ask("Dodajcie BLIK", "late", "author-99")  # a vote after scoring still counts
    numbers = [n for page in _walk(world, ListQuery(sort="priority", limit=2)) for n in page]
    assert numbers == [1, 2, 3, 5, 4]
    blik = world.store.by_number(1)
    assert blik is not None
    assert blik.votes == 2


def test_a_status_filter_and_a_cursor_that_belongs_to_another_list(world: IdeasWorld) -> None:
    world.backlog.update(3, IdeaPatch(status="accepted", note="after the release"), WHO)
    world.backlog.update(4, IdeaPatch(status="declined", note="out of scope"), WHO)
    accepted = world.backlog.list(ListQuery(status="accepted"))
    assert [idea.number for idea in accepted.items] == [3]
    assert [idea.number for idea in world.backlog.list(ListQuery(status="new", limit=50)).items] == [5, 2, 1]
    cursor = world.backlog.list(ListQuery(limit=2)).cursor
    with pytest.raises(InvalidInput, match="another list"):
        world.backlog.list(ListQuery(status="new", limit=2, cursor=cursor))


def test_status_changes_are_checked_recorded_and_announced(world: IdeasWorld) -> None:
    world.now = datetime(2026, 1, 31, 23, 30, tzinfo=UTC)  # already February in Warsaw
    with pytest.raises(InvalidTransition, match="#5 is new: it cannot become shipped"):
        world.backlog.update(5, IdeaPatch(status="shipped"), WHO)
    world.backlog.update(5, IdeaPatch(status="accepted", note="good one", impact=4, cost=2), WHO)
    world.backlog.update(5, IdeaPatch(status="planned"), WHO)
    with pytest.raises(InvalidInput, match="needs a release note"):
        world.backlog.update(5, IdeaPatch(status="shipped"), WHO)
    notes = {"pl": "Widżet z saldem jest już dostępny.", "en": "The balance widget is here."}
    shipped = world.backlog.update(5, IdeaPatch(status="shipped", release_notes=notes), WHO)
    assert (shipped.status, shipped.shipped_month, shipped.release_notes) == ("shipped", "2026-02", notes)
    changes = world.events("IdeaStatusChanged")
    assert [(c.from_status, c.to_status) for c in changes] == [
        ("new", "accepted"),
        ("accepted", "planned"),
        ("planned", "shipped"),
    ]
    assert (changes[-1].who, changes[-1].shipped_month, changes[-1].votes) == (WHO, "2026-02", 5)
    history = world.store.history(shipped.id)
    assert [(h.kind, h.to_status, h.who) for h in history] == [
        ("created", "new", "replyloop.ideas"),
        ("status", "accepted", WHO),
        ("status", "planned", WHO),
        ("status", "shipped", WHO),
    ]
    assert history[1].note == "good one"
    # Edits that are not status changes are kept in the history, and announce nothing.
    world.backlog.update(5, IdeaPatch(release_notes={"en": ""}), WHO)
    assert len(world.events("IdeaStatusChanged")) == 3
    assert world.store.history(shipped.id)[-1].kind == "edited"
    after = world.store.by_number(5)
    assert after is not None
    assert after.release_notes == {"pl": notes["pl"]}


def test_a_change_based_on_a_stale_read_is_a_conflict(world: IdeasWorld) -> None:
    stale = world.store.by_number(4)
    assert stale is not None
    world.backlog.update(4, IdeaPatch(status="declined"), WHO)
    from replyloop.ideas import IdeaChanges

    with pytest.raises(Conflict, match="changed meanwhile"):
        world.store.update(stale, IdeaChanges(status="accepted"), None)


def test_the_summary_queries(world: IdeasWorld) -> None:
    for number in (2, 3):
        world.backlog.update(number, IdeaPatch(status="accepted"), WHO)
        world.backlog.update(number, IdeaPatch(status="planned"), WHO)
    notes = {"pl": "Apple Pay działa.", "en": "Apple Pay works."}
    world.backlog.update(2, IdeaPatch(status="shipped", release_notes=notes, shipped_month="2025-12"), WHO)
    assert [idea.number for idea in world.store.shipped_in("2025-12")] == [2]
    assert world.store.shipped_in("2026-01") == []
    assert [idea.number for idea in world.store.ideas("planned")] == [3]
    assert [idea.number for idea in world.store.received_in("2026-01")] == [5, 4, 3, 2, 1]
    assert world.store.received_in("2026-02") == []
    blik = world.store.by_number(1)
    assert blik is not None
    [comment] = world.store.comments(blik.id)
    assert (comment.platform, comment.thread_id, comment.comment_id, comment.lang) == (
        "facebook",
        "1001_2002",
        "c1-0",
        "pl",
    )
