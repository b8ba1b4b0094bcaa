"""Link codes: /link gives a one-time code; `/link CODE` from another account joins the two.

The code's owner gives up its identity: it is merged into the account that types the code
(core.users.merge), which keeps its profile. Both accounts prove they read their own private
chat: the code is shown only in the owner's, and typing it (`claim`) only asks; the typer joins
with a button carrying a one-time token shown only in the typer's chat (`confirm`). So neither
an overheard code nor a forged `/link CODE` "from" someone joins anything. The account merged
away is told so in its own private chats (a "linked" notification). A web account has no chat:
it makes codes and types them through the API, where the signed-in request is the confirmation
(`redeem`); its identity is None.

Codes are 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L), work once and for
15 minutes; a newer code replaces older ones. Guessing is slowed down: after 5 wrong codes
within 10 minutes a user's tries are refused until the oldest of those five is 10 minutes old.
Text that cannot be a code at all (another length, a letter codes never have) is refused as
MALFORMED without counting as a wrong code: it is a typo, not a guess, and no code could match.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.clock import Clock
from core.db.models import Identity, LinkAttempt, LinkCode, User
from core.notify.outbox import NewNotification, Outbox
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


def well_formed(code: str) -> bool:
    """Could this normalised text be a code: its length, only the alphabet's characters?"""
    return len(code) == CODE_LENGTH and all(c in ALPHABET for c in code)


class Refusal(StrEnum):
    PAUSED = "paused"  # too many wrong codes lately
    UNKNOWN = "unknown"  # no such code
    MALFORMED = "malformed"  # not the shape of a code (a typo): not counted as a wrong code
    EXPIRED = "expired"  # too old, or replaced by a newer one
    USED = "used"
    OWN_CODE = "own_code"  # made by the very identity that typed it
    # Made by another web account, typed in a web account: their merge would leave one email
    # that signs in, the code owner's gone (core.users.merge), so two web accounts never join.
    WEB_ACCOUNTS = "web_accounts"
    ALREADY_LINKED = "already_linked"  # this identity is part of the code owner's profile
    NOT_CLAIMED = "not_claimed"  # a confirmation that this identity was never given


@dataclass(frozen=True)
class Refused:
    reason: Refusal
    tries_left: int = MAX_WRONG  # wrong codes left before a pause
    wait: timedelta = timedelta(0)  # how long the pause lasts (PAUSED, or UNKNOWN at 0 left)
    # ALREADY_LINKED: the code was used, and that use brought its account into this profile
    used: bool = False


@dataclass(frozen=True)
class Linked:
    report: MergeReport
    owner_platform: str  # where the code was made ("web": by a web account); it joined this profile


@dataclass(frozen=True)
class Claimed:
    """A typed code waiting for the typer's confirmation."""

    code_id: int
    token: str  # goes into the confirmation button, shown in the typer's chat only
    owner_name: str  # whose account would join
    owner_platform: str


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

    async def claim(self, user_id: int, identity_id: int | None, text: str) -> Claimed | Refused:
        """`identity_id` (of user `user_id`) typed a code: nothing is joined yet. The typer
        gets a one-time confirmation token, shown only in its own chat (see `confirm`).

        A wrong code is written down, so the caller must commit a Refused result too."""
        now = self.clock.now()
        wait = await self.pause(user_id)
        if wait:
            return Refused(Refusal.PAUSED, tries_left=0, wait=wait)
        typed = normalise_code(text)
        if not well_formed(typed):
            return Refused(Refusal.MALFORMED)
        found = await self.session.scalar(select(LinkCode).where(LinkCode.code == typed))
        if found is None:
            return await self._wrong(user_id)
        refused = self._refusal(found, user_id, identity_id, now)
        if refused is not None:
            return refused
        found.claimed_by = identity_id
        found.confirm_token = secrets.token_urlsafe(16)
        owner_name = await self.session.scalar(
            select(User.display_name).where(User.id == found.user_id)
        )
        owner_platform = await self._platform(found.identity_id)
        await self.session.flush()
        return Claimed(found.id, found.confirm_token, owner_name or "", owner_platform)

    async def redeem(self, user_id: int, identity_id: int | None, text: str) -> Linked | Refused:
        """Claim and confirm at once, for a typer whose request is itself the confirmation (a
        signed-in web account): the code's owner joins this user."""
        claimed = await self.claim(user_id, identity_id, text)
        if isinstance(claimed, Refused):
            return claimed
        return await self.confirm(user_id, identity_id, claimed.code_id, claimed.token)

    async def _platform(self, identity_id: int | None) -> str:
        if identity_id is None:
            return "web"
        platform = await self.session.scalar(
            select(Identity.platform).where(Identity.id == identity_id)
        )
        return platform or ""

    async def confirm(
        self, user_id: int, identity_id: int | None, code_id: int, token: str
    ) -> Linked | Refused:
        """The typer pressed the confirmation button: the code's owner joins this user."""
        now = self.clock.now()
        found = await self.session.get(LinkCode, code_id)
        if (
            found is None
            or found.claimed_by != identity_id
            or found.confirm_token is None
            or not hmac.compare_digest(found.confirm_token, token)
        ):
            return Refused(Refusal.NOT_CLAIMED)
        refused = self._refusal(found, user_id, identity_id, now)
        if refused is not None:
            return refused
        taken = await self.session.scalar(  # at most one of two racing requests gets it
            update(LinkCode)
            .where(LinkCode.id == found.id, LinkCode.used_at.is_(None))
            .values(used_at=now)
            .returning(LinkCode.id)
            .execution_options(**NO_SYNC)
        )
        if taken is None:
            return Refused(Refusal.USED)
        owner_platform = await self._platform(found.identity_id)
        typed_on = await self._platform(identity_id)
        chats = (
            await self.session.execute(
                select(Identity.platform, Identity.dm_chat_id).where(
                    Identity.user_id == found.user_id, Identity.dm_chat_id.is_not(None)
                )
            )
        ).all()
        code_id, made_at = found.id, found.created_at  # the merge expires loaded objects
        merger = MergeService(self.session, self.clock, self.default_timezone)
        report = await merger.merge(survivor_id=user_id, absorbed_id=found.user_id)
        await Outbox(self.session, self.clock).enqueue(
            [
                NewNotification(
                    dedupe_key=f"linked:{code_id}:{platform}:{chat_id}",
                    kind="linked",
                    platform=platform,
                    chat_id=chat_id,
                    due_at=now,
                    user_id=user_id,
                    payload={"platform": typed_on, "code_made_at": made_at.isoformat()},
                )
                for platform, chat_id in chats
                if chat_id is not None
            ]
        )
        return Linked(report, owner_platform)

    async def cancel(self, identity_id: int, code_id: int, token: str) -> bool:
        """The typer said no: the code stops working. False when the token is not theirs."""
        found = await self.session.get(LinkCode, code_id)
        if (
            found is None
            or found.claimed_by != identity_id
            or found.confirm_token is None
            or not hmac.compare_digest(found.confirm_token, token)
        ):
            return False
        found.confirm_token = None
        if found.used_at is None:
            found.expires_at = min(found.expires_at, self.clock.now())
        await self.session.flush()
        return True

    @staticmethod
    def _refusal(
        found: LinkCode, user_id: int, identity_id: int | None, now: datetime
    ) -> Refused | None:
        if found.identity_id == identity_id:  # both None: two web accounts, or the same one
            mine = identity_id is not None or found.user_id == user_id
            return Refused(Refusal.OWN_CODE if mine else Refusal.WEB_ACCOUNTS)
        if found.user_id == user_id:
            return Refused(Refusal.ALREADY_LINKED, used=found.used_at is not None)
        if found.used_at is not None:
            return Refused(Refusal.USED)
        if now >= found.expires_at:
            return Refused(Refusal.EXPIRED)
        return None

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
