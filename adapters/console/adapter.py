"""The console adapter: a chat in the terminal, with meta lines to play several people.

Meta lines: `:user NAME`, `:chat dm`, `:chat group NAME`, `:photo PATH [caption]`, `:press N`,
`:time 2026-03-29T07:30`, `:help`, `:quit`. Everything else is a message to the bot.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from adapters.console.render import render_reply
from bot.commands import Where
from bot.delivery import Notifier
from bot.dispatcher import HabitLinkBot
from bot.messages import Button, Chat, ChatKind, Person, Photo, Request, Response
from core.clock import SettableClock
from core.ratelimit import Limit

PLATFORM = "console"
# The clock stays a year inside the calendar: weeks, years and time zones around any day
# the bot looks at must exist.
EARLIEST = datetime(1971, 1, 1, tzinfo=UTC)
LATEST = datetime(9998, 12, 31, tzinfo=UTC)
META_HELP = """Meta lines (everything else goes to the bot):
  :user NAME              act as that person
  :chat dm                talk to the bot privately
  :chat group NAME        talk in a group chat called NAME
  :photo PATH [caption]   send a photo
  :press N                press button N of the last reply
  :time 2026-03-29T07:30  set the clock (local to the console's time zone unless an offset is given)
  :quit                   leave"""


class ConsoleAdapter:
    def __init__(
        self,
        bot: HabitLinkBot,
        clock: SettableClock,
        out: TextIO,
        *,
        media_dir: Path,
        timezone: str = "UTC",
        user: str = "you",
        echo: bool = False,
    ) -> None:
        self.bot = bot
        self.clock = clock
        self.out = out
        self.media_dir = media_dir
        self.tz = ZoneInfo(timezone)
        self.echo = echo
        self.user = user
        self.chat = self._dm()
        self.buttons: list[Button] = []
        self._images = 0
        # Set by the composition root: after `:time` moves the clock, due reminders and
        # summaries are produced and sent here, as they would be on a real platform.
        self.notifier: Notifier | None = None

    # --- who and where -------------------------------------------------------------------
    def _person(self) -> Person:
        return Person(PLATFORM, self.user.lower(), self.user, username=self.user.lower())

    def _dm(self) -> Chat:
        return Chat(PLATFORM, f"dm:{self.user.lower()}", ChatKind.PRIVATE)

    def prompt(self) -> str:
        where = "dm" if self.chat.is_private else f"#{self.chat.title}"
        return f"{self.user}@{where}> "

    # --- the loop ------------------------------------------------------------------------
    async def run(self, lines: AsyncIterator[str]) -> None:
        async for line in lines:
            if not await self.feed(line):
                break

    async def feed(self, line: str) -> bool:
        """Handle one input line; False when the user asked to quit."""
        line = line.rstrip("\n")
        if self.echo:
            self._print(f"{self.prompt()}{line}")
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            return True
        if stripped.startswith(":"):
            return await self._meta(stripped)
        await self._send(Request.from_text(self._person(), self.chat, stripped))
        return True

    async def _meta(self, line: str) -> bool:
        name, _, arg = line[1:].partition(" ")
        arg = arg.strip()
        if name in {"quit", "q", "exit"}:
            return False
        if name == "help":
            self._print(META_HELP)
            self._print(self._commands_here())
        elif name == "user" and arg:
            self.user = arg
            if self.chat.is_private:
                self.chat = self._dm()
            self._print(f"(you are now {arg})")
        elif name == "chat" and arg == "dm":
            self.chat = self._dm()
            self._print("(private chat with the bot)")
        elif name == "chat" and arg.startswith("group ") and arg[6:].strip():
            title = arg[6:].strip()
            self.chat = Chat(PLATFORM, f"group:{title.lower()}", ChatKind.GROUP, title=title)
            self._print(f"(group chat {title})")
        elif name == "photo" and arg:
            await self._photo(arg)
        elif name == "press" and arg:
            await self._press(arg)
        elif name == "time" and arg:
            if self._set_time(arg) and self.notifier is not None:
                await self.notifier.run_once()
        else:
            self._print(f"(unknown or incomplete meta line {line!r}; :help lists them)")
        return True

    def _commands_here(self) -> str:
        """The commands that work in this chat, from their declarations (bot/commands.py)."""
        here = Where.PRIVATE if self.chat.is_private else Where.GROUP
        names = [
            f"/{c.name}" for c in self.bot.router.commands.values() if c.where in (Where.ANY, here)
        ]
        return "Commands here (/help COMMAND for one): " + " ".join(names)

    async def _photo(self, arg: str) -> None:
        path_text, _, caption = arg.partition(" ")
        path, size = await asyncio.to_thread(_inspect, path_text)
        if size is None:
            self._print(f"(no file at {path})")
            return

        async def load() -> bytes:
            return await asyncio.to_thread(path.read_bytes)

        photo = Photo(load=load, file_name=path.name, size=size)
        await self._send(Request.from_text(self._person(), self.chat, caption, photo=photo))

    async def _press(self, arg: str) -> None:
        if not arg.isdecimal() or not 1 <= int(arg) <= len(self.buttons):
            self._print(f"(there is no button {arg}; the last reply had {len(self.buttons)})")
            return
        button = self.buttons[int(arg) - 1]
        request = Request(sender=self._person(), chat=self.chat, button=button.payload)
        await self._send(request, pressed=button.label)

    def _set_time(self, arg: str) -> bool:
        try:
            when = datetime.fromisoformat(arg)
        except ValueError:
            self._print("(use :time YYYY-MM-DDTHH:MM, for example :time 2026-03-29T07:30)")
            return False
        if when.tzinfo is None:
            when = when.replace(tzinfo=self.tz)
        try:
            utc = when.astimezone(UTC)  # overflows on the first and last days of the calendar
        except OverflowError:
            utc = None
        if utc is None or not EARLIEST <= utc <= LATEST:
            self._print(
                f"(the clock goes from {EARLIEST.year} to {LATEST.year}; pick a time in between)"
            )
            return False
        self.clock.set(utc)
        local = self.clock.now().astimezone(self.tz)
        self._print(f"(clock: {local:%a %Y-%m-%d %H:%M} {local.tzname()})")
        return True

    # --- notifications -------------------------------------------------------------------
    platform = PLATFORM

    def limits(self, chat_id: str) -> tuple[Limit, ...]:
        return ()

    async def send_response(self, chat_id: str, response: Response) -> None:
        """A reminder or summary arrives: shown with whom it is for; its buttons can be pressed."""
        kind, _, name = chat_id.partition(":")
        self._print(f"(message for {name})" if kind == "dm" else f"(message in group {name})")
        self._show(response, None)

    # --- output --------------------------------------------------------------------------
    async def _send(self, request: Request, pressed: str | None = None) -> None:
        response = await self.bot.handle(request)
        self._show(response, pressed)

    def _show(self, response: Response, pressed: str | None) -> None:
        if response.notice:
            self._print(f"(notice: {response.notice})")
        buttons: list[Button] = []
        for reply in response.replies:
            image_path = (
                self._save_image(reply.image.data, reply.image.filename) if reply.image else None
            )
            file_path = (
                self._save_image(reply.document.data, reply.document.filename)
                if reply.document
                else None
            )
            self._print(
                render_reply(reply, image_path, first_button=len(buttons) + 1, file_path=file_path)
            )
            buttons += [b for row in reply.buttons for b in row]
        if response.replies:
            self.buttons = buttons

    def _save_image(self, data: bytes, filename: str) -> Path:
        self._images += 1
        self.media_dir.mkdir(parents=True, exist_ok=True)
        safe = re.sub(r"[^A-Za-z0-9._-]", "_", filename)
        path = self.media_dir / f"{self._images:03d}-{safe}"
        path.write_bytes(data)
        return path

    def _print(self, text: str) -> None:
        print(text, file=self.out, flush=True)


def _inspect(path_text: str) -> tuple[Path, int | None]:
    path = Path(path_text).expanduser()
    return path, (path.stat().st_size if path.is_file() else None)


async def stdin_lines(read: Callable[[], str]) -> AsyncIterator[str]:
    """Lines from a blocking reader, read off the event loop; ends at end of input."""
    while True:
        try:
            line = await asyncio.to_thread(read)
        except EOFError:
            return
        if line == "":
            return
        yield line
