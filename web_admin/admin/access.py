"""Who may use /admin: asked of core on every request (never cached in the session)."""

from __future__ import annotations

from core.errors import Forbidden
from core.uow import UnitOfWork


async def is_admin(uow: UnitOfWork, user_id: int) -> bool:
    """An admin who is not banned (core.admin.guard decides)."""
    try:
        await uow.admin.require(user_id)
    except Forbidden:
        return False
    return True
