"""Redis is an optimisation: when it dies, freezes or restarts empty, people barely notice.

Each test runs its own redis-server on a free port, so it can kill, freeze (SIGSTOP) and
restart it; the bot is built by the composition root from settings, as `habitlink run` is,
and driven through the console adapter.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.app import App, build_app
from bot.config import Settings
from core.clock import SettableClock
from core.ratelimit import Limit
from tests.support.console import ConsoleSession
from tests.support.redis_server import PrivateRedis, private_redis

pytestmark = pytest.mark.redis
A_FEW_SECONDS = 4.0


@dataclass
class Running:
    app: App
    redis: PrivateRedis
    console: ConsoleSession


@pytest.fixture
async def running(tmp_path: Path, clock: SettableClock) -> AsyncIterator[Running]:
    async with private_redis() as redis:
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None, data_dir=tmp_path / "data", redis_url=redis.url
        )
        app = await build_app(settings, clock=clock)
        try:
            yield Running(app, redis, ConsoleSession(app.bot, clock, tmp_path / "media"))
        finally:
            await app.close()


async def timed(console: ConsoleSession, *lines: str) -> tuple[str, float]:
    loop = asyncio.get_running_loop()
    started = loop.time()
    async with asyncio.timeout(30):  # the test's own guard; the bound is asserted below
        out = await console.say(*lines)
    return out, loop.time() - started


async def test_with_redis_dead_commands_work_and_flows_carry_on(
    running: Running,
) -> None:
    console = running.console
    assert "Created Read" in await console.say("/newhabit Read")
    await running.redis.kill()
    out, elapsed = await timed(console, "/help")
    assert "/habits" in out and elapsed < A_FEW_SECONDS
    assert "1. ○ Read" in await console.say("/habits")
    # Flows are kept in the database with each step: nothing to apologise for.
    assert "1/8 What habit do you want to build?" in await console.say("/newhabit")
    assert "2/8 How often?" in await console.say("Stretch")
    assert "Cancelled. Nothing was saved." in await console.say("/cancel")
    # Rate limits fall back to this process's own limiter.
    async with asyncio.timeout(A_FEW_SECONDS):
        await running.app.rate_limiter.acquire(Limit("telegram:all", 30, 1.0))


async def test_a_frozen_redis_costs_about_a_second_once(running: Running) -> None:
    console = running.console
    assert "Created Read" in await console.say("/newhabit Read")
    running.redis.freeze()
    out, elapsed = await timed(console, "/habits")
    assert "1. ○ Read" in out and elapsed < A_FEW_SECONDS
    # Redis is left alone for a few seconds after it failed: the next ones are not held up.
    out, elapsed = await timed(console, "/help", "/habits", "/week")
    assert "1. ○ Read" in out and elapsed < A_FEW_SECONDS
    running.redis.thaw()


async def test_a_flow_survives_redis_restarting_empty(running: Running) -> None:
    console = running.console
    await console.say("/newhabit")
    await console.say("Stretch")
    await running.redis.restart_empty()
    assert "3/8" in await console.say("daily")
    for _ in range(5):
        await console.say("skip")
    assert "Your new habit is ready" in await console.say("a walk outside")
    assert "Stretch" in await console.say("/habits")


async def test_a_flow_survives_redis_restarting_empty_and_the_bot_restarting(
    tmp_path: Path, clock: SettableClock
) -> None:
    async with private_redis() as redis:
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None, data_dir=tmp_path / "data", redis_url=redis.url
        )
        app = await build_app(settings, clock=clock)
        try:
            console = ConsoleSession(app.bot, clock, tmp_path / "media")
            await console.say("/newhabit")
            assert "2/8 How often?" in await console.say("Stretch")
        finally:
            await app.close()
        await redis.restart_empty()  # Redis and the bot both start with nothing in memory
        app = await build_app(settings, clock=clock)
        try:
            console = ConsoleSession(app.bot, clock, tmp_path / "media")
            assert "3/8" in await console.say("daily")  # the flow carries on where it was
            for _ in range(5):
                await console.say("skip")
            assert "Your new habit is ready" in await console.say("a walk outside")
            out = await console.say("/habits")
            assert "Stretch" in out
            assert "Send /help" in await console.say("hello")  # the flow is over for good
        finally:
            await app.close()


async def test_the_bot_starts_while_redis_is_down(tmp_path: Path, clock: SettableClock) -> None:
    async with private_redis() as redis:
        await redis.kill()
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None, data_dir=tmp_path / "data", redis_url=redis.url
        )
        app = await build_app(settings, clock=clock)
        try:
            console = ConsoleSession(app.bot, clock, tmp_path / "media")
            assert "Created Read" in await console.say("/newhabit Read")
        finally:
            await app.close()
