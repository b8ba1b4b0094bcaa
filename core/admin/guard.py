"""Who may act as an admin: checked on every call, from the database (never from a cache)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.db.models import User, UserRole
from core.errors import Forbidden

NOT_ADMIN = "Only an admin of this HabitLink can do that."


class NotAdmin(Forbidden):
    """The acting account does not exist, is not an admin, or is banned."""

    def __init__(self) -> None:
        super().__init__(NOT_ADMIN)


async def require_admin(session: AsyncSession, actor_id: int) -> User:
    """The acting admin, or NotAdmin. A banned admin is no admin."""
    actor = await session.scalar(
        select(User).where(
            User.id == actor_id,
            User.role == UserRole.ADMIN.value,
            User.banned_at.is_(None),
        )
    )
    if actor is None:
        raise NotAdmin
    return actor


async def locked_user(session: AsyncSession, where: ColumnElement[bool]) -> User | None:
    """The user row, locked for this transaction (not their joined settings row)."""
    return await session.scalar(select(User).where(where).with_for_update(of=User))
