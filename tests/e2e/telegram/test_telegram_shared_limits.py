"""Telegram's flood limits are the bot's, not a process's: every process that sends for the bot
(`habitlink run` answering, `habitlink scheduler` notifying, webhook replicas) counts its sends
in the app's one rate limiter, Redis when configured, and each send is counted once."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime

from redis.asyncio import Redis

from adapters.telegram.adapter import TelegramAdapter
from adapters.telegram.limits import OVERALL_LIMIT
from bot.delivery import Notifier
from bot.dispatcher import HabitLinkBot
from bot.messages import Reply, rich
from core.clock import SettableClock
from core.ratelimit import Limit, MemoryRateLimiter, RateLimiter
from core.ratelimit.redis import RedisRateLimiter
from tests.fakes.telegram_api import FakeTelegram
from tests.support.telegram import running

PER_PROCESS = 45  # each of two processes: more than one window's 30, less than two windows'


class Counted:
    """The app's limiter, noting every limit each acquire counts against."""

    def __init__(self, limiter: RateLimiter) -> None:
        self.limiter = limiter
        self.counted: list[str] = []

    async def acquire(self, *limits: Limit) -> None:
        await self.limiter.acquire(*limits)
        self.counted += [limit.key for limit in limits]


async def test_two_processes_keep_to_one_overall_limit_through_redis(
    bot: HabitLinkBot, redis_env: tuple[Redis, str]
) -> None:
    """Two adapters (a bot and a scheduler process, say) sending 45 messages each at once: 90
    sends under one limit of 30 in 1.03 s need three windows; with a limit each, two."""
    client, prefix = redis_env
    async with FakeTelegram() as fake:
        chats = [fake.private_chat(fake.new_user(f"User{i}")) for i in range(2 * PER_PROCESS)]
        adapters = [
            TelegramAdapter(
                bot,
                token=fake.token,
                base_url=fake.base_url,
                base_file_url=fake.base_file_url,
                limiter=RedisRateLimiter(client, prefix=prefix),  # one client each, one Redis
            )
            for _ in range(2)
        ]
        async with adapters[0].application, adapters[1].application:
            began = time.monotonic()
            await asyncio.gather(
                *(
                    adapters[i % 2].send(chat.id, Reply(rich(f"Hello {i}")))
                    for i, chat in enumerate(chats)
                )
            )
            elapsed = time.monotonic() - began
        assert len(fake.calls_of("sendMessage", ok_only=True)) == 2 * PER_PROCESS
        assert {m.chat_id for m in fake.sent_messages} == {chat.id for chat in chats}
        assert elapsed >= 2 * OVERALL_LIMIT.period - 0.05  # the third window's 30
        fake.assert_no_violations()


async def test_an_answer_and_a_notification_each_count_once(
    bot: HabitLinkBot, clock: SettableClock
) -> None:
    """The scheduler's notifier and the adapter share the app's limiter: a reminder counts
    once against the overall limit (and once against the private chat's one a second), an
    answer once against the overall limit only."""
    counted = Counted(MemoryRateLimiter())
    async with FakeTelegram() as fake, running(fake, bot, counted) as telegram:
        await telegram.say("/newhabit Read")
        (confirmed,) = await telegram.say("/remind read 07:30")
        assert (confirmed.plain_text or "").startswith("I'll remind you of Read at 07:30")
        assert counted.counted == [OVERALL_LIMIT.key, OVERALL_LIMIT.key]  # two answers
        counted.counted.clear()
        clock.set(datetime(2026, 3, 24, 7, 30, tzinfo=UTC))  # her reminder's time
        assert await Notifier(bot, {"telegram": telegram.adapter}, counted).run_once() == 1
        private = f"telegram:private:{fake.default_user.id}"
        assert sorted(counted.counted) == sorted([OVERALL_LIMIT.key, private])
        (reminder,) = fake.sent_messages[-1:]
        assert reminder.plain_text == "⏰ Time for Read"
