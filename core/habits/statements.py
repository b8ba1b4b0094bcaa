"""The hot path's statements, built once per process and reused with new parameter values.

Building an ORM statement and generating its cache key costs more CPU than SQLite takes to run
it (the ON CONFLICT upsert's `excluded` alone builds a column collection per call). A statement
object built once keeps its memoized cache key, so each execution only binds the values; the
SQL sent is the same as before.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Select, and_, bindparam, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.db.dialects import dialect_insert
from core.db.models import Habit, HabitLog

ACTIVE_HABITS: Select[Habit] = (
    select(Habit)
    .where(Habit.user_id == bindparam("user_id"), Habit.archived_at.is_(None))
    .order_by(Habit.position, Habit.id)
)

_LOGS = select(HabitLog.habit_id, HabitLog.day, HabitLog.status)
_WINDOWED = and_(
    HabitLog.habit_id.in_(bindparam("windowed", expanding=True)),
    HabitLog.day >= bindparam("since"),
)
_FULL = HabitLog.habit_id.in_(bindparam("full", expanding=True))
# (any windowed habits, any read in full) -> habit_id, day, status of those logs
RECENT_LOGS: dict[tuple[bool, bool], Select[int, date, str]] = {
    (True, False): _LOGS.where(_WINDOWED),
    (False, True): _LOGS.where(_FULL),
    (True, True): _LOGS.where(or_(_WINDOWED, _FULL)),
}

_upserts: dict[str, Any] = {}


def checkin_upsert(session: AsyncSession) -> Any:
    """Insert a habit's day, or change its status; RETURNING the id only when a row was
    written (none when the day already had that status). Parameters: habit_id, day, status,
    created_at."""
    name = session.get_bind().dialect.name
    upsert = _upserts.get(name)
    if upsert is None:
        stmt = dialect_insert(session)(HabitLog).values(
            habit_id=bindparam("habit_id"),
            day=bindparam("day"),
            status=bindparam("status"),
            created_at=bindparam("created_at"),
        )
        upsert = stmt.on_conflict_do_update(
            index_elements=[HabitLog.habit_id, HabitLog.day],
            set_={"status": stmt.excluded.status},
            where=HabitLog.status != stmt.excluded.status,
        ).returning(HabitLog.id)
        _upserts[name] = upsert
    return upsert
