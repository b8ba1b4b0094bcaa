"""The real python-telegram-bot adapter against the fake Bot API server: a harness to talk
through it as a person would, and `running` to start one for a bot."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from adapters.telegram.adapter import TelegramAdapter
from adapters.telegram.limits import GROUP_LIMIT
from bot.dispatcher import HabitLinkBot
from core.ratelimit import Limit, RateLimiter
from tests.fakes.changes import WAIT
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.telegram_models import FakeChat, FakeUser, StoredMessage


@dataclass
class TelegramHarness:
    fake: FakeTelegram
    adapter: TelegramAdapter

    async def say(
        self,
        text: str,
        *,
        chat: FakeChat | None = None,
        user: FakeUser | None = None,
        count: int = 1,
        timeout: float = WAIT,  # noqa: ASYNC109
        reply_to: StoredMessage | None = None,
    ) -> list[StoredMessage]:
        """A person writes `text` (as a reply to `reply_to`); waits for `count` bot messages in
        that chat and returns them."""
        chat = chat or self.fake.private_chat(user)
        since = len(self.fake.sent_messages)
        self.fake.send_text(text, chat=chat, user=user, reply_to=reply_to)
        return await self.fake.wait_for(
            lambda: found if len(found := self.messages_since(since, chat)) >= count else None,
            timeout=timeout,
            what=f"{count} bot message(s) in reply to {text!r}",
        )

    def messages_since(self, since: int, chat: FakeChat) -> list[StoredMessage]:
        return [m for m in self.fake.sent_messages[since:] if m.chat_id == chat.id]

    async def press(
        self, message: StoredMessage, *, text: str | None = None, user: FakeUser | None = None
    ) -> str | None:
        """Press a button of a bot message; returns the answerCallbackQuery text."""
        update = self.fake.press_button(message, text=text, user=user)
        answer = await self.fake.wait_for_callback_answer(update["callback_query"]["id"])
        # the press is answered before its edit
        await asyncio.wait_for(self.adapter.settled(), WAIT)
        return answer.text


@asynccontextmanager
async def running(
    fake: FakeTelegram,
    bot: HabitLinkBot,
    limiter: RateLimiter | None = None,
    group_limit: Limit = GROUP_LIMIT,
) -> AsyncIterator[TelegramHarness]:
    """A TelegramAdapter for `bot`, long polling `fake` until the block ends; `limiter` counts
    its sends (None: the adapter's own), under `group_limit` in a group."""
    adapter = TelegramAdapter(
        bot,
        token=fake.token,
        base_url=fake.base_url,
        base_file_url=fake.base_file_url,
        limiter=limiter,
        group_limit=group_limit,
    )
    polls = len(fake.calls_of("getUpdates"))
    stop = asyncio.Event()
    task = asyncio.create_task(adapter.serve(stop, poll_timeout=1))
    await fake.wait_for_calls("getUpdates", polls + 1)
    try:
        yield TelegramHarness(fake, adapter)
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=10)
