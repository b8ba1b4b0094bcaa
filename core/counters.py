"""Daily allowances per person (AI calls, tools added), taken atomically.

One row per person, kind and local day; `take` adds one only while the count is under the limit,
in a single INSERT ... ON CONFLICT DO UPDATE ... WHERE, so two requests at once cannot both take
the last one (PostgreSQL locks the row for the update; SQLite has one writer at a time).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.db.dialects import dialect_insert
from core.db.models import DailyCounter


async def take(session: AsyncSession, user_id: int, kind: str, day: date, limit: int) -> bool:
    """Count one more `kind` for this person today; False (and nothing counted) at the limit."""
    if limit <= 0:
        return False
    insert = dialect_insert(session)
    stmt = insert(DailyCounter).values(user_id=user_id, kind=kind, day=day, count=1)
    upsert = stmt.on_conflict_do_update(
        index_elements=[DailyCounter.user_id, DailyCounter.kind, DailyCounter.day],
        set_={"count": DailyCounter.count + 1},
        where=DailyCounter.count < limit,
    ).returning(DailyCounter.count)
    taken = (await session.execute(upsert)).scalar_one_or_none()
    return taken is not None


async def used(session: AsyncSession, user_id: int, kind: str, day: date) -> int:
    count = await session.scalar(
        select(DailyCounter.count).where(
            DailyCounter.user_id == user_id, DailyCounter.kind == kind, DailyCounter.day == day
        )
    )
    return count or 0


class DailyCounters:
    """The two functions above on one session (what the unit of work hands out)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def take(self, user_id: int, kind: str, day: date, limit: int) -> bool:
        return await take(self.session, user_id, kind, day, limit)

    async def used(self, user_id: int, kind: str, day: date) -> int:
        return await used(self.session, user_id, kind, day)
