"""Link codes: /link gives a one-time code; `/link CODE` from another account joins the two.

The person who types the code is merged into the code's owner (core.users.merge): the account
that asked for the code keeps its profile. Codes are 8 characters from an alphabet without
look-alikes (no 0/O, 1/I/L), work once and for 15 minutes; a newer code replaces older ones.
Guessing is slowed down: after 5 wrong codes within 10 minutes a user's tries are refused until
the oldest of those five is 10 minutes old.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.clock import Clock
from core.db.models import Identity, LinkAttempt, LinkCode
from core.users.merge import MergeService
from core.users.merge_report import MergeReport

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
CODE_LIFETIME = timedelta(minutes=15)
MAX_WRONG = 5
WRONG_WINDOW = timedelta(minutes=10)
KEEP_OLD_CODES = timedelta(days=1)  # used and expired codes are tidied away after this
NO_SYNC = {"synchronize_session": False}


def random_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    """What people type back: any case, with spaces or dashes."""
    return "".join(text.split()).replace("-", "").upper()


class Refusal(StrEnum):
    PAUSED = "paused"  # too many wrong codes lately
    UNKNOWN = "unknown"  # no such code
    EXPIRED = "expired"  # too old, or replaced by a newer one
    USED = "used"
    OWN_CODE = "own_code"  # made by the very identity that typed it
    ALREADY_LINKED = "already_linked"  # this identity is part of the code owner's profile


@dataclass(frozen=True)
class Refused:
    reason: Refusal
    tries_left: int = MAX_WRONG  # wrong codes left before a pause
    wait: timedelta = timedelta(0)  # how long the pause lasts (PAUSED, or UNKNOWN at 0 left)


@dataclass(frozen=True)
class Linked:
    report: MergeReport
    owner_platform: str  # where the code was made ("web" for a code made by a web account)


@dataclass(frozen=True)
class IssuedCode:
    code: str
    expires_at: datetime


class LinkService:
    def __init__(
        self,
        session: AsyncSession,
        clock: Clock,
        default_timezone: str = "UTC",
        *,
        make_code: Callable[[], str] = random_code,
    ) -> None:
        self.session = session
        self.clock = clock
        self.default_timezone = default_timezone
        self.make_code = make_code

    async def issue(self, user_id: int, identity_id: int | None) -> IssuedCode:
        """A new code for this user, made by this identity (None: by their web account); it
        replaces any older live code."""
        now = self.clock.now()
        await self.session.execute(
            update(LinkCode)
            .where(
                LinkCode.user_id == user_id,
                LinkCode.used_at.is_(None),
                LinkCode.expires_at > now,
            )
            .values(expires_at=now)
            .execution_options(**NO_SYNC)
        )
        await self.session.execute(
            delete(LinkCode)
            .where(LinkCode.user_id == user_id, LinkCode.expires_at < now - KEEP_OLD_CODES)
            .execution_options(**NO_SYNC)
        )
        code = await self._unused_code()
        row = LinkCode(
            code=code,
            user_id=user_id,
            identity_id=identity_id,
            created_at=now,
            expires_at=now + CODE_LIFETIME,
        )
        self.session.add(row)
        await self.session.flush()
        return IssuedCode(code, row.expires_at)

    async def redeem(self, user_id: int, identity_id: int | None, text: str) -> Linked | Refused:
        """`identity_id` (of user `user_id`; None: their web account) typed a code: join them
        to the code's owner.

        A wrong code is written down, so the caller must commit a Refused result too."""
        now = self.clock.now()
        wait = await self.pause(user_id)
        if wait:
            return Refused(Refusal.PAUSED, tries_left=0, wait=wait)
        found = await self.session.scalar(
            select(LinkCode).where(LinkCode.code == normalise_code(text))
        )
        if found is None:
            return await self._wrong(user_id)
        if found.user_id == user_id:
            own = found.identity_id == identity_id
            return Refused(Refusal.OWN_CODE if own else Refusal.ALREADY_LINKED)
        if found.used_at is not None:
            return Refused(Refusal.USED)
        if now >= found.expires_at:
            return Refused(Refusal.EXPIRED)
        taken = await self.session.scalar(  # at most one of two racing requests gets it
            update(LinkCode)
            .where(LinkCode.id == found.id, LinkCode.used_at.is_(None))
            .values(used_at=now)
            .returning(LinkCode.id)
            .execution_options(**NO_SYNC)
        )
        if taken is None:
            return Refused(Refusal.USED)
        owner_platform = "web"
        if found.identity_id is not None:
            owner_platform = (
                await self.session.scalar(
                    select(Identity.platform).where(Identity.id == found.identity_id)
                )
                or ""
            )
        merger = MergeService(self.session, self.clock, self.default_timezone)
        report = await merger.merge(survivor_id=found.user_id, absorbed_id=user_id)
        return Linked(report, owner_platform)

    async def void(self, text: str) -> None:
        """Cancel a code that was shown where others could read it (a group chat)."""
        now = self.clock.now()
        await self.session.execute(
            update(LinkCode)
            .where(
                LinkCode.code == normalise_code(text),
                LinkCode.used_at.is_(None),
                LinkCode.expires_at > now,
            )
            .values(expires_at=now)
            .execution_options(**NO_SYNC)
        )

    async def pause(self, user_id: int) -> timedelta:
        """How long this user must wait before trying a code again (zero: not paused)."""
        now = self.clock.now()
        recent = list(
            await self.session.scalars(
                select(LinkAttempt.created_at)
                .where(LinkAttempt.user_id == user_id, LinkAttempt.created_at > now - WRONG_WINDOW)
                .order_by(LinkAttempt.created_at.desc(), LinkAttempt.id.desc())
                .limit(MAX_WRONG)
            )
        )
        if len(recent) < MAX_WRONG:
            return timedelta(0)
        return recent[-1] + WRONG_WINDOW - now

    async def _wrong(self, user_id: int) -> Refused:
        now = self.clock.now()
        await self.session.execute(
            delete(LinkAttempt)
            .where(LinkAttempt.user_id == user_id, LinkAttempt.created_at <= now - WRONG_WINDOW)
            .execution_options(**NO_SYNC)
        )
        self.session.add(LinkAttempt(user_id=user_id, created_at=now))
        await self.session.flush()
        recent = await self.session.scalar(
            select(func.count())
            .select_from(LinkAttempt)
            .where(LinkAttempt.user_id == user_id, LinkAttempt.created_at > now - WRONG_WINDOW)
        )
        left = max(MAX_WRONG - int(recent or 0), 0)
        return Refused(Refusal.UNKNOWN, tries_left=left, wait=await self.pause(user_id))

    async def _unused_code(self) -> str:
        for _ in range(10):
            code = self.make_code()
            exists = await self.session.scalar(select(LinkCode.id).where(LinkCode.code == code))
            if exists is None:
                return code
        raise RuntimeError("could not find an unused link code")
