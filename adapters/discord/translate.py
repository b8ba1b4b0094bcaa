"""Discord events as neutral bot requests: slash commands (through the command table), button
presses, messages and reactions; and the habit names for autocomplete (read from core)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import discord

from adapters.discord.commands import args_of, option_texts, option_value
from bot.commands import Command, Kind
from bot.dispatcher import HabitLinkBot
from bot.messages import (
    Chat,
    ChatKind,
    Person,
    Photo,
    Request,
    answers_questions,
    parse_command,
)
from core.errors import InvalidInput

PLATFORM = "discord"
AUTOCOMPLETE_CHOICES = 25
MAX_BUTTONS = 25  # a message's components: 5 action rows of 5 buttons
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".heic", ".bmp")
DOWNLOAD_FAILED = (
    "I couldn't download that image from Discord. Please send it again, or a smaller one."
)


def person(user: discord.abc.User) -> Person:
    """The account (not a server nickname, which differs from server to server)."""
    name = user.global_name or user.name or "friend"
    return Person(PLATFORM, str(user.id), name, user.name)


def chat(channel: object, channel_id: int, guild_id: int | None) -> Chat:
    """A DM is a private chat; a guild channel (or thread) is a group chat of its own."""
    if guild_id is None:
        return Chat(PLATFORM, str(channel_id), ChatKind.PRIVATE)
    title = getattr(channel, "name", None)
    return Chat(
        PLATFORM, str(channel_id), ChatKind.GROUP, title if isinstance(title, str) else None
    )


def guild_chat_ids(guild: discord.Guild) -> list[str]:
    """The chats of a server the bot knows: its channels and threads (each may be a group's)."""
    return [str(c.id) for c in (*guild.channels, *guild.threads)]


def interaction_chat(interaction: discord.Interaction[Any]) -> Chat:
    channel_id = interaction.channel_id or 0
    return chat(interaction.channel, channel_id, interaction.guild_id)


def typed_answers(interaction: discord.Interaction[Any]) -> bool:
    """Whether the person's typed messages here reach the bot: always in a DM, in a channel
    only with the message-content intent."""
    return interaction.guild_id is None or interaction.client.intents.message_content


def slash_request(
    interaction: discord.Interaction[Any], command: Command, values: Mapping[str, Any]
) -> Request:
    """/habit done habit:read day:yesterday -> Request(command="done", options={"habit": "read",
    "day": "yesterday"}); `args` joins them (for logs and the habit-picking buttons)."""
    args = args_of(command, values)
    target = option_value(command, values, Kind.MEMBER)
    attachment = option_value(command, values, Kind.PHOTO)
    return Request(
        sender=person(interaction.user),
        chat=interaction_chat(interaction),
        text=f"/{command.name} {args}".strip(),
        command=command.name,
        args=args,
        options=option_texts(command, values),
        photo=attachment_photo(attachment) if isinstance(attachment, discord.Attachment) else None,
        reply_to=person(target) if isinstance(target, discord.abc.User) else None,
        addressed=True,  # a slash command always names this bot
        typed_answers=typed_answers(interaction),
        max_buttons=MAX_BUTTONS,
    )


def button_request(interaction: discord.Interaction[Any], payload: str) -> Request:
    return Request(
        sender=person(interaction.user),
        chat=interaction_chat(interaction),
        button=payload,
        typed_answers=typed_answers(interaction),
        max_buttons=MAX_BUTTONS,
    )


def _mention_prefix(bot_id: int) -> re.Pattern[str]:
    return re.compile(rf"^\s*<@!?{bot_id}>\s*")


def _mention_anywhere(bot_id: int) -> re.Pattern[str]:
    return re.compile(rf"\s*<@!?{bot_id}>")


_USER_MENTION = re.compile(r"<@!?(\d+)>")


def _named_mentions(text: str, mentioned: Sequence[discord.abc.User]) -> str:
    """Discord writes '@Bob' typed in a message as '<@id>': each person mentioned is '@name'
    again (their username, as /kick @name and /trust @name expect), so a typed '/promote @Bob'
    names Bob, and a learning reads as written."""
    names = {user.id: user.name for user in mentioned}

    def named(match: re.Match[str]) -> str:
        name = names.get(int(match.group(1)))
        return f"@{name}" if name else match.group(0)

    return _USER_MENTION.sub(named, text)


def message_requests(message: discord.Message, bot_id: int) -> list[Request]:
    """A person's message (text, or images with a caption) as requests; none for what is not
    for us. Several images are one request each, as an album (the caption with the first): one
    proof for them all. A leading mention of the bot is dropped ('@HabitLink /help' is '/help',
    addressed), and so is one elsewhere ('weekdays @HabitLink' answers 'weekdays'). In a
    channel only a reply to one of the bot's messages, or a message that mentions the bot,
    may answer the person's question (bot.messages.answers_questions); in a DM any."""
    if message.author.bot or message.webhook_id is not None:
        return []
    if message.type not in (discord.MessageType.default, discord.MessageType.reply):
        return []
    text = message.content or ""
    mention = _mention_prefix(bot_id)
    addressed = mention.match(text) is not None
    text = _named_mentions(_mention_anywhere(bot_id).sub("", text).strip(), message.mentions)
    images = [a for a in message.attachments if is_image(a)]
    if not text.strip() and not images:
        return []
    reply_to = None
    reference = message.reference.resolved if message.reference else None
    if isinstance(reference, discord.Message) and not reference.author.bot:
        reply_to = person(reference.author)
    may_answer = answers_questions(
        message.guild is None,
        replies_to_bot=isinstance(reference, discord.Message) and reference.author.id == bot_id,
        mentions_bot=any(user.id == bot_id for user in message.mentions),
    )
    command, args = parse_command(text)
    first = Request(
        sender=person(message.author),
        chat=chat(message.channel, message.channel.id, message.guild.id if message.guild else None),
        text=text,
        command=command,
        args=args,
        photo=attachment_photo(images[0]) if images else None,
        reply_to=reply_to,
        addressed=addressed,
        album=str(message.id) if len(images) > 1 else None,
        may_answer=may_answer,
        max_buttons=MAX_BUTTONS,
    )
    rest = [
        Request(
            sender=first.sender,
            chat=first.chat,
            photo=attachment_photo(image),
            reply_to=reply_to,
            addressed=addressed,
            album=first.album,
            may_answer=may_answer,
            max_buttons=MAX_BUTTONS,
        )
        for image in images[1:]
    ]
    return [first, *rest]


def is_image(attachment: discord.Attachment) -> bool:
    if attachment.content_type:
        return attachment.content_type.startswith("image/")
    return attachment.filename.lower().endswith(IMAGE_SUFFIXES)


def attachment_photo(attachment: discord.Attachment) -> Photo:
    """The attachment's bytes are fetched only when the bot asks (after its checks)."""

    async def load() -> bytes:
        try:
            return await attachment.read()
        except discord.HTTPException as exc:
            raise InvalidInput(DOWNLOAD_FAILED) from exc

    return Photo(load=load, file_name=attachment.filename, size=attachment.size)


async def habit_titles(
    bot: HabitLinkBot, user: discord.abc.User, current: str, *, archived: bool = False
) -> list[str]:
    """Autocomplete: the person's active (or archived) habits matching what they typed (core
    decides who gets any: nobody we never met, nobody banned)."""
    async with bot.uow() as uow:
        return await uow.habits.completions(
            PLATFORM, str(user.id), current, AUTOCOMPLETE_CHOICES, archived=archived
        )


async def tool_titles(bot: HabitLinkBot, user: discord.abc.User, current: str) -> list[str]:
    """Autocomplete: Toolbox titles matching what was typed (none for someone banned)."""
    async with bot.uow() as uow:
        titles = await uow.toolbox.completions(
            PLATFORM, str(user.id), current, AUTOCOMPLETE_CHOICES
        )
        await uow.commit()  # the first use after an upgrade brings the seed in
    return titles
