"""The database: one async engine, a session factory, and a count of SQL statements."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import InvalidatePoolError, SQLAlchemyError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.util.concurrency import await_

from core.db.sqlite_driver import one_hop_dbapi
from core.errors import StorageError


def normalise_url(url: str) -> str:
    """Accept the usual spellings and pick the async driver: aiosqlite or asyncpg."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+asyncpg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite://") and not url.startswith("sqlite+aiosqlite://"):
        url = "sqlite+aiosqlite://" + url.removeprefix("sqlite://")
    return url


# Every wait on the database is bounded, so a stalled server costs a person seconds, not the
# whole stall: connecting, each statement (on the server and, should the server stop
# answering, in the client), waiting for a free pooled connection, and SQLite's lock wait.
CONNECT_TIMEOUT = 2.0
STATEMENT_TIMEOUT = 3.0
POOL_TIMEOUT = 3.0
POOL_SIZE = 10  # connections kept open; as many again may open for a burst
SQLITE_BUSY_TIMEOUT = 5.0


class Database:
    """Owns the engine. `statements` counts every SQL statement sent (for tests and benchmarks).

    `statement_timeout` bounds each statement (None: no bound, for migrations);
    `connect_timeout` a new PostgreSQL connection."""

    def __init__(
        self,
        url: str,
        *,
        echo: bool = False,
        statement_timeout: float | None = STATEMENT_TIMEOUT,
        connect_timeout: float = CONNECT_TIMEOUT,
    ) -> None:
        self.url = normalise_url(url)
        parsed = make_url(self.url)
        self.dialect = parsed.get_backend_name()
        kwargs: dict[str, Any] = {"echo": echo}
        if self.dialect == "sqlite":
            if parsed.database and parsed.database != ":memory:":
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"timeout": SQLITE_BUSY_TIMEOUT}
            # one hand-off to aiosqlite's thread per statement, not three or four
            kwargs["module"] = one_hop_dbapi()
            # As many kept as PostgreSQL's: the bot layer's HANDLING_AT_ONCE, the intake and the
            # scheduler at once. With SQLAlchemy's 5, a burst opened and closed a connection (and
            # an aiosqlite thread, and its PRAGMAs) for every other update.
            kwargs.update(pool_size=POOL_SIZE, max_overflow=POOL_SIZE, pool_timeout=POOL_TIMEOUT)
        else:
            connect_args: dict[str, Any] = {"timeout": connect_timeout}
            if statement_timeout is not None:
                connect_args["command_timeout"] = statement_timeout
                connect_args["server_settings"] = {
                    "statement_timeout": str(int(statement_timeout * 1000)),
                    "lock_timeout": str(int(statement_timeout * 1000)),
                }
            kwargs.update(
                pool_pre_ping=False,  # _ping_on_checkout: the same check in one round trip
                pool_size=POOL_SIZE,
                max_overflow=POOL_SIZE,
                pool_timeout=POOL_TIMEOUT,
                connect_args=connect_args,
            )
        self.engine: AsyncEngine = create_async_engine(self.url, **kwargs)
        self.sessionmaker = async_sessionmaker(self.engine, expire_on_commit=False)
        self.statements = 0
        event.listen(self.engine.sync_engine, "before_cursor_execute", self._count)
        if self.dialect == "sqlite":
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        else:
            event.listen(self.engine.sync_engine, "connect", _fresh)
            event.listen(self.engine.sync_engine, "checkout", _ping_on_checkout)

    def _count(self, *_: Any) -> None:
        self.statements += 1

    def session(self) -> AsyncSession:
        return self.sessionmaker()

    async def ping(self) -> None:
        """Raise StorageError unless the database answers a trivial query (readiness checks)."""
        try:
            async with self.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except (SQLAlchemyError, OSError) as exc:
            raise StorageError("the database does not answer") from exc

    async def dispose(self) -> None:
        await self.engine.dispose()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _fresh(_dbapi_connection: Any, record: Any) -> None:
    record.info["fresh"] = True  # just connected: its first checkout needs no ping


def _ping_on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    """Before a pooled PostgreSQL connection is handed out, check that the server still
    answers it (it may have restarted, or dropped the connection), as SQLAlchemy's
    `pool_pre_ping` does: a closed connection is replaced, and every connection pooled before
    it with it; any other failure fails the checkout. SQLAlchemy's asyncpg ping is three round
    trips (BEGIN, a query, ROLLBACK); this is one, `SELECT 1` in PostgreSQL's simple query
    protocol, outside any transaction (nothing prepared, nothing to roll back). A fresh
    connection is not pinged."""
    if record.info.pop("fresh", False):
        return
    driver = dbapi_connection.driver_connection
    try:
        await_(driver.execute("SELECT 1"))
    except Exception as exc:
        if driver.is_closed():  # as SQLAlchemy's asyncpg dialect tells a disconnect
            raise InvalidatePoolError("a pooled connection was closed") from exc
        # Anything else (a timeout) fails the checkout as the driver's error, as pre-ping does.
        dbapi_connection._handle_exception(exc)
        raise
