"""Bot API method implementations of the fake (everything except getUpdates' long poll)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

from tests.fakes.telegram_markup import parse_entities
from tests.fakes.telegram_members import MemberChanges
from tests.fakes.telegram_models import (
    JSON,
    MAX_DOWNLOAD_SIZE,
    ApiError,
    CallbackAnswer,
    EditRecord,
    FakeChat,
    FileEntry,
    StoredMessage,
    UploadedFile,
    WebhookConfig,
    image_size,
    make_png,
)
from tests.fakes.telegram_spec import FilePart
from tests.fakes.telegram_state import scope_key

MAX_PHOTO_UPLOAD = 10 * 1024 * 1024
MAX_DOCUMENT_UPLOAD = 50 * 1024 * 1024
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)


_USER_LINK = re.compile(r"tg://user\?id=(\d+)")


def _violation(description: str) -> ApiError:
    return ApiError(400, description, violation=True)


class MethodHandlers(MemberChanges):
    """Synchronous Bot API methods: take decoded params, return the result or raise ApiError."""

    def call_method(self, method: str, params: JSON, files: dict[str, UploadedFile]) -> Any:
        handler: Callable[[JSON, dict[str, UploadedFile]], Any] | None = getattr(
            self, f"api_{method}", None
        )
        if handler is None:
            raise ApiError(501, f"Not Implemented: the fake does not implement {method}")
        return handler(params, files)

    # ------------------------------------------------------------------ helpers
    def _chat(self, chat_id: Any) -> FakeChat:
        chat = self.resolve_chat(chat_id)
        if chat is None:
            if isinstance(chat_id, int) and chat_id in self.users:
                raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
            raise ApiError(400, "Bad Request: chat not found")
        return chat

    def _reply_target(self, chat: FakeChat, params: JSON) -> StoredMessage | None:
        reply = params.get("reply_parameters")
        if not reply:
            return None
        target = self.message(chat.id, int(reply["message_id"]))
        if target is None or target.deleted:
            if not reply.get("allow_sending_without_reply"):
                raise ApiError(400, "Bad Request: message to be replied not found")
            return None  # sent, as no reply
        return target

    def _parse(self, text: str, params: JSON, entities_key: str) -> tuple[str, list[JSON]]:
        explicit = params.get(entities_key)
        if explicit:
            return text, list(explicit)
        plain, entities = parse_entities(text, params.get("parse_mode"))
        return plain, [m for e in entities if (m := self._mention(e)) is not None]

    def _mention(self, entity: JSON) -> JSON | None:
        """A link to tg://user?id=N becomes a text_mention of that user, as Telegram makes it
        (dropped when the bot does not know them)."""
        match = _USER_LINK.fullmatch(str(entity.get("url", "")))
        if entity["type"] != "text_link" or match is None:
            return entity
        user = self.users.get(int(match.group(1)))
        if user is None:
            return None
        return {
            "type": "text_mention",
            "offset": entity["offset"],
            "length": entity["length"],
            "user": user.to_api(),
        }

    def _new_bot_message(self, chat: FakeChat, params: JSON, method: str) -> StoredMessage:
        thread = params.get("message_thread_id")
        if chat.type == "channel" and "force_reply" in (params.get("reply_markup") or {}):
            raise _violation("Bad Request: ForceReply is not supported in channels")
        if thread is not None and (not chat.is_forum or thread not in chat.topics):
            raise ApiError(400, "Bad Request: message thread not found")
        return StoredMessage(
            message_thread_id=thread,
            chat=chat,
            message_id=self._new_message_id(chat.id),
            date=int(time.time()),
            from_user=None if chat.type == "channel" else self.bot_user,
            sender_chat=chat if chat.type == "channel" else None,
            parse_mode=params.get("parse_mode"),
            reply_markup=params.get("reply_markup"),
            reply_to=self._reply_target(chat, params),
            method=method,
        )

    def _sent(self, message: StoredMessage) -> JSON:
        now = time.monotonic()
        self.send_times.setdefault(message.chat_id, []).append(now)
        self.all_send_times.append(now)
        return self._store(message).to_api()

    def _editable(self, params: JSON) -> StoredMessage:
        if "inline_message_id" in params:
            raise ApiError(400, "Bad Request: inline messages are not supported by the fake")
        chat = self._chat(params["chat_id"])
        message = self.message(chat.id, params["message_id"])
        if message is None or message.deleted:
            raise ApiError(400, "Bad Request: message to edit not found")
        if not message.from_bot:  # user messages and channel posts injected by tests
            raise ApiError(400, "Bad Request: message can't be edited")
        return message

    def _apply_edit(self, message: StoredMessage, method: str, changes: JSON) -> JSON:
        before = {key: getattr(message, key) for key in changes}
        if before == changes:
            raise ApiError(400, NOT_MODIFIED)
        for key, value in changes.items():
            setattr(message, key, value)
        message.edit_date = int(time.time())
        message.edits.append(EditRecord(method, time.monotonic(), before, dict(changes)))
        self._touch()
        return message.to_api()

    def force_reply_targets(self, message: StoredMessage) -> set[int] | None:
        """Whose Telegram clients open a reply to this bot message (ForceReply): None for
        everyone in the chat (not selective); else, per the spec's `selective`, the users
        mentioned in its text and the author of the message it replies to in the same chat
        and topic. An empty set without ForceReply."""
        markup = message.reply_markup or {}
        if not markup.get("force_reply"):
            return set()
        if not markup.get("selective"):
            return None
        targets = {e["user"]["id"] for e in message.entities if e["type"] == "text_mention"}
        text = (message.plain_text or "").encode("utf-16-le")
        for entity in message.entities:
            if entity["type"] == "mention":
                start, end = 2 * entity["offset"], 2 * (entity["offset"] + entity["length"])
                name = text[start:end].decode("utf-16-le").removeprefix("@").lower()
                targets |= {u.id for u in self.users.values() if (u.username or "").lower() == name}
        original = message.reply_to
        if (
            original is not None
            and original.from_user is not None
            and original.message_thread_id == message.message_thread_id
        ):
            targets.add(original.from_user.id)
        return targets

    @property
    def edits(self) -> list[tuple[StoredMessage, EditRecord]]:
        """Every edit applied to a bot message, in order."""
        found = [(m, e) for m in self.sent_messages for e in m.edits]
        return sorted(found, key=lambda pair: pair[1].at)

    # ---------------------------------------------------------------- bot/info
    def api_getMe(self, params: JSON, files: dict[str, UploadedFile]) -> JSON:
        return {
            **self.bot_user.to_api(),
            "can_join_groups": True,
            "can_read_all_group_messages": not self.privacy_mode,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def api_getChat(self, params: JSON, files: dict[str, UploadedFile]) -> JSON:
        chat = self._chat(params["chat_id"])
        info = {**chat.to_api(), "accent_color_id": 0, "max_reaction_count": 11}
        return self._fill_required("ChatFullInfo", info)

    def api_getChatMember(self, params: JSON, files: dict[str, UploadedFile]) -> JSON:
        chat = self._chat(params["chat_id"])
        user_id = params["user_id"]
        user = self.bot_user if user_id == self.bot_user.id else self.users.get(user_id)
        if user is None:
            raise ApiError(400, "Bad Request: user not found")
        if user is self.bot_user:
            status = self.bot_status(chat)
        else:
            status = self.member_status.get((chat.id, user_id), "member")
        return self.chat_member(user, status)

    # ----------------------------------------------------------------- webhook
    def api_setWebhook(self, params: JSON, files: dict[str, UploadedFile]) -> bool:
        if not params["url"]:
            return self.api_deleteWebhook(params, files)
        self.webhook = WebhookConfig(
            url=params["url"],
            secret_token=params.get("secret_token"),
            allowed_updates=params.get("allowed_updates") or None,
            max_connections=params.get("max_connections", 40),
            ip_address=params.get("ip_address"),
        )
        if params.get("drop_pending_updates"):
            self.pending_updates.clear()
        for update in self.pending_updates:
            if self._allowed(update, self.webhook.allowed_updates):
                self._webhook_queue.put_nowait(update)
        self.pending_updates.clear()
        self._touch()
        return True

    def api_deleteWebhook(self, params: JSON, files: dict[str, UploadedFile]) -> bool:
        self.webhook = None
        if params.get("drop_pending_updates"):
            self.pending_updates.clear()
        while not self._webhook_queue.empty():
            update = self._webhook_queue.get_nowait()
            if not params.get("drop_pending_updates"):
                self.pending_updates.append(update)
        self._touch()
        return True

    def api_getWebhookInfo(self, params: JSON, files: dict[str, UploadedFile]) -> JSON:
        hook = self.webhook
        if hook is None:
            return {
                "url": "",
                "has_custom_certificate": False,
                "pending_update_count": len(self.pending_updates),
            }
        info: JSON = {
            "url": hook.url,
            "has_custom_certificate": False,
            "pending_update_count": self._webhook_queue.qsize(),
            "max_connections": hook.max_connections,
        }
        if hook.allowed_updates:
            info["allowed_updates"] = hook.allowed_updates
        if hook.ip_address:
            info["ip_address"] = hook.ip_address
        if hook.last_error_date is not None:
            info["last_error_date"] = hook.last_error_date
            info["last_error_message"] = hook.last_error_message
        return info

    # ---------------------------------------------------------------- messages
    def api_sendMessage(self, params: JSON, files: dict[str, UploadedFile]) -> JSON:
        chat = self._chat(params["chat_id"])
        message = self._new_bot_message(chat, params, "sendMessage")
        message.text = params["text"]
        message.plain_text, message.entities = self._parse(params["text"], params, "entities")
        return self._sent(message)

    def api_sendPhoto(self, params: JSON, files: dict[str, UploadedFile]) -> JSON:
        chat = self._chat(params["chat_id"])
        entry = self._photo_entry(params["photo"], files)
        message = self._new_bot_message(chat, params, "sendPhoto")
        message.photo = entry.data
        message.photo_sizes = [entry.photo_size()]
        if params.get("caption"):
            message.caption = params["caption"]
            message.plain_caption, message.caption_entities = self._parse(
                params["caption"], params, "caption_entities"
            )
        return self._sent(message)

    def api_sendDocument(self, params: JSON, files: dict[str, UploadedFile]) -> JSON:
        chat = self._chat(params["chat_id"])
        document = params["document"]
        if not (isinstance(document, FilePart) or str(document).startswith("attach://")):
            raise _violation("Bad Request: the fake accepts uploaded documents only")
        name = document.name if isinstance(document, FilePart) else document[len("attach://") :]
        upload = files[name]
        if len(upload.data) > MAX_DOCUMENT_UPLOAD:
            raise _violation("Bad Request: file is too big (at most 50 MB)")
        entry = self.add_file(upload.data, kind="documents")
        message = self._new_bot_message(chat, params, "sendDocument")
        message.document_data = upload.data
        message.document = {
            "file_id": entry.file_id,
            "file_unique_id": entry.file_unique_id,
            "file_name": upload.filename or "file",
            "file_size": entry.file_size,
        }
        if upload.content_type:
            message.document["mime_type"] = upload.content_type
        return self._sent(message)

    def _photo_entry(self, photo: Any, files: dict[str, UploadedFile]) -> FileEntry:
        if isinstance(photo, FilePart) or str(photo).startswith("attach://"):
            name = photo.name if isinstance(photo, FilePart) else photo.removeprefix("attach://")
            data = files[name].data
            if len(data) > MAX_PHOTO_UPLOAD:
                raise _violation("Bad Request: photo is too big (at most 10 MB)")
            size = image_size(data)
            if size is None:
                raise _violation("Bad Request: IMAGE_PROCESS_FAILED")
            width, height = size
            if width + height > 10000 or max(width, height) > 20 * min(width, height):
                raise _violation("Bad Request: PHOTO_INVALID_DIMENSIONS")
            return self.add_file(data, kind="photos", width=width, height=height)
        if photo in self.files:
            return self.files[photo]
        if str(photo).startswith(("http://", "https://")):
            return self.add_file(make_png(320, 320), kind="photos", width=320, height=320)
        raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")

    def api_editMessageText(self, params: JSON, files: dict[str, UploadedFile]) -> JSON:
        message = self._editable(params)
        if message.plain_text is None:
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        plain, entities = self._parse(params["text"], params, "entities")
        changes = {
            "plain_text": plain,
            "entities": entities,
            "reply_markup": params.get("reply_markup"),  # omitted: Telegram drops the keyboard
        }
        if (message.plain_text, message.entities, message.reply_markup) == tuple(changes.values()):
            raise ApiError(400, NOT_MODIFIED)
        changes.update(text=params["text"], parse_mode=params.get("parse_mode"))
        return self._apply_edit(message, "editMessageText", changes)

    def api_editMessageCaption(self, params: JSON, files: dict[str, UploadedFile]) -> JSON:
        message = self._editable(params)
        if not message.photo_sizes:
            raise ApiError(400, "Bad Request: there is no caption in the message to edit")
        caption = params.get("caption") or ""
        plain, entities = self._parse(caption, params, "caption_entities")
        changes = {
            "plain_caption": plain or None,
            "caption_entities": entities,
            "reply_markup": params.get("reply_markup"),
        }
        if (message.plain_caption, message.caption_entities, message.reply_markup) == tuple(
            changes.values()
        ):
            raise ApiError(400, NOT_MODIFIED)
        changes.update(caption=caption or None, parse_mode=params.get("parse_mode"))
        return self._apply_edit(message, "editMessageCaption", changes)

    def api_editMessageReplyMarkup(self, params: JSON, files: dict[str, UploadedFile]) -> JSON:
        message = self._editable(params)
        return self._apply_edit(
            message, "editMessageReplyMarkup", {"reply_markup": params.get("reply_markup")}
        )

    def api_deleteMessage(self, params: JSON, files: dict[str, UploadedFile]) -> bool:
        chat = self._chat(params["chat_id"])
        message = self.message(chat.id, params["message_id"])
        if message is None or message.deleted:
            raise ApiError(400, "Bad Request: message to delete not found")
        message.deleted = True
        self._touch()
        return True

    def api_sendChatAction(self, params: JSON, files: dict[str, UploadedFile]) -> bool:
        chat = self._chat(params["chat_id"])
        self.chat_actions.append((chat.id, params["action"]))
        return True

    def api_answerCallbackQuery(self, params: JSON, files: dict[str, UploadedFile]) -> bool:
        query = self.callback_queries.get(params["callback_query_id"])
        too_late = query is not None and (
            time.monotonic() - query.pressed_at > self.callback_answer_window
        )
        if query is None or query.answered or too_late:
            raise ApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        query.answered = True
        self.callback_answers.append(
            CallbackAnswer(
                callback_query_id=query.id,
                text=params.get("text"),
                show_alert=bool(params.get("show_alert", False)),
                url=params.get("url"),
                cache_time=params.get("cache_time"),
                at=time.monotonic(),
            )
        )
        self._touch()
        return True

    # ---------------------------------------------------------------- commands
    def api_setMyCommands(self, params: JSON, files: dict[str, UploadedFile]) -> bool:
        key = (scope_key(params.get("scope")), params.get("language_code") or "")
        self.commands[key] = list(params["commands"])
        self._touch()
        return True

    def api_getMyCommands(self, params: JSON, files: dict[str, UploadedFile]) -> list[JSON]:
        key = (scope_key(params.get("scope")), params.get("language_code") or "")
        return self.commands.get(key, [])

    def api_deleteMyCommands(self, params: JSON, files: dict[str, UploadedFile]) -> bool:
        self.commands.pop((scope_key(params.get("scope")), params.get("language_code") or ""), None)
        self._touch()
        return True

    # ------------------------------------------------------------------- files
    def api_getFile(self, params: JSON, files: dict[str, UploadedFile]) -> JSON:
        entry = self.files.get(params["file_id"])
        if entry is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        result: JSON = {
            "file_id": entry.file_id,
            "file_unique_id": entry.file_unique_id,
            "file_size": entry.file_size,
        }
        if entry.file_size > MAX_DOWNLOAD_SIZE:
            raise ApiError(400, "Bad Request: file is too big")
        result["file_path"] = entry.file_path
        return result
