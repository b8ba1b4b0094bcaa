"""Flow state in Redis: shared by every process and adapter, kept across restarts."""

from __future__ import annotations

import json

from redis.asyncio import Redis

from core.flows.base import DEFAULT_TTL_SECONDS, FlowKey, FlowState


class RedisFlowStore:
    def __init__(self, redis: Redis, prefix: str = "habitlink") -> None:
        self._redis = redis
        self._prefix = f"{prefix}:flow:"

    def _key(self, key: FlowKey) -> str:
        return self._prefix + key.as_str()

    async def get(self, key: FlowKey) -> FlowState | None:
        raw = await self._redis.get(self._key(key))
        if raw is None:
            return None
        return FlowState.from_json(json.loads(raw))

    async def set(self, key: FlowKey, state: FlowState, ttl: int = DEFAULT_TTL_SECONDS) -> None:
        await self._redis.set(self._key(key), json.dumps(state.to_json()), ex=ttl)

    async def clear(self, key: FlowKey) -> None:
        await self._redis.delete(self._key(key))
