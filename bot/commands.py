"""A command, declared once: its name, what it does, where it works and its typed parameters.

Everything else is derived from the declaration: /help and `/help CMD`, Telegram's menus,
Discord's application commands (options, choices, ranges, autocomplete and the /habit and /group
families), the console's help and the reading and checking of arguments (bot/arguments.py).
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
    TIME = "time"  # a time of day: HH:MM, 7pm
    # How often: daily, weekdays, mon wed fri, 3x. Said after free text in one line, it is the
    # last words that read wholly as one (`/newhabit Read mon wed fri`); an option of its own
    # where options are given one by one (Discord), so the text before it is never cut there.
    SCHEDULE = "schedule"


MAX_DIGITS = 19  # a longer number is out of every range (and Python refuses 4,300 digits)
# Parameters a person types (the others come from the message itself).
TYPED = (
    Kind.HABIT,
    Kind.DAY,
    Kind.TEXT,
    Kind.CHOICE,
    Kind.NUMBER,
    Kind.TOOL,
    Kind.TIME,
    Kind.SCHEDULE,
)
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
    # A number's range; a time's whole hours (/daystart: 0 to 6), which Discord offers as choices.
    low: int | None = None
    high: int | None = None
    label: str = ""  # how usage lines show it; NAME by default
    # The reply to a value that does not fit ("{word}" stands for it); derived by default.
    invalid: str = ""
    archived: bool = False  # a habit among the archived ones (/restore), not the active ones

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
    def habit(description: str = "", *, required: bool = False, archived: bool = False) -> Param:
        """One of the person's active habits, or with `archived` one of their archived ones
        (numbered as /archived numbers them; Discord's autocomplete offers those)."""
        listed = "/archived" if archived else "/habits"
        text = description or f"The habit: its number in {listed}, its name or a word of it"
        return Param("habit", Kind.HABIT, text, required=required, archived=archived)

    @staticmethod
    def tool(description: str = "", *, required: bool = True) -> Param:
        text = description or "The technique: its name or a part of it (see /tools)"
        return Param("tool", Kind.TOOL, text, required=required)

    @staticmethod
    def day() -> Param:
        return Param("day", Kind.DAY, "today, yesterday, a weekday, -2 or YYYY-MM-DD (7 days back)")

    @staticmethod
    def time(
        description: str = "Your local time: 07:30, 12 30, 7pm, noon or a whole hour (19)",
        *,
        required: bool = True,
        name: str = "time",
        label: str = "HH:MM",
        invalid: str = "",
        hours: tuple[int, int] | None = None,
    ) -> Param:
        """A time of day; with `hours` (first, last) only those whole hours are meant, and
        where options are offered (Discord) those hours are the choices. Typed words are read
        as any time ('3am', '03:00'); the handler says why another one does not fit."""
        low, high = hours if hours is not None else (None, None)
        return Param(
            name,
            Kind.TIME,
            description,
            required=required,
            label=label,
            invalid=invalid,
            low=low,
            high=high,
        )

    @staticmethod
    def schedule(
        description: str = "How often: daily, weekdays, mon wed fri or 3x (default: every day)",
    ) -> Param:
        return Param("schedule", Kind.SCHEDULE, description)

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
    # Without any argument the handler answers (a list, the current setting, a question)
    # instead of the usage reply, even when a parameter is required.
    bare: bool = False
    # Other words people type for it (/checkin for /done): not commands, but an unknown
    # command that is one of them is answered with "Did you mean /done?"
    tried: tuple[str, ...] = ()

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
