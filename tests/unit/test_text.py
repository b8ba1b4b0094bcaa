"""core.text.clean_text: what every way in (chat requests, web API bodies) drops from text."""

from __future__ import annotations

import pytest

from core.accounts.service import normalise_email
from core.errors import InvalidField
from core.text import clean_text, has_control
from core.toolbox.spec import one_line


def test_control_characters_go_and_ordinary_text_stays() -> None:
    kept = "Run 5 km 🏃‍♀️ é\u0301 العربية \u200f\t\n\r"
    assert clean_text(kept) == kept and not has_control(kept)
    dirty = "a\x00b\x07c\x1bd\x7fe\x85f\u202eg\u2066h\ud800"
    assert clean_text(dirty) == "abcdefgh\ufffd" and has_control(dirty)


@pytest.mark.parametrize("email", ["ada\x00@example.com", "ada\x07@example.com"])
def test_an_email_with_control_characters_is_not_one(email: str) -> None:
    with pytest.raises(InvalidField):
        normalise_email(email)


def test_a_tool_line_loses_control_characters() -> None:
    assert one_line(" Walk\x00 \u202eand\x07  talk ") == "Walk and talk"
