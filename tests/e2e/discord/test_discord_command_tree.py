"""The router's declared commands against Discord's command tree, exactly: as discord.py builds it
and as the sync leaves it on the (fake) Discord server. A command missing from Discord, an option
of another type, a lost choice or range, or a command shown where it does not work fails here."""

from __future__ import annotations

import json
from typing import Any

from adapters.discord.commands import tree_payload
from bot.commands import FAMILIES, Command, Kind, Param, Where
from bot.dispatcher import HabitLinkBot
from tests.e2e.discord.conftest import running
from tests.fakes.discord_api import FakeDiscord

# Discord's option types and interaction contexts (0: servers, 1: DMs with the bot).
OPTION_TYPE = {
    Kind.HABIT: 3,
    Kind.DAY: 3,
    Kind.TEXT: 3,
    Kind.CHOICE: 3,
    Kind.NUMBER: 4,
    Kind.MEMBER: 6,
    Kind.PHOTO: 11,
    Kind.TOOL: 3,
    Kind.TIME: 3,  # a string option; bot/arguments.py reads the time
    Kind.SCHEDULE: 3,  # a string option too (mon wed fri, 3x)
}
CONTEXTS = {Where.ANY: {0, 1}, Where.PRIVATE: {1}, Where.GROUP: {0}}


def expected_option(param: Param) -> dict[str, Any]:
    if param.kind is Kind.TIME and param.low is not None and param.high is not None:
        # whole hours only (/daystart): an integer option offering each of them
        hours = list(range(param.low, param.high + 1))
        return {**_option_of(param, 4, hours, None, None), "autocomplete": False}
    return {
        **_option_of(param, OPTION_TYPE[param.kind], list(param.choices), param.low, param.high),
        "autocomplete": param.kind in (Kind.HABIT, Kind.TOOL),
    }


def _option_of(
    param: Param, kind: int, choices: list[Any], low: int | None, high: int | None
) -> dict[str, Any]:
    return {
        "name": param.name,
        "type": kind,
        "description": param.description[:100],
        "required": param.required,
        "choices": choices,
        "min": low,
        "max": high,
    }


def expected(commands: dict[str, Command]) -> dict[str, dict[str, Any]]:
    """What Discord should show, from the declarations alone: path -> command."""
    shown: dict[str, dict[str, Any]] = {}
    for command in commands.values():
        entry = {
            "description": command.summary[:100],
            "options": [expected_option(p) for p in command.params],
        }
        if command.family is None:
            shown[command.name] = {**entry, "contexts": CONTEXTS[command.where]}
            continue
        shown[f"{command.family} {command.leaf or command.name}"] = entry
        family = shown.setdefault(
            command.family,
            {"description": FAMILIES[command.family], "contexts": set()},
        )
        family["contexts"] |= CONTEXTS[command.where]
    return shown


def published(commands: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Discord's command JSON (a sync's PUT body, or the server's list) in the same shape."""
    shown: dict[str, dict[str, Any]] = {}
    for command in commands:
        assert int(command.get("type", 1)) == 1, command
        options = command.get("options") or []
        subcommands = [o for o in options if o["type"] == 1]
        top = {"description": command["description"], "contexts": set(command["contexts"])}
        if subcommands:
            assert len(subcommands) == len(options), command
            shown[command["name"]] = top
            for sub in subcommands:
                path = f"{command['name']} {sub['name']}"
                shown[path] = {
                    "description": sub["description"],
                    "options": [_option(o) for o in sub.get("options") or []],
                }
        else:
            shown[command["name"]] = {**top, "options": [_option(o) for o in options]}
    return shown


def _option(option: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": option["name"],
        "type": option["type"],
        "description": option["description"],
        "required": bool(option.get("required", False)),
        "choices": [c["value"] for c in option.get("choices") or []],
        "min": option.get("min_value"),
        "max": option.get("max_value"),
        "autocomplete": bool(option.get("autocomplete", False)),
    }


async def test_discord_shows_exactly_the_declared_commands(
    fake: FakeDiscord, bot: HabitLinkBot
) -> None:
    wanted = expected(bot.router.commands)
    async with running(fake, bot) as adapter:
        built = json.loads(tree_payload(adapter.client.tree, None))
    assert published(built) == wanted  # as discord.py builds the tree
    assert published(fake.global_commands) == wanted  # as synced to Discord
    # Everything declared is there, and nothing else (the comparison above is exact):
    leaves = {path for path in wanted if path not in FAMILIES}
    assert len(leaves) == len(bot.router.commands)
    assert wanted["habit done"]["options"][0]["autocomplete"]
    hour = wanted["daystart"]["options"][0]
    assert hour["type"] == 4 and hour["choices"] == list(range(7))  # the hours it accepts
    assert wanted["timezone"]["contexts"] == {1} and wanted["learn"]["contexts"] == {0}
