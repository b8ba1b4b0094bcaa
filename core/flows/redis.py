"""Flow state in Redis: a cache shared by every process and adapter (the database holds the
durable copy)."""

from __future__ import annotations

import json

from redis.asyncio import Redis

from core.clock import Clock, SystemClock
from core.flows.base import DEFAULT_TTL_SECONDS, FlowKey, FlowState

CLEARED = b"-"  # a finished flow: kept until its TTL, so a copy elsewhere is known to be stale


class RedisFlowStore:
    def __init__(self, redis: Redis, prefix: str = "habitlink", clock: Clock | None = None) -> None:
        self._redis = redis
        self._prefix = f"{prefix}:flow:"
        # A state carries its expiry by this clock (the one the database copy is timed by);
        # Redis's own TTL, on its own clock, only frees the key.
        self._clock = clock or SystemClock()

    def _key(self, key: FlowKey) -> str:
        return self._prefix + key.as_str()

    async def get(self, key: FlowKey) -> FlowState | None:
        return (await self.lookup(key))[1]

    async def lookup(self, key: FlowKey) -> tuple[bool, FlowState | None]:
        """(known, state): known is False when Redis holds nothing at all for the key (never
        set, expired, or lost when Redis restarted empty); True with None for a cleared flow."""
        raw = await self._redis.get(self._key(key))
        if raw is None:
            return False, None
        if raw == CLEARED:
            return True, None
        stored = json.loads(raw)
        until = stored.get("until")
        if isinstance(until, int | float) and until <= self._clock.now().timestamp():
            return False, None  # expired: the database copy (expired too) says so
        return True, FlowState.from_json(stored)

    async def set(self, key: FlowKey, state: FlowState, ttl: int = DEFAULT_TTL_SECONDS) -> None:
        until = self._clock.now().timestamp() + ttl
        value = json.dumps({**state.to_json(), "until": until})
        await self._redis.set(self._key(key), value, ex=ttl)

    async def clear(self, key: FlowKey) -> None:
        await self._redis.set(self._key(key), CLEARED, ex=DEFAULT_TTL_SECONDS)
