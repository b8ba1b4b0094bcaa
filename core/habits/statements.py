"""The hot path's statements, built once per process and reused with new parameter values.

Building an ORM statement and generating its cache key costs more CPU than SQLite takes to run
it (the ON CONFLICT upsert's `excluded` alone builds a column collection per call). A statement
object built once keeps its memoized cache key, so each execution only binds the values; the
SQL sent is the same as before.

The statements that only read or write columns (the window of logs, the check-in upsert) are
Core statements on the `habit_logs` table, not on the mapped class: SQLAlchemy then runs them
as plain SQL with plain rows back, without the ORM's per-execution setup (for the upsert, its
bulk-insert path). Habits stay ORM objects: the handlers change them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Select, Table, and_, bindparam, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.db.dialects import dialect_insert
from core.db.models import Habit, HabitLog
from core.habits.history import CheckinStatus

ACTIVE_HABITS: Select[Habit] = (
    select(Habit)
    .where(Habit.user_id == bindparam("user_id"), Habit.archived_at.is_(None))
    .order_by(Habit.position, Habit.id)
)

LOGS: Table = HabitLog.__table__  # type: ignore[assignment]

_LOGS = select(LOGS.c.habit_id, LOGS.c.date, LOGS.c.status)  # HabitLog.day is column "date"
_WINDOWED = and_(
    LOGS.c.habit_id.in_(bindparam("windowed", expanding=True)),
    LOGS.c.date >= bindparam("since"),
)
_FULL = LOGS.c.habit_id.in_(bindparam("full", expanding=True))
# (any windowed habits, any read in full) -> habit_id, day, status of those logs
RECENT_LOGS: dict[tuple[bool, bool], Select[int, date, str]] = {
    (True, False): _LOGS.where(_WINDOWED),
    (False, True): _LOGS.where(_FULL),
    (True, True): _LOGS.where(or_(_WINDOWED, _FULL)),
}

_DONE, _SKIPPED = CheckinStatus.DONE.value, CheckinStatus.SKIPPED.value
_upserts: dict[str, Any] = {}


def checkin_upsert(session: AsyncSession) -> Any:
    """Insert a habit's day, or change its status; RETURNING the id only when a row was
    written (none when the day already had that status, or was done and this is a skip).
    Parameters: habit_id, day, status, created_at."""
    name = session.get_bind().dialect.name
    upsert = _upserts.get(name)
    if upsert is None:
        stmt = dialect_insert(session)(LOGS).values(
            habit_id=bindparam("habit_id"),
            date=bindparam("day"),
            status=bindparam("status"),
            created_at=bindparam("created_at"),
        )
        upsert = stmt.on_conflict_do_update(
            index_elements=[LOGS.c.habit_id, LOGS.c.date],
            # a done over a skip remembers it, for its undo to bring the skip back
            set_={"status": stmt.excluded.status, "was_skipped": LOGS.c.status == _SKIPPED},
            where=and_(
                LOGS.c.status != stmt.excluded.status,
                # a skip never replaces a done (undo it first); a done replaces a skip
                or_(LOGS.c.status != _DONE, stmt.excluded.status != _SKIPPED),
            ),
        ).returning(LOGS.c.id)
        _upserts[name] = upsert
    return upsert
