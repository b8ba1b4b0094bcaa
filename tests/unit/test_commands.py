"""Command declarations (bot/commands.py): usage lines; arguments in test_arguments.py."""

from __future__ import annotations

from bot.handlers import build_router
from bot.messages import Response


async def nothing(ctx: object) -> Response:
    return Response()


def test_usage_comes_from_the_parameters() -> None:
    commands = build_router().commands
    assert commands["done"].usage == "/done HABIT [DAY]"
    assert commands["remind"].usage == "/remind HABIT HH:MM [mon wed fri]"
    assert commands["kick"].usage == "/kick @name"
    assert commands["proof"].usage == "/proof [HABIT] [NOTE]"  # the photo is the message
    assert commands["newhabit"].path == "habit new" and commands["learn"].path == "learn"


def test_every_declared_command_is_well_formed() -> None:
    for command in build_router().commands.values():
        names = [p.name for p in command.params]
        assert len(names) == len(set(names)), command.name
        required = [p.required for p in command.params]
        assert required == sorted(required, reverse=True), f"/{command.name}: required first"
        assert 1 <= len(command.summary) <= 100, command.name
        assert all(1 <= len(p.description) <= 100 for p in command.params), command.name
