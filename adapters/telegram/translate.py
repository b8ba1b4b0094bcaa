"""Telegram updates as neutral bot requests; updates the bot does not handle become None."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Bot, Message, MessageEntity, Update
from telegram import Chat as TgChat
from telegram import User as TgUser
from telegram.constants import ChatType
from telegram.error import TelegramError

from adapters.telegram.render import MAX_BUTTONS
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

PLATFORM = "telegram"


def person(user: TgUser) -> Person:
    name = user.full_name or user.username or "friend"
    return Person(PLATFORM, str(user.id), name, user.username)


def chat(tg_chat: TgChat) -> Chat:
    kind = ChatKind.PRIVATE if tg_chat.type == TgChat.PRIVATE else ChatKind.GROUP
    return Chat(PLATFORM, str(tg_chat.id), kind, tg_chat.title)


@dataclass(frozen=True)
class ParsedCommand:
    command: str | None
    args: str
    for_another_bot: bool = False
    addressed: bool = False  # /cmd@ThisBot


def command_for_us(text: str, bot_username: str) -> ParsedCommand:
    """Parse '/cmd@Bot args', telling commands for this bot from commands for others."""
    stripped = text.strip()
    head, sep, rest = stripped.partition(" ")
    addressed = False
    if head.startswith("/") and "@" in head:
        name, _, target = head.partition("@")
        if target.lower() != bot_username.lower():
            return ParsedCommand(None, stripped, for_another_bot=True)
        stripped = name + sep + rest
        addressed = True
    command, args = parse_command(stripped)
    return ParsedCommand(command, args, addressed=addressed)


def anonymous_command(message: Message, bot: Bot) -> str | None:
    """The command (name) of someone posting in a group as a chat rather than as themselves: an
    anonymous admin (as the group) or a member posting as their channel. We can't tell who they
    are; None for anything else, and for a channel's post Telegram copies into its linked group."""
    if message.sender_chat is None or message.is_automatic_forward:
        return None
    if message.chat.type == TgChat.CHANNEL or message.forward_origin is not None:
        return None
    return command_for_us(message.text or message.caption or "", bot.username).command


def message_request(message: Message, bot: Bot, update_id: int | None = None) -> Request | None:
    """A message (text or photo) from a person; None for what the bot should not answer."""
    if message.from_user is None or message.from_user.is_bot:
        return None
    if message.sender_chat is not None or message.is_automatic_forward:
        return None  # an anonymous group admin, or a post forwarded from a linked channel
    text = message.text or message.caption or ""
    parsed = command_for_us(text, bot.username)
    if parsed.for_another_bot:
        return None
    if parsed.command is not None and message.forward_origin is not None:
        return None  # someone else's command, forwarded: not what the sender asks of us
    photo = _picture(message, bot)
    if not text and photo is None:
        return None
    reply_to = None
    original = message.reply_to_message
    if original is not None and original.from_user is not None and not original.from_user.is_bot:
        reply_to = person(original.from_user)
    if parsed.command is not None and (mentioned := _text_mention(message)) is not None:
        # Someone without a username, picked from the member list: their name in the text,
        # carrying their account. Whom a command about a person is about, as a reply's author
        # would be (its words are then not read: bot/arguments.py); other commands keep the
        # name in their words ('/learn thanks to Carol').
        reply_to = person(mentioned)
    return Request(
        sender=person(message.from_user),
        chat=chat(message.chat),
        text=text,
        command=parsed.command,
        args=parsed.args,
        photo=photo,
        reply_to=reply_to,
        deep_link=f"https://t.me/{bot.username}?start=",
        addressed=parsed.addressed,
        update_id=update_id,
        album=message.media_group_id if photo is not None else None,
        typed_answers=reads_answers(message.chat),
        may_answer=answers_questions(
            message.chat.type == ChatType.PRIVATE, replies_to_bot=replies_to(message, bot)
        ),
        max_buttons=MAX_BUTTONS,
    )


def replies_to(message: Message, bot: Bot) -> bool:
    """Whether the message replies to one of this bot's messages (in a group, a guided step's
    answer: adapters/telegram/asking.py)."""
    original = message.reply_to_message
    return (
        original is not None and original.from_user is not None and original.from_user.id == bot.id
    )


def reads_answers(where: TgChat) -> bool:
    """Whether a person's answer to a guided step's question reaches the bot here: in a private
    chat always; in a group too, in privacy mode as well (the default: the bot gets commands and
    replies to its own messages only), because the question is asked as one to reply to
    (adapters/telegram/asking.py: ForceReply, or a hint to reply where it has buttons)."""
    return where.type in (ChatType.PRIVATE, ChatType.GROUP, ChatType.SUPERGROUP)


def _text_mention(message: Message) -> TgUser | None:
    """The first person named by a text_mention entity (someone without a username)."""
    entities = message.entities if message.text else message.caption_entities
    for entity in entities:
        if entity.type == MessageEntity.TEXT_MENTION and entity.user and not entity.user.is_bot:
            return entity.user
    return None


def button_request(update: Update, bot: Bot) -> Request | None:
    query = update.callback_query
    if query is None or query.data is None or query.message is None:
        return None
    return Request(
        sender=person(query.from_user),
        chat=chat(query.message.chat),
        button=query.data,
        update_id=update.update_id,
        typed_answers=reads_answers(query.message.chat),
        max_buttons=MAX_BUTTONS,
    )


def _picture(message: Message, bot: Bot) -> Photo | None:
    """A photo's largest size, or a picture sent as a file (uncompressed, "send as file")."""
    if message.photo:
        size = message.photo[-1]
        return _photo(size.file_id, f"{size.file_unique_id}.jpg", size.file_size, bot)
    document = message.document
    if document is not None and (document.mime_type or "").startswith("image/"):
        name = document.file_name or document.file_unique_id
        return _photo(document.file_id, name, document.file_size, bot)
    return None


def _photo(file_id: str, file_name: str, size: int | None, bot: Bot) -> Photo:
    """A picture, fetched through getFile and the file URL when needed."""

    async def load() -> bytes:
        try:
            file = await bot.get_file(file_id)
            return bytes(await file.download_as_bytearray())
        except TelegramError as exc:
            raise InvalidInput(
                "I couldn't download that photo from Telegram (bots can fetch photos up to "
                "20 MB). Please send it again, or a smaller one."
            ) from exc

    return Photo(load=load, file_name=file_name, size=size)
