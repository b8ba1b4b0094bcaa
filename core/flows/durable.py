"""The durable copy of flow states, on a unit of work's session (`uow.flow_states`).

The dispatcher reads it when the cache (Redis, or this process's memory) knows nothing of a
person's flow, and writes it in the transaction of the step's effect, so a flow survives Redis
restarting empty and the process restarting, and never disagrees with what the step saved."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import ColumnElement, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.clock import Clock
from core.db.dialects import dialect_insert
from core.db.models import FlowRecord
from core.flows.base import DEFAULT_TTL_SECONDS, FlowKey, FlowState


class FlowRecords:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self.session = session
        self.clock = clock

    def _where(self, key: FlowKey) -> tuple[ColumnElement[bool], ...]:
        return (
            FlowRecord.platform == key.platform,
            FlowRecord.chat_id == key.chat_id,
            FlowRecord.user_id == key.user_id,
        )

    async def get(self, key: FlowKey) -> FlowState | None:
        row = (
            await self.session.execute(
                select(FlowRecord.state, FlowRecord.expires_at).where(*self._where(key))
            )
        ).first()
        if row is None or row.expires_at <= self.clock.now():
            return None
        return FlowState.from_json(json.loads(row.state))

    async def put(
        self, key: FlowKey, state: FlowState | None, ttl: int = DEFAULT_TTL_SECONDS
    ) -> None:
        """Keep `state` for the key (None: the flow ended); the caller commits."""
        if state is None:
            await self.session.execute(delete(FlowRecord).where(*self._where(key)))
            return
        values = {
            "platform": key.platform,
            "chat_id": key.chat_id,
            "user_id": key.user_id,
            "state": json.dumps(state.to_json()),
            "expires_at": self.clock.now() + timedelta(seconds=ttl),
        }
        statement = dialect_insert(self.session)(FlowRecord).values(values)
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=["platform", "chat_id", "user_id"],
                set_={
                    "state": statement.excluded.state,
                    "expires_at": statement.excluded.expires_at,
                },
            )
        )

    async def prune(self) -> None:
        """Forget flows abandoned past their expiry."""
        await self.session.execute(
            delete(FlowRecord).where(FlowRecord.expires_at <= self.clock.now())
        )
