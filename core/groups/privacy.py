"""The privacy boundary of a group, in one place.

A public group's content is anyone's to see. A private group's content (its members, board,
proofs and their collage, learnings, weekly summary) is shown only to its members: a non-member
asking in the group's own chat gets a refusal, and nothing of it appears in other chats, in
/groups, in the feed or in anyone else's summary. What the bot posts in the group's chat (its
answers to members, the weekly summary) can be read by whoever is in that chat, so a private
group's chat should hold its members.

`can_read` decides for one group, `readable_by` is the same rule as SQL for lists; every read
of group content goes through one of them (GroupService.require_reader, the learnings queries).
A learning keeps the privacy it was shared with: one shared while the group was private stays
its members' when the group is made public (`learning_readable_by`).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.db.models import Group, GroupMember, Message
from core.errors import Code, Forbidden


def members_only(group_name: str, group_id: int) -> Forbidden:
    """The refusal a non-member gets when asking for a private group's content."""
    return Forbidden(
        f"{group_name} is private: only its members can see that. To take part, ask a member "
        "for an invite and send /join CODE.",
        code=Code.GROUP_PRIVATE,
        facts={"group": group_name, "group_id": group_id},
    )


def _member(viewer_id: int) -> ColumnElement[bool]:
    return (
        select(GroupMember.user_id)
        .where(GroupMember.group_id == Group.id, GroupMember.user_id == viewer_id)
        .exists()
    )


def readable_by(viewer_id: int) -> ColumnElement[bool]:
    """SQL, in a query that selects from groups: the group is public, or the viewer is in it."""
    return or_(Group.is_public.is_(True), _member(viewer_id))


def learning_readable_by(viewer_id: int) -> ColumnElement[bool]:
    """SQL, in a query joining learnings (messages) to their groups: the viewer is in the
    group, or it is public and the learning was shared there while it was public (one shared
    while it was private stays its members', Message.members_only)."""
    public = and_(Group.is_public.is_(True), Message.members_only.is_(False))
    return or_(public, _member(viewer_id))


async def can_read(session: AsyncSession, group: Group, viewer_id: int) -> bool:
    if group.is_public:
        return True
    found = await session.scalar(
        select(GroupMember.user_id).where(
            GroupMember.group_id == group.id, GroupMember.user_id == viewer_id
        )
    )
    return found is not None
