"""An unknown /word: the command it most likely meant (Router.suggest)."""

from __future__ import annotations

import pytest

from bot.handlers import build_router
from bot.messages import Response
from bot.router import Router


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("checkin", "done"),  # declared as a word people try for /done
        ("TOOLBOX", "tools"),
        ("habit", "habits"),  # the start of a command: the shortest it begins
        ("grou", "groups"),
        ("reminder", "reminders"),
        ("remindme", "remind"),  # begins with a command: the longest
        ("hbits", "habits"),  # a typo away
        ("tiemzone", "timezone"),
    ],
)
def test_suggestions(typed: str, meant: str) -> None:
    command = build_router().suggest(typed)
    assert command is not None and command.name == meant


@pytest.mark.parametrize("typed", ["xyzzy", "fly", "a", "do"])
def test_no_suggestion_for_what_is_nothing_like_a_command(typed: str) -> None:
    assert build_router().suggest(typed) is None


def test_a_word_tried_for_two_commands_or_naming_one_is_refused() -> None:
    async def handler(_: object) -> Response:
        return Response()

    one, two = Router(), Router()
    one.command("done", "Done", tried=("checkin",))(handler)  # type: ignore[arg-type]
    two.command("habits", "Habits", tried=("checkin",))(handler)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="checkin"):
        Router().include(one, two)
    three = Router()
    three.command("list", "List", tried=("done",))(handler)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="done"):
        Router().include(Router().include(one), three)


@pytest.mark.parametrize(
    ("typed", "private", "meant"),
    [
        ("group", True, "groups"),  # /groups works in a private chat
        ("group", False, "groupinfo"),  # /groups does not work in a group; /groupinfo does
        ("group", None, "groups"),
        ("habit", False, "habits"),  # works anywhere: the shortest still
    ],
)
def test_a_suggestion_works_where_it_was_asked(
    typed: str, private: bool | None, meant: str
) -> None:
    command = build_router().suggest(typed, private=private)
    assert command is not None and command.name == meant
