"""Erase a person: their account and everything only theirs.

Their habits (check-ins, reminders), identities, settings, proofs, messages and learnings, likes,
trusts (both ways), link and reset codes, sign-ins and queued notifications go with the user row
(the foreign keys cascade); where their identities are in a guided flow (flow_states, keyed by
platform and external id, so no foreign key reaches it) goes too, so the next message of a
fresh start never answers the erased profile's question with its half-typed answers
(`end_flows`; the unit of work keeps their keys, and the dispatcher clears them from its cache).
The only admin able to act (not banned) is not erased (`refuse_last_admin`): nobody would be
left to run the instance. Shared things stay: a group they owned passes to its longest-standing
admin (else member), or closes when they were its only member; the like counts of learnings they
liked are counted again without them; tools they wrote stay in the toolbox without an author.
Proof images are content-addressed and may be shared: `erase_user` returns the keys of the proofs it
deletes, and the unit of work deletes the files no other proof uses after the commit
(core.media.discard).
"""

from __future__ import annotations

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.clock import Clock
from core.db.models import (
    FlowRecord,
    Group,
    Identity,
    Message,
    MessageLike,
    Proof,
    User,
    UserRole,
)
from core.errors import Forbidden
from core.flows.base import FlowKey
from core.groups.handover import hand_over
from core.media.discard import proof_keys

NO_SYNC = {"synchronize_session": False}
ONLY_ADMIN = (
    "You are the only admin of this HabitLink, so your account can't be erased: "
    "make someone else an admin first."
)


async def end_flows(session: AsyncSession, user_id: int) -> list[FlowKey]:
    """Delete the guided flows the person's identities are in, in any chat; their keys, for
    the caller to clear from the flow cache after the commit."""
    identities = (
        await session.execute(
            select(Identity.platform, Identity.external_id).where(Identity.user_id == user_id)
        )
    ).all()
    if not identities:
        return []
    mine = or_(
        *(
            and_(FlowRecord.platform == platform, FlowRecord.user_id == external)
            for platform, external in identities
        )
    )
    rows = await session.execute(
        select(FlowRecord.platform, FlowRecord.chat_id, FlowRecord.user_id).where(mine)
    )
    keys = [FlowKey(platform, chat, user) for platform, chat, user in rows]
    if keys:
        await session.execute(delete(FlowRecord).where(mine).execution_options(**NO_SYNC))
    return keys


async def refuse_last_admin(session: AsyncSession, user_id: int) -> None:
    """Forbidden when the person is the only admin who can act (not banned): erasing them
    would leave the instance with nobody to run it. The admins' rows are locked, so two admins
    erasing themselves at once cannot both go."""
    rows = (
        await session.execute(
            select(User.id, User.banned_at)
            .where(User.role == UserRole.ADMIN.value)
            .with_for_update(of=User)
        )
    ).all()
    is_admin = any(row.id == user_id for row in rows)
    if is_admin and not any(row.id != user_id and row.banned_at is None for row in rows):
        raise Forbidden(ONLY_ADMIN)


async def erase_user(session: AsyncSession, clock: Clock, user_id: int) -> set[str]:
    """Delete the person's rows; the image keys of the proofs that go with them."""
    await session.flush()
    discarded = await proof_keys(session, Proof.user_id == user_id)
    liked = list(
        await session.scalars(select(MessageLike.message_id).where(MessageLike.user_id == user_id))
    )
    await session.execute(
        delete(MessageLike).where(MessageLike.user_id == user_id).execution_options(**NO_SYNC)
    )
    if liked:
        count = (
            select(func.count())
            .select_from(MessageLike)
            .where(MessageLike.message_id == Message.id)
            .scalar_subquery()
        )
        await session.execute(
            update(Message)
            .where(Message.id.in_(liked))
            .values(likes_count=count)
            .execution_options(**NO_SYNC)
        )
    owned = list(await session.scalars(select(Group.id).where(Group.owner_id == user_id)))
    for group_id in owned:
        if await hand_over(session, group_id, user_id) is None:
            discarded |= await proof_keys(session, Proof.group_id == group_id)
            await session.execute(
                delete(Group).where(Group.id == group_id).execution_options(**NO_SYNC)
            )
    await session.execute(delete(User).where(User.id == user_id).execution_options(**NO_SYNC))
    await session.flush()
    session.expunge_all()
    return discarded
