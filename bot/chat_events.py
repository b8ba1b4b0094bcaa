"""What platforms tell of chats and people outside any request, for HabitLinkBot: a group's chat
moved to a new id, the bot removed from it or back, the chat renamed, a person who blocked the
bot in private or unblocked it, a member who left the chat. Each is one unit of work."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from bot.messages import Response, bold
from core.db.models import GroupRole
from core.groups.service import ChatRef
from core.uow import UnitOfWork, UnitOfWorkFactory

log = logging.getLogger("habitlink.bot")


class ChatEvents:
    """Mixed into HabitLinkBot (bot/dispatcher.py), which sets `uow`."""

    uow: UnitOfWorkFactory

    async def _write(self, write: Callable[[UnitOfWork], Awaitable[bool]]) -> bool:
        """One unit of work that writes and commits; whether anything changed."""
        async with self.uow() as uow:
            changed = await write(uow)
            await uow.commit()
        return changed

    async def move_chat(self, platform: str, old_chat_id: str, new_chat_id: str) -> bool:
        """A platform moved a chat to a new id (Telegram's group upgrade): the group follows."""
        moved = await self._write(
            lambda uow: uow.groups.move_chat(platform, old_chat_id, new_chat_id)
        )
        if moved:
            log.info("a group's chat moved", extra={"platform": platform, "chat": new_chat_id})
        return moved

    async def mark_chat(self, platform: str, *chat_ids: str, gone: bool) -> bool:
        """The bot was removed from group chats (`gone`; a Discord server it left takes every
        channel of it): no weekly summaries go there until it is added back (not `gone`)."""
        if not chat_ids:
            return False
        changed = await self._write(
            lambda uow: uow.groups.mark_chat(platform, *chat_ids, gone=gone)
        )
        if changed:
            what = "removed from a group's chat" if gone else "back in a group's chat"
            log.info(what, extra={"platform": platform, "chat": ",".join(chat_ids[:10])})
        return changed

    async def retitle_chat(self, platform: str, chat_id: str, title: str) -> bool:
        """A group's chat was renamed: /groups, /mygroups and summaries call it so."""
        return await self._write(
            lambda uow: uow.groups.retitle_chat(ChatRef(platform, chat_id, title))
        )

    async def mark_blocked(self, platform: str, person_id: str, *, blocked: bool) -> bool:
        """The person blocked the bot in their private chat (`blocked`): no reminders or
        summaries go to them until they unblock it (not `blocked`) or write again."""
        changed = await self._write(
            lambda uow: uow.users.mark_blocked(platform, person_id, blocked=blocked)
        )
        if changed:
            what = "blocked by a person" if blocked else "unblocked by a person"
            log.info(what, extra={"platform": platform})
        return changed

    async def member_left(self, platform: str, chat_id: str, person_id: str) -> Response | None:
        """Someone left a group's chat, or was removed from it: they leave its group, as with
        /leave, without a word (an empty Response). The owner too, once the group passed to its
        next keeper (core.groups.handover), which the chat is told: outside it they could never
        /transfer it. An owner who was its last member stays (the group would close). None when
        nothing changed."""
        async with self.uow() as uow:
            group = await uow.groups.for_chat(ChatRef(platform, chat_id))
            identity = await uow.users.identity(platform, person_id)
            user = await uow.users.get(identity.user_id) if identity is not None else None
            if group is None or user is None:
                return None
            role = await uow.groups.role(group, user)
            said = Response()
            if role is None:
                return None
            if role is GroupRole.OWNER:
                heir = await uow.groups.owner_left(group, user)
                if heir is None:
                    return None
                said = Response.say(
                    f"{user.display_name} left the chat, so {heir} owns ", bold(group.name), " now."
                )
            else:
                await uow.groups.leave(group, user)
            await uow.commit()
        log.info("left a group with its chat", extra={"platform": platform, "chat": chat_id})
        return said
