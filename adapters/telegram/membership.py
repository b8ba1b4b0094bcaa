"""Who is in a group chat, as Telegram tells it: the bot itself removed from a group (its
weekly summaries stop, rather than fail there every week) or added back (they resume); a
person who left the chat leaves its group too, as with /leave, without a word (an owner's
group passes to its next keeper first, and the chat is told who owns it now). And a person
who blocks the bot in their private chat: nothing goes to them until they unblock it or write.
A group chat renamed (`new_chat_title`) keeps its group's record of the title up to date.

Two signals say so (https://core.telegram.org/bots/api): the `my_chat_member` update (the bot's
own status, asked for in intake.ALLOWED_UPDATES) and the service messages `left_chat_member` /
`new_chat_members` naming the bot. Either is enough; both usually come, and each is idempotent.
"""

from __future__ import annotations

from telegram import Chat, ChatMember, ChatMemberRestricted, Message, Update

from adapters.telegram.translate import PLATFORM
from bot.dispatcher import HabitLinkBot
from bot.messages import Response

GROUPS = (Chat.GROUP, Chat.SUPERGROUP)


async def service_message(bot: HabitLinkBot, message: Message, me: int) -> Response | None:
    """A service message of who joined or left a group: what to say in the chat (mostly
    nothing: an empty Response); None when it was none. `me`: the bot's own user id."""
    chat_id = str(message.chat_id)
    left = message.left_chat_member
    if left is not None:
        if left.id == me:
            await bot.mark_chat(PLATFORM, chat_id, gone=True)
        elif not left.is_bot:  # a person left the chat: they leave its group, quietly
            # (an owner's group passes to its next keeper, which the chat is told)
            return await bot.member_left(PLATFORM, chat_id, str(left.id)) or Response()
        return Response()
    if message.new_chat_members:
        if any(user.id == me for user in message.new_chat_members):
            await bot.mark_chat(PLATFORM, chat_id, gone=False)
        return Response()
    if message.new_chat_title:  # the chat was renamed: lists and summaries name it so
        await bot.retitle_chat(PLATFORM, chat_id, message.new_chat_title)
        return Response()
    return None


async def my_status(bot: HabitLinkBot, update: Update) -> None:
    """my_chat_member: the bot's status in a chat changed. Out of a group (removed, kicked,
    left) its summaries stop; in it again (a member, an admin, restricted but there) they
    resume. In a private chat "kicked" is the person blocking the bot (their reminders stop),
    "member" unblocking it (they resume)."""
    change = update.my_chat_member
    if change is None:
        return
    member, chat_id = change.new_chat_member, str(change.chat.id)
    if change.chat.type == Chat.PRIVATE:
        if member.status in (ChatMember.BANNED, ChatMember.MEMBER):
            blocked = member.status == ChatMember.BANNED
            await bot.mark_blocked(PLATFORM, str(change.from_user.id), blocked=blocked)
        return
    if change.chat.type not in GROUPS:
        return
    out = member.status in (ChatMember.LEFT, ChatMember.BANNED) or (
        isinstance(member, ChatMemberRestricted) and not member.is_member
    )
    await bot.mark_chat(PLATFORM, chat_id, gone=out)
