"""The slash commands, as data: each row maps a Discord command and its typed options onto a
neutral command name and its argument string (/habit done habit:read day:yesterday ->
"done", "read yesterday"). `build_tree` turns the table into discord.py application commands."""

from __future__ import annotations

import hashlib
import inspect
import json
from collections.abc import Awaitable, Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

import discord
from discord import app_commands


class Kind(Enum):
    TEXT = "text"  # words appended to the args
    NUMBER = "number"  # an integer appended to the args
    USER = "user"  # becomes Request.reply_to (whom /trust, /kick... are about)
    ATTACHMENT = "attachment"  # becomes Request.photo


@dataclass(frozen=True)
class Option:
    name: str
    description: str
    kind: Kind = Kind.TEXT
    required: bool = False
    choices: tuple[str, ...] = ()
    habits: bool = False  # autocomplete with the person's active habits


@dataclass(frozen=True)
class Slash:
    path: str  # "habit done" (a subcommand of /habit) or "learn"
    command: str  # the neutral command it runs
    description: str
    options: tuple[Option, ...] = ()

    @property
    def parent(self) -> str | None:
        head, _, leaf = self.path.partition(" ")
        return head if leaf else None

    @property
    def leaf(self) -> str:
        return self.path.rpartition(" ")[2]


GROUPS = {
    "habit": "Your habits: create, check in, look back",
    "group": "Accountability groups: a channel becomes a group",
}
HABIT = Option("habit", "The habit: its name, a beginning of it, or its number", habits=True)
WHICH_HABIT = Option(
    "habit", "The habit: its name, a beginning of it, or its number", required=True, habits=True
)
DAY = Option("day", "today, yesterday, a weekday, -2 or YYYY-MM-DD (up to 7 days back)")
USER = Option("user", "The person", Kind.USER, required=True)
VISIBILITY = ("public", "private")
FIELDS = ("title", "schedule", "why", "identity", "dose", "intention", "cue", "reward")

COMMANDS: tuple[Slash, ...] = (
    Slash(
        "habit new",
        "newhabit",
        "Create a habit: guided step by step, or in one go with a title",
        (Option("title", "A title for a quick habit (leave empty for the guided setup)"),),
    ),
    Slash("habit list", "habits", "Today's habits, with a button to check each one in"),
    Slash("habit done", "done", "Check a habit in as done", (WHICH_HABIT, DAY)),
    Slash("habit undo", "undo", "Take back a check-in or a skip", (WHICH_HABIT, DAY)),
    Slash("habit skip", "skip", "Skip a day without breaking the streak", (WHICH_HABIT, DAY)),
    Slash(
        "habit week",
        "week",
        "The weekly tracker, as text and as a picture",
        (Option("week", "last, or a date in the week you want (YYYY-MM-DD)"),),
    ),
    Slash("habit stats", "stats", "Streaks, 66-day progress, strength, a year heatmap", (HABIT,)),
    Slash(
        "habit edit",
        "edithabit",
        "Change a habit's title, schedule, why, identity or loop",
        (
            HABIT,
            Option("field", "What to change", choices=FIELDS),
            Option("value", "The new value (leave empty to be asked)"),
        ),
    ),
    Slash("habit delete", "deletehabit", "Archive or delete a habit (asks first)", (HABIT,)),
    Slash(
        "group new",
        "newgroup",
        "Make this channel an accountability group",
        (
            Option("name", "The group's name", required=True),
            Option(
                "visibility", "public: anyone can find it; private: invite only", choices=VISIBILITY
            ),
        ),
    ),
    Slash(
        "group join",
        "join",
        "Join this channel's group, or any group with its invite code",
        (Option("code", "An invite code (needed for a private group)"),),
    ),
    Slash("group leave", "leave", "Leave this channel's group"),
    Slash("group members", "members", "Who is in this channel's group"),
    Slash("group info", "groupinfo", "About this channel's group"),
    Slash("group board", "board", "This week in the group: proofs, check-ins, streaks"),
    Slash("group invite", "invite", "An invite code for this channel's group"),
    Slash("group list", "groups", "Public groups you can join"),
    Slash("group mine", "mygroups", "The groups you are in"),
    Slash(
        "group rename",
        "rename",
        "Rename this group (owner or admin)",
        (Option("name", "The new name", required=True),),
    ),
    Slash(
        "group visibility",
        "visibility",
        "Make this group public or private (owner or admin)",
        (Option("visibility", "public or private", required=True, choices=VISIBILITY),),
    ),
    Slash("group kick", "kick", "Remove a member (owner or admin)", (USER,)),
    Slash("group ban", "ban", "Remove someone and keep them out (owner or admin)", (USER,)),
    Slash("group unban", "unban", "Let a banned person join again (owner or admin)", (USER,)),
    Slash("group promote", "promote", "Make a member an admin (owner)", (USER,)),
    Slash("group demote", "demote", "Make an admin a member again (owner)", (USER,)),
    Slash("group transfer", "transfer", "Hand the group over to another member (owner)", (USER,)),
    Slash(
        "learn",
        "learn",
        "Share something you learned with your group",
        (Option("text", "What you learned", required=True),),
    ),
    Slash("learnings", "learnings", "The latest learnings of this channel's group"),
    Slash(
        "unlearn",
        "unlearn",
        "Delete one of your learnings",
        (Option("number", "Its number in /learnings", Kind.NUMBER, required=True),),
    ),
    Slash(
        "feed",
        "feed",
        "Learnings from public groups: newest or most liked",
        (Option("order", "newest (default) or top", choices=("newest", "top")),),
    ),
    Slash("trust", "trust", "Read someone's learnings in your weekly summary", (USER,)),
    Slash("untrust", "untrust", "Stop reading someone's learnings in your summary", (USER,)),
    Slash("trusted", "trusted", "Whom you trust and who trusts you"),
    Slash("summary", "summary", "Your week (in private) or the group's week (in a channel)"),
    Slash(
        "timezone",
        "timezone",
        "Your time zone, so your day starts at your midnight",
        (Option("zone", "An IANA name (Europe/Berlin) or a city (Tokyo)"),),
    ),
    Slash(
        "daystart",
        "daystart",
        "Night owl? Let your day end at 1-6 in the morning",
        (Option("hour", "0 to 6", Kind.NUMBER, required=True),),
    ),
    Slash(
        "remind",
        "remind",
        "A reminder for a habit at your local time",
        (
            WHICH_HABIT,
            Option("time", "HH:MM, your local time", required=True),
            Option("days", "Weekdays, e.g. mon wed fri (default: every day)"),
        ),
    ),
    Slash("reminders", "reminders", "Your reminders"),
    Slash(
        "unremind",
        "unremind",
        "Remove a reminder",
        (Option("number", "Its number in /reminders", Kind.NUMBER, required=True),),
    ),
    Slash(
        "quiethours",
        "quiethours",
        "No reminders between these hours",
        (Option("hours", "e.g. 22-7, or off", required=True),),
    ),
    Slash(
        "quiet",
        "quiet",
        "Turn the weekly summary off, or on again",
        (Option("summary", "off: summaries again; leave empty for none", choices=("on", "off")),),
    ),
    Slash(
        "summarytime",
        "summarytime",
        "When your weekly summary arrives",
        (Option("when", "A weekday and an hour, e.g. sun 18", required=True),),
    ),
    Slash(
        "link",
        "link",
        "Join your accounts on other platforms into one profile",
        (Option("code", "The code /link gave you on your other account"),),
    ),
    Slash(
        "proof",
        "proof",
        "Post a photo as proof of your week",
        (
            Option("photo", "The photo", Kind.ATTACHMENT, required=True),
            HABIT,
            Option("note", "A few words about it"),
        ),
    ),
    Slash("help", "help", "All commands, or one in detail", (Option("command", "A command"),)),
    Slash(
        "start",
        "start",
        "What HabitLink does and how to begin",
        (Option("code", "An invite code"),),
    ),
    Slash("cancel", "cancel", "Stop what we're in the middle of"),
)

_ANNOTATIONS: dict[Kind, Any] = {
    Kind.TEXT: str,
    Kind.NUMBER: int,
    Kind.USER: discord.User,
    Kind.ATTACHMENT: discord.Attachment,
}
Interaction = discord.Interaction[Any]
RunSlash = Callable[[Interaction, Slash, Mapping[str, Any]], Awaitable[None]]
CompleteHabit = Callable[[Interaction, str], Awaitable[list[str]]]


def build_tree(
    tree: app_commands.CommandTree[Any],
    specs: Sequence[Slash],
    run: RunSlash,
    complete: CompleteHabit,
) -> None:
    """Add every row of `specs` to `tree` (subcommands under their /habit or /group group)."""
    groups: dict[str, app_commands.Group] = {}
    for spec in specs:
        command = _command(spec, run, complete)
        if spec.parent is None:
            tree.add_command(command)
            continue
        group = groups.get(spec.parent)
        if group is None:
            description = GROUPS.get(spec.parent, spec.parent)
            group = groups[spec.parent] = app_commands.Group(
                name=spec.parent, description=description
            )
            tree.add_command(group)
        group.add_command(command)


def _command(
    spec: Slash, run: RunSlash, complete: CompleteHabit
) -> app_commands.Command[Any, ..., None]:
    async def callback(interaction: Interaction, **values: Any) -> None:
        await run(interaction, spec, values)

    # discord.py reads the options from the callback's signature: build one from the row.
    parameters = [
        inspect.Parameter(
            "interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=discord.Interaction
        )
    ]
    for option in spec.options:
        parameters.append(
            inspect.Parameter(
                option.name,
                inspect.Parameter.KEYWORD_ONLY,
                annotation=_ANNOTATIONS[option.kind],
                default=inspect.Parameter.empty if option.required else None,
            )
        )
    callback.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    described: dict[str, Any] = {o.name: o.description[:100] for o in spec.options}
    callback.__discord_app_commands_param_description__ = described  # type: ignore[attr-defined]
    choices = {
        o.name: [app_commands.Choice(name=c, value=c) for c in o.choices]
        for o in spec.options
        if o.choices
    }
    if choices:
        callback.__discord_app_commands_param_choices__ = choices  # type: ignore[attr-defined]
    command: app_commands.Command[Any, ..., None] = app_commands.Command(
        name=spec.leaf, description=spec.description[:100], callback=callback
    )
    for option in spec.options:
        if option.habits:
            command.autocomplete(option.name)(_completer(complete))
    return command


def _completer(
    complete: CompleteHabit,
) -> Callable[[Interaction, str], Coroutine[Any, Any, list[app_commands.Choice[str]]]]:
    async def habits(interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
        titles = await complete(interaction, current)
        return [app_commands.Choice(name=t[:100], value=t[:100]) for t in titles[:25]]

    return habits


def args_of(spec: Slash, values: Mapping[str, Any]) -> str:
    """The neutral argument string: text and number options in the table's order."""
    words = [
        " ".join(str(values[o.name]).split())
        for o in spec.options
        if o.kind in (Kind.TEXT, Kind.NUMBER) and values.get(o.name) is not None
    ]
    return " ".join(w for w in words if w)


def option_value(spec: Slash, values: Mapping[str, Any], kind: Kind) -> Any:
    """The value of the first option of this kind (the user, the attachment), or None."""
    for option in spec.options:
        if option.kind is kind and values.get(option.name) is not None:
            return values[option.name]
    return None


def tree_payload(tree: app_commands.CommandTree[Any], guild: discord.abc.Snowflake | None) -> str:
    """The JSON discord.py would PUT for this tree (what a sync publishes), canonical."""
    commands = [c.to_dict(tree) for c in tree.get_commands(guild=guild)]
    commands.sort(key=lambda c: (int(c.get("type", 1)), str(c["name"])))
    return json.dumps(commands, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def tree_hash(tree: app_commands.CommandTree[Any], guild: discord.abc.Snowflake | None) -> str:
    return hashlib.sha256(tree_payload(tree, guild).encode()).hexdigest()
