"""Admins for tests: an account made the way `habitlink admin create` makes it, and the ids of
console people, so tests can act as an admin through core.admin and look through the adapters."""

from __future__ import annotations

from pwdlib.hashers.argon2 import Argon2Hasher

from core.accounts.passwords import Passwords
from core.uow import UnitOfWorkFactory

ADMIN_EMAIL = "ops@example.com"
ADMIN_PASSWORD = "a quiet river at dawn"
# Cheap hashing: these tests are about roles, not about the hash's cost.
FAST = Passwords(Argon2Hasher(time_cost=1, memory_cost=8 * 1024, parallelism=1))


async def make_admin(units: UnitOfWorkFactory, email: str = ADMIN_EMAIL) -> int:
    async with units() as uow:
        user = await uow.admin.roles.create_admin(uow.accounts(FAST), email, ADMIN_PASSWORD)
        await uow.commit()
        return user.id


async def console_user_id(units: UnitOfWorkFactory, name: str) -> int:
    """The user behind a console name (`:user Bob` is external id "bob")."""
    async with units() as uow:
        identity = await uow.users.identity("console", name.lower())
        assert identity is not None, f"{name} has not talked to the bot yet"
        return identity.user_id
