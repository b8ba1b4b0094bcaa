"""A command, declared once: its name, what it does, where it works and its typed parameters.

Everything else is derived from the declaration: /help and `/help CMD`, Telegram's menus,
Discord's application commands (options, choices, ranges, autocomplete and the /habit and /group
families), the console's help and the checks of typed arguments (`parse_args`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING

from bot.messages import Response

if TYPE_CHECKING:
    from bot.context import Context


class Where(StrEnum):
    ANY = "any"
    PRIVATE = "private"
    GROUP = "group"


class Kind(StrEnum):
    HABIT = "habit"  # one of the person's habits: a number, a title or a word of it
    DAY = "day"  # today, yesterday, a weekday, -2 or YYYY-MM-DD
    TEXT = "text"  # free words
    MEMBER = "member"  # a person: @name, or the author of the message replied to
    CHOICE = "choice"  # one word of `choices`
    NUMBER = "number"  # a whole number, within `low`..`high` when given
    PHOTO = "photo"  # the photo the message carries
    TOOL = "tool"  # a Toolbox technique: its name, a beginning or a part of it


MAX_DIGITS = 19  # a longer number is out of every range (and Python refuses 4,300 digits)
# Parameters a person types (the others come from the message itself).
TYPED = (Kind.HABIT, Kind.DAY, Kind.TEXT, Kind.CHOICE, Kind.NUMBER, Kind.TOOL)
# Commands gathered under one name on platforms with command families (Discord's /habit new).
FAMILIES: Mapping[str, str] = MappingProxyType(
    {
        "habit": "Your habits: create, check in, look back",
        "group": "Accountability groups: a channel becomes a group",
    }
)


@dataclass(frozen=True)
class Param:
    name: str  # lower-case, one word: Discord's option name; LABEL in usage lines
    kind: Kind
    description: str
    required: bool = False
    choices: tuple[str, ...] = ()
    aliases: Mapping[str, str] = field(default_factory=dict)  # other words for a choice
    low: int | None = None
    high: int | None = None
    label: str = ""  # how usage lines show it; NAME by default
    invalid: str = ""  # the reply to a value that does not fit; a generic one by default

    @property
    def shown(self) -> str:
        if self.label:
            return self.label
        if self.kind is Kind.CHOICE:
            return "|".join(self.choices)
        if self.kind is Kind.MEMBER:
            return "@name"
        return self.name.upper()


class Arg:
    """Parameters as they are declared: `Arg.habit(required=True), Arg.day()`."""

    @staticmethod
    def habit(description: str = "", *, required: bool = False) -> Param:
        text = description or "The habit: its number in /habits, its name or a word of it"
        return Param("habit", Kind.HABIT, text, required=required)

    @staticmethod
    def tool(description: str = "", *, required: bool = True) -> Param:
        text = description or "The technique: its name or a part of it (see /tools)"
        return Param("tool", Kind.TOOL, text, required=required)

    @staticmethod
    def day() -> Param:
        return Param("day", Kind.DAY, "today, yesterday, a weekday, -2 or YYYY-MM-DD (7 days back)")

    @staticmethod
    def member(description: str = "The person (or reply to their message)") -> Param:
        return Param("user", Kind.MEMBER, description, required=True)

    @staticmethod
    def text(name: str, description: str, *, required: bool = False, label: str = "") -> Param:
        return Param(name, Kind.TEXT, description, required=required, label=label)

    @staticmethod
    def choice(
        name: str,
        description: str,
        choices: tuple[str, ...],
        *,
        required: bool = False,
        aliases: Mapping[str, str] | None = None,
        invalid: str = "",
    ) -> Param:
        return Param(
            name,
            Kind.CHOICE,
            description,
            required=required,
            choices=choices,
            aliases=aliases or {},
            invalid=invalid,
        )

    @staticmethod
    def number(
        name: str,
        description: str,
        *,
        low: int | None = None,
        high: int | None = None,
        required: bool = False,
        label: str = "",
        invalid: str = "",
    ) -> Param:
        return Param(
            name,
            Kind.NUMBER,
            description,
            required=required,
            low=low,
            high=high,
            label=label,
            invalid=invalid,
        )

    @staticmethod
    def photo(description: str = "The photo") -> Param:
        return Param("photo", Kind.PHOTO, description, required=True)


CommandHandler = Callable[["Context"], Awaitable[Response]]


@dataclass(frozen=True)
class Command:
    name: str
    handler: CommandHandler
    summary: str  # one line: menus, /help, Discord's description
    help: str = ""  # more, for /help CMD
    where: Where = Where.ANY
    section: str = "Habits"
    params: tuple[Param, ...] = ()
    menu: bool = True  # listed in Telegram's command menu
    family: str | None = None  # "habit": on Discord it is /habit <leaf>
    leaf: str = ""  # its name inside the family (/habit new); the command's name by default

    @property
    def usage(self) -> str:
        words = [f"/{self.name}"]
        for p in self.params:
            if p.kind is Kind.PHOTO:
                continue
            words.append(p.shown if p.required else f"[{p.shown}]")
        return " ".join(words)

    @property
    def path(self) -> str:
        """Its name on platforms with command families: "habit done", or "learn"."""
        if self.family is None:
            return self.name
        return f"{self.family} {self.leaf or self.name}"


class BadArgument(Exception):
    """A typed argument that does not fit its declaration; the message is for the person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def parse_args(command: Command, args: str) -> dict[str, str | int | None]:
    """Check and convert the arguments of a command whose only typed parameter is a number or
    a choice (the others parse their words themselves). Raises BadArgument with a clear reply."""
    typed = [p for p in command.params if p.kind in TYPED]
    if len(typed) != 1 or typed[0].kind not in (Kind.NUMBER, Kind.CHOICE):
        return {}
    param = typed[0]
    word = " ".join(args.split()).lower()
    if not word:
        return {param.name: None}
    if param.kind is Kind.CHOICE:
        chosen = param.aliases.get(word, word)
        if chosen not in param.choices:
            options = " or ".join(f"/{command.name} {c}" for c in param.choices)
            raise BadArgument(param.invalid or f"Say {options}.")
        return {param.name: chosen}
    number = word.lstrip("-").isdecimal() and word.count("-") <= 1 and len(word) <= MAX_DIGITS
    value = int(word) if number else None
    if (
        value is None
        or (param.low is not None and value < param.low)
        or (param.high is not None and value > param.high)
    ):
        generic = f"{param.shown} is a whole number{_range(param)}: {command.usage}"
        raise BadArgument(param.invalid or generic)
    return {param.name: value}


def _range(param: Param) -> str:
    if param.low is not None and param.high is not None:
        return f" from {param.low} to {param.high}"
    if param.low is not None:
        return f" from {param.low} up"
    if param.high is not None:
        return f" up to {param.high}"
    return ""
