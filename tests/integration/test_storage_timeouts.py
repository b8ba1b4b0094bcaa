"""A database that stops answering (or stays locked) costs each person a few seconds.

PostgreSQL is reached through a proxy on loopback that can freeze (it accepts and reads, but
forwards nothing), the way a stalled database host looks from the bot.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from bot.dispatcher import SORRY_STORAGE, HabitLinkBot
from bot.messages import Chat, ChatKind, Person, Request
from core.clock import SettableClock
from core.db.engine import Database
from core.media.storage import LocalMediaStore
from tests.support.bots import make_bot
from tests.support.tcp_proxy import FreezingProxy, freezing_proxy

# More people than the pool has connections (10 + 10 overflow): some wait for one, bounded too.
PEOPLE = [Person("console", f"p{i}", f"Person {i}") for i in range(25)]
A_FEW_SECONDS = 7.0  # the longest a person may wait for "try again" while the database stalls


def dm(person: Person) -> Chat:
    return Chat("console", f"dm:{person.id}", ChatKind.PRIVATE)


async def say(bot: HabitLinkBot, person: Person, text: str) -> str:
    response = await bot.handle(Request.from_text(person, dm(person), text))
    return "\n".join(r.text.plain() for r in response.replies)


@pytest.fixture
async def proxied(
    pg_database: Database, clock: SettableClock, media: LocalMediaStore
) -> AsyncIterator[tuple[HabitLinkBot, FreezingProxy]]:
    """A bot whose database connections all go through a freezing proxy to the test server."""
    url = urlsplit(pg_database.url)
    async with freezing_proxy(url.hostname or "127.0.0.1", url.port or 5432) as proxy:
        proxied_url = url._replace(netloc=f"{url.username}@127.0.0.1:{proxy.port}").geturl()
        db = Database(proxied_url)
        bot = make_bot(db, clock, media=media)
        try:
            yield bot, proxy
        finally:
            proxy.thaw()
            await db.dispose()


async def timed(bot: HabitLinkBot, person: Person, text: str) -> tuple[str, float]:
    loop = asyncio.get_running_loop()
    started = loop.time()
    async with asyncio.timeout(60):  # the test's own guard; the bound is asserted below
        reply = await say(bot, person, text)
    return reply, loop.time() - started


@pytest.mark.postgres
async def test_a_frozen_database_gets_try_again_within_seconds_and_work_resumes(
    proxied: tuple[HabitLinkBot, FreezingProxy],
) -> None:
    bot, proxy = proxied
    for person in PEOPLE:
        assert "Created Read" in await say(bot, person, "/newhabit Read")
    proxy.freeze()
    # Everyone at once: each gets "try again" within a few seconds.
    results = await asyncio.gather(*(timed(bot, p, "/done read") for p in PEOPLE))
    for reply, elapsed in results:
        assert reply == SORRY_STORAGE
        assert elapsed < A_FEW_SECONDS, results
    # Still frozen: new connections hang in the handshake; that too is bounded.
    reply, elapsed = await timed(bot, PEOPLE[0], "/habits")
    assert reply == SORRY_STORAGE
    assert elapsed < A_FEW_SECONDS
    proxy.thaw()
    for person in PEOPLE:
        assert "✓ Read done today" in await say(bot, person, "/done read")


async def test_a_locked_sqlite_database_gets_try_again_within_seconds(
    tmp_path: Path, sqlite_template: Path, clock: SettableClock, media: LocalMediaStore
) -> None:
    path = tmp_path / "habitlink.db"
    shutil.copyfile(sqlite_template, path)
    db = Database(f"sqlite:///{path}")
    other = Database(f"sqlite:///{path}")  # another process holding the write lock
    bot = make_bot(db, clock, media=media)
    try:
        assert "Created Read" in await say(bot, PEOPLE[0], "/newhabit Read")
        async with other.engine.connect() as conn:
            await conn.exec_driver_sql("BEGIN IMMEDIATE")
            reply, elapsed = await timed(bot, PEOPLE[0], "/done read")
            assert reply == SORRY_STORAGE
            assert elapsed < A_FEW_SECONDS
            await conn.rollback()
        assert "✓ Read done today" in await say(bot, PEOPLE[0], "/done read")
    finally:
        await other.dispose()
        await db.dispose()
