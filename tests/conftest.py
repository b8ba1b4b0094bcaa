"""Shared fixtures: the same tests run on SQLite and PostgreSQL; Redis-backed stores run for real.

PostgreSQL: PG_TEST_URL (default postgresql://postgres@127.0.0.1:5432/test) names a server; each
test session creates its own database there, migrates it once and empties it after every test.
Redis: REDIS_TEST_URL (default redis://127.0.0.1:6379/0); each test gets its own key prefix.
When a server is down the tests that need it are skipped locally; with HABITLINK_REQUIRE_SERVICES=1
(set by .ci/run) they fail instead.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import pytest
from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy import text

from bot.dispatcher import HabitLinkBot
from core.clock import SettableClock
from core.db.base import Base
from core.db.engine import Database
from core.db.schema import upgrade
from core.media.storage import LocalMediaStore
from tests.support.bots import make_bot
from tests.support.console import ConsoleSession

PG_TEST_URL = os.environ.get("PG_TEST_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/0")
REQUIRE_SERVICES = os.environ.get("HABITLINK_REQUIRE_SERVICES") == "1"
T = TypeVar("T")
# A Monday morning in spring, before Europe's daylight-saving switch.
DEFAULT_NOW = datetime(2026, 3, 23, 9, 0, tzinfo=UTC)


def unavailable(what: str, why: object) -> None:
    message = f"{what} is not reachable: {why}"
    if REQUIRE_SERVICES:
        pytest.fail(message + " (HABITLINK_REQUIRE_SERVICES=1)", pytrace=False)
    pytest.skip(message)


# --- databases ---------------------------------------------------------------------------
def run_sync(coro: Coroutine[Any, Any, T]) -> T:
    """Run set-up coroutines from sync fixtures, which may be reached while a loop is running."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


async def _migrate(url: str) -> None:
    # Unbounded, as `habitlink migrate` runs them: on a loaded machine PostgreSQL's DDL can take
    # longer than the 3 s a bot's statement may (pytest-timeout bounds a hang).
    db = Database(url, statement_timeout=None)
    await upgrade(db)
    await db.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite-template") / "habitlink.db"
    run_sync(_migrate(f"sqlite:///{path}"))
    return path


@pytest.fixture(scope="session")
def pg_admin_dsn() -> str:
    return PG_TEST_URL.replace("postgresql+asyncpg://", "postgresql://")


async def _pg_admin(dsn: str, *statements: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(dsn, timeout=5)
    try:
        for statement in statements:
            await conn.execute(statement)
    finally:
        await conn.close()


def create_pg_database(admin_dsn: str, *, migrate: bool) -> str:
    """A new empty (or migrated) database on the test server; returns its URL."""
    import asyncpg

    name = f"habitlink_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    try:
        run_sync(_pg_admin(admin_dsn, f'CREATE DATABASE "{name}"'))
    except (OSError, asyncpg.PostgresError) as exc:
        unavailable("PostgreSQL", exc)
    url = f"{admin_dsn.rsplit('/', 1)[0]}/{name}"
    if migrate:
        run_sync(_migrate(url))
    return url


def drop_pg_database(admin_dsn: str, url: str) -> None:
    name = url.rsplit("/", 1)[1]
    run_sync(_pg_admin(admin_dsn, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def pg_url(pg_admin_dsn: str) -> Iterator[str]:
    """A fresh, migrated PostgreSQL database for this test session, dropped at the end."""
    url = create_pg_database(pg_admin_dsn, migrate=True)
    yield url
    drop_pg_database(pg_admin_dsn, url)


# Which tables hold a row, children before their parents (the reverse of the metadata's
# dependency order). Emptied with DELETE, not TRUNCATE: TRUNCATE makes each table a new file
# (10-20 ms a table, more on a busy machine), DELETE of a test's few rows costs next to nothing.
USED_TABLES = " UNION ALL ".join(
    f"SELECT {i} AS n, '{t.name}' AS name WHERE EXISTS (SELECT FROM \"{t.name}\")"
    for i, t in enumerate(reversed(Base.metadata.sorted_tables))
)
# Every sequence drawn from since its last restart, back to its start (ids begin at 1 again,
# also for a table whose rows were all deleted).
RESTART_SEQUENCES = (
    "SELECT setval(format('%I.%I', schemaname, sequencename)::regclass, start_value, false)"
    " FROM pg_sequences WHERE schemaname = current_schema() AND last_value IS NOT NULL"
)


async def empty_postgres(db: Database) -> None:
    """Every table empty and every id sequence restarted, as TRUNCATE ... RESTART IDENTITY of
    all the tables leaves them."""
    async with db.engine.begin() as conn:
        used = (await conn.execute(text(f"{USED_TABLES} ORDER BY n"))).all()
        for _, name in used:
            await conn.execute(text(f'DELETE FROM "{name}"'))
        await conn.execute(text(RESTART_SEQUENCES))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "habitlink.db"
        shutil.copyfile(template, path)
        db = Database(f"sqlite:///{path}")
        yield db
        await db.dispose()
        return
    async with emptied_postgres(request.getfixturevalue("pg_url")) as db:
        yield db


# The product bounds a statement at 3 s and a new connection at 2 s (core/db/engine.py). In the
# tests, on a machine loaded by the other worker and whatever else runs, a one-row SELECT took
# longer once (an identity look-up, load average 6.5 on 2 cores), and so did opening the 20
# connections of 20 presses at once (load 9): bounds for hangs, not checks of speed, so the
# tests' are wider. test_storage_timeouts shows the product's own bounds on databases of its own.
TEST_STATEMENT_TIMEOUT = 30.0
TEST_CONNECT_TIMEOUT = 30.0


@asynccontextmanager
async def emptied_postgres(url: str) -> AsyncIterator[Database]:
    """The session's PostgreSQL database, emptied before the test. Not again after it: every
    test that uses the database empties it first (this worker's own, dropped at the end), so a
    second emptying was a statement or two more per test for nobody."""
    db = Database(
        url, statement_timeout=TEST_STATEMENT_TIMEOUT, connect_timeout=TEST_CONNECT_TIMEOUT
    )
    await empty_postgres(db)
    try:
        yield db
    finally:
        await db.dispose()


@pytest.fixture
async def pg_database(pg_url: str) -> AsyncIterator[Database]:
    """PostgreSQL only, for what SQLite cannot show (concurrent writers, row locks)."""
    async with emptied_postgres(pg_url) as db:
        yield db


# --- the bot -----------------------------------------------------------------------------
@pytest.fixture
def clock() -> SettableClock:
    return SettableClock(DEFAULT_NOW)


@pytest.fixture
def media(tmp_path: Path) -> LocalMediaStore:
    return LocalMediaStore(tmp_path / "media")


@pytest.fixture
def bot(database: Database, clock: SettableClock, media: LocalMediaStore) -> HabitLinkBot:
    return make_bot(database, clock, media=media)


@pytest.fixture
def console(bot: HabitLinkBot, clock: SettableClock, tmp_path: Path) -> ConsoleSession:
    """A console chat: `await console.say('/habits')` returns what the bot printed."""
    return ConsoleSession(bot, clock, tmp_path / "console-media")


# --- redis -------------------------------------------------------------------------------
@asynccontextmanager
async def redis_for_test() -> AsyncIterator[tuple[Redis, str]]:
    """A client of the real Redis and a key prefix of this test's own, deleted afterwards."""
    client = Redis.from_url(REDIS_TEST_URL)
    try:
        await client.ping()
    except (RedisError, OSError) as exc:
        await client.aclose()
        unavailable("Redis", exc)
    prefix = f"habitlink-test-{uuid.uuid4().hex[:8]}"
    try:
        yield client, prefix
    finally:
        keys = [k async for k in client.scan_iter(match=f"{prefix}:*")]
        if keys:
            await client.delete(*keys)
        await client.aclose()


@pytest.fixture
async def redis_env() -> AsyncIterator[tuple[Redis, str]]:
    async with redis_for_test() as env:
        yield env
