"""The flow-state cache port: one state per person per chat, expiring after a while.

The durable copy is in the database (core.flows.durable, written with each step's effect); a
store here is the fast path in front of it. `lookup` tells "no flow" (known) from "I hold
nothing for this key" (never seen, expired, lost when Redis restarted empty, or Redis is
down): then the dispatcher reads the database and fills the store again."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

# A step left unanswered this long is forgotten (each answer starts the next step's wait), so a
# message much later is never taken as its answer. The same in every store: the memory and Redis
# caches and the database copy, all timed by the injected clock.
DEFAULT_TTL_SECONDS = 30 * 60
# The database copy of a flow that expired unanswered is kept this much longer, so a late answer
# is told, once, that its question expired (bot/dispatcher.py); housekeeping forgets it after.
LAPSED_KEPT_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class FlowKey:
    platform: str
    chat_id: str
    user_id: str

    def as_str(self) -> str:
        return f"{self.platform}:{self.chat_id}:{self.user_id}"


@dataclass(frozen=True)
class FlowState:
    name: str  # which flow ("newhabit", "edithabit")
    step: str  # where in it
    data: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "step": self.step, "data": self.data}

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> FlowState:
        return cls(name=str(raw["name"]), step=str(raw["step"]), data=dict(raw.get("data", {})))


class FlowStore(Protocol):
    async def lookup(self, key: FlowKey) -> tuple[bool, FlowState | None]:
        """(known, state): known is False when the store holds nothing for the key; True
        with None for a flow known to be over (or never started)."""
        ...

    async def get(self, key: FlowKey) -> FlowState | None: ...

    async def set(self, key: FlowKey, state: FlowState, ttl: int = DEFAULT_TTL_SECONDS) -> None: ...

    async def clear(self, key: FlowKey) -> None: ...
