"""The shared Redis limiter, with this process's own limiter when Redis is down or slow."""

from __future__ import annotations

import time
from collections.abc import Callable

from core.outage import RedisOutage
from core.ratelimit.base import Limit
from core.ratelimit.memory import MemoryRateLimiter
from core.ratelimit.redis import RedisRateLimiter


class ResilientRateLimiter:
    def __init__(
        self,
        redis: RedisRateLimiter,
        local: MemoryRateLimiter,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._redis = redis
        self._local = local
        self._outage = RedisOutage("rate limits", monotonic)

    async def acquire(self, *limits: Limit) -> None:
        answered, _ = await self._outage.call(lambda: self._redis.acquire(*limits))
        if not answered:
            await self._local.acquire(*limits)
