"""Create, find, join and leave groups; owners and admins manage them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.clock import Clock
from core.db.models import (
    Group,
    GroupBan,
    GroupChat,
    GroupMember,
    GroupRole,
    Notification,
    NotificationStatus,
    Proof,
    User,
)
from core.errors import Code, Forbidden, InvalidInput, NotFound
from core.groups.handover import owner_left
from core.groups.invites import new_invite_code, normalise_invite
from core.groups.names import clean_name
from core.groups.places import NOWHERE, Place, place_columns
from core.groups.privacy import can_read, members_only
from core.media.discard import proof_keys
from core.users.locks import lock_user
from core.visibility import not_banned

TITLE_MAX = 255  # a chat's title as stored (group_chats.title)
MAX_GROUPS = 50  # groups one person may be in (created or joined)
MANAGERS = (GroupRole.OWNER, GroupRole.ADMIN)


class Ban(Enum):
    """What a ban did: removed a member, kept out someone outside, or nothing (already banned)."""

    MEMBER = "member"
    OUTSIDER = "outsider"
    ALREADY = "already"


@dataclass(frozen=True)
class ChatRef:
    platform: str
    chat_id: str
    title: str | None = None


@dataclass(frozen=True)
class InChat:
    """A chat's group, and whether the chat is marked gone (the bot removed from it)."""

    group: Group
    gone: bool
    title: str | None = None  # the chat's title as last stored


@dataclass(frozen=True)
class MemberView:
    user_id: int
    name: str
    role: GroupRole


@dataclass(frozen=True)
class GroupView:
    group: Group
    members: int
    role: GroupRole | None = None
    place: Place = NOWHERE  # where its chat is (core.groups.places)


class GroupService:
    def __init__(
        self, session: AsyncSession, clock: Clock, discarded: set[str] | None = None
    ) -> None:
        self.session = session
        self.clock = clock
        # Keys of proofs deleted with a group: files deleted after the commit (core.media.discard)
        self.discarded: set[str] = set() if discarded is None else discarded

    # --- finding -------------------------------------------------------------------------
    async def get(self, group_id: int) -> Group | None:
        return await self.session.get(Group, group_id)

    async def for_chat(self, chat: ChatRef) -> Group | None:
        """The chat's group: a read (`in_chat` also tells whether the chat is marked gone)."""
        found = await self.in_chat(chat)
        return None if found is None else found.group

    async def in_chat(self, chat: ChatRef) -> InChat | None:
        """The chat's group, whether the chat is marked gone (`mark_chat`) and its stored
        title: a request from it shows the bot is there again and what the chat is called now,
        which its handler records with `heard_from` (bot.handlers.groups.group_here). One
        statement, the mark and the title read with the group."""
        stmt = (
            select(Group, GroupChat.gone_at, GroupChat.title)
            .join(GroupChat, GroupChat.group_id == Group.id)
            .where(GroupChat.platform == chat.platform, GroupChat.external_chat_id == chat.chat_id)
        )
        found = (await self.session.execute(stmt)).first()
        if found is None:
            return None
        group, gone_at, title = found
        return InChat(group, gone=gone_at is not None, title=title)

    async def retitle_chat(self, chat: ChatRef) -> bool:
        """The chat is called `chat.title` now (the platform said it was renamed). One
        statement; False when no group lives there or it had that title already."""
        title = (chat.title or "")[:TITLE_MAX]
        changed = GroupChat.title.is_distinct_from(title)
        return bool(title) and await self._set_chats(
            chat.platform, [chat.chat_id], changed, title=title
        )

    async def heard_from(self, chat: ChatRef, found: InChat) -> bool:
        """A request came from the chat: the bot is there (a gone mark is cleared), and the
        chat is called what the request says now (lists and summaries name it). One statement,
        only when either changed; False when nothing did."""
        title = (chat.title or "")[:TITLE_MAX]
        values = ({"gone_at": None} if found.gone else {}) | (
            {"title": title} if title and title != found.title else {}
        )
        return bool(values) and await self._set_chats(chat.platform, [chat.chat_id], **values)

    async def mark_chat(self, platform: str, *chat_ids: str, gone: bool) -> bool:
        """`gone`: the bot was removed from the chats (or the platform refuses it there for
        good: a Discord server it was removed from takes all its channels), so their groups'
        weekly summaries skip them until the bot is back; not `gone`: it is in them again
        (added back) and they go there again. One statement. False when no group lives there,
        or every chat was already so marked."""
        was = GroupChat.gone_at.is_(None) if gone else GroupChat.gone_at.is_not(None)
        now = self.clock.now() if gone else None
        return bool(chat_ids) and await self._set_chats(platform, chat_ids, was, gone_at=now)

    async def _set_chats(
        self, platform: str, chat_ids: Sequence[str], *where: Any, **values: Any
    ) -> bool:
        """One UPDATE of these chats' rows (those matching `where`); True when any changed."""
        done = await self.session.execute(
            update(GroupChat)
            .where(GroupChat.platform == platform, GroupChat.external_chat_id.in_(chat_ids), *where)
            .values(**values)
        )
        return bool(getattr(done, "rowcount", 0))

    async def move_chat(self, platform: str, old_chat_id: str, new_chat_id: str) -> bool:
        """The platform moved a chat to a new id (a Telegram group upgraded to a supergroup):
        its group, and what is queued for it, follow. False when no group lived there."""
        moved = await self.session.scalar(
            select(GroupChat).where(
                GroupChat.platform == platform, GroupChat.external_chat_id == old_chat_id
            )
        )
        if moved is None or old_chat_id == new_chat_id:
            return False
        taken = await self.for_chat(ChatRef(platform, new_chat_id))
        if taken is not None:  # the new chat already has a group: keep that one
            return False
        moved.external_chat_id = new_chat_id
        await self.session.execute(
            update(Notification)
            .where(
                Notification.platform == platform,
                Notification.chat_id == old_chat_id,
                Notification.status.in_(
                    (NotificationStatus.PENDING.value, NotificationStatus.SENDING.value)
                ),
            )
            .values(chat_id=new_chat_id)
        )
        return True

    async def by_invite(self, code: str) -> Group | None:
        """The group of a code typed in any case, with stray spaces (core.groups.invites)."""
        wanted = normalise_invite(code)
        return (
            await self.session.scalars(select(Group).where(Group.invite_code == wanted))
        ).first()

    async def role(self, group: Group, user: User) -> GroupRole | None:
        role = await self.session.scalar(
            select(GroupMember.role).where(
                GroupMember.group_id == group.id, GroupMember.user_id == user.id
            )
        )
        return GroupRole(role) if role else None

    async def members(self, group: Group, *, banned: bool = True) -> list[MemberView]:
        """First joined first; `banned` False leaves out people banned from HabitLink, as the
        board does (the lists and counts members see; a ban keeps the membership)."""
        stmt = (
            select(User.id, User.display_name, GroupMember.role)
            .join(GroupMember, GroupMember.user_id == User.id)
            .where(GroupMember.group_id == group.id)
            .order_by(GroupMember.created_at, User.id)
        )
        if not banned:
            stmt = stmt.where(User.banned_at.is_(None))
        rows = (await self.session.execute(stmt)).all()
        return [MemberView(uid, name, GroupRole(role)) for uid, name, role in rows]

    async def public_groups(self, limit: int = 20, offset: int = 0) -> list[GroupView]:
        """Public groups, the most members first, from the `offset`-th on: one statement."""
        count = func.count(GroupMember.user_id).filter(not_banned(GroupMember.user_id))
        stmt = (
            select(Group, count, *place_columns())
            .join(GroupMember, GroupMember.group_id == Group.id)
            .where(Group.is_public.is_(True))
            .group_by(Group.id)
            .order_by(count.desc(), Group.name, Group.id)
            .limit(limit)
            .offset(offset)
        )
        rows = (await self.session.execute(stmt)).all()
        return [GroupView(g, n, place=Place(p, t)) for g, n, p, t in rows]

    async def groups_of(self, user: User) -> list[GroupView]:
        mine = (
            select(GroupMember.group_id, GroupMember.role)
            .where(GroupMember.user_id == user.id)
            .subquery()
        )
        everyone = GroupMember.__table__.alias("everyone")
        members = func.count(everyone.c.user_id).filter(not_banned(everyone.c.user_id))
        stmt = (
            select(Group, mine.c.role, members, *place_columns())
            .join(mine, mine.c.group_id == Group.id)
            .join(everyone, everyone.c.group_id == Group.id)
            .group_by(Group.id, mine.c.role)
            .order_by(Group.name, Group.id)
        )
        rows = (await self.session.execute(stmt)).all()
        return [GroupView(g, n, GroupRole(role), Place(p, t)) for g, role, n, p, t in rows]

    # --- creating, joining, leaving ------------------------------------------------------
    async def create(self, owner: User, chat: ChatRef, name: str, *, public: bool) -> Group:
        if await self.for_chat(chat) is not None:
            raise InvalidInput("This chat already has a group. See it with /groupinfo.")
        await self._room_for_one_more(owner)
        now = self.clock.now()
        group = Group(
            name=clean_name(name),
            is_public=public,
            owner_id=owner.id,
            invite_code=new_invite_code(),
            timezone=owner.settings.timezone,
            created_at=now,
        )
        self.session.add(group)
        await self.session.flush()
        self.session.add_all(
            [
                GroupChat(
                    group_id=group.id,
                    platform=chat.platform,
                    external_chat_id=chat.chat_id,
                    title=chat.title,
                    created_at=now,
                ),
                GroupMember(
                    group_id=group.id, user_id=owner.id, role=GroupRole.OWNER, created_at=now
                ),
            ]
        )
        await self.session.flush()
        return group

    async def join(self, group: Group, user: User, *, code: str | None = None) -> bool:
        """Join; a private group needs its invite code. False when already a member."""
        if await self.role(group, user) is not None:
            return False
        if await self.is_banned(group, user):
            raise Forbidden(
                f"You can't join {group.name}: its owner or an admin removed you for good. "
                "Only they can let you back in (/unban).",
                code=Code.GROUP_BANNED,
                facts={"group": group.name},
            )
        code = normalise_invite(code or "")
        if not group.is_public and code and code != normalise_invite(group.invite_code):
            raise Forbidden(
                f"That code doesn't open {group.name} (its code changes when someone is kicked "
                "or banned). Ask a member for the current one (/invite), then send /join CODE.",
                code=Code.GROUP_WRONG_CODE,
                facts={"group": group.name},
            )
        if not group.is_public and not code:
            raise Forbidden(
                f"{group.name} is private. Ask a member for an invite (/invite), then send "
                "/join CODE.",
                code=Code.GROUP_PRIVATE,
                facts={"group": group.name, "group_id": group.id},
            )
        await self._room_for_one_more(user)
        self.session.add(
            GroupMember(
                group_id=group.id,
                user_id=user.id,
                role=GroupRole.MEMBER,
                created_at=self.clock.now(),
            )
        )
        await self.session.flush()
        return True

    async def _room_for_one_more(self, user: User) -> None:
        """The group limit, counted under the person's row lock (core.users.locks)."""
        await lock_user(self.session, user.id)
        count = await self.session.scalar(
            select(func.count()).select_from(GroupMember).where(GroupMember.user_id == user.id)
        )
        if (count or 0) >= MAX_GROUPS:
            raise InvalidInput(
                f"You are already in {MAX_GROUPS} groups. Leave one (/leave in its chat) first.",
                code=Code.GROUP_LIMIT,
                facts={"limit": MAX_GROUPS},
            )

    async def leave(self, group: Group, user: User) -> bool:
        """Leave; True when the group closed because its last member left."""
        role = await self.role(group, user)
        if role is None:
            raise InvalidInput(f"You are not a member of {group.name}.")
        members = await self.members(group)
        if role is GroupRole.OWNER and len(members) > 1:
            raise Forbidden(
                "You own this group. Hand it over first with /transfer @name, then /leave.",
                code=Code.OWNER_LEAVING,
                facts={"group": group.name},
            )
        if len(members) == 1:
            self.discarded |= await proof_keys(self.session, Proof.group_id == group.id)
            await self.session.delete(group)
            await self.session.flush()
            return True
        await self._membership_delete(group, user.id)
        return False

    async def owner_left(self, group: Group, owner: User) -> str | None:
        """The owner left the group's chat: the new owner's name (core.groups.handover)."""
        return await owner_left(self.session, group, owner)

    async def require_reader(self, group: Group, user: User) -> None:
        """Every read of a group's content asks this first (see core.groups.privacy)."""
        if not await can_read(self.session, group, user.id):
            raise members_only(group.name, group.id)

    # --- managing ------------------------------------------------------------------------
    async def require(self, group: Group, user: User, *allowed: GroupRole) -> GroupRole:
        role = await self.role(group, user)
        if role is None:
            raise Forbidden(
                f"Only members of {group.name} can do that. Send /join first.",
                code=Code.MEMBERS_ONLY,
                facts={"group": group.name, "group_id": group.id},
            )
        if role not in allowed:
            who = "the owner" if allowed == (GroupRole.OWNER,) else "the owner or an admin"
            raise Forbidden(f"Only {who} of {group.name} can do that.")
        return role

    async def rename(self, actor: User, group: Group, name: str) -> bool:
        """False when the group has that very name already (nothing written)."""
        await self.require(group, actor, *MANAGERS)
        name = clean_name(name)
        if group.name == name:
            return False
        group.name = name
        return True

    async def set_public(self, actor: User, group: Group, public: bool) -> bool:
        """False when it is so already (nothing written); made private, a new invite code."""
        await self.require(group, actor, *MANAGERS)
        if group.is_public == public:
            return False
        group.is_public = public
        if not public:
            self._rotate_invite(group)
        return True

    async def new_invite(self, actor: User, group: Group) -> str:
        await self.require(group, actor, *MANAGERS)
        return self._rotate_invite(group)

    def _rotate_invite(self, group: Group) -> str:
        """A new invite code; every older one (/groups shows a public group's) stops working."""
        group.invite_code = new_invite_code()
        return group.invite_code

    async def remove(self, actor: User, group: Group, target: User) -> None:
        """Kick: the member leaves, and the invite code changes, so no code they saw (or
        anyone shared before) lets them back in. They may join again with a new code."""
        actor_role = await self.require(group, actor, *MANAGERS)
        target_role = await self._target_role(group, target)
        self._may_remove(actor, actor_role, target, target_role)
        await self._membership_delete(group, target.id)
        self._rotate_invite(group)

    async def ban(self, actor: User, group: Group, target: User) -> Ban:
        """Remove (if a member) and keep out until unbanned. A ban already in place changes
        nothing (not even the invite code)."""
        actor_role = await self.require(group, actor, *MANAGERS)
        target_role = await self.role(group, target)
        self._may_remove(actor, actor_role, target, target_role)
        already = await self.is_banned(group, target)
        if already and target_role is None:
            return Ban.ALREADY
        if not already:
            self.session.add(
                GroupBan(
                    group_id=group.id,
                    user_id=target.id,
                    banned_by=actor.id,
                    created_at=self.clock.now(),
                )
            )
        if target_role is not None:
            await self._membership_delete(group, target.id)
        self._rotate_invite(group)
        await self.session.flush()
        return Ban.MEMBER if target_role is not None else Ban.OUTSIDER

    async def unban(self, actor: User, group: Group, target: User) -> None:
        """They may join again, with a current invite code (or freely, in a public group)."""
        await self.require(group, actor, *MANAGERS)
        removed = await self.session.execute(
            delete(GroupBan)
            .where(GroupBan.group_id == group.id, GroupBan.user_id == target.id)
            .returning(GroupBan.user_id)
            .execution_options(synchronize_session=False)
        )
        if removed.first() is None:
            raise NotFound(f"{target.display_name} is not banned from {group.name}.")

    async def is_banned(self, group: Group, user: User) -> bool:
        found = await self.session.scalar(
            select(GroupBan.user_id).where(
                GroupBan.group_id == group.id, GroupBan.user_id == user.id
            )
        )
        return found is not None

    @staticmethod
    def _may_remove(
        actor: User, actor_role: GroupRole, target: User, target_role: GroupRole | None
    ) -> None:
        if target.id == actor.id:
            raise InvalidInput("To leave the group yourself, send /leave.")
        if target_role is GroupRole.OWNER or (
            target_role is GroupRole.ADMIN and actor_role is not GroupRole.OWNER
        ):
            raise Forbidden("Only the owner can remove an admin, and nobody removes the owner.")

    async def set_admin(self, actor: User, group: Group, target: User, admin: bool) -> bool:
        """Make the target an admin or a member; False when they already were one."""
        await self.require(group, actor, GroupRole.OWNER)
        target_role = await self._target_role(group, target)
        if target_role is GroupRole.OWNER:
            raise InvalidInput("The owner is already in charge.")
        role = GroupRole.ADMIN if admin else GroupRole.MEMBER
        if target_role is role:
            return False
        await self._set_role(group, target.id, role)
        return True

    async def transfer(self, actor: User, group: Group, target: User) -> None:
        await self.require(group, actor, GroupRole.OWNER)
        if target.id == actor.id:
            raise InvalidInput("You already own this group.")
        await self._target_role(group, target)
        await self._set_role(group, target.id, GroupRole.OWNER)
        await self._set_role(group, actor.id, GroupRole.ADMIN)
        group.owner_id = target.id

    async def _target_role(self, group: Group, target: User) -> GroupRole:
        role = await self.role(group, target)
        if role is None:
            raise NotFound(f"{target.display_name} is not a member of {group.name}.")
        return role

    async def _set_role(self, group: Group, user_id: int, role: GroupRole) -> None:
        member = await self.session.get(GroupMember, (group.id, user_id))
        if member is None:
            raise NotFound("That person is not a member of this group.")
        member.role = role.value

    async def _membership_delete(self, group: Group, user_id: int) -> None:
        member = await self.session.get(GroupMember, (group.id, user_id))
        if member is not None:
            await self.session.delete(member)
            await self.session.flush()
