"""A sliding-window limiter in Redis, shared by every process that sends for one bot."""

from __future__ import annotations

import asyncio
import uuid

from redis.asyncio import Redis

from core.ratelimit.base import Limit

# KEYS: one sorted set per limit. ARGV: count_1, period_ms_1, ..., member.
# Trims each window, and only when every limit has room adds the event to all of them.
# Returns 0 when admitted, otherwise how many milliseconds to wait.
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local wait = 0
for i, key in ipairs(KEYS) do
  local count = tonumber(ARGV[2 * i - 1])
  local period = tonumber(ARGV[2 * i])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - period)
  if redis.call('ZCARD', key) >= count then
    local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
    local w = tonumber(oldest[2]) + period - now
    if w > wait then wait = w end
  end
end
if wait > 0 then return wait end
local member = ARGV[#ARGV]
for i, key in ipairs(KEYS) do
  redis.call('ZADD', key, now, member)
  redis.call('PEXPIRE', key, tonumber(ARGV[2 * i]))
end
return 0
"""


class RedisRateLimiter:
    def __init__(self, redis: Redis, prefix: str = "habitlink") -> None:
        self._redis = redis
        self._prefix = f"{prefix}:rate:"
        self._script = redis.register_script(_ACQUIRE)

    async def acquire(self, *limits: Limit) -> None:
        if not limits:
            return
        keys = [self._prefix + limit.key for limit in limits]
        args: list[int | str] = []
        for limit in limits:
            args += [limit.count, max(1, int(limit.period * 1000))]
        while True:
            member = uuid.uuid4().hex
            wait_ms = int(await self._script(keys=keys, args=[*args, member]))
            if wait_ms <= 0:
                return
            await asyncio.sleep(wait_ms / 1000)
