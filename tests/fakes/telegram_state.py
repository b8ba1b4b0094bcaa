"""State of the fake Telegram server, update injection helpers and waiting helpers."""

from __future__ import annotations

import asyncio
import base64
import bisect
import math
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from tests.fakes.changes import WAIT, Changes
from tests.fakes.telegram_models import (
    JSON,
    ApiError,
    CallbackAnswer,
    CallbackQueryRecord,
    FakeChat,
    FakeUser,
    Fault,
    FileEntry,
    RecordedCall,
    StoredMessage,
    Violation,
    WebhookConfig,
    WebhookDelivery,
)
from tests.fakes.telegram_spec import SPEC_PATH, BotApiSpec

T = TypeVar("T")
DEFAULT_TOKEN = "7000000001:AAFakeTokenForHabitLinkTests_0123456789"
DEFAULT_PHOTO_SIZES: tuple[tuple[int, int], ...] = ((90, 90), (320, 320), (800, 800))
# Update types delivered when allowed_updates was never set (Telegram's default).
DEFAULT_EXCLUDED_UPDATES = {"chat_member", "message_reaction", "message_reaction_count"}
FAULT_DESCRIPTIONS = {
    400: "Bad Request",
    403: "Forbidden: bot was blocked by the user",
    429: "Too Many Requests: retry after {retry_after}",
    500: "Internal Server Error",
    502: "Bad Gateway",
}


def update_type(update: JSON) -> str:
    return next((key for key in update if key != "update_id"), "")


class TelegramState(Changes):
    """Everything the fake knows; tests read these attributes directly."""

    def __init__(
        self,
        *,
        token: str = DEFAULT_TOKEN,
        bot_username: str = "HabitLinkTestBot",
        bot_name: str = "HabitLink",
        spec_path: str | None = None,
    ) -> None:
        self.token = token
        self.bot_user = FakeUser(
            int(token.split(":")[0]), bot_name, bot_username, language_code=None, is_bot=True
        )
        self.spec = BotApiSpec.load(spec_path or str(SPEC_PATH))
        self.calls: list[RecordedCall] = []
        self.violations: list[Violation] = []
        self.users: dict[int, FakeUser] = {}
        self.chats: dict[int, FakeChat] = {}
        self.messages: dict[int, dict[int, StoredMessage]] = {}
        self.sent_messages: list[StoredMessage] = []  # by the bot, in order
        self.files: dict[str, FileEntry] = {}
        self.callback_queries: dict[str, CallbackQueryRecord] = {}
        self.callback_answers: list[CallbackAnswer] = []
        # A press can be answered only this many seconds after it happened; later answers get
        # 400 "query is too old" (Telegram does not document its figure).
        self.callback_answer_window = 10.0
        # Basic groups upgraded to supergroups: old chat id -> new chat id. Calls naming the
        # old id answer 400 with parameters.migrate_to_chat_id.
        self.migrated_chats: dict[int, int] = {}
        self.commands: dict[tuple[str, str], list[JSON]] = {}  # (scope key, language) -> list
        self.chat_actions: list[tuple[int | str, str]] = []
        self.member_status: dict[tuple[int, int], str] = {}
        # BotFather's /setprivacy, on by default (getMe's can_read_all_group_messages is its
        # opposite). On, a group where the bot is no admin sends it only commands, messages
        # naming it, replies to its messages and service messages (`reaches_bot`); the rest
        # are kept here, never delivered.
        self.privacy_mode = True
        self.withheld: list[StoredMessage] = []
        self.faults: list[Fault] = []
        self.blocked_chats: set[int] = set()
        self.send_times: dict[int | str, list[float]] = {}
        self.all_send_times: list[float] = []  # every successful send*, any chat, in order
        # Telegram's group limit: when set, a send* to a group beyond this many within any
        # `group_limit_window` seconds (a minute, as Telegram's) answers 429 with retry_after
        # the seconds until one fits.
        self.group_limit_per_minute: int | None = None
        self.group_limit_window = 60.0
        # Telegram's overall flood limit (about 30 messages a second across all chats): when
        # set, a send* beyond it within any 1 s answers 429 retry_after 1.
        self.messages_per_second: int | None = None
        # Seconds every call but getUpdates takes to be answered (the network and Telegram's
        # own work), and how many calls were being answered at once, at most.
        self.latency = 0.0
        # Seconds more that calls of a method take (a slow getFile, say), by method name.
        self.slow_methods: dict[str, float] = {}
        # When set, every call but getUpdates waits until this event is set (a test then sees
        # how many calls a client keeps in flight, however slow the machine).
        self.held: asyncio.Event | None = None
        self.in_flight = 0
        self.most_in_flight = 0
        self.updates: list[JSON] = []  # every injected update
        self.pending_updates: list[JSON] = []  # not yet confirmed through getUpdates
        self.allowed_updates: list[str] | None = None
        self.webhook: WebhookConfig | None = None
        self.webhook_deliveries: list[WebhookDelivery] = []
        self._webhook_queue: asyncio.Queue[JSON] = asyncio.Queue()
        self._changed = asyncio.Event()
        self._next_update_id = 700_000_001
        self._next_user_id = 500_000_001
        self._next_group_id = 1
        self._next_message_id: dict[int, int] = {}
        self._counter = 0
        self.default_user = self.new_user("Alice", username="alice_habits")

    # ----------------------------------------------------------------- bookkeeping
    def _next(self) -> int:
        self._counter += 1
        return self._counter

    def _new_message_id(self, chat_id: int) -> int:
        self._next_message_id[chat_id] = self._next_message_id.get(chat_id, 0) + 1
        return self._next_message_id[chat_id]

    def _store(self, message: StoredMessage) -> StoredMessage:
        self.messages.setdefault(message.chat_id, {})[message.message_id] = message
        if message.from_bot:
            self.sent_messages.append(message)
        self._touch()
        return message

    def message(self, chat_id: int, message_id: int) -> StoredMessage | None:
        return self.messages.get(chat_id, {}).get(message_id)

    def messages_in(self, chat_id: int, *, include_deleted: bool = False) -> list[StoredMessage]:
        """Messages the bot sent to a chat, oldest first."""
        return [
            m
            for m in self.sent_messages
            if m.chat_id == chat_id and (include_deleted or not m.deleted)
        ]

    def last_message(self, chat_id: int | None = None) -> StoredMessage:
        found = [m for m in self.sent_messages if chat_id is None or m.chat_id == chat_id]
        assert found, f"the bot sent no message{'' if chat_id is None else f' to {chat_id}'}"
        return found[-1]

    def calls_of(self, method: str, *, ok_only: bool = False) -> list[RecordedCall]:
        return [c for c in self.calls if c.method == method and (c.status == 200 or not ok_only)]

    def commands_for(self, scope: JSON | None = None, language_code: str = "") -> list[JSON] | None:
        return self.commands.get((scope_key(scope), language_code))

    def assert_no_violations(self) -> None:
        if self.violations:
            lines = "\n".join(f"  - {v}" for v in self.violations)
            raise AssertionError(f"{len(self.violations)} Bot API violation(s):\n{lines}")

    # ---------------------------------------------------------- faults and limits
    def fail_next(
        self,
        method: str | None,
        *,
        times: int = 1,
        status: int = 429,
        retry_after: int | None = None,
        chat_id: int | str | None = None,
        description: str | None = None,
    ) -> Fault:
        """The next `times` calls of `method` (None: any method), optionally only those for
        `chat_id`, answer `status`. 429 carries parameters.retry_after (default 1 second)."""
        if status == 429 and retry_after is None:
            retry_after = 1
        text = description or FAULT_DESCRIPTIONS.get(status, f"Error {status}")
        fault = Fault(
            method, times, status, text.format(retry_after=retry_after), retry_after, chat_id
        )
        self.faults.append(fault)
        return fault

    def block_chat(self, chat_id: int) -> None:
        """From now on sends to chat_id answer 403 "Forbidden: bot was blocked by the user"."""
        self.blocked_chats.add(chat_id)

    def unblock_chat(self, chat_id: int) -> None:
        self.blocked_chats.discard(chat_id)

    def _take_fault(self, method: str, params: JSON) -> ApiError | None:
        chat_id = params.get("chat_id")
        if isinstance(chat_id, int) and chat_id in self.migrated_chats:
            return ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": self.migrated_chats[chat_id]},
            )
        if chat_id in self.blocked_chats and method.startswith(("send", "edit", "copy", "forward")):
            return ApiError(403, FAULT_DESCRIPTIONS[403])
        for fault in self.faults:
            if fault.remaining <= 0 or fault.method not in (None, method):
                continue
            if fault.chat_id is not None and str(fault.chat_id) != str(chat_id):
                continue
            fault.remaining -= 1
            extra = {"retry_after": fault.retry_after} if fault.retry_after else None
            return ApiError(fault.status, fault.description, extra)
        return None

    def _rate_limited(self, method: str, chat_id: Any) -> ApiError | None:
        if not method.startswith("send") or method == "sendChatAction":
            return None
        return self._overall_limited() or self._group_limited(chat_id)

    def _overall_limited(self) -> ApiError | None:
        limit = self.messages_per_second
        if limit is None:
            return None
        now = time.monotonic()
        times = self.all_send_times
        recent = len(times) - bisect.bisect_right(times, now - 1.0)  # sent in the last second
        if recent < limit:
            return None
        return ApiError(429, "Too Many Requests: retry after 1", {"retry_after": 1})

    def _group_limited(self, chat_id: Any) -> ApiError | None:
        limit = self.group_limit_per_minute
        if limit is None:
            return None
        if not isinstance(chat_id, int) or chat_id > 0:
            return None
        now = time.monotonic()
        window = self.group_limit_window
        recent = [t for t in self.send_times.get(chat_id, []) if now - t < window]
        if len(recent) < limit:
            return None
        retry = max(1, math.ceil(window - (now - recent[-limit])))
        return ApiError(429, f"Too Many Requests: retry after {retry}", {"retry_after": retry})

    def max_sends_in_window(self, chat_id: int | str | None, window: float = 60.0) -> int:
        """Highest number of successful send* calls to chat_id (None: to any chat) inside any
        `window` seconds."""
        if chat_id is None:
            times = sorted(self.all_send_times)
        else:
            times = sorted(self.send_times.get(chat_id, []))
        best, start = 0, 0
        for end, stamp in enumerate(times):
            while stamp - times[start] >= window:
                start += 1
            best = max(best, end - start + 1)
        return best

    # ------------------------------------------------------------- waiting helpers
    async def wait_for_calls(
        self,
        method: str,
        count: int = 1,
        *,
        timeout: float = WAIT,  # noqa: ASYNC109
        ok_only: bool = False,
    ) -> list[RecordedCall]:
        def check() -> list[RecordedCall] | None:
            found = self.calls_of(method, ok_only=ok_only)
            return found if len(found) >= count else None

        return await self.wait_for(check, timeout=timeout, what=f"{count} call(s) of {method}")

    async def wait_for_message(
        self,
        predicate: Callable[[StoredMessage], bool] | None = None,
        *,
        chat_id: int | None = None,
        text_contains: str | None = None,
        since: int = 0,
        timeout: float = WAIT,  # noqa: ASYNC109
    ) -> StoredMessage:
        """First bot message (from index `since` of sent_messages, e.g. len(fake.sent_messages)
        taken before acting) matching chat_id / text_contains / predicate."""

        def matches(m: StoredMessage) -> bool:
            visible = (m.plain_text or "") + (m.plain_caption or "")
            return (
                (chat_id is None or m.chat_id == chat_id)
                and (text_contains is None or text_contains in visible)
                and (predicate is None or predicate(m))
            )

        def check() -> StoredMessage | None:
            return next((m for m in self.sent_messages[since:] if matches(m)), None)

        return await self.wait_for(check, timeout=timeout, what="a matching bot message")

    async def wait_for_callback_answer(
        self,
        callback_query_id: str,
        *,
        timeout: float = WAIT,  # noqa: ASYNC109
    ) -> CallbackAnswer:
        def check() -> CallbackAnswer | None:
            return next(
                (a for a in self.callback_answers if a.callback_query_id == callback_query_id),
                None,
            )

        return await self.wait_for(check, timeout=timeout, what="answerCallbackQuery")

    async def wait_for_webhook_deliveries(
        self,
        count: int = 1,
        *,
        timeout: float = WAIT,  # noqa: ASYNC109
    ) -> list[WebhookDelivery]:
        def check() -> list[WebhookDelivery] | None:
            return self.webhook_deliveries if len(self.webhook_deliveries) >= count else None

        return await self.wait_for(check, timeout=timeout, what=f"{count} webhook deliveries")

    # ------------------------------------------------------------ users and chats
    def new_user(
        self,
        first_name: str = "Bob",
        *,
        username: str | None = None,
        last_name: str | None = None,
        language_code: str | None = "en",
        user_id: int | None = None,
    ) -> FakeUser:
        if user_id is None:
            user_id, self._next_user_id = self._next_user_id, self._next_user_id + 1
        user = FakeUser(user_id, first_name, username, last_name, language_code)
        self.users[user.id] = user
        return user

    def private_chat(self, user: FakeUser | None = None) -> FakeChat:
        user = user or self.default_user
        chat = self.chats.get(user.id) or FakeChat(
            user.id,
            "private",
            username=user.username,
            first_name=user.first_name,
            last_name=user.last_name,
        )
        self.chats[chat.id] = chat
        return chat

    def new_group(
        self,
        title: str = "Habit Squad",
        *,
        supergroup: bool = True,
        username: str | None = None,
        topics: Iterable[int] = (),
        bot_admin: bool = True,
    ) -> FakeChat:
        """A group chat; with `topics`, a forum supergroup with topics of those ids. The bot is
        an admin there unless `bot_admin` is False (then privacy mode applies, `reaches_bot`)."""
        number, self._next_group_id = self._next_group_id, self._next_group_id + 1
        chat_id = -(1_001_000_000_000 + number) if supergroup else -(4_000_000 + number)
        chat = FakeChat(chat_id, "supergroup" if supergroup else "group", title, username)
        chat.topics = set(topics)
        chat.is_forum = bool(chat.topics)
        self.chats[chat.id] = chat
        if not bot_admin:
            self.member_status[(chat.id, self.bot_user.id)] = "member"
        return chat

    def new_channel(
        self, title: str = "HabitLink News", *, username: str | None = None
    ) -> FakeChat:
        number, self._next_group_id = self._next_group_id, self._next_group_id + 1
        chat = FakeChat(-(1_002_000_000_000 + number), "channel", title, username)
        self.chats[chat.id] = chat
        return chat

    def set_member_status(self, chat: FakeChat, user: FakeUser, status: str) -> None:
        """status: creator, administrator, member, restricted, left or kicked."""
        self.member_status[(chat.id, user.id)] = status

    def bot_status(self, chat: FakeChat) -> str:
        """The bot's membership: an administrator of groups unless a test says otherwise (as
        the photo proofs of groups need: without it, privacy mode withholds plain photos)."""
        default = "administrator" if chat.is_group else "member"
        return self.member_status.get((chat.id, self.bot_user.id), default)

    def resolve_chat(self, chat_id: int | str) -> FakeChat | None:
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            name = chat_id[1:].lower()
            return next(
                (c for c in self.chats.values() if (c.username or "").lower() == name), None
            )
        try:
            return self.chats.get(int(chat_id))
        except ValueError:
            return None

    # ------------------------------------------------------------------- files
    def add_file(
        self,
        data: bytes,
        *,
        declared_size: int | None = None,
        kind: str = "documents",
        width: int = 0,
        height: int = 0,
    ) -> FileEntry:
        """Register bytes downloadable through getFile (declared_size may exceed len(data),
        e.g. to test the 20 MB getFile limit without allocating it)."""
        number = self._next()
        suffix = ".jpg" if data[:2] == b"\xff\xd8" else ".png" if data[:4] == b"\x89PNG" else ""
        entry = FileEntry(
            file_id="AgAC" + base64.urlsafe_b64encode(f"fake-file:{number}".encode()).decode(),
            file_unique_id=f"AQAD{number:06d}",
            data=data,
            file_path=f"{kind}/file_{number}{suffix or '.bin'}",
            file_size=declared_size if declared_size is not None else len(data),
            width=width,
            height=height,
        )
        self.files[entry.file_id] = entry
        return entry

    def file_by_path(self, file_path: str) -> FileEntry | None:
        return next((f for f in self.files.values() if f.file_path == file_path), None)

    # --------------------------------------------------------------- injection
    def inject(self, payload: JSON) -> JSON:
        """Queue a raw update (update_id is assigned when missing) for getUpdates or webhook."""
        update = dict(payload)
        if "update_id" not in update:
            update = {"update_id": self._next_update_id, **update}
            self._next_update_id += 1
        self.updates.append(update)
        if self.webhook is not None:
            if self._allowed(update, self.webhook.allowed_updates):
                self._webhook_queue.put_nowait(update)
        else:
            self.pending_updates.append(update)
        self._touch()
        return update

    def _allowed(self, update: JSON, allowed: list[str] | None) -> bool:
        kind = update_type(update)
        return kind in allowed if allowed else kind not in DEFAULT_EXCLUDED_UPDATES


def scope_key(scope: Any) -> str:
    if not scope:
        return "default"
    if isinstance(scope, dict):
        parts = [str(scope.get("type", "default"))]
        parts += [f"{k}={scope[k]}" for k in ("chat_id", "user_id") if k in scope]
        return ":".join(parts)
    return str(scope)
