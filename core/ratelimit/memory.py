"""A sliding-window limiter inside one process."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable

from core.ratelimit.base import Limit


class MemoryRateLimiter:
    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._now = monotonic
        self._events: dict[str, deque[float]] = {}
        self._lock = asyncio.Lock()

    def _wait_for(self, limit: Limit, now: float) -> float:
        events = self._events.setdefault(limit.key, deque())
        while events and events[0] <= now - limit.period:
            events.popleft()
        if len(events) < limit.count:
            return 0.0
        return events[0] + limit.period - now

    async def acquire(self, *limits: Limit) -> None:
        while True:
            async with self._lock:
                now = self._now()
                wait = max((self._wait_for(limit, now) for limit in limits), default=0.0)
                if wait <= 0:
                    for limit in limits:
                        self._events[limit.key].append(now)
                    return
            await asyncio.sleep(wait)
