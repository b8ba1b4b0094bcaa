"""Data records of the fake Telegram Bot API server (users, chats, messages, calls, faults)."""

from __future__ import annotations

import re
import struct
import time
import zlib
from dataclasses import dataclass, field
from typing import Any

JSON = dict[str, Any]

GROUP_ANONYMOUS_BOT_ID = 1087968824
MAX_DOWNLOAD_SIZE = 20 * 1024 * 1024


class ApiError(Exception):
    """An error answer of the Bot API: HTTP status, description and optional parameters."""

    def __init__(
        self,
        status: int,
        description: str,
        parameters: JSON | None = None,
        *,
        violation: bool = False,
    ) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters
        self.violation = violation

    def payload(self) -> JSON:
        body: JSON = {"ok": False, "error_code": self.status, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


@dataclass
class FakeUser:
    id: int
    first_name: str
    username: str | None = None
    last_name: str | None = None
    language_code: str | None = "en"
    is_bot: bool = False

    def to_api(self) -> JSON:
        data: JSON = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        if self.language_code and not self.is_bot:
            data["language_code"] = self.language_code
        return data


@dataclass
class FakeChat:
    id: int
    type: str  # "private" | "group" | "supergroup" | "channel"
    title: str | None = None
    username: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    # A supergroup with topics: each message is in one topic (message_thread_id), or in
    # General (none); `topics` holds the ids of the topics that exist.
    is_forum: bool = False
    topics: set[int] = field(default_factory=set)

    @property
    def is_group(self) -> bool:
        return self.type in ("group", "supergroup")

    def to_api(self) -> JSON:
        data: JSON = {"id": self.id, "type": self.type}
        for key in ("title", "username", "first_name", "last_name", "is_forum"):
            value = getattr(self, key)
            if value:
                data[key] = value
        return data


@dataclass
class EditRecord:
    method: str
    at: float
    before: JSON
    after: JSON


@dataclass
class StoredMessage:
    """A message in a chat: sent by the bot (from_bot) or injected as a user's message."""

    chat: FakeChat
    message_id: int
    date: int
    from_user: FakeUser | None
    sender_chat: FakeChat | None = None
    text: str | None = None  # as sent: raw markup for the bot's messages
    plain_text: str | None = None  # visible text after entity parsing
    entities: list[JSON] = field(default_factory=list)
    caption: str | None = None
    plain_caption: str | None = None
    caption_entities: list[JSON] = field(default_factory=list)
    parse_mode: str | None = None
    reply_markup: JSON | None = None
    photo: bytes | None = None
    photo_sizes: list[JSON] = field(default_factory=list)
    document: JSON | None = None
    document_data: bytes | None = None
    reply_to: StoredMessage | None = None
    edit_date: int | None = None
    deleted: bool = False
    author_signature: str | None = None
    migrate_to_chat_id: int | None = None  # service messages of a group's upgrade
    migrate_from_chat_id: int | None = None
    message_thread_id: int | None = None  # the forum topic it is in (None: General)
    media_group_id: str | None = None  # the album it is one photo of
    forward_origin: JSON | None = None  # a forwarded message: who wrote it first (MessageOrigin)
    edits: list[EditRecord] = field(default_factory=list)
    method: str = "user"

    @property
    def chat_id(self) -> int:
        return self.chat.id

    @property
    def from_bot(self) -> bool:
        return self.method != "user"

    def buttons(self) -> list[JSON]:
        """All inline keyboard buttons, row by row."""
        rows = (self.reply_markup or {}).get("inline_keyboard") or []
        return [button for row in rows for button in row]

    def callback_data(self) -> list[str]:
        return [b["callback_data"] for b in self.buttons() if "callback_data" in b]

    def to_api(self, *, with_reply: bool = True) -> JSON:
        data: JSON = {"message_id": self.message_id, "date": self.date, "chat": self.chat.to_api()}
        if self.from_user is not None:
            data["from"] = self.from_user.to_api()
        if self.sender_chat is not None:
            data["sender_chat"] = self.sender_chat.to_api()
        if self.author_signature:
            data["author_signature"] = self.author_signature
        for key in ("migrate_to_chat_id", "migrate_from_chat_id"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        if self.edit_date is not None:
            data["edit_date"] = self.edit_date
        if self.forward_origin is not None:
            data["forward_origin"] = self.forward_origin
        if self.message_thread_id is not None:
            data["message_thread_id"] = self.message_thread_id
            data["is_topic_message"] = True
        if with_reply and self.reply_to is not None:
            data["reply_to_message"] = self.reply_to.to_api(with_reply=False)
        if self.plain_text is not None:
            data["text"] = self.plain_text
            if self.entities:
                data["entities"] = self.entities
        if self.media_group_id is not None:
            data["media_group_id"] = self.media_group_id
        if self.photo_sizes:
            data["photo"] = self.photo_sizes
        if self.document is not None:
            data["document"] = self.document
        if self.plain_caption:
            data["caption"] = self.plain_caption
            if self.caption_entities:
                data["caption_entities"] = self.caption_entities
        if self.reply_markup and "inline_keyboard" in self.reply_markup:
            data["reply_markup"] = self.reply_markup
        return data


@dataclass
class UploadedFile:
    name: str
    filename: str | None
    content_type: str | None
    data: bytes


@dataclass
class RecordedCall:
    method: str
    params: JSON  # decoded: ints, bools, parsed JSON objects
    raw_params: dict[str, Any]
    files: dict[str, UploadedFile]
    at: float  # time.monotonic()
    wall_time: float
    http_method: str
    content_type: str
    status: int = 200
    response: JSON = field(default_factory=dict)


@dataclass(frozen=True)
class Problem:
    path: str
    reason: str
    description: str  # Telegram-like error description sent back


@dataclass
class Violation:
    method: str
    description: str
    problems: list[Problem]
    params: dict[str, Any]

    def __str__(self) -> str:
        details = "; ".join(f"{p.path}: {p.reason}" for p in self.problems)
        return f"{self.method}: {self.description} ({details})"


@dataclass
class Fault:
    method: str | None
    remaining: int
    status: int
    description: str
    retry_after: int | None = None
    chat_id: int | str | None = None


@dataclass
class FileEntry:
    file_id: str
    file_unique_id: str
    data: bytes
    file_path: str
    file_size: int
    width: int = 0
    height: int = 0

    def photo_size(self) -> JSON:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "width": self.width,
            "height": self.height,
            "file_size": self.file_size,
        }


@dataclass
class CallbackQueryRecord:
    id: str
    user: FakeUser
    message: StoredMessage
    data: str
    answered: bool = False
    pressed_at: float = field(default_factory=time.monotonic)


@dataclass
class CallbackAnswer:
    callback_query_id: str
    text: str | None
    show_alert: bool
    url: str | None
    cache_time: int | None
    at: float


@dataclass
class WebhookConfig:
    url: str
    secret_token: str | None
    allowed_updates: list[str] | None
    max_connections: int
    ip_address: str | None
    last_error_date: int | None = None
    last_error_message: str | None = None


@dataclass
class WebhookDelivery:
    update_id: int
    url: str
    secret_token: str | None
    status: int | None
    error: str | None
    at: float = field(default_factory=time.monotonic)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


_COMMAND_RE = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![A-Za-z0-9_@])")
_MENTION_RE = re.compile(r"(?<![\w@])@[A-Za-z0-9_]{4,32}\b")
_HASHTAG_RE = re.compile(r"(?<![\w#])#\w+")
_URL_RE = re.compile(r"\bhttps?://[^\s<>\"]+")


def detect_entities(text: str) -> list[JSON]:
    """Entities Telegram clients attach to plain user text (commands, mentions, hashtags, URLs)."""
    found: list[tuple[int, int, str]] = []
    for kind, pattern in (
        ("bot_command", _COMMAND_RE),
        ("mention", _MENTION_RE),
        ("hashtag", _HASHTAG_RE),
        ("url", _URL_RE),
    ):
        for match in pattern.finditer(text):
            found.append((match.start(), match.end(), kind))
    found.sort()
    entities: list[JSON] = []
    last_end = -1
    for start, end, kind in found:
        if start < last_end:
            continue
        entities.append(
            {
                "type": kind,
                "offset": utf16_len(text[:start]),
                "length": utf16_len(text[start:end]),
            }
        )
        last_end = end
    return entities


def make_png(width: int, height: int, rgb: tuple[int, int, int] = (40, 160, 90)) -> bytes:
    """A real, decodable solid-colour PNG image (pure Python)."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        body = kind + payload
        return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(row * height, 6)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height of a PNG/JPEG/GIF/WebP image, or None when it is no decodable image."""
    try:
        import io

        from PIL import Image
    except ImportError:  # pragma: no cover - pillow is a project dependency
        if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
            width, height = struct.unpack(">II", data[16:24])
            return int(width), int(height)
        return None
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            return int(image.width), int(image.height)
    except Exception:
        return None
