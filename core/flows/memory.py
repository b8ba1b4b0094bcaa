"""Flow state in this process: the zero-config cache (the database holds the durable copy)."""

from __future__ import annotations

from datetime import timedelta

from core.clock import Clock, SystemClock
from core.flows.base import DEFAULT_TTL_SECONDS, FlowKey, FlowState

SWEEP_EVERY = 1000  # writes between sweeps of abandoned states


class MemoryFlowStore:
    def __init__(self, clock: Clock | None = None) -> None:
        self._clock = clock or SystemClock()
        # None as a state: the flow is known to be over (so the database need not be asked).
        self._states: dict[FlowKey, tuple[FlowState | None, float]] = {}
        self._writes = 0

    def _now(self) -> float:
        return self._clock.now().timestamp()

    async def lookup(self, key: FlowKey) -> tuple[bool, FlowState | None]:
        item = self._states.get(key)
        if item is None:
            return False, None
        state, expires = item
        if expires <= self._now():
            del self._states[key]
            return False, None
        return True, state

    async def get(self, key: FlowKey) -> FlowState | None:
        return (await self.lookup(key))[1]

    async def set(self, key: FlowKey, state: FlowState, ttl: int = DEFAULT_TTL_SECONDS) -> None:
        self._put(key, state, ttl)

    async def clear(self, key: FlowKey) -> None:
        self._put(key, None, DEFAULT_TTL_SECONDS)

    def _put(self, key: FlowKey, state: FlowState | None, ttl: int) -> None:
        now = self._now()
        self._states[key] = (state, now + timedelta(seconds=ttl).total_seconds())
        self._writes += 1
        if self._writes % SWEEP_EVERY == 0:  # abandoned flows are never read again
            self._states = {k: v for k, v in self._states.items() if v[1] > now}
