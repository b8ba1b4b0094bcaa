"""The durable copy of flow states, on a unit of work's session (`uow.flow_states`).

The dispatcher reads it when the cache (Redis, or this process's memory) knows nothing of a
person's flow, and writes it in the transaction of the step's effect, so a flow survives Redis
restarting empty and the process restarting, and never disagrees with what the step saved."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Table, bindparam, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.clock import Clock
from core.db.dialects import dialect_insert
from core.db.models import FlowRecord
from core.flows.base import DEFAULT_TTL_SECONDS, LAPSED_KEPT_SECONDS, FlowKey, FlowState

# Built once: the statement keeps its memoized cache key, each call binds only the values.
# A Core statement on the table: plain rows, without the ORM's per-execution setup.
FLOWS: Table = FlowRecord.__table__  # type: ignore[assignment]
_GET = select(FLOWS.c.state, FLOWS.c.expires_at).where(
    FLOWS.c.platform == bindparam("f_platform"),
    FLOWS.c.chat_id == bindparam("f_chat_id"),
    FLOWS.c.user_id == bindparam("f_user_id"),
)


def key_params(key: FlowKey) -> dict[str, str]:
    """The bound values of a flow key in `_GET` and in statements that join flow_states the
    same way (UserService.identify_with_flow)."""
    return {"f_platform": key.platform, "f_chat_id": key.chat_id, "f_user_id": key.user_id}


def decode(
    state: str | None, expires_at: datetime | None, now: datetime
) -> tuple[FlowState | None, FlowState | None]:
    """A stored flow row's state as (live, lapsed): the flow while it has not expired, or the
    one that expired unanswered less than LAPSED_KEPT_SECONDS ago (a late answer is told so);
    (None, None) for no row, or a flow long forgotten."""
    if state is None or expires_at is None:
        return None, None
    if expires_at <= now - timedelta(seconds=LAPSED_KEPT_SECONDS):
        return None, None
    flow = FlowState.from_json(json.loads(state))
    return (flow, None) if expires_at > now else (None, flow)


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
        return (await self.read(key))[0]

    async def read(self, key: FlowKey) -> tuple[FlowState | None, FlowState | None]:
        """(live, lapsed): the key's flow, or the one that expired unanswered (`decode`)."""
        row = (await self.session.execute(_GET, key_params(key))).first()
        if row is None:
            return None, None
        return decode(row.state, row.expires_at, self.clock.now())

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
        """Forget flows abandoned past their expiry, once a late answer is no longer told that
        its question expired (LAPSED_KEPT_SECONDS)."""
        forgotten = self.clock.now() - timedelta(seconds=LAPSED_KEPT_SECONDS)
        await self.session.execute(delete(FlowRecord).where(FlowRecord.expires_at <= forgotten))
