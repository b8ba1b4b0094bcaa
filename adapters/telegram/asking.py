"""A guided step's question in a Telegram group, asked so that its answer reaches the bot.

A bot in privacy mode (the default) gets a group's commands and the replies to its own messages,
not the members' other messages. So a reply marked `asks` (bot/messages.py) goes to a group as a
reply to the person's message, with ForceReply(selective=True): their client, and only theirs,
opens a reply to the question, and that reply reaches the bot. After a button press there is no
message of theirs to reply to: the question names them (a mention is ForceReply's other target).
A message has one reply_markup, so a question with buttons keeps its buttons and no ForceReply;
every question in a group says to reply to it, which works with or without ForceReply. In
private chats every message reaches the bot, and nothing changes.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, replace

from telegram import Chat, ForceReply, Message, ReplyParameters, User
from telegram.constants import ChatType

from adapters.telegram.render import clip, units
from bot.messages import Reply, italic, rich

PLACEHOLDER = "Your answer (or /cancel)"  # 1-64 characters
HINT = "↩️ Reply to this message with your answer."
NAME_LIMIT = 64


@dataclass(frozen=True)
class Asker:
    """Whom a question in a group is for: the person, and their message it answers (None when
    they pressed a button)."""

    user_id: int
    name: str
    message_id: int | None = None


def asker(chat: Chat, user: User | None, message: Message | None = None) -> Asker | None:
    """The person a group's question is for; None in a private chat (or with nobody to ask)."""
    if chat.type == ChatType.PRIVATE or user is None or user.is_bot:
        return None
    name = clip(user.full_name or user.username or "you", NAME_LIMIT)
    return Asker(user.id, name, message.message_id if message is not None else None)


@dataclass(frozen=True)
class Asked:
    """How a question goes to a group: `lead` (HTML before its text, `lead_units` long) names
    the person after a press; `markup` is the ForceReply (None when the reply has buttons or
    edits a message); `reply_to` points at the person's message."""

    lead: str = ""
    lead_units: int = 0
    markup: ForceReply | None = None
    reply_to: ReplyParameters | None = None


def in_group(reply: Reply, who: Asker | None) -> tuple[Reply, Asked | None]:
    """The reply as it goes to a group (the hint to reply added), and how it is asked; the
    reply unchanged and None when it asks nothing or the chat is private."""
    if not reply.asks or who is None or not reply.text:
        return reply, None
    hinted = replace(reply, text=reply.text + rich("\n", italic(HINT)))
    force = None
    if not reply.buttons and not reply.edit:
        force = ForceReply(selective=True, input_field_placeholder=PLACEHOLDER)
    if who.message_id is not None:
        # A deleted message does not stop the question (it then just is not a reply).
        target = ReplyParameters(who.message_id, allow_sending_without_reply=True)
        return hinted, Asked(markup=force, reply_to=target)
    lead = f'<a href="tg://user?id={who.user_id}">{html.escape(who.name, quote=False)}</a>: '
    return hinted, Asked(lead=lead, lead_units=units(who.name) + 2, markup=force)
