"""Whom people trust: a truster reads their trustees' learnings as insights in the weekly summary.

Insights respect the privacy rule of learnings: only public groups and groups the reader is in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, exists, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from core.clock import Clock
from core.db.models import Group, GroupMember, Message, MessageKind, Trust, User
from core.errors import InvalidInput
from core.groups.places import NOWHERE, Place, place_columns
from core.social.learnings import insert_or_ignore, visible_to
from core.visibility import learning_shown


@dataclass(frozen=True)
class PersonRef:
    user_id: int
    name: str


@dataclass(frozen=True)
class TrustOverview:
    trusted: tuple[PersonRef, ...]  # whom the user trusts
    trusted_by: tuple[PersonRef, ...]  # who trusts the user


@dataclass(frozen=True)
class Insight:
    message_id: int
    author_name: str
    group_name: str
    content: str
    likes: int
    created_at: datetime
    place: Place = NOWHERE  # where the group's chat is (two groups may share a name)


class TrustService:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self.session = session
        self.clock = clock

    async def trust(self, truster_id: int, trustee_id: int) -> bool:
        """True when this is new; False when the truster already trusted them."""
        if truster_id == trustee_id:
            raise InvalidInput(
                "You can't trust yourself here: your own learnings are yours already. "
                "Trust someone whose learnings you'd like in your weekly summary."
            )
        added = await self.session.scalar(
            insert_or_ignore(
                self.session,
                Trust,
                truster_id=truster_id,
                trustee_id=trustee_id,
                created_at=self.clock.now(),
            ).returning(Trust.trustee_id)
        )
        return added is not None

    async def untrust(self, truster_id: int, trustee_id: int) -> bool:
        """True when a trust was taken back; False when there was none."""
        if truster_id == trustee_id:
            raise InvalidInput("That's you: there is no trust in yourself to take back.")
        gone = await self.session.scalar(
            delete(Trust)
            .where(Trust.truster_id == truster_id, Trust.trustee_id == trustee_id)
            .returning(Trust.trustee_id)
            .execution_options(synchronize_session=False)
        )
        return gone is not None

    async def knowable(self, viewer_id: int, other_id: int) -> PersonRef | None:
        """Someone the viewer can know of: in one of the viewer's groups, or in a public group
        (None otherwise, so user ids reveal nobody else)."""
        mine = aliased(GroupMember)
        theirs = aliased(GroupMember)
        shared = exists().where(
            theirs.user_id == other_id,
            theirs.group_id == Group.id,
            Group.is_public.is_(True)
            | exists().where(mine.group_id == Group.id, mine.user_id == viewer_id),
        )
        row = (
            await self.session.execute(
                select(User.id, User.display_name).where(User.id == other_id, shared)
            )
        ).first()
        return PersonRef(row[0], row[1]) if row else None

    async def overview(self, user_id: int) -> TrustOverview:
        trusted = select(User.id, User.display_name).join(Trust, Trust.trustee_id == User.id)
        trusted = trusted.where(Trust.truster_id == user_id).order_by(User.display_name, User.id)
        by = select(User.id, User.display_name).join(Trust, Trust.truster_id == User.id)
        by = by.where(Trust.trustee_id == user_id).order_by(User.display_name, User.id)
        return TrustOverview(
            tuple(PersonRef(i, n) for i, n in (await self.session.execute(trusted)).all()),
            tuple(PersonRef(i, n) for i, n in (await self.session.execute(by)).all()),
        )

    async def insights(
        self, user_id: int, since: datetime, until: datetime, limit: int = 5
    ) -> list[Insight]:
        """What people this user trusts learned in [since, until): see `trusted_insights`."""
        return await trusted_insights(self.session, user_id, since, until, limit)


async def trusted_insights(
    session: AsyncSession, user_id: int, since: datetime, until: datetime, limit: int = 5
) -> list[Insight]:
    """Learnings posted in [since, until) by people the user trusts, most liked first; only from
    public groups and groups the user is a member of. One query."""
    stmt = (
        select(
            Message.id,
            User.display_name,
            Group.name,
            Message.content,
            Message.likes_count,
            Message.created_at,
            *place_columns(),
        )
        .join(Trust, Trust.trustee_id == Message.user_id)
        .join(User, User.id == Message.user_id)
        .join(Group, Group.id == Message.group_id)
        .where(
            Trust.truster_id == user_id,
            Message.type == MessageKind.LEARNING.value,
            Message.created_at >= since,
            Message.created_at < until,
            visible_to(user_id),
            learning_shown(),
        )
        .order_by(Message.likes_count.desc(), Message.created_at.desc(), Message.id.desc())
        .limit(limit)
    )
    rows = (await session.execute(stmt)).all()
    return [
        Insight(message_id, author, group, content, likes, at, Place(platform, title))
        for message_id, author, group, content, likes, at, platform, title in rows
    ]
