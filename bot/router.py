"""Commands, button handlers and flows register here; each feature module has its own Router."""

from __future__ import annotations

import difflib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.buttons import PREFIXES
from bot.commands import FAMILIES, Command, CommandHandler, Param, Where
from bot.messages import Request, Response

if TYPE_CHECKING:
    from bot.context import Context
    from core.flows import FlowState


ButtonHandler = Callable[["Context", list[str]], Awaitable[Response]]
FlowHandler = Callable[["Context", "FlowState"], Awaitable[Response]]
PhotoHandler = Callable[["Context"], Awaitable[Response]]


@dataclass
class Router:
    commands: dict[str, Command] = field(default_factory=dict)
    buttons: dict[str, ButtonHandler] = field(default_factory=dict)
    flows: dict[str, FlowHandler] = field(default_factory=dict)
    # Flows whose steps a bare /skip skips (as Telegram bots' conversations commonly take it),
    # rather than running the /skip command: they read it with `says_skip`.
    skippable: set[str] = field(default_factory=set)
    # What each flow is, as a reply names it when another command stops it ("the habit setup";
    # empty: it stops without a word).
    flow_names: dict[str, str] = field(default_factory=dict)
    # The command that starts each flow afresh, as a late answer to an expired one is told.
    flow_starts: dict[str, str] = field(default_factory=dict)
    photo_handlers: list[PhotoHandler] = field(default_factory=list)

    def command(
        self,
        name: str,
        summary: str,
        *params: Param,
        help: str = "",
        where: Where = Where.ANY,
        section: str = "Habits",
        menu: bool = True,
        family: str | None = None,
        leaf: str = "",
        bare: bool = False,
        tried: tuple[str, ...] = (),
    ) -> Callable[[CommandHandler], CommandHandler]:
        """Declare a command (see bot/commands.py): everything a platform shows comes from here."""

        def register(handler: CommandHandler) -> CommandHandler:
            if name in self.commands:
                raise ValueError(f"command /{name} registered twice")
            self.commands[name] = Command(
                name,
                handler,
                summary,
                help=help,
                where=where,
                section=section,
                params=tuple(params),
                menu=menu,
                family=family,
                leaf=leaf,
                bare=bare,
                tried=tried,
            )
            return handler

        return register

    def button(self, prefix: str) -> Callable[[ButtonHandler], ButtonHandler]:
        def register(handler: ButtonHandler) -> ButtonHandler:
            if prefix in self.buttons or prefix not in PREFIXES:
                raise ValueError(f"button prefix {prefix!r} is taken or not in bot/buttons.py")
            self.buttons[prefix] = handler
            return handler

        return register

    def flow(
        self, name: str, *, what: str, start: str | None, skippable: bool = False
    ) -> Callable[[FlowHandler], FlowHandler]:
        def register(handler: FlowHandler) -> FlowHandler:
            self.flows[name] = handler
            self.flow_names[name] = what
            if start is not None:
                self.flow_starts[name] = start
            if skippable:
                self.skippable.add(name)
            return handler

        return register

    def photo(self, handler: PhotoHandler) -> PhotoHandler:
        self.photo_handlers.append(handler)
        return handler

    def include(self, *others: Router) -> Router:
        for other in others:
            for name, cmd in other.commands.items():
                if name in self.commands:
                    raise ValueError(f"command /{name} registered twice")
                self.commands[name] = cmd
            for prefix, handler in other.buttons.items():
                if prefix in self.buttons:
                    raise ValueError(f"button prefix {prefix!r} registered twice")
                self.buttons[prefix] = handler
            self.flows.update(other.flows)
            self.flow_names.update(other.flow_names)
            self.flow_starts.update(other.flow_starts)
            self.skippable |= other.skippable
            self.photo_handlers.extend(other.photo_handlers)
        tried = [word for command in self.commands.values() for word in command.tried]
        clash = set(tried) & self.commands.keys() or {w for w in tried if tried.count(w) > 1}
        if clash:
            raise ValueError(f"words tried for two commands, or command names: {sorted(clash)}")
        return self

    def skips_step(self, request: Request, flow: str | None) -> bool:
        """A bare /skip sent while a flow that takes it is under way: the flow's answer."""
        return flow in self.skippable and _bare_skip(request)

    def suggest(self, word: str, *, private: bool | None = None) -> Command | None:
        """The command an unknown /word most likely meant: one that declares the word among
        those people try (/checkin: /done), the shortest one it begins (/habit: /habits), the
        longest it begins with (/reminder: /remind), or one a typo away (/hbits: /habits).
        Said in a private chat or a group (`private`), one that works there comes first
        (/group: /groups in private, /groupinfo in a group)."""
        word = word.lower()
        for command in self.commands.values():
            if word in command.tried:
                return command

        def elsewhere(name: str) -> bool:
            where = self.commands[name].where
            return (
                private is not None
                and where is not Where.ANY
                and private != (where is Where.PRIVATE)
            )

        names = sorted(self.commands, key=len)
        started = [n for n in names if n.startswith(word) and len(word) >= 3]
        if started:
            return self.commands[min(started, key=lambda n: (elsewhere(n), len(n)))]
        within = [n for n in names if word.startswith(n) and len(n) >= 4]
        if within:
            return self.commands[max(within, key=lambda n: (not elsewhere(n), len(n)))]
        close = difflib.get_close_matches(word, names, n=1, cutoff=0.75)
        return self.commands[close[0]] if close else None

    def is_ours(self, word: str) -> bool:
        """Whether an unknown /word can only be for HabitLink: the name of a command family
        (/group, /habit: Discord's commands), answered even in a group chat, where another
        unknown command may be another bot's."""
        return word.lower() in FAMILIES

    def menu(self, where: Where) -> list[Command]:
        """The commands to publish in a platform's menu for private or group chats."""
        return [
            c
            for c in self.commands.values()
            if c.menu and (c.where is Where.ANY or c.where is where)
        ]


def _bare_skip(request: Request) -> bool:
    return request.command == "skip" and not request.args.strip() and not request.options


# The labels of the buttons that skip a guided step: typed, they skip it too (not its answer).
SKIP_THIS = "Skip this"
SKIP_KEEP = "Skip (keep)"
SKIP_WORDS = frozenset({"skip", SKIP_THIS.casefold(), SKIP_KEEP.casefold()})


def says_skip(request: Request) -> bool:
    """An answer to a flow's step that skips it: the word 'skip' or a skip button's label
    typed, or a bare /skip."""
    if request.command is not None:
        return _bare_skip(request)
    return says(request.text, *SKIP_WORDS)


def says(text: str, *labels: str) -> bool:
    """Whether a typed answer is one of these button labels, case and spacing aside."""
    said = " ".join(text.split()).casefold()
    return any(said == label.casefold() for label in labels)
