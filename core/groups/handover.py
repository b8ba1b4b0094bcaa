"""When a group's owner goes, the group passes to its next keeper: its longest-standing admin,
else its longest-standing member. The owner goes when their profile is erased
(core.accounts.erase) or when they leave the group's chat (`owner_left`): outside the chat they
could never /transfer it, and nobody else could ever promote, demote or hand it over."""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.db.models import Group, GroupMember, GroupRole, User

NO_SYNC = {"synchronize_session": False}
RANK = {GroupRole.ADMIN.value: 0, GroupRole.MEMBER.value: 1}


async def hand_over(session: AsyncSession, group_id: int, owner_id: int) -> int | None:
    """Make the next keeper the group's owner: their user id; None when nobody else is in it
    (nothing changed: the caller closes the group, or keeps its owner)."""
    others = (
        await session.execute(
            select(GroupMember.user_id, GroupMember.role, GroupMember.created_at)
            .where(GroupMember.group_id == group_id, GroupMember.user_id != owner_id)
            .order_by(GroupMember.created_at, GroupMember.user_id)
        )
    ).all()
    if not others:
        return None
    heir = min(others, key=lambda row: (RANK.get(row.role, 2), row.created_at, row.user_id))
    await session.execute(
        update(GroupMember)
        .where(GroupMember.group_id == group_id, GroupMember.user_id == heir.user_id)
        .values(role=GroupRole.OWNER.value)
        .execution_options(**NO_SYNC)
    )
    await session.execute(
        update(Group)
        .where(Group.id == group_id)
        .values(owner_id=heir.user_id)
        .execution_options(**NO_SYNC)
    )
    return int(heir.user_id)


async def owner_left(session: AsyncSession, group: Group, owner: User) -> str | None:
    """The owner left the group's chat: the group passes to its next keeper and the owner
    leaves it, as a member who left the chat does. The new owner's name; None when the owner
    is its last member (then they stay: leaving would close the group)."""
    heir = await hand_over(session, group.id, owner.id)
    if heir is None:
        return None
    await session.execute(
        delete(GroupMember)
        .where(GroupMember.group_id == group.id, GroupMember.user_id == owner.id)
        .execution_options(**NO_SYNC)
    )
    await session.refresh(group)
    return await session.scalar(select(User.display_name).where(User.id == heir))
