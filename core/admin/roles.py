"""Roles: make the first admin from the command line, promote and demote.

The command line (`habitlink admin create|promote|demote`) acts as the operator of the instance:
whoever can run it can reach the database anyway, so it needs no admin account (its audit entries
say "command line"). The web admin calls `set_role` with the acting admin's id, checked each time.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.accounts.service import AccountService, normalise_email
from core.admin.audit import AuditLog
from core.admin.guard import locked_user, require_admin
from core.db.models import User, UserRole
from core.errors import InvalidField, InvalidInput, NotFound

EXISTS = (
    "There is already an account with the email {email}. "
    "Make it an admin with: habitlink admin promote --email {email}"
)
NO_ACCOUNT = "There is no account with the email {email}."
# A banned admin can't use /admin, so they don't count (core.accounts.erase says the same).
LAST_ADMIN = "{who} is the only admin able to use /admin; make someone else an admin first."


class Roles:
    def __init__(self, session: AsyncSession, audit: AuditLog) -> None:
        self.session = session
        self.audit = audit

    async def create_admin(self, accounts: AccountService, email: str, password: str) -> User:
        """A new account with the admin role (the password rules of core.accounts apply)."""
        address = normalise_email(email)
        if await accounts.by_email(address) is not None:
            raise InvalidField("email", EXISTS.format(email=address))
        user = await accounts.register(address, password, address.split("@")[0])
        user.role = UserRole.ADMIN.value
        await self.session.flush()
        await self.audit.record(
            None, "admin.create", "user", user.id, after={"email": address, "role": user.role}
        )
        return user

    async def promote_by_email(self, email: str) -> bool:
        """From the command line. False when they were an admin already."""
        return await self._set(None, await self._by_email(email), UserRole.ADMIN)

    async def demote_by_email(self, email: str) -> bool:
        """From the command line. False when they were not an admin."""
        return await self._set(None, await self._by_email(email), UserRole.MEMBER)

    async def set_role(self, actor_id: int, user_id: int, role: UserRole | str) -> bool:
        """An admin changes someone's role (their own too, unless they are the last admin)."""
        actor = await require_admin(self.session, actor_id)
        try:
            wanted = UserRole(role)
        except ValueError:
            raise InvalidInput(f"There is no role {role!r}.") from None
        user = await locked_user(self.session, User.id == user_id)
        if user is None:
            raise NotFound("There is no such person.")
        return await self._set(actor, user, wanted)

    async def admins(self) -> int:
        return int(
            await self.session.scalar(
                select(func.count()).select_from(User).where(User.role == UserRole.ADMIN.value)
            )
            or 0
        )

    async def others_can_act(self, user_id: int) -> bool:
        """Whether an admin other than `user_id` can use /admin (a banned one can't). The
        admins' rows are locked, so two admins stepping down at once cannot both go."""
        rows = (
            await self.session.execute(
                select(User.id, User.banned_at)
                .where(User.role == UserRole.ADMIN.value)
                .with_for_update(of=User)
            )
        ).all()
        return any(row.id != user_id and row.banned_at is None for row in rows)

    async def _by_email(self, email: str) -> User:
        address = normalise_email(email)
        user = await locked_user(self.session, User.email == address)
        if user is None:
            raise NotFound(NO_ACCOUNT.format(email=address))
        return user

    async def _set(self, actor: User | None, user: User, role: UserRole) -> bool:
        if user.role == role.value:
            return False
        if role is UserRole.MEMBER and not await self.others_can_act(user.id):
            raise InvalidInput(LAST_ADMIN.format(who=user.email or user.display_name))
        before = user.role
        user.role = role.value
        await self.session.flush()
        action = "user.promote" if role is UserRole.ADMIN else "user.demote"
        await self.audit.record(
            actor, action, "user", user.id, before={"role": before}, after={"role": role.value}
        )
        return True
