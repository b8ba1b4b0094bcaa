"""Every clock word is read as a real zone the reply can name (a missing label would be a
traceback in /timezone), and is a place's zone, never one of IANA's legacy clock zones."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from core.timezone_words import _ONE_PLACE, _SHARED, _SPOKEN, clock_places, clock_zone
from core.timezones import resolve_timezone


@pytest.mark.parametrize("word", sorted({*_ONE_PLACE, *_SPOKEN}))
def test_each_word_names_a_place_zone_with_a_label(word: str) -> None:
    found = clock_zone(word)
    assert found is not None
    zone, label = found
    assert "/" in zone and ZoneInfo(zone) is not None and label
    assert resolve_timezone(word) == zone
    assert resolve_timezone(word.upper()) == zone


@pytest.mark.parametrize("word", sorted(_SHARED))
def test_each_shared_word_offers_real_places(word: str) -> None:
    places = clock_places(word)
    assert len(places) > 1 and all("/" in p and ZoneInfo(p) for p in places)
    assert clock_zone(word) is None


@pytest.mark.parametrize("text", ["", "  ", ".", "time", " time", "p.s.t", "e s t"])
def test_odd_spellings_do_not_break(text: str) -> None:
    clock_zone(text)
    clock_places(text)
