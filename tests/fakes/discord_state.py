"""State of the fake Discord server: the world (users, guilds, channels), what the bot did
(calls, messages, interaction answers, commands), fault injection, rate-limit buckets and the
waiting helpers."""

from __future__ import annotations

import asyncio
import hashlib
import re
import time
from collections.abc import Callable, Iterable
from typing import TypeVar
from urllib.parse import quote

from tests.fakes.changes import WAIT, Changes
from tests.fakes.discord_models import (
    ALL_PERMISSIONS,
    DM,
    GUILD_TEXT,
    JSON,
    CallbackRecord,
    FakeChannel,
    FakeGuild,
    FakeMember,
    FakeRole,
    FakeUser,
    Fault,
    InteractionRecord,
    RecordedCall,
    Snowflakes,
    StoredAttachment,
    StoredMessage,
    Violation,
)
from tests.fakes.discord_spec import SPEC_PATH, DiscordApiSpec

T = TypeVar("T")

DEFAULT_TOKEN = "MTAxNTU5MDU0NjE2NTg1MjAyMA.FakeHL.habitlink-fake-discord-token"
DEFAULT_RETRY_AFTER = 0.05  # seconds; discord.py sleeps exactly this long before retrying
FAULT_BODIES: dict[int, JSON] = {
    400: {"message": "400: Bad Request", "code": 0},
    401: {"message": "401: Unauthorized", "code": 0},
    403: {"message": "Missing Access", "code": 50001},
    404: {"message": "404: Not Found", "code": 0},
    500: {"message": "500: Internal Server Error", "code": 0},
    502: {"message": "502: Bad Gateway", "code": 0},
    503: {"message": "503: Service Unavailable", "code": 0},
}
CANNOT_DM: JSON = {"message": "Cannot send messages to this user", "code": 50007}


class Intents:
    GUILDS = 1 << 0
    GUILD_MEMBERS = 1 << 1
    GUILD_PRESENCES = 1 << 8
    GUILD_MESSAGES = 1 << 9
    GUILD_MESSAGE_REACTIONS = 1 << 10
    DIRECT_MESSAGES = 1 << 12
    DIRECT_MESSAGE_REACTIONS = 1 << 13
    MESSAGE_CONTENT = 1 << 15
    PRIVILEGED = GUILD_MEMBERS | GUILD_PRESENCES | MESSAGE_CONTENT


def path_matches(pattern: str | None, call: RecordedCall) -> bool:
    """`pattern`: None (any), a spec template ("/channels/{channel_id}/messages") or a regex
    matched against the whole path ("/channels/123/messages")."""
    if pattern is None:
        return True
    if "{" in pattern and call.template == pattern:
        return True
    return re.fullmatch(pattern, call.path) is not None


class DiscordState(Changes):
    def __init__(
        self,
        *,
        token: str = DEFAULT_TOKEN,
        bot_name: str = "HabitLink",
        spec_path: str | None = None,
        rate_limit: int = 50,
        rate_window: float = 1.0,
        interaction_timeout: float = 3.0,
    ) -> None:
        self.token = token
        self.host = "127.0.0.1"
        self.port = 0
        self.ids = Snowflakes()
        self.bot_user = FakeUser(self.ids.next(), bot_name, bot_name, bot=True)
        self.application_id = self.bot_user.id
        self.spec = DiscordApiSpec.load(spec_path or str(SPEC_PATH))
        self.calls: list[RecordedCall] = []
        self.violations: list[Violation] = []
        self.users: dict[int, FakeUser] = {self.bot_user.id: self.bot_user}
        self.guilds: dict[int, FakeGuild] = {}
        self.channels: dict[int, FakeChannel] = {}
        self.messages: dict[int, dict[int, StoredMessage]] = {}  # channel id -> message id -> msg
        self.sent_messages: list[StoredMessage] = []  # by the bot, in order
        self.attachments: dict[int, StoredAttachment] = {}
        self.downloads: list[int] = []  # attachment ids served
        self.interactions: dict[int, InteractionRecord] = {}
        self.global_commands: list[JSON] = []
        self.guild_commands: dict[int, list[JSON]] = {}
        self.command_puts: list[tuple[int | None, list[JSON]]] = []  # (guild id or None, body)
        self.typing: list[int] = []  # channel ids of POST /channels/{id}/typing
        self.faults: list[Fault] = []
        self.blocked_dm_users: set[int] = set()
        self.rate_limit = rate_limit
        self.rate_window = rate_window
        self.interaction_timeout = interaction_timeout
        self._buckets: dict[str, tuple[float, int]] = {}  # key -> (window start, used)
        self._changed = asyncio.Event()
        self.default_user = self.new_user("alice", global_name="Alice")
        self.default_guild = self.new_guild("HabitLink Test Server", members=[self.default_user])
        self.default_channel = self.default_guild.channel("general")

    # ----------------------------------------------------------------- bookkeeping
    @property
    def http_base(self) -> str:
        return f"http://{self.host}:{self.port}"

    def _on_guild_created(self, guild: FakeGuild) -> None:
        """Hook: the gateway announces guilds created while the bot is connected."""

    def _on_channel_created(self, channel: FakeChannel) -> None:
        """Hook: the gateway announces channels created while the bot is connected."""

    def _attachment_url(self, channel_id: int, attachment_id: int, filename: str) -> str:
        return f"{self.http_base}/attachments/{channel_id}/{attachment_id}/{quote(filename)}"

    def add_attachment(
        self,
        channel_id: int,
        filename: str,
        data: bytes,
        *,
        content_type: str | None = None,
        description: str | None = None,
    ) -> StoredAttachment:
        """Bytes downloadable at the attachment's url (GET /attachments/...)."""
        attachment_id = self.ids.next()
        attachment = StoredAttachment(
            attachment_id,
            filename,
            data,
            self._attachment_url(channel_id, attachment_id, filename),
            content_type or guess_content_type(filename, data),
            description,
        )
        self.attachments[attachment_id] = attachment
        return attachment

    def _fix_attachment_urls(self) -> None:
        """Attachments made before start() learn the real port."""
        for attachment in self.attachments.values():
            _, _, rest = attachment.url.partition("/attachments/")
            attachment.url = f"{self.http_base}/attachments/{rest}"

    def _store(self, message: StoredMessage) -> StoredMessage:
        self.messages.setdefault(message.channel_id, {})[message.id] = message
        if message.from_bot:
            self.sent_messages.append(message)
        if not message.ephemeral:
            message.channel.last_message_id = message.id
        self._touch()
        return message

    def message(self, channel_id: int, message_id: int) -> StoredMessage | None:
        return self.messages.get(channel_id, {}).get(message_id)

    def messages_in(
        self, channel_id: int, *, include_deleted: bool = False, include_ephemeral: bool = True
    ) -> list[StoredMessage]:
        """Messages the bot sent to a channel, oldest first."""
        return [
            m
            for m in self.sent_messages
            if m.channel_id == channel_id
            and (include_deleted or not m.deleted)
            and (include_ephemeral or not m.ephemeral)
        ]

    def last_message(self, channel_id: int | None = None) -> StoredMessage:
        found = [m for m in self.sent_messages if channel_id is None or m.channel_id == channel_id]
        assert found, f"the bot sent no message{'' if channel_id is None else f' to {channel_id}'}"
        return found[-1]

    def calls_to(
        self, method: str | None = None, pattern: str | None = None, *, ok_only: bool = False
    ) -> list[RecordedCall]:
        return [
            c
            for c in self.calls
            if (method is None or c.method == method.upper())
            and path_matches(pattern, c)
            and (not ok_only or 200 <= c.status < 300)
        ]

    def commands_for(self, guild: FakeGuild | int | None = None) -> list[JSON]:
        """Registered commands: global (guild None) or of one guild."""
        if guild is None:
            return self.global_commands
        guild_id = guild if isinstance(guild, int) else guild.id
        return self.guild_commands.get(guild_id, [])

    def assert_no_violations(self) -> None:
        if self.violations:
            lines = "\n".join(f"  - {v}" for v in self.violations)
            raise AssertionError(f"{len(self.violations)} Discord API violation(s):\n{lines}")

    # ------------------------------------------------------------------- world
    def new_user(
        self, username: str = "bob", *, global_name: str | None = None, bot: bool = False
    ) -> FakeUser:
        user = FakeUser(self.ids.next(), username, global_name, bot=bot)
        self.users[user.id] = user
        return user

    def new_guild(
        self,
        name: str = "Habit Squad",
        *,
        channels: Iterable[str] = ("general", "habits"),
        members: Iterable[FakeUser] = (),
        owner: FakeUser | None = None,
    ) -> FakeGuild:
        """A guild with @everyone, the given text channels, the bot and `members` in it. While
        the bot is connected it receives GUILD_CREATE (it joined)."""
        guild_id = self.ids.next()
        owner = owner or next(iter(members), None) or self.bot_user
        guild = FakeGuild(guild_id, name, owner.id, roles=[FakeRole(guild_id, "@everyone")])
        self.guilds[guild_id] = guild
        for channel_name in channels:
            self.new_text_channel(guild, channel_name, announce=False)
        self.add_member(guild, self.bot_user)
        for user in members:
            self.add_member(guild, user)
        guild.members[owner.id].permissions = ALL_PERMISSIONS
        self._on_guild_created(guild)
        return guild

    def add_member(
        self, guild: FakeGuild, user: FakeUser, *, roles: Iterable[FakeRole] = ()
    ) -> FakeMember:
        member = FakeMember(user, [r.id for r in roles])
        guild.members[user.id] = member
        return member

    def new_role(self, guild: FakeGuild, name: str, *, permissions: str = "0") -> FakeRole:
        role = FakeRole(self.ids.next(), name, permissions, position=len(guild.roles))
        guild.roles.append(role)
        return role

    def new_text_channel(
        self, guild: FakeGuild, name: str, *, topic: str | None = None, announce: bool = True
    ) -> FakeChannel:
        channel = FakeChannel(
            self.ids.next(), GUILD_TEXT, name, guild.id, len(guild.channels), topic
        )
        guild.channels.append(channel)
        self.channels[channel.id] = channel
        if announce:
            self._on_channel_created(channel)
        return channel

    def dm_channel(self, user: FakeUser | None = None) -> FakeChannel:
        """The DM channel between the bot and `user` (created on first use, like Discord)."""
        user = user or self.default_user
        found = next((c for c in self.channels.values() if c.is_dm and c.recipient is user), None)
        if found is None:
            found = FakeChannel(self.ids.next(), DM, recipient=user)
            self.channels[found.id] = found
        return found

    def bot_in(self, guild: FakeGuild) -> bool:
        return self.bot_user.id in guild.members

    def member_of(self, channel: FakeChannel, user: FakeUser) -> FakeMember | None:
        guild = self.guilds.get(channel.guild_id or 0)
        return None if guild is None else guild.members.get(user.id)

    # ---------------------------------------------------------- faults and limits
    def fail_next(
        self,
        method: str | None,
        pattern: str | None = None,
        *,
        times: int = 1,
        status: int = 429,
        retry_after: float = DEFAULT_RETRY_AFTER,
        code: int | None = None,
        message: str | None = None,
        is_global: bool = False,
    ) -> Fault:
        """The next `times` matching calls answer `status`. `method` None: any method;
        `pattern`: a spec template or a path regex (see path_matches). 429 answers like Discord:
        {"message", "retry_after" (float seconds), "global"} with Retry-After, X-RateLimit-* and
        Via headers; 403 defaults to 50007 "Cannot send messages to this user"."""
        if status == 429:
            body: JSON = {
                "message": message or "You are being rate limited.",
                "retry_after": retry_after,
                "global": is_global,
            }
            if code is not None:
                body["code"] = code
        else:
            base = CANNOT_DM if status == 403 else FAULT_BODIES.get(status, {"code": 0})
            body = {
                "message": message or base.get("message", f"{status}"),
                "code": base["code"] if code is None else code,
            }
        fault = Fault(
            None if method is None else method.upper(),
            pattern,
            times,
            status,
            body,
            retry_after if status == 429 else None,
        )
        self.faults.append(fault)
        return fault

    def block_dms(self, user: FakeUser) -> None:
        """From now on messages to the DM channel with `user` answer 403 (code 50007)."""
        self.blocked_dm_users.add(user.id)

    def unblock_dms(self, user: FakeUser) -> None:
        self.blocked_dm_users.discard(user.id)

    def _take_fault(self, call: RecordedCall) -> Fault | None:
        for fault in self.faults:
            if fault.remaining <= 0 or fault.method not in (None, call.method):
                continue
            if not path_matches(fault.pattern, call):
                continue
            fault.remaining -= 1
            fault.hits += 1
            return fault
        return None

    def _bucket_key(self, call: RecordedCall) -> str:
        major = ""
        for name in ("channel_id", "guild_id", "webhook_id", "interaction_id"):
            if name in call.params:
                major = f"{name}={call.params[name]}"
                break
        return f"{call.method} {call.template or call.path} {major}"

    def _consume(self, call: RecordedCall) -> tuple[JSON, bool]:
        """X-RateLimit-* headers of this call's bucket, and whether the bucket was empty."""
        key = self._bucket_key(call)
        now = time.monotonic()
        start, used = self._buckets.get(key, (now, 0))
        if now - start >= self.rate_window:
            start, used = now, 0
        exceeded = used >= self.rate_limit
        if not exceeded:
            used += 1
        self._buckets[key] = (start, used)
        reset_after = max(self.rate_window - (now - start), 0.001)
        bucket = hashlib.sha1(f"{call.method} {call.template}".encode()).hexdigest()[:16]
        headers = {
            "X-RateLimit-Limit": str(self.rate_limit),
            "X-RateLimit-Remaining": str(max(self.rate_limit - used, 0)),
            "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
            "X-RateLimit-Reset-After": f"{reset_after:.3f}",
            "X-RateLimit-Bucket": bucket,
        }
        return headers, exceeded

    # ------------------------------------------------------------- waiting helpers
    async def wait_for_calls(
        self,
        method: str | None,
        pattern: str | None = None,
        count: int = 1,
        *,
        timeout: float = WAIT,  # noqa: ASYNC109
        ok_only: bool = False,
    ) -> list[RecordedCall]:
        def check() -> list[RecordedCall] | None:
            found = self.calls_to(method, pattern, ok_only=ok_only)
            return found if len(found) >= count else None

        what = f"{count} call(s) of {method or '*'} {pattern or '*'}"
        return await self.wait_for(check, timeout=timeout, what=what)

    async def wait_for_message(
        self,
        channel_id: int | None = None,
        predicate: Callable[[StoredMessage], bool] | None = None,
        *,
        content_contains: str | None = None,
        since: int = 0,
        timeout: float = WAIT,  # noqa: ASYNC109
    ) -> StoredMessage:
        """First bot message (from index `since` of sent_messages, e.g. len(fake.sent_messages)
        taken before acting) matching channel_id / content_contains / predicate. Covers channel
        messages, interaction responses and followups."""

        def matches(m: StoredMessage) -> bool:
            return (
                (channel_id is None or m.channel_id == channel_id)
                and (content_contains is None or content_contains in m.content)
                and (predicate is None or predicate(m))
            )

        def check() -> StoredMessage | None:
            return next((m for m in self.sent_messages[since:] if matches(m)), None)

        return await self.wait_for(check, timeout=timeout, what="a matching bot message")

    async def wait_for_interaction_response(
        self,
        interaction: InteractionRecord | int,
        *,
        timeout: float = WAIT,  # noqa: ASYNC109
    ) -> CallbackRecord:
        """The callback (interaction response) the bot posted for this interaction."""
        record = self._interaction_record(interaction)
        return await self.wait_for(
            lambda: record.callback, timeout=timeout, what=f"a response to {record.id}"
        )

    async def wait_for_followups(
        self,
        interaction: InteractionRecord | int,
        count: int = 1,
        *,
        timeout: float = WAIT,  # noqa: ASYNC109
    ) -> list[StoredMessage]:
        record = self._interaction_record(interaction)

        def check() -> list[StoredMessage] | None:
            return record.followups if len(record.followups) >= count else None

        return await self.wait_for(check, timeout=timeout, what=f"{count} followup(s)")

    def _interaction_record(self, interaction: InteractionRecord | int) -> InteractionRecord:
        key = interaction if isinstance(interaction, int) else interaction.id
        assert key in self.interactions, f"unknown interaction {key}"
        return self.interactions[key]


def guess_content_type(filename: str, data: bytes) -> str:
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "image/png"
    if data[:2] == b"\xff\xd8":
        return "image/jpeg"
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return {
        "txt": "text/plain; charset=utf-8",
        "json": "application/json",
        "csv": "text/csv; charset=utf-8",
        "gif": "image/gif",
        "webp": "image/webp",
    }.get(suffix, "application/octet-stream")
