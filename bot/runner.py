"""`habitlink run`: start every configured chat platform and keep them running together."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys

from bot.app import build_app
from bot.platforms import platforms
from bot.settings import Settings

log = logging.getLogger("habitlink.run")


async def run_adapters(settings: Settings) -> int:
    chosen = [p for p in platforms() if p.configured(settings)]
    if not chosen:
        print(
            "habitlink run: no chat platform is configured.\n"
            "Set TELEGRAM_BOT_TOKEN (from @BotFather) and/or DISCORD_BOT_TOKEN, in the "
            "environment or in .env (see .env.example).\n"
            "To try HabitLink without a token: habitlink console",
            file=sys.stderr,
        )
        return 2
    app = await build_app(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        tasks = [asyncio.create_task(p.serve(app, stop), name=p.name) for p in chosen]
        log.info("running", extra={"platforms": [p.name for p in chosen]})
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)
        failed = [t for t in done if not t.cancelled() and t.exception() is not None]
        for task in failed:
            log.error(
                "platform stopped", exc_info=task.exception(), extra={"platform": task.get_name()}
            )
        return 1 if failed else 0
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
        await app.close()
