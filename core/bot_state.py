"""Small values the bot keeps between runs, one per key (such as a hash of its commands)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from core.clock import Clock
from core.db.models import BotState


class BotStateStore:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self.session = session
        self.clock = clock

    async def get(self, key: str) -> str | None:
        stored = await self.session.get(BotState, key)
        return stored.value if stored is not None else None

    async def put(self, key: str, value: str) -> None:
        await self.session.merge(BotState(key=key, value=value, updated_at=self.clock.now()))
