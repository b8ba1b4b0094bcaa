"""Telegram's flood limits for python-telegram-bot, one chat at a time.

PTB's AIORateLimiter stops every request of the bot while it waits out one chat's 429, so one
busy group delayed everybody's replies by a minute. Here a 429 pauses only the chat it came
from (or everything, for a request without a chat), and waiting for a group's 20 a minute
never holds the overall 30 a second."""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot.metrics import RATE_LIMITED
from core.ratelimit import Limit, MemoryRateLimiter, RateLimiter

log = logging.getLogger("habitlink.telegram")
JSONDict = dict[str, Any]
# 30 messages a second overall, counted over 1.03 s: we count a message when we start sending
# it, Telegram when it arrives. With a window exactly 1 s wide, a send a little slower than the
# one a window later breaks the limit: bench_scheduler saw a 429 nearly every second (and 20 %
# of the rate lost to retries). The 30 ms margin costs 3 % of the rate.
OVERALL_LIMIT = Limit("telegram:all", 30, 1.03)
# 20 a minute in a group, counted over 61 s for the same reason (Telegram's window starts when
# a message arrives, ours when it is sent). Its key is the prefix of each group's own key.
GROUP_LIMIT = Limit("telegram:chat", 20, 61.0)
EVERYTHING = "*"


def chat_limits(
    chat_id: int | str, overall: Limit = OVERALL_LIMIT, group: Limit = GROUP_LIMIT
) -> tuple[Limit, ...]:
    """The overall limit, and 20 a minute in a group (ids below zero, or a @channel name)."""
    text = str(chat_id)
    if text.startswith(("-", "@")):
        return (overall, Limit(f"{group.key}:{text}", group.count, group.period))
    return (overall,)


class ChatRateLimiter(BaseRateLimiter[float]):
    """Throttles sends under Telegram's limits; a 429 pauses its own chat for retry_after.

    A request may say how long it will wait for its chat's pause (PTB's `rate_limit_args`, in
    seconds): beyond that it fails at once with RetryAfter instead of waiting (notifications,
    which the outbox sends again later, so that one group's 429 holds up nobody's reminders).

    `limiter` counts the sends: give every process that sends for one bot the same shared one
    (Redis; `App.rate_limiter`), since Telegram's limits are the bot's, not a process's. The
    answers of `habitlink run` and the scheduler's notifications then share the 30 a second."""

    def __init__(
        self,
        max_retries: int = 5,
        limiter: RateLimiter | None = None,
        *,
        overall: Limit = OVERALL_LIMIT,
        group: Limit = GROUP_LIMIT,
        monotonic: Callable[[], float] = time.monotonic,
    ):
        self.max_retries = max_retries
        self.overall = overall
        self.group = group
        self._now = monotonic
        self._limiter: RateLimiter = limiter or MemoryRateLimiter(monotonic)
        self._paused_until: dict[str, float] = {}

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def _wait_for_pause(self, key: str, patience: float | None) -> None:
        while True:
            until = max(self._paused_until.get(key, 0.0), self._paused_until.get(EVERYTHING, 0.0))
            wait = until - self._now()
            if wait <= 0:
                return
            if patience is not None and wait > patience:
                raise RetryAfter(math.ceil(wait))
            await asyncio.sleep(wait)

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: float | None,
    ) -> bool | JSONDict | list[JSONDict]:
        retries, patience = self.max_retries, rate_limit_args
        chat_id = data.get("chat_id")
        key = EVERYTHING if chat_id is None else str(chat_id)
        for attempt in range(retries + 1):
            await self._wait_for_pause(key, patience)
            if chat_id is not None:
                await self._limiter.acquire(*chat_limits(chat_id, self.overall, self.group))
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                RATE_LIMITED.labels("telegram").inc()
                if attempt == retries:
                    raise
                wait = _retry_after(exc) + 0.1
                log.info(
                    "telegram asked to wait",
                    extra={"endpoint": endpoint, "chat": key, "seconds": wait},
                )
                self._paused_until[key] = max(self._paused_until.get(key, 0.0), self._now() + wait)
                if patience is not None and wait > patience:
                    raise
        raise AssertionError("unreachable")


def _retry_after(exc: RetryAfter) -> float:
    """Seconds to wait; read without RetryAfter.retry_after's deprecation warning (PTB 22)."""
    value: object = getattr(exc, "_retry_after", None)
    if value is None:
        value = exc.retry_after
    if isinstance(value, timedelta):
        return value.total_seconds()
    return float(value) if isinstance(value, int | float) else 1.0
