"""Ids are never reused (migration 0032), and upgrading a database with rows in it loses none.

On SQLite a table without AUTOINCREMENT gives a new row the largest id plus one, so deleting
the newest habit handed its id to the next one. 0032 rebuilds every table with a generated id;
the rebuild drops tables, which with foreign keys on would delete the rows referencing them
(ON DELETE CASCADE), so migrations run with them off and every reference is checked after.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, String, text
from sqlalchemy.engine import Connection

import core.db.models  # noqa: F401  (every table)
from core.db.base import Base
from core.db.engine import Database
from core.db.schema import alembic_config, current_revision, migrate_in_one_transaction, upgrade
from tests.conftest import create_pg_database, drop_pg_database

NOW = datetime(2026, 3, 23, 9, 0, tzinfo=UTC)
DAY = date(2026, 3, 23)
GENERATED_IDS = sorted(
    t.name for t in Base.metadata.sorted_tables if t.autoincrement_column is not None
)
ROWS = [
    "INSERT INTO users (display_name, lifebook, created_at) VALUES ('Alice', '{}', :t)",
    "INSERT INTO users (display_name, lifebook, created_at) VALUES ('Bob', '{}', :t)",
    "INSERT INTO identities (user_id, platform, external_id, display_name, created_at) "
    "VALUES (1, 'telegram', '42', 'Alice', :t)",
    "INSERT INTO user_settings (user_id, timezone, day_start_hour, summary_enabled, "
    "summary_weekday, summary_hour) VALUES (1, 'UTC', 0, true, 6, 18)",
    "INSERT INTO daily_counters (user_id, kind, day, count) VALUES (1, 'ai', :d, 1)",
    "INSERT INTO trusts (truster_id, trustee_id, created_at) VALUES (1, 2, :t)",
    "INSERT INTO refresh_tokens (user_id, family, token_hash, created_at, expires_at) "
    "VALUES (1, 'f', 'h', :t, :t)",
    "INSERT INTO audit_log (actor_id, actor_label, action, target_type, created_at) "
    "VALUES (1, 'Alice', 'ban', 'user', :t)",
    *[
        "INSERT INTO habits (user_id, title, loop, schedule_kind, weekday_mask, times_per_week, "
        f"start_date, position, created_at) VALUES (1, '{title}', '{{}}', 'daily', 0, 7, :d, "
        f"{n}, :t)"
        for n, title in enumerate(("Read", "Run", "Walk"), 1)
    ],
    "INSERT INTO habit_logs (habit_id, date, status, created_at) VALUES (1, :d, 'done', :t)",
    "INSERT INTO habit_logs (habit_id, date, status, created_at) VALUES (2, :d, 'done', :t)",
    "INSERT INTO reminders (habit_id, local_time, weekday_mask, created_at) "
    "VALUES (1, '07:00:00', 127, :t)",
    "INSERT INTO tools (title, description, keywords, steps, created_at, slug, origin, "
    "problems, source, evidence, updated_at) VALUES ('Stack', 'After X, do Y', '[]', '[]', "
    ":t, 'stack', 'community', '[]', '{}', 'community', :t)",
    "INSERT INTO habit_tools (habit_id, tool_id, created_at) VALUES (1, 1, :t)",
    "INSERT INTO groups (name, is_public, owner_id, invite_code, timezone, summary_weekday, "
    "summary_hour, created_at) VALUES ('Runners', true, 1, 'abc', 'UTC', 6, 18, :t)",
    "INSERT INTO group_members (group_id, user_id, role, created_at) VALUES (1, 1, 'owner', :t)",
    "INSERT INTO group_members (group_id, user_id, role, created_at) VALUES (1, 2, 'member', :t)",
    "INSERT INTO group_chats (group_id, platform, external_chat_id, created_at) "
    "VALUES (1, 'telegram', '-100', :t)",
    "INSERT INTO messages (group_id, user_id, content, type, likes_count, created_at) "
    "VALUES (1, 1, 'Start small', 'learning', 1, :t)",
    "INSERT INTO message_likes (message_id, user_id, created_at) VALUES (1, 2, :t)",
    "INSERT INTO proofs (group_id, user_id, habit_id, date, week_start, image_key, thumb_key, "
    "created_at) VALUES (1, 1, 1, :d, :d, 'i', 'th', :t)",
    "INSERT INTO notifications (dedupe_key, kind, user_id, platform, chat_id, payload, due_at, "
    "status, attempts, next_attempt_at, created_at) VALUES ('k', 'summary', 1, 'telegram', "
    "'42', '{}', :t, 'pending', 0, :t, :t)",
    # The newest habit, deleted before the upgrade: its id is free again there (nothing to
    # do about that), but never after.
    "DELETE FROM habits WHERE title = 'Walk'",
]
NEW_HABIT = (
    "INSERT INTO habits (user_id, title, loop, schedule_kind, weekday_mask, times_per_week, "
    "start_date, position, created_at) VALUES (1, :title, '{}', 'daily', 0, 7, :d, 9, :t) "
    "RETURNING id"
)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def empty_db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """A database with no schema yet, on both engines."""
    if request.param == "sqlite":
        db = Database(f"sqlite:///{tmp_path / 'old.db'}")
        yield db
        await db.dispose()
        return
    admin_dsn: str = request.getfixturevalue("pg_admin_dsn")
    url = create_pg_database(admin_dsn, migrate=False)
    db = Database(url, statement_timeout=None)  # migrations run unbounded, as `habitlink migrate`
    try:
        yield db
    finally:
        await db.dispose()
        drop_pg_database(admin_dsn, url)


async def _fill(db: Database) -> None:
    async with db.engine.begin() as conn:
        for sql in ROWS:
            await conn.execute(text(sql), {"t": NOW, "d": DAY})


async def _counts(db: Database) -> dict[str, int]:
    async with db.engine.connect() as conn:
        return {
            t.name: int((await conn.execute(text(f'SELECT count(*) FROM "{t.name}"'))).scalar_one())
            for t in Base.metadata.sorted_tables
        }


async def _new_habit(db: Database, title: str) -> int:
    async with db.engine.begin() as conn:
        row = await conn.execute(text(NEW_HABIT), {"title": title, "d": DAY, "t": NOW})
        return int(row.scalar_one())


async def _sqlite_master(db: Database) -> dict[str, str]:
    async with db.engine.connect() as conn:
        rows = await conn.execute(text("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL"))
        return {str(name): str(sql) for name, sql in rows}


async def test_upgrading_a_filled_database_keeps_every_row_and_never_reuses_an_id(
    empty_db: Database,
) -> None:
    await upgrade(empty_db, "0031")
    await _fill(empty_db)
    before = await _counts(empty_db)
    assert before["habits"] == 2 and before["habit_logs"] == 2 and before["message_likes"] == 1
    await upgrade(empty_db, "0032")

    assert await current_revision(empty_db) == "0032"
    assert await _counts(empty_db) == before  # no row lost, none cascaded away
    if empty_db.dialect == "sqlite":
        async with empty_db.engine.connect() as conn:
            assert (await conn.execute(text("PRAGMA foreign_key_check"))).all() == []
            # the pooled connection has its foreign keys back on
            assert (await conn.execute(text("PRAGMA foreign_keys"))).scalar() == 1
        master = await _sqlite_master(empty_db)
        for table in GENERATED_IDS:
            assert "PRIMARY KEY AUTOINCREMENT" in master[table], table
    # The newest habit deleted for good: the next one gets a new id, not its id.
    newest = await _new_habit(empty_db, "Swim")
    async with empty_db.engine.begin() as conn:
        await conn.execute(text("DELETE FROM habits WHERE id = :id"), {"id": newest})
    assert await _new_habit(empty_db, "Yoga") == newest + 1


async def test_every_generated_id_is_autoincrement_on_sqlite(tmp_path: Path) -> None:
    """Migrations give every table the models give a generated id AUTOINCREMENT, and no other
    (a later batch migration that rebuilds one of them must pass
    table_kwargs={"sqlite_autoincrement": True}, or this fails)."""
    db = Database(f"sqlite:///{tmp_path / 'fresh.db'}")
    try:
        await upgrade(db)
        master = await _sqlite_master(db)
    finally:
        await db.dispose()
    autoincrement = sorted(
        t.name for t in Base.metadata.sorted_tables if "AUTOINCREMENT" in master[t.name]
    )
    assert autoincrement == GENERATED_IDS
    assert len(GENERATED_IDS) == 17
    assert all(
        t.dialect_options["sqlite"]["autoincrement"]
        for t in Base.metadata.sorted_tables
        if t.name in GENERATED_IDS
    )


async def test_a_rebuild_of_users_before_0032_deletes_nobodys_habits(tmp_path: Path) -> None:
    """0014 rebuilds `users` (batch mode): with foreign keys on, that dropped every habit,
    identity and group of everyone upgrading from before it."""
    db = Database(f"sqlite:///{tmp_path / 'older.db'}")
    try:
        await upgrade(db, "0006")
        async with db.engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO users (display_name, lifebook, created_at, is_admin) "
                    "VALUES ('Alice', '{}', :t, false)"
                ),
                {"t": NOW},
            )
            await conn.execute(text(ROWS[2]), {"t": NOW})  # her Telegram account
            for sql in ROWS[8:12]:  # her habits and check-ins
                await conn.execute(text(sql), {"t": NOW, "d": DAY})
        await upgrade(db)
        counts = await _counts(db)
    finally:
        await db.dispose()
    assert (counts["users"], counts["identities"], counts["habits"], counts["habit_logs"]) == (
        1,
        1,
        3,
        1,
    )


async def test_0032_downgrades_and_upgrades_again(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'roundtrip.db'}")

    def migrate(to: Callable[..., None], revision: str) -> Callable[[Connection], None]:
        def run(conn: Connection) -> None:
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            to(cfg, revision)

        return run

    try:
        await upgrade(db, "0031")
        await _fill(db)
        before = await _counts(db)
        await upgrade(db)
        new = await _sqlite_master(db)
        async with db.engine.connect() as conn:
            await conn.run_sync(migrate_in_one_transaction, migrate(command.downgrade, "0031"))
        assert await current_revision(db) == "0031"
        assert not any("AUTOINCREMENT" in sql for sql in (await _sqlite_master(db)).values())
        assert await _counts(db) == before
        await upgrade(db)
        assert await _sqlite_master(db) == new
        assert await _counts(db) == before
    finally:
        await db.dispose()


async def test_a_later_batch_migration_keeps_autoincrement(tmp_path: Path) -> None:
    """A migration rebuilding a table in batch mode (as adding a constraint on SQLite does)
    keeps its AUTOINCREMENT, though reflection cannot see it."""
    db = Database(f"sqlite:///{tmp_path / 'later.db'}")

    def later_migration(conn: Connection) -> None:
        with Operations.context(MigrationContext.configure(conn)) as op:  # noqa: SIM117
            with op.batch_alter_table("habits", recreate="always") as batch:
                batch.add_column(Column("colour", String(16), nullable=True))

    try:
        await upgrade(db)
        await _fill(db)
        async with db.engine.connect() as conn:
            await conn.run_sync(migrate_in_one_transaction, later_migration)
        assert "AUTOINCREMENT" in (await _sqlite_master(db))["habits"]
        newest = await _new_habit(db, "Swim")
        async with db.engine.begin() as conn:
            await conn.execute(text("DELETE FROM habits WHERE id = :id"), {"id": newest})
        assert await _new_habit(db, "Yoga") == newest + 1
    finally:
        await db.dispose()
