"""Drive the console adapter in-process and read what it printed, like a terminal transcript."""

from __future__ import annotations

import io
from pathlib import Path

from adapters.console.adapter import ConsoleAdapter
from bot.delivery import Notifier
from bot.dispatcher import HabitLinkBot
from core.clock import SettableClock


class ConsoleSession:
    def __init__(self, bot: HabitLinkBot, clock: SettableClock, media_dir: Path) -> None:
        self.out = io.StringIO()
        self.adapter = ConsoleAdapter(bot, clock, self.out, media_dir=media_dir)
        self.adapter.notifier = Notifier(bot, {self.adapter.platform: self.adapter})
        self.media_dir = media_dir

    async def say(self, *lines: str) -> str:
        """Feed lines (messages or meta lines) and return the output they produced."""
        start = self.out.tell()
        for line in lines:
            await self.adapter.feed(line)
        self.out.seek(start)
        produced = self.out.read()
        self.out.seek(0, io.SEEK_END)
        return produced

    @property
    def buttons(self) -> list[str]:
        return [b.label for b in self.adapter.buttons]


INDENT = "     "


def bot(*lines: str, edited: bool = False) -> str:
    """One reply exactly as the console prints it."""
    lead = "bot (edited): " if edited else "bot: "
    return "\n".join([lead + lines[0], *(INDENT + line for line in lines[1:])]) + "\n"
