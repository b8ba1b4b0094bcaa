"""Data records of the fake Discord server: users, guilds, channels, messages, interactions, calls.

Every record knows how to render itself as the JSON object Discord would send (`to_api`), in the
shapes discord.py 2.x parses (discord/types/*.py).
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from typing import Any

JSON = dict[str, Any]

DISCORD_EPOCH_MS = 1_420_070_400_000
ALL_PERMISSIONS = str((1 << 51) - 1)
MEMBER_PERMISSIONS = "1071698660929"  # view, send, embed, attach, read history, reactions...
ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024

# message flags
EPHEMERAL = 1 << 6
LOADING = 1 << 7
IS_COMPONENTS_V2 = 1 << 15

# channel types
GUILD_TEXT = 0
DM = 1


def iso(timestamp: float | None = None) -> str:
    moment = dt.datetime.fromtimestamp(time.time() if timestamp is None else timestamp, dt.UTC)
    return moment.isoformat(timespec="microseconds")


class Snowflakes:
    """Time-based, strictly increasing snowflake ids (discord.py reads creation times from them)."""

    def __init__(self) -> None:
        self._last = 0

    def next(self) -> int:
        now = (int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22
        self._last = max(self._last + 1, now)
        return self._last


class ApiError(Exception):
    """An error answer: HTTP status plus Discord's {"code", "message"[, "errors"]} body."""

    def __init__(
        self,
        status: int,
        code: int,
        message: str,
        errors: JSON | None = None,
        *,
        violation: bool = False,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors
        self.violation = violation

    def payload(self) -> JSON:
        body: JSON = {"message": self.message, "code": self.code}
        if self.errors is not None:
            body["errors"] = self.errors
        return body


@dataclass(frozen=True)
class Problem:
    """One reason a request body is invalid; `path` addresses the offending field."""

    path: tuple[str | int, ...]
    code: str
    message: str

    def __str__(self) -> str:
        where = ".".join(str(p) for p in self.path) or "<body>"
        return f"{where}: {self.message} ({self.code})"


@dataclass
class FakeUser:
    id: int
    username: str
    global_name: str | None = None
    bot: bool = False

    @property
    def mention(self) -> str:
        return f"<@{self.id}>"

    def to_api(self) -> JSON:
        data: JSON = {
            "id": str(self.id),
            "username": self.username,
            "discriminator": "0",
            "global_name": self.global_name,
            "avatar": None,
            "public_flags": 0,
        }
        if self.bot:
            data["bot"] = True
        return data


@dataclass
class FakeRole:
    id: int
    name: str
    permissions: str = MEMBER_PERMISSIONS
    position: int = 0

    def to_api(self) -> JSON:
        return {
            "id": str(self.id),
            "name": self.name,
            "color": 0,
            "hoist": False,
            "icon": None,
            "unicode_emoji": None,
            "position": self.position,
            "permissions": self.permissions,
            "managed": False,
            "mentionable": False,
            "flags": 0,
        }


@dataclass
class FakeMember:
    user: FakeUser
    roles: list[int] = field(default_factory=list)
    joined_at: str = field(default_factory=iso)
    nick: str | None = None
    permissions: str = MEMBER_PERMISSIONS

    def to_api(self, *, with_user: bool = True, with_permissions: bool = False) -> JSON:
        data: JSON = {
            "roles": [str(r) for r in self.roles],
            "joined_at": self.joined_at,
            "nick": self.nick,
            "avatar": None,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
        }
        if with_user:
            data["user"] = self.user.to_api()
        if with_permissions:
            data["permissions"] = self.permissions
        return data


@dataclass
class FakeChannel:
    id: int
    type: int  # 0 guild text, 1 DM
    name: str | None = None
    guild_id: int | None = None
    position: int = 0
    topic: str | None = None
    recipient: FakeUser | None = None  # DM channels
    last_message_id: int | None = None

    @property
    def is_dm(self) -> bool:
        return self.type == DM

    def to_api(self) -> JSON:
        data: JSON = {
            "id": str(self.id),
            "type": self.type,
            "last_message_id": None if self.last_message_id is None else str(self.last_message_id),
            "flags": 0,
        }
        if self.is_dm:
            data["recipients"] = [self.recipient.to_api()] if self.recipient else []
            return data
        data.update(
            guild_id=str(self.guild_id),
            name=self.name,
            position=self.position,
            topic=self.topic,
            nsfw=False,
            parent_id=None,
            rate_limit_per_user=0,
            permission_overwrites=[],
        )
        return data


@dataclass
class FakeGuild:
    id: int
    name: str
    owner_id: int
    roles: list[FakeRole] = field(default_factory=list)
    channels: list[FakeChannel] = field(default_factory=list)
    members: dict[int, FakeMember] = field(default_factory=dict)

    def channel(self, name: str) -> FakeChannel:
        found = next((c for c in self.channels if c.name == name), None)
        assert found is not None, f"guild {self.name!r} has no channel #{name}"
        return found

    def summary(self) -> JSON:
        return {"id": str(self.id), "locale": "en-US", "features": []}

    def to_api(self, *, members: list[FakeMember] | None = None) -> JSON:
        """The GUILD_CREATE / GET /guilds/{id} object (`members`: those the gateway includes)."""
        listed = list(self.members.values()) if members is None else members
        return {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "owner_id": str(self.owner_id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "roles": [r.to_api() for r in self.roles],
            "emojis": [],
            "stickers": [],
            "features": [],
            "mfa_level": 0,
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "vanity_url_code": None,
            "description": None,
            "banner": None,
            "premium_tier": 0,
            "preferred_locale": "en-US",
            "public_updates_channel_id": None,
            "nsfw_level": 0,
            "premium_progress_bar_enabled": False,
            "joined_at": iso(),
            "large": False,
            "unavailable": False,
            "member_count": len(self.members),
            "voice_states": [],
            "members": [m.to_api() for m in listed],
            "channels": [c.to_api() for c in self.channels],
            "threads": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        }


@dataclass
class StoredAttachment:
    id: int
    filename: str
    data: bytes
    url: str
    content_type: str | None = None
    description: str | None = None
    ephemeral: bool = False

    def to_api(self) -> JSON:
        data: JSON = {
            "id": str(self.id),
            "filename": self.filename,
            "size": len(self.data),
            "url": self.url,
            "proxy_url": self.url,
        }
        if self.content_type:
            data["content_type"] = self.content_type
        if self.description:
            data["description"] = self.description
        if self.ephemeral:
            data["ephemeral"] = True
        return data


@dataclass
class MessageEdit:
    at: float
    before: JSON
    after: JSON


@dataclass
class StoredMessage:
    """A message in a channel: sent by the bot (`from_bot`) or injected as a user's message."""

    id: int
    channel: FakeChannel
    author: FakeUser
    from_bot: bool
    content: str = ""
    embeds: list[JSON] = field(default_factory=list)
    components: list[JSON] = field(default_factory=list)
    attachments: list[StoredAttachment] = field(default_factory=list)
    flags: int = 0
    type: int = 0
    created: float = field(default_factory=time.time)
    edited: float | None = None
    deleted: bool = False
    reference_id: int | None = None
    interaction_id: int | None = None  # created as (or after) the answer to this interaction
    webhook_id: int | None = None
    reactions: dict[str, list[int]] = field(default_factory=dict)  # emoji -> user ids
    edits: list[MessageEdit] = field(default_factory=list)
    via: str = "user"  # "rest", "callback", "followup" or "user"
    member: FakeMember | None = None
    mentions: list[FakeUser] = field(default_factory=list)

    @property
    def channel_id(self) -> int:
        return self.channel.id

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & EPHEMERAL)

    def buttons(self) -> list[JSON]:
        """Every button / select in the message, flattened (also inside V2 containers)."""
        found: list[JSON] = []

        def walk(items: list[JSON]) -> None:
            for item in items:
                if item.get("type") in (2, 3, 5, 6, 7, 8):
                    found.append(item)
                walk(item.get("components", []))
                if isinstance(item.get("accessory"), dict):
                    walk([item["accessory"]])

        walk(self.components)
        return found

    def custom_ids(self) -> list[str]:
        return [b["custom_id"] for b in self.buttons() if "custom_id" in b]

    def to_api(self, *, include_content: bool = True) -> JSON:
        data: JSON = {
            "id": str(self.id),
            "channel_id": str(self.channel.id),
            "author": self.author.to_api(),
            "content": self.content if include_content else "",
            "timestamp": iso(self.created),
            "edited_timestamp": None if self.edited is None else iso(self.edited),
            "tts": False,
            "mention_everyone": False,
            "mentions": [u.to_api() for u in self.mentions],
            "mention_roles": [],
            "attachments": [a.to_api() for a in self.attachments] if include_content else [],
            "embeds": list(self.embeds) if include_content else [],
            "components": list(self.components) if include_content else [],
            "pinned": False,
            "type": self.type,
            "flags": self.flags,
        }
        if self.channel.guild_id is not None:
            data["guild_id"] = str(self.channel.guild_id)
            if self.member is not None:
                data["member"] = self.member.to_api(with_user=False)
        if self.reference_id is not None:
            data["message_reference"] = {
                "type": 0,
                "message_id": str(self.reference_id),
                "channel_id": str(self.channel.id),
            }
        if self.webhook_id is not None:
            data["webhook_id"] = str(self.webhook_id)
            data["application_id"] = str(self.webhook_id)
        if self.reactions:
            data["reactions"] = [
                {"emoji": {"id": None, "name": e}, "count": len(u), "me": False, "burst": False}
                for e, u in self.reactions.items()
                if u
            ]
        return data


@dataclass
class UploadedFile:
    field: str
    filename: str
    content_type: str | None
    data: bytes


@dataclass
class RecordedCall:
    """One REST request as the fake saw it."""

    method: str
    path: str  # below /api/v10, e.g. /channels/123/messages
    query: dict[str, str]
    at: float  # time.monotonic()
    template: str | None = None  # the spec's path template, e.g. /channels/{channel_id}/messages
    params: dict[str, str] = field(default_factory=dict)  # path parameters
    body: Any = None  # JSON body, or payload_json of a multipart body
    files: list[UploadedFile] = field(default_factory=list)
    content_type: str = ""
    authorized: bool = False
    status: int = 200
    response: Any = None
    headers: dict[str, str] = field(default_factory=dict)  # of the response

    def __str__(self) -> str:
        return f"{self.method} {self.path} -> {self.status}"


@dataclass
class Violation:
    method: str
    path: str
    description: str
    problems: list[Problem]
    body: Any

    def __str__(self) -> str:
        details = "; ".join(str(p) for p in self.problems)
        suffix = f" ({details})" if details else ""
        return f"{self.method} {self.path}: {self.description}{suffix}"


@dataclass
class Fault:
    method: str | None  # None: any method
    pattern: str | None  # a spec template, or a regex matched against the path; None: any
    remaining: int
    status: int
    body: JSON
    retry_after: float | None = None
    hits: int = 0


@dataclass
class CallbackRecord:
    """An interaction response (POST /interactions/{id}/{token}/callback)."""

    interaction_id: int
    type: int
    data: JSON
    at: float
    files: list[UploadedFile] = field(default_factory=list)
    message: StoredMessage | None = None  # the created or updated message

    @property
    def ephemeral(self) -> bool:
        return bool(int(self.data.get("flags") or 0) & EPHEMERAL)

    @property
    def content(self) -> str:
        return str(self.data.get("content") or "")

    @property
    def choices(self) -> list[JSON]:
        return list(self.data.get("choices") or [])


@dataclass
class InteractionRecord:
    """An interaction injected through the gateway and everything the bot answered to it."""

    id: int
    token: str
    type: int  # 2 command, 3 component, 4 autocomplete, 5 modal submit
    payload: JSON
    user: FakeUser
    channel: FakeChannel
    created: float  # time.monotonic()
    message: StoredMessage | None = None  # the message of a component interaction
    callback: CallbackRecord | None = None
    original: StoredMessage | None = None  # the response message (type 4/5/7)
    followups: list[StoredMessage] = field(default_factory=list)

    @property
    def data(self) -> JSON:
        return dict(self.payload.get("data") or {})

    @property
    def acknowledged(self) -> bool:
        return self.callback is not None
