"""`habitlink run` (every configured platform and the scheduler) and `habitlink scheduler`."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from contextlib import AsyncExitStack

from bot.app import App, build_app
from bot.config import Settings
from bot.platforms import Platform, platforms
from bot.scheduler import start_scheduler

log = logging.getLogger("habitlink.run")
NOTHING_CONFIGURED = (
    "no chat platform is configured.\n"
    "Set TELEGRAM_BOT_TOKEN (from @BotFather) and/or DISCORD_BOT_TOKEN, in the environment or "
    "in .env (see .env.example).\n"
    "To try HabitLink without a token: habitlink console"
)


def _configured(settings: Settings, command: str) -> list[Platform] | None:
    chosen = [p for p in platforms() if p.configured(settings)]
    if not chosen:
        print(f"habitlink {command}: {NOTHING_CONFIGURED}", file=sys.stderr)
        return None
    return chosen


def _stop_on_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)


async def run_adapters(settings: Settings) -> int:
    chosen = _configured(settings, "run")
    if chosen is None:
        return 2
    app = await build_app(settings)
    stop = asyncio.Event()
    _stop_on_signals(stop)
    scheduler = start_scheduler(app.notifier())
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
        scheduler.shutdown(wait=False)
        await app.close()


async def run_scheduler(settings: Settings) -> int:
    """The scheduler alone: send-only connections to each configured platform."""
    chosen = _configured(settings, "scheduler")
    if chosen is None:
        return 2
    app: App = await build_app(settings)
    stop = asyncio.Event()
    _stop_on_signals(stop)
    try:
        async with AsyncExitStack() as stack:
            for platform in chosen:
                app.senders[platform.name] = await stack.enter_async_context(platform.sender(app))
            scheduler = start_scheduler(app.notifier())
            try:
                await stop.wait()
            finally:
                scheduler.shutdown(wait=False)
        return 0
    finally:
        await app.close()
