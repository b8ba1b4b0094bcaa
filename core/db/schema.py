"""Bring the schema to the newest migration, or refuse to run on an old one."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import DateTime, Table, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from core.db.base import UTCDateTime
from core.db.engine import Database

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"
# How every migration names itself and its parent (see migrations/script.py.mako).
_REVISION = re.compile(r"""^revision: str = ["']([^"']+)["']$""", re.MULTILINE)
_DOWN = re.compile(r"""^down_revision: str \| None = (?:["']([^"']+)["']|None)$""", re.MULTILINE)


class SchemaOutOfDate(RuntimeError):
    def __init__(self, current: str | None, head: str) -> None:
        super().__init__(
            f"The database schema is at revision {current or 'none'}, the code needs {head}. "
            "Run `habitlink migrate` to upgrade it."
        )
        self.current = current
        self.head = head


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Write UTCDateTime as a plain timezone-aware DateTime, so migrations don't import app code."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def compare_type(
    ctx: Any, inspected: Any, metadata: Any, inspected_type: Any, metadata_type: Any
) -> bool | None:
    """UTCDateTime is stored as DateTime: not a difference for autogenerate."""
    if isinstance(metadata_type, UTCDateTime):
        return not isinstance(inspected_type, DateTime)
    return None


BATCH_COPY = "_alembic_tmp_"  # the name Alembic's batch mode gives a SQLite table's new copy


def keep_sqlite_autoincrement(table: Table, connection: Connection, **_: Any) -> None:
    """Alembic's batch mode rebuilds a SQLite table from what it reflects, and reflection does
    not see AUTOINCREMENT: the copy keeps it when the table had it, so a later migration
    altering a table never makes its ids reusable again (migrations/env.py listens with it)."""
    if connection.dialect.name != "sqlite" or not table.name.startswith(BATCH_COPY):
        return
    original = table.name.removeprefix(BATCH_COPY)
    sql = connection.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (original,)
    ).scalar()
    if sql is not None and "AUTOINCREMENT" in str(sql).upper():
        table.dialect_kwargs["sqlite_autoincrement"] = True


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "no migrations found"
    return head


async def current_revision(db: Database) -> str | None:
    from alembic.runtime.migration import MigrationContext

    def read(conn: Connection) -> str | None:
        return MigrationContext.configure(conn).get_current_revision()

    async with db.engine.connect() as conn:
        return await conn.run_sync(read)


async def upgrade(db: Database, revision: str = "head") -> None:
    """Run the migrations on the database's own engine (alembic's env.py reuses the connection)."""

    from alembic import command

    def run(conn: Connection) -> None:
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)

    async with db.engine.connect() as conn:
        await conn.run_sync(migrate_in_one_transaction, run)


class ForeignKeysBroken(RuntimeError):
    """A migration left rows pointing at rows that are not there; nothing was changed."""


def migrate_in_one_transaction(conn: Connection, run: Callable[[Connection], None]) -> None:
    """Run `run` (the migrations) in one transaction: all of it happens or none.

    On SQLite, with foreign keys off: batch mode rebuilds a table by making a copy, dropping
    the table and renaming the copy, and dropping a table with foreign keys on deletes the
    rows of every table referencing it with ON DELETE CASCADE (all of a person's habits when
    `users` is rebuilt). The switch only works outside a transaction, so it is turned off
    before the transaction begins, every reference is checked before it commits, and it is
    turned on again for the pooled connection."""
    if conn.dialect.name != "sqlite":
        with conn.begin():
            run(conn)
        return
    # Python's sqlite3 starts no transaction for a PRAGMA, nor for DDL: BEGIN is explicit.
    conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
    try:
        if conn.exec_driver_sql("PRAGMA foreign_keys").scalar():
            raise RuntimeError("foreign keys could not be turned off for the migration")
        conn.exec_driver_sql("BEGIN")
        run(conn)
        broken = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
        if broken:
            raise ForeignKeysBroken(f"the migration left broken references: {broken[:5]}")
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    finally:
        conn.exec_driver_sql("PRAGMA foreign_keys=ON")
        conn.commit()


def quick_head() -> str | None:
    """The head revision read from the migration files' own lines, without loading Alembic;
    None when the files are not one simple chain (then ask Alembic)."""
    parents: dict[str, str | None] = {}
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        revision, down = _REVISION.findall(source), _DOWN.findall(source)
        if len(revision) != 1 or len(down) != 1:
            return None
        parents[revision[0]] = down[0] or None
    heads = set(parents) - set(parents.values())
    return heads.pop() if len(heads) == 1 else None


async def quick_current(db: Database) -> str | None:
    """The database's revision by plain SQL; None when that does not tell (no table yet,
    several rows): then ask Alembic."""
    try:
        async with db.engine.connect() as conn:
            rows = (await conn.execute(text("SELECT version_num FROM alembic_version"))).all()
    except SQLAlchemyError:
        return None
    return str(rows[0][0]) if len(rows) == 1 else None


async def ensure_schema(db: Database, *, auto_upgrade: bool) -> None:
    """Upgrade (the embedded SQLite default) or check (PostgreSQL) that the schema is current.

    A current schema is recognised without Alembic (about 10 MB with Mako and Pygments a
    running bot does not need); Alembic is loaded only to upgrade or to explain a mismatch."""
    head = quick_head()
    if head is not None and await quick_current(db) == head:
        return
    head = head_revision()
    current = await current_revision(db)
    if current == head:
        return
    if auto_upgrade:
        await upgrade(db)
        return
    raise SchemaOutOfDate(current, head)
