"""The ideas backlog on moto, on the table template.yaml defines: votes once per author, numbers, merges."""

from __future__ import annotations

from datetime import timedelta

import pytest

from infra.local.clients import Clients
from replyloop.ideas import CommentAlreadyRecorded, Conflict, IdeaPatch, InvalidInput
from tests.support.ideas import WHO, IdeasWorld
from tests.support.reaction_fakes import NOW, classified


@pytest.fixture
def world(aws: Clients) -> IdeasWorld:
    return IdeasWorld.on(aws)


# ---------------------------------------------------------------------------- recording and votes


def test_a_near_duplicate_joins_as_a_vote_and_a_different_idea_gets_the_next_number(world: IdeasWorld) -> None:
    first = world.ask("Dodajcie tryb ciemny w aplikacji", "c1", "a1")
    vote = world.ask("PRZYDAŁBY SIĘ CIEMNY MOTYW W APCE", "c2", "a2")
    other = world.ask("Dodajcie płatność BLIKIEM", "c3", "a3")
    negative = world.ask("Dodajcie płatność Apple Pay", "c4", "a4")
    assert [(e.outcome, e.number, e.votes) for e in (first, vote, other, negative)] == [
        ("new", 1, 1),
        ("vote", 1, 2),
        ("new", 2, 1),
        ("new", 3, 1),
    ]
    assert vote.duplicate_of is not None
    assert vote.duplicate_of.number == 1
    assert "dark, mode" in vote.duplicate_of.reason
    assert world.events("IdeaRecorded") == [first, vote, other, negative]


def test_one_vote_per_author_however_often_they_ask(world: IdeasWorld) -> None:
    world.ask("Dodajcie tryb ciemny", "c1", "a1")
    again = world.ask("Tryb ciemny proszę!!!", "c2", "a1")
    assert (again.outcome, again.votes) == ("repeat", 1)
    idea = world.store.by_number(1)
    assert idea is not None
    assert idea.votes == 1
    assert [c.comment_id for c in world.store.comments(idea.id)] == ["c1", "c2"]
    assert [c.voted for c in world.store.comments(idea.id)] == [True, False]
    assert [v.author_id for v in world.store.voters(idea.id)] == ["a1"]


def test_a_redelivered_comment_replays_its_outcome_without_a_second_vote(world: IdeasWorld) -> None:
    world.ask("Dodajcie tryb ciemny", "c1", "a1")
    first = world.ask("dark mode!!! tryb ciemny", "c2", "a2")
    world.now = NOW + timedelta(minutes=5)
    again = world.ask("dark mode!!! tryb ciemny", "c2", "a2")
    assert (first.outcome, again.outcome, again.votes, again.number) == ("vote", "vote", 2, 1)
    assert again.recorded_at == first.recorded_at, "the replay carries the first recording's time"
    idea = world.store.by_number(1)
    assert idea is not None
    assert idea.votes == 2
    # Published again (the first publish may have been lost); react keys its thanks on the comment id.
    assert len(world.events("IdeaRecorded")) == 3


def test_a_new_idea_redelivered_creates_nothing(world: IdeasWorld) -> None:
    first = world.ask("Dodajcie eksport do CSV", "c1", "a1")
    again = world.ask("Dodajcie eksport do CSV", "c1", "a1")
    assert (first.number, again.number, again.outcome) == (1, 1, "new")
    assert [idea.number for idea in world.store.ideas()] == [1]


def test_a_race_between_two_deliveries_of_one_comment_is_lost_cleanly(world: IdeasWorld) -> None:
    world.ask("Dodajcie eksport do CSV", "c1", "a1")
    store = world.store
    # A second container that read "not recorded yet" just before the first one wrote:
    from replyloop.ideas.idea import IdeaComment, Voter, idea_id_for
    from replyloop.ideas.ports import IdeaDraft
    from replyloop.ideas.status import HistoryEntry

    comment = classified("idea", "Dodajcie eksport do CSV", comment_id="c1", author_id="a1").comment
    draft = IdeaDraft(
        id=idea_id_for("facebook", "c1"),
        title="x",
        lang="pl",
        signature=("csv", "export"),
        comment=IdeaComment.of(comment, "pl", voted=True),
        voter=Voter.of(comment),
        created=HistoryEntry(at=NOW, who="test", kind="created", to_status="new"),
    )
    with pytest.raises(CommentAlreadyRecorded):
        store.create(draft)
    key = {"pk": {"S": "COUNTER"}, "sk": {"S": "IDEA_NUMBER"}}
    counter = store.client.get_item(TableName=store.table_name, Key=key)
    assert counter["Item"]["last"]["N"] == "1", "no number was burnt"


def test_numbers_are_sequential_and_never_change(world: IdeasWorld) -> None:
    numbers = [world.ask(text, f"c{i}", f"a{i}").number for i, text in enumerate(["BLIK", "Apple Pay", "PayPal"])]
    assert numbers == [1, 2, 3]
    world.backlog.update(2, IdeaPatch(title="Płatność Apple Pay w sklepie"), WHO)
    idea = world.store.by_number(2)
    assert idea is not None
    assert (idea.number, idea.title) == (2, "Płatność Apple Pay w sklepie")


def test_first_and_last_asked_follow_the_comments_in_any_order(world: IdeasWorld) -> None:
    world.ask("Dodajcie tryb ciemny", "c1", "a1", created_at=NOW)
    world.ask("tryb ciemny prosze", "c2", "a2", created_at=NOW + timedelta(days=3))
    world.ask("TRYB CIEMNY", "c3", "a3", created_at=NOW - timedelta(days=2))
    idea = world.store.by_number(1)
    assert idea is not None
    assert (idea.first_asked, idea.last_asked) == (NOW - timedelta(days=2), NOW + timedelta(days=3))


# ---------------------------------------------------------------------------- merging


def test_a_merge_combines_votes_without_counting_anyone_twice(world: IdeasWorld) -> None:
    world.ask("Dodajcie tryb ciemny", "c1", "a1")
    world.ask("tryb ciemny!", "c2", "a2")
    # Worded too differently to be matched: a second idea, with one author who voted for both.
    world.ask("Wieczorem ekran razi w oczy, zróbcie coś z kolorami", "c3", "a2")
    world.ask("Kolory ekranu wieczorem razi", "c4", "a3")
    assert sorted((i.number, i.votes) for i in world.store.ideas()) == [(1, 2), (2, 2)]
    outcome = world.backlog.merge(2, 1, WHO)
    assert (outcome.moved_votes, outcome.shared_voters, outcome.moved_comments) == (1, 1, 2)
    assert outcome.target.votes == 3
    assert sorted(v.author_id for v in world.store.voters(outcome.target.id)) == ["a1", "a2", "a3"]
    assert [i.number for i in world.store.ideas()] == [1], "the merged idea leaves every list"
    shown = world.backlog.show(2)
    assert (shown.asked_as, shown.idea.number, len(shown.comments)) == (2, 1, 4)
    assert [entry.kind for entry in world.store.history(outcome.source.id)][-1] == "merged_into"


def test_a_merge_run_again_finishes_or_changes_nothing(world: IdeasWorld) -> None:
    world.ask("Dodajcie tryb ciemny", "c1", "a1")
    world.ask("Wieczorem ekran razi w oczy", "c2", "a2")
    world.backlog.merge(2, 1, WHO)
    again = world.backlog.merge(2, 1, WHO)
    assert (again.resumed, again.moved_votes, again.target.votes) == (True, 0, 2)
    world.ask("Dodajcie BLIK", "c3", "a3")
    with pytest.raises(Conflict, match="already merged into #1"):
        world.backlog.merge(2, 3, WHO)
    with pytest.raises(Conflict, match="was itself merged into #1"):
        world.backlog.merge(3, 2, WHO)


def test_a_comment_matched_to_an_idea_merged_meanwhile_votes_where_it_went(
    world: IdeasWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    world.ask("Dodajcie płatność BLIKIEM", "c1", "a1")
    world.ask("Dodajcie eksport do CSV", "c2", "a2")
    stale = world.store.candidates("pl")  # read by a container just before the merge
    world.backlog.merge(1, 2, WHO)
    assert [c.number for c in world.store.candidates("pl")] == [2]
    monkeypatch.setattr(world.store, "candidates", lambda lang: stale)
    event = world.ask("Płatność BLIKIEM!", "c4", "a4")
    assert (event.outcome, event.number, event.votes) == ("vote", 2, 3)
    assert event.duplicate_of is not None
    assert event.duplicate_of.number == 1, "the match is reported as it was found"


def test_merge_refusals(world: IdeasWorld) -> None:
    world.ask("Dodajcie BLIK", "c1", "a1")
    world.ask("Add dark mode", "c2", "a2", lang="en")
    with pytest.raises(InvalidInput, match="itself"):
        world.backlog.merge(1, 1, WHO)
    with pytest.raises(InvalidInput, match="within a language"):
        world.backlog.merge(1, 2, WHO)
