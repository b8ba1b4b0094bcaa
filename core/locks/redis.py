"""Per-person locks in Redis, shared by every bot process of one deployment.

A lock is a key set with NX and a lease (PX) holding a random token; it is released only by its
holder (a compare-and-delete script), and expires by itself if the holder dies. Waiters poll
with a short, growing sleep: contention is rare (one person, two updates at the same moment).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from redis.asyncio import Redis
from redis.exceptions import RedisError

from core.locks.base import LEASE_SECONDS, WAIT_SECONDS, LockBusy

log = logging.getLogger("habitlink.locks")
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""


class RedisPersonLocks:
    def __init__(
        self,
        redis: Redis,
        prefix: str = "habitlink",
        *,
        lease: float = LEASE_SECONDS,
        wait: float = WAIT_SECONDS,
    ) -> None:
        self.redis = redis
        self.prefix = prefix
        self.lease_ms = int(lease * 1000)
        self.wait = wait
        self._release = redis.register_script(_RELEASE)

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        name = f"{self.prefix}:lock:{key}"
        token = uuid.uuid4().hex
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.wait
        pause = 0.005
        while not await self.redis.set(name, token, nx=True, px=self.lease_ms):
            if loop.time() >= deadline:
                raise LockBusy()
            await asyncio.sleep(pause)
            pause = min(pause * 2, 0.1)
        try:
            yield
        finally:
            try:
                await self._release(keys=[name], args=[token])
            except (RedisError, OSError):  # the work is done; the lease ends it by itself
                log.warning("could not release a lock", extra={"lock": name}, exc_info=True)
