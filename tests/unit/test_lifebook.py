"""The Lifebook model: limits per field, reading older shapes, one-line parsing, the weekly line."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from core.errors import InvalidInput
from core.lifebook.model import (
    MAX_GOALS,
    SCHEMA_VERSION,
    Lifebook,
    edit,
    parse_goal,
    split_items,
    upgrade,
)
from core.lifebook.service import compass_line


def test_empty_storage_is_an_empty_lifebook() -> None:
    assert upgrade({}) == Lifebook()
    assert upgrade(None).is_empty
    assert Lifebook().ai_allowed is False  # private unless the person says yes


def test_version_1_is_upgraded_and_round_trips() -> None:
    old = {
        "vision": "  A calm,   strong life ",
        "values": ["health", "Health", "family"],
        "identity": "I am a runner",
        "goals": ["Run 5 km", {"text": "Read 6 books", "due": "2026-06-30"}, {"text": ""}],
    }
    book = upgrade(old)
    assert book.schema_version == SCHEMA_VERSION
    assert book.vision == "A calm, strong life"
    assert book.values == ("health", "family")
    assert book.identity == ("I am a runner",)
    assert [(g.id, g.text, g.due) for g in book.goals] == [
        ("g1", "Run 5 km", None),
        ("g2", "Read 6 books", date(2026, 6, 30)),
    ]
    assert upgrade(book.to_storage()) == book


def test_damaged_current_data_is_read_leniently() -> None:
    raw = {"schema_version": 2, "values": ["x" * 100, "calm"], "goals": "nonsense", "vision": 5}
    book = upgrade(raw)
    assert book.values == ("x" * 40, "calm") and book.goals == () and book.vision is None


def test_limits_per_field() -> None:
    book = Lifebook()
    with pytest.raises(InvalidInput, match="at most 5"):
        edit(book, values=["a", "b", "c", "d", "e", "f"])
    with pytest.raises(InvalidInput, match="under 600"):
        edit(book, vision="v" * 601)
    with pytest.raises(InvalidInput, match="under 40"):
        edit(book, values=["v" * 41])
    for n in range(MAX_GOALS):
        book = book.with_goal(f"goal {n}", None)
    with pytest.raises(InvalidInput, match=f"{MAX_GOALS} goals"):
        book.with_goal("one more", None)
    assert [g.id for g in book.goals][-1] == "g10"


def test_parsing_what_people_type() -> None:
    assert split_items("health, family;growth\ncalm") == ["health", "family", "growth", "calm"]
    assert parse_goal("Run a 10k by 2027-03-01") == ("Run a 10k", date(2027, 3, 1))
    assert parse_goal("Read (2026-05-01)") == ("Read", date(2026, 5, 1))
    assert parse_goal("Be kind") == ("Be kind", None)
    with pytest.raises(InvalidInput, match="not a date"):
        parse_goal("Run by 2026-02-30")


def test_weekly_line_changes_each_week() -> None:
    book = Lifebook(vision="A calm life", values=("health",), identity=("I am a runner",))
    weeks = [date(2026, 3, 23) + timedelta(weeks=i) for i in range(3)]
    seen = [compass_line(book, week) for week in weeks]
    assert len(set(seen)) == 3
    assert set(seen) == {"A calm life", "You value health.", "I am a runner"}
    assert compass_line(Lifebook(), weeks[0]) is None
