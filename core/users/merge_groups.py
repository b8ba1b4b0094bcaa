"""Merging two users' groups: memberships (the union, the higher role) and bans (a ban of
either account holds for the merged profile). Part of core.users.merge."""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.db.models import Group, GroupBan, GroupMember, GroupRole
from core.users.merge_report import MergeReport, SharedGroup

ROLE_RANK = {GroupRole.MEMBER.value: 1, GroupRole.ADMIN.value: 2, GroupRole.OWNER.value: 3}
NO_SYNC = {"synchronize_session": False}


async def merge_groups(session: AsyncSession, s: int, a: int, report: MergeReport) -> None:
    """The union of both users' memberships; in a group both were in, the higher role."""
    mine = {
        row.group_id: row
        for row in (
            await session.execute(
                select(GroupMember.group_id, GroupMember.role, GroupMember.created_at).where(
                    GroupMember.user_id == s
                )
            )
        ).all()
    }
    theirs = (
        await session.execute(
            select(GroupMember.group_id, GroupMember.role, GroupMember.created_at, Group.name)
            .join(Group, Group.id == GroupMember.group_id)
            .where(GroupMember.user_id == a)
            .order_by(Group.name, Group.id)
        )
    ).all()
    for row in theirs:
        kept = mine.get(row.group_id)
        if kept is None:
            report.groups.append(row.name)
            continue
        role = max(kept.role, row.role, key=lambda r: ROLE_RANK.get(r, 0))
        await session.execute(
            update(GroupMember)
            .where(GroupMember.group_id == row.group_id, GroupMember.user_id == s)
            .values(role=role, created_at=min(kept.created_at, row.created_at))
            .execution_options(**NO_SYNC)
        )
        await session.execute(
            delete(GroupMember)
            .where(GroupMember.group_id == row.group_id, GroupMember.user_id == a)
            .execution_options(**NO_SYNC)
        )
        report.shared_groups.append(SharedGroup(row.name, role))
    await session.execute(
        update(GroupMember)
        .where(GroupMember.user_id == a)
        .values(user_id=s)
        .execution_options(**NO_SYNC)
    )
    report.groups_owned = len(
        (
            await session.execute(
                update(Group).where(Group.owner_id == a).values(owner_id=s).returning(Group.id),
                execution_options=NO_SYNC,
            )
        ).all()
    )


async def merge_bans(session: AsyncSession, s: int, a: int) -> None:
    """Runs after the memberships merged: a ban of either account holds for the profile."""
    await session.execute(
        delete(GroupBan)
        .where(
            GroupBan.user_id == a,
            GroupBan.group_id.in_(select(GroupBan.group_id).where(GroupBan.user_id == s)),
        )
        .execution_options(**NO_SYNC)
    )
    await session.execute(
        update(GroupBan).where(GroupBan.user_id == a).values(user_id=s).execution_options(**NO_SYNC)
    )
    owned = select(Group.id).where(Group.owner_id == s)
    await session.execute(
        delete(GroupBan)
        .where(GroupBan.user_id == s, GroupBan.group_id.in_(owned))
        .execution_options(**NO_SYNC)
    )
    banned = select(GroupBan.group_id).where(GroupBan.user_id == s)
    await session.execute(
        delete(GroupMember)
        .where(GroupMember.user_id == s, GroupMember.group_id.in_(banned))
        .execution_options(**NO_SYNC)
    )
