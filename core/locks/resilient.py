"""Per-person locks in Redis that fall back to this process's own while Redis is down.

Redis is an optimisation (core.outage): when it does not answer, a person's requests are still
serialised within this process, and the next request tries Redis again after a short rest."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

from core.locks.base import PersonLocks
from core.outage import RedisOutage


class ResilientPersonLocks:
    def __init__(self, primary: PersonLocks, fallback: PersonLocks) -> None:
        self.primary = primary
        self.fallback = fallback
        self.outage = RedisOutage("person locks")

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            held, _ = await self.outage.call(
                lambda: stack.enter_async_context(self.primary.hold(key))
            )
            if not held:
                await stack.enter_async_context(self.fallback.hold(key))
            yield
