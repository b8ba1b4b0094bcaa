"""Flow state in Redis, where Redis is an optimisation, not a must.

When Redis fails or times out, the store answers "I hold nothing" (so the dispatcher reads
the durable copy in the database) and leaves Redis alone for `RETRY_AFTER` seconds, so a
dead Redis costs each person nothing. Nothing is kept only in this process: with several
processes, a copy here could be stale."""

from __future__ import annotations

import time
from collections.abc import Callable

from core.flows.base import DEFAULT_TTL_SECONDS, FlowKey, FlowState
from core.flows.redis import RedisFlowStore
from core.outage import RedisOutage


class ResilientFlowStore:
    def __init__(
        self, redis: RedisFlowStore, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self._redis = redis
        self._outage = RedisOutage("flow state", monotonic)

    async def lookup(self, key: FlowKey) -> tuple[bool, FlowState | None]:
        answered, found = await self._outage.call(lambda: self._redis.lookup(key))
        if not answered or found is None:
            return False, None
        return found

    async def get(self, key: FlowKey) -> FlowState | None:
        return (await self.lookup(key))[1]

    async def set(self, key: FlowKey, state: FlowState, ttl: int = DEFAULT_TTL_SECONDS) -> None:
        await self._outage.call(lambda: self._redis.set(key, state, ttl))

    async def clear(self, key: FlowKey) -> None:
        await self._outage.call(lambda: self._redis.clear(key))
