"""Per-person limits hold under concurrent requests: check and write under a lock on the row.

On PostgreSQL `lock_user` is SELECT ... FOR UPDATE on the person's row, so two requests of the
same person that both count their habits (or groups, or today's learnings) take turns: the second
counts after the first committed. On SQLite it takes the database's one write lock, with a write
that changes nothing: the driver begins the transaction at its first write, so reads before it
are not part of the transaction and would count what another request is about to change (the
API's requests do not take turns per person as the chat's do). After that write the count is
read inside the transaction, and every other writer waits for its commit.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.db.models import User


async def lock_user(session: AsyncSession, user_id: int) -> None:
    """Hold this person's row until the transaction ends (on SQLite: the whole database)."""
    if session.get_bind().dialect.name == "sqlite":
        await session.execute(
            update(User)
            .where(User.id == user_id)
            .values(role=User.role)
            .execution_options(synchronize_session=False)
        )
        return
    await session.execute(select(User.id).where(User.id == user_id).with_for_update())
