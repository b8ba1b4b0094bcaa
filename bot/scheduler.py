"""APScheduler runs a few fixed jobs that read what is due from the database.

There is never one job per user: `produce` turns due reminders and summaries into outbox rows,
`dispatch` sends what the outbox holds. Several processes may run both on PostgreSQL.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.delivery import Notifier

log = logging.getLogger("habitlink.scheduler")
PRODUCE_EVERY = 20  # seconds; reminders are minute-precise
DISPATCH_EVERY = 2
TIDY_EVERY = 3600  # abandoned flows are forgotten within the hour after they expire


def _logged(name: str, job: Callable[[], Awaitable[Any]]) -> Callable[[], Awaitable[None]]:
    async def run() -> None:
        try:
            await job()
        except Exception:
            log.exception("scheduled job failed", extra={"job": name})

    return run


def start_scheduler(
    notifier: Notifier,
    *,
    produce_every: float = PRODUCE_EVERY,
    dispatch_every: float = DISPATCH_EVERY,
    tidy_every: float = TIDY_EVERY,
) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(timezone=UTC)
    common: dict[str, Any] = {"max_instances": 1, "coalesce": True, "misfire_grace_time": 30}
    scheduler.add_job(
        _logged("produce", notifier.produce),
        "interval",
        seconds=produce_every,
        id="produce",
        next_run_time=datetime.now(UTC),
        **common,
    )
    scheduler.add_job(
        _logged("dispatch", notifier.dispatch_all),
        "interval",
        seconds=dispatch_every,
        id="dispatch",
        **common,
    )
    scheduler.add_job(
        _logged("tidy", notifier.tidy), "interval", seconds=tidy_every, id="tidy", **common
    )
    scheduler.start()
    log.info("scheduler started", extra={"platforms": sorted(notifier.senders)})
    return scheduler
