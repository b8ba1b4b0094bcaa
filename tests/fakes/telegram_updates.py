"""Update injection helpers: realistic Update JSON for what users do in Telegram."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence

from tests.fakes.changes import WAIT
from tests.fakes.telegram_models import (
    GROUP_ANONYMOUS_BOT_ID,
    JSON,
    CallbackQueryRecord,
    FakeChat,
    FakeUser,
    FileEntry,
    StoredMessage,
    detect_entities,
    image_size,
    make_png,
    utf16_len,
)
from tests.fakes.telegram_state import DEFAULT_PHOTO_SIZES, TelegramState


class UpdateInjection(TelegramState):
    """Each helper stores the user's message (if any), queues the update (getUpdates) or hands it
    to the webhook, and returns the Update JSON."""

    def _user_message(
        self,
        chat: FakeChat,
        user: FakeUser | None,
        *,
        text: str | None = None,
        sender_chat: FakeChat | None = None,
        reply_to: StoredMessage | None = None,
        thread: int | None = None,
    ) -> StoredMessage:
        assert thread is None or thread in chat.topics, "no such topic in the chat"
        message = StoredMessage(
            message_thread_id=thread,
            chat=chat,
            message_id=self._new_message_id(chat.id),
            date=int(time.time()),
            from_user=user,
            sender_chat=sender_chat,
            text=text,
            plain_text=text,
            entities=detect_entities(text) if text else [],
            reply_to=reply_to,
        )
        return self._store(message)

    def reaches_bot(self, message: StoredMessage) -> bool:
        """Whether Telegram sends the bot this message of a person. Outside groups, to an admin
        bot and with privacy mode off: all of them. Else (privacy mode, Telegram's default)
        only commands (not those naming another bot), messages mentioning the bot, replies to
        the bot's messages and service messages (here: a group's upgrade)."""
        chat = message.chat
        if not chat.is_group or not self.privacy_mode:
            return True
        if self.bot_status(chat) in ("administrator", "creator"):
            return True
        if message.migrate_to_chat_id is not None or message.migrate_from_chat_id is not None:
            return True
        original = message.reply_to
        if original is not None and original.from_user is self.bot_user:
            return True
        text = (message.plain_text or message.plain_caption or "").encode("utf-16-le")
        me = (self.bot_user.username or "").lower()
        for entity in message.entities if message.plain_text else message.caption_entities:
            start, end = 2 * entity["offset"], 2 * (entity["offset"] + entity["length"])
            word = text[start:end].decode("utf-16-le", errors="replace")
            if entity["type"] == "bot_command" and entity["offset"] == 0:
                target = word.partition("@")[2].lower()
                return not target or target == me
            if entity["type"] == "mention" and word[1:].lower() == me:
                return True
        return False

    def _message_update(self, message: StoredMessage) -> JSON:
        """The update of a person's message, queued when it reaches the bot (`reaches_bot`);
        else the message is kept in `withheld` and its update (without update_id) returned."""
        key = "channel_post" if message.chat.type == "channel" else "message"
        if not self.reaches_bot(message):
            self.withheld.append(message)
            return {key: message.to_api()}
        return self.inject({key: message.to_api()})

    def send_text(
        self,
        text: str,
        *,
        chat: FakeChat | None = None,
        user: FakeUser | None = None,
        reply_to: StoredMessage | None = None,
        thread: int | None = None,
    ) -> JSON:
        """A user writes `text` (entities such as bot_command are detected like clients do).
        Default: the default user in their private chat with the bot; `thread`: in that forum
        topic of the chat."""
        user = user or self.default_user
        chat = chat or self.private_chat(user)
        message = self._user_message(chat, user, text=text, reply_to=reply_to, thread=thread)
        return self._message_update(message)

    def send_text_mentioning(
        self,
        text: str,
        mentioned: FakeUser,
        *,
        chat: FakeChat | None = None,
        user: FakeUser | None = None,
    ) -> JSON:
        """`text` followed by a mention of `mentioned` as clients make it for someone picked from
        the member list: @username (a mention entity) when they have one, else their name with a
        text_mention entity carrying their user object."""
        user = user or self.default_user
        chat = chat or self.private_chat(user)
        if mentioned.username:
            return self.send_text(f"{text}@{mentioned.username}", chat=chat, user=user)
        name = " ".join(p for p in (mentioned.first_name, mentioned.last_name) if p)
        message = self._user_message(chat, user, text=text + name)
        message.entities = [
            *detect_entities(text),
            {
                "type": "text_mention",
                "offset": utf16_len(text),
                "length": utf16_len(name),
                "user": mentioned.to_api(),
            },
        ]
        return self._message_update(message)

    def forward_text(
        self,
        text: str,
        *,
        origin: FakeUser,
        chat: FakeChat | None = None,
        user: FakeUser | None = None,
    ) -> JSON:
        """`user` forwards a text message `origin` wrote (forward_origin of type "user"); the
        text keeps its entities, commands included, as Telegram forwards them."""
        user = user or self.default_user
        chat = chat or self.private_chat(user)
        message = self._user_message(chat, user, text=text)
        message.forward_origin = {
            "type": "user",
            "date": int(time.time()) - 60,
            "sender_user": origin.to_api(),
        }
        return self._message_update(message)

    def send_command(
        self,
        command: str,
        args: str = "",
        *,
        chat: FakeChat | None = None,
        user: FakeUser | None = None,
        mention_bot: bool = False,
    ) -> JSON:
        """/command[@BotName] [args], e.g. send_command("checkin", "run", chat=group)."""
        text = "/" + command.lstrip("/")
        if mention_bot:
            text += f"@{self.bot_user.username}"
        return self.send_text(f"{text} {args}".rstrip(), chat=chat, user=user)

    def send_photo(
        self,
        *,
        chat: FakeChat | None = None,
        user: FakeUser | None = None,
        caption: str | None = None,
        sizes: Iterable[tuple[int, int]] = DEFAULT_PHOTO_SIZES,
        data: bytes | None = None,
        largest_file_size: int | None = None,
        thread: int | None = None,
    ) -> JSON:
        """A user sends a photo: one PhotoSize per entry of `sizes` (smallest first), each backed
        by a real PNG; `data` replaces the bytes of the largest size."""
        user = user or self.default_user
        chat = chat or self.private_chat(user)
        sizes = list(sizes)
        entries: list[FileEntry] = []
        for index, (width, height) in enumerate(sizes):
            last = index == len(sizes) - 1
            blob = data if last and data is not None else make_png(width, height)
            if last and data is not None:
                width, height = image_size(blob) or (width, height)
            declared = largest_file_size if last else None
            entries.append(
                self.add_file(
                    blob, declared_size=declared, kind="photos", width=width, height=height
                )
            )
        message = self._user_message(chat, user, thread=thread)
        message.photo = entries[-1].data
        message.photo_sizes = [entry.photo_size() for entry in entries]
        return self._message_update(_captioned(message, caption))

    def send_album(
        self,
        photos: Sequence[bytes],
        *,
        chat: FakeChat | None = None,
        user: FakeUser | None = None,
        caption: str | None = None,
        thread: int | None = None,
    ) -> list[JSON]:
        """A user sends several photos at once (an album), as Telegram delivers it: one message
        per photo, with consecutive ids and the same media_group_id, each in its own update, and
        the caption typed for the album on the first message only."""
        return [self._message_update(m) for m in self._album(photos, chat, user, caption, thread)]

    async def send_album_split(
        self,
        photos: Sequence[bytes],
        *,
        split: int = 1,
        chat: FakeChat | None = None,
        user: FakeUser | None = None,
        caption: str | None = None,
        timeout: float = WAIT,  # noqa: ASYNC109
    ) -> list[JSON]:
        """`send_album`, with the album's messages reaching the bot in two getUpdates answers:
        the first `split` of them, then (once the bot has fetched those) the rest, as happens
        when Telegram gets the album's messages around the moment the bot polls."""
        messages = self._album(photos, chat, user, caption, None)
        first = [self._message_update(m) for m in messages[:split]]
        last_id = first[-1]["update_id"]

        def fetched() -> bool | None:
            answers = (call.response.get("result") for call in self.calls_of("getUpdates"))
            return (
                any(u.get("update_id") == last_id for answer in answers if answer for u in answer)
                or None
            )

        await self.wait_for(fetched, timeout=timeout, what="the album's first messages fetched")
        return first + [self._message_update(m) for m in messages[split:]]

    def _album(
        self,
        photos: Sequence[bytes],
        chat: FakeChat | None,
        user: FakeUser | None,
        caption: str | None,
        thread: int | None,
    ) -> list[StoredMessage]:
        assert 2 <= len(photos) <= 10, "an album has 2 to 10 photos"
        user = user or self.default_user
        chat = chat or self.private_chat(user)
        group_id = str(13_000_000_000_000_000 + self._next())
        messages: list[StoredMessage] = []
        for index, data in enumerate(photos):
            width, height = image_size(data) or DEFAULT_PHOTO_SIZES[-1]
            small = self.add_file(make_png(90, 90), kind="photos", width=90, height=90)
            large = self.add_file(data, kind="photos", width=width, height=height)
            message = self._user_message(chat, user, thread=thread)
            message.media_group_id = group_id
            message.photo = data
            message.photo_sizes = [small.photo_size(), large.photo_size()]
            messages.append(_captioned(message, caption if index == 0 else None))
        return messages

    def send_document(
        self,
        data: bytes,
        *,
        file_name: str,
        mime_type: str,
        chat: FakeChat | None = None,
        user: FakeUser | None = None,
        caption: str | None = None,
    ) -> JSON:
        """A user sends a file ("send as file": a picture arrives uncompressed, as a document)."""
        user = user or self.default_user
        chat = chat or self.private_chat(user)
        entry = self.add_file(data, kind="documents")
        message = self._user_message(chat, user)
        message.document = {
            "file_id": entry.file_id,
            "file_unique_id": entry.file_unique_id,
            "file_name": file_name,
            "mime_type": mime_type,
            "file_size": entry.file_size,
        }
        return self._message_update(_captioned(message, caption))

    def press_button(
        self,
        message: StoredMessage,
        *,
        data: str | None = None,
        text: str | None = None,
        user: FakeUser | None = None,
    ) -> JSON:
        """A user presses the inline button of a bot message with this callback_data (or label
        text; with neither, the first callback button)."""
        current = self.message(message.chat_id, message.message_id)
        assert current is not None and not current.deleted, "the message no longer exists"
        buttons = [b for b in current.buttons() if "callback_data" in b]
        chosen = next(
            (
                b
                for b in buttons
                if (data is None or b["callback_data"] == data)
                and (text is None or b["text"] == text)
            ),
            None,
        )
        assert chosen is not None, f"no button {data or text!r} in {current.reply_markup}"
        user = user or self.default_user
        query = CallbackQueryRecord(
            str(4_000_000_000_000_000 + self._next()), user, current, chosen["callback_data"]
        )
        self.callback_queries[query.id] = query
        return self.inject(
            {
                "callback_query": {
                    "id": query.id,
                    "from": user.to_api(),
                    "message": current.to_api(),
                    "chat_instance": str(abs(current.chat_id * 7919) % 10**18),
                    "data": query.data,
                }
            }
        )

    def edit_user_message(self, message: StoredMessage, new_text: str) -> JSON:
        """The author edits an earlier message (edited_message / edited_channel_post update)."""
        message.text = message.plain_text = new_text
        message.entities = detect_entities(new_text)
        message.edit_date = int(time.time())
        self._touch()
        key = "edited_channel_post" if message.chat.type == "channel" else "edited_message"
        if not self.reaches_bot(message):
            self.withheld.append(message)
            return {key: message.to_api()}
        return self.inject({key: message.to_api()})

    def channel_post(self, text: str, *, channel: FakeChat | None = None) -> JSON:
        channel = channel or self.new_channel()
        message = self._user_message(channel, None, text=text, sender_chat=channel)
        return self._message_update(message)

    def send_as_anonymous_admin(
        self, text: str, *, group: FakeChat, signature: str | None = None
    ) -> JSON:
        """A message of an anonymous group admin: from GroupAnonymousBot, sender_chat = group."""
        admin = self.users.get(GROUP_ANONYMOUS_BOT_ID) or FakeUser(
            GROUP_ANONYMOUS_BOT_ID, "Group", "GroupAnonymousBot", language_code=None, is_bot=True
        )
        self.users[admin.id] = admin
        message = self._user_message(group, admin, text=text, sender_chat=group)
        message.author_signature = signature
        return self._message_update(message)

    def upgrade_group(self, group: FakeChat, *, by: FakeUser | None = None) -> FakeChat:
        """A basic group becomes a supergroup with a new id, as Telegram does it: a service
        message with migrate_to_chat_id in the old chat, one with migrate_from_chat_id in the
        new chat, and from now on calls naming the old id answer 400 + migrate_to_chat_id."""
        assert group.type == "group", "only a basic group can be upgraded"
        number, self._next_group_id = self._next_group_id, self._next_group_id + 1
        new = FakeChat(-(1_001_000_000_000 + number), "supergroup", group.title, group.username)
        self.chats[new.id] = new
        user = by or self.default_user
        old_note = self._user_message(group, user)
        old_note.migrate_to_chat_id = new.id
        self._message_update(old_note)
        new_note = self._user_message(new, user)
        new_note.migrate_from_chat_id = group.id
        self._message_update(new_note)
        self.migrated_chats[group.id] = new.id
        return new


def _captioned(message: StoredMessage, caption: str | None) -> StoredMessage:
    """The message with `caption` (entities detected as clients do), when there is one."""
    if caption:
        message.caption = message.plain_caption = caption
        message.caption_entities = detect_entities(caption)
    return message
