"""Two Lifebooks merged into one (core/users/merge_lifebook.py): the pure part."""

from __future__ import annotations

from typing import Any

from core.lifebook.model import MAX_GOALS, upgrade
from core.users.merge_lifebook import merge_books


def book(*goals: str, next_goal: int | None = None, **rest: Any) -> dict[str, Any]:
    stored: dict[str, Any] = {
        "schema_version": 2,
        "goals": [{"id": f"g{i}", "text": text} for i, text in enumerate(goals, 1)],
        **rest,
    }
    stored["next_goal"] = next_goal or len(goals) + 1
    return stored


def test_an_empty_absorbed_book_changes_nothing_and_drops_its_stale_links() -> None:
    merge = merge_books(book("Run"), book(next_goal=4))  # erased, after three goals
    assert merge.book is None
    assert merge.links == {}  # so every goal link of the absorbed habits is dropped


def test_absorbed_goals_come_after_with_ids_past_both_books() -> None:
    merge = merge_books(book("Run", "Read", next_goal=7), book("Dance", "read", "Sing"))
    assert merge.book is not None
    merged = upgrade(merge.book)
    assert [(g.id, g.text) for g in merged.goals] == [
        ("g1", "Run"),
        ("g2", "Read"),
        ("g7", "Dance"),
        ("g8", "Sing"),
    ]
    assert merged.next_goal == 9
    assert merge.links == {"goal:g1": "goal:g7", "goal:g2": "goal:g2", "goal:g3": "goal:g8"}


def test_goals_over_the_limit_are_left_out_and_unlinked() -> None:
    mine = book(*(f"Mine {i}" for i in range(MAX_GOALS - 1)))
    merge = merge_books(mine, book("Fits", "Too many"))
    assert merge.book is not None
    assert [g.text for g in upgrade(merge.book).goals][-1] == "Fits"
    assert merge.left_out == ["Too many"]
    assert merge.links["goal:g2"] is None


def test_lists_are_joined_within_their_limits_and_a_written_book_keeps_its_choices() -> None:
    merge = merge_books(
        book(vision="Mine", values=["health", "calm", "freedom", "honesty"], ai_allowed=False),
        book(vision="Theirs", values=["Calm", "family", "fun"], ai_allowed=True),
    )
    assert merge.book is not None
    merged = upgrade(merge.book)
    assert merged.vision == "Mine" and not merged.ai_allowed
    assert merged.values == ("health", "calm", "freedom", "honesty", "family")


def test_an_empty_survivor_takes_the_other_book_whole() -> None:
    merge = merge_books(book(next_goal=3), book("Dance", vision="Theirs", ai_allowed=True))
    assert merge.book is not None
    merged = upgrade(merge.book)
    assert merged.vision == "Theirs" and merged.ai_allowed
    assert [(g.id, g.text) for g in merged.goals] == [("g3", "Dance")]


def test_a_book_with_nothing_new_is_not_written() -> None:
    assert merge_books(book("Run", values=["calm"]), book("run", values=["Calm"])).book is None
