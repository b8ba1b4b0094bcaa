"""Per-person locks inside one process (the console, one bot process without Redis)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from core.locks.base import WAIT_SECONDS, LockBusy


class MemoryPersonLocks:
    def __init__(self, wait: float = WAIT_SECONDS) -> None:
        self.wait = wait
        self._locks: dict[str, asyncio.Lock] = {}
        self._users: dict[str, int] = {}

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._users[key] = self._users.get(key, 0) + 1
        try:
            try:
                async with asyncio.timeout(self.wait):
                    await lock.acquire()
            except TimeoutError:
                raise LockBusy() from None
            try:
                yield
            finally:
                lock.release()
        finally:
            self._users[key] -= 1
            if self._users[key] == 0:  # nobody holds or waits: forget it
                del self._users[key]
                del self._locks[key]
