"""SQLite: ids are never reused (AUTOINCREMENT), so a button, link or API answer naming a
deleted row never reaches a newer one

Without AUTOINCREMENT SQLite gives a new row the largest id in the table plus one, so after the
newest habit was deleted for good the next habit got its id, and the old habit's ✓ button still
in the chat checked in the new one. AUTOINCREMENT can only be declared when a table is made:
each table with a generated id is rebuilt (a copy made from its own CREATE TABLE text with the
id column marked AUTOINCREMENT, every row copied with its id, the old table dropped, the copy
renamed, its indexes made again). Run with foreign keys off (core.db.schema does), as dropping
a table with them on would delete the rows referencing it. PostgreSQL's identity columns never
reuse an id: nothing to do there.

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-04 10:00:00
"""

import re
from collections.abc import Sequence

from alembic import op
from sqlalchemy.engine import Connection

revision: str = "0032"
down_revision: str | None = "0031"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Every table whose primary key is a generated integer `id`, as of this revision.
TABLES = (
    "users",
    "identities",
    "groups",
    "group_chats",
    "habits",
    "habit_logs",
    "reminders",
    "messages",
    "message_likes",
    "proofs",
    "tools",
    "link_codes",
    "link_attempts",
    "refresh_tokens",
    "reset_codes",
    "notifications",
    "audit_log",
)
TEMP = "_autoincrement_rebuild"
# How SQLAlchemy (and Alembic's batch mode) write these tables: the id column first, the
# primary key as a named table constraint.
_HEAD = re.compile(r'^CREATE TABLE\s+("?)(\w+)\1\s*\(')
_ID_COLUMN = re.compile(r"\(\s*id INTEGER NOT NULL,")
_PK_CONSTRAINT = re.compile(r",\s*CONSTRAINT (\w+) PRIMARY KEY \(id\)")
_ID_AUTOINCREMENT = re.compile(
    r"\(\s*id INTEGER NOT NULL CONSTRAINT (\w+) PRIMARY KEY AUTOINCREMENT,"
)


def _sub_once(pattern: re.Pattern[str], replacement: str, sql: str, table: str) -> str:
    new, count = pattern.subn(replacement, sql, count=2)
    if count != 1:
        raise RuntimeError(f"{table}: unexpected CREATE TABLE text, not rebuilt: {sql}")
    return new


def _with_autoincrement(sql: str, table: str) -> str:
    name = _PK_CONSTRAINT.search(sql)
    if name is None:
        raise RuntimeError(f"{table}: no primary key constraint on id: {sql}")
    sql = _sub_once(_PK_CONSTRAINT, "", sql, table)
    return _sub_once(
        _ID_COLUMN,
        f"(\n\tid INTEGER NOT NULL CONSTRAINT {name[1]} PRIMARY KEY AUTOINCREMENT,",
        sql,
        table,
    )


def _without_autoincrement(sql: str, table: str) -> str:
    name = _ID_AUTOINCREMENT.search(sql)
    if name is None:
        raise RuntimeError(f"{table}: id is not AUTOINCREMENT: {sql}")
    sql = _sub_once(_ID_AUTOINCREMENT, "(\n\tid INTEGER NOT NULL,", sql, table)
    end = sql.rstrip().rindex(")")
    return f"{sql[:end].rstrip()}, \n\tCONSTRAINT {name[1]} PRIMARY KEY (id)\n)"


def _rebuild(conn: Connection, table: str, autoincrement: bool) -> None:
    def one(sql: str, *params: str) -> str | None:
        value = conn.exec_driver_sql(sql, params).scalar()
        return None if value is None else str(value)

    sql = one("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", table)
    if sql is None:
        raise RuntimeError(f"no table {table}")
    if ("AUTOINCREMENT" in sql) == autoincrement:
        return  # already so
    rewrite = _with_autoincrement if autoincrement else _without_autoincrement
    new_sql = _sub_once(_HEAD, f'CREATE TABLE "{TEMP}" (', rewrite(sql, table), table)
    # Indexes and triggers go with the dropped table: made again from their own text.
    extras = [
        str(row[0])
        for row in conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type IN ('index', 'trigger') "
            "AND tbl_name = ? AND sql IS NOT NULL ORDER BY type, name",
            (table,),
        )
    ]
    columns = ", ".join(
        f'"{row[1]}"' for row in conn.exec_driver_sql(f'PRAGMA table_info("{table}")')
    )
    rows = one(f'SELECT count(*) FROM "{table}"')
    conn.exec_driver_sql(new_sql)
    conn.exec_driver_sql(f'INSERT INTO "{TEMP}" ({columns}) SELECT {columns} FROM "{table}"')
    if one(f'SELECT count(*) FROM "{TEMP}"') != rows:
        raise RuntimeError(f"{table}: rows were lost in the copy")
    conn.exec_driver_sql(f'DROP TABLE "{table}"')
    conn.exec_driver_sql(f'ALTER TABLE "{TEMP}" RENAME TO "{table}"')
    for extra in extras:
        conn.exec_driver_sql(extra)


def _rebuild_all(autoincrement: bool) -> None:
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return
    if conn.exec_driver_sql("PRAGMA foreign_keys").scalar():
        # Dropping a table would delete the rows of the tables referencing it.
        raise RuntimeError("run this migration with foreign keys off: `habitlink migrate`")
    for table in TABLES:
        _rebuild(conn, table, autoincrement)


def upgrade() -> None:
    _rebuild_all(autoincrement=True)


def downgrade() -> None:
    _rebuild_all(autoincrement=False)
