"""Set-based writes for the producer: one statement per batch, whatever the batch holds.

On PostgreSQL the rows travel as arrays and `unnest` turns them back into a table, so a batch
of 1,000 is one statement with a handful of parameters (no per-row bind processing, no 12,000
placeholders). On SQLite, where the whole database is local and one process writes, it is an
`executemany` (one statement through the driver).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ARRAY, ColumnElement, Date, Integer, Table, any_, bindparam, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.db.models import Group, Reminder, UserSettings


def is_postgres(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def among(
    session: AsyncSession, column: Any, values: Collection[Any], *, dates: bool = False
) -> ColumnElement[bool]:
    """`column IN values` for a batch: on PostgreSQL `= ANY(array)`, one parameter however many
    values (an IN list renders, binds and plans one placeholder per value, every batch)."""
    if is_postgres(session):
        array = ARRAY(Date if dates else Integer)
        return column == any_(bindparam(None, list(values), type_=array))  # type: ignore[no-any-return]
    return column.in_(values)  # type: ignore[no-any-return]


_TIMES_SQL = {
    "reminders": (
        "UPDATE reminders AS t SET next_due_at = v.next_due_at, snoozed_until = v.snoozed_until "
        "FROM unnest(CAST(:ids AS INTEGER[]), CAST(:a AS TIMESTAMPTZ[]), "
        "CAST(:b AS TIMESTAMPTZ[])) AS v(id, next_due_at, snoozed_until) WHERE t.id = v.id"
    ),
    "user_settings": (
        "UPDATE user_settings AS t SET next_summary_at = v.at "
        "FROM unnest(CAST(:ids AS INTEGER[]), CAST(:a AS TIMESTAMPTZ[])) AS v(id, at) "
        "WHERE t.user_id = v.id"
    ),
    "groups": (
        "UPDATE groups AS t SET next_summary_at = v.at "
        "FROM unnest(CAST(:ids AS INTEGER[]), CAST(:a AS TIMESTAMPTZ[])) AS v(id, at) "
        "WHERE t.id = v.id"
    ),
}


async def set_reminder_times(
    session: AsyncSession, rows: Sequence[tuple[int, datetime | None, datetime | None]]
) -> None:
    """(reminder id, next_due_at, snoozed_until) for each row, in one statement."""
    if not rows:
        return
    if is_postgres(session):
        ids, due, snoozed = zip(*rows, strict=True)
        params = {"ids": list(ids), "a": list(due), "b": list(snoozed)}
        await session.execute(text(_TIMES_SQL["reminders"]), params)
        return
    table: Table = Reminder.__table__  # type: ignore[assignment]
    stmt = (
        update(table)
        .where(table.c.id == bindparam("row_id"))
        .values(next_due_at=bindparam("row_a"), snoozed_until=bindparam("row_b"))
    )
    await session.execute(stmt, [{"row_id": i, "row_a": a, "row_b": b} for i, a, b in rows])


async def set_summary_times(
    session: AsyncSession, kind: str, rows: Sequence[tuple[int, datetime]]
) -> None:
    """Next summary time by user (kind "user_settings") or group ("groups"), one statement."""
    if not rows:
        return
    if is_postgres(session):
        ids, times = zip(*rows, strict=True)
        await session.execute(text(_TIMES_SQL[kind]), {"ids": list(ids), "a": list(times)})
        return
    model: Any = UserSettings if kind == "user_settings" else Group
    table: Table = model.__table__
    key = table.c.user_id if kind == "user_settings" else table.c.id
    stmt = (
        update(table).where(key == bindparam("row_id")).values(next_summary_at=bindparam("row_a"))
    )
    await session.execute(stmt, [{"row_id": i, "row_a": a} for i, a in rows])


# The count comes back as one row (a CTE over RETURNING), not one row per queued id.
ENQUEUE_SQL = text(
    "WITH queued AS (INSERT INTO notifications (dedupe_key, kind, platform, chat_id, due_at, "
    "user_id, group_id, payload, status, attempts, next_attempt_at, created_at) "
    "SELECT v.dedupe_key, v.kind, v.platform, v.chat_id, v.due_at, v.user_id, v.group_id, "
    "CAST(v.payload AS JSON), :status, 0, :now, :now "
    "FROM unnest(CAST(:keys AS VARCHAR[]), CAST(:kinds AS VARCHAR[]), "
    "CAST(:platforms AS VARCHAR[]), CAST(:chats AS VARCHAR[]), CAST(:due AS TIMESTAMPTZ[]), "
    "CAST(:users AS INTEGER[]), CAST(:groups AS INTEGER[]), CAST(:payloads AS TEXT[])) "
    "WITH ORDINALITY AS v(dedupe_key, kind, platform, chat_id, due_at, user_id, group_id, "
    "payload, n) ORDER BY v.n "
    "ON CONFLICT (dedupe_key) DO NOTHING RETURNING 1) SELECT count(*) FROM queued"
)


def dumps(payload: dict[str, Any]) -> str:
    """A payload as the JSON column stores it (SQLAlchemy's default serializer is json.dumps)."""
    return json.dumps(payload)
