"""The migrations build exactly the schema the models describe, and the database enforces it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from core.db.base import Base
from core.db.engine import Database
from core.db.schema import (
    SchemaOutOfDate,
    compare_type,
    current_revision,
    ensure_schema,
    head_revision,
)
from tests.conftest import create_pg_database, drop_pg_database

NOW = datetime(2026, 3, 23, 9, 0, tzinfo=UTC)


def _diff(conn: Connection) -> list[Any]:
    ctx = MigrationContext.configure(conn, opts={"compare_type": compare_type})
    return list(compare_metadata(ctx, Base.metadata))


async def test_models_and_migrations_agree(database: Database) -> None:
    assert await current_revision(database) == head_revision()
    async with database.engine.connect() as conn:
        diff = await conn.run_sync(_diff)
    assert diff == []


async def _insert(db: Database, sql: str, **params: object) -> None:
    async with db.engine.begin() as conn:
        await conn.execute(text(sql), params)


async def _user(db: Database, name: str) -> int:
    await _insert(
        db,
        "INSERT INTO users (display_name, lifebook, created_at) VALUES (:n, '{}', :t)",
        n=name,
        t=NOW,
    )
    async with db.engine.connect() as conn:
        return int(
            (
                await conn.execute(
                    text("SELECT id FROM users WHERE display_name = :n"), {"n": name}
                )
            ).scalar_one()
        )


HABIT_SQL = (
    "INSERT INTO habits (user_id, title, loop, schedule_kind, weekday_mask, times_per_week, "
    "start_date, position, created_at) VALUES (:u, :title, '{}', :kind, :mask, :n, :d, 1, :t)"
)


async def test_database_enforces_the_rules(database: Database) -> None:
    alice = await _user(database, "Alice")
    bob = await _user(database, "Bob")
    ok = {"u": alice, "title": "Read", "kind": "daily", "mask": 0, "n": 7, "d": date(2026, 3, 1)}
    await _insert(database, HABIT_SQL, **ok, t=NOW)
    bad_habits = [
        {**ok, "kind": "hourly"},
        {**ok, "kind": "weekdays", "mask": 0},
        {**ok, "n": 9},
        {**ok, "title": ""},
    ]
    for bad in bad_habits:
        with pytest.raises(IntegrityError):
            await _insert(database, HABIT_SQL, **bad, t=NOW)

    log = "INSERT INTO habit_logs (habit_id, date, status, created_at) VALUES (1, :d, :s, :t)"
    await _insert(database, log, d=date(2026, 3, 2), s="done", t=NOW)
    with pytest.raises(IntegrityError):  # one check-in per habit and day
        await _insert(database, log, d=date(2026, 3, 2), s="skipped", t=NOW)
    with pytest.raises(IntegrityError):
        await _insert(database, log, d=date(2026, 3, 3), s="maybe", t=NOW)

    trust = "INSERT INTO trusts (truster_id, trustee_id, created_at) VALUES (:a, :b, :t)"
    await _insert(database, trust, a=alice, b=bob, t=NOW)
    with pytest.raises(IntegrityError):
        await _insert(database, trust, a=alice, b=bob, t=NOW)
    with pytest.raises(IntegrityError):  # no self-trust
        await _insert(database, trust, a=alice, b=alice, t=NOW)

    ident = (
        "INSERT INTO identities (user_id, platform, external_id, display_name, created_at) "
        "VALUES (:u, 'telegram', '42', 'x', :t)"
    )
    await _insert(database, ident, u=alice, t=NOW)
    with pytest.raises(IntegrityError):  # one user per platform identity
        await _insert(database, ident, u=bob, t=NOW)

    with pytest.raises(IntegrityError):  # foreign keys hold on SQLite too
        await _insert(database, log.replace("(1,", "(999,"), d=date(2026, 3, 4), s="done", t=NOW)


async def test_group_tables_enforce_roles_chats_and_likes(database: Database) -> None:
    alice = await _user(database, "Alice")
    group = (
        "INSERT INTO groups (name, is_public, owner_id, invite_code, timezone, summary_weekday, "
        "summary_hour, created_at) VALUES ('Runners', true, :o, :code, 'UTC', 6, 18, :t)"
    )
    await _insert(database, group, o=alice, code="abc", t=NOW)
    with pytest.raises(IntegrityError):
        await _insert(database, group, o=alice, code="abc", t=NOW)
    member = (
        "INSERT INTO group_members (group_id, user_id, role, created_at) VALUES (1, :u, :r, :t)"
    )
    with pytest.raises(IntegrityError):
        await _insert(database, member, u=alice, r="king", t=NOW)
    await _insert(database, member, u=alice, r="owner", t=NOW)
    chat = (
        "INSERT INTO group_chats (group_id, platform, external_chat_id, created_at) "
        "VALUES (1, 'telegram', '-100', :t)"
    )
    await _insert(database, chat, t=NOW)
    with pytest.raises(IntegrityError):  # one chat holds at most one group
        await _insert(database, chat, t=NOW)
    message = (
        "INSERT INTO messages (group_id, user_id, content, type, likes_count, created_at) "
        "VALUES (1, :u, 'Start small', 'learning', 0, :t)"
    )
    await _insert(database, message, u=alice, t=NOW)
    like = "INSERT INTO message_likes (message_id, user_id, created_at) VALUES (1, :u, :t)"
    await _insert(database, like, u=alice, t=NOW)
    with pytest.raises(IntegrityError):  # one like per person and message
        await _insert(database, like, u=alice, t=NOW)


@pytest.mark.postgres
async def test_postgres_refuses_an_old_schema_until_migrated(pg_admin_dsn: str) -> None:
    url = create_pg_database(pg_admin_dsn, migrate=False)
    db = Database(url)
    try:
        with pytest.raises(SchemaOutOfDate, match="habitlink migrate"):
            await ensure_schema(db, auto_upgrade=False)
        await ensure_schema(db, auto_upgrade=True)
        await ensure_schema(db, auto_upgrade=False)  # now current: no error
    finally:
        await db.dispose()
        drop_pg_database(pg_admin_dsn, url)


async def test_embedded_sqlite_upgrades_itself(tmp_path: object) -> None:
    db = Database(f"sqlite:///{tmp_path}/fresh/habitlink.db")
    try:
        assert await current_revision(db) is None
        await ensure_schema(db, auto_upgrade=True)
        assert await current_revision(db) == head_revision()
    finally:
        await db.dispose()
