"""Health and Prometheus metrics over real HTTP, fed by the real Telegram adapter.

The health server (bot/health.py) runs as in `habitlink run`; each test reads /metrics before
and after and compares, since the metrics of one process add up across tests.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import timedelta

import aiohttp
import pytest

from bot.health import serve_health
from core.clock import SettableClock
from core.db.engine import Database
from core.db.models import Notification
from core.uow import UnitOfWorkFactory
from tests.support.telegram import TelegramHarness


@pytest.fixture
async def health(database: Database, clock: SettableClock) -> AsyncIterator[str]:
    async with serve_health(
        UnitOfWorkFactory(database, clock), host="127.0.0.1", port=0, role="bot"
    ) as port:
        yield f"http://127.0.0.1:{port}"


async def get(url: str) -> tuple[int, str]:
    timeout = aiohttp.ClientTimeout(total=10)
    async with aiohttp.ClientSession(timeout=timeout) as http, http.get(url) as response:
        return response.status, await response.text()


async def scrape(base: str) -> dict[str, float]:
    status, body = await get(f"{base}/metrics")
    assert status == 200
    samples = {}
    for line in body.splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            samples[name] = float(value)
    return samples


def grew(before: dict[str, float], after: dict[str, float], name: str) -> float:
    return after.get(name, 0.0) - before.get(name, 0.0)


async def test_health_and_readiness(health: str) -> None:
    assert await get(f"{health}/healthz") == (200, '{"status": "ok", "role": "bot"}')
    status, body = await get(f"{health}/readyz")
    assert (status, body) == (200, '{"status": "ready", "role": "bot"}')


async def test_not_ready_when_the_database_does_not_answer(clock: SettableClock) -> None:
    gone = Database("postgresql://postgres@127.0.0.1:9/nothing")
    async with serve_health(
        UnitOfWorkFactory(gone, clock), host="127.0.0.1", port=0, role="scheduler"
    ) as port:
        base = f"http://127.0.0.1:{port}"
        assert (await get(f"{base}/healthz"))[0] == 200  # alive, though not ready
        status, body = await get(f"{base}/readyz")
        assert status == 503
        assert '"the database is not reachable: ' in body
        assert "Traceback" not in body
        metrics = await scrape(base)  # metrics still answer, with the outbox left as it was
        assert "habitlink_outbox_depth" in metrics
    await gone.dispose()


async def test_updates_latency_and_replies_are_counted(
    telegram: TelegramHarness, health: str
) -> None:
    before = await scrape(health)
    await telegram.say("/newhabit Read")
    await telegram.say("/habits")
    await telegram.say("/nosuchcommand")
    after = await scrape(health)
    labels = 'command="{}",platform="telegram"'
    for command in ("newhabit", "habits", "other"):
        assert grew(before, after, f"habitlink_updates_total{{{labels.format(command)}}}") == 1
    count = f"habitlink_handler_seconds_count{{{labels.format('habits')}}}"
    assert grew(before, after, count) == 1
    assert grew(before, after, 'habitlink_replies_sent_total{platform="telegram"}') >= 3


async def test_429s_are_counted_and_retried(telegram: TelegramHarness, health: str) -> None:
    before = await scrape(health)
    telegram.fake.fail_next("sendMessage", status=429, retry_after=1)
    replies = await telegram.say("/help")
    assert replies  # answered after the wait
    after = await scrape(health)
    assert grew(before, after, 'habitlink_rate_limited_total{platform="telegram"}') == 1


async def test_outbox_depth_and_age_of_the_oldest_due_notification(
    database: Database, clock: SettableClock, health: str
) -> None:
    now = clock.now()
    async with database.session() as session:
        for minutes, key in ((-7, "a"), (-2, "b"), (30, "c")):
            at = now + timedelta(minutes=minutes)
            session.add(
                Notification(
                    dedupe_key=key,
                    kind="reminder",
                    platform="telegram",
                    chat_id="1",
                    payload={},
                    due_at=at,
                    next_attempt_at=at,
                    created_at=now,
                )
            )
        await session.commit()
    metrics = await scrape(health)
    assert metrics["habitlink_outbox_depth"] == 3
    assert metrics["habitlink_outbox_oldest_due_seconds"] == 7 * 60
    _, body = await get(f"{health}/metrics")
    assert re.search(r"^# TYPE habitlink_handler_seconds histogram$", body, re.MULTILINE)
