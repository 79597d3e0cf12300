"""The ideas domain without AWS: the impact/cost matrix, status transitions, titles, patches, months, cursors."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from replyloop.adapters.ideas_cursor import decode_cursor, encode_cursor
from replyloop.ideas import (
    IdeaPatch,
    InvalidInput,
    InvalidTransition,
    check_transition,
    month_of,
    parse_number,
    priority,
)
from replyloop.ideas.status import TRANSITIONS
from replyloop.ideas.titles import UNTITLED, derive_title
from replyloop.models.ideas import IDEA_STATUSES

pytestmark = pytest.mark.unit

WARSAW = ZoneInfo("Europe/Warsaw")


# ---------------------------------------------------------------------------- impact/cost matrix


@pytest.mark.parametrize(
    ("impact", "cost", "quadrant"),
    [(5, 1, "quick_win"), (4, 2, "quick_win"), (5, 3, "major_project"), (3, 1, "fill_in"), (3, 3, "money_pit")],
)
def test_the_matrix_puts_each_idea_in_its_quadrant(impact: int, cost: int, quadrant: str) -> None:
    rank = priority(impact, cost)
    assert rank is not None
    assert rank.quadrant == quadrant


def test_quick_wins_sort_first_then_the_better_ratio() -> None:
    cells = [(i, c) for i in range(1, 6) for c in range(1, 6)]
    ranked = sorted(cells, key=lambda cell: -priority(*cell).score)  # type: ignore[union-attr]
    assert ranked[0] == (5, 1)
    quadrants = [priority(*cell).quadrant for cell in ranked]  # type: ignore[union-attr]
    # Every quick win before every major project, before every fill-in, before every money pit.
    order = ["quick_win", "major_project", "fill_in", "money_pit"]
    assert quadrants == sorted(quadrants, key=order.index)
    assert priority(4, 1).score > priority(4, 2).score  # type: ignore[union-attr]


def test_an_idea_is_unscored_until_both_impact_and_cost_are_known() -> None:
    assert priority(None, 2) is None
    assert priority(4, None) is None
    with pytest.raises(ValueError, match="1-5"):
        priority(6, 1)


# ---------------------------------------------------------------------------- statuses


@pytest.mark.parametrize(
    ("current", "target"),
    [("new", "accepted"), ("accepted", "planned"), ("planned", "shipped"), ("new", "declined"), ("declined", "new")],
)
def test_allowed_transitions(current: str, target: str) -> None:
    check_transition(1, current, target)  # type: ignore[arg-type]


@pytest.mark.parametrize(("current", "target"), [("new", "shipped"), ("new", "planned"), ("shipped", "accepted")])
def test_other_transitions_are_refused_with_the_allowed_ones(current: str, target: str) -> None:
    with pytest.raises(InvalidTransition, match=f"#7 is {current}: it cannot become {target}") as refused:
        check_transition(7, current, target)  # type: ignore[arg-type]
    assert refused.value.status == 409


def test_every_status_has_its_transitions_and_shipped_is_final() -> None:
    assert set(TRANSITIONS) == set(IDEA_STATUSES)
    assert all(set(targets) <= set(IDEA_STATUSES) for targets in TRANSITIONS.values())
    assert TRANSITIONS["shipped"] == ()


# ---------------------------------------------------------------------------- titles, numbers, patches


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Hej! Fajnie by było mieć tryb ciemny 🌙 https://example.com/x @brand", "Fajnie by było mieć tryb ciemny"),
        ("dark mode please!!!", "Dark mode please"),
        ("Mam pomysł! Dodajcie płatność BLIKIEM przy doładowaniach.", "Dodajcie płatność BLIKIEM przy doładowaniach"),
        ("🙏🙏 https://example.com", UNTITLED),
    ],
)
def test_a_title_is_one_clean_sentence(text: str, title: str) -> None:
    assert derive_title(text) == title


def test_a_long_title_is_cut_at_a_word() -> None:
    title = derive_title("Dodajcie " + "bardzo " * 30 + "długi pomysł", max_chars=40)
    assert len(title) <= 40
    assert title.endswith("…")
    assert not title.removesuffix("…").endswith(" ")


@pytest.mark.parametrize(("given", "number"), [("42", 42), ("#42", 42), (" 7 ", 7), (3, 3)])
def test_idea_numbers_are_read_with_or_without_a_hash(given: str | int, number: int) -> None:
    assert parse_number(given) == number


@pytest.mark.parametrize("given", ["", "0", "-1", "abc", "#", "1e3", "4 2", "9999999999"])
def test_anything_else_is_bad_input(given: str) -> None:
    with pytest.raises(InvalidInput):
        parse_number(given)


def test_a_patch_must_change_something() -> None:
    with pytest.raises(ValidationError, match="nothing to change"):
        IdeaPatch.model_validate({"note": "only a note"})
    with pytest.raises(ValidationError):
        IdeaPatch.model_validate({})


@pytest.mark.parametrize(
    "body",
    [
        {"impact": 0},
        {"cost": 6},
        {"status": "done"},
        {"shipped_month": "2026-13"},
        {"release_notes": {"polish": "x"}},
        {"title": "x"},
        {"votes": 100},
    ],
)
def test_a_patch_refuses_bad_fields(body: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        IdeaPatch.model_validate(body)


# ---------------------------------------------------------------------------- months in Europe/Warsaw


@pytest.mark.parametrize(
    ("moment", "month"),
    [
        (datetime(2026, 1, 31, 22, 59, tzinfo=UTC), "2026-01"),  # 23:59 in Warsaw (CET)
        (datetime(2026, 1, 31, 23, 0, tzinfo=UTC), "2026-02"),  # midnight in Warsaw
        (datetime(2026, 6, 30, 21, 59, tzinfo=UTC), "2026-06"),  # 23:59 CEST
        (datetime(2026, 6, 30, 22, 0, tzinfo=UTC), "2026-07"),
    ],
)
def test_a_month_begins_at_midnight_in_warsaw(moment: datetime, month: str) -> None:
    assert month_of(moment, WARSAW) == month


# ---------------------------------------------------------------------------- page cursors


def test_a_cursor_round_trips_for_its_own_list_only() -> None:
    key = {"pk": {"S": "IDEA#abc"}, "sk": {"S": "IDEA"}, "gsi_all": {"S": "IDEA"}, "votes": {"N": "3"}}
    cursor = encode_cursor(key, "*:votes")
    assert decode_cursor(cursor, "*:votes") == key
    with pytest.raises(InvalidInput, match="another list"):
        decode_cursor(cursor, "new:votes")


@pytest.mark.parametrize("cursor", ["not base64!", "e30", "eyJxIjoiKjp2b3RlcyIsImsiOnsiZXZpbCI6eyJTIjoiMSJ9fX0"])
def test_a_forged_or_broken_cursor_is_bad_input(cursor: str) -> None:
    with pytest.raises(InvalidInput):
        decode_cursor(cursor, "*:votes")
