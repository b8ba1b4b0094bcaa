"""A pooled PostgreSQL connection the server dropped is replaced before anyone uses it."""

from __future__ import annotations

import asyncpg
import pytest
from sqlalchemy import text

from core.db.engine import Database

pytestmark = pytest.mark.postgres


async def _backend_pid(db: Database) -> int:
    async with db.engine.connect() as conn:
        return int((await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one())


async def test_a_connection_the_server_dropped_is_replaced(
    pg_database: Database, pg_admin_dsn: str
) -> None:
    pooled = await _backend_pid(pg_database)  # back in the pool now
    admin = await asyncpg.connect(pg_admin_dsn, timeout=5)
    try:  # as after a server restart: the pooled connection's server side is gone
        assert await admin.fetchval("SELECT pg_terminate_backend($1, 5000)", pooled)
    finally:
        await admin.close()
    replaced = await _backend_pid(pg_database)  # without the ping: "connection was closed"
    assert replaced != pooled
    assert await _backend_pid(pg_database) == replaced  # the new one is pooled and kept
