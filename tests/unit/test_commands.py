"""Command declarations (bot/commands.py): usage lines and typed argument checks."""

from __future__ import annotations

import pytest

from bot.commands import Arg, BadArgument, Command, Kind, parse_args
from bot.handlers import build_router
from bot.messages import Response


async def nothing(ctx: object) -> Response:
    return Response()


def declared(*params: object, name: str = "x") -> Command:
    return Command(name, nothing, "Summary", params=tuple(params))  # type: ignore[arg-type]


def test_usage_comes_from_the_parameters() -> None:
    commands = build_router().commands
    assert commands["done"].usage == "/done HABIT [DAY]"
    assert commands["remind"].usage == "/remind HABIT HH:MM [mon wed fri]"
    assert commands["kick"].usage == "/kick @name"
    assert commands["proof"].usage == "/proof [HABIT] [NOTE]"  # the photo is the message
    assert commands["newhabit"].path == "habit new" and commands["learn"].path == "learn"


def test_numbers_are_checked_against_their_range() -> None:
    hour = declared(Arg.number("hour", "0 to 6", low=0, high=6, label="H"), name="daystart")
    assert parse_args(hour, " 3 ") == {"hour": 3}
    assert parse_args(hour, "") == {"hour": None}
    for bad in ("7", "-1", "three", "3 4", "1-2"):
        with pytest.raises(BadArgument) as caught:
            parse_args(hour, bad)
        assert caught.value.message == "H is a whole number from 0 to 6: /daystart [H]"


def test_choices_accept_their_words_and_aliases() -> None:
    order = declared(
        Arg.choice("order", "newest or top", ("newest", "top"), aliases={"best": "top"}),
        name="feed",
    )
    assert parse_args(order, "TOP") == {"order": "top"}
    assert parse_args(order, "best") == {"order": "top"}
    with pytest.raises(BadArgument) as caught:
        parse_args(order, "oldest")
    assert caught.value.message == "Say /feed newest or /feed top."


def test_commands_with_free_words_parse_them_themselves() -> None:
    assert parse_args(declared(Arg.habit(required=True), Arg.day()), "read yesterday") == {}
    assert parse_args(declared(Arg.text("title", "A title")), "anything at all") == {}
    assert Arg.member().kind is Kind.MEMBER


def test_every_declared_command_is_well_formed() -> None:
    for command in build_router().commands.values():
        names = [p.name for p in command.params]
        assert len(names) == len(set(names)), command.name
        required = [p.required for p in command.params]
        assert required == sorted(required, reverse=True), f"/{command.name}: required first"
        assert 1 <= len(command.summary) <= 100, command.name
        assert all(1 <= len(p.description) <= 100 for p in command.params), command.name
