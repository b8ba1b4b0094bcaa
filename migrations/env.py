"""Alembic environment: runs on a connection handed over by core.db.schema, or on DATABASE_URL."""

from __future__ import annotations

import asyncio
import os

from alembic import context
from sqlalchemy import Table, event
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

import core.db.models  # noqa: F401  (registers every table)
from core.db.base import Base
from core.db.engine import normalise_url
from core.db.schema import (
    compare_type,
    keep_sqlite_autoincrement,
    migrate_in_one_transaction,
    render_item,
)

config = context.config
target_metadata = Base.metadata
if not event.contains(Table, "before_create", keep_sqlite_autoincrement):
    event.listen(Table, "before_create", keep_sqlite_autoincrement)


def do_run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        render_item=render_item,
        compare_type=compare_type,
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_async() -> None:
    url = normalise_url(os.environ.get("DATABASE_URL", "sqlite:///data/habitlink.db"))
    engine = create_async_engine(url)
    async with engine.connect() as conn:
        await conn.run_sync(migrate_in_one_transaction, do_run_migrations)
    await engine.dispose()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        do_run_migrations(connection)
    else:
        asyncio.run(run_async())


if context.is_offline_mode():
    raise SystemExit("Offline (--sql) migrations are not supported; run `habitlink migrate`.")
run_migrations_online()
