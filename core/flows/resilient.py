"""Flow state in Redis with a copy in this process: Redis is an optimisation, not a must.

Every write goes to both. A read asks Redis first (another process may have moved the flow
on); when Redis has nothing at all for the key (it restarted empty) the copy here carries
the flow on and is written back. When Redis fails or times out, the copy here is used and
Redis is left alone for `RETRY_AFTER` seconds, so a dead Redis costs each person nothing;
`degraded` tells the dispatcher to say so.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from core.flows.base import DEFAULT_TTL_SECONDS, FlowKey, FlowState
from core.flows.memory import MemoryFlowStore
from core.flows.redis import RedisFlowStore
from core.outage import RedisOutage


class ResilientFlowStore:
    def __init__(
        self,
        redis: RedisFlowStore,
        local: MemoryFlowStore,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._redis = redis
        self._local = local
        self._outage = RedisOutage("flow state", monotonic)

    @property
    def degraded(self) -> bool:
        return self._outage.down

    async def get(self, key: FlowKey) -> FlowState | None:
        local = await self._local.get(key)
        answered, found = await self._outage.call(lambda: self._redis.lookup(key))
        if not answered or found is None:
            return local
        known, state = found
        if known:  # Redis has the last word: another process may have moved the flow on
            if state is None:
                await self._local.clear(key)
            else:
                await self._local.set(key, state)
            return state
        if local is not None:  # Redis lost it: carry on from the copy here, and put it back
            await self._outage.call(lambda: self._redis.set(key, local))
        return local

    async def set(self, key: FlowKey, state: FlowState, ttl: int = DEFAULT_TTL_SECONDS) -> None:
        await self._local.set(key, state, ttl)
        await self._outage.call(lambda: self._redis.set(key, state, ttl))

    async def clear(self, key: FlowKey) -> None:
        await self._local.clear(key)
        await self._outage.call(lambda: self._redis.clear(key))
