"""Find or create the user behind a chat identity; their settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import and_, bindparam, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from core.clock import Clock, local_date
from core.db.models import FlowRecord, Identity, User, UserSettings
from core.errors import InvalidInput
from core.flows.base import FlowKey, FlowState
from core.flows.durable import FlowRecords, decode, key_params
from core.habits.redate import bring_back_ahead
from core.reminders.service import ReminderService
from core.reminders.timing import next_weekly
from core.timezones import resolve_timezone

LATEST_DAY_START = 6  # the latest hour a day may start (/daystart; users.day_start_hour)

# Built once: the statement keeps its memoized cache key, each call binds only the values.
_IDENTIFY = (
    select(Identity)
    .where(Identity.platform == bindparam("platform"))
    .where(Identity.external_id == bindparam("external_id"))
    .options(joinedload(Identity.user).joinedload(User.settings))
)
# The same, with the person's durable flow place in the chat (core.flows.durable) in the
# same round trip: a LEFT JOIN on flow_states' primary key, NULLs when there is no flow.
_IDENTIFY_WITH_FLOW = (
    select(Identity, FlowRecord.state, FlowRecord.expires_at)
    .outerjoin(
        FlowRecord,
        and_(
            FlowRecord.platform == bindparam("f_platform"),
            FlowRecord.chat_id == bindparam("f_chat_id"),
            FlowRecord.user_id == bindparam("f_user_id"),
        ),
    )
    .where(Identity.platform == bindparam("platform"))
    .where(Identity.external_id == bindparam("external_id"))
    .options(joinedload(Identity.user).joinedload(User.settings))
)


@dataclass(frozen=True)
class Contact:
    """Who is writing, as the chat platform tells it."""

    platform: str
    external_id: str
    display_name: str
    username: str | None = None
    private_chat_id: str | None = None  # set when they write in a private chat


class UserService:
    def __init__(self, session: AsyncSession, clock: Clock, default_timezone: str = "UTC") -> None:
        self.session = session
        self.clock = clock
        self.default_timezone = default_timezone

    async def identify(self, contact: Contact) -> tuple[User, bool]:
        """The user behind this identity, created on first contact. Returns (user, is_new)."""
        params = {"platform": contact.platform, "external_id": contact.external_id}
        identity = (await self.session.execute(_IDENTIFY, params)).scalar_one_or_none()
        return await self._identified(identity, contact)

    async def identify_with_flow(
        self, contact: Contact, key: FlowKey
    ) -> tuple[User, bool, FlowState | None, FlowState | None]:
        """`identify`, and the durable flow state of `key` (FlowRecords.read) read in the same
        statement. Returns (user, is_new, flow, lapsed): `lapsed` is a flow that expired
        unanswered (core.flows.durable.decode)."""
        params = {
            "platform": contact.platform,
            "external_id": contact.external_id,
            **key_params(key),
        }
        row = (await self.session.execute(_IDENTIFY_WITH_FLOW, params)).one_or_none()
        if row is None:  # first contact: no identity row to join the flow's to
            flow, lapsed = await FlowRecords(self.session, self.clock).read(key)
            user, is_new = await self._identified(None, contact)
            return user, is_new, flow, lapsed
        identity, state, expires_at = row
        user, is_new = await self._identified(identity, contact)
        return user, is_new, *decode(state, expires_at, self.clock.now())

    async def _identified(self, identity: Identity | None, contact: Contact) -> tuple[User, bool]:
        now = self.clock.now()
        if identity is None:
            user = User(display_name=contact.display_name[:128] or "friend", created_at=now)
            user.settings = UserSettings(timezone=self.default_timezone, day_start_hour=0)
            identity = Identity(
                user=user,
                platform=contact.platform,
                external_id=contact.external_id,
                username=contact.username,
                display_name=contact.display_name[:128],
                dm_chat_id=contact.private_chat_id,
                created_at=now,
            )
            self.session.add_all([user, identity])
            await self.session.flush()
            await self._claim_username(identity)
            return user, True
        if self._refresh(identity, contact):
            await self._claim_username(identity)
        return identity.user, False

    async def _claim_username(self, identity: Identity) -> None:
        """A username is one account's at a time: whoever was seen with it before (who changed
        theirs since, without writing to us) no longer has it, so @name finds its new owner."""
        if not identity.username:
            return
        await self.session.execute(
            update(Identity)
            .where(
                Identity.platform == identity.platform,
                func.lower(Identity.username) == identity.username.lower(),
                Identity.id != identity.id,
            )
            .values(username=None)
        )

    async def find(
        self, platform: str, *, external_id: str | None = None, username: str | None = None
    ) -> User | None:
        """A known user by their platform id or @username (None when we never met them)."""
        stmt = (
            select(User)
            .join(Identity, Identity.user_id == User.id)
            .where(Identity.platform == platform)
        )
        if external_id is not None:
            stmt = stmt.where(Identity.external_id == external_id)
        elif username is not None:
            # The newest first: a username seen on two accounts (one kept it on record after
            # changing it, before _claim_username) is likelier the newer one's.
            stmt = stmt.where(
                func.lower(Identity.username) == username.lstrip("@").lower()
            ).order_by(Identity.id.desc())
        else:
            return None
        return (await self.session.scalars(stmt)).first()

    async def get(self, user_id: int) -> User | None:
        return await self.session.get(User, user_id)

    async def identity(self, platform: str, external_id: str) -> Identity | None:
        """The identity a platform account maps to (None when we never met it)."""
        stmt = select(Identity).where(
            Identity.platform == platform, Identity.external_id == external_id
        )
        return (await self.session.scalars(stmt)).one_or_none()

    async def identities_of(self, user_id: int) -> list[Identity]:
        stmt = select(Identity).where(Identity.user_id == user_id).order_by(Identity.id)
        return list((await self.session.scalars(stmt)).all())

    async def in_private_chat(self, user_id: int, platform: str, chat_id: str) -> str | None:
        """The platform's id of the person whose private chat with the bot this is, or None."""
        found: str | None = await self.session.scalar(
            select(Identity.external_id).where(
                Identity.user_id == user_id,
                Identity.platform == platform,
                Identity.dm_chat_id == chat_id,
            )
        )
        return found

    async def mark_unreachable(self, user_id: int, platform: str, chat_id: str) -> None:
        """They blocked the bot (or the chat is gone): write there no more until they write."""
        await self.session.execute(
            update(Identity)
            .where(
                Identity.user_id == user_id,
                Identity.platform == platform,
                Identity.dm_chat_id == chat_id,
            )
            .values(unreachable_at=self.clock.now())
        )

    async def mark_blocked(self, platform: str, person_id: str, *, blocked: bool) -> bool:
        """The person blocked the bot in their private chat (`blocked`): write there no more,
        as after a 403, until they unblock it (not `blocked`) or write. True when it changed."""
        stmt = update(Identity).where(
            Identity.platform == platform, Identity.external_id == person_id
        )
        if blocked:  # the first time stays, as a 403's
            stmt = stmt.where(Identity.unreachable_at.is_(None)).values(
                unreachable_at=self.clock.now()
            )
        else:
            stmt = stmt.where(Identity.unreachable_at.is_not(None)).values(unreachable_at=None)
        result = await self.session.execute(stmt)
        return bool(getattr(result, "rowcount", 0))

    def _refresh(self, identity: Identity, contact: Contact) -> bool:
        """Bring the identity up to date; True when its username changed to another."""
        renamed = identity.username != contact.username
        if renamed:
            identity.username = contact.username
        if contact.display_name and identity.display_name != contact.display_name[:128]:
            identity.display_name = contact.display_name[:128]
        if contact.private_chat_id and identity.dm_chat_id != contact.private_chat_id:
            identity.dm_chat_id = contact.private_chat_id
        if contact.private_chat_id and identity.unreachable_at is not None:
            identity.unreachable_at = None  # they wrote to us again
        return renamed

    async def set_timezone(self, user: User, name: str) -> tuple[str, int]:
        """Resolve what they typed (NotFound with suggestions), then move to that zone: their
        reminders and weekly summary follow it, and what lay after their new today is today's
        (core/habits/redate.py). Returns the canonical name and how many check-ins moved."""
        canonical = resolve_timezone(name)
        user.settings.timezone = canonical
        moved = await bring_back_ahead(self.session, user.id, user_today(user, self.clock.now()))
        await ReminderService(self.session, self.clock).reschedule_all(user)
        plan_weekly_summary(user.settings, self.clock.now())
        return canonical, moved

    async def set_day_start(self, user: User, hour: int) -> int:
        """The hour their day starts; returns how many check-ins after their new today moved
        to it (core/habits/redate.py)."""
        if not 0 <= hour <= LATEST_DAY_START:
            raise InvalidInput(f"The day can start between 00:00 and {LATEST_DAY_START:02d}:00.")
        user.settings.day_start_hour = hour
        moved = await bring_back_ahead(self.session, user.id, user_today(user, self.clock.now()))
        # A reminder's weekdays are the person's days, which this moves (core/reminders/timing).
        await ReminderService(self.session, self.clock).reschedule_all(user)
        return moved


def plan_weekly_summary(settings: UserSettings, now: datetime) -> None:
    """The next weekly summary at the person's day and hour, in their zone (None when off)."""
    settings.next_summary_at = (
        next_weekly(
            settings.summary_weekday, settings.summary_hour, ZoneInfo(settings.timezone), now
        )
        if settings.summary_enabled
        else None
    )


def user_zone(user: User) -> ZoneInfo:
    return ZoneInfo(user.settings.timezone)


def user_today(user: User, now: datetime) -> date:
    return local_date(now, user_zone(user), user.settings.day_start_hour)
