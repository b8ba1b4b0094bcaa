"""Accounts: register, sign in, change and reset the password, and the profile's settings."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.accounts.passwords import Passwords, check_password
from core.accounts.tokens import RefreshTokens, digest
from core.clock import Clock
from core.db.models import Identity, ResetCode, User, UserSettings
from core.errors import Code, InvalidField
from core.text import has_control
from core.users.links import ALPHABET, normalise_code

EMAIL_MAX = 320
NAME_MAX = 128
RESET_CODE_LENGTH = 10
RESET_CODE_LIFETIME = timedelta(minutes=15)
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")  # no NUL or control characters either (below)
NO_SYNC = {"synchronize_session": False}
TAKEN = "An account with this email exists already. Sign in."


def normalise_email(text: str) -> str:
    """Compare addresses as people mean them: no surrounding spaces, any case."""
    email = text.strip().lower()
    if len(email) > EMAIL_MAX or not _EMAIL.fullmatch(email) or has_control(email):
        raise InvalidField("email", "That doesn't look like an email address.")
    return email


def clean_display_name(text: str) -> str:
    name = " ".join(text.split())
    if not name:
        raise InvalidField("display_name", "Tell us what to call you.")
    if len(name) > NAME_MAX:
        raise InvalidField("display_name", f"The name can have at most {NAME_MAX} characters.")
    return name


@dataclass(frozen=True)
class IssuedReset:
    code: str
    lifetime: timedelta


class AccountService:
    def __init__(
        self,
        session: AsyncSession,
        clock: Clock,
        passwords: Passwords,
        *,
        default_timezone: str = "UTC",
        refresh_lifetime: timedelta = timedelta(days=30),
    ) -> None:
        self.session = session
        self.clock = clock
        self.passwords = passwords
        self.default_timezone = default_timezone
        self.refresh = RefreshTokens(session, clock, refresh_lifetime)

    async def by_email(self, email: str) -> User | None:
        return await self.session.scalar(select(User).where(User.email == email))

    async def register(self, email: str, password: str, display_name: str) -> User:
        address = normalise_email(email)
        name = clean_display_name(display_name)
        check_password(password, email=address, display_name=name)
        if await self.by_email(address) is not None:
            raise InvalidField("email", TAKEN, code=Code.EMAIL_TAKEN)
        user = User(
            email=address,
            password_hash=await self.passwords.hash(password),
            display_name=name,
            created_at=self.clock.now(),
        )
        user.settings = UserSettings(timezone=self.default_timezone, day_start_hour=0)
        self.session.add(user)
        try:
            await self.session.flush()
        except IntegrityError:  # the same address, registered at the same moment
            raise InvalidField("email", TAKEN, code=Code.EMAIL_TAKEN) from None
        return user

    async def authenticate(self, email: str, password: str) -> User | None:
        """The account when the password matches, else None; the same time either way."""
        try:
            address = normalise_email(email)
        except InvalidField:
            address = ""
        user = await self.by_email(address) if address else None
        if user is None or user.password_hash is None:
            await self.passwords.waste_time(password)
            return None
        valid, upgraded = await self.passwords.verify(password, user.password_hash)
        if not valid:
            return None
        if upgraded is not None:
            user.password_hash = upgraded
        return user

    async def change_password(self, user: User, current: str, new: str) -> None:
        if user.password_hash is None:
            raise InvalidField("current_password", "This account has no password yet.")
        valid, _ = await self.passwords.verify(current, user.password_hash)
        if not valid:
            raise InvalidField("current_password", "That is not your current password.")
        if new == current:  # nothing would change, yet every sign-in would end
            raise InvalidField(
                "new_password", "That is your current password; choose a different one."
            )
        await self.set_password(user, new, field="new_password")
        await self.refresh.revoke_all(user.id)  # every sign-in ends, this one included

    async def set_password(self, user: User, new: str, *, field: str = "password") -> None:
        check_password(new, email=user.email, display_name=user.display_name, field=field)
        user.password_hash = await self.passwords.hash(new)

    async def check_password_of(self, user: User, password: str) -> bool:
        if user.password_hash is None:
            await self.passwords.waste_time(password)
            return False
        valid, _ = await self.passwords.verify(password, user.password_hash)
        return valid

    # --- reset without email: a code from the bot ------------------------------------------
    async def has_chat_identity(self, user: User) -> bool:
        count = await self.session.scalar(
            select(func.count()).select_from(Identity).where(Identity.user_id == user.id)
        )
        return bool(count)

    async def issue_reset_code(self, user: User) -> IssuedReset:
        """A one-time code for POST /api/v1/auth/reset; it replaces any older live code."""
        now = self.clock.now()
        await self.session.execute(
            update(ResetCode)
            .where(ResetCode.user_id == user.id, ResetCode.used_at.is_(None))
            .values(used_at=now)
            .execution_options(**NO_SYNC)
        )
        code = "".join(secrets.choice(ALPHABET) for _ in range(RESET_CODE_LENGTH))
        self.session.add(
            ResetCode(
                user_id=user.id,
                code_hash=digest(code),
                created_at=now,
                expires_at=now + RESET_CODE_LIFETIME,
            )
        )
        await self.session.flush()
        return IssuedReset(code, RESET_CODE_LIFETIME)

    async def reset_password(self, email: str, code: str, new_password: str) -> bool:
        """Set a new password with a code from /resetpassword: False when the email and code
        do not go together (or the code expired or was used). Every sign-in is revoked."""
        try:
            address = normalise_email(email)
        except InvalidField:
            return False
        user = await self.by_email(address)
        if user is None:
            return False
        check_password(
            new_password, email=user.email, display_name=user.display_name, field="new_password"
        )
        now = self.clock.now()
        taken = await self.session.scalar(
            update(ResetCode)
            .where(
                ResetCode.user_id == user.id,
                ResetCode.code_hash == digest(normalise_code(code)),
                ResetCode.used_at.is_(None),
                ResetCode.expires_at > now,
            )
            .values(used_at=now)
            .returning(ResetCode.id)
            .execution_options(**NO_SYNC)
        )
        if taken is None:
            return False
        await self.set_password(user, new_password, field="new_password")
        await self.refresh.revoke_all(user.id)
        return True
