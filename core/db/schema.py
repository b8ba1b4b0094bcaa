"""Bring the schema to the newest migration, or refuse to run on an old one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import DateTime
from sqlalchemy.engine import Connection

from core.db.base import UTCDateTime
from core.db.engine import Database

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"


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


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "no migrations found"
    return head


async def current_revision(db: Database) -> str | None:
    def read(conn: Connection) -> str | None:
        return MigrationContext.configure(conn).get_current_revision()

    async with db.engine.connect() as conn:
        return await conn.run_sync(read)


async def upgrade(db: Database, revision: str = "head") -> None:
    """Run the migrations on the database's own engine (alembic's env.py reuses the connection)."""

    def run(conn: Connection) -> None:
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)

    async with db.engine.begin() as conn:
        await conn.run_sync(run)


async def ensure_schema(db: Database, *, auto_upgrade: bool) -> None:
    """Upgrade (the embedded SQLite default) or check (PostgreSQL) that the schema is current."""
    head = head_revision()
    current = await current_revision(db)
    if current == head:
        return
    if auto_upgrade:
        await upgrade(db)
        return
    raise SchemaOutOfDate(current, head)
