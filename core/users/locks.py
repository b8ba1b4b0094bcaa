"""Per-person limits hold under concurrent requests: check and write under a lock on the row.

On PostgreSQL `lock_user` is SELECT ... FOR UPDATE on the person's row, so two requests of the
same person that both count their habits (or groups, or today's learnings) take turns: the second
counts after the first committed. SQLite lets one writer at a time commit anyway; a transaction
that read before another's commit cannot write after it (WAL's busy snapshot), so it fails
instead of passing the limit.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.db.models import User


async def lock_user(session: AsyncSession, user_id: int) -> None:
    """Hold this person's row until the transaction ends (PostgreSQL; a no-op on SQLite)."""
    await session.execute(select(User.id).where(User.id == user_id).with_for_update())
