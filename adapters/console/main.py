"""`habitlink console`: wire the app with a settable clock and chat in the terminal."""

from __future__ import annotations

import logging
import sys

from adapters.console.adapter import ConsoleAdapter, stdin_lines
from bot.app import build_app
from bot.config import Settings
from core.clock import SettableClock


async def run_console(settings: Settings, user: str = "you") -> int:
    if logging.getLogger().level < logging.WARNING:
        logging.getLogger().setLevel(logging.WARNING)  # the terminal is the chat; keep it clean
    clock = SettableClock()
    app = await build_app(settings, clock=clock)
    interactive = sys.stdin.isatty()
    console = ConsoleAdapter(
        app.bot,
        clock,
        sys.stdout,
        media_dir=settings.effective_media_dir / "console",
        timezone=settings.default_timezone,
        user=user,
        echo=not interactive,
    )
    app.senders[console.platform] = console
    console.notifier = app.notifier()
    try:
        if interactive:
            print("HabitLink console. Try /start or /help; :help lists the meta lines.\n")

            def read() -> str:
                return input(console.prompt()) + "\n"

            await console.run(stdin_lines(read))
        else:
            await console.run(stdin_lines(sys.stdin.readline))
    finally:
        await app.close()
    return 0
