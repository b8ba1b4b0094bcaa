"""The bot's command declarations (bot/commands.py) as Discord application commands: typed
options, choices, number ranges, habit autocomplete, the /habit and /group families and where
each command appears. A slash command becomes a neutral command name and argument string
(/habit done habit:read day:yesterday -> "done", "read yesterday"). Only discord.py's public API."""

from __future__ import annotations

import hashlib
import inspect
import json
from collections.abc import Awaitable, Callable, Coroutine, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import discord
from discord import app_commands

from bot.commands import FAMILIES, TYPED, Command, Kind, Param, Where

Interaction = discord.Interaction[Any]
RunCommand = Callable[[Interaction, Command, Mapping[str, Any]], Awaitable[None]]
CompleteHabit = Callable[[Interaction, str], Awaitable[list[str]]]
DESCRIPTION_LIMIT = 100
AUTOCOMPLETE_LIMIT = 25


def contexts(wheres: Iterable[Where]) -> app_commands.AppCommandContext:
    """Where a command (or a family: all of its commands) appears: servers, DMs or both."""
    found = set(wheres)
    guild = bool(found & {Where.ANY, Where.GROUP})
    dm = bool(found & {Where.ANY, Where.PRIVATE})
    return app_commands.AppCommandContext(guild=guild, dm_channel=dm)


def build_tree(
    tree: app_commands.CommandTree[Any],
    commands: Iterable[Command],
    run: RunCommand,
    complete: CompleteHabit,
    complete_tool: CompleteHabit | None = None,
    complete_archived: CompleteHabit | None = None,
) -> None:
    """Add every declared command to `tree`: a family's commands under /habit or /group.
    Habit options autocomplete with `complete` (the active habits), or `complete_archived`
    where they name an archived one (/habit restore); tool options with `complete_tool`."""
    completers = Completers(complete, complete_tool, complete_archived)
    declared = list(commands)
    families: dict[str, app_commands.Group] = {}
    for command in declared:
        if command.family is None:
            where = contexts([command.where])
            tree.add_command(_command(command, run, completers, where))
            continue
        group = families.get(command.family)
        if group is None:
            members = [c.where for c in declared if c.family == command.family]
            group = families[command.family] = app_commands.Group(
                name=command.family,
                description=FAMILIES.get(command.family, command.family),
                allowed_contexts=contexts(members),
            )
            tree.add_command(group)
        group.add_command(_command(command, run, completers, None))


@dataclass(frozen=True)
class Completers:
    habit: CompleteHabit
    tool: CompleteHabit | None = None
    archived: CompleteHabit | None = None

    def of(self, param: Param) -> CompleteHabit | None:
        if param.kind is Kind.HABIT:
            return self.archived if param.archived else self.habit
        return self.tool if param.kind is Kind.TOOL else None


def _command(
    command: Command,
    run: RunCommand,
    completers: Completers,
    where: app_commands.AppCommandContext | None,
) -> app_commands.Command[Any, ..., None]:
    async def callback(interaction: Interaction, **values: Any) -> None:
        await run(interaction, command, values)

    # discord.py reads the options from the callback's signature (inspect.signature honours
    # __signature__, PEP 362); descriptions and choices through its public decorators.
    parameters = [
        inspect.Parameter(
            "interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=discord.Interaction
        )
    ]
    for param in command.params:
        parameters.append(
            inspect.Parameter(
                param.name,
                inspect.Parameter.KEYWORD_ONLY,
                annotation=_annotation(param),
                default=inspect.Parameter.empty if param.required else None,
            )
        )
    callback.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    described = app_commands.describe(
        **{p.name: p.description[:DESCRIPTION_LIMIT] for p in command.params}
    )(callback)
    choices = {p.name: _choices(p) for p in command.params if p.choices or _hours(p)}
    if choices:
        described = app_commands.choices(**choices)(described)
    slash: app_commands.Command[Any, ..., None] = app_commands.Command(
        name=command.leaf or command.name,
        description=command.summary[:DESCRIPTION_LIMIT],
        callback=described,
        allowed_contexts=where,
    )
    for param in command.params:
        complete = completers.of(param)
        if complete is not None:
            slash.autocomplete(param.name)(_completer(complete))
    return slash


def _hours(param: Param) -> range | None:
    """The whole hours a time option takes (/daystart: 0 to 6), or None for any time."""
    if param.kind is not Kind.TIME or param.low is None or param.high is None:
        return None
    return range(param.low, param.high + 1)


def _choices(param: Param) -> list[app_commands.Choice[Any]]:
    hours = _hours(param)
    if hours is None:
        return [app_commands.Choice(name=c, value=c) for c in param.choices]
    return [
        app_commands.Choice(name=f"{h:02d}:00" + (" (midnight)" if h == 0 else ""), value=h)
        for h in hours
    ]


def _annotation(param: Param) -> Any:
    if _hours(param) is not None:
        return int  # one of the hours offered; the bot reads it as that o'clock
    if param.kind is Kind.MEMBER:
        return discord.User
    if param.kind is Kind.PHOTO:
        return discord.Attachment
    if param.kind is Kind.NUMBER:
        if param.low is None and param.high is None:
            return int
        return app_commands.Range[int, param.low, param.high]
    return str


def _completer(
    complete: CompleteHabit,
) -> Callable[[Interaction, str], Coroutine[Any, Any, list[app_commands.Choice[str]]]]:
    async def choices(interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
        titles = await complete(interaction, current)
        return [
            app_commands.Choice(name=t[:DESCRIPTION_LIMIT], value=t[:DESCRIPTION_LIMIT])
            for t in titles[:AUTOCOMPLETE_LIMIT]
        ]

    return choices


def args_of(command: Command, values: Mapping[str, Any]) -> str:
    """The neutral argument string: the typed options in the declaration's order."""
    words = [
        " ".join(str(values[p.name]).split())
        for p in command.params
        if p.kind in TYPED and values.get(p.name) is not None
    ]
    return " ".join(w for w in words if w)


def option_texts(command: Command, values: Mapping[str, Any]) -> dict[str, str]:
    """Each typed option as the text it carries, by parameter name (bot/arguments.py reads
    them into the same values as the words of a typed command)."""
    return {
        p.name: " ".join(str(values[p.name]).split())
        for p in command.params
        if p.kind in TYPED and values.get(p.name) is not None
    }


def option_value(command: Command, values: Mapping[str, Any], kind: Kind) -> Any:
    """The value of the first option of this kind (the member, the photo), or None."""
    for param in command.params:
        if param.kind is kind and values.get(param.name) is not None:
            return values[param.name]
    return None


def tree_payload(tree: app_commands.CommandTree[Any], guild: discord.abc.Snowflake | None) -> str:
    """The JSON discord.py would PUT for this tree (what a sync publishes), canonical."""
    commands = [c.to_dict(tree) for c in tree.get_commands(guild=guild)]
    commands.sort(key=lambda c: (int(c.get("type", 1)), str(c["name"])))
    return json.dumps(commands, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def tree_hash(tree: app_commands.CommandTree[Any], guild: discord.abc.Snowflake | None) -> str:
    return hashlib.sha256(tree_payload(tree, guild).encode()).hexdigest()
