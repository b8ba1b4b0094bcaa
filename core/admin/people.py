"""People, seen by an admin: search, one person's identities, groups and activity; bans.

A platform-wide ban (distinct from a group's ban, core.groups): the bot answers the person's
next message with one short notice and then stays silent (bot.dispatcher); their learnings and
proofs leave the feed, the groups' lists, boards, collages and insights; they leave the boards;
the web API refuses their tokens (web_admin.context) and their refresh tokens are revoked here.
Memberships, habits and posts are kept, so unbanning restores everything as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TypeVar

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.accounts.tokens import RefreshTokens
from core.admin.audit import AuditLog
from core.admin.guard import locked_user, require_admin
from core.clock import Clock
from core.db.models import (
    Group,
    GroupMember,
    Habit,
    HabitLog,
    Identity,
    Message,
    MessageKind,
    Proof,
    User,
    UserRole,
)
from core.errors import InvalidInput, NotFound
from core.proofs.service import posts
from core.text import clean_text

SEARCH_LIMIT = 50
T = TypeVar("T")
REASON_MAX = 500
NO_SUCH_PERSON = "There is no such person."


@dataclass(frozen=True)
class PersonRow:
    id: int
    display_name: str
    email: str | None
    role: str
    banned_at: datetime | None
    created_at: datetime


@dataclass(frozen=True)
class IdentityView:
    platform: str
    external_id: str
    username: str | None
    display_name: str
    unreachable_at: datetime | None
    created_at: datetime


@dataclass(frozen=True)
class MembershipView:
    group_id: int
    group_name: str
    is_public: bool
    role: str
    joined_at: datetime


@dataclass(frozen=True)
class Activity:
    habits: int  # active (not archived)
    checkins: int  # all time, done or skipped
    checkins_7d: int  # check-ins on the last 7 dates (UTC)
    last_checkin: date | None
    proofs: int
    learnings: int


@dataclass(frozen=True)
class PersonDetail:
    person: PersonRow
    banned_by: int | None
    ban_reason: str | None
    identities: tuple[IdentityView, ...]
    groups: tuple[MembershipView, ...]
    activity: Activity


def _row(user: User) -> PersonRow:
    return PersonRow(
        user.id, user.display_name, user.email, user.role, user.banned_at, user.created_at
    )


def search_people(stmt: Select[T], text: str) -> Select[T]:
    """`stmt` (a select of users) narrowed to people whose email, name, or a platform username
    or name contains `text` (any case, a leading @ ignored); unchanged when `text` is empty.

    The chat accounts are matched in an EXISTS subquery, never joined: a person with several
    matching accounts is one row, so counts are right. The admin's user list (SQLAdmin's
    search hook) and `People.search` both use it."""
    words = " ".join(text.split()).lower().lstrip("@")
    if not words:
        return stmt
    with_identity = (
        select(Identity.id)
        .where(
            Identity.user_id == User.id,
            or_(
                func.lower(Identity.username).contains(words, autoescape=True),
                func.lower(Identity.display_name).contains(words, autoescape=True),
            ),
        )
        .exists()
    )
    return stmt.where(
        or_(
            func.lower(User.email).contains(words, autoescape=True),
            func.lower(User.display_name).contains(words, autoescape=True),
            with_identity,
        )
    )


class People:
    def __init__(self, session: AsyncSession, clock: Clock, audit: AuditLog) -> None:
        self.session = session
        self.clock = clock
        self.audit = audit

    # --- looking ---------------------------------------------------------------------------
    async def search(
        self, actor_id: int, text: str = "", *, limit: int = SEARCH_LIMIT
    ) -> list[PersonRow]:
        """People whose email, name, or a platform username or name contains `text` (any case),
        newest first; everyone when empty. One query."""
        await require_admin(self.session, actor_id)
        stmt = select(User).order_by(User.id.desc()).limit(min(max(limit, 1), 500))
        stmt = search_people(stmt, text)
        return [_row(u) for u in await self.session.scalars(stmt)]

    async def detail(self, actor_id: int, user_id: int) -> PersonDetail:
        """One person: identities, groups and an activity summary (a fixed number of queries)."""
        await require_admin(self.session, actor_id)
        user = await self.session.get(User, user_id)
        if user is None:
            raise NotFound(NO_SUCH_PERSON)
        identities = await self.session.scalars(
            select(Identity).where(Identity.user_id == user_id).order_by(Identity.id)
        )
        groups = await self.session.execute(
            select(Group.id, Group.name, Group.is_public, GroupMember.role, GroupMember.created_at)
            .join(GroupMember, GroupMember.group_id == Group.id)
            .where(GroupMember.user_id == user_id)
            .order_by(Group.name, Group.id)
        )
        return PersonDetail(
            _row(user),
            user.banned_by,
            user.ban_reason,
            tuple(
                IdentityView(
                    i.platform,
                    i.external_id,
                    i.username,
                    i.display_name,
                    i.unreachable_at,
                    i.created_at,
                )
                for i in identities
            ),
            tuple(MembershipView(*row) for row in groups.all()),
            await self._activity(user_id),
        )

    async def _activity(self, user_id: int) -> Activity:
        week_ago = self.clock.now().date() - timedelta(days=6)
        of_user = Habit.user_id == user_id
        habits = select(func.count()).where(of_user, Habit.archived_at.is_(None))
        checkins = (
            select(
                func.count(HabitLog.id),
                func.count(HabitLog.id).filter(HabitLog.day >= week_ago),
                func.max(HabitLog.day),
            )
            .join(Habit, Habit.id == HabitLog.habit_id)
            .where(of_user)
        )
        proofs = select(posts()).select_from(Proof).where(Proof.user_id == user_id)
        learnings = (
            select(func.count())
            .select_from(Message)
            .where(Message.user_id == user_id, Message.type == MessageKind.LEARNING.value)
        )
        row = (
            await self.session.execute(
                select(
                    habits.scalar_subquery(),
                    proofs.scalar_subquery(),
                    learnings.scalar_subquery(),
                )
            )
        ).one()
        total, recent, last = (await self.session.execute(checkins)).one()
        return Activity(int(row[0]), int(total), int(recent), last, int(row[1]), int(row[2]))

    # --- banning -----------------------------------------------------------------------------
    async def ban(self, actor_id: int, user_id: int, reason: str = "") -> bool:
        """Ban a person platform-wide. False when they were banned already."""
        actor = await require_admin(self.session, actor_id)
        user = await locked_user(self.session, User.id == user_id)
        if user is None:
            raise NotFound(NO_SUCH_PERSON)
        if user.id == actor.id:
            raise InvalidInput("You can't ban yourself.")
        if user.role == UserRole.ADMIN.value:
            raise InvalidInput("That person is an admin; remove their admin role first.")
        if user.banned_at is not None:
            return False
        text = " ".join(clean_text(reason).split())
        if len(text) > REASON_MAX:
            raise InvalidInput(f"Keep the reason under {REASON_MAX} characters.")
        user.banned_at = self.clock.now()
        user.banned_by = actor.id
        user.ban_reason = text or None
        user.ban_notified_at = None
        await RefreshTokens(self.session, self.clock, timedelta(0)).revoke_all(user.id)
        await self.session.flush()
        await self.audit.record(
            actor,
            "user.ban",
            "user",
            user.id,
            before={"banned": False},
            after={"banned": True, "reason": user.ban_reason},
        )
        return True

    async def unban(self, actor_id: int, user_id: int) -> bool:
        """Lift a ban. False when they were not banned."""
        actor = await require_admin(self.session, actor_id)
        user = await locked_user(self.session, User.id == user_id)
        if user is None:
            raise NotFound(NO_SUCH_PERSON)
        if user.banned_at is None:
            return False
        before = {
            "banned": True,
            "banned_at": user.banned_at.isoformat(),
            "banned_by": user.banned_by,
            "reason": user.ban_reason,
        }
        user.banned_at = user.banned_by = user.ban_reason = user.ban_notified_at = None
        await self.session.flush()
        await self.audit.record(
            actor, "user.unban", "user", user.id, before=before, after={"banned": False}
        )
        return True
